import { resolve } from 'node:path';
import { formatWarning, ModelError, SynthError } from './problems';
import type { ISynthPlugin } from './plugin';
import { LabBuilder, synthesize } from './synth';

/**
 * Entry point of `npm run synth` and `cdktf synth` (which sets CDKTF_OUTDIR). User errors print
 * their list without a stack trace and exit 1; synth-out/ is untouched in that case.
 */
export function runSynth(build: LabBuilder, opts: { readonly plugins: readonly ISynthPlugin[] }): void {
  const outdir = resolve(process.env.CDKTF_OUTDIR ?? 'synth-out');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const result = synthesize(build, { outdir, log, plugins: opts.plugins });
    for (const w of result.warnings) log(`warning: ${formatWarning(w)}`);
  } catch (e) {
    if (e instanceof SynthError || e instanceof ModelError) {
      log(`error: ${e.message}`);
      log('synth: nothing was written; the previous output is unchanged.');
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
