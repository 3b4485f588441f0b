/**
 * Small, dependency-free checks of the strings that end up in Prometheus files. They catch what a
 * typo in the model usually breaks (unbalanced brackets, a malformed duration) at synth time, with the
 * construct's path; full PromQL validation is promtool's job in the test suite.
 */

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** Whether `s` is a Prometheus duration such as `5m`, `1h30m` or `744h`. */
export function isDuration(s: string): boolean {
  return DURATION.test(s);
}

/** Seconds in a Prometheus duration; throws on a malformed one. */
export function durationSeconds(s: string): number {
  if (!isDuration(s)) throw new Error(`'${s}' is not a Prometheus duration (e.g. 5m, 1h30m, 31d)`);
  let total = 0;
  for (const [, n, unit] of s.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) total += Number(n) * UNIT_SECONDS[unit as string]!;
  return total;
}

/** The shortest readable duration for a number of seconds (whole units only): 93600 → '26h'. */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return '0s';
  for (const [unit, size] of [['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${Math.round(seconds * 1000)}ms`;
}

/**
 * The first structural problem of a PromQL expression (empty, unbalanced brackets, unterminated
 * string), or undefined. Strings are skipped, so a `}` inside a label value does not count.
 */
export function expressionProblem(expr: string): string | undefined {
  if (!expr.trim()) return 'the expression is empty';
  const pairs: Record<string, string> = { ')': '(', '}': '{', ']': '[' };
  const stack: { ch: string; at: number }[] = [];
  for (let i = 0; i < expr.length; i++) {
    const ch = expr[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      const start = i;
      for (i++; i < expr.length && expr[i] !== ch; i++) if (expr[i] === '\\' && ch !== '`') i++;
      if (i >= expr.length) return `string starting at column ${start + 1} is not terminated`;
      continue;
    }
    if (ch === '(' || ch === '{' || ch === '[') stack.push({ ch, at: i });
    else if (ch in pairs) {
      const open = stack.pop();
      if (!open || open.ch !== pairs[ch]) return `'${ch}' at column ${i + 1} closes nothing`;
    }
  }
  const open = stack.pop();
  return open ? `'${open.ch}' at column ${open.at + 1} is never closed` : undefined;
}

/** A label matcher list `{a="x",b=~"y"}` from pairs; values are escaped for PromQL strings. */
export function selector(matchers: ReadonlyArray<readonly [string, string, string?]>): string {
  return `{${matchers.map(([k, v, op]) => `${k}${op ?? '='}"${escapeLabelValue(v)}"`).join(',')}}`;
}

export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** `a|b|c` with regex metacharacters of each alternative escaped, sorted for stable output. */
export function regexAlternatives(values: readonly (string | number)[]): string {
  return [...new Set(values.map(String))].sort().map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
}
