/** A Docker healthcheck; `Healthcheck.http(8989, '/ping')` probes the app from inside its container. */
export class Healthcheck {
  /**
   * Probes `http://localhost:<port><path>` with curl (present in linuxserver.io images); pass
   * `tool: 'wget'` for busybox/alpine images.
   */
  static http(port: number, path: string, opts: HealthTiming & { tool?: 'curl' | 'wget' } = {}): Healthcheck {
    if (!path.startsWith('/')) throw new Error(`health path must start with '/', got '${path}'`);
    const url = `http://localhost:${port}${path}`;
    const cmd = opts.tool === 'wget' ? `wget -q --spider ${url} || exit 1` : `curl -fsS -o /dev/null ${url} || exit 1`;
    return new Healthcheck(['CMD-SHELL', cmd], opts, { port, path });
  }

  /** Runs a command in the container; exit 0 means healthy. */
  static command(argv: readonly string[], opts: HealthTiming = {}): Healthcheck {
    if (argv.length === 0) throw new Error('healthcheck command is empty');
    return new Healthcheck(['CMD', ...argv], opts);
  }

  private constructor(
    readonly test: readonly string[],
    private readonly timing: HealthTiming,
    /** The HTTP endpoint, when the check is one: monitoring probes it too. */
    readonly httpEndpoint?: { port: number; path: string },
  ) {}

  toCompose(): Record<string, unknown> {
    return {
      test: [...this.test],
      interval: this.timing.interval ?? '30s',
      timeout: this.timing.timeout ?? '10s',
      retries: this.timing.retries ?? 3,
      start_period: this.timing.startPeriod ?? '60s',
    };
  }
}

export interface HealthTiming {
  /** @default '30s' */
  readonly interval?: string;
  /** @default '10s' */
  readonly timeout?: string;
  /** @default 3 */
  readonly retries?: number;
  /** @default '60s' */
  readonly startPeriod?: string;
}
