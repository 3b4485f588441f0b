import { GeneratedFile, TextFile } from './generated-file';
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

/** Files outside the Terraform and Ansible trees (docs, example variable files), keyed by path. */
export class OutputFiles {
  private readonly files = new Map<string, GeneratedFile>();

  /** Adds a generated file (YamlFile, TextFile, ...), at a path relative to the output folder. */
  addFile(file: GeneratedFile): void {
    const path = file.path;
    if (path.startsWith('/') || path.split('/').includes('..') || path.startsWith('ansible/') || path.startsWith('stacks/')) {
      throw new Error(`output file '${path}' must be a relative path outside ansible/ and stacks/`);
    }
    if (this.files.has(path)) throw new Error(`output file '${path}' is generated twice`);
    this.files.set(path, file);
  }

  /** Adds text built by code; the marker is added in the file's syntax. */
  add(path: string, content: string): void {
    this.addFile(new TextFile(path, content));
  }

  entries(): Map<string, string> {
    return new Map([...this.files.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([p, f]) => [p, f.render()]));
  }
}

export interface IOutputContributor extends IConstruct {
  contributeOutput(files: OutputFiles): void;
}

export function isOutputContributor(c: IConstruct): c is IOutputContributor {
  return typeof (c as Partial<IOutputContributor>).contributeOutput === 'function';
}
