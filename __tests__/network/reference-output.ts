/** Synthesizes the reference homelab once per test file into a temp dir and reads it back. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { App } from '../../lib/cdktf';
import { readTree } from '../../lib/output';
import { formatProblem, ModelError, SynthError } from '../../lib/problems';
import { prepare, synthesize } from '../../integrations/synth';
import { scratchRoot, synthHomelab } from '../support/lab';

export interface SynthOutput {
  readonly lab: Homelab;
  readonly files: Map<string, string>;
  file(p: string): string;
}

/**
 * @param extend runs after the Homelab is built, before synth (e.g. to add what a test needs that
 *   the reference lab lacks)
 */
export function synthReferenceLab(props: HomelabProps = {}, extend?: (lab: Homelab) => void): SynthOutput {
  if (!extend && Object.keys(props).length === 0) {
    // The default lab: the worker's shared one in `npm run test:unit` (read-only), else a fresh one.
    const { lab, out, cleanup } = synthHomelab();
    cleanup(); // the files are read into memory; a no-op for the shared lab
    return { lab, files: out.files, file: (p) => out.text(p) };
  }
  const outdir = fs.mkdtempSync(path.join(scratchRoot(), 'homelab-vpn-synth-'));
  let lab: Homelab | undefined;
  try {
    synthesize((app: App) => {
      lab = new Homelab(app, 'homelab', props);
      extend?.(lab);
    }, { outdir: path.join(outdir, 'out') });
    const files = readTree(path.join(outdir, 'out'));
    return {
      lab: lab!,
      files,
      file(p: string): string {
        const c = files.get(p);
        if (c === undefined) throw new Error(`synth did not generate ${p}`);
        return c;
      },
    };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** `Key = value` of a wg-quick file (first occurrence). */
export function wgValue(conf: string, key: string): string {
  const m = new RegExp(`^${key}\\s*=\\s*(.+)$`, 'm').exec(conf);
  if (!m) throw new Error(`no ${key} in\n${conf}`);
  return m[1]!.trim();
}

/**
 * Every problem the pipeline reports for a model, formatted as users see them
 * (`[path] message — fix`): tier-1 errors thrown while building, or all tier-2 errors.
 */
export function problemsOf(build: (app: App) => void): string[] {
  const app = new App();
  try {
    build(app);
    prepare(app);
  } catch (e) {
    if (e instanceof SynthError) return e.problems.map(formatProblem);
    if (e instanceof ModelError) return [e.message];
    throw e;
  }
  return [];
}
