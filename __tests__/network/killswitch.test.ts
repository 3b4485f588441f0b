/**
 * The qBittorrent host's kill switch, proven with real packets from the GENERATED files.
 *
 * GIVEN the reference homelab synthesized to a temp dir, its generated wg-quick file (test keys in
 * place of the vault placeholder and of the example provider key) and its generated nftables
 * ruleset (loaded byte for byte: the namespaces use the reference addresses),
 * AND namespaces:
 *   vpnsrv   the LAN router (10.10.10.1 on a bridge) that is also "the internet" (203.0.113.80,
 *            a public resolver 203.0.113.53) and the VPN provider (endpoint 198.51.100.10:51820,
 *            resolver 10.64.0.1 behind the tunnel). An nft counter there counts every packet from
 *            the qBittorrent host that is neither LAN traffic nor the tunnel's own UDP: the leaks.
 *   torrent  the qBittorrent LXC at 10.10.10.26 (default route = the leak path), running wg-quick
 *            (which falls back to wireguard-go here) and the kill switch; Docker stand-in: a bridge
 *            `docker0` with Docker's masquerade and DNAT of the published ports.
 *   ctr      a container behind `docker0` (forwarded traffic), serving the WebUI and torrent port.
 *   lan      SWAG (.41), Prowlarr (.25) and a stranger (.99) on the LAN.
 * THEN through the tunnel the internet sees only the tunnel address; with the tunnel down and with
 * wireguard-go killed, TCP, UDP and DNS from the host and from the container leak zero packets while
 * the LAN stays reachable; inbound, only the declared peers reach the WebUI/proxy and only the
 * tunnel reaches the torrent port; and without the kill switch the same probes DO leak.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_VPN } from '../../constructs/media/qbittorrent';
import { NetnsLab, namespaceSkipReason, renderJinjaVars, wgKeyPair } from './netns';
import { synthReferenceLab, wgValue } from './reference-output';

process.env.PROBE_TIMEOUT_MS ??= '1000';
const SKIP = namespaceSkipReason(['ip', 'nft', 'wg', 'wg-quick', 'wireguard-go', 'unshare', 'nsenter']);

const ROUTER = '10.10.10.1';
const SWAG = '10.10.10.41';
const PROWLARR = '10.10.10.25';
const STRANGER = '10.10.10.99';
const LAN_SERVICE = `${SWAG}`;
const FAKE_INTERNET = '203.0.113.80';
const PUBLIC_DNS = '203.0.113.53';
const CTR_GW = '172.30.0.1';
const CTR = '172.30.0.2';

describe.skipIf(SKIP !== undefined)(`kill switch of the qBittorrent host, in network namespaces${SKIP ? ` [skipped: ${SKIP}]` : ''}`, () => {
  const net = new NetnsLab('homelab-killswitch');
  let hostIp = '';
  let tunnelIp = '';
  let tunnelDns = '';
  let endpointIp = '';
  let endpointPort = 0;
  let killSwitch = '';
  let wgConf = '';
  let wgFile = '';
  const stub = { resolvconf: '' };

  const counters = (): { leaks: number; dns: number; underlay: number } => {
    const out = net.must('nft list counters table inet leakwatch', { ns: 'vpnsrv' });
    const value = (name: string) => Number(new RegExp(`counter ${name} \\{\\s*packets (\\d+)`).exec(out)?.[1] ?? NaN);
    return { leaks: value('leaks'), dns: value('dns'), underlay: value('underlay') };
  };
  const resetCounters = () => net.must('nft reset counters table inet leakwatch >/dev/null', { ns: 'vpnsrv' });

  /** Every kind of traffic that must not leave around the tunnel, from the host and the container. */
  const leakProbes = () => {
    const probes: Record<string, [string, ...string[]]> = {};
    for (const ns of ['torrent', 'ctr']) {
      probes[`${ns} tcp`] = [ns, 'tcp', FAKE_INTERNET, '80'];
      probes[`${ns} udp`] = [ns, 'udp', FAKE_INTERNET, '9999'];
      probes[`${ns} dns via the tunnel resolver`] = [ns, 'dns', tunnelDns];
      probes[`${ns} dns public`] = [ns, 'dns', PUBLIC_DNS];
      probes[`${ns} dns over tcp public`] = [ns, 'dnstcp', PUBLIC_DNS];
      probes[`${ns} dns LAN resolver`] = [ns, 'dns', ROUTER];
    }
    return net.probeAll(probes);
  };

  const tunnelUp = () => {
    net.must(`wg-quick up ${wgFile}`, { ns: 'torrent', timeoutMs: 20_000 });
    // Handshake: the first packet into the tunnel triggers it.
    for (let i = 0; i < 50; i++) {
      net.probe('torrent', 'udp', FAKE_INTERNET, '9999');
      const hs = net.must('wg show wg0 latest-handshakes', { ns: 'torrent' }).trim().split(/\s+/)[1];
      if (hs && hs !== '0') return;
    }
    throw new Error('no WireGuard handshake within the time limit');
  };

  beforeAll(async () => {
    // GIVEN the generated files of the reference lab
    const out = synthReferenceLab();
    const q = out.lab.media.qbittorrent!;
    const dir = `ansible/files/${q.hostname}`;
    killSwitch = out.file(`${dir}/nftables/killswitch.nft`);
    wgConf = out.file(`${dir}/wireguard/wg0.conf.j2`);
    hostIp = q.ipAddress;
    tunnelIp = wgValue(wgConf, 'Address').split('/')[0]!;
    tunnelDns = wgValue(wgConf, 'DNS');
    [endpointIp, endpointPort] = ((e) => [e.split(':')[0]!, Number(e.split(':')[1])] as const)(wgValue(wgConf, 'Endpoint'));

    const client = wgKeyPair();
    const server = wgKeyPair();
    const privateVar = /PrivateKey = \{\{ (\w+) \}\}/.exec(wgConf)?.[1];
    expect(privateVar).toBe('vault_qbittorrent_wireguard_private_key');
    expect(wgValue(wgConf, 'PublicKey')).toBe(EXAMPLE_VPN.peerPublicKey);
    // What Ansible renders from the vault, with the test provider's key for the example one.
    const rendered = renderJinjaVars(wgConf, { [privateVar!]: client.privateKey }).replace(EXAMPLE_VPN.peerPublicKey, server.publicKey);

    await net.start();
    wgFile = `${net.dir}/wg0.conf`;
    fs.writeFileSync(wgFile, rendered, { mode: 0o600 });
    fs.writeFileSync(`${net.dir}/killswitch.nft`, killSwitch);
    fs.writeFileSync(`${net.dir}/server.key`, server.privateKey + '\n', { mode: 0o600 });
    // wg-quick hands the tunnel's DNS to resolvconf; this stand-in records it instead of touching /etc.
    stub.resolvconf = `${net.dir}/resolvconf.log`;
    fs.writeFileSync(`${net.binDir}/resolvconf`, `#!/bin/sh\necho "resolvconf $*" >> ${stub.resolvconf}\ncat >> ${stub.resolvconf}\n`, { mode: 0o755 });

    for (const ns of ['vpnsrv', 'torrent', 'ctr', 'lan']) net.addNamespace(ns);
    net.must([
      // vpnsrv: router, internet, VPN provider
      'ip -n vpnsrv link add br0 type bridge',
      'ip -n vpnsrv link set br0 up',
      `ip -n vpnsrv addr add ${ROUTER}/24 dev br0`,
      `ip -n vpnsrv addr add ${endpointIp}/32 dev lo`,
      `ip -n vpnsrv addr add ${FAKE_INTERNET}/32 dev lo`,
      `ip -n vpnsrv addr add ${PUBLIC_DNS}/32 dev lo`,
      // torrent: the qBittorrent LXC on the LAN, default route through the router
      'ip -n vpnsrv link add p-torrent type veth peer name eth0 netns torrent',
      'ip -n vpnsrv link set p-torrent master br0 up',
      `ip -n torrent addr add ${hostIp}/24 dev eth0`,
      'ip -n torrent link set eth0 up',
      `ip -n torrent route add default via ${ROUTER}`,
      // lan: SWAG, Prowlarr and a stranger
      'ip -n vpnsrv link add p-lan type veth peer name eth0 netns lan',
      'ip -n vpnsrv link set p-lan master br0 up',
      `ip -n lan addr add ${SWAG}/24 dev eth0`,
      `ip -n lan addr add ${PROWLARR}/24 dev eth0`,
      `ip -n lan addr add ${STRANGER}/24 dev eth0`,
      'ip -n lan link set eth0 up',
      `ip -n lan route add default via ${ROUTER}`,
      // ctr: a Docker container behind the host's bridge
      'ip -n torrent link add docker0 type veth peer name eth0 netns ctr',
      `ip -n torrent addr add ${CTR_GW}/24 dev docker0`,
      'ip -n torrent link set docker0 up',
      `ip -n ctr addr add ${CTR}/24 dev eth0`,
      'ip -n ctr link set eth0 up',
      `ip -n ctr route add default via ${CTR_GW}`,
    ].join(' && '));
    net.must('sysctl -qw net.ipv4.ip_forward=1', { ns: 'torrent' });
    // Docker's own rules for this stand-in (not generated by us): masquerade and published ports.
    net.must(`nft -f - <<'EOF'
table ip fake_docker {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    fib daddr type local iifname != "docker0" tcp dport 8080 dnat to ${CTR}:8080
    fib daddr type local iifname != "docker0" meta l4proto { tcp, udp } th dport 6881 dnat to ${CTR}
  }
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 172.30.0.0/24 oifname != "docker0" masquerade
  }
}
EOF`, { ns: 'torrent' });
    // The provider's WireGuard server.
    net.must('wireguard-go wgsrv', { ns: 'vpnsrv' });
    net.must([
      `wg set wgsrv private-key ${net.dir}/server.key listen-port ${endpointPort} peer ${client.publicKey} allowed-ips ${tunnelIp}/32`,
      `ip addr add ${tunnelDns}/32 dev wgsrv`,
      'ip link set wgsrv up',
      `ip route add ${tunnelIp}/32 dev wgsrv`,
    ].join(' && '), { ns: 'vpnsrv' });
    // The leak counters on the underlay.
    net.must(`nft -f - <<'EOF'
table inet leakwatch {
  counter leaks {}
  counter dns {}
  counter underlay {}
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    iifname "br0" ip saddr { ${hostIp}, 172.30.0.0/24 } ip daddr ${endpointIp} udp dport ${endpointPort} counter name underlay accept
    iifname "br0" ip saddr { ${hostIp}, 172.30.0.0/24 } meta l4proto { tcp, udp } th dport 53 counter name dns
    iifname "br0" ip saddr { ${hostIp}, 172.30.0.0/24 } ip daddr != 10.10.10.0/24 counter name leaks
  }
}
EOF`, { ns: 'vpnsrv' });
    await net.serve('vpnsrv', 'tcp:80', `udp:${FAKE_INTERNET}:9999`, `dns:${PUBLIC_DNS}:53`, `dns:${tunnelDns}:53`, `dns:${ROUTER}:53`);
    await net.serve('lan', 'tcp:9443');
    await net.serve('torrent', 'tcp:8888');
    await net.serve('ctr', 'tcp:8080', 'tcp:6881', 'udp:6881');

    // WHEN the generated kill switch is loaded and the generated tunnel comes up
    net.must(`nft -c -f ${net.dir}/killswitch.nft && nft -f ${net.dir}/killswitch.nft`, { ns: 'torrent' });
    tunnelUp();
  }, 120_000);

  afterAll(() => net.cleanup());

  it('brings the tunnel up from the generated config and hands its DNS to resolvconf', () => {
    expect(net.must('wg show wg0 endpoints', { ns: 'torrent' })).toContain(`${endpointIp}:${endpointPort}`);
    expect(fs.readFileSync(stub.resolvconf, 'utf8')).toContain(`nameserver ${tunnelDns}`);
  });

  it('sends everything from the host and the container through the tunnel: the internet sees only the tunnel address', () => {
    resetCounters();
    for (const ns of ['torrent', 'ctr']) {
      expect(net.probe(ns, 'tcp', FAKE_INTERNET, '80'), `${ns} tcp`).toEqual({ ok: true, reply: `peer=${tunnelIp}` });
      expect(net.probe(ns, 'udp', FAKE_INTERNET, '9999'), `${ns} udp`).toEqual({ ok: true, reply: `peer=${tunnelIp}` });
      expect(net.probe(ns, 'dns', tunnelDns), `${ns} dns`).toEqual({ ok: true, reply: `peer=${tunnelIp}` });
      expect(net.probe(ns, 'dnstcp', PUBLIC_DNS), `${ns} dns over tcp`).toEqual({ ok: true, reply: `peer=${tunnelIp}` });
      // A LAN resolver would forward names to the ISP: DNS goes nowhere but the tunnel.
      expect(net.probe(ns, 'dns', ROUTER).ok, `${ns} dns to the LAN resolver`).toBe(false);
    }
    const c = counters();
    expect(c.leaks).toBe(0);
    expect(c.dns).toBe(0);
    expect(c.underlay).toBeGreaterThan(0);
  });

  it('lets in only the declared peers: SWAG to the WebUI, Prowlarr to the proxy, the tunnel to the torrent port', async () => {
    const r = await net.probeAll({
      'SWAG -> WebUI (published by the container)': ['lan', 'tcp', hostIp, '8080', SWAG],
      'stranger -> WebUI': ['lan', 'tcp', hostIp, '8080', STRANGER],
      'Prowlarr -> indexer proxy': ['lan', 'tcp', hostIp, '8888', PROWLARR],
      'SWAG -> indexer proxy': ['lan', 'tcp', hostIp, '8888', SWAG],
      'LAN -> torrent port': ['lan', 'tcp', hostIp, '6881', SWAG],
      'LAN -> torrent port (udp)': ['lan', 'udp', hostIp, '6881', SWAG],
      'tunnel -> torrent port': ['vpnsrv', 'tcp', tunnelIp, '6881'],
      'tunnel -> torrent port (udp)': ['vpnsrv', 'udp', tunnelIp, '6881'],
      'tunnel -> WebUI': ['vpnsrv', 'tcp', tunnelIp, '8080'],
    });
    // Refused peers see a timeout (input: dropped) or EHOSTUNREACH (forward: rejected); either way no answer.
    const seen = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.ok ? v.reply : 'no answer']));
    expect(seen).toEqual({
      'SWAG -> WebUI (published by the container)': `peer=${SWAG}`,
      'stranger -> WebUI': 'no answer',
      'Prowlarr -> indexer proxy': `peer=${PROWLARR}`,
      'SWAG -> indexer proxy': 'no answer',
      'LAN -> torrent port': 'no answer',
      'LAN -> torrent port (udp)': 'no answer',
      'tunnel -> torrent port': `peer=${tunnelDns}`,
      'tunnel -> torrent port (udp)': `peer=${tunnelDns}`,
      'tunnel -> WebUI': 'no answer',
    });
  });

  it('leaks nothing when the tunnel is down (wg-quick down) and keeps the LAN reachable', async () => {
    net.must(`wg-quick down ${wgFile}`, { ns: 'torrent' });
    resetCounters();
    const results = await leakProbes();
    for (const [what, r] of Object.entries(results)) expect(r.ok, what).toBe(false);
    expect(counters()).toEqual({ leaks: 0, dns: 0, underlay: 0 });
    expect(net.probe('torrent', 'tcp', LAN_SERVICE, '9443')).toEqual({ ok: true, reply: `peer=${hostIp}` });
    expect(net.probe('ctr', 'tcp', LAN_SERVICE, '9443')).toEqual({ ok: true, reply: `peer=${hostIp}` });
    expect(net.probe('lan', 'tcp', hostIp, '8080', SWAG).ok).toBe(true);
  });

  it('leaks nothing when wireguard-go is killed with SIGKILL and keeps the LAN reachable', async () => {
    tunnelUp();
    expect(net.probe('torrent', 'tcp', FAKE_INTERNET, '80')).toEqual({ ok: true, reply: `peer=${tunnelIp}` });
    const pids = net.pidsOf('torrent', 'wireguard-go');
    expect(pids).toHaveLength(1);
    process.kill(pids[0]!, 'SIGKILL');
    for (let i = 0; i < 100 && net.sh('ip link show wg0', { ns: 'torrent' }).code === 0; i++) net.sh('sleep 0.05');
    expect(net.sh('ip link show wg0', { ns: 'torrent' }).code, 'the tunnel interface vanished with its process').not.toBe(0);
    resetCounters();
    const results = await leakProbes();
    for (const [what, r] of Object.entries(results)) expect(r.ok, what).toBe(false);
    expect(counters()).toEqual({ leaks: 0, dns: 0, underlay: 0 });
    expect(net.probe('torrent', 'tcp', LAN_SERVICE, '9443')).toEqual({ ok: true, reply: `peer=${hostIp}` });
    expect(net.probe('ctr', 'tcp', LAN_SERVICE, '9443')).toEqual({ ok: true, reply: `peer=${hostIp}` });
  });

  it('negative control: without the kill switch the same probes DO leak (so this test can fail)', () => {
    net.must('nft delete table inet homelab_killswitch', { ns: 'torrent' });
    resetCounters();
    expect(net.probe('torrent', 'tcp', FAKE_INTERNET, '80')).toEqual({ ok: true, reply: `peer=${hostIp}` });
    expect(net.probe('ctr', 'tcp', FAKE_INTERNET, '80')).toEqual({ ok: true, reply: `peer=${hostIp}` });
    expect(net.probe('ctr', 'dns', PUBLIC_DNS)).toEqual({ ok: true, reply: `peer=${hostIp}` });
    const c = counters();
    expect(c.leaks).toBeGreaterThan(0);
    expect(c.dns).toBeGreaterThan(0);
  });
});
