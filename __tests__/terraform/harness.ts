/**
 * Shared setup for the tests that run the real terraform against the bpg/proxmox stand-in.
 * Every test works in its own temp directory, removed afterwards; the runner bounds each terraform
 * command and stops only the process it started.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StandinTerraform } from '../../tools/tf-standin/terraform-runner';

export const FIXTURES = path.resolve(__dirname, '..', 'fixtures', 'terraform');

/** Per terraform command in tests: far above the ~1–2 s measured, far below vitest's own timeout. */
export const COMMAND_TIMEOUT_MS = 60_000;

/** Per test: a few terraform commands, each bounded by COMMAND_TIMEOUT_MS. */
export const TEST_TIMEOUT_MS = 240_000;

export type StackJson = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  moved?: unknown[];
  [key: string]: unknown;
};

export function fixture(name: string): StackJson {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, name, 'cdk.tf.json'), 'utf8')) as StackJson;
}

export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `homelab-${prefix}-`));
}

/** Writes `doc` as `<root>/<name>/cdk.tf.json` and returns the stack directory. */
export function writeStack(root: string, name: string, doc: unknown): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), `${JSON.stringify(doc, null, 2)}\n`);
  return dir;
}

export function standin(workRoot: string, schemaPath?: string): StandinTerraform {
  return StandinTerraform.create({ workRoot, schemaPath, timeoutMs: COMMAND_TIMEOUT_MS });
}

/** All output of a stack run, for assertions on terraform's own wording. */
export function allOutput(run: { results: { output: string }[] }): string {
  return run.results.map((r) => r.output).join('\n');
}

export const CONTAINER = 'proxmox_virtual_environment_container';
export const SONARR = 'media_sonarr_Resource_0F3E2D1C';
