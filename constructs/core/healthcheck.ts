import { Port } from './port';
import { COMPOSE_DURATION, Duration } from './values';

/** A Docker healthcheck; `Healthcheck.http(Port.tcp(8989), '/ping')` probes the app from inside its container. */
export class Healthcheck {
  /**
   * Probes `http://localhost:<port><path>` with curl (present in linuxserver.io images); pass
   * `tool: 'wget'` for busybox/alpine images. The port is the container's own TCP port.
   */
  static http(port: Port, path: string, opts: HealthTiming & { tool?: 'curl' | 'wget' } = {}): Healthcheck {
    const problems: HealthcheckProblem[] = [];
    const checked = Port.check(port, 'healthcheck port', 'tcp', 'an HTTP healthcheck needs a TCP port');
    if ('problem' in checked) {
      // Not a Port (a bare number from plain JavaScript or an old lab) or UDP: the fix is the whole call.
      const n = port instanceof Port ? port.port : Port.numberHint(port) === '…' ? 8080 : port;
      const fix = port instanceof Port && port.problem ? checked.problem.fix : `write Healthcheck.http(Port.tcp(${n}), '${typeof path === 'string' ? path : '/health'}')`;
      problems.push({ message: checked.problem.message, fix });
    }
    const portNumber = 'value' in checked ? checked.value : port instanceof Port ? port.port : Number(port);
    if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/?=&%]*$/.test(path)) {
      const fixed = typeof path === 'string' && /^[A-Za-z0-9._~\-/?=&%]+$/.test(path) ? `'/${path}'` : "'/health'";
      problems.push({ message: `healthcheck path ${JSON.stringify(path ?? null)} must start with '/' (a URL path without spaces or quotes)`, fix: `write it like ${fixed}` });
    }
    if (opts.tool !== undefined && opts.tool !== 'curl' && opts.tool !== 'wget') problems.push({ message: `healthcheck tool ${JSON.stringify(opts.tool)} is not 'curl' or 'wget'`, fix: "leave tool out for curl, or set tool: 'wget' for busybox/alpine images" });
    const url = `http://localhost:${portNumber}${path}`;
    const cmd = opts.tool === 'wget' ? `wget -q --spider ${url} || exit 1` : `curl -fsS -o /dev/null ${url} || exit 1`;
    return new Healthcheck(['CMD-SHELL', cmd], opts, problems, { port: portNumber, path });
  }

  /** Runs a command in the container; exit 0 means healthy. */
  static command(argv: readonly string[], opts: HealthTiming = {}): Healthcheck {
    const problems: HealthcheckProblem[] = [];
    if (!Array.isArray(argv) || argv.length === 0 || argv.some((a) => typeof a !== 'string')) {
      problems.push({ message: `healthcheck command must be a non-empty list of strings, got ${JSON.stringify(argv ?? null)}`, fix: "give the program and its arguments, e.g. Healthcheck.command(['pg_isready', '-U', 'postgres'])" });
    }
    return new Healthcheck(['CMD', ...(Array.isArray(argv) ? argv : [])], opts, problems);
  }

  private constructor(
    readonly test: readonly string[],
    private readonly timing: HealthTiming,
    problems: readonly HealthcheckProblem[],
    /** The HTTP endpoint, when the check is one: monitoring probes it too. */
    readonly httpEndpoint?: { port: number; path: string },
  ) {
    this.problems = [...problems, ...timingProblems(timing)];
  }

  /**
   * What is wrong with this healthcheck (an empty list when nothing is): the service that uses it
   * reports each with its path, collected with the other errors.
   */
  readonly problems: readonly HealthcheckProblem[];

  toCompose(): Record<string, unknown> {
    return {
      test: [...this.test],
      interval: String(this.timing.interval ?? '30s'),
      timeout: String(this.timing.timeout ?? '10s'),
      retries: this.timing.retries ?? 3,
      start_period: String(this.timing.startPeriod ?? '60s'),
    };
  }
}

export interface HealthTiming {
  /** Time between probes ('30s' or Duration.seconds(30)). @default '30s' */
  readonly interval?: string | Duration;
  /** @default '10s' */
  readonly timeout?: string | Duration;
  /** @default 3 */
  readonly retries?: number;
  /** @default '60s' */
  readonly startPeriod?: string | Duration;
}

export interface HealthcheckProblem {
  readonly message: string;
  readonly fix: string;
}


function timingProblems(timing: HealthTiming | undefined): HealthcheckProblem[] {
  const out: HealthcheckProblem[] = [];
  if (timing === null || typeof timing !== 'object') return [{ message: `healthcheck options must be an object, got ${JSON.stringify(timing)}`, fix: "pass options like { interval: '30s' }, or leave them out" }];
  for (const key of ['interval', 'timeout', 'startPeriod'] as const) {
    const v = timing[key];
    if (v instanceof Duration) {
      if (v.problem) out.push({ message: `healthcheck ${key}: ${v.problem.message}`, fix: v.problem.fix });
    } else if (v !== undefined && (typeof v !== 'string' || !COMPOSE_DURATION.test(v))) {
      out.push({ message: `healthcheck ${key} ${JSON.stringify(v)} is not a compose duration`, fix: `write a number with a unit, e.g. ${key}: '30s' or '1m30s' (units h, m, s, ms)` });
    }
  }
  const r = timing.retries;
  if (r !== undefined && (!Number.isInteger(r) || r < 1)) out.push({ message: `healthcheck retries must be an integer >= 1, got ${JSON.stringify(r)}`, fix: 'give how many failed probes mark the container unhealthy, e.g. 3' });
  return out;
}
