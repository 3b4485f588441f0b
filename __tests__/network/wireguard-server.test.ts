/**
 * The remote-access WireGuard server, from the GENERATED files, in network namespaces.
 *
 * GIVEN the reference homelab synthesized to a temp dir: the server's wg0.conf and nftables ruleset
 * (used as generated, except that the example peer key is replaced by a test device's key) and the
 * client config of that peer (its private-key placeholder and the server's public key filled in, as
 * the operator and Ansible do), a server key made the way the role makes it (`wg genkey` into
 * /etc/wireguard/server.key, here a private bind mount), and namespaces:
 *   router   the home router: LAN bridge 10.10.10.1, WAN 203.0.113.1, forwarding UDP 51820 to the server
 *   wgsrv    the WireGuard LXC (10.10.10.42)
 *   lan      a LAN service (10.10.10.43)
 *   client   a road-warrior device on the internet; vpn.home.example.org resolves to the router's WAN
 * THEN the client completes a handshake with the server and reaches the LAN service through it
 * (masqueraded: the service sees the server's LAN address); clients cannot reach the server itself.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_PEER, privateKeyPlaceholder } from '../../constructs/security/wireguard-server';
import { NetnsLab, namespaceSkipReason, renderJinjaVars, wgKeyPair } from './netns';
import { synthReferenceLab, wgValue } from './reference-output';

process.env.PROBE_TIMEOUT_MS ??= '1000';
const SKIP = namespaceSkipReason(['ip', 'nft', 'wg', 'wg-quick', 'wireguard-go', 'unshare', 'nsenter']);

const ROUTER_LAN = '10.10.10.1';
const ROUTER_WAN = '203.0.113.1';
const CLIENT_WAN = '203.0.113.7';
const LAN_SERVICE = '10.10.10.43';

describe.skipIf(SKIP !== undefined)(`WireGuard remote-access server, in network namespaces${SKIP ? ` [skipped: ${SKIP}]` : ''}`, () => {
  const net = new NetnsLab('homelab-wgserver');
  let serverIp = '';
  let serverVpnIp = '';
  let clientVpnIp = '';
  let serverPublicKey = '';

  beforeAll(async () => {
    const out = synthReferenceLab();
    const server = out.lab.security.wireguard!;
    const dir = `ansible/files/${server.hostname}`;
    const serverConf = out.file(`${dir}/wireguard/wg0.conf`);
    const ruleset = out.file(`${dir}/nftables/wireguard-server.nft`);
    const clientTemplate = out.file(`${dir}/wireguard/clients/${EXAMPLE_PEER.name}.conf.j2`);
    serverIp = server.ipAddress;
    serverVpnIp = wgValue(serverConf, 'Address').split('/')[0]!;
    clientVpnIp = wgValue(clientTemplate, 'Address').split('/')[0]!;
    const [endpointHost, endpointPort] = wgValue(clientTemplate, 'Endpoint').split(':') as [string, string];

    const serverKeys = wgKeyPair();
    serverPublicKey = serverKeys.publicKey;
    const device = wgKeyPair();
    expect(serverConf).not.toMatch(/PrivateKey/);
    expect(serverConf).toContain('PostUp = wg set %i private-key /etc/wireguard/server.key');
    const serverFile = serverConf.replace(EXAMPLE_PEER.publicKey, device.publicKey);
    const clientFile = renderJinjaVars(clientTemplate, { wireguard_server_public_key: serverKeys.publicKey }).replace(privateKeyPlaceholder(EXAMPLE_PEER), device.privateKey);

    await net.start();
    fs.mkdirSync(`${net.dir}/etc-wireguard`, { mode: 0o700 });
    fs.writeFileSync(`${net.dir}/etc-wireguard/server.key`, serverKeys.privateKey + '\n', { mode: 0o600 });
    fs.writeFileSync(`${net.dir}/wg0.conf`, serverFile, { mode: 0o600 });
    fs.writeFileSync(`${net.dir}/wgc0.conf`, clientFile, { mode: 0o600 });
    fs.writeFileSync(`${net.dir}/wireguard-server.nft`, ruleset);
    fs.writeFileSync(`${net.dir}/hosts`, `127.0.0.1 localhost\n${ROUTER_WAN} ${endpointHost}\n`);
    fs.writeFileSync(`${net.binDir}/resolvconf`, `#!/bin/sh\ncat > /dev/null\n`, { mode: 0o755 });
    // Private to the lab's mount namespace: the machine's /etc stays untouched.
    net.must(`mount --bind ${net.dir}/etc-wireguard /etc/wireguard && mount --bind ${net.dir}/hosts /etc/hosts`);

    for (const ns of ['router', 'wgsrv', 'lan', 'client']) net.addNamespace(ns);
    net.must([
      'ip -n router link add br0 type bridge',
      'ip -n router link set br0 up',
      `ip -n router addr add ${ROUTER_LAN}/24 dev br0`,
      'ip -n router link add p-wgsrv type veth peer name eth0 netns wgsrv',
      'ip -n router link set p-wgsrv master br0 up',
      `ip -n wgsrv addr add ${serverIp}/24 dev eth0`,
      'ip -n wgsrv link set eth0 up',
      `ip -n wgsrv route add default via ${ROUTER_LAN}`,
      'ip -n router link add p-lan type veth peer name eth0 netns lan',
      'ip -n router link set p-lan master br0 up',
      `ip -n lan addr add ${LAN_SERVICE}/24 dev eth0`,
      'ip -n lan link set eth0 up',
      `ip -n lan route add default via ${ROUTER_LAN}`,
      'ip -n router link add wan0 type veth peer name eth0 netns client',
      `ip -n router addr add ${ROUTER_WAN}/24 dev wan0`,
      'ip -n router link set wan0 up',
      `ip -n client addr add ${CLIENT_WAN}/24 dev eth0`,
      'ip -n client link set eth0 up',
      `ip -n client route add default via ${ROUTER_WAN}`,
    ].join(' && '));
    net.must('sysctl -qw net.ipv4.ip_forward=1', { ns: 'router' });
    // The router's port forward (the operator sets it up; not generated).
    net.must(`nft -f - <<'EOF2'
table ip portforward {
  chain prerouting {
    type nat hook prerouting priority dstnat; policy accept;
    iifname "wan0" udp dport ${endpointPort} dnat to ${serverIp}
  }
}
EOF2`, { ns: 'router' });
    await net.serve('lan', 'tcp:80');
    await net.serve('wgsrv', 'tcp:22');

    // WHEN the server runs its generated ruleset and config, and the device its client config
    net.must(`nft -c -f ${net.dir}/wireguard-server.nft && nft -f ${net.dir}/wireguard-server.nft`, { ns: 'wgsrv' });
    net.must(`wg-quick up ${net.dir}/wg0.conf`, { ns: 'wgsrv', timeoutMs: 20_000 });
    net.must(`wg-quick up ${net.dir}/wgc0.conf`, { ns: 'client', timeoutMs: 20_000 });
  }, 120_000);

  afterAll(() => net.cleanup());

  it('loads the private key generated on the host, not one from the config', () => {
    expect(net.must('wg show wg0 public-key', { ns: 'wgsrv' }).trim()).toBe(serverPublicKey);
  });

  it('completes a handshake and reaches a LAN address through the server (masqueraded)', async () => {
    const r = await net.probeAll({ lan: ['client', 'tcp', LAN_SERVICE, '80'] });
    expect(r.lan).toEqual({ ok: true, reply: `peer=${serverIp}` });
    const hs = net.must('wg show wgc0 latest-handshakes', { ns: 'client' }).trim().split(/\s+/)[1];
    expect(Number(hs)).toBeGreaterThan(0);
    expect(net.must('wg show wg0 allowed-ips', { ns: 'wgsrv' })).toContain(`${clientVpnIp}/32`);
  });

  it("keeps clients off the server's own services (the LAN still reaches them)", async () => {
    const r = await net.probeAll({
      'client -> server ssh over the tunnel': ['client', 'tcp', serverVpnIp, '22'],
      'LAN -> server ssh': ['lan', 'tcp', serverIp, '22'],
    });
    expect(r['client -> server ssh over the tunnel']!.ok).toBe(false);
    expect(r['LAN -> server ssh']).toEqual({ ok: true, reply: `peer=${LAN_SERVICE}` });
  });
});
