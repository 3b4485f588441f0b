import { resolve } from 'node:path';
import { EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, formatInternalError, isUserError, VERBOSE_ENV, verboseFromEnv } from './internal-error';
import { acknowledgedSummary, formatWarning } from './problems';
import type { ISynthPlugin } from './plugin';
import { LabBuilder, synthesize } from './synth';

/**
 * True when `cdktf synth` runs this process (it sets CDKTF_OUTDIR). cdktf 0.21 echoes every chunk the
 * app writes to stderr as a red `[ERROR]` log line and writes stdout through as it is, so progress and
 * warnings go to stdout there, and only errors to stderr.
 */
export function underCdktf(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.CDKTF_OUTDIR;
}

/**
 * Entry point of `npm run synth` and `cdktf synth` (which sets CDKTF_OUTDIR). User errors print
 * their list without a stack trace, in one write, and exit 1; anything else is an internal error
 * (exit 70) whose stack trace is printed only with HOMELAB_CDK_VERBOSE=1. synth-out/ is untouched
 * in both cases.
 */
export function runSynth(build: LabBuilder, opts: { readonly plugins: readonly ISynthPlugin[] }): void {
  // `npm run synth -- --help` used to synthesize anyway: an entry point without options refuses them.
  const extra = process.argv.slice(2);
  if (extra.length) {
    process.stderr.write(`error: this entry point takes no options, got '${extra.join(' ')}' — nothing was written. For options run npx homelab-cdk synth --help (--app, --out, --strict, --json), or npx homelab-cdk --help for check, diff, list and graph.\n`);
    process.exitCode = 2;
    return;
  }
  const outdir = resolve(process.env.CDKTF_OUTDIR || 'synth-out');
  const info = underCdktf() ? process.stdout : process.stderr;
  const log = (line: string) => info.write(`${line}\n`);
  try {
    const result = synthesize(build, { outdir, log, plugins: opts.plugins });
    for (const w of result.warnings) log(`warning: ${formatWarning(w)}`);
    const acknowledged = acknowledgedSummary(result.acknowledged);
    if (acknowledged) log(acknowledged);
  } catch (e) {
    // One chunk each: cdktf prefixes each chunk of stderr with its own [ERROR] line.
    if (isUserError(e)) {
      process.stderr.write(`error: ${e.message}\nsynth: nothing was written; the previous output is unchanged.\n`);
      process.exitCode = EXIT_USER_ERROR;
      return;
    }
    process.stderr.write(`${formatInternalError(e, { verbose: verboseFromEnv(), how: `${VERBOSE_ENV}=1` })}\nsynth: nothing was written; the previous output is unchanged.\n`);
    process.exitCode = EXIT_INTERNAL_ERROR;
  }
}
