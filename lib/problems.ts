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
 * Re-words an error the `constructs` library threw while the model was built (a duplicate id in a
 * construct class that does not use `checkedId`) as a ModelError with the construct path; other
 * errors are returned as they are.
 */
export function asModelError(root: IConstruct, e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof ModelError) return e;
  const dup = /^There is already a Construct with name '(.*)' in \S+(?: \[(.*)\])?$/.exec(e.message);
  if (dup) {
    const [, child, parentId = ''] = dup;
    const parent = root.node.findAll().find((c) => c.node.id === parentId && c.node.tryFindChild(child!));
    const parentPath = parent ? pathOf(parent) : parentId || '/';
    return new ModelError({ path: `${parentPath === '/' ? '' : `${parentPath}/`}${child}`, message: `the id '${child}' is used twice in ${parentPath}`, fix: 'give every construct an id unique within its parent' });
  }
  if (e.message === 'Only root constructs may have an empty ID') {
    return new ModelError({ path: '/', message: 'a construct was created with an empty id', fix: 'give every construct a non-empty string id, unique within its parent' });
  }
  return e;
}

export function fail(scope: IConstruct, message: string, fix: string): never {
  throw new ModelError({ path: pathOf(scope), message, fix });
}

const CHECK_SEPARATOR = '\u0000';

/**
 * Registers a tree-complete check on a construct. The check returns zero or more `{message, fix}`;
 * the pipeline collects every one of them with the construct's path before aborting.
 */
export function addCheck(scope: IConstruct, check: () => ReadonlyArray<{ message: string; fix: string }>): void {
  scope.node.addValidation({
    validate: () => {
      try {
        return check().map((p) => `${p.message}${CHECK_SEPARATOR}${p.fix}`);
      } catch (e) {
        // A check that fails with a ModelError (e.g. through a helper that calls `fail`) is
        // collected like any other problem, so the rest of the tree is still checked.
        if (e instanceof ModelError) return [`${e.problem.message}${CHECK_SEPARATOR}${e.problem.fix}${CHECK_SEPARATOR}${e.problem.path}`];
        throw e;
      }
    },
  });
}

/** Runs every validation in the tree (preorder, so the order is stable) and returns the problems. */
export function collectProblems(root: IConstruct): Problem[] {
  const problems: Problem[] = [];
  for (const c of root.node.findAll()) {
    for (const raw of c.node.validate()) {
      const [message, fix, path] = raw.split(CHECK_SEPARATOR);
      problems.push({ path: path ?? pathOf(c), message: message ?? raw, fix: fix ?? 'see the message' });
    }
  }
  return problems;
}

const WARNING_TYPE = 'homelab:warning';

/** Records a soft problem with a stable id (e.g. `homelab:privileged`). */
export function addWarning(scope: IConstruct, id: string, message: string): void {
  scope.node.addMetadata(WARNING_TYPE, { id, message });
}

export function collectWarnings(root: IConstruct): Warning[] {
  const out: Warning[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type === WARNING_TYPE) {
        const data = m.data as { id: string; message: string };
        out.push({ id: data.id, path: pathOf(c), message: data.message });
      }
    }
  }
  return out;
}
