import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listStacks, runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { allOutput, makeTempDir, standin, TEST_TIMEOUT_MS } from './harness';

const STACKS_DIR = path.join(REPO_ROOT, 'synth-out', 'stacks');
const stacks = listStacks(STACKS_DIR);
const SKIP_REASON = `no synthesized stacks in ${STACKS_DIR} yet (run \`npm run synth\`)`;

// The reference lab is produced by the synth pipeline; until it exists there is nothing to check.
describe.skipIf(stacks.length === 0)(stacks.length === 0 ? `reference lab stacks — skipped: ${SKIP_REASON}` : 'reference lab stacks', () => {
  let tmp: string;
  let tf: StandinTerraform;

  beforeAll(() => {
    tmp = makeTempDir('tf-reference');
    tf = standin(path.join(tmp, 'standin'));
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(stacks.map((d) => [path.basename(d), d]))(
    '%s passes terraform validate and plan with nothing to destroy',
    async (_name, dir) => {
      const run = await runStack(tf, dir);
      expect(run.failedPhase, allOutput(run)).toBeUndefined();
      expect(run.summary!.destroy).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
