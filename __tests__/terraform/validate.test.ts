import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareWorkDir, runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { allOutput, CONTAINER, fixture, FIXTURES, makeTempDir, SONARR, standin, TEST_TIMEOUT_MS, writeStack } from './harness';

const FULL_SCHEMA = path.resolve(REPO_ROOT, '..', 'shared', 'reference', 'bpg-proxmox-0.111.1.schema.json');

describe('terraform validate and plan against the stand-in', () => {
  let tmp: string;
  let tf: StandinTerraform;

  beforeAll(() => {
    tmp = makeTempDir('tf-validate');
    tf = standin(path.join(tmp, 'standin'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'passes validate and plans every resource as new for a valid lab stack',
    async () => {
      // GIVEN a stack with a container using every field our constructs emit, and a template download
      // WHEN terraform runs init, validate and plan
      const run = await runStack(tf, path.join(FIXTURES, 'valid-lab'));
      // THEN all three succeed and the plan only adds
      expect(run.failedPhase, allOutput(run)).toBeUndefined();
      expect(run.ok).toBe(true);
      expect(run.summary).toMatchObject({ add: 2, change: 0, destroy: 0 });
      const plan = run.results.find((r) => r.command.startsWith('terraform plan'))!.output;
      expect(plan).toContain('Plan: 2 to add, 0 to change, 0 to destroy.');
      // computed attributes are left to the (fake) apply
      expect(plan).toMatch(/\+ id\s+= \(known after apply\)/);
      expect(plan).toMatch(/\+ mac_address\s+= \(known after apply\)/);
      // the provider block's token came from a variable without default: a placeholder, never a real one
      expect(JSON.stringify(run.planJson)).toContain('"proxmox_api_token":{"value":"standin-placeholder"}');
    },
    TEST_TIMEOUT_MS,
  );

  const rejected: Array<[string, RegExp[]]> = [
    ['unknown-attribute', [/Error: Extraneous JSON object property/, /No argument or block type is named "hostname"\./]],
    ['wrong-type', [/Error: Incorrect attribute value type/, /Inappropriate value for attribute "cores": a number is required\./]],
    ['missing-required', [/Error: Missing required argument/, /The argument "node_name" is required, but no definition was found\./]],
    ['too-many-blocks', [/Error: Too many memory blocks/, /No more than 1 "memory" blocks are allowed/]],
  ];

  it.each(rejected)(
    'fails when the stack has a mistake terraform itself catches: %s',
    async (name, messages) => {
      const run = await runStack(tf, path.join(FIXTURES, name));
      expect(run.ok).toBe(false);
      expect(run.failedPhase).toBe('validate');
      const out = allOutput(run);
      for (const m of messages) expect(out).toMatch(m);
      // terraform points at the synthesized file, whose lines the copy keeps
      expect(out).toMatch(/on cdk\.tf\.json line \d+, in resource\.proxmox_virtual_environment_container\.media_sonarr_Resource_0F3E2D1C/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'warns about a deprecated attribute set in the config',
    async () => {
      // GIVEN the valid stack with the deprecated `timeout_start` set
      const doc = fixture('valid-lab');
      doc.resource[CONTAINER]![SONARR]!.timeout_start = 300;
      const dir = writeStack(tmp, 'deprecated', doc);
      // WHEN validated
      const run = await runStack(tf, dir);
      // THEN it passes, with the warning the provider gives, on the right attribute
      expect(run.ok, allOutput(run)).toBe(true);
      const validate = run.results.find((r) => r.command.startsWith('terraform validate'))!.output;
      expect(validate).toContain('Warning: Argument is deprecated');
      expect(validate).toContain('"timeout_start": 300');
      // terraform wraps the detail text at its terminal width
      expect(validate.replace(/\s+/g, ' ')).toContain(
        '"timeout_start" is marked deprecated in the registry.terraform.io/bpg/proxmox 0.111.1 schema. Its description: "Start container timeout"',
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'serves plain gRPC when terraform runs with TF_DISABLE_PLUGIN_TLS=1',
    async () => {
      const work = path.join(tmp, 'no-tls');
      prepareWorkDir(path.join(FIXTURES, 'valid-lab'), work, path.join(work, 'terraform.tfstate'));
      expect((await tf.init(work)).code).toBe(0);
      const res = await tf.run(work, ['validate'], { TF_DISABLE_PLUGIN_TLS: '1' });
      expect(res.output).toContain('Success! The configuration is valid.');
      expect(res.code).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it.skipIf(!fs.existsSync(FULL_SCHEMA))(
    'passes the valid stack with the full reference schema too',
    async () => {
      const full = standin(path.join(tmp, 'standin-full'), FULL_SCHEMA);
      const run = await runStack(full, path.join(FIXTURES, 'valid-lab'));
      expect(run.ok, allOutput(run)).toBe(true);
      expect(run.summary).toMatchObject({ add: 2, change: 0, destroy: 0 });
    },
    TEST_TIMEOUT_MS,
  );
});
