/**
 * Twin mode through the real terraform: `terraform apply` / `destroy` against the stand-in drive a
 * twin backend — here a recording one (twin-recording-backend.ts), loaded in the plugin process via
 * HOMELAB_TF_STANDIN_TWIN_MODULE — the way the twin orchestrator drives the real LXC backend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TWIN_MODULE_ENV } from '../../tools/tf-standin/provider';
import { prepareWorkDir, StandinTerraform, TwinCommandOptions } from '../../tools/tf-standin/terraform-runner';
import { CONTAINER, fixture, makeTempDir, SONARR, standin, StackJson, TEST_TIMEOUT_MS, writeStack } from './harness';
import { readCalls, RecordingTwinConfig } from './twin-recording-backend';

const RECORDING_BACKEND = path.join(__dirname, 'twin-recording-backend.ts');

describe('twin mode with the real terraform', () => {
  let tmp: string;
  let tf: StandinTerraform;

  beforeAll(() => {
    tmp = makeTempDir('tf-twin');
    tf = standin(path.join(tmp, 'standin'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A working copy of `doc` with its own state and twin.json; returns the dir, the twin options and the call log. */
  async function twinStack(name: string, doc: StackJson, extra: Partial<RecordingTwinConfig> = {}) {
    const work = path.join(tmp, name, 'work');
    prepareWorkDir(writeStack(path.join(tmp, name), 'src', doc), work, path.join(tmp, name, 'terraform.tfstate'));
    const log = path.join(tmp, name, 'calls.jsonl');
    const twinConfig = path.join(tmp, name, 'twin.json');
    fs.writeFileSync(twinConfig, JSON.stringify({ log, ...extra }));
    const init = await tf.init(work);
    expect(init.code, init.output).toBe(0);
    const o: TwinCommandOptions = { twinConfig, parallelism: 2, env: { [TWIN_MODULE_ENV]: RECORDING_BACKEND } };
    const rewrite = (d: StackJson) => fs.writeFileSync(path.join(work, 'cdk.tf.json'), `${JSON.stringify(d, null, 2)}\n`);
    return { work, o, log, rewrite };
  }

  it(
    'apply creates, a replace-forcing change destroys then creates, an in-place change updates, destroy destroys',
    async () => {
      const { work, o, log, rewrite } = await twinStack('lifecycle', fixture('valid-lab'));

      // apply → create, with the device the twin only records reported as a warning
      const applied = await tf.twinApply(work, o);
      expect(applied.code, applied.output).toBe(0);
      expect(applied.output).toContain('Warning: twin: device /dev/dri/renderD128 skipped — recorded, not created');
      expect(readCalls(log)).toEqual([
        {
          op: 'create',
          spec: expect.objectContaining({ vmId: 131, hostname: 'sonarr', unprivileged: true, memoryMiB: 2048, cores: 2, sshKeys: [expect.stringMatching(/^ssh-ed25519 /)] }),
        },
      ]);

      // the plan right after shows nothing to do
      const planned = await tf.twinPlan(work, o);
      expect(planned.result.code, planned.result.output).toBe(0);
      expect(planned.changes).toBe(false);
      expect(planned.summary).toMatchObject({ add: 0, change: 0, destroy: 0 });

      // unprivileged forces replacement: destroy the old container, then create the new one
      const privileged = fixture('valid-lab');
      privileged.resource[CONTAINER]![SONARR]!.unprivileged = false;
      rewrite(privileged);
      const replacePlan = await tf.twinPlan(work, o);
      expect(replacePlan.changes).toBe(true);
      expect(replacePlan.summary).toMatchObject({ add: 1, change: 0, destroy: 1, replaced: [`${CONTAINER}.${SONARR}`] });
      const replaced = await tf.twinApply(work, o);
      expect(replaced.code, replaced.output).toBe(0);
      expect(readCalls(log).slice(1)).toEqual([
        { op: 'destroy', vmId: 131 },
        { op: 'create', spec: expect.objectContaining({ vmId: 131, unprivileged: false }) },
      ]);

      // cores change in place
      const moreCores = structuredClone(privileged);
      (moreCores.resource[CONTAINER]![SONARR]!.cpu as { cores: number }[])[0]!.cores = 4;
      rewrite(moreCores);
      const updated = await tf.twinApply(work, o);
      expect(updated.code, updated.output).toBe(0);
      expect(readCalls(log).slice(3)).toEqual([{ op: 'update', prior: expect.objectContaining({ cores: 2 }), next: expect.objectContaining({ cores: 4, vmId: 131 }) }]);

      // terraform destroy → the container goes
      const destroyed = await tf.twinDestroy(work, o);
      expect(destroyed.code, destroyed.output).toBe(0);
      expect(readCalls(log).slice(4)).toEqual([{ op: 'destroy', vmId: 131 }]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails the apply with the container named when the backend fails, and creates nothing in state',
    async () => {
      const { work, o, log } = await twinStack('failing', fixture('valid-lab'), { failCreate: ['sonarr'] });
      const applied = await tf.twinApply(work, o);
      expect(applied.code).not.toBe(0);
      expect(applied.output).toContain('Error: twin: create of container sonarr (vm_id 131) failed: lxc-start: container 131 failed to start');
      expect(readCalls(log)).toEqual([]);
      // the download was fake-applied, the container was not recorded: the next plan creates it again
      const planned = await tf.twinPlan(work, o);
      expect(planned.summary, planned.result.output).toMatchObject({ add: 1, change: 0, destroy: 0, created: [`${CONTAINER}.${SONARR}`] });
    },
    TEST_TIMEOUT_MS,
  );
});
