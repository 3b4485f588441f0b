import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { App } from '../../lib/cdktf';
import { readTree } from '../../lib/output';
import { LabBuilder, SynthResult, prepare, synthesize } from '../../integrations/synth';
import { asModelError, formatProblem, ModelError, SynthError } from '../../lib/problems';
import { Homelab, HomelabProps } from '../../constructs/homelab';

/** A synthesized lab read back from disk: what users get, parsed for assertions. */
export class SynthesizedLab {
  constructor(
    readonly dir: string,
    readonly files: Map<string, string>,
    readonly result: SynthResult,
  ) {}

  text(path: string): string {
    const t = this.files.get(path);
    if (t === undefined) throw new Error(`${path} was not generated; generated: ${[...this.files.keys()].slice(0, 50).join(', ')}`);
    return t;
  }

  yaml<T = any>(path: string): T {
    return yaml.load(this.text(path)) as T;
  }

  /** The cdk.tf.json of a stack. */
  stack(name: string): any {
    return JSON.parse(this.text(`stacks/${name}/cdk.tf.json`));
  }

  /** All resources of a type in a stack, keyed by logical id. */
  resources(stack: string, type: string): Record<string, any> {
    return this.stack(stack).resource?.[type] ?? {};
  }

  /** The Terraform container resource whose construct path ends with `/<id>/Resource`. */
  container(stack: string, id: string): any {
    const all = this.resources(stack, 'proxmox_virtual_environment_container');
    const hit = Object.values(all).find((r: any) => r['//']?.metadata?.path?.endsWith(`/${id}/Resource`));
    if (!hit) throw new Error(`no container ${id} in stack ${stack}; have ${Object.keys(all).join(', ')}`);
    return hit;
  }

  /** Every container resource across stacks. */
  allContainers(): any[] {
    return [...this.files.keys()]
      .filter((p) => /^stacks\/[^/]+\/cdk\.tf\.json$/.test(p))
      .flatMap((p) => Object.values(JSON.parse(this.files.get(p)!).resource?.proxmox_virtual_environment_container ?? {}));
  }

  compose(host: string): any {
    return this.yaml(`ansible/files/${host}/compose.yml`);
  }

  hostVars(host: string): any {
    return this.yaml(`ansible/inventory/host_vars/${host}.yml`);
  }

  /** Removes the temp directory the lab was synthesized into. */
  cleanup(): void {
    rmSync(join(this.dir, '..'), { recursive: true, force: true });
  }
}

/**
 * The parent of the tests' temp dirs: `HOMELAB_TEST_SCRATCH` when the run set one (the unit config
 * points it at a tmpfs and removes it after the run: a synth writes ~260 files and 180 directories,
 * which on this disk is most of a synth's time), else the OS temp dir.
 */
export function scratchRoot(): string {
  return process.env.HOMELAB_TEST_SCRATCH || tmpdir();
}

/** Synthesizes into a fresh temp dir (validations on) and reads every file back. */
export function synthLab(build: LabBuilder): SynthesizedLab {
  const dir = mkdtempSync(join(scratchRoot(), 'homelab-cdk-test-'));
  const outdir = join(dir, 'synth-out');
  const result = synthesize(build, { outdir });
  return new SynthesizedLab(outdir, readTree(outdir), result);
}

/** The formatted problems a model fails with ([] when it is valid). Runs the pipeline up to rendering. */
export function problemsOf(build: LabBuilder): string[] {
  const app = new App({ outdir: mkdtempSync(join(scratchRoot(), 'homelab-cdk-val-')), skipValidation: true });
  try {
    try {
      build(app);
    } catch (e) {
      throw asModelError(app, e);
    }
    prepare(app);
    return [];
  } catch (e) {
    if (e instanceof SynthError) return e.problems.map(formatProblem);
    if (e instanceof ModelError) return [formatProblem(e.problem)];
    throw e;
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** The operator key of the example labs. */
export const SSH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkExampleKeyReplaceMe operator@example';

/** The reference homelab synthesized into a temp dir, with the model kept for construct-level checks. */
export interface RefLab {
  readonly lab: Homelab;
  readonly out: SynthesizedLab;
  /** Removes the temp dir. */
  cleanup(): void;
}

/**
 * The reference homelab with default props, synthesized once per worker in `npm run test:unit`
 * (HOMELAB_TEST_SHARE_REFERENCE, set by __tests__/support/unit-setup.ts): with `isolate: false` the
 * files of a worker share it instead of each synthesizing the same lab. Pure tests only read it;
 * `cleanup()` leaves it for the next file. The full suite, whose tools write into a lab's output
 * (terraform init, ...), keeps one lab per call.
 */
let sharedReference: RefLab | undefined;

/**
 * The reference homelab synthesized with `props`. Without props it is the worker's shared one
 * (see `sharedReference`): treat its files and model as read-only.
 */
export function synthHomelab(props?: HomelabProps): RefLab {
  if (process.env.HOMELAB_TEST_SHARE_REFERENCE && (props === undefined || Object.keys(props).length === 0)) {
    sharedReference ??= { ...synthFreshHomelab({}), cleanup: () => undefined };
    return sharedReference;
  }
  return synthFreshHomelab(props ?? {});
}

function synthFreshHomelab(props: HomelabProps): RefLab {
  let lab: Homelab | undefined;
  const out = synthLab((app) => {
    lab = new Homelab(app, 'homelab', props);
  });
  return { lab: lab!, out, cleanup: () => out.cleanup() };
}
