import { Construct } from 'constructs';
import { Address4 } from 'ip-address';
import type { AnsibleProject } from '../../lib/ansible/project';
import { nftComment } from '../../lib/firewall/nft';
import { addCheck, fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import { CatalogService, CatalogServiceProps, checkedPort, ComposeService, Image, Port, Size, WIREGUARD_KEY } from '../core';
import { IPublicEndpoint, IVpnServer, PUBLIC_ENDPOINT, VPN_SERVER } from '../core/capabilities';

/**
 * Pinned 2026-11-25: prometheus_wireguard_exporter 3.6.6, the newest release (upstream is stable
 * and quiet since). It reads `wg show all dump`: per-peer handshake age and traffic counters.
 */
export const WIREGUARD_EXPORTER_IMAGE = Image.of('mindflavor/prometheus-wireguard-exporter', '3.6.6');
export const WIREGUARD_EXPORTER_PORT = 9586;

/** A remote-access client. Only its public key is in the model; the private key stays on the device. */
export interface WireGuardPeer {
  /** Device name: names the client config file. */
  readonly name: string;
  /** The device's public key (`wg pubkey < private.key` on the device). */
  readonly publicKey: string;
  /** The device's address in the VPN subnet, e.g. '10.10.99.2'. */
  readonly address: string;
}

/** An example peer, so the reference lab shows the shape; replace it with your devices. */
export const EXAMPLE_PEER: WireGuardPeer = {
  name: 'laptop',
  publicKey: 'ExampleLaptopPublicKeyReplaceWithYourOwn000=',
  address: '10.10.99.2',
};

export interface WireGuardServerProps extends CatalogServiceProps {
  /** Remote devices allowed in. @default [EXAMPLE_PEER] */
  readonly peers?: readonly WireGuardPeer[];
  /** Addresses of the VPN clients; must not overlap any LAN. @default '10.10.99.0/24' */
  readonly vpnSubnet?: string;
  /** UDP port the router forwards to this container: `Port.udp(51820)`. @default Port.udp(51820) */
  readonly listenPort?: Port;
  /** The public name (or address) clients dial. @default - `vpn.<lab domain>` */
  readonly endpointHost?: string;
  /**
   * What clients route into the tunnel, and what the server forwards them to. Add '0.0.0.0/0' for a
   * full tunnel (the server then forwards to the internet too).
   * @default - the server's LAN and the VPN subnet (split tunnel)
   */
  readonly clientAllowedIps?: readonly string[];
  /** Resolvers clients use while connected. @default - the LAN's DNS servers */
  readonly clientDns?: readonly string[];
  /** @default true (see WireGuardTunnelProps.userspaceFallback) */
  readonly userspaceFallback?: boolean;
}

interface ResolvedPeer extends WireGuardPeer {
  readonly fileName: string;
}

/**
 * The remote-access WireGuard server: native wg-quick in its own LXC (no wg-easy web UI to expose),
 * with a dual network: clients get addresses in the VPN subnet and reach the LAN through it
 * (forwarding + masquerade, so no route is needed on the router). UDP `listenPort` is the only port
 * exposed to the internet.
 *
 * The server's private key is generated ON THE HOST by Ansible (`wg genkey`, once) and loaded by
 * wg-quick from a file, so it never exists in the model, in synth-out/ or on the controller. Peers
 * are public keys only; each gets a client config file with a placeholder for its private key.
 */
export class WireGuardServer extends CatalogService implements IPublicEndpoint, IVpnServer {
  readonly [PUBLIC_ENDPOINT] = true as const;
  /** Its client subnet may reach the nodes' management ports (integrations/firewall/proxmox-firewall.ts). */
  readonly [VPN_SERVER] = true as const;
  readonly exporter: ComposeService;
  readonly vpnSubnet: string;
  /** The server's address in the VPN subnet (its first host). */
  readonly serverAddress: string;
  readonly listenPort: number;
  readonly endpointHost: string;
  readonly interfaceName = 'wg0';
  readonly userspaceFallback: boolean;
  /** The only port the internet reaches; the firewall reads it from here. */
  readonly publicPorts: readonly Port[];
  private readonly peerList: ResolvedPeer[];
  private readonly allowedIpsProp?: readonly string[];
  private readonly dnsProp?: readonly string[];
  private readonly subnet: Address4;

  constructor(scope: Construct, id: string, props: WireGuardServerProps) {
    // Infrastructure (10-30): up before the apps remote users reach through it.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 20 });
    this.vpnSubnet = props.vpnSubnet ?? '10.10.99.0/24';
    // A non-string (plain JavaScript) is the same mistake as a malformed string, not a TypeError.
    const subnet = typeof this.vpnSubnet === 'string' ? parseNetwork(this.vpnSubnet) : undefined;
    if (!subnet) fail(this, `VPN subnet '${String(this.vpnSubnet)}' is not an IPv4 network`, "write it as ADDRESS/PREFIX with the host bits clear, e.g. '10.10.99.0/24'");
    if (subnet.subnetMask > 30) fail(this, `VPN subnet ${this.vpnSubnet} is too small`, 'use a prefix of /30 or shorter');
    this.subnet = subnet;
    this.serverAddress = Address4.fromBigInt(subnet.startAddress().bigInt() + 1n).correctForm();
    this.listenPort = checkedPort(this, props.listenPort, 'listenPort', 'udp', 'WireGuard listens on UDP', 51820);
    this.endpointHost = props.endpointHost ?? `vpn.${this.lab.domain}`;
    if (!/^[A-Za-z0-9.-]+$/.test(this.endpointHost)) fail(this, `endpointHost '${this.endpointHost}' is not a host name or address`, "give the public name clients dial, e.g. 'vpn.example.org'");
    this.userspaceFallback = props.userspaceFallback ?? true;
    for (const c of props.clientAllowedIps ?? []) {
      if (!parseNetwork(c)) fail(this, `client AllowedIPs entry '${c}' is not an IPv4 network`, "write it as ADDRESS/PREFIX, e.g. '10.10.10.0/24' or '0.0.0.0/0'");
    }
    this.allowedIpsProp = props.clientAllowedIps;
    for (const d of props.clientDns ?? []) if (!Address4.isValid(d) || d.includes('/')) fail(this, `client DNS '${d}' is not an IPv4 address`, 'give a resolver address');
    this.dnsProp = props.clientDns;
    this.peerList = [];
    for (const p of props.peers ?? [EXAMPLE_PEER]) this.peerList.push(this.resolvePeer(p));

    this.publicPorts = [Port.udp(this.listenPort)];
    this.declarePort(this.publicPorts[0]!, 'WireGuard remote access (the only port exposed to the internet)');
    if (this.userspaceFallback) this.addDevice('/dev/net/tun', { mode: '0666' });
    this.exporter = new ComposeService(this, 'wireguard-exporter', {
      image: this.mainImage(WIREGUARD_EXPORTER_IMAGE),
      // The host's network namespace: that is where wg0 lives.
      networkMode: 'host',
      capAdd: ['NET_ADMIN'],
      ports: [{ port: Port.tcp(WIREGUARD_EXPORTER_PORT), description: 'WireGuard exporter: handshakes and traffic per peer' }],
      // wireguard-go's control sockets, when the userspace fallback runs the tunnel.
      mounts: [{ source: '/var/run/wireguard', target: '/var/run/wireguard', readOnly: true }],
    });
    this.addMetricsEndpoint({ port: Port.tcp(WIREGUARD_EXPORTER_PORT), job: 'wireguard' });
    this.addToGroup('wireguard_servers');
    this.addTag('vpn');
    this.setHostVar('wireguard_server_interface', this.interfaceName);
    this.setHostVar('wireguard_server_userspace_fallback', this.userspaceFallback);
    this.setHostVar('wireguard_server_peers', this.peerList.map((p) => p.fileName));
    addCheck(this, () => this.checkSubnets());
  }

  get peers(): readonly WireGuardPeer[] {
    return this.peerList;
  }

  /** What clients route into the tunnel. */
  get clientAllowedIps(): readonly string[] {
    return this.allowedIpsProp ?? [this.network.cidr, this.vpnSubnet];
  }

  get clientDns(): readonly string[] {
    return this.dnsProp ?? this.network.dnsServers;
  }

  /** Destinations the server forwards clients to: what they route in, minus the VPN itself. */
  get forwardedNets(): string[] {
    return this.clientAllowedIps.filter((c) => c !== this.vpnSubnet);
  }

  /** The server side wg-quick file: complete, no secret (the key is loaded from the host's file). */
  renderServerConfig(): string {
    return renderTemplate('wireguard/server.conf.hbs', {
      hostname: this.hostname,
      path: this.node.path,
      interface: this.interfaceName,
      address: `${this.serverAddress}/${this.subnet.subnetMask}`,
      listenPort: this.listenPort,
      keyFile: '/etc/wireguard/server.key',
      peers: this.peerList.map((p) => ({ name: p.name, publicKey: p.publicKey, allowedIps: `${p.address}/32` })),
    });
  }

  /** A client's config as a Jinja template: Ansible fills in the server's public key from the host. */
  renderClientConfig(peer: WireGuardPeer): string {
    return renderTemplate('wireguard/client-peer.conf.hbs', {
      name: peer.name,
      path: this.node.path,
      placeholder: privateKeyPlaceholder(peer),
      address: `${peer.address}/32`,
      dns: this.clientDns.join(', '),
      serverPublicKey: '{{ wireguard_server_public_key }}',
      endpoint: `${this.endpointHost}:${this.listenPort}`,
      allowedIps: this.clientAllowedIps.join(', '),
    });
  }

  /** Forwarding and masquerade for the VPN subnet (nftables, loaded before the network). */
  renderRuleset(): string {
    return renderTemplate('nftables/wireguard-server.nft.hbs', {
      hostname: this.hostname,
      path: this.node.path,
      interface: this.interfaceName,
      vpnSubnet: this.vpnSubnet,
      forwardedNets: this.forwardedNets.join(', '),
      forwardComment: nftComment(`VPN clients to ${this.forwardedNets.join(', ')}`),
    });
  }

  contributeAnsible(project: AnsibleProject): void {
    super.contributeAnsible(project);
    project.addHostFile(this.hostname, `wireguard/${this.interfaceName}.conf`, this.renderServerConfig());
    project.addHostFile(this.hostname, 'nftables/wireguard-server.nft', this.renderRuleset());
    for (const p of this.peerList) project.addHostFile(this.hostname, `wireguard/clients/${p.fileName}.conf.j2`, this.renderClientConfig(p));
    project.useRole('wireguard_server');
    project.addPlay(this.stack.stackName, {
      name: `Run the WireGuard remote-access server on ${this.hostname}`,
      hosts: this.hostname,
      roles: ['wireguard_server'],
    }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
  }

  private resolvePeer(p: WireGuardPeer): ResolvedPeer {
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(p.name)) fail(this, `peer name '${p.name}' is invalid`, 'use lowercase letters, digits, - and _ (it names the client file)');
    if (this.peerList.some((q) => q.name === p.name)) fail(this, `peer '${p.name}' is declared twice`, 'give each device its own name');
    if (!WIREGUARD_KEY.test(p.publicKey)) fail(this, `peer '${p.name}' has an invalid public key '${p.publicKey}'`, 'give the 44-character base64 key from `wg pubkey` on the device');
    if (!Address4.isValid(p.address) || p.address.includes('/')) fail(this, `peer '${p.name}' has an invalid address '${p.address}'`, `give an address inside ${this.vpnSubnet}, e.g. '${this.serverAddress.replace(/\d+$/, '2')}'`);
    const a = new Address4(p.address);
    if (!a.isInSubnet(this.subnet)) fail(this, `peer '${p.name}' address ${p.address} is outside the VPN subnet ${this.vpnSubnet}`, `give an address inside ${this.vpnSubnet}`);
    const n = a.bigInt();
    if (n === this.subnet.startAddress().bigInt() || n === this.subnet.endAddress().bigInt()) fail(this, `peer '${p.name}' address ${p.address} is the network or broadcast address`, 'give a host address');
    if (p.address === this.serverAddress) fail(this, `peer '${p.name}' has the server's address ${p.address}`, 'the first host of the VPN subnet is the server: start peers at the second');
    return { ...p, fileName: p.name };
  }

  private checkSubnets(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    for (const n of this.lab.networks) {
      const net = new Address4(n.cidr);
      if (this.subnet.isInSubnet(net) || net.isInSubnet(this.subnet)) {
        out.push({ message: `VPN subnet ${this.vpnSubnet} overlaps network ${n.node.path} (${n.cidr})`, fix: "pick a VPN subnet outside every LAN, e.g. '10.10.99.0/24'" });
      }
    }
    const seen = new Map<string, string>();
    for (const p of this.peerList) {
      const prev = seen.get(p.address);
      if (prev) out.push({ message: `peers '${prev}' and '${p.name}' share the address ${p.address}`, fix: 'give each peer its own address' });
      seen.set(p.address, p.name);
    }
    return out;
  }
}

/** The literal a client config carries instead of the device's private key. */
export function privateKeyPlaceholder(peer: WireGuardPeer): string {
  return `REPLACE_WITH_THE_PRIVATE_KEY_OF_${peer.name}`;
}

function parseNetwork(cidr: string): Address4 | undefined {
  if (!cidr.includes('/')) return undefined;
  try {
    const a = new Address4(cidr);
    return a.startAddress().correctForm() === a.addressMinusSuffix ? a : undefined;
  } catch {
    return undefined;
  }
}
