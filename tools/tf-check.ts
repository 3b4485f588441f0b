/**
 * `npm run tf:check`: the real terraform init/validate/plan of every synthesized stack, offline, against
 * the bpg/proxmox stand-in (tools/tf-standin). Catches what only terraform knows — unknown or mistyped
 * arguments, missing required ones, too many blocks, broken references — before anyone touches Proxmox.
 */
import { parseArgs } from 'node:util';
import {
  formatSummary,
  runStack,
  StackRun,
} from './tf-standin/terraform-runner';
import { setUpStandinCli } from './tf-standin/cli-setup';

const USAGE = `usage: npm run tf:check [-- options]
  --stacks-dir DIR   directory of cdktf stacks (default: synth-out/stacks)
  --stack NAME       check only this stack (repeatable)
  --schema FILE      provider schema to serve (default: .gen/bpg-proxmox-0.111.1.subset.schema.json,
                     or $HOMELAB_TF_STANDIN_SCHEMA); e.g. ../shared/reference/bpg-proxmox-0.111.1.schema.json
  --terraform PATH   terraform binary (default: $TERRAFORM_BIN, then PATH)
  --verbose          print every terraform command's output, not only diagnostics
  --keep             keep the per-stack working copies (their paths are printed)
  --existing FILE    existing objects for the stacks' import blocks (adopted containers; docs/terraform-standin.md)`;

function printRun(run: StackRun, verbose: boolean): void {
  for (const r of run.results) {
    const failed = r.code !== 0;
    // Validate's output is exactly terraform's diagnostics; plan/init output is long and only matters
    // when it failed or when asked for.
    const show = verbose || failed || (r.command.startsWith('terraform validate') && /Warning:/.test(r.output));
    if (!show || r.command.startsWith('terraform show')) continue;
    process.stdout.write(`--- ${run.stack}: ${r.command}\n${r.output.trimEnd()}\n`);
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'stacks-dir': { type: 'string' },
      stack: { type: 'string', multiple: true },
      schema: { type: 'string' },
      terraform: { type: 'string' },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
      existing: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const setup = setUpStandinCli('tf:check', values);
  if ('exitCode' in setup) return setup.exitCode;
  const { stacks, tf } = setup;

  const lines: string[] = [];
  let failed = 0;
  for (const stackDir of stacks) {
    const run = await runStack(tf, stackDir, { keepWorkDir: values.keep, ...(values.existing ? { existing: values.existing } : {}) });
    printRun(run, values.verbose);
    if (values.keep) process.stdout.write(`${run.stack}: working copy kept in ${run.workDir}\n`);
    if (run.ok && run.summary) {
      lines.push(formatSummary(run.stack, run.summary));
    } else {
      failed++;
      const why = run.error ?? `terraform ${run.failedPhase} failed (its output is above)`;
      lines.push(`${run.stack}: FAILED — ${why}`);
    }
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  process.stdout.write(`tf:check: ${stacks.length - failed} of ${stacks.length} stacks passed init, validate and plan\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`tf:check: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
