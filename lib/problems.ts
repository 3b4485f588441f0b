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
    validate: () => check().map((p) => `${p.message}${CHECK_SEPARATOR}${p.fix}`),
  });
}

/** Runs every validation in the tree (preorder, so the order is stable) and returns the problems. */
export function collectProblems(root: IConstruct): Problem[] {
  const problems: Problem[] = [];
  for (const c of root.node.findAll()) {
    for (const raw of c.node.validate()) {
      const [message, fix] = raw.split(CHECK_SEPARATOR);
      problems.push({ path: pathOf(c), message: message ?? raw, fix: fix ?? 'see the message' });
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
