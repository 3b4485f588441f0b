import { IConstruct } from 'constructs';
import { App } from './cdktf';
import { AnsibleProject } from './ansible/project';
import { invokeLabAspects } from './aspects';
import { basename, resolve } from 'node:path';
import { createStaging, listFiles, OUTDIR_NAME_CONTEXT, removeStaging, swapInto, writeFiles } from './output';
import { Warning, SynthError, asModelError, collectProblems, collectWarnings } from './problems';
import type { ISynthPlugin } from './plugin';
import { OutputFiles, isAnsibleContributor, isOutputContributor, isTerraformRenderable } from './render';

export interface SynthOptions {
  /** Output directory, replaced atomically. */
  readonly outdir: string;
  /** Progress lines (stderr in the CLI). @default - silent */
  readonly log?: (line: string) => void;
  /**
   * Integration policy and lab-wide generators, in order. Required, so no caller gets a lab without
   * its firewall or Ansible frame by forgetting them: integrations/synth.ts passes the lab's
   * (integrations/plugins.ts); `[]` is the framework alone.
   */
  readonly plugins: readonly ISynthPlugin[];
  /** Warnings abort the synth like errors, before anything is written (`homelab-cdk synth --strict`). @default false */
  readonly strict?: boolean;
}

export interface SynthResult {
  readonly warnings: readonly Warning[];
  readonly files: readonly string[];
  readonly pruned: readonly string[];
  readonly kept: readonly string[];
}

/** Builds the model into an App whose output goes to `outdir`. */
export type LabBuilder = (app: App) => void;

/**
 * The one synth pipeline: build → aspects (mutate, then check) → validations (all errors, then
 * abort) → render Terraform → cdktf synth → Ansible project → extra files → atomic swap.
 * Nothing touches `outdir` until everything rendered, so a failing synth leaves it byte-for-byte.
 */
export function synthesize(build: LabBuilder, opts: SynthOptions): SynthResult {
  const log = opts.log ?? (() => undefined);
  const staging = createStaging(opts.outdir);
  try {
    const context = { [OUTDIR_NAME_CONTEXT]: basename(resolve(opts.outdir)) };
    const app = new App({ outdir: staging, stackTraces: false, skipValidation: true, context });
    try {
      build(app);
    } catch (e) {
      throw asModelError(app, e);
    }
    const plugins = opts.plugins;
    prepare(app, plugins);
    if (opts.strict) failOnWarnings(app);
    const constructs = app.node.findAll();
    log(`synth: ${constructs.length} constructs validated`);
    app.synth();
    const project = new AnsibleProject();
    const extra = new OutputFiles();
    for (const p of plugins) p.generate?.(app, { ansible: project, files: extra });
    for (const c of constructs) if (isAnsibleContributor(c)) c.contributeAnsible(project);
    const ansible = project.render();
    writeFiles(staging, new Map([...ansible].map(([p, c]) => [`ansible/${p}`, c])));
    for (const c of constructs) if (isOutputContributor(c)) c.contributeOutput(extra);
    writeFiles(staging, extra.entries());
    const files = listFiles(staging);
    const { pruned, kept } = swapInto(staging, opts.outdir, files);
    log(`synth: wrote ${files.length} files to ${opts.outdir} (${pruned.length} pruned, ${kept.length} operator files kept)`);
    return { warnings: collectWarnings(app), files, pruned, kept };
  } catch (e) {
    removeStaging(staging);
    throw e;
  }
}

/** Plugins, aspects, validations and late rendering: everything before files are written. */
export function prepare(root: IConstruct, plugins: readonly ISynthPlugin[]): void {
  for (const p of plugins) p.attach?.(root);
  invokeLabAspects(root);
  const problems = collectProblems(root);
  if (problems.length) throw new SynthError(problems);
  for (const c of root.node.findAll()) if (isTerraformRenderable(c)) c.renderTerraform();
}

/** Strict mode: every warning becomes an error with its stable id, so nothing is written. */
export function failOnWarnings(root: IConstruct): void {
  const warnings = collectWarnings(root);
  if (warnings.length) {
    throw new SynthError(warnings.map((w) => ({ path: w.path, message: `${w.message} (warning ${w.id})`, fix: 'fix it, or opt out where the model offers it, or run without --strict' })));
  }
}
