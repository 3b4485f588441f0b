/**
 * The WireGuard server's remote access, proven from the outside (issue 11, item 4): a phone on the
 * twin's internet dials the lab's public address, the home router forwards the port to the server's
 * container, the handshake completes, and the phone reaches a LAN service by its address.
 *
 *   <internet>-phone (the phone)          <internet> ("the internet")      twin namespace (the router)
 *   lo: nothing; wgphone 10.10.99.2/32     phone0 198.51.100.201/30          wan0 192.0.2.2: udp 51820 →
 *   link0 198.51.100.202/30 ── veth ──     isp0 192.0.2.1 ── veth ── wan0    DNAT to the server's container
 *
 * The phone runs wireguard-go in a private mount namespace (its control socket never appears in the
 * machine's /run), configured with `wg set` from the generated client config: its private key (whose
 * public half the twin synthesized into the model as the example peer's key), the server's public key
 * read from the server (`wg show <if> public-key`; Ansible generated it there), the router's WAN
 * address as the endpoint, AllowedIPs as generated. Everything is undone before the function returns;
 * after a crash, removePhone() (called by teardownInternet) deletes the namespace and the router's
 * forward.
 */
import { spawn } from 'node:child_process';
import { exec, ExecResult } from './exec';
import { killPid } from './host';
import { INTERNET_ADDRESSES } from './internet';

export const PHONE = {
  /** The phone's side of its link to the internet (documentation range, RFC 5737). */
  address: '198.51.100.202',
  internetSide: '198.51.100.201',
  prefix: 30,
  net: '198.51.100.200/30',
} as const;
const IF = { phone: 'link0', internet: 'phone0', wg: 'wgphone' } as const;
const FORWARD_TABLE = 'homelab_twin_portforward';

/** The values of a generated WireGuard client config (clients/<peer>.conf.j2) the phone needs. */
export interface PhoneConfig {
  readonly address: string;
  readonly allowedIps: string[];
  readonly endpointPort: number;
  readonly keepalive?: number;
}

export function parsePhoneConfig(text: string): PhoneConfig {
  const value = (k: string) => new RegExp(`^${k}\\s*=\\s*(.+?)\\s*$`, 'm').exec(text)?.[1];
  const address = value('Address')?.split(',')[0]?.trim().replace(/\/32$/, '');
  const endpoint = value('Endpoint');
  const allowed = value('AllowedIPs');
  if (!address || !endpoint || !allowed) throw new Error('the client config has no Address, Endpoint or AllowedIPs');
  const port = Number(/:(\d+)$/.exec(endpoint)?.[1]);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`the client config's Endpoint '${endpoint}' has no port`);
  const keepalive = value('PersistentKeepalive');
  return { address, allowedIps: allowed.split(',').map((s) => s.trim()).filter(Boolean), endpointPort: port, keepalive: keepalive ? Number(keepalive) : undefined };
}

export interface PhoneOptions {
  /** The twin's namespace (the home router) and the internet's (internet.ts). */
  readonly twinNetns: string;
  readonly internetNetns: string;
  readonly config: PhoneConfig;
  readonly privateKey: string;
  readonly serverPublicKey: string;
  /** The server container's LAN address: the router forwards the port there. */
  readonly serverAddress: string;
  /** A LAN service the phone must reach by IP, and from the router's side what answers there. */
  readonly target: { readonly address: string; readonly port: number; readonly what: string };
}

export interface PhoneReport {
  readonly handshake: boolean;
  readonly reached: boolean;
  readonly target: string;
  readonly ok: boolean;
  readonly detail: string;
}

export const phoneNetns = (internetNetns: string) => `${internetNetns}-phone`;

export async function phonePeerCheck(opts: PhoneOptions): Promise<PhoneReport> {
  const ns = phoneNetns(opts.internetNetns);
  const run = (args: readonly string[], input?: string): Promise<ExecResult> => exec(args[0]!, args.slice(1), { input, timeoutMs: 30_000 });
  const inNs = (n: string, script: string) => run(['ip', 'netns', 'exec', n, 'sh', '-ec', script]);
  const target = `${opts.target.what} http://${opts.target.address}:${opts.target.port}/`;
  let wgPid: number | undefined;
  try {
    await run(['ip', 'netns', 'add', ns]);
    await inNs(ns, [
      'ip link set lo up',
      `ip link add ${IF.phone} type veth peer name ${IF.internet} netns ${opts.internetNetns}`,
      `ip addr add ${PHONE.address}/${PHONE.prefix} dev ${IF.phone}`,
      `ip link set ${IF.phone} up`,
      `ip route add default via ${PHONE.internetSide}`,
    ].join('\n'));
    await inNs(opts.internetNetns, [`ip addr add ${PHONE.internetSide}/${PHONE.prefix} dev ${IF.internet}`, `ip link set ${IF.internet} up`].join('\n'));
    // The home router: a route back to the phone's network, and the port forward to the server.
    await inNs(opts.twinNetns, `ip route add ${PHONE.net} via ${INTERNET_ADDRESSES.isp} dev wan0`);
    await run(['ip', 'netns', 'exec', opts.twinNetns, 'nft', '-f', '-'], `table ip ${FORWARD_TABLE} {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" udp dport ${opts.config.endpointPort} dnat to ${opts.serverAddress}:${opts.config.endpointPort} comment "the router's port forward to the WireGuard server"
  }
}
`);
    // wireguard-go in its own mount namespace, then its interface configured as the client config says.
    const child = spawn('ip', ['netns', 'exec', ns, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c',
      'mount -t tmpfs -o mode=0755 twin-phone-run /run && exec wireguard-go -f "$0"', IF.wg], { stdio: 'ignore' });
    if (!child.pid) throw new Error('cannot start the phone\'s wireguard-go');
    wgPid = child.pid;
    let wgProc: number | undefined;
    for (let i = 0; i < 200 && wgProc === undefined; i++) {
      const r = await exec('sh', ['-c', `for p in $(pgrep -P ${child.pid}) ${child.pid}; do [ "$(cat /proc/$p/comm 2>/dev/null)" = wireguard-go ] && echo $p; done; true`], { allowFailure: true });
      const pid = Number(r.stdout.trim().split('\n')[0]);
      if (pid > 0 && (await exec('nsenter', ['-t', String(pid), '-m', '-n', '--', 'test', '-S', `/run/wireguard/${IF.wg}.sock`], { allowFailure: true })).code === 0) wgProc = pid;
      else await new Promise((r) => setTimeout(r, 50));
    }
    if (wgProc === undefined) throw new Error('the phone\'s wireguard-go did not come up');
    const inWg = ['nsenter', '-t', String(wgProc), '-m', '-n', '--'];
    await run([...inWg, 'sh', '-ec', [
      'umask 077',
      'cat > /run/phone.key',
      `wg set ${IF.wg} private-key /run/phone.key peer ${opts.serverPublicKey} endpoint ${INTERNET_ADDRESSES.twinWan}:${opts.config.endpointPort} ` +
        `allowed-ips ${opts.config.allowedIps.join(',')}${opts.config.keepalive ? ` persistent-keepalive ${opts.config.keepalive}` : ''}`,
      'rm -f /run/phone.key',
      `ip addr add ${opts.config.address}/32 dev ${IF.wg}`,
      `ip link set ${IF.wg} up`,
      ...opts.config.allowedIps.map((n) => `ip route add ${n} dev ${IF.wg}`),
    ].join('\n')], `${opts.privateKey.trim()}\n`);
    const reach = await run(['ip', 'netns', 'exec', ns, 'curl', '-sS', '-o', '/dev/null', '-w', '%{http_code}', '-m', '10', '--retry', '3', '--retry-all-errors', `http://${opts.target.address}:${opts.target.port}/`]).catch((e: Error) => ({ code: 1, stdout: '', stderr: e.message }) as ExecResult);
    const dump = await exec('nsenter', [...inWg.slice(1), 'wg', 'show', IF.wg, 'latest-handshakes'], { allowFailure: true });
    const handshake = Number(dump.stdout.trim().split(/\s+/)[1] ?? 0) > 0;
    const status = Number(reach.stdout.trim());
    const reached = reach.code === 0 && status > 0;
    return {
      handshake,
      reached,
      target,
      ok: handshake && reached,
      detail: `${handshake ? 'handshake completed' : 'no handshake'}; ${target}: ${reached ? `HTTP ${status}` : (reach.stderr || 'no answer').trim().split('\n').pop()}`,
    };
  } catch (err) {
    return { handshake: false, reached: false, target, ok: false, detail: (err as Error).message };
  } finally {
    if (wgPid) await killPid(wgPid).catch(() => undefined);
    await removePhone(opts.twinNetns, opts.internetNetns);
  }
}

/** Deletes the phone's namespace and the router's forward and route; returns what it could not undo. */
export async function removePhone(twinNetns: string, internetNetns: string): Promise<string[]> {
  const errors: string[] = [];
  const ns = phoneNetns(internetNetns);
  const present = (await exec('ip', ['netns', 'list'], { allowFailure: true })).stdout.split('\n').map((l) => l.split(' ')[0]);
  if (present.includes(ns)) {
    for (const pid of (await exec('ip', ['netns', 'pids', ns], { allowFailure: true })).stdout.split('\n').filter(Boolean).map(Number)) {
      await killPid(pid).catch((e: Error) => errors.push(`stop pid ${pid} in ${ns}: ${e.message}`));
    }
    const r = await exec('ip', ['netns', 'del', ns], { allowFailure: true });
    if (r.code !== 0) errors.push(`delete namespace ${ns}: ${r.stderr.trim()}`);
  }
  if (present.includes(twinNetns)) {
    const t = await exec('ip', ['netns', 'exec', twinNetns, 'nft', 'delete', 'table', 'ip', FORWARD_TABLE], { allowFailure: true });
    if (t.code !== 0 && !/No such file or directory/.test(t.stderr)) errors.push(`delete table ip ${FORWARD_TABLE}: ${t.stderr.trim()}`);
    const r = await exec('ip', ['-n', twinNetns, 'route', 'del', PHONE.net], { allowFailure: true });
    if (r.code !== 0 && !/No such process|Cannot find device/.test(r.stderr)) errors.push(`delete the route to ${PHONE.net}: ${r.stderr.trim()}`);
  }
  return errors;
}
