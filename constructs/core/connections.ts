import { Address4 } from 'ip-address';
import { addCheck, fail } from '../../lib/problems';
import { labOf } from './lab-of';
import type { LxcContainer } from './lxc-container';
import type { Network } from './network';
import { Port } from './port';

/**
 * Who may open a connection: another container of the lab, an address range, anyone on the
 * internet, or peers arriving through the container's own VPN tunnel (which terminates inside the
 * container, so the Proxmox firewall never sees that traffic; the host's nftables does).
 */
export class Peer {
  static container(container: LxcContainer): Peer {
    return new Peer('container', container.hostname, container);
  }

  /** An IPv4 range, e.g. the LAN or the WireGuard clients' subnet. */
  static cidr(cidr: string, description: string): Peer {
    return new Peer('cidr', description, undefined, cidr);
  }

  static network(network: Network): Peer {
    return new Peer('cidr', `network ${network.node.id}`, undefined, network.cidr);
  }

  /** Anyone: only for the few ports the lab exposes through the router. */
  static internet(): Peer {
    return new Peer('internet', 'the internet');
  }

  /** Peers of the container's VPN tunnel (e.g. the torrent port the provider forwards). */
  static tunnel(interfaceName: string): Peer {
    return new Peer('tunnel', `the ${interfaceName} tunnel`, undefined, undefined, interfaceName);
  }

  private constructor(
    readonly kind: 'container' | 'cidr' | 'internet' | 'tunnel',
    /** Human name for comments and messages. */
    readonly description: string,
    readonly container?: LxcContainer,
    private readonly range?: string,
    readonly tunnelInterface?: string,
  ) {
    if (range !== undefined) {
      let net: Address4 | undefined;
      try {
        net = new Address4(range);
      } catch {
        net = undefined;
      }
      if (!net || net.startAddress().correctForm() !== net.addressMinusSuffix) {
        this.problem = { message: `'${range}' is not an IPv4 network or address`, fix: "write it as ADDRESS/PREFIX with the host bits clear, e.g. '10.10.10.0/24', or a plain address" };
      }
    }
  }

  /** Set when a CIDR is malformed; reported with the path of the construct using the peer. */
  readonly problem?: { message: string; fix: string };

  /** The source address(es) in firewall syntax; undefined for the internet and tunnels. */
  get source(): string | undefined {
    if (this.kind === 'container') return this.container!.ipAddress;
    if (this.kind === 'cidr') return this.range!.endsWith('/32') ? this.range!.slice(0, -3) : this.range;
    return undefined;
  }

  /** Equal when they name the same source. */
  sameAs(other: Peer): boolean {
    if (this.kind !== other.kind) return false;
    if (this.kind === 'container') return this.container === other.container;
    return this.range === other.range && this.tunnelInterface === other.tunnelInterface;
  }
}

/** One allowed inbound flow to a container. */
export interface IngressRule {
  readonly peer: Peer;
  readonly port: Port;
  /** Why the flow exists, for firewall comments and docs. */
  readonly description: string;
  /**
   * false for flows to agents that are not modelled as listening ports (node_exporter on :9100):
   * they are not reported as "a port nobody listens on".
   * @default true
   */
  readonly requireListening: boolean;
}

export interface AllowOptions {
  /** @default - '<peer> to <port>' */
  readonly description?: string;
  /** @default true */
  readonly requireListening?: boolean;
}

const REGISTRY = new WeakMap<LxcContainer, Connections>();

/**
 * The inbound flows a container accepts. One call states the intent and every artifact follows from
 * it: the container's Proxmox firewall rules (default deny), the kill switch of a VPN-routed host,
 * the tinyproxy ACL. Flows are only ever allowed, never denied: anything not listed is dropped.
 *
 * `Connections.of(c)` (also `c.connections`) attaches lazily, so containers without flows cost nothing.
 */
export class Connections {
  static of(container: LxcContainer): Connections {
    let c = REGISTRY.get(container);
    if (!c) {
      c = new Connections(container);
      REGISTRY.set(container, c);
    }
    return c;
  }

  private readonly rules: IngressRule[] = [];

  private constructor(readonly container: LxcContainer) {
    addCheck(container, () => this.check());
  }

  /**
   * Lets `from` open connections to `port` here. `prowlarr.connections.allowFrom(sonarr, Port.tcp(9696))`.
   * Allowing the same peer and port twice keeps the first description.
   */
  allowFrom(from: LxcContainer | Peer, port: Port, opts: AllowOptions = {}): void {
    const peer = from instanceof Peer ? from : Peer.container(from);
    if (peer.problem) fail(this.container, peer.problem.message, peer.problem.fix);
    if (port.problem) fail(this.container, port.problem.message, port.problem.fix);
    if (peer.kind === 'container' && peer.container === this.container) {
      fail(this.container, `allows ${port} from itself`, 'a container reaches its own ports on localhost; drop this connection');
    }
    if (this.rules.some((r) => r.peer.sameAs(peer) && r.port.equals(port))) return;
    this.rules.push({
      peer,
      port,
      description: opts.description ?? `${peer.description} to ${port}`,
      requireListening: opts.requireListening ?? true,
    });
  }

  /** The mirror of allowFrom: this container may connect to `to` on `port`. */
  allowTo(to: LxcContainer, port: Port, opts: AllowOptions = {}): void {
    Connections.of(to).allowFrom(this.container, port, opts);
  }

  /** Opens `port` to anyone (the router forwards it). State why; the lab keeps this list short. */
  exposeToInternet(port: Port, reason: string): void {
    if (!reason.trim()) fail(this.container, `exposes ${port} to the internet without a reason`, "say why, e.g. exposeToInternet(Port.tcp(443), 'HTTPS for every routed app')");
    this.allowFrom(Peer.internet(), port, { description: reason });
  }

  get ingress(): readonly IngressRule[] {
    return [...this.rules];
  }

  /** Rules a port is allowed by. */
  rulesFor(port: Port): IngressRule[] {
    return this.rules.filter((r) => r.port.equals(port));
  }

  private check(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const lab = labOf(this.container);
    for (const r of this.rules) {
      const other = r.peer.container;
      if (other && !lab.containers.includes(other)) {
        out.push({
          message: `allows ${r.port} from ${other.node.path}, which is not a container of lab ${lab.node.path}`,
          fix: `create ${other.node.id} inside this lab, or allow its address with Peer.cidr('<ip>/32', '<what it is>')`,
        });
      }
      if (r.requireListening && !this.container.listeningPorts.has(r.port.toString())) {
        const what = r.peer.kind === 'internet' ? `exposes ${r.port} to the internet` : `allows ${r.port} from ${r.peer.description}`;
        out.push({
          message: `${what}, but no service of ${this.container.hostname} listens on ${r.port}: the exposed port has no owner`,
          fix: `publish ${r.port} from a service of this container, or remove the rule`,
        });
      }
    }
    return out;
  }
}
