import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { App } from '../lib/cdktf';
import { PACKAGE_ROOT } from '../lib/package-root';
import { AcknowledgedWarning, asModelError, ModelError, Warning } from '../lib/problems';
import { failOnWarnings, placementRecord } from '../lib/synth';
import { isLab } from '../constructs/core/lab-of';
import type { Lab } from '../constructs/core/lab';
import { LabBuilder, prepare } from '../integrations/synth';

/** A user mistake the CLI reports without a stack trace: exit code 1. */
export class UserError extends Error {}

/** A wrong command line: exit code 2. */
export class UsageError extends Error {}

/**
 * The app contract: a module whose default export (or named export `build`) is a lab builder,
 * `(app: App) => void`. It may also call runSynth(build) when run as the main module (main.ts does,
 * for `npm run synth` and `cdktf synth`); loaded by the CLI it is not the main module, so it doesn't.
 */
export function loadApp(file: string): LabBuilder {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UserError(`app file ${file} not found (give the lab file with --app FILE; \`homelab-cdk init <dir>\` creates one)`);
  let mod: { default?: unknown; build?: unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(compiledTwin(path)) as { default?: unknown; build?: unknown };
  } catch (e) {
    throw new UserError(`app file ${file} failed to load: ${e instanceof Error ? e.message : String(e)}`);
  }
  const build = typeof mod.default === 'function' ? mod.default : typeof mod.build === 'function' ? mod.build : undefined;
  if (!build) {
    throw new UserError(`app file ${file} exports no lab builder — add \`export default function build(app: App) { new Homelab(app, 'homelab'); }\` (or a named export \`build\`)`);
  }
  return thrownByLabFileAsUserError(build as LabBuilder, path, file);
}

/** Where an error was thrown: the file, line and column of its stack's first frame. */
function firstFrame(e: unknown): { file: string; line: string; column: string } | undefined {
  const stack = e instanceof Error ? e.stack ?? '' : '';
  const frame = stack.split('\n').find((l) => /^\s+at /.test(l));
  const m = frame && /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/.exec(frame.trim());
  return m ? { file: m[1]!.replace(/^file:\/\//, ''), line: m[2]!, column: m[3]! } : undefined;
}

/**
 * An exception thrown by the lab file's own code (its first stack frame is in the lab file: a typo,
 * `undefined.x`) is the user's to fix, not a bug of homelab-cdk: it becomes a UserError naming the
 * line. Anything thrown further down (in the constructs, the pipeline, Node) stays what it is.
 */
function thrownByLabFileAsUserError(build: LabBuilder, path: string, shown: string): LabBuilder {
  return (app) => {
    try {
      build(app);
    } catch (e) {
      const at = firstFrame(e);
      if (at && resolve(at.file) === path && e instanceof Error && !(e instanceof UserError) && !(e instanceof ModelError)) {
        throw new UserError(`your lab file threw ${e.name}: ${e.message.split('\n')[0]} (at ${shown}:${at.line}:${at.column}) — fix the lab file there; run with --verbose for the stack trace`, { cause: e });
      }
      throw e;
    }
  };
}

/**
 * Run precompiled (this module is .build/bin/app.js; bin/homelab-cdk.cjs chose it because the app is
 * part of the build), the app's compiled twin: the app and the CLI then share one copy of the library.
 * From source, the app itself.
 */
function compiledTwin(path: string): string {
  const build = join(PACKAGE_ROOT, '.build');
  if (!__filename.startsWith(`${build}${sep}`) || !path.endsWith('.ts')) return path;
  const twin = join(build, relative(PACKAGE_ROOT, path).replace(/\.ts$/, '.js'));
  return existsSync(twin) ? twin : path;
}

export interface BuiltModel {
  readonly labs: readonly Lab[];
  readonly warnings: readonly Warning[];
  readonly acknowledged: readonly AcknowledgedWarning[];
}

/**
 * Builds and validates the model without writing anything of the project's: cdktf's App insists on
 * an output folder, so it gets a temporary one that is removed afterwards.
 */
export function withModel<T>(build: LabBuilder, use: (model: BuiltModel) => T, opts: { strict?: boolean; placementRecordFrom?: string } = {}): T {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-cdk-model-'));
  try {
    // The output folder's placement.json, so placed services show the nodes synth keeps them on.
    const context = opts.placementRecordFrom ? placementRecord(opts.placementRecordFrom) : {};
    const app = new App({ outdir: join(dir, 'out'), stackTraces: false, skipValidation: true, context });
    try {
      build(app);
    } catch (e) {
      throw asModelError(app, e);
    }
    const report = prepare(app);
    if (opts.strict) failOnWarnings(report);
    const labs = app.node.findAll().filter(isLab);
    if (!labs.length) throw new UserError('the app built no Lab — create one in the builder (new Lab(app, ...) or new Homelab(app, ...))');
    return use({ labs, ...report });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
