import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ResourceChange } from '../lib/output-diff';
import { formatPath, PlanChanges, planWithoutGuard, stoppedByPreventDestroy } from '../tools/tf-standin/plan-review';
import { listStacks, runStack, StandinSchemaError, StandinTerraform, TerraformMissingError, TMP_DIR } from '../tools/tf-standin/terraform-runner';

/**
 * `homelab-cdk diff`'s Terraform half through terraform itself: for every stack whose cdk.tf.json
 * changed, the previous output's stack is fake-applied into a throw-away state with the offline
 * stand-in (tools/tf-standin: nothing reaches Proxmox), then the new stack is planned against that
 * state. So "replace" means what terraform and the provider schema say forces a new resource (as
 * `npm run plan` shows it), not the resource diff's rule table. A plan that terraform stops on
 * lifecycle.prevent_destroy is planned again without the guard, in a copy, to name what it refused.
 *
 * New stacks are planned against an empty state; stacks that are gone, and any stack whose plan
 * fails, keep the resource-level diff (with a note saying so).
 */
export interface PlannedTerraform {
  readonly source: 'plan' | 'resource-diff';
  readonly changes: readonly ResourceChange[];
  /** Why the resource diff was used, in whole or for some stacks. */
  readonly notes: readonly string[];
}

type Body = { '//'?: { homelab?: { stateful?: boolean }; metadata?: { path?: string } }; lifecycle?: { prevent_destroy?: boolean } };

/** address → construct path and statefulness, from a stack's cdk.tf.json (as the resource diff reads them). */
function resourceInfo(stackDir: string | undefined): Map<string, { constructPath: string; stateful: boolean }> {
  const out = new Map<string, { constructPath: string; stateful: boolean }>();
  if (!stackDir) return out;
  const doc = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as { resource?: Record<string, Record<string, Body>> };
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) {
      const address = `${type}.${name}`;
      out.set(address, {
        constructPath: body['//']?.metadata?.path?.replace(/\/Resource$/, '') ?? address,
        stateful: body['//']?.homelab?.stateful === true || body.lifecycle?.prevent_destroy === true,
      });
    }
  }
  return out;
}

type PlanResourceChange = NonNullable<PlanChanges['resource_changes']>[number] & {
  mode?: string;
  change: { before?: Record<string, unknown> | null; after?: Record<string, unknown> | null };
};

/** terraform's resource_changes as the diff's ResourceChange rows (managed resources with an action). */
export function changesFromPlan(
  stack: string,
  plan: unknown,
  before: ReadonlyMap<string, { constructPath: string; stateful: boolean }>,
  after: ReadonlyMap<string, { constructPath: string; stateful: boolean }>,
): ResourceChange[] {
  const out: ResourceChange[] = [];
  for (const rc of ((plan as PlanChanges).resource_changes ?? []) as PlanResourceChange[]) {
    if (rc.mode !== undefined && rc.mode !== 'managed') continue;
    const actions = rc.change.actions;
    const kind = actions.includes('delete') && actions.includes('create') ? 'replace'
      : actions.includes('delete') ? 'remove'
        : actions.includes('create') ? 'add'
          : actions.includes('update') ? 'change' : undefined;
    if (!kind) continue;
    const info = after.get(rc.address) ?? before.get(rc.address) ?? { constructPath: rc.address, stateful: false };
    const stateful = (before.get(rc.address)?.stateful ?? false) || (after.get(rc.address)?.stateful ?? false);
    const b = rc.change.before ?? {};
    const a = rc.change.after ?? {};
    const attributes = kind === 'change' || kind === 'replace'
      ? [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]) && a[k] !== undefined).sort()
      : [];
    const forcedBy = kind === 'replace' ? [...new Set((rc.change.replace_paths ?? []).map(formatPath).map((p) => p.replace(/\[\d+\]/g, '[*]')))] : [];
    out.push({ stack, address: rc.address, kind, constructPath: info.constructPath, stateful, attributes, forcedBy });
  }
  return out.sort((x, y) => x.address.localeCompare(y.address));
}

/** Plans one changed stack; a string says why it could not be planned. */
async function planStack(tf: StandinTerraform, stack: string, beforeDir: string | undefined, afterDir: string): Promise<ResourceChange[] | string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `homelab-cdk-diff-plan-${stack}-`));
  try {
    const statePath = path.join(tmp, 'state', 'terraform.tfstate');
    fs.mkdirSync(path.dirname(statePath), { recursive: true });
    if (beforeDir) {
      const baseline = await runStack(tf, beforeDir, { statePath, apply: true, skipValidate: true });
      if (!baseline.ok) return `the previous output of ${stack} did not fake-apply (terraform ${baseline.failedPhase}${baseline.error ? `: ${baseline.error}` : ''})`;
    }
    const run = await runStack(tf, afterDir, { statePath, skipValidate: true });
    let plan = run.planJson;
    if (stoppedByPreventDestroy(run)) plan = await planWithoutGuard(tf, afterDir, statePath, !!beforeDir);
    else if (!run.ok) {
      const last = run.results[run.results.length - 1]?.output.trim().split('\n').slice(-3).join(' ');
      return `terraform ${run.failedPhase} of ${stack} failed${run.error ? `: ${run.error}` : last ? `: ${last}` : ''}`;
    }
    return changesFromPlan(stack, plan, resourceInfo(beforeDir), resourceInfo(afterDir));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The Terraform changes from `beforeOut` to `afterOut` (output folders; `beforeOut` may not exist)
 * through terraform + the stand-in; `resourceDiff` gives the fallback rows of a stack, or of all
 * when terraform is not there.
 */
export async function planTerraformChanges(
  beforeOut: string,
  afterOut: string,
  resourceDiff: readonly ResourceChange[],
  opts: { readonly terraformBin?: string } = {},
): Promise<PlannedTerraform> {
  let tf: StandinTerraform;
  try {
    tf = StandinTerraform.create({ workRoot: path.join(TMP_DIR, 'tf-standin'), terraformBin: opts.terraformBin });
  } catch (e) {
    if (e instanceof TerraformMissingError || e instanceof StandinSchemaError) {
      return { source: 'resource-diff', changes: resourceDiff, notes: [`resource-level diff: ${e.message}`] };
    }
    throw e;
  }
  const byName = (dir: string) => new Map(listStacks(path.join(dir, 'stacks')).map((d) => [path.basename(d), d]));
  const before = byName(beforeOut);
  const after = byName(afterOut);
  const read = (dir: string | undefined) => (dir ? fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8') : undefined);
  const stacks = [...new Set([...before.keys(), ...after.keys()])].sort();
  const notes: string[] = [];
  // Stacks plan in parallel: each is its own terraform with its own stand-in and working copies.
  const rows = await Promise.all(stacks.map(async (stack): Promise<readonly ResourceChange[]> => {
    const b = before.get(stack);
    const a = after.get(stack);
    if (read(b) === read(a)) return [];
    const fallback = resourceDiff.filter((c) => c.stack === stack);
    if (!a) {
      notes.push(`${stack}: the stack is gone — its resources from the resource-level diff (terraform would leave its state orphaned)`);
      return fallback;
    }
    const planned = await planStack(tf, stack, b, a);
    if (typeof planned === 'string') {
      notes.push(`${stack}: resource-level diff, because ${planned}`);
      return fallback;
    }
    return planned;
  }));
  return { source: 'plan', changes: rows.flat(), notes: notes.sort() };
}
