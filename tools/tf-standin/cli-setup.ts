import * as path from 'node:path';
import { listStacks, StandinSchemaError, StandinTerraform, TerraformMissingError, TMP_DIR } from './terraform-runner';
import { REPO_ROOT } from './schema';

/** Options both `tf:check` and `plan` take to find stacks and start terraform with the stand-in. */
export interface StandinCliOptions {
  readonly 'stacks-dir'?: string;
  readonly stack?: string[];
  readonly schema?: string;
  readonly terraform?: string;
}

/**
 * The stacks to work on and a terraform wired to the stand-in, or a message (already printed,
 * prefixed with the command's name) and exit code 1 when either cannot be had.
 */
export function setUpStandinCli(command: string, values: StandinCliOptions): { stacksDir: string; stacks: string[]; tf: StandinTerraform } | { exitCode: 1 } {
  const fail = (message: string): { exitCode: 1 } => {
    process.stderr.write(`${command}: ${message}\n`);
    return { exitCode: 1 };
  };
  const stacksDir = path.resolve(values['stacks-dir'] ?? path.join(REPO_ROOT, 'synth-out', 'stacks'));
  let stacks = listStacks(stacksDir);
  if (values.stack) {
    const missing = values.stack.filter((s) => !stacks.some((d) => path.basename(d) === s));
    if (missing.length > 0) return fail(`no stack ${missing.join(', ')} in ${stacksDir}`);
    stacks = stacks.filter((d) => values.stack!.includes(path.basename(d)));
  }
  if (stacks.length === 0) return fail(`no stacks in ${stacksDir} (directories holding cdk.tf.json) — run \`npm run synth\` first`);
  try {
    const tf = StandinTerraform.create({
      workRoot: path.join(TMP_DIR, 'tf-standin'),
      schemaPath: values.schema,
      terraformBin: values.terraform,
      color: process.stdout.isTTY === true,
    });
    return { stacksDir, stacks, tf };
  } catch (err) {
    if (err instanceof TerraformMissingError || err instanceof StandinSchemaError) return fail(err.message);
    throw err;
  }
}
