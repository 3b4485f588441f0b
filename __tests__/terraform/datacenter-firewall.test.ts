import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { synthReferenceLab } from '../network/reference-output';
import { allOutput, makeTempDir, standin, TEST_TIMEOUT_MS, writeStack } from './harness';

/**
 * Issue 10 item 16: the infra stack manages the datacenter firewall and the node's host rules. Real
 * terraform (with the bpg 0.111.1 schema through the stand-in) validates, plans and fake-applies
 * them, and a second plan is clean.
 */
describe('datacenter firewall through terraform and the stand-in', () => {
  let tmp: string;
  let tf: StandinTerraform;
  let infra: unknown;

  beforeAll(() => {
    tmp = makeTempDir('tf-dc-firewall');
    tf = standin(path.join(tmp, 'standin'));
    infra = JSON.parse(synthReferenceLab().file('stacks/infra/cdk.tf.json'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'validates, plans and applies proxmox_virtual_environment_cluster_firewall and the node rules, then plans no changes',
    async () => {
      const statePath = path.join(tmp, 'state', 'terraform.tfstate');
      fs.mkdirSync(path.dirname(statePath), { recursive: true });
      const dir = writeStack(tmp, 'infra', infra);
      const first = await runStack(tf, dir, { statePath, apply: true });
      expect(first.failedPhase, allOutput(first)).toBeUndefined();
      const plan = first.results.find((r) => r.command.startsWith('terraform plan'))!.output;
      expect(plan).toMatch(/proxmox_virtual_environment_cluster_firewall\.DatacenterFirewall_Options_\w+ will be created/);
      expect(plan).toMatch(/proxmox_virtual_environment_firewall_rules\.DatacenterFirewall_HostRules-pve_\w+ will be created/);
      const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[] };
      const dc = state.resources.find((r) => r.type === 'proxmox_virtual_environment_cluster_firewall')!.instances[0]!.attributes;
      expect(dc).toMatchObject({ enabled: true, ebtables: true, input_policy: 'DROP', output_policy: 'ACCEPT' });
      const host = state.resources.filter((r) => r.type === 'proxmox_virtual_environment_firewall_rules').map((r) => r.instances[0]!.attributes);
      expect(host).toEqual([expect.objectContaining({ node_name: 'pve', vm_id: null, container_id: null })]);

      const again = await runStack(tf, dir, { statePath, skipValidate: true });
      expect(again.ok, allOutput(again)).toBe(true);
      expect(again.summary).toMatchObject({ add: 0, change: 0, destroy: 0 });
    },
    TEST_TIMEOUT_MS,
  );
});
