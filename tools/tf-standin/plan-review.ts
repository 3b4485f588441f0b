/**
 * Reading a terraform plan for data loss: which stateful containers (synth marks backed-up
 * containers `"//": { "homelab": { "stateful": true } }`, or they carry lifecycle.prevent_destroy) a
 * plan destroys or replaces, and why. Shared by `npm run plan` (tools/tf-plan.ts) and `homelab-cdk
 * diff` (bin/diff-plan.ts), so both name the same containers and exit with the same code.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nodeChangeHint } from '../../lib/output-diff';
import { releasePreventDestroy, runStack, StandinTerraform } from './terraform-runner';

/** Exit code when a stateful container would be destroyed or replaced (the plan itself worked or was stopped). */
export const EXIT_STATEFUL_DESTROY = 3;

export interface StatefulResource {
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

export type PlanChanges = { resource_changes?: { address: string; change: { actions: string[]; replace_paths?: (string | number)[][] } }[] };

/** `mount_point[0].size` from terraform's replace_paths (`["mount_point", 0, "size"]`). */
export function formatPath(p: (string | number)[]): string {
  return p.map((x, i) => (typeof x === 'number' ? `[${x}]` : i === 0 ? x : `.${x}`)).join('');
}

/** What forces each destroy/replacement in a plan: address → reasons. */
export function destroyReasons(plan: unknown): Map<string, { replace: boolean; reasons: string[] }> {
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
  for (const line of nodeChangeHint(hits.flatMap((h) => h.reasons)) ?? []) lines.push(`!!!   ${line}`);
  if (hits.some((h) => h.reasons.some((r) => r.startsWith('mount_point')))) {
    lines.push('!!!   A mount_point change (size, volume, added or removed) recreates the container in bpg/proxmox 0.111.1.');
    lines.push('!!!   To grow a volume without losing it: docs/proxmox-preflight.md, "Growing a volume".');
  }
  if (stoppedByPreventDestroy) lines.push('!!!   Revert the change, or opt out (overrides: { <service>: { preventDestroy: false } }) after taking a backup.');
  lines.push(bar);
  return lines.join('\n');
}

/** terraform refused the plan because it destroys a prevent_destroy resource ("Instance cannot be destroyed"). */
export function stoppedByPreventDestroy(run: { failedPhase?: string; results: readonly { output: string }[] }): boolean {
  return run.failedPhase === 'plan' && run.results.some((r) => /Instance cannot be destroyed/.test(r.output));
}

/**
 * Plans a copy of the stack with prevent_destroy lifted (in a throw-away copy, against a copy of the
 * state) to learn what terraform refused to destroy and why. Nothing is recorded.
 */
export async function planWithoutGuard(tf: StandinTerraform, stackDir: string, statePath: string, hadState: boolean, existing?: string): Promise<unknown> {
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
