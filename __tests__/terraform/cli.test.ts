import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { COMMAND_TIMEOUT_MS, fixture, makeTempDir, TEST_TIMEOUT_MS, writeStack } from './harness';

interface CliResult {
  code: number | null;
  out: string;
}

/** Runs `node --import tsx tools/<script>` like npm does; stopped (only it) if it outlives the bound. */
function runCli(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join('tools', script), ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

describe('npm run tf:check', () => {
  let tmp: string;
  let stacks: string;

  beforeAll(() => {
    tmp = makeTempDir('tf-cli');
    stacks = path.join(tmp, 'stacks');
    writeStack(stacks, 'media', fixture('valid-lab'));
    writeStack(stacks, 'broken', fixture('wrong-type'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'fails when a stack does not validate, naming the stack and showing terraform\'s diagnostic',
    async () => {
      const res = await runCli('tf-check.ts', ['--stacks-dir', stacks]);
      expect(res.code).toBe(1);
      expect(res.out).toContain('--- broken: terraform validate');
      expect(res.out).toContain('Inappropriate value for attribute "cores": a number is required.');
      expect(res.out).toContain('broken: FAILED — terraform validate failed');
      expect(res.out).toContain('media: 2 to add, 0 to change, 0 to destroy');
      expect(res.out).toContain('tf:check: 1 of 2 stacks passed init, validate and plan');
    },
    TEST_TIMEOUT_MS,
  );

  it('fails with a plain message when terraform is missing', async () => {
    const res = await runCli('tf-check.ts', ['--stacks-dir', stacks], { ...process.env, PATH: '/nonexistent', TERRAFORM_BIN: '' });
    expect(res.code).toBe(1);
    expect(res.out).toContain('tf:check: terraform is not installed (no `terraform` on PATH)');
  }, TEST_TIMEOUT_MS);

  it('fails with a plain message when the schema is for another provider version', async () => {
    const doc = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, '.gen', 'bpg-proxmox-0.111.1.subset.schema.json'), 'utf8'));
    doc.provider_versions['registry.terraform.io/bpg/proxmox'] = '0.100.0';
    const schema = path.join(tmp, 'schema-0.100.0.json');
    fs.writeFileSync(schema, JSON.stringify(doc));
    const res = await runCli('tf-check.ts', ['--stacks-dir', stacks, '--schema', schema]);
    expect(res.code).toBe(1);
    expect(res.out).toContain('is for registry.terraform.io/bpg/proxmox 0.100.0, but the stand-in serves 0.111.1');
  }, TEST_TIMEOUT_MS);

  it('fails when there are no stacks to check', async () => {
    const res = await runCli('tf-check.ts', ['--stacks-dir', path.join(tmp, 'empty')]);
    expect(res.code).toBe(1);
    expect(res.out).toMatch(/no stacks in .*empty .* run `npm run synth` first/);
  }, TEST_TIMEOUT_MS);
});

describe('npm run plan', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = makeTempDir('tf-plan-cli');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'records a fake state with --apply, then reviews a change against it',
    async () => {
      const stacks = path.join(tmp, 'stacks');
      const states = path.join(tmp, 'states');
      writeStack(stacks, 'media', fixture('valid-lab'));
      const first = await runCli('tf-plan.ts', ['--stacks-dir', stacks, '--state-dir', states, '--apply']);
      expect(first.code, first.out).toBe(0);
      expect(first.out).toContain('Apply complete! Resources: 2 added, 0 changed, 0 destroyed.');
      expect(fs.existsSync(path.join(states, 'media', 'terraform.tfstate'))).toBe(true);

      const doc = fixture('valid-lab');
      doc.resource.proxmox_virtual_environment_container!.media_sonarr_Resource_0F3E2D1C!.unprivileged = false;
      writeStack(stacks, 'media', doc);
      const second = await runCli('tf-plan.ts', ['--stacks-dir', stacks, '--state-dir', states]);
      expect(second.code, second.out).toBe(0);
      expect(second.out).toContain('media: 1 to add, 0 to change, 1 to destroy');
      expect(second.out).toContain('REPLACE proxmox_virtual_environment_container.media_sonarr_Resource_0F3E2D1C');
    },
    TEST_TIMEOUT_MS,
  );
});
