/**
 * `npm run plan`: what an apply of the current synth-out would do, compared with the state recorded by
 * the last `npm run plan -- --apply` (a fake apply through the offline stand-in — nothing is sent to
 * Proxmox). Review infra changes, above all destroys of stateful containers, before the real apply.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { formatSummary, runStack, STATE_ROOT } from './tf-standin/terraform-runner';
import { setUpStandinCli } from './tf-standin/cli-setup';
import { destroyReasons, EXIT_STATEFUL_DESTROY, planWithoutGuard, statefulBanner, statefulResources, stoppedByPreventDestroy } from './tf-standin/plan-review';


const USAGE = `usage: npm run plan [-- options]
  --apply            fake-apply the plan and record the resulting state (offline; nothing reaches Proxmox)
  --stacks-dir DIR   directory of cdktf stacks (default: synth-out/stacks)
  --stack NAME       only this stack (repeatable)
  --state-dir DIR    where recorded states live (default: .tmp/tf-state; one <stack>/terraform.tfstate each)
  --schema FILE      provider schema to serve (default: the repo's subset schema, or $HOMELAB_TF_STANDIN_SCHEMA)
  --terraform PATH   terraform binary (default: $TERRAFORM_BIN, then PATH)
  --existing FILE    existing objects for the stacks' import blocks (adopted containers; docs/terraform-standin.md)
exit codes: 0 ok, 1 a stack failed, ${EXIT_STATEFUL_DESTROY} a stateful container would be destroyed or replaced`;

function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      apply: { type: 'boolean', default: false },
      'stacks-dir': { type: 'string' },
      stack: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      schema: { type: 'string' },
      terraform: { type: 'string' },
      existing: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const stateRoot = path.resolve(values['state-dir'] ?? STATE_ROOT);
  const setup = setUpStandinCli('plan', values);
  if ('exitCode' in setup) return setup.exitCode;
  const { stacks, tf } = setup;

  const summaries: string[] = [];
  const banners: string[] = [];
  let failed = 0;
  for (const stackDir of stacks) {
    const stack = path.basename(stackDir);
    const statePath = path.join(stateRoot, stack, 'terraform.tfstate');
    const hadState = fs.existsSync(statePath);
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    const stateful = statefulResources(stackDir);
    const run = await runStack(tf, stackDir, { statePath, apply: values.apply, skipValidate: true, ...(values.existing ? { existing: values.existing } : {}) });
    for (const r of run.results) {
      if (r.command.startsWith('terraform show')) continue;
      if (r.command.startsWith('terraform init') && r.code === 0) continue;
      process.stdout.write(`--- ${stack}: ${r.command}\n${r.output.trimEnd()}\n`);
    }
    // terraform refuses a plan that destroys a prevent_destroy resource ("Instance cannot be destroyed"):
    // find out which ones and why, and say so louder than terraform does.
    const guarded = stoppedByPreventDestroy(run);
    const plan = guarded ? await planWithoutGuard(tf, stackDir, statePath, hadState, values.existing) : run.planJson;
    const hits = [...destroyReasons(plan).entries()]
      .filter(([address]) => stateful.has(address))
      .map(([address, d]) => ({ resource: stateful.get(address)!, ...d }));
    if (hits.length) {
      const banner = statefulBanner(stack, hits, guarded);
      process.stdout.write(`${banner}\n`);
      banners.push(banner);
    }
    if (!run.ok || !run.summary) {
      failed++;
      summaries.push(`${stack}: FAILED — ${run.error ?? `terraform ${run.failedPhase} failed (its output is above)`}`);
      continue;
    }
    const s = run.summary;
    const notes: string[] = [];
    if (!hadState && !values.apply) notes.push('no recorded state yet: everything is new (record one with `npm run plan -- --apply`)');
    for (const a of s.replaced) notes.push(`REPLACE ${a} (destroyed and recreated: its disks and data go with it)`);
    for (const a of s.deleted) notes.push(`DESTROY ${a}`);
    for (const m of s.moved) notes.push(`moved ${m}`);
    if (values.apply) notes.push(`fake apply recorded in ${displayPath(statePath)} (nothing was sent to Proxmox)`);
    summaries.push([formatSummary(stack, s), ...notes.map((n) => `  ${n}`)].join('\n'));
  }

  // States of stacks that are no longer synthesized: their resources would be orphaned, not destroyed.
  if (fs.existsSync(stateRoot)) {
    const live = new Set(stacks.map((d) => path.basename(d)));
    for (const dir of fs.readdirSync(stateRoot).sort()) {
      if (!live.has(dir) && !values.stack && fs.existsSync(path.join(stateRoot, dir, 'terraform.tfstate'))) {
        summaries.push(`${dir}: has a recorded state but is no longer synthesized — its resources would be left unmanaged`);
      }
    }
  }

  process.stdout.write(`\n${summaries.join('\n')}\n`);
  // Repeated last, where nobody scrolls past it.
  if (banners.length) {
    process.stdout.write(`\n${banners.join('\n')}\n`);
    return EXIT_STATEFUL_DESTROY;
  }
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`plan: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(2);
  },
);
