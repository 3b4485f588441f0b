import { Construct } from 'constructs';
import { Address4 } from 'ip-address';
import { hostFile, type AnsibleProject, type Play } from '../../lib/ansible/project';
import { nftAcceptRules, nftComment, nftSet } from '../../lib/firewall/nft';
import { addCheck, checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes, instanceOf } from '../../lib/prop-types';
import { renderTemplate } from '../../lib/templates';
import { Connections, Peer } from './connections';
import { labOf } from './lab-of';
import { LxcContainer } from './lxc-container';
import { Port } from './port';
import { Secret } from './secret';

/** A WireGuard public (or private) key: 32 bytes in base64. */
export const WIREGUARD_KEY = /^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$/;

export interface WireGuardTunnelProps {
  /** The host's private key, kept in the Ansible vault. Must be declared in `lab.secrets`. */
  readonly privateKey: Secret;
  /**
   * The provider's endpoint as `IPv4:port`. A name would need DNS outside the tunnel, which the
   * kill switch forbids, so take the address from the provider's config file.
   */
  readonly endpoint: string;
  /** The provider server's public key. */
  readonly peerPublicKey: string;
  /** The tunnel address the provider assigned to this key, e.g. '10.66.12.34/32'. */
  readonly address: string;
  /**
   * Resolvers inside the tunnel (the provider's). The kill switch lets DNS out only through the tunnel,
   * so a LAN resolver here is an error.
   */
  readonly dns: readonly string[];
  /**
   * Subnets the host may still reach when the tunnel is down (SWAG, the *arr apps, Prometheus).
   * @default - the host's own network
   */
  readonly allowedLanSubnets?: readonly string[];
  /** Where SSH (Ansible) and ping may come from. @default - allowedLanSubnets */
  readonly managementSubnets?: readonly string[];
  /** @default 'wg0' */
  readonly interfaceName?: string;
  /** Keeps the NAT mapping and the kill switch's conntrack entry alive. @default 25 */
  readonly persistentKeepaliveSeconds?: number;
  /** @default - wg-quick's choice (endpoint MTU minus 80) */
  readonly mtu?: number;
  /**
   * Pass /dev/net/tun into the LXC and install wireguard-go, which wg-quick uses by itself when the
   * Proxmox kernel's WireGuard module cannot be used from the container.
   * @default true
   */
  readonly userspaceFallback?: boolean;
}

/** What the kill switch template needs; exported for tests that render it with other values. */
export interface KillSwitchContext {
  readonly hostname: string;
  readonly path: string;
  readonly interface: string;
  readonly endpointIp: string;
  readonly endpointPort: number;
  readonly lanSubnetList: string;
  readonly managementSubnetList: string;
  readonly dockerBridges: string;
  readonly fromLan: ReturnType<typeof nftAcceptRules>;
  readonly fromTunnel: ReturnType<typeof nftAcceptRules>;
}

/** Interfaces Docker creates for bridge networks: the default bridge and compose networks. */
const DOCKER_BRIDGES = ['docker0', 'br-*'];

/** Roles that start workloads; the tunnel's play runs before the first of them. */
const WORKLOAD_ROLES = ['compose_project', 'vpn_proxy'];

/** Marks an Ansible project that already runs the wireguard_client play for a stack. */
const PLAYS = new WeakMap<AnsibleProject, Set<string>>();

/**
 * A WireGuard client tunnel on an LXC, with an nftables kill switch: the host's own traffic and
 * everything its Docker containers send leaves through the tunnel or not at all, except to the
 * declared LAN subnets and the tunnel's own packets to the endpoint. Inbound, the LAN may open only
 * the connections declared in `host.connections`; the tunnel only the ports given to allowInbound.
 *
 * Deployed by the Ansible role `wireguard_client` (wg-quick@<if>, homelab-nft@killswitch) in a
 * play that runs before the compose play, so no workload ever starts without the kill switch.
 */
export class WireGuardTunnel extends Construct {
  /** The tunnel of a host, if it has one. */
  static of(host: LxcContainer): WireGuardTunnel | undefined {
    return host.node.children.find((c): c is WireGuardTunnel => c instanceof WireGuardTunnel);
  }

  readonly host: LxcContainer;
  readonly interfaceName: string;
  readonly privateKey: Secret;
  readonly endpointIp: string;
  readonly endpointPort: number;
  readonly peerPublicKey: string;
  readonly address: string;
  readonly dns: readonly string[];
  readonly persistentKeepaliveSeconds: number;
  readonly mtu?: number;
  readonly userspaceFallback: boolean;
  private readonly lanSubnetsProp?: readonly string[];
  private readonly managementSubnetsProp?: readonly string[];

  constructor(host: LxcContainer, id: string, props: WireGuardTunnelProps) {
    super(host, checkedId(host, id));
    if (!(host instanceof LxcContainer)) fail(this, 'a WireGuardTunnel must be created inside the LxcContainer it routes', "create it with new WireGuardTunnel(container, 'vpn', {...})");
    this.host = host;
    requireProps(this, 'WireGuardTunnel', props, ['privateKey', 'endpoint', 'peerPublicKey', 'address', 'dns']);
    props = checkPropTypes(this, 'WireGuardTunnel', props, {
      privateKey: instanceOf("a Secret (Secret.vault('name'))", Secret), endpoint: 'string', peerPublicKey: 'string', address: 'string', dns: 'string[]',
      allowedLanSubnets: 'string[]', managementSubnets: 'string[]', interfaceName: 'string', userspaceFallback: 'boolean',
    }, { required: ['privateKey', 'endpoint', 'peerPublicKey', 'address', 'dns'] });
    if (WireGuardTunnel.of(host) !== this) fail(this, `${host.hostname} already has a WireGuard tunnel`, 'route a host through one tunnel');
    this.interfaceName = props.interfaceName ?? 'wg0';
    if (!/^[a-zA-Z0-9_=+.-]{1,15}$/.test(this.interfaceName)) fail(this, `interface name '${this.interfaceName}' is invalid`, 'use at most 15 letters, digits and _=+.- (wg-quick names the interface after its file)');

    if (props.privateKey.kind !== 'vault') {
      fail(this, `the private key '${props.privateKey.name}' is a ${props.privateKey.kind} secret`, `use Secret.vault('${props.privateKey.name}'): Ansible writes the key into the tunnel config on the host`);
    }
    this.privateKey = props.privateKey;
    labOf(this).secrets.use(this, this.privateKey);

    const m = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(props.endpoint);
    if (!m || !Address4.isValid(m[1]!) || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      fail(this, `VPN endpoint '${props.endpoint}' is not IPv4:port`, "take the server's address from the provider's WireGuard file, e.g. '198.51.100.10:51820' (a name would need DNS outside the tunnel)");
    }
    this.endpointIp = m[1]!;
    this.endpointPort = Number(m[2]);
    if (!WIREGUARD_KEY.test(props.peerPublicKey)) fail(this, `peer public key '${props.peerPublicKey}' is not a WireGuard key`, 'copy the PublicKey of the [Peer] section of the provider file (44 base64 characters ending in =)');
    this.peerPublicKey = props.peerPublicKey;
    if (!isIpv4Cidr(props.address, true)) fail(this, `tunnel address '${props.address}' is not IPv4/prefix`, "copy the Address of the provider file, e.g. '10.66.12.34/32'");
    this.address = props.address;
    if (props.dns.length === 0) fail(this, 'the tunnel has no DNS server', "give the provider's resolver (inside the tunnel), e.g. dns: ['10.64.0.1']");
    for (const d of props.dns) if (!Address4.isValid(d) || d.includes('/')) fail(this, `DNS server '${d}' is not an IPv4 address`, "give the provider's resolver, e.g. '10.64.0.1'");
    this.dns = [...props.dns];
    for (const s of [...(props.allowedLanSubnets ?? []), ...(props.managementSubnets ?? [])]) {
      if (!isIpv4Cidr(s, false)) fail(this, `LAN subnet '${s}' is not an IPv4 network`, "write it as ADDRESS/PREFIX with the host bits clear, e.g. '10.10.10.0/24'");
      if (s.endsWith('/0')) fail(this, `LAN subnet '${s}' covers the whole internet, which would let all traffic around the tunnel`, 'list only the LAN subnets the host must reach');
    }
    this.lanSubnetsProp = props.allowedLanSubnets;
    this.managementSubnetsProp = props.managementSubnets;
    this.persistentKeepaliveSeconds = props.persistentKeepaliveSeconds ?? 25;
    if (!Number.isInteger(this.persistentKeepaliveSeconds) || this.persistentKeepaliveSeconds < 0 || this.persistentKeepaliveSeconds > 65535) {
      fail(this, `persistentKeepaliveSeconds must be 0..65535, got ${this.persistentKeepaliveSeconds}`, 'use 25 (or 0 to disable)');
    }
    this.mtu = props.mtu;
    if (this.mtu !== undefined && (!Number.isInteger(this.mtu) || this.mtu < 1280 || this.mtu > 9000)) fail(this, `mtu must be 1280..9000, got ${this.mtu}`, 'leave mtu out unless the provider says otherwise');
    this.userspaceFallback = props.userspaceFallback ?? true;
    if (this.userspaceFallback) host.addDevice('/dev/net/tun', { mode: '0666' });

    host.addToGroup('wireguard_clients');
    // Host variables now: the host writes its inventory entry before its children contribute.
    host.setHostVar('wireguard_client_interface', this.interfaceName);
    host.setHostVar('wireguard_client_userspace_fallback', this.userspaceFallback);
    host.addTag('vpn');
    // The lab's flows (which the kill switch's LAN rules read) are derived by the integrations the
    // pipeline runs for every lab (integrations/firewall/flows.ts), not called from here.
    addCheck(this, () => this.check());
  }

  /** Subnets reachable around the tunnel. */
  get lanSubnets(): readonly string[] {
    return this.lanSubnetsProp ?? [this.host.network.cidr];
  }

  get managementSubnets(): readonly string[] {
    return this.managementSubnetsProp ?? this.lanSubnets;
  }

  /** Lets peers of the tunnel (only them) open `port`, e.g. the provider-forwarded torrent port. */
  allowInbound(port: Port, description: string): void {
    Connections.of(this.host).allowFrom(Peer.tunnel(this.interfaceName), port, { description });
  }

  /** Ports only the tunnel may open. */
  get tunnelPorts(): Port[] {
    return Connections.of(this.host).ingress.filter((r) => r.peer.kind === 'tunnel').map((r) => r.port);
  }

  /** The kill switch's template values, from the final model. */
  killSwitchContext(): KillSwitchContext {
    const ingress = Connections.of(this.host).ingress;
    return {
      hostname: this.host.hostname,
      path: this.host.node.path,
      interface: this.interfaceName,
      endpointIp: this.endpointIp,
      endpointPort: this.endpointPort,
      lanSubnetList: this.lanSubnets.join(', '),
      managementSubnetList: this.managementSubnets.join(', '),
      dockerBridges: nftSet(DOCKER_BRIDGES.map((b) => `"${b}"`)),
      fromLan: nftAcceptRules(ingress.filter((r) => r.peer.kind === 'container' || r.peer.kind === 'cidr')),
      fromTunnel: nftAcceptRules(ingress.filter((r) => r.peer.kind === 'tunnel')),
    };
  }

  /** The nftables kill switch (complete; no secrets, no Jinja). */
  renderKillSwitch(): string {
    return renderTemplate('nftables/killswitch.nft.hbs', this.killSwitchContext());
  }

  /** The wg-quick file as a Jinja template: the private key is a vault variable, never a value. */
  renderConfig(): string {
    return renderTemplate('wireguard/client.conf.hbs', {
      hostname: this.host.hostname,
      path: this.host.node.path,
      interface: this.interfaceName,
      privateKey: this.privateKey.jinja,
      address: this.address,
      dns: this.dns.join(', '),
      mtu: this.mtu ?? null,
      peerPublicKey: this.peerPublicKey,
      endpoint: `${this.endpointIp}:${this.endpointPort}`,
      keepalive: this.persistentKeepaliveSeconds,
      comment: nftComment(this.node.path),
    });
  }

  /** Files of this host, relative to the Ansible project (the role reads them from there). */
  get configFile(): string {
    return hostFile(this.host.hostname, `wireguard/${this.interfaceName}.conf.j2`);
  }

  get killSwitchFile(): string {
    return hostFile(this.host.hostname, 'nftables/killswitch.nft');
  }

  contributeAnsible(project: AnsibleProject): void {
    project.addFile(this.configFile, this.renderConfig());
    project.addFile(this.killSwitchFile, this.renderKillSwitch());
    project.useRole('wireguard_client');
    const stack = this.host.stack.stackName;
    const done = PLAYS.get(project) ?? new Set<string>();
    PLAYS.set(project, done);
    if (!done.has(stack)) {
      done.add(stack);
      const play: Play = {
        name: `Route the ${stack} VPN clients through WireGuard behind the kill switch`,
        hosts: `${stack}:&wireguard_clients`,
        roles: ['wireguard_client'],
      };
      // Before any play that starts a workload (the compose play, the indexer proxy): nothing may
      // run on a VPN host before its kill switch.
      project.addPlay(stack, play, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).some((r) => WORKLOAD_ROLES.includes(r as string)) });
    }
  }

  private check(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const lab = labOf(this);
    const tunnelNet = new Address4(this.address);
    for (const n of lab.networks) {
      const net = new Address4(n.cidr);
      if (tunnelNet.isInSubnet(net) || net.isInSubnet(tunnelNet)) {
        out.push({ message: `tunnel address ${this.address} overlaps network ${n.node.path} (${n.cidr})`, fix: 'the VPN and LAN subnets must not overlap: ask the provider for another address or renumber the LAN' });
      }
    }
    for (const s of this.lanSubnets) {
      const net = new Address4(s);
      if (tunnelNet.isInSubnet(net) || net.isInSubnet(tunnelNet)) {
        out.push({ message: `tunnel address ${this.address} overlaps the allowed LAN subnet ${s}`, fix: 'the VPN and LAN subnets must not overlap' });
      }
      for (const d of this.dns) {
        if (new Address4(d).isInSubnet(net)) {
          out.push({ message: `DNS server ${d} is in the LAN subnet ${s}, but the kill switch lets DNS out only through the tunnel`, fix: "use the provider's resolver inside the tunnel (e.g. '10.64.0.1')" });
        }
      }
      if (new Address4(this.endpointIp).isInSubnet(net)) {
        out.push({ message: `VPN endpoint ${this.endpointIp} is inside the allowed LAN subnet ${s}`, fix: 'the endpoint is a server on the internet; check the endpoint and allowedLanSubnets' });
      }
    }
    const ingress = Connections.of(this.host).ingress;
    const tunnelPorts = this.tunnelPorts;
    for (const r of ingress) {
      if (r.peer.kind === 'internet') {
        out.push({
          message: `VPN-routed ${this.host.hostname} exposes ${r.port} to the internet on its LAN address, around the tunnel`,
          fix: `remove exposeToInternet(${portCall(r.port)}); let peers in through the tunnel instead (the provider's forwarded port)`,
        });
      } else if (r.peer.kind !== 'tunnel' && tunnelPorts.some((p) => p.equals(r.port))) {
        out.push({
          message: `VPN-routed ${this.host.hostname} opens its tunnel port ${r.port} to ${r.peer.description} on the LAN, around the tunnel`,
          fix: `remove allowFrom(…, ${portCall(r.port)}): the tunnel port is reachable through the tunnel only`,
        });
      }
    }
    return out;
  }
}

function portCall(p: Port): string {
  return `Port.${p.protocol}(${p.port})`;
}

function isIpv4Cidr(s: string, allowHostBits: boolean): boolean {
  if (!s.includes('/')) return false;
  try {
    const a = new Address4(s);
    return allowHostBits || a.startAddress().correctForm() === a.addressMinusSuffix;
  } catch {
    return false;
  }
}
