/**
 * Terminal output of the command line: colours only on a TTY and never with NO_COLOR
 * (https://no-color.org: set and not empty), progress lines for steps over a second.
 */

export interface Styles {
  readonly enabled: boolean;
  red(s: string): string;
  yellow(s: string): string;
  green(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

/** Colours for a stream: on only when it is a TTY and NO_COLOR is unset or empty. */
export function stylesFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Styles {
  const enabled = stream.isTTY === true && !env.NO_COLOR;
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { enabled, red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

/** The step threshold: a step that takes longer gets a progress line. */
export const PROGRESS_AFTER_MS = 1000;

/**
 * Runs a synchronous step. On a TTY the step is announced before it starts (a synchronous step
 * cannot print while it runs); any step that took over a second ends with a line naming it and
 * its time. Both go to `write` (stderr in the CLI), never to the command's output.
 */
export function step<T>(label: string, run: () => T, write: (line: string) => void, interactive: boolean, now: () => number = () => performance.now()): T {
  if (interactive) write(`${label}…`);
  const start = now();
  const result = run();
  const ms = now() - start;
  if (ms > PROGRESS_AFTER_MS) write(`${label}: ${(ms / 1000).toFixed(1)} s`);
  return result;
}
