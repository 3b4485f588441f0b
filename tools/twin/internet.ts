/**
 * The twin's "internet" (issue 11, item 4): a VPN provider's WireGuard endpoint and an internet
 * server behind the twin's gateway, with counters on the internet side that tell tunnel traffic
 * from leaks. Everything lives in namespaces this module creates; nothing is routed off the machine.
 *
 *   twin namespace (e.g. homelab-twin)     <name> ("the internet")         <name>-vpn (the provider)
 *   vmbr0 10.10.10.1/24 (the lab's LAN)    lo 203.0.113.80 internet server  lo 198.51.100.10 endpoint
 *   wan0  192.0.2.2/30  ── veth ──  isp0  192.0.2.1/30                      lo 198.51.100.99 exit address
 *                                   lo 203.0.113.81 dead-man switch
 *                                   prov0 192.0.2.5/30  ── veth ──  uplink0 192.0.2.6/30
 *                                                                    wgprov  10.64.0.1 (tunnel DNS), route
 *                                                                            to the client's tunnel address
 *
 * - The twin namespace gets routes for the endpoint and the internet server (only those: the twin
 *   still has no default route), IPv4 forwarding, and a masquerade on wan0, like a home router:
 *   what a LAN host sends around the tunnel reaches the internet from the twin's WAN address
 *   192.0.2.2. A counter there (before the NAT) names the LAN source of every such packet.
 * - The provider runs wireguard-go (in a private mount namespace: its control socket never appears
 *   in the machine's /run) configured with `wg set`: the provider's private key, the client's public
 *   key as the only peer (AllowedIPs = the client's tunnel address). Tunnel traffic leaves the
 *   provider through a source NAT to its exit address, as a commercial VPN's does.
 * - The internet server (Node, no dependencies) answers HTTP on port 80 and UDP on port 9999 with
 *   the address it sees: `peer=198.51.100.99` through the tunnel, `peer=192.0.2.2` for a leak.
 * - nftables on the internet side counts every packet that arrives for the server, by source
 *   address (exit address = through the tunnel; anything else = a leak), and the tunnel's own UDP
 *   packets arriving from the twin (the underlay).
 *
 * Forwarding in the twin namespace: the value before is recorded and restored by teardown(); after a
 * crash, deleting the twin namespace (the twin's own teardown) drops it with the namespace.
 * teardown() stops only the processes this instance started (by PID), then any process left inside
 * the two namespaces it created (by construction its own), deletes them (and with them both veth
 * pairs and the twin side's routes) and its nftables table in the twin namespace. teardownInternet()
 * does the same from a fresh process (after a crash), knowing only the names.
 */
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { exec, ExecResult } from './exec';
import { killPid } from './host';

export const DEFAULT_NAME = 'homelab-twin-inet';

/** Addresses of the stand-in internet: documentation ranges (RFC 5737), reachable only in these namespaces. */
export const INTERNET_ADDRESSES = {
  /** The internet server (HTTP on 80, UDP on 9999). */
  server: '203.0.113.80',
  /**
   * A dead-man switch on the internet (a healthchecks.io stand-in): records every HTTP request, so
   * the twin sees Alertmanager's Watchdog heartbeats. Not counted as a VPN leak (it is not the VPN
   * client's traffic).
   */
  deadman: '203.0.113.81',
  /** Where the provider's tunnel traffic enters the internet (its source NAT). */
  exit: '198.51.100.99',
  /** The twin's WAN address (its masquerade) and the internet side of that link. */
  twinWan: '192.0.2.2',
  isp: '192.0.2.1',
  /** The link between the internet and the provider. */
  providerLinkInternet: '192.0.2.5',
  providerLinkProvider: '192.0.2.6',
} as const;

export const SERVER_HTTP_PORT = 80;
export const SERVER_UDP_PORT = 9999;

/** Interface names (a namespace of their own each, so fixed names cannot collide). */
const IF = { twinWan: 'wan0', isp: 'isp0', prov: 'prov0', uplink: 'uplink0', wg: 'wgprov' } as const;
/** nftables tables: the twin side (routing counter and NAT) and the internet side (the counters). */
const TWIN_TABLE = 'homelab_twin_wan';
const INTERNET_TABLE = 'homelab_twin_internet';
const PROVIDER_TABLE = 'homelab_twin_provider';

export interface InternetOptions {
  /** The twin's network namespace (the lab's gateway lives there). */
  readonly twinNetns: string;
  /** The lab's gateway address in the twin namespace (10.10.10.1); its subnet is the LAN. */
  readonly lanGateway: string;
  /** The provider endpoint 'ip:port', from the synthesized WireGuard client config (Endpoint). */
  readonly endpoint: string;
  /** The provider's private key (its public half is the config's [Peer] PublicKey). */
  readonly providerPrivateKey: string;
  /** The client's public key (`wg pubkey` of the vault's private key). */
  readonly clientPublicKey: string;
  /** The client's tunnel address, from the config's Address ('10.66.12.34/32' or without prefix). */
  readonly clientTunnelAddress: string;
  /**
   * The tunnel's resolvers (the config's DNS): addresses of the provider's tunnel interface, so a
   * query through the tunnel is answered at once (ICMP port unreachable) instead of timing out.
   * @default - none
   */
  readonly tunnelDns?: readonly string[];
  /** Namespace of the internet; the provider's is `<name>-vpn`. @default 'homelab-twin-inet' */
  readonly name?: string;
  /** Where the processes' output goes (appended). @default - discarded */
  readonly logFile?: string;
}

export interface InternetCounters {
  /** Packets that arrived for the internet server from the provider's exit address: through the tunnel. */
  readonly exit: number;
  /** Packets that arrived for the internet server from any other source: leaks. */
  readonly leaked: number;
  /** Every packet that arrived for the internet server, by source address as the server sees it. */
  readonly bySource: Readonly<Record<string, number>>;
  /** The tunnel's own UDP packets to the endpoint, arriving from the twin. */
  readonly underlay: number;
  /**
   * Packets the twin's gateway routed toward the internet other than the tunnel's own UDP, by their
   * LAN source before the gateway's NAT (who leaked; the internet side sees them all as 192.0.2.2).
   */
  readonly routedByLanSource: Readonly<Record<string, number>>;
}

export interface TunnelStatus {
  /** Seconds since the epoch of the latest handshake with the client; 0 = never. */
  readonly latestHandshake: number;
  /** Where the provider sees the client ('192.0.2.2:40123'), undefined before a handshake. */
  readonly clientEndpoint?: string;
  readonly rxBytes: number;
  readonly txBytes: number;
}

/** One request to the dead-man switch. */
export interface DeadmanRequest {
  /** Milliseconds since the epoch. */
  readonly time: number;
  readonly method: string;
  readonly path: string;
  /** The source address it saw (the twin's WAN address: the lab's router NAT). */
  readonly peer: string;
  readonly body: string;
}

/** The dead-man switch's URL for a check token: what the twin's vault gives Alertmanager. */
export function deadmanUrl(token: string): string {
  return `http://${INTERNET_ADDRESSES.deadman}:${SERVER_HTTP_PORT}/ping/${token}`;
}

export interface Internet {
  /** The namespaces created: the internet and the provider. */
  readonly namespaces: readonly [string, string];
  readonly server: string;
  readonly exitAddress: string;
  readonly endpoint: { readonly address: string; readonly port: number };
  /** URL of the internet server's HTTP answer (`peer=<source>`). */
  readonly url: string;
  /** What the dead-man switch (INTERNET_ADDRESSES.deadman, HTTP) received so far, oldest first. */
  deadmanRequests(): DeadmanRequest[];
  counters(): Promise<InternetCounters>;
  /** Zeroes every counter (both sides). */
  reset(): Promise<void>;
  /** The provider's view of the tunnel (`wg show dump`); undefined while the endpoint is stopped. */
  tunnel(): Promise<TunnelStatus | undefined>;
  /** Kills the provider's wireguard-go (its interface and route vanish): the tunnel is down. */
  stopEndpoint(): Promise<void>;
  /** Starts it again with the same keys; the client's next handshake brings the tunnel back. */
  startEndpoint(): Promise<void>;
  /** PIDs of the processes this instance runs now (wireguard-go, the internet server). */
  pids(): number[];
  /** Undoes everything; safe to call more than once and after a failed setup. Returns what it could not undo. */
  teardown(): Promise<string[]>;
}

/** `wg pubkey` of a private key. */
export async function wgPublicKey(privateKey: string): Promise<string> {
  return (await exec('wg', ['pubkey'], { input: `${privateKey.trim()}\n` })).stdout.trim();
}

/** A fresh WireGuard key pair (`wg genkey`, `wg pubkey`). */
export async function wgKeyPair(): Promise<{ privateKey: string; publicKey: string }> {
  const privateKey = (await exec('wg', ['genkey'])).stdout.trim();
  return { privateKey, publicKey: await wgPublicKey(privateKey) };
}

/** The values of a generated wg-quick file the internet needs (Endpoint, Address, DNS, [Peer] PublicKey). */
export function parseWgClientConfig(text: string): { endpoint: string; address: string; dns: string[]; peerPublicKey: string; privateKeyVar?: string } {
  const value = (key: string) => {
    const m = new RegExp(`^${key}\\s*=\\s*(.+)$`, 'm').exec(text);
    if (!m) throw new Error(`the WireGuard config has no ${key}`);
    return m[1]!.trim();
  };
  return {
    endpoint: value('Endpoint'),
    address: value('Address'),
    dns: /^DNS\s*=/m.test(text) ? value('DNS').split(',').map((s) => s.trim()).filter(Boolean) : [],
    peerPublicKey: value('PublicKey'),
    privateKeyVar: /^PrivateKey\s*=\s*\{\{\s*(\w+)\s*\}\}/m.exec(text)?.[1],
  };
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function ipv4(value: string, what: string): string {
  const m = IPV4.exec(value);
  if (!m || m.slice(1).some((o) => Number(o) > 255)) throw new Error(`${what}: '${value}' is not an IPv4 address`);
  return value;
}

function parseEndpoint(endpoint: string): { address: string; port: number } {
  const m = /^([\d.]+):(\d+)$/.exec(endpoint.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`endpoint: '${endpoint}' is not IPv4:port`);
  return { address: ipv4(m[1]!, 'endpoint'), port: Number(m[2]) };
}

/**
 * The internet server: HTTP and UDP answering with the source address they see; and the dead-man
 * switch, which answers 200 to anything and prints each request as a 'deadman {json}' line. Plain Node.
 */
const SERVER_JS = `
const http = require('node:http'), dgram = require('node:dgram');
const [host, httpPort, udpPort, deadman] = process.argv.slice(1);
const peer = (a) => String(a).replace(/^::ffff:/, '');
let pending = 3;
const ready = () => { if (--pending === 0) process.stdout.write('ready\\n'); };
http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { if (body.length < 4096) body += d; });
  req.on('end', () => {
    process.stdout.write('deadman ' + JSON.stringify({ time: Date.now(), method: req.method, path: req.url, peer: peer(req.socket.remoteAddress), body: body.slice(0, 4096) }) + '\\n');
    res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
    res.end('OK\\n');
  });
}).listen(Number(httpPort), deadman, ready);
http.createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
  res.end('peer=' + peer(req.socket.remoteAddress) + '\\n');
}).listen(Number(httpPort), host, ready);
const udp = dgram.createSocket('udp4');
udp.on('message', (msg, r) => udp.send('peer=' + r.address + '\\n', r.port, r.address));
udp.bind(Number(udpPort), host, ready);
`;

/** Creates the internet and the provider next to the twin namespace; tears down what it made on failure. */
export async function setUpInternet(opts: InternetOptions): Promise<Internet> {
  const name = opts.name ?? DEFAULT_NAME;
  const vpnNs = `${name}-vpn`;
  const twin = opts.twinNetns;
  const A = INTERNET_ADDRESSES;
  const endpoint = parseEndpoint(opts.endpoint);
  const clientTunnel = ipv4(opts.clientTunnelAddress.split('/')[0]!, 'clientTunnelAddress');
  const gateway = ipv4(opts.lanGateway, 'lanGateway');
  const dns = (opts.tunnelDns ?? []).map((d) => ipv4(d, 'tunnelDns'));
  const taken = new Set<string>(Object.values(A));
  for (const [what, a] of [['endpoint', endpoint.address], ['clientTunnelAddress', clientTunnel], ['lanGateway', gateway], ...dns.map((d) => ['tunnelDns', d])] as const) {
    if (taken.has(a)) throw new Error(`${what} ${a} collides with the stand-in internet's own addresses (${Object.values(A).join(', ')})`);
  }
  for (const k of [opts.providerPrivateKey, opts.clientPublicKey]) {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(k.trim())) throw new Error('providerPrivateKey and clientPublicKey must be WireGuard keys (44 characters of base64)');
  }

  const run = (args: readonly string[], input?: string): Promise<ExecResult> => exec(args[0]!, args.slice(1), { input, timeoutMs: 20_000 });
  const inNs = (ns: string, script: string) => run(['ip', 'netns', 'exec', ns, 'sh', '-ec', script]);

  // Refuse to adopt namespaces this instance did not create (another run, or a crash: teardownInternet).
  const existing = (await run(['ip', 'netns', 'list'])).stdout.split('\n').map((l) => l.split(' ')[0]);
  if (!existing.includes(twin)) throw new Error(`the twin namespace ${twin} does not exist`);
  for (const ns of [name, vpnNs]) {
    if (existing.includes(ns)) throw new Error(`network namespace ${ns} exists already: a twin internet is running or was not torn down (teardownInternet)`);
  }
  const lanPrefix = await lanPrefixOf(twin, gateway);
  let log = opts.logFile ? fs.openSync(opts.logFile, 'a') : undefined;

  const created: string[] = [];
  let twinTable = false;
  let forwardBefore: string | undefined;
  let wg: ChildProcess | undefined;
  let server: ChildProcess | undefined;
  let tornDown = false;

  const deadmanRequests: DeadmanRequest[] = [];
  const startProcess = async (
    what: string,
    args: readonly string[],
    ready: (out: string, pid: number) => boolean | Promise<boolean>,
    onLine?: (line: string) => void,
  ): Promise<ChildProcess> => {
    const child = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LOG_LEVEL: undefined } });
    if (!child.pid) throw new Error(`cannot start ${what}`);
    let out = '';
    let partial = '';
    if (onLine) {
      child.stdout!.on('data', (d: Buffer) => {
        const lines = (partial + d.toString()).split('\n');
        partial = lines.pop() ?? '';
        for (const l of lines) onLine(l);
      });
    }
    const collect = (d: Buffer) => {
      out = (out + d.toString()).slice(-20_000);
      try {
        if (log !== undefined) fs.writeSync(log, d);
      } catch {
        // the log is closed (teardown): the output of a dying process is not needed
      }
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    const end = Date.now() + 10_000;
    while (!(await ready(out, child.pid))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}):\n${out}`);
      if (Date.now() > end) {
        await killPid(child.pid);
        throw new Error(`${what} did not come up within 10 s:\n${out}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    return child;
  };

  /** wireguard-go in a private mount namespace (tmpfs on /run), then `wg set` inside it. */
  const startEndpoint = async (): Promise<void> => {
    if (wg && wg.exitCode === null && wg.signalCode === null) return;
    const proc = await startProcess(
      'the provider\'s wireguard-go',
      ['ip', 'netns', 'exec', vpnNs, 'sh', '-c', 'mount -t tmpfs -o mode=0755 twin-provider-run /run && exec wireguard-go -f "$0"', IF.wg],
      async (_out, pid) => commOf(pid) === 'wireguard-go'
        && (await exec('nsenter', ['-t', String(pid), '-m', '-n', '--', 'test', '-S', `/run/wireguard/${IF.wg}.sock`], { allowFailure: true })).code === 0,
    );
    wg = proc;
    const inWg = ['nsenter', '-t', String(proc.pid), '-m', '-n', '--'];
    // The key goes through a file in wireguard-go's private /run (a tmpfs), never onto a disk.
    await run([...inWg, 'sh', '-ec', [
      'umask 077',
      'cat > /run/provider.key',
      `wg set ${IF.wg} private-key /run/provider.key listen-port ${endpoint.port} peer ${opts.clientPublicKey.trim()} allowed-ips ${clientTunnel}/32`,
      'rm -f /run/provider.key',
    ].join('\n')], `${opts.providerPrivateKey.trim()}\n`);
    await inNs(vpnNs, [
      ...dns.map((d) => `ip addr add ${d}/32 dev ${IF.wg}`),
      `ip link set ${IF.wg} up`,
      `ip route add ${clientTunnel}/32 dev ${IF.wg}`,
    ].join('\n'));
  };
  const stopEndpoint = async (): Promise<void> => {
    const proc = wg;
    wg = undefined;
    if (!proc?.pid) return;
    await killPid(proc.pid);
    for (let i = 0; i < 100; i++) {
      if ((await exec('ip', ['-n', vpnNs, 'link', 'show', IF.wg], { allowFailure: true })).code !== 0) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the provider's interface ${IF.wg} is still there after its wireguard-go was stopped`);
  };

  const teardown = async (): Promise<string[]> => {
    const errors: string[] = [];
    const attempt = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn();
      } catch (err) {
        errors.push(`${what}: ${(err as Error).message}`);
      }
    };
    for (const [what, p] of [['wireguard-go', wg], ['the internet server', server]] as const) {
      if (p?.pid && p.exitCode === null && p.signalCode === null) await attempt(`stop ${what} (pid ${p.pid})`, () => killPid(p.pid!));
    }
    wg = undefined;
    server = undefined;
    if (!tornDown) {
      errors.push(...(await removeInternet(twin, name, { forwardBefore, twinTable, created })));
      if (log !== undefined) fs.closeSync(log);
      log = undefined;
    }
    tornDown = true;
    return errors;
  };

  try {
    // The namespaces and the two links.
    for (const ns of [name, vpnNs]) {
      await run(['ip', 'netns', 'add', ns]);
      created.push(ns);
      await run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
    }
    await inNs(name, [
      `ip link add ${IF.isp} type veth peer name ${IF.twinWan} netns ${twin}`,
      `ip link add ${IF.prov} type veth peer name ${IF.uplink} netns ${vpnNs}`,
      `ip addr add ${A.isp}/30 dev ${IF.isp}`,
      `ip addr add ${A.providerLinkInternet}/30 dev ${IF.prov}`,
      `ip addr add ${A.server}/32 dev lo`,
      `ip addr add ${A.deadman}/32 dev lo`,
      `ip link set ${IF.isp} up`,
      `ip link set ${IF.prov} up`,
      `ip route add ${endpoint.address}/32 via ${A.providerLinkProvider}`,
      `ip route add ${A.exit}/32 via ${A.providerLinkProvider}`,
      'sysctl -qw net.ipv4.ip_forward=1',
    ].join('\n'));
    await inNs(vpnNs, [
      `ip addr add ${A.providerLinkProvider}/30 dev ${IF.uplink}`,
      `ip addr add ${endpoint.address}/32 dev lo`,
      `ip addr add ${A.exit}/32 dev lo`,
      `ip link set ${IF.uplink} up`,
      // Replies of the endpoint leave from its own address (a client accepts no other source).
      `ip route add default via ${A.providerLinkInternet} src ${endpoint.address}`,
      'sysctl -qw net.ipv4.ip_forward=1',
    ].join('\n'));

    // The twin side: routes to the two internet addresses, forwarding, the router's NAT and counter.
    forwardBefore = (await inNs(twin, 'sysctl -n net.ipv4.ip_forward')).stdout.trim();
    await inNs(twin, [
      `ip addr add ${A.twinWan}/30 dev ${IF.twinWan}`,
      `ip link set ${IF.twinWan} up`,
      `ip route add ${endpoint.address}/32 via ${A.isp} dev ${IF.twinWan}`,
      `ip route add ${A.server}/32 via ${A.isp} dev ${IF.twinWan}`,
      `ip route add ${A.deadman}/32 via ${A.isp} dev ${IF.twinWan}`,
      'sysctl -qw net.ipv4.ip_forward=1',
    ].join('\n'));
    twinTable = true;
    await run(['ip', 'netns', 'exec', twin, 'nft', '-f', '-'], `table inet ${TWIN_TABLE} {
  set routed { type ipv4_addr; size 65535; flags dynamic; counter; comment "packets routed to the internet around the tunnel, by LAN source (before the NAT)"; }
  chain forward {
    type filter hook forward priority -10; policy accept;
    oifname "${IF.twinWan}" ip daddr ${endpoint.address} udp dport ${endpoint.port} return comment "the tunnel's own packets"
    oifname "${IF.twinWan}" ip daddr ${A.deadman} tcp dport ${SERVER_HTTP_PORT} return comment "Alertmanager's heartbeats to the dead-man switch"
    oifname "${IF.twinWan}" update @routed { ip saddr counter }
  }
  chain output {
    type filter hook output priority -10; policy accept;
    oifname "${IF.twinWan}" ip daddr ${endpoint.address} udp dport ${endpoint.port} return
    oifname "${IF.twinWan}" update @routed { ip saddr counter }
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${IF.twinWan}" masquerade comment "the home router's NAT: the LAN (${lanPrefix}) leaves from ${A.twinWan}"
  }
}
`);

    // The internet side's counters, before anything can arrive.
    await run(['ip', 'netns', 'exec', name, 'nft', '-f', '-'], `table inet ${INTERNET_TABLE} {
  set sources { type ipv4_addr; size 65535; flags dynamic; counter; comment "packets for the internet server by source"; }
  counter exit { comment "for the server, from the provider's exit address (through the tunnel)"; }
  counter leaked { comment "for the server, from any other source"; }
  counter underlay { comment "the tunnel's own packets to the endpoint, from the twin"; }
  chain prerouting {
    type filter hook prerouting priority -300; policy accept;
    ip daddr ${A.server} update @sources { ip saddr counter }
    ip daddr ${A.server} ip saddr ${A.exit} counter name exit
    ip daddr ${A.server} ip saddr != ${A.exit} counter name leaked
    iifname "${IF.isp}" ip daddr ${endpoint.address} udp dport ${endpoint.port} counter name underlay
  }
}
`);
    // The provider's egress NAT: tunnel traffic reaches the internet from the exit address.
    await run(['ip', 'netns', 'exec', vpnNs, 'nft', '-f', '-'], `table ip ${PROVIDER_TABLE} {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "${IF.uplink}" ip saddr ${clientTunnel} snat to ${A.exit}
  }
}
`);

    server = await startProcess(
      'the internet server',
      ['ip', 'netns', 'exec', name, process.execPath, '-e', SERVER_JS, A.server, String(SERVER_HTTP_PORT), String(SERVER_UDP_PORT), A.deadman],
      (out) => out.split('\n').includes('ready'),
      (line) => {
        if (!line.startsWith('deadman ')) return;
        try {
          deadmanRequests.push(JSON.parse(line.slice('deadman '.length)) as DeadmanRequest);
        } catch {
          // a line cut by the pipe's buffering is never cut: Node writes each one whole
        }
      },
    );
    await startEndpoint();
  } catch (err) {
    const errors = await teardown();
    throw new Error(`${(err as Error).message}${errors.length ? `\n(teardown after the failure: ${errors.join('; ')})` : ''}`);
  }

  const listSet = async (ns: string, table: string, set: string): Promise<Record<string, number>> => {
    const r = await run(['ip', 'netns', 'exec', ns, 'nft', '-j', 'list', 'set', 'inet', table, set]);
    const out: Record<string, number> = {};
    for (const item of (JSON.parse(r.stdout) as { nftables: any[] }).nftables) {
      for (const e of item.set?.elem ?? []) {
        // {"elem": {"val": "10.10.10.26", "counter": {"packets": 3, "bytes": 180}}}
        if (e?.elem?.val !== undefined) out[String(e.elem.val)] = Number(e.elem.counter?.packets ?? 0);
      }
    }
    return out;
  };
  const counter = async (ns: string, table: string, c: string): Promise<number> => {
    const r = await run(['ip', 'netns', 'exec', ns, 'nft', '-j', 'list', 'counter', 'inet', table, c]);
    const item = (JSON.parse(r.stdout) as { nftables: any[] }).nftables.find((i) => i.counter);
    return Number(item?.counter?.packets ?? NaN);
  };

  return {
    namespaces: [name, vpnNs],
    server: A.server,
    exitAddress: A.exit,
    endpoint,
    url: `http://${A.server}:${SERVER_HTTP_PORT}/`,
    deadmanRequests: () => [...deadmanRequests],
    async counters() {
      const [exit, leaked, underlay, bySource, routedByLanSource] = await Promise.all([
        counter(name, INTERNET_TABLE, 'exit'),
        counter(name, INTERNET_TABLE, 'leaked'),
        counter(name, INTERNET_TABLE, 'underlay'),
        listSet(name, INTERNET_TABLE, 'sources'),
        listSet(twin, TWIN_TABLE, 'routed'),
      ]);
      return { exit, leaked, bySource, underlay, routedByLanSource };
    },
    async reset() {
      await inNs(name, `nft reset counters table inet ${INTERNET_TABLE} >/dev/null\nnft flush set inet ${INTERNET_TABLE} sources`);
      await inNs(twin, `nft flush set inet ${TWIN_TABLE} routed`);
    },
    async tunnel() {
      if (!wg?.pid) return undefined;
      const r = await exec('nsenter', ['-t', String(wg.pid), '-m', '-n', '--', 'wg', 'show', IF.wg, 'dump'], { allowFailure: true });
      if (r.code !== 0) return undefined;
      // Line 2: public-key preshared-key endpoint allowed-ips latest-handshake rx tx keepalive
      const peer = r.stdout.trim().split('\n')[1]?.split('\t');
      if (!peer) return undefined;
      return { latestHandshake: Number(peer[4]), clientEndpoint: peer[2] === '(none)' ? undefined : peer[2], rxBytes: Number(peer[5]), txBytes: Number(peer[6]) };
    },
    stopEndpoint,
    startEndpoint,
    pids: () => [wg, server].flatMap((p) => (p?.pid && p.exitCode === null && p.signalCode === null ? [p.pid] : [])),
    teardown,
  };
}

function commOf(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** The LAN subnet (CIDR) of the gateway address in the twin namespace. */
async function lanPrefixOf(twin: string, gateway: string): Promise<string> {
  const r = await exec('ip', ['-n', twin, '-j', '-4', 'addr', 'show']);
  for (const link of JSON.parse(r.stdout) as { addr_info?: { local: string; prefixlen: number }[] }[]) {
    for (const a of link.addr_info ?? []) {
      if (a.local !== gateway) continue;
      const bits = a.prefixlen;
      const n = gateway.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
      const net = bits === 0 ? 0 : n - (n % 2 ** (32 - bits));
      return `${[24, 16, 8, 0].map((s) => Math.floor(net / 2 ** s) % 256).join('.')}/${bits}`;
    }
  }
  throw new Error(`the twin namespace ${twin} has no address ${gateway} (lanGateway)`);
}

/**
 * Removes the internet `name` (and `<name>-vpn`) and its traces in the twin namespace, from any
 * process: kills what runs inside the two namespaces (nothing but this module's processes runs
 * there), deletes them, and deletes the twin side's table. Returns what it could not undo.
 */
export async function teardownInternet(twinNetns: string, name = DEFAULT_NAME): Promise<string[]> {
  return removeInternet(twinNetns, name, { twinTable: true, created: [name, `${name}-vpn`] });
}

async function removeInternet(twin: string, name: string, what: { forwardBefore?: string; twinTable: boolean; created: readonly string[] }): Promise<string[]> {
  const errors: string[] = [];
  const listed = async () => (await exec('ip', ['netns', 'list'], { allowFailure: true })).stdout.split('\n').map((l) => l.split(' ')[0]);
  const present = await listed();
  for (const ns of [...what.created].reverse()) {
    if (!present.includes(ns)) continue;
    const pids = (await exec('ip', ['netns', 'pids', ns], { allowFailure: true })).stdout.split('\n').filter(Boolean).map(Number);
    for (const pid of pids) {
      try {
        await killPid(pid);
      } catch (err) {
        errors.push(`stop pid ${pid} in ${ns}: ${(err as Error).message}`);
      }
    }
    // Deleting the namespace deletes its veth ends, their peers and the twin's routes through them.
    const r = await exec('ip', ['netns', 'del', ns], { allowFailure: true });
    if (r.code !== 0) errors.push(`delete namespace ${ns}: ${r.stderr.trim()}`);
  }
  if (present.includes(twin)) {
    if (what.twinTable) {
      const r = await exec('ip', ['netns', 'exec', twin, 'nft', 'delete', 'table', 'inet', TWIN_TABLE], { allowFailure: true });
      if (r.code !== 0 && !/No such file or directory/.test(r.stderr)) errors.push(`delete table inet ${TWIN_TABLE} in ${twin}: ${r.stderr.trim()}`);
    }
    // The kernel destroys a deleted namespace's devices (and so wan0, their peer) asynchronously.
    const wan = async () => (await exec('ip', ['-n', twin, 'link', 'show', IF.twinWan], { allowFailure: true })).code === 0;
    for (let i = 0; i < 100 && (await wan()); i++) await new Promise((r) => setTimeout(r, 50));
    if (await wan()) {
      const r = await exec('ip', ['-n', twin, 'link', 'del', IF.twinWan], { allowFailure: true });
      if (r.code !== 0 && !/Cannot find device/.test(r.stderr)) errors.push(`delete ${IF.twinWan} in ${twin}: ${r.stderr.trim()}`);
    }
    if (what.forwardBefore !== undefined && what.forwardBefore !== '1') {
      const r = await exec('ip', ['netns', 'exec', twin, 'sysctl', '-qw', `net.ipv4.ip_forward=${what.forwardBefore}`], { allowFailure: true });
      if (r.code !== 0) errors.push(`restore net.ipv4.ip_forward in ${twin}: ${r.stderr.trim()}`);
    }
  }
  const left = (await listed()).filter((ns) => what.created.includes(ns));
  if (left.length) errors.push(`namespaces still there: ${left.join(', ')}`);
  return errors;
}
