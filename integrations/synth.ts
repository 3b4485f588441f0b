import type { IConstruct } from 'constructs';
import { runSynth as runFrameworkSynth } from '../lib/cli';
import { LabBuilder, prepare as prepareWith, SynthOptions, SynthResult, synthesize as synthesizeWith } from '../lib/synth';
import type { WarningReport } from '../lib/problems';
import { LAB_PLUGINS } from './plugins';

export type { LabBuilder, SynthResult } from '../lib/synth';

/** The framework's options; `plugins` here are extra ones, run after the lab's. */
export type LabSynthOptions = Omit<SynthOptions, 'plugins'> & { readonly plugins?: SynthOptions['plugins'] };

/**
 * The framework's pipeline (lib/synth.ts) with the lab's plugins registered: what `npm run synth`,
 * the tests and the tools run. Extra plugins in `opts.plugins` run after the lab's.
 */
export function synthesize(build: LabBuilder, opts: LabSynthOptions): SynthResult {
  return synthesizeWith(build, { ...opts, plugins: [...LAB_PLUGINS, ...(opts.plugins ?? [])] });
}

/** Plugins, aspects, validations and late rendering of `root`, as `synthesize` does before writing; returns the warnings. */
export function prepare(root: IConstruct): WarningReport {
  return prepareWith(root, LAB_PLUGINS);
}

/** `npm run synth` / `cdktf synth` with the lab's plugins. */
export function runSynth(build: LabBuilder): void {
  runFrameworkSynth(build, { plugins: LAB_PLUGINS });
}
