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

  /** `8989/tcp`, the form Docker, Prometheus docs and humans use. */
  toString(): string {
    return `${this.port}/${this.protocol}`;
  }

  equals(other: Port): boolean {
    return this.protocol === other.protocol && this.port === other.port;
  }
}
