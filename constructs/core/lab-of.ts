import type { IConstruct } from 'constructs';
import { fail } from '../../lib/problems';
import type { Lab } from './lab';

/**
 * The Lab's brand (aws-cdk's `Stack.isStack` pattern). The model's constructs find their lab through
 * this leaf module rather than `instanceof Lab`, so they need lab.ts for its type only: Lab creates
 * LabStacks and the default BackupJob, which could not import lab.ts back without a runtime cycle.
 */
export const LAB_BRAND = Symbol.for('homelab-cdk.Lab');

/** Whether `x` is a Lab (also across copies of this library). */
export function isLab(x: unknown): x is Lab {
  return typeof x === 'object' && x !== null && (x as { [LAB_BRAND]?: unknown })[LAB_BRAND] === true;
}

/** The Lab `scope` belongs to; a construct outside any Lab is a user error with the usual path and fix. */
export function labOf(scope: IConstruct): Lab {
  for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
    if (isLab(c)) return c;
  }
  fail(scope, 'is not inside a Lab', "create constructs under a Lab (new Lab(app, 'homelab', {...}))");
}
