import type { IConstruct } from 'constructs';
import type { AnsibleProject } from './ansible/project';
import type { OutputFiles } from './render';

/** Where generators write: the Ansible project and the files outside ansible/ and stacks/. */
export interface SynthOutputs {
  readonly ansible: AnsibleProject;
  readonly files: OutputFiles;
}

/**
 * What the pipeline runs besides the constructs' own hooks: integration policy and the generators
 * of lab-wide files. Registered with the pipeline (SynthOptions.plugins), never called by a
 * construct, so the model does not depend on its generators (STYLE §12).
 */
export interface ISynthPlugin {
  /** Shown in logs. */
  readonly name: string;
  /**
   * Once the tree is built, before the aspects: add aspects, checks or policy constructs. May run
   * more than once on one tree (a test that prepares, then synthesizes): make it idempotent.
   */
  attach?(root: IConstruct): void;
  /**
   * Once the tree is valid and Terraform is rendered: write files. Runs before the constructs'
   * own `contributeAnsible`/`contributeOutput`, so lab-wide files come first.
   */
  generate?(root: IConstruct, out: SynthOutputs): void;
}
