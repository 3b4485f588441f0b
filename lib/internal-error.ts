import { ModelError, SynthError } from './problems';

/**
 * The two kinds of failure a user can meet. A user error (ModelError, SynthError) is the lab's
 * mistake and prints `[path] message — fix`. Anything else thrown is a bug of homelab-cdk: the user
 * cannot fix it in the lab, so it says so, says where to report it, and keeps the stack trace for
 * the report (--verbose / HOMELAB_CDK_VERBOSE=1) instead of burying the one useful line under it.
 */

/** Exit code of a user or model error (nothing was written). */
export const EXIT_USER_ERROR = 1;
/** Exit code of an internal error, a bug of homelab-cdk (sysexits' EX_SOFTWARE). */
export const EXIT_INTERNAL_ERROR = 70;

/** The environment variable that asks `npm run synth` / `cdktf synth` (which take no options) for stack traces. */
export const VERBOSE_ENV = 'HOMELAB_CDK_VERBOSE';

/** Where internal errors are reported. */
export const REPORT_TO = "homelab-cdk's issue tracker";

/** True when HOMELAB_CDK_VERBOSE is set to anything but '', '0' or 'false'. */
export function verboseFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env[VERBOSE_ENV];
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

export function isUserError(e: unknown): e is ModelError | SynthError {
  return e instanceof ModelError || e instanceof SynthError;
}

/** The first line of what was thrown: an Error's message, or the thrown value itself. */
function oneLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${e.message}` : typeof e === 'string' ? e : safeJson(e);
  return (text.split('\n')[0] || '(no message)').trim();
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * The text printed for an internal error. `how` names the verbose switch of the entry point
 * ('--verbose' on homelab-cdk, the environment variable on npm run synth).
 */
export function formatInternalError(e: unknown, opts: { readonly verbose: boolean; readonly how: string }): string {
  const head = [
    `internal error — please report: ${oneLine(e)}`,
    `This is a bug in homelab-cdk, not a mistake in your lab. Report it to ${REPORT_TO} with the command you ran and this message.`,
  ];
  if (opts.verbose) return [...head, e instanceof Error && e.stack ? e.stack : safeJson(e)].join('\n');
  return [...head, `Run again with ${opts.how} for the stack trace.`].join('\n');
}
