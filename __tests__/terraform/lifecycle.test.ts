import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkDir, runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { allOutput, CONTAINER, fixture, makeTempDir, SONARR, standin, StackJson, TEST_TIMEOUT_MS, writeStack } from './harness';

/**
 * Changes planned against a state recorded by a fake apply of the valid lab stack: what users review
 * with `npm run plan` before touching Proxmox.
 */
describe('plans against a fake-applied state', () => {
  let tmp: string;
  let tf: StandinTerraform;
  let appliedState: string;

  beforeAll(async () => {
    tmp = makeTempDir('tf-lifecycle');
    tf = standin(path.join(tmp, 'standin'));
    appliedState = path.join(tmp, 'applied', 'terraform.tfstate');
    fs.mkdirSync(path.dirname(appliedState), { recursive: true });
    const run = await runStack(tf, writeStack(tmp, 'base', fixture('valid-lab')), { statePath: appliedState, apply: true, skipValidate: true });
    if (!run.ok) throw new Error(`fake apply of the valid lab failed:\n${allOutput(run)}`);
  }, TEST_TIMEOUT_MS);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** Plans `doc` against a private copy of the applied state. */
  async function planAgainstApplied(name: string, doc: StackJson) {
    const statePath = path.join(tmp, name, 'state', 'terraform.tfstate');
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    fs.copyFileSync(appliedState, statePath);
    return runStack(tf, writeStack(path.join(tmp, name), 'stack', doc), { statePath, skipValidate: true });
  }

  it('records computed attributes with known, deterministic values', () => {
    const state = JSON.parse(fs.readFileSync(appliedState, 'utf8')) as {
      resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
    };
    const ct = state.resources.find((r) => r.type === CONTAINER)!.instances[0]!.attributes;
    expect(ct.id).toMatch(/^standin-[0-9a-f]{12}$/);
    expect(ct.vm_id).toBe(131);
    // the reference to the download's id was resolved at apply time
    const dl = state.resources.find((r) => r.type === 'proxmox_download_file')!.instances[0]!.attributes;
    expect((ct.operating_system as { template_file_id: string }[])[0]!.template_file_id).toBe(dl.id);
  });

  it(
    'shows "No changes" when the config is unchanged',
    async () => {
      const run = await planAgainstApplied('unchanged', fixture('valid-lab'));
      expect(run.ok, allOutput(run)).toBe(true);
      expect(allOutput(run)).toContain('No changes. Your infrastructure matches the configuration.');
      expect(run.summary).toMatchObject({ add: 0, change: 0, destroy: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'destroys a stateful container whose address was renamed without a moved block',
    async () => {
      // GIVEN the construct path of sonarr renamed, which renames its Terraform address
      const doc = fixture('valid-lab');
      const containers = doc.resource[CONTAINER]!;
      containers.media_sonarr2_Resource_9A8B7C6D = containers[SONARR]!;
      delete containers[SONARR];
      // WHEN planned
      const run = await planAgainstApplied('renamed', doc);
      // THEN terraform destroys the old container (and its data) and creates a new one
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary).toMatchObject({ add: 1, change: 0, destroy: 1 });
      expect(run.summary!.deleted).toEqual([`${CONTAINER}.${SONARR}`]);
      expect(allOutput(run)).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'destroys nothing when the rename ships with a moved block',
    async () => {
      const doc = fixture('valid-lab');
      const containers = doc.resource[CONTAINER]!;
      containers.media_sonarr2_Resource_9A8B7C6D = containers[SONARR]!;
      delete containers[SONARR];
      doc.moved = [{ from: `${CONTAINER}.${SONARR}`, to: `${CONTAINER}.media_sonarr2_Resource_9A8B7C6D` }];
      const run = await planAgainstApplied('moved', doc);
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary).toMatchObject({ add: 0, change: 0, destroy: 0 });
      expect(run.summary!.moved).toEqual([`${CONTAINER}.${SONARR} -> ${CONTAINER}.media_sonarr2_Resource_9A8B7C6D`]);
      expect(allOutput(run)).toContain(`# ${CONTAINER}.${SONARR} has moved to ${CONTAINER}.media_sonarr2_Resource_9A8B7C6D`);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'replaces the container when unprivileged changes',
    async () => {
      const doc = fixture('valid-lab');
      doc.resource[CONTAINER]![SONARR]!.unprivileged = false;
      const run = await planAgainstApplied('privileged', doc);
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary).toMatchObject({ add: 1, change: 0, destroy: 1, replaced: [`${CONTAINER}.${SONARR}`] });
      const out = allOutput(run);
      expect(out).toContain(`# ${CONTAINER}.${SONARR} must be replaced`);
      expect(out).toMatch(/~ unprivileged\s+= true -> false # forces replacement/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'updates in place what the real provider updates in place (cores)',
    async () => {
      const doc = fixture('valid-lab');
      (doc.resource[CONTAINER]![SONARR]!.cpu as { cores: number }[])[0]!.cores = 4;
      const run = await planAgainstApplied('cores', doc);
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary).toMatchObject({ add: 0, change: 1, destroy: 0 });
      expect(allOutput(run)).toMatch(/~ cores\s+= 2 -> 4/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'replaces the container when a mount point volume changes',
    async () => {
      const doc = fixture('valid-lab');
      (doc.resource[CONTAINER]![SONARR]!.mount_point as { volume: string }[])[0]!.volume = '/tank/other';
      const run = await planAgainstApplied('volume', doc);
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary!.replaced).toEqual([`${CONTAINER}.${SONARR}`]);
      expect(allOutput(run)).toMatch(/~ volume\s+= "\/tank\/media" -> "\/tank\/other" # forces replacement/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails when terraform apply is run against the stand-in without the fake-apply switch',
    async () => {
      // A stray `terraform apply` in a stand-in directory must not pretend to have changed Proxmox.
      const work = path.join(tmp, 'no-fake');
      prepareWorkDir(writeStack(path.join(tmp, 'no-fake-src'), 'stack', fixture('valid-lab')), work, path.join(work, 'terraform.tfstate'));
      expect((await tf.init(work)).code).toBe(0);
      const apply = await tf.run(work, ['apply', '-auto-approve', '-input=false']);
      expect(apply.code).not.toBe(0);
      expect(apply.output).toContain('Error: The bpg/proxmox stand-in does not apply');
    },
    TEST_TIMEOUT_MS,
  );
});
