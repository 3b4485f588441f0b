import { IConstruct } from 'constructs';

/**
 * A user error found in the model: where it is, what is wrong, how to fix it.
 * Every error the tool reports has this shape, so users always get the construct path and the fix.
 */
export interface Problem {
  readonly path: string;
  readonly message: string;
  readonly fix: string;
}

/** Soft problems: the synth goes on, the id stays stable so users can grep and suppress. */
export interface Warning {
  readonly id: string;
  readonly path: string;
  readonly message: string;
}

/** The path users see: the construct path without the cdktf App root. */
export function pathOf(scope: IConstruct): string {
  return scope.node.path || '/';
}

export function formatProblem(p: Problem): string {
  return `[${p.path}] ${p.message} — ${p.fix}`;
}

export function formatWarning(w: Warning): string {
  return `[${w.id}] [${w.path}] ${w.message}`;
}

/**
 * Misuse visible in the props (tier 1 of STYLE §3): thrown at once, still carrying path and fix.
 */
export class ModelError extends Error {
  constructor(readonly problem: Problem) {
    super(formatProblem(problem));
    this.name = 'ModelError';
  }
}

/** The whole list of problems found once the tree was complete (tier 2). */
export class SynthError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(`synth failed with ${problems.length} error${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
    this.name = 'SynthError';
  }
}

/**
 * The id a construct class passes to `super(scope, id)`: refuses an empty, non-string or duplicate id
 * with the parent's path before `constructs` would throw its own message (which names no path).
 */
export function checkedId(scope: IConstruct | undefined, id: string): string {
  if (!scope || typeof scope !== 'object' || !('node' in scope)) {
    throw new ModelError({ path: String(id ?? '(no id)'), message: 'the scope (first argument) is missing', fix: 'pass the parent construct first, e.g. new LabStack(lab, \'media\')' });
  }
  const parent = pathOf(scope);
  if (typeof id !== 'string' || id === '') {
    throw new ModelError({ path: parent, message: `a child construct has the id ${JSON.stringify(id ?? null)}`, fix: 'give every construct a non-empty string id, unique within its parent' });
  }
  if (scope.node.tryFindChild(id)) {
    throw new ModelError({ path: `${parent === '/' ? '' : `${parent}/`}${id}`, message: `the id '${id}' is used twice in ${parent}`, fix: 'give every construct an id unique within its parent' });
  }
  return id;
}

/** Fails when a required prop is missing (possible from plain JavaScript, where types are not checked). */
export function requireProps<P extends object>(scope: IConstruct, what: string, props: P | undefined, keys: readonly (keyof P & string)[]): P {
  if (props === undefined || props === null || typeof props !== 'object') fail(scope, `${what} props are missing`, `pass the props object with ${keys.join(', ')}`);
  const missing = keys.filter((k) => props[k] === undefined || props[k] === null);
  if (missing.length) fail(scope, `required prop${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`, `set ${missing.join(' and ')} on the ${what}`);
  return props;
}

/**
 * Re-words an error the `constructs` library threw (a duplicate or empty id in a construct class that
 * does not use `checkedId`, a construct added once the tree was locked for validation, context set
 * too late) as a ModelError with the construct path; other errors are returned as they are.
 */
export function asModelError(root: IConstruct, e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof ModelError) return e;
  const join = (parent: string, child: string) => `${parent === '/' ? '' : `${parent}/`}${child}`;
  const dup = /^There is already a Construct with name '(.*)' in \S+(?: \[(.*)\])?$/.exec(e.message);
  if (dup) {
    const [, child, parentId = ''] = dup;
    const parent = root.node.findAll().find((c) => c.node.id === parentId && c.node.tryFindChild(child!));
    const parentPath = parent ? pathOf(parent) : parentId || '/';
    return new ModelError({ path: join(parentPath, child!), message: `the id '${child}' is used twice in ${parentPath}`, fix: 'give every construct an id unique within its parent' });
  }
  if (e.message === 'Only root constructs may have an empty ID') {
    return new ModelError({ path: '/', message: 'a construct was created with an empty id', fix: 'give every construct a non-empty string id, unique within its parent' });
  }
  const locked = /^Cannot add children (?:to "(.*)" )?during synthesis$/.exec(e.message);
  if (locked) {
    return new ModelError({
      path: locked[1] || '/',
      message: 'a construct was created here while the model was being validated (checks only report; the tree is locked while they run)',
      fix: "create constructs in the lab builder or in a 'mutate' aspect (LabAspects.of(lab).add(aspect, 'mutate')), and return problems from checks",
    });
  }
  const context = /^Cannot set context after children have been added: (.*)$/.exec(e.message);
  if (context) {
    return new ModelError({ path: '/', message: `context was set after the children ${context[1]} were added`, fix: 'set context on the App before creating any construct (new App({ context }) or app.node.setContext first)' });
  }
  const noChild = /^No child with id: '(.*)'$/.exec(e.message);
  if (noChild) {
    return new ModelError({ path: '/', message: `node.findChild('${noChild[1]}') found no child with that id`, fix: 'use node.tryFindChild and handle undefined, or check the id' });
  }
  return e;
}

export function fail(scope: IConstruct, message: string, fix: string): never {
  throw new ModelError({ path: pathOf(scope), message, fix });
}

const CHECK_SEPARATOR = '\u0000';
const WARNING_MARK = '\u0001warning';

/** A problem a check found: the message and the fix (the path is the construct's). */
export interface CheckProblem {
  readonly message: string;
  readonly fix: string;
}

/** A warning a check found, with its stable id: returned, not recorded, so a check never mutates the tree. */
export interface CheckWarning {
  readonly warning: string;
  readonly message: string;
}

export type CheckResult = CheckProblem | CheckWarning;

function encodeProblem(p: Problem | CheckProblem): string {
  return ['path' in p ? [p.message, p.fix, p.path] : [p.message, p.fix]].flat().join(CHECK_SEPARATOR);
}

/**
 * Registers a tree-complete check on a construct. The check returns zero or more problems
 * (`{message, fix}`) and warnings (`{warning: id, message}`); the pipeline collects every one of them
 * with the construct's path before aborting. A check must not change the tree: it runs while the
 * tree is locked, and may run more than once.
 */
export function addCheck(scope: IConstruct, check: () => ReadonlyArray<CheckResult>): void {
  scope.node.addValidation({
    validate: () => {
      try {
        return check().map((r) => ('warning' in r ? [WARNING_MARK, r.warning, r.message].join(CHECK_SEPARATOR) : encodeProblem(r)));
      } catch (e) {
        // A check that fails with a ModelError (e.g. through a helper that calls `fail`), or trips
        // over a `constructs` rule, is collected like any other problem, so the rest of the tree is
        // still checked.
        const m = asModelError(scope.node.root, e);
        if (m instanceof ModelError) return [encodeProblem(m.problem)];
        throw e;
      }
    },
  });
}

/** What one validation run found. */
export interface CheckReport {
  readonly problems: readonly Problem[];
  readonly warnings: readonly Warning[];
}

/** The warnings checks returned in the last run over a tree, kept beside it (not in it). */
const CHECK_WARNINGS = new WeakMap<IConstruct, readonly Warning[]>();

/**
 * Runs every validation in the tree (preorder, so the order is stable) and returns the problems
 * and the warnings the checks returned. The tree is locked meanwhile: a check that creates a
 * construct is reported, not obeyed. Running it twice gives the same result.
 */
export function runChecks(root: IConstruct): CheckReport {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const wasLocked = root.node.locked;
  root.node.lock();
  try {
    for (const c of root.node.findAll()) {
      let raws: string[];
      try {
        raws = c.node.validate();
      } catch (e) {
        const m = asModelError(root, e);
        if (!(m instanceof ModelError)) throw e;
        problems.push(m.problem);
        continue;
      }
      for (const raw of raws) {
        const parts = raw.split(CHECK_SEPARATOR);
        if (parts[0] === WARNING_MARK) {
          warnings.push({ id: parts[1] ?? '', path: pathOf(c), message: parts[2] ?? '' });
          continue;
        }
        const [message, fix, path] = parts;
        problems.push({ path: path ?? pathOf(c), message: message ?? raw, fix: fix ?? 'see the message' });
      }
    }
  } finally {
    // constructs has no unlock: the pipeline renders (adds Terraform resources) after the checks.
    if (!wasLocked) (root.node as unknown as { _locked: boolean })._locked = false;
  }
  CHECK_WARNINGS.set(root.node.root, warnings);
  return { problems, warnings };
}

/** The problems of `runChecks`. */
export function collectProblems(root: IConstruct): Problem[] {
  return [...runChecks(root).problems];
}

const WARNING_TYPE = 'homelab:warning';
const ACKNOWLEDGEMENT_TYPE = 'homelab:acknowledge';

/** The warning an acknowledgement gets when no warning of its id fires on its construct or below. */
export const STALE_ACKNOWLEDGEMENT = 'homelab:stale-acknowledgement';

/** Warning ids: a lowercase prefix, a colon and a lowercase name, e.g. `homelab:privileged`. */
const WARNING_ID = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9-]*$/;

/** Records a soft problem with a stable id (e.g. `homelab:privileged`). */
export function addWarning(scope: IConstruct, id: string, message: string): void {
  scope.node.addMetadata(WARNING_TYPE, { id, message });
}

/** A warning the user acknowledged: not printed as a warning, not fatal under --strict, listed in the summary. */
export interface AcknowledgedWarning extends Warning {
  readonly reason: string;
  /** The path of the construct the acknowledgement was made on. */
  readonly acknowledgedAt: string;
}

/**
 * Acknowledges the warnings with `id` on `scope` and every construct below it, with the reason
 * (required, non-empty): like aws-cdk's `Annotations.of(scope).acknowledgeWarning(id, message)`.
 * An acknowledgement that matches no warning becomes the warning `homelab:stale-acknowledgement`,
 * so one left behind after a fix does not hide the next occurrence silently. A malformed id or an
 * empty reason is a problem collected with the others.
 */
export function acknowledgeWarning(scope: IConstruct, id: string, reason: string): void {
  if (typeof id !== 'string' || !WARNING_ID.test(id)) {
    addCheck(scope, () => [{ message: `acknowledgeWarning: ${JSON.stringify(id ?? null)} is not a warning id`, fix: "give the id printed in brackets before the warning, e.g. acknowledgeWarning(scope, 'homelab:privileged', 'why it is fine')" }]);
    return;
  }
  if (typeof reason !== 'string' || !reason.trim()) {
    addCheck(scope, () => [{ message: `acknowledgeWarning('${id}') has no reason`, fix: `say why ${id} is acceptable here, e.g. acknowledgeWarning(scope, '${id}', 'the NAS needs the bind mount')` }]);
    return;
  }
  scope.node.addMetadata(ACKNOWLEDGEMENT_TYPE, { id, reason: reason.trim() });
}

/** The warnings of a tree after acknowledgements: the ones to print (stale acknowledgements included) and the acknowledged ones. */
export interface WarningReport {
  readonly warnings: readonly Warning[];
  readonly acknowledged: readonly AcknowledgedWarning[];
}

const within = (path: string, scopePath: string) => scopePath === '/' || path === scopePath || path.startsWith(`${scopePath}/`);

/** Every warning of `root`'s tree, recorded or returned by the last checks, sorted into printed and acknowledged. */
export function warningReport(root: IConstruct): WarningReport {
  const rootPath = pathOf(root);
  const raw: Warning[] = [];
  const acks: { id: string; reason: string; path: string; used: boolean }[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type === WARNING_TYPE) {
        const data = m.data as { id: string; message: string };
        raw.push({ id: data.id, path: pathOf(c), message: data.message });
      } else if (m.type === ACKNOWLEDGEMENT_TYPE) {
        const data = m.data as { id: string; reason: string };
        acks.push({ ...data, path: pathOf(c), used: false });
      }
    }
  }
  raw.push(...(CHECK_WARNINGS.get(root.node.root) ?? []).filter((w) => within(w.path, rootPath)));
  // Tree order, whether a warning was recorded while building or returned by a check (a stable sort).
  const order = new Map(root.node.findAll().map((c, i) => [pathOf(c), i]));
  raw.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  const warnings: Warning[] = [];
  const acknowledged: AcknowledgedWarning[] = [];
  for (const w of raw) {
    const matching = acks.filter((a) => a.id === w.id && within(w.path, a.path));
    for (const a of matching) a.used = true;
    // The innermost acknowledgement gives the reason.
    const by = matching.sort((a, b) => b.path.length - a.path.length)[0];
    if (by) acknowledged.push({ ...w, reason: by.reason, acknowledgedAt: by.path });
    else warnings.push(w);
  }
  for (const a of acks) {
    if (!a.used) warnings.push({ id: STALE_ACKNOWLEDGEMENT, path: a.path, message: `the acknowledgement of ${a.id} ("${a.reason}") matches no ${a.id} warning here or below — remove it; the warning no longer fires` });
  }
  return { warnings, acknowledged };
}

/** The warnings to print: not acknowledged, plus stale acknowledgements. */
export function collectWarnings(root: IConstruct): Warning[] {
  return [...warningReport(root).warnings];
}

/** The summary line of acknowledged warnings, e.g. "2 warnings acknowledged (homelab:privileged ×2)"; undefined when none. */
export function acknowledgedSummary(acknowledged: readonly AcknowledgedWarning[]): string | undefined {
  if (!acknowledged.length) return undefined;
  const byId = new Map<string, number>();
  for (const a of acknowledged) byId.set(a.id, (byId.get(a.id) ?? 0) + 1);
  const ids = [...byId].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => `${id} ×${n}`);
  return `${acknowledged.length} warning${acknowledged.length === 1 ? '' : 's'} acknowledged (${ids.join(', ')})`;
}

/**
 * The warnings of a construct, aws-cdk style: `Annotations.of(container).acknowledgeWarning('homelab:privileged', 'why')`
 * acknowledges a warning id on the construct and everything below it.
 */
export class Annotations {
  static of(scope: IConstruct): Annotations {
    return new Annotations(scope);
  }

  private constructor(private readonly scope: IConstruct) {}

  /** Records a warning with a stable id on the construct. */
  addWarning(id: string, message: string): void {
    addWarning(this.scope, id, message);
  }

  /** See acknowledgeWarning: the reason is required and non-empty. */
  acknowledgeWarning(id: string, reason: string): void {
    acknowledgeWarning(this.scope, id, reason);
  }
}
