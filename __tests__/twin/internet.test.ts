/**
 * Issue 11, item 4: the twin's internet (tools/twin/internet.ts) — a VPN provider's WireGuard
 * endpoint and an internet server behind the twin's gateway, counting on the internet side.
 *
 * GIVEN the reference lab synthesized the way the twin does it (tools/twin/synth-lab.ts with the
 * provider public key as third argument), its generated wg-quick file rendered with a vault-shaped
 * client key (tools/twin/vault.ts) and its generated kill switch, loaded byte for byte,
 * AND namespaces of this test (hcinet-<random>-*), standing in for the twin:
 *   twin  the twin's namespace: bridge vmbr0 with the gateway 10.10.10.1 and the twin's Proxmox
 *         firewall translated from the same synth output (firewall-nft.ts) on the veths
 *   qbt   qBittorrent's LXC (10.10.10.26, veth126i0), running wg-quick (wireguard-go) in a private
 *         mount namespace, the kill switch, and a Docker stand-in: bridge docker0, masquerade, DNAT 8080
 *   ctr   its Docker container (172.30.0.2) serving the web UI on 8080
 *   lan   Sonarr (10.10.10.22, veth122i0), a declared client of the web UI, and a stranger (.99)
 * WHEN setUpInternet() adds the internet and the provider next to the stand-in twin
 * THEN requests from the host and from its container reach the internet server from the provider's
 * exit address and no packet for it arrives from anywhere else; with the endpoint stopped or the
 * client's wireguard-go killed, requests fail and zero packets arrive; Sonarr still reaches the
 * web UI; without the kill switch the same request arrives from the twin's NAT and is counted (so
 * the counter can fail); teardown leaves no namespace, process, table or route behind.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  INTERNET_ADDRESSES, Internet, InternetOptions, parseWgClientConfig, setUpInternet, SERVER_UDP_PORT, teardownInternet, wgKeyPair, wgPublicKey,
} from '../../tools/twin/internet';
import { REQUIRED_SYSCTLS, translateFirewalls, vethName } from '../../tools/twin/firewall-nft';
import { readDatacenterFirewall, readFirewalls } from '../../tools/twin/probe-sources';
import { testSecret } from '../../tools/twin/vault';
import { REPO_ROOT } from '../support/controller';
import { namespaceSkipReason, PROBE, renderJinjaVars } from '../network/netns';

const SKIP = namespaceSkipReason(['ip', 'nft', 'wg', 'wg-quick', 'wireguard-go', 'nsenter', 'curl']);

const GATEWAY = '10.10.10.1';
const QBT = '10.10.10.26';
const SONARR = '10.10.10.22';
const STRANGER = '10.10.10.99';
const CTR_GW = '172.30.0.1';
const CTR = '172.30.0.2';
const SERVER = INTERNET_ADDRESSES.server;
const EXIT = INTERNET_ADDRESSES.exit;
const TWIN_WAN = INTERNET_ADDRESSES.twinWan;

describe('the twin\'s internet: inputs', () => {
  const conf = [
    '[Interface]', 'PrivateKey = {{ vault_qbittorrent_wireguard_private_key }}', 'Address = 10.66.12.34/32', 'DNS = 10.64.0.1, 10.64.0.2', '',
    '[Peer]', 'PublicKey = ExampleVpnProviderKeyReplaceWithYourOwn0000=', 'Endpoint = 198.51.100.10:51820', 'AllowedIPs = 0.0.0.0/0, ::/0',
  ].join('\n');
  const key = 'ExampleVpnProviderKeyReplaceWithYourOwn0000=';
  const opts = { twinNetns: 'hcinet-absent', lanGateway: GATEWAY, endpoint: '198.51.100.10:51820', providerPrivateKey: key, clientPublicKey: key, clientTunnelAddress: '10.66.12.34/32' };

  it('reads what the internet needs from a generated wg-quick file', () => {
    expect(parseWgClientConfig(conf)).toEqual({
      endpoint: '198.51.100.10:51820', address: '10.66.12.34/32', dns: ['10.64.0.1', '10.64.0.2'],
      peerPublicKey: key, privateKeyVar: 'vault_qbittorrent_wireguard_private_key',
    });
  });

  it('fails when an address collides with the stand-in internet\'s own, or a key or endpoint is malformed, before touching anything', async () => {
    await expect(setUpInternet({ ...opts, endpoint: `${SERVER}:51820` })).rejects.toThrow(`endpoint ${SERVER} collides with the stand-in internet's own addresses`);
    await expect(setUpInternet({ ...opts, clientTunnelAddress: `${EXIT}/32` })).rejects.toThrow('clientTunnelAddress 198.51.100.99 collides');
    await expect(setUpInternet({ ...opts, endpoint: 'vpn.example.org:51820' })).rejects.toThrow("endpoint: 'vpn.example.org:51820' is not IPv4:port");
    await expect(setUpInternet({ ...opts, clientPublicKey: 'not-a-key' })).rejects.toThrow('must be WireGuard keys');
  });
});

describe.skipIf(SKIP !== undefined)(`the twin's internet: VPN egress counted on the internet side${SKIP ? ` [skipped: ${SKIP}]` : ''}`, () => {
  const id = randomBytes(3).toString('hex');
  const NS = { twin: `hcinet-${id}-twin`, qbt: `hcinet-${id}-qbt`, ctr: `hcinet-${id}-ctr`, lan: `hcinet-${id}-lan` };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hcinet-'));
  const binDir = path.join(dir, 'bin');
  const wgFile = path.join(dir, 'wg0.conf');
  const started: ChildProcess[] = [];
  const created: string[] = [];
  let holder: ChildProcess | undefined;
  let internet: Internet | undefined;
  let options: InternetOptions | undefined;

  const env = (): NodeJS.ProcessEnv => {
    const e: NodeJS.ProcessEnv = { ...process.env, PATH: `${binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`, PROBE_TIMEOUT_MS: '1500' };
    delete e.LOG_LEVEL;
    return e;
  };
  /** A script in `ns`; for qbt inside the holder's mount namespace (wireguard-go's socket stays private). */
  const sh = (script: string, ns?: string, timeoutMs = 20_000) => {
    const argv = ns === NS.qbt && holder?.pid
      ? ['nsenter', '-t', String(holder.pid), '-m', '-n', '--', 'bash', '-c', script]
      : ns ? ['ip', 'netns', 'exec', ns, 'bash', '-c', script] : ['bash', '-c', script];
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: timeoutMs, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status ?? 137, stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
  };
  const must = (script: string, ns?: string, timeoutMs?: number) => {
    const r = sh(script, ns, timeoutMs);
    if (r.code !== 0) throw new Error(`failed (${r.code})${ns ? ` in ${ns}` : ''}: ${script}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const background = async (ns: string, script: string): Promise<ChildProcess> => {
    const child = spawn('ip', ['netns', 'exec', ns, 'sh', '-c', script], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${script} in ${ns}: no 'ready' within 10 s:\n${out}`)), 10_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').includes('ready')) clearTimeout(timer), resolve();
      });
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => (clearTimeout(timer), reject(new Error(`${script} in ${ns} exited ${code}:\n${out}`))));
    });
    child.removeAllListeners('exit');
    return child;
  };
  /** HTTP to the internet server: its answer names the source it sees. */
  const http = (ns: string) => {
    const r = sh(`curl -sS -m 2 ${internet!.url}`, ns, 10_000);
    return r.code === 0 ? r.stdout.trim() : `failed: ${r.stderr.trim().split('\n').pop()}`;
  };
  const udp = (ns: string) => {
    const r = sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} udp ${SERVER} ${SERVER_UDP_PORT}`, ns, 10_000);
    const res = JSON.parse(r.stdout.trim().split('\n').pop() || '{"ok":false,"error":"no output"}') as { ok: boolean; reply?: string; error?: string };
    return res.ok ? res.reply! : `failed: ${res.error}`;
  };
  const tcpTo = (ns: string, host: string, port: number, bind: string) => {
    const r = sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} tcp ${host} ${port} ${bind}`, ns, 10_000);
    return (JSON.parse(r.stdout.trim().split('\n').pop() || '{"ok":false}') as { ok: boolean }).ok;
  };
  const handshake = (): number => Number(must('wg show wg0 latest-handshakes', NS.qbt).trim().split(/\s+/)[1] ?? 0);
  const tunnelUp = () => {
    must(`wg-quick up ${wgFile}`, NS.qbt);
    for (let i = 0; i < 40 && handshake() === 0; i++) {
      sh(`curl -s -m 0.25 ${internet!.url} >/dev/null`, NS.qbt);
    }
    expect(handshake(), 'a WireGuard handshake with the provider').toBeGreaterThan(0);
  };

  beforeAll(async () => {
    fs.mkdirSync(binDir);
    // wg-quick hands the tunnel's DNS to resolvconf: a stand-in records it instead of touching /etc.
    fs.writeFileSync(path.join(binDir, 'resolvconf'), `#!/bin/sh\ncat > /dev/null\n`, { mode: 0o755 });

    // GIVEN the lab as the twin synthesizes it, with a provider key whose private half we hold
    const provider = await wgKeyPair();
    const out = path.join(dir, 'synth');
    const synth = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'tools', 'twin', 'synth-lab.ts'), out, 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHcinetTestKey hcinet', provider.publicKey], {
      cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000,
    });
    expect(synth.status, synth.stderr).toBe(0);
    const conf = fs.readFileSync(path.join(out, 'ansible', 'files', 'qbittorrent', 'wireguard', 'wg0.conf.j2'), 'utf8');
    const killSwitch = fs.readFileSync(path.join(out, 'ansible', 'files', 'qbittorrent', 'nftables', 'killswitch.nft'), 'utf8');
    const client = parseWgClientConfig(conf);
    expect(client.peerPublicKey, 'synth-lab.ts puts the provider key into the generated config').toBe(provider.publicKey);
    expect(client.privateKeyVar).toBe('vault_qbittorrent_wireguard_private_key');
    // The key the twin's vault holds, and its public half (what the provider knows the client by).
    const clientKey = testSecret(client.privateKeyVar!) as string;
    fs.writeFileSync(wgFile, renderJinjaVars(conf, { [client.privateKeyVar!]: clientKey }), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'killswitch.nft'), killSwitch);
    const firewall = translateFirewalls({
      firewalls: readFirewalls(out),
      datacenter: readDatacenterFirewall(out),
      ports: new Map([[126, vethName(126)], [122, vethName(122)]]),
    });
    fs.writeFileSync(path.join(dir, 'firewall.nft'), firewall.text);

    // The stand-in twin and its hosts.
    for (const ns of Object.values(NS)) {
      must(`ip netns add ${ns} && ip -n ${ns} link set lo up`);
      created.push(ns);
    }
    must([
      'ip link add vmbr0 type bridge', 'ip link set vmbr0 up', `ip addr add ${GATEWAY}/24 dev vmbr0`,
      `ip link add ${vethName(126)} type veth peer name eth0 netns ${NS.qbt}`, `ip link set ${vethName(126)} master vmbr0 up`,
      `ip link add ${vethName(122)} type veth peer name eth0 netns ${NS.lan}`, `ip link set ${vethName(122)} master vmbr0 up`,
      ...Object.entries(REQUIRED_SYSCTLS).map(([k, v]) => `sysctl -qw ${k}=${v}`),
      `nft -f ${dir}/firewall.nft`,
    ].join(' && '), NS.twin);
    must([`ip addr add ${QBT}/24 dev eth0`, 'ip link set eth0 up', `ip route add default via ${GATEWAY}`,
      `ip link add docker0 type veth peer name eth0 netns ${NS.ctr}`, `ip addr add ${CTR_GW}/24 dev docker0`, 'ip link set docker0 up',
      'sysctl -qw net.ipv4.ip_forward=1'].join(' && '), NS.qbt);
    must([`ip addr add ${CTR}/24 dev eth0`, 'ip link set eth0 up', `ip route add default via ${CTR_GW}`].join(' && '), NS.ctr);
    must([`ip addr add ${SONARR}/24 dev eth0`, `ip addr add ${STRANGER}/24 dev eth0`, 'ip link set eth0 up', `ip route add default via ${GATEWAY}`].join(' && '), NS.lan);
    // Docker's own rules for the stand-in (not generated by us): masquerade and the published web UI.
    must(`nft -f - <<'EOF'
table ip fake_docker {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local iifname != "docker0" tcp dport 8080 dnat to ${CTR}:8080
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 172.30.0.0/24 oifname != "docker0" masquerade
  }
}
EOF`, NS.qbt);
    await background(NS.ctr, `exec ${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} serve tcp:8080`);
    // qBittorrent's host keeps wireguard-go's socket in a mount namespace of its own (tmpfs on /run).
    holder = await background(NS.qbt, 'mount -t tmpfs -o mode=0755 hcinet-run /run && echo ready && exec sleep 900');

    // WHEN the internet is set up next to the twin
    options = {
      twinNetns: NS.twin,
      lanGateway: GATEWAY,
      endpoint: client.endpoint,
      providerPrivateKey: provider.privateKey,
      clientPublicKey: await wgPublicKey(clientKey),
      clientTunnelAddress: client.address,
      tunnelDns: client.dns,
      name: `hcinet-${id}-inet`,
    };
    internet = await setUpInternet(options);
    // AND the generated kill switch is loaded and the generated tunnel comes up
    must(`nft -c -f ${dir}/killswitch.nft && nft -f ${dir}/killswitch.nft`, NS.qbt);
    tunnelUp();
  }, 180_000);

  afterAll(async () => {
    const errors = internet ? await internet.teardown() : [];
    for (const c of started) if (c.pid && c.exitCode === null) try { process.kill(c.pid, 'SIGKILL'); } catch { /* gone */ }
    for (const ns of created) {
      for (const pid of sh(`ip netns pids ${ns}`).stdout.split(/\s+/).filter(Boolean)) try { process.kill(Number(pid), 'SIGKILL'); } catch { /* gone */ }
      sh(`ip netns del ${ns}`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(errors).toEqual([]);
  });

  it('routes the host and its Docker container through the tunnel: the internet sees only the provider\'s exit address', async () => {
    await internet!.reset();
    expect(http(NS.qbt), 'host, HTTP').toBe(`peer=${EXIT}`);
    expect(http(NS.ctr), 'Docker container, HTTP').toBe(`peer=${EXIT}`);
    expect(udp(NS.qbt), 'host, UDP').toBe(`peer=${EXIT}`);
    expect(udp(NS.ctr), 'Docker container, UDP').toBe(`peer=${EXIT}`);
    const c = await internet!.counters();
    expect(c.leaked).toBe(0);
    expect(Object.keys(c.bySource)).toEqual([EXIT]);
    expect(c.exit).toBe(c.bySource[EXIT]);
    expect(c.exit).toBeGreaterThanOrEqual(4 * 2);
    expect(c.underlay, 'the tunnel\'s own packets crossed the twin').toBeGreaterThan(0);
    expect(c.routedByLanSource, 'the twin routed nothing but the tunnel').toEqual({});
    const t = await internet!.tunnel();
    expect(t?.latestHandshake).toBeGreaterThan(0);
    // The provider sees the client behind the twin's NAT, from the port wg-quick chose.
    expect(t?.clientEndpoint).toMatch(new RegExp(`^${TWIN_WAN.replace(/\./g, '\\.')}:\\d+$`));
  });

  it('keeps the declared LAN client (Sonarr) on the web UI; a stranger stays out', () => {
    expect(tcpTo(NS.lan, QBT, 8080, SONARR)).toBe(true);
    expect(tcpTo(NS.lan, QBT, 8080, STRANGER)).toBe(false);
  });

  it('with the provider\'s endpoint stopped: requests fail and zero packets arrive; started again, the tunnel recovers', async () => {
    await internet!.stopEndpoint();
    expect(await internet!.tunnel()).toBeUndefined();
    await internet!.reset();
    expect(http(NS.qbt)).toMatch(/^failed/);
    expect(http(NS.ctr)).toMatch(/^failed/);
    expect(udp(NS.qbt)).toMatch(/^failed/);
    const c = await internet!.counters();
    expect({ exit: c.exit, leaked: c.leaked, bySource: c.bySource, routed: c.routedByLanSource }).toEqual({ exit: 0, leaked: 0, bySource: {}, routed: {} });
    expect(c.underlay, 'the client kept knocking at the endpoint').toBeGreaterThan(0);

    await internet!.startEndpoint();
    // The client's session keys died with the provider's process: a restart of its tunnel brings a
    // new handshake at once (waiting for WireGuard's own retry would take 15 s or more).
    must(`wg-quick down ${wgFile}`, NS.qbt);
    tunnelUp();
    expect(http(NS.qbt)).toBe(`peer=${EXIT}`);
  });

  it('with the client\'s wireguard-go killed: requests fail and zero packets arrive; the LAN still reaches the web UI', async () => {
    const pids = sh(`ip netns pids ${NS.qbt}`).stdout.split(/\s+/).filter(Boolean).map(Number)
      .filter((p) => { try { return fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === 'wireguard-go'; } catch { return false; } });
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    for (let i = 0; i < 100 && sh('ip link show wg0', NS.qbt).code === 0; i++) sh('sleep 0.05');
    expect(sh('ip link show wg0', NS.qbt).code, 'the tunnel interface vanished with its process').not.toBe(0);
    await internet!.reset();
    expect(http(NS.qbt)).toMatch(/^failed/);
    expect(http(NS.ctr)).toMatch(/^failed/);
    expect(udp(NS.ctr)).toMatch(/^failed/);
    const c = await internet!.counters();
    expect({ exit: c.exit, leaked: c.leaked, underlay: c.underlay, bySource: c.bySource, routed: c.routedByLanSource })
      .toEqual({ exit: 0, leaked: 0, underlay: 0, bySource: {}, routed: {} });
    expect(tcpTo(NS.lan, QBT, 8080, SONARR)).toBe(true);
  });

  it('negative control: without the kill switch the request leaks, arrives from the twin\'s NAT and is counted', async () => {
    must('nft delete table inet homelab_killswitch', NS.qbt);
    await internet!.reset();
    expect(http(NS.qbt)).toBe(`peer=${TWIN_WAN}`);
    expect(http(NS.ctr)).toBe(`peer=${TWIN_WAN}`);
    const c = await internet!.counters();
    expect(c.exit).toBe(0);
    expect(c.leaked).toBeGreaterThan(0);
    expect(Object.keys(c.bySource)).toEqual([TWIN_WAN]);
    // The gateway's counter names the leaking host (its Docker container is masqueraded to it).
    expect(Object.keys(c.routedByLanSource)).toEqual([QBT]);
  });

  it('teardown leaves no namespace, process, table, route or forwarding behind, and is safe to repeat', async () => {
    const pids = internet!.pids();
    expect(pids).toHaveLength(2);
    const [inetNs, vpnNs] = internet!.namespaces;
    expect(await internet!.teardown()).toEqual([]);
    const alive = pids.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
    expect(alive).toEqual([]);
    const listed = sh('ip netns list').stdout;
    expect(listed).not.toContain(inetNs);
    expect(listed).not.toContain(vpnNs);
    expect(must('nft list tables', NS.twin)).not.toContain('homelab_twin_wan');
    expect(sh('ip link show wan0', NS.twin).code).not.toBe(0);
    expect(must('ip route', NS.twin)).not.toContain(SERVER);
    expect(must('sysctl -n net.ipv4.ip_forward', NS.twin).trim()).toBe('0');
    expect(must('nft list tables', NS.twin), 'the twin\'s firewall stays').toContain('homelab_twin_fw');
    expect(await internet!.teardown()).toEqual([]);
  });

  it('teardownInternet() cleans up from another process knowing only the names (after a crash)', async () => {
    const again = await setUpInternet({ ...options!, name: `hcinet-${id}-inet2` });
    const pids = again.pids();
    expect(pids).toHaveLength(2);
    expect(await teardownInternet(NS.twin, `hcinet-${id}-inet2`)).toEqual([]);
    const alive = pids.filter((p) => { try { process.kill(p, 0); return true; } catch { return false; } });
    expect(alive).toEqual([]);
    expect(sh('ip netns list').stdout).not.toContain(`hcinet-${id}-inet2`);
    expect(must('nft list tables', NS.twin)).not.toContain('homelab_twin_wan');
    expect(sh('ip link show wan0', NS.twin).code).not.toBe(0);
    expect(await teardownInternet(NS.twin, `hcinet-${id}-inet2`), 'nothing left: a no-op').toEqual([]);
    expect(await again.teardown()).toEqual([]);
  });
});
