import { IConstruct } from 'constructs';
import type { AnsibleProject } from './ansible/project';

/**
 * Constructs collect with add* and render late (STYLE §4): the pipeline calls these hooks once the
 * tree is complete and valid, so every output reflects the final model.
 */
export interface ITerraformRenderable extends IConstruct {
  renderTerraform(): void;
}

export interface IAnsibleContributor extends IConstruct {
  contributeAnsible(project: AnsibleProject): void;
}

export function isTerraformRenderable(c: IConstruct): c is ITerraformRenderable {
  return typeof (c as Partial<ITerraformRenderable>).renderTerraform === 'function';
}

export function isAnsibleContributor(c: IConstruct): c is IAnsibleContributor {
  return typeof (c as Partial<IAnsibleContributor>).contributeAnsible === 'function';
}
