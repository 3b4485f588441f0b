import { parser as promqlParser } from '@prometheus-io/lezer-promql';

/**
 * Checks of the strings that end up in Prometheus files, at synth time and with the construct's
 * path: PromQL syntax (Prometheus' own grammar) and durations. Type checks of function arguments stay
 * promtool's job in the test suite.
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
 * The first syntax error of a PromQL expression, or undefined, from Prometheus' own grammar
 * (@prometheus-io/lezer-promql, the parser behind the Prometheus UI's editor). The grammar knows the
 * language, not the functions' argument types: promtool check rules in the test suite stays the full
 * check (e.g. `rate(up)` parses here).
 */
export function expressionProblem(expr: string): string | undefined {
  if (!expr.trim()) return 'the expression is empty';
  let problem: string | undefined;
  promqlParser.parse(expr).iterate({
    enter: (node) => {
      if (problem) return false;
      if (node.type.isError) {
        problem = syntaxError(expr, node.from, node.to);
        return false;
      }
      if (node.name === 'StringLiteral') problem = unterminatedString(expr, node.from, node.to);
      return undefined;
    },
  });
  return problem;
}

function syntaxError(expr: string, from: number, to: number): string {
  const at = from + (expr.slice(from).length - expr.slice(from).trimStart().length);
  if (at >= expr.length) return `the expression ends too early at column ${expr.length + 1} (a closing bracket or an operand is missing)`;
  const text = (to > at ? expr.slice(at, to) : expr.slice(at).split(/\s/)[0]!).slice(0, 20);
  return `syntax error at column ${at + 1}: unexpected '${text}'`;
}

/** The grammar's string token runs to the end of the input when the closing quote is missing. */
function unterminatedString(expr: string, from: number, to: number): string | undefined {
  const text = expr.slice(from, to);
  const quote = text[0]!;
  const closed = text.length >= 2 && text.endsWith(quote) && (quote === '`' || !/(^|[^\\])(\\\\)*\\$/.test(text.slice(1, -1)));
  return closed ? undefined : `string starting at column ${from + 1} is not terminated`;
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
