import { IConstruct } from 'constructs';
import { App } from './cdktf';
import { AnsibleProject } from './ansible/project';
import { invokeLabAspects } from './aspects';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PLACEMENT_RECORD_CONTEXT, PLACEMENT_RECORD_FILE } from './placement';
import { createStaging, listFiles, OUTDIR_NAME_CONTEXT, removeStaging, swapInto, writeFiles } from './output';
import { AcknowledgedWarning, Warning, SynthError, asModelError, ModelError, Problem, runChecks, warningReport, WarningReport } from './problems';
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
  /**
   * Folder whose placement.json (the previous automatic placements) keeps placed services on their
   * nodes. @default - outdir
   */
  readonly placementRecordFrom?: string;
  /** Warnings abort the synth like errors, before anything is written (`homelab-cdk synth --strict`). @default false */
  readonly strict?: boolean;
}

export interface SynthResult {
  /** The warnings to print: not acknowledged, plus stale acknowledgements. */
  readonly warnings: readonly Warning[];
  /** Warnings acknowledged with acknowledgeWarning: listed in the summary, not printed as warnings. */
  readonly acknowledged: readonly AcknowledgedWarning[];
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
  // Read before the staging folder exists: an unreadable placement record fails with nothing to clean up.
  const context = { [OUTDIR_NAME_CONTEXT]: basename(resolve(opts.outdir)), ...placementRecord(opts.placementRecordFrom ?? opts.outdir) };
  const staging = createStaging(opts.outdir);
  const app = new App({ outdir: staging, stackTraces: false, skipValidation: true, context });
  try {
    try {
      build(app);
    } catch (e) {
      throw asModelError(app, e);
    }
    const plugins = opts.plugins;
    const report = prepare(app, plugins);
    if (opts.strict) failOnWarnings(report);
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
    return { ...report, files, pruned, kept };
  } catch (e) {
    removeStaging(staging);
    // A `constructs` rule broken by a hook after the build (a construct added while checks ran) names its path too.
    throw asModelError(app, e);
  }
}

/**
 * The previous synth's placement record as app context (like cdk.context.json keeps lookups stable):
 * an unreadable record fails loudly instead of silently re-placing every service.
 */
export function placementRecord(dir: string): Record<string, unknown> {
  const file = join(dir, PLACEMENT_RECORD_FILE);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new SynthError([{ path: file, message: `the placement record is not JSON (${(e as Error).message})`, fix: `fix or delete ${file} (deleting it lets placement start over and may move services)` }]);
  }
  const nodes = (parsed as { nodes?: unknown } | null)?.nodes;
  if (nodes === null || typeof nodes !== 'object' || Array.isArray(nodes) || !Object.values(nodes as object).every((v) => typeof v === 'string')) {
    throw new SynthError([{ path: file, message: 'the placement record has no { "nodes": { "<container path>": "<node>" } }', fix: `fix or delete ${file} (deleting it lets placement start over and may move services)` }]);
  }
  return { [PLACEMENT_RECORD_CONTEXT]: nodes };
}

/**
 * Plugins, aspects, validations and late rendering: everything before files are written. Every
 * user error of the plugins, the aspects and the checks is collected into one SynthError; checks
 * do not change the tree (it is locked while they run), so this may run twice on one tree.
 * Returns the warnings, acknowledged ones apart.
 */
export function prepare(root: IConstruct, plugins: readonly ISynthPlugin[]): WarningReport {
  const problems: Problem[] = [];
  const collect = (e: unknown) => {
    const m = asModelError(root, e);
    if (!(m instanceof ModelError)) throw e;
    problems.push(m.problem);
  };
  for (const p of plugins) {
    try {
      p.attach?.(root);
    } catch (e) {
      collect(e);
    }
  }
  try {
    problems.push(...invokeLabAspects(root));
    problems.push(...runChecks(root).problems);
  } catch (e) {
    // A crash after user errors were found is most likely their consequence (a half-built model):
    // report the user's errors, which they can fix, rather than the crash.
    if (problems.length && !(e instanceof ModelError)) throw new SynthError(problems);
    collect(e);
  }
  if (problems.length) throw new SynthError(problems);
  for (const c of root.node.findAll()) if (isTerraformRenderable(c)) c.renderTerraform();
  return warningReport(root);
}

/** Strict mode: every warning left after acknowledgements becomes an error with its stable id, so nothing is written. */
export function failOnWarnings(report: Pick<WarningReport, 'warnings'>): void {
  const warnings = report.warnings;
  if (warnings.length) {
    throw new SynthError(warnings.map((w) => ({ path: w.path, message: `${w.message} (warning ${w.id})`, fix: 'fix it, acknowledge it with acknowledgeWarning(scope, id, reason), or run without --strict' })));
  }
}
