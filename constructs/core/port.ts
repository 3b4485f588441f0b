/** A transport-layer port: `Port.tcp(8989)`, `Port.udp(51820)`. */
export class Port {
  static tcp(port: number): Port {
    return new Port('tcp', port);
  }

  static udp(port: number): Port {
    return new Port('udp', port);
  }

  private constructor(
    readonly protocol: 'tcp' | 'udp',
    readonly port: number,
  ) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      this.problem = { message: `port ${port}/${protocol} is out of range`, fix: 'use an integer port in 1..65535' };
    }
  }

  /** Set when the port number is invalid; the construct using the port reports it with its path. */
  readonly problem?: { message: string; fix: string };

  /** The number to show in a fix for a bare `value`: itself when it is a valid port, else '…'. */
  static numberHint(value: unknown): string {
    return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535 ? String(value) : '…';
  }

  /** `8989/tcp`, the form Docker, Prometheus docs and humans use. */
  toString(): string {
    return `${this.port}/${this.protocol}`;
  }

  equals(other: Port): boolean {
    return this.protocol === other.protocol && this.port === other.port;
  }

  /**
   * Checks a Port-typed prop whose protocol the context fixes (WireGuard listens on UDP, a proxy on
   * TCP): a Port, valid, of `protocol`. Returns the number, or a problem naming the prop that says
   * what to write (a plain number from JavaScript or an old lab included). `why` ends the protocol
   * message, e.g. 'WireGuard listens on UDP'.
   */
  static check(value: unknown, prop: string, protocol: 'tcp' | 'udp', why: string): { value: number } | { problem: { message: string; fix: string } } {
    if (!(value instanceof Port)) {
      return { problem: { message: `${prop} must be a Port, got ${JSON.stringify(value ?? null)}`, fix: `write ${prop}: Port.${protocol}(${Port.numberHint(value)})` } };
    }
    if (value.problem) return { problem: { message: `${prop}: ${value.problem.message}`, fix: value.problem.fix } };
    if (value.protocol !== protocol) return { problem: { message: `${prop} ${value} is ${value.protocol.toUpperCase()}; ${why}`, fix: `write ${prop}: Port.${protocol}(${value.port})` } };
    return { value: value.port };
  }
}
