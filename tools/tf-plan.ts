/**
 * `npm run plan`: what an apply of the current synth-out would do, compared with the state recorded by
 * the last `npm run plan -- --apply` (a fake apply through the offline stand-in — nothing is sent to
 * Proxmox). Review infra changes, above all destroys of stateful containers, before the real apply.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as os from 'node:os';
import {
  formatSummary,
  releasePreventDestroy,
  runStack,
  STATE_ROOT,
  StandinTerraform,
} from './tf-standin/terraform-runner';
import { setUpStandinCli } from './tf-standin/cli-setup';
import { nodeChangeHint } from '../lib/output-diff';

/** Exit code when a stateful container would be destroyed or replaced (the plan itself worked or was stopped). */
export const EXIT_STATEFUL_DESTROY = 3;

interface StatefulResource {
  readonly address: string;
  readonly constructPath: string;
  readonly preventDestroy: boolean;
}

/**
 * Stateful resources of a stack: those synth marked `"//": { "homelab": { "stateful": true } }`
 * (LxcContainer with backup) or that carry lifecycle.prevent_destroy.
 */
export function statefulResources(stackDir: string): Map<string, StatefulResource> {
  const doc = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as {
    resource?: Record<string, Record<string, { '//'?: { homelab?: { stateful?: boolean }; metadata?: { path?: string } }; lifecycle?: { prevent_destroy?: boolean } }>>;
  };
  const out = new Map<string, StatefulResource>();
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const preventDestroy = body.lifecycle?.prevent_destroy === true;
      if (!preventDestroy && body['//']?.homelab?.stateful !== true) continue;
      const address = `${type}.${name}`;
      out.set(address, { address, constructPath: body['//']?.metadata?.path?.replace(/\/Resource$/, '') ?? name, preventDestroy });
    }
  }
  return out;
}

type PlanChanges = { resource_changes?: { address: string; change: { actions: string[]; replace_paths?: (string | number)[][] } }[] };

/** `mount_point[0].size` from terraform's replace_paths (`["mount_point", 0, "size"]`). */
function formatPath(p: (string | number)[]): string {
  return p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i === 0 ? x : `.${x}`)).join('');
}

/** What forces each destroy/replacement in a plan: address → reasons. */
function destroyReasons(plan: unknown): Map<string, { replace: boolean; reasons: string[] }> {
  const out = new Map<string, { replace: boolean; reasons: string[] }>();
  for (const rc of (plan as PlanChanges).resource_changes ?? []) {
    if (!rc.change.actions.includes('delete')) continue;
    out.set(rc.address, { replace: rc.change.actions.includes('create'), reasons: (rc.change.replace_paths ?? []).map(formatPath) });
  }
  return out;
}

/** The banner `npm run plan` prints for every stateful resource a plan would destroy or replace. */
export function statefulBanner(
  stack: string,
  hits: { resource: StatefulResource; replace: boolean; reasons: string[] }[],
  stoppedByPreventDestroy: boolean,
): string {
  const bar = '!'.repeat(100);
  const lines = [bar, `!!! ${stack}: ${hits.length} STATEFUL CONTAINER${hits.length === 1 ? '' : 'S'} WOULD BE DESTROYED — ${hits.length === 1 ? 'ITS' : 'THEIR'} VOLUMES AND DATA GO WITH ${hits.length === 1 ? 'IT' : 'THEM'}`];
  for (const h of hits) {
    const why = h.reasons.length ? ` — forced by ${h.reasons.join(', ')}` : '';
    lines.push(`!!!   ${h.replace ? 'REPLACE' : 'DESTROY'} ${h.resource.constructPath} (${h.resource.address})${why}`);
    lines.push(
      h.resource.preventDestroy
        ? '!!!     lifecycle.prevent_destroy stopped this plan; `terraform apply` stops the same way.'
        : '!!!     preventDestroy is OFF for it (opted out): `terraform apply` WILL destroy it.',
    );
  }
  const nodeHint = nodeChangeHint(hits.flatMap((h) => h.reasons));
  for (const line of nodeHint ?? []) lines.push(`!!!   ${line}`);
  if (hits.some((h) => h.reasons.some((r) => r.startsWith('mount_point')))) {
    lines.push('!!!   A mount_point change (size, volume, added or removed) recreates the container in bpg/proxmox 0.111.1.');
    lines.push('!!!   To grow a volume without losing it: docs/proxmox-preflight.md, "Growing a volume".');
  }
  if (stoppedByPreventDestroy) lines.push('!!!   Revert the change, or opt out (overrides: { <service>: { preventDestroy: false } }) after taking a backup.');
  lines.push(bar);
  return lines.join('\n');
}

/**
 * Plans a copy of the stack with prevent_destroy lifted (in a throw-away copy, against a copy of the
 * state) to learn what terraform refused to destroy and why. Nothing is recorded.
 */
async function planWithoutGuard(tf: StandinTerraform, stackDir: string, statePath: string, hadState: boolean, existing?: string): Promise<unknown> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-plan-unguarded-'));
  try {
    const copy = path.join(tmp, path.basename(stackDir));
    fs.cpSync(stackDir, copy, { recursive: true, filter: (src) => !/(^|\/)(\.terraform|terraform\.tfstate.*)$/.test(src) });
    releasePreventDestroy(stackDir, copy);
    const stateCopy = path.join(tmp, 'state', 'terraform.tfstate');
    fs.mkdirSync(path.dirname(stateCopy), { recursive: true });
    if (hadState) fs.copyFileSync(statePath, stateCopy);
    const run = await runStack(tf, copy, { statePath: stateCopy, skipValidate: true, ...(existing ? { existing } : {}) });
    return run.planJson;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

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
    const guarded = run.failedPhase === 'plan' && run.results.some((r) => /Instance cannot be destroyed/.test(r.output));
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
