import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { Lab, LabStack, LxcContainer, Network, ProxmoxNode, Size } from '../../constructs/core';
import { synthesize } from '../../integrations/synth';
import { runStack, stacksInDeployOrder, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { SSH_KEY } from '../support/lab';
import { allOutput, makeTempDir, standin, TEST_TIMEOUT_MS } from './harness';

/**
 * An HA anti-affinity group whose members sit in two Terraform stacks: `web` in apps, `pg` in db.
 * The group's rule names both HA resources but can only be ordered by dependsOn inside its own
 * stack, so the stacks themselves must be applied in order. Checked with the real terraform and the
 * stand-in's HA file (tools/tf-standin/ha-cluster.ts), which refuses a rule naming a resource HA
 * does not manage yet, as Proxmox does.
 */
function build(app: App): void {
  const lab = new Lab(app, 'lab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve.home.example.org:8006/' }, sshPublicKeys: [SSH_KEY] });
  const shared = { cores: 8, memory: Size.mebibytes(8192), sharedStorage: ['ceph-ct'] };
  new ProxmoxNode(lab.infra, 'pve1', { address: '10.10.0.2', ...shared });
  new ProxmoxNode(lab.infra, 'pve2', { address: '10.10.0.3', ...shared });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.0.0/24', gateway: '10.10.0.1' });
  const apps = new LabStack(lab, 'apps');
  const db = new LabStack(lab, 'db');
  const ha = { node: 'auto', network: lan, backup: false, rootfsStorage: 'ceph-ct', ha: true, antiAffinity: ['pair'] } as const;
  // declared in db first: the rule still goes to db, the later stack
  new LxcContainer(db, 'pg', { ...ha, vmId: 300 });
  new LxcContainer(apps, 'web', { ...ha, vmId: 301 });
}

let tmp: string;
let outdir: string;
let tf: StandinTerraform;

beforeAll(() => {
  tmp = makeTempDir('ha-cross-stack');
  outdir = path.join(tmp, 'out');
  synthesize(build, { outdir });
  tf = standin(path.join(tmp, 'standin'));
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const stackDir = (name: string) => path.join(outdir, 'stacks', name);
const rulesOf = (name: string) => Object.values(JSON.parse(fs.readFileSync(path.join(stackDir(name), 'cdk.tf.json'), 'utf8')).resource.proxmox_virtual_environment_harule ?? {}) as { resources: string[] }[];

describe('HA anti-affinity across stacks', () => {
  it('puts the rule in db and deploys db after apps (manifest.json dependencies)', () => {
    expect(rulesOf('apps')).toEqual([]);
    expect(rulesOf('db').map((r) => r.resources)).toEqual([['ct:300', 'ct:301']]);
    expect(stacksInDeployOrder(outdir)).toEqual(['infra', 'apps', 'db']);
  });

  it('applies every stack in deploy order with the real terraform and the stand-in', async () => {
    const haFile = path.join(tmp, 'ha-in-order.json');
    for (const name of stacksInDeployOrder(outdir)) {
      const run = await runStack(tf, stackDir(name), { apply: true, skipValidate: true, haCluster: haFile });
      expect(run.failedPhase, allOutput(run)).toBeUndefined();
    }
    expect(JSON.parse(fs.readFileSync(haFile, 'utf8')).resources).toEqual(['ct:300', 'ct:301']);
  }, TEST_TIMEOUT_MS * 3);

  it('fails the apply of db when apps has not been applied (what the stack dependency prevents)', async () => {
    const haFile = path.join(tmp, 'ha-wrong-order.json');
    const run = await runStack(tf, stackDir('db'), { apply: true, skipValidate: true, haCluster: haFile });
    expect(run.failedPhase).toBe('apply');
    expect(allOutput(run)).toContain("HA rule 'homelab-pair-apart' names ct:301, which HA does not manage");
  }, TEST_TIMEOUT_MS);
});
