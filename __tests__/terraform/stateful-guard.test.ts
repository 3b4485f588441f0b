/**
 * Issue 10 item 11: a mount_point change recreates the container in bpg/proxmox 0.111.1 (size is
 * ForceNew; bpg issue #2995: "the underlying volume is deleted and recreated empty"). Stateful
 * containers carry lifecycle.prevent_destroy, and `npm run plan` names every destroy/replacement of
 * one in a banner and exits 3 — proven with the real terraform against the provider stand-in.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { prepareWorkDir, releasePreventDestroy, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { synthHomelab } from '../support/lab';
import { COMMAND_TIMEOUT_MS, CONTAINER, makeTempDir, standin, TEST_TIMEOUT_MS, writeStack } from './harness';

function runPlan(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('tools', 'tf-plan.ts'), ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 4 * COMMAND_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** The business stack of a synthesized lab, reduced to the Immich container (the 500 GiB volume). */
function immichOnly(optOut: boolean): { doc: any; address: string } {
  const ref = synthHomelab(optOut ? { business: { overrides: { immich: { preventDestroy: false } } } } : {});
  try {
    const doc = ref.out.stack('business');
    const containers = doc.resource[CONTAINER] as Record<string, any>;
    const [name, body] = Object.entries(containers).find(([, c]) => c['//'].metadata.path === 'homelab/business/immich/Resource')!;
    doc.resource = { [CONTAINER]: { [name]: body } };
    return { doc, address: `${CONTAINER}.${name}` };
  } finally {
    ref.cleanup();
  }
}

function grow(doc: any, address: string, size: string): any {
  const copy = JSON.parse(JSON.stringify(doc));
  const body = copy.resource[CONTAINER][address.split('.')[1]!];
  body.mount_point.find((m: any) => m.size).size = size;
  return copy;
}

describe('stateful containers and the plan tool', () => {
  let tmp: string;
  let tf: StandinTerraform;
  beforeAll(() => {
    tmp = makeTempDir('stateful-guard');
    tf = standin(path.join(tmp, 'standin'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'prevent_destroy stops growing a volume and destroying the container; npm run plan says so in a banner and exits 3',
    async () => {
      const { doc, address } = immichOnly(false);
      expect(doc.resource[CONTAINER][address.split('.')[1]!].lifecycle).toEqual({ prevent_destroy: true });
      const stacks = path.join(tmp, 'guarded', 'stacks');
      const states = path.join(tmp, 'guarded', 'states');
      writeStack(stacks, 'business', doc);
      const first = await runPlan(['--stacks-dir', stacks, '--state-dir', states, '--apply']);
      expect(first.code, first.out).toBe(0);
      const statePath = path.join(states, 'business', 'terraform.tfstate');
      const recorded = fs.readFileSync(statePath, 'utf8');

      // GIVEN the volume grown in the model WHEN planned THEN terraform refuses and the tool names why
      writeStack(stacks, 'business', grow(doc, address, '600G'));
      const grown = await runPlan(['--stacks-dir', stacks, '--state-dir', states]);
      expect(grown.code, grown.out).toBe(3);
      expect(grown.out).toContain('Error: Instance cannot be destroyed');
      expect(grown.out).toContain('1 STATEFUL CONTAINER WOULD BE DESTROYED');
      expect(grown.out).toContain(`REPLACE homelab/business/immich (${address}) — forced by mount_point[0].size`);
      expect(grown.out).toContain('lifecycle.prevent_destroy stopped this plan');
      expect(grown.out).toContain('"Growing a volume"');
      expect(fs.readFileSync(statePath, 'utf8')).toBe(recorded);

      // terraform destroy is refused too ...
      const work = path.join(tmp, 'guarded', 'work');
      const stateCopy = path.join(tmp, 'guarded', 'copy.tfstate');
      fs.copyFileSync(statePath, stateCopy);
      prepareWorkDir(path.join(stacks, 'business'), work, stateCopy);
      expect((await tf.init(work)).code).toBe(0);
      const destroy = await tf.run(work, ['plan', '-destroy', '-input=false']);
      expect(destroy.code, destroy.output).toBe(1);
      expect(destroy.output).toContain(`Resource ${address} has\nlifecycle.prevent_destroy set`);
      // ... unless the guard is lifted on purpose (the digital twin's teardown)
      expect(releasePreventDestroy(path.join(stacks, 'business'), work)).toEqual([address]);
      const released = await tf.run(work, ['plan', '-destroy', '-input=false']);
      expect(released.code, released.output).toBe(0);
      expect(released.output).toContain('Plan: 0 to add, 0 to change, 1 to destroy.');
    },
    TEST_TIMEOUT_MS * 2,
  );

  it(
    'with preventDestroy: false the replacement goes through the plan, flagged as data loss',
    async () => {
      const { doc, address } = immichOnly(true);
      const body = doc.resource[CONTAINER][address.split('.')[1]!];
      expect(body.lifecycle).toBeUndefined();
      expect(body['//'].homelab).toEqual({ stateful: true });
      const stacks = path.join(tmp, 'optout', 'stacks');
      const states = path.join(tmp, 'optout', 'states');
      writeStack(stacks, 'business', doc);
      expect((await runPlan(['--stacks-dir', stacks, '--state-dir', states, '--apply'])).code).toBe(0);
      writeStack(stacks, 'business', grow(doc, address, '600G'));
      const grown = await runPlan(['--stacks-dir', stacks, '--state-dir', states]);
      expect(grown.code, grown.out).toBe(3);
      expect(grown.out).toContain('business: 1 to add, 0 to change, 1 to destroy');
      expect(grown.out).toContain(`REPLACE homelab/business/immich (${address}) — forced by mount_point[0].size`);
      expect(grown.out).toContain('preventDestroy is OFF for it (opted out): `terraform apply` WILL destroy it.');
    },
    TEST_TIMEOUT_MS * 2,
  );

  it(
    'a node change of a stateful container is a replacement, never silent: the banner says the provider cannot migrate it and how to move it',
    async () => {
      const { doc, address } = immichOnly(true);
      const stacks = path.join(tmp, 'moved', 'stacks');
      const states = path.join(tmp, 'moved', 'states');
      writeStack(stacks, 'business', doc);
      expect((await runPlan(['--stacks-dir', stacks, '--state-dir', states, '--apply'])).code).toBe(0);
      // GIVEN the service pinned (or placed) on another node
      const moved = JSON.parse(JSON.stringify(doc));
      moved.resource[CONTAINER][address.split('.')[1]!].node_name = 'pve2';
      writeStack(stacks, 'business', moved);
      const plan = await runPlan(['--stacks-dir', stacks, '--state-dir', states]);
      expect(plan.code, plan.out).toBe(3);
      expect(plan.out).toContain(`REPLACE homelab/business/immich (${address}) — forced by node_name`);
      expect(plan.out).toContain('A node change (node_name) RECREATES the container in bpg/proxmox 0.111.1: it cannot migrate containers.');
      expect(plan.out).toContain('`terraform import <address> <node>/<vmid>`');
    },
    TEST_TIMEOUT_MS * 2,
  );
});
