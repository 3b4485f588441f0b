import { IConstruct } from 'constructs';
import { asModelError, ModelError, Problem } from './problems';

/** A visitor applied to a construct and all its descendants before validation. */
export interface ILabAspect {
  visit(node: IConstruct): void;
}

export type AspectPhase = 'mutate' | 'check';

const ASPECTS = Symbol.for('homelab-cdk.aspects');

/**
 * Aspects of the whole lab. cdktf invokes its own Aspects per Terraform stack, which cannot see the
 * Ansible side or cut across stacks; ours run once over the whole tree in two phases: every
 * mutating aspect first, then the read-only checks, so checks see the final tree.
 */
export class LabAspects {
  static of(scope: IConstruct): LabAspects {
    const holder = scope as unknown as { [ASPECTS]?: LabAspects };
    holder[ASPECTS] ??= new LabAspects();
    return holder[ASPECTS];
  }

  private readonly list: { aspect: ILabAspect; phase: AspectPhase }[] = [];

  add(aspect: ILabAspect, phase: AspectPhase = 'mutate'): void {
    this.list.push({ aspect, phase });
  }

  get all(): readonly { aspect: ILabAspect; phase: AspectPhase }[] {
    return this.list;
  }
}

/**
 * Runs every aspect of `root`'s tree: the mutate phase over the whole tree, then the check phase.
 * An aspect that fails with a user error (a ModelError, or a `constructs` rule re-worded as one)
 * is collected and the others still run, so one synth reports every independent mistake.
 */
export function invokeLabAspects(root: IConstruct): Problem[] {
  const problems: Problem[] = [];
  for (const phase of ['mutate', 'check'] as const) {
    const visit = (c: IConstruct, inherited: ILabAspect[]): void => {
      const here = [...inherited, ...LabAspects.of(c).all.filter((a) => a.phase === phase).map((a) => a.aspect)];
      for (const a of here) {
        try {
          a.visit(c);
        } catch (e) {
          const m = asModelError(root, e);
          if (!(m instanceof ModelError)) throw e;
          problems.push(m.problem);
        }
      }
      for (const child of c.node.children) visit(child, here);
    };
    visit(root, []);
  }
  return problems;
}
