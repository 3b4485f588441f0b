/**
 * Issue 10 item 9: VPN clients must keep the LAN after a reboot of the WireGuard server, which also
 * runs Docker (the exporter). Real nftables and iptables (nf_tables backend, as on Debian 13) in
 * network namespaces, with the GENERATED ruleset, wg0.conf and the wireguard_server role's files.
 *
 * Why it broke: Docker enables net.ipv4.ip_forward itself when it finds it off, and then sets the
 * iptables FORWARD policy to DROP (moby/libnetwork#1526, "when enabling ip forwarding set the default
 * forward policy to drop"; still so in docker.io 26.1.5, Debian 13). With nftables every base chain
 * on the forward hook must accept a packet, so that policy drops VPN -> LAN whatever the lab's own
 * `inet homelab_wireguard_server` table says. When Docker started before wg-quick (whose PreUp
 * turns forwarding on), clients lost the LAN.
 *
 * Namespaces: vpn (a client; its link is a veth named wg0 on the server side: the rules match on
 * the interface name, and wireguard-server.test.ts proves the real tunnel), wgsrv (the server LXC)
 * and lan (a LAN service). Docker's start is reproduced by what its bridge driver does to the
 * firewall (the moby code cited above): enable forwarding + policy DROP only if forwarding was off,
 * create DOCKER-USER and jump to it first from FORWARD.
 */
import * as fs from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NetnsLab, namespaceSkipReason } from './netns';
import { synthReferenceLab, wgValue } from './reference-output';

process.env.PROBE_TIMEOUT_MS ??= '1000';
const SKIP = namespaceSkipReason(['ip', 'nft', 'iptables', 'sysctl', 'unshare', 'nsenter']);

const CLIENT = '10.10.99.2';
const LAN_SERVICE = '10.10.10.43';
const ROLE = 'ansible/roles/wireguard_server';

/** Docker 26's bridge driver at daemon start, as far as the host firewall goes (setupIPForwarding, setupUserChain). */
const DOCKER_STARTS = [
  'if [ "$(cat /proc/sys/net/ipv4/ip_forward)" != 1 ]; then sysctl -qw net.ipv4.ip_forward=1 && iptables -w -P FORWARD DROP; fi',
  'iptables -w -N DOCKER-USER 2>/dev/null || true',
  'iptables -w -C DOCKER-USER -j RETURN 2>/dev/null || iptables -w -A DOCKER-USER -j RETURN',
  'iptables -w -D FORWARD -j DOCKER-USER 2>/dev/null || true',
  'iptables -w -I FORWARD -j DOCKER-USER',
].join('\n');

/** ExecStartPre/ExecStart of a systemd unit with %i expanded, as systemd runs them ('-': failure ignored). */
function unitCommands(unit: string, instance: string): { argv: string; ignoreFailure: boolean }[] {
  return unit
    .split('\n')
    .map((l) => /^(ExecStartPre|ExecStart)=(-?)(.+)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => (a[1] === b[1] ? 0 : a[1] === 'ExecStartPre' ? -1 : 1))
    .map((m) => ({ argv: m[3]!.replace(/%i/g, instance), ignoreFailure: m[2] === '-' }));
}

describe.skipIf(SKIP !== undefined)(`WireGuard server with Docker: forwarding survives a reboot, in network namespaces${SKIP ? ` [skipped: ${SKIP}]` : ''}`, () => {
  const net = new NetnsLab('homelab-wgdocker');
  let serverIp = '';
  let preUp = '';
  let sysctlFile = '';
  let dockerUserUnit = '';

  /** The FORWARD chain's policy and the DOCKER-USER rules of the server's iptables (nf_tables). */
  const iptablesState = () => net.must('iptables -w -S FORWARD; iptables -w -S DOCKER-USER 2>/dev/null || true', { ns: 'wgsrv' });
  const runUnit = () => {
    for (const c of unitCommands(dockerUserUnit, 'wg0')) {
      const r = net.sh(c.argv, { ns: 'wgsrv' });
      if (r.code !== 0 && !c.ignoreFailure) throw new Error(`${c.argv} failed: ${r.stderr}`);
    }
  };
  const clientToLan = () => net.probe('vpn', 'tcp', LAN_SERVICE, '80');

  beforeAll(async () => {
    const out = synthReferenceLab();
    const server = out.lab.security.wireguard!;
    serverIp = server.ipAddress;
    const dir = `ansible/files/${server.hostname}`;
    preUp = wgValue(out.file(`${dir}/wireguard/wg0.conf`), 'PreUp');
    sysctlFile = out.file(`${ROLE}/files/90-homelab-wireguard-server.conf`);
    dockerUserUnit = out.file(`${ROLE}/files/homelab-docker-user@.service`);
    await net.start();
    fs.writeFileSync(`${net.dir}/wireguard-server.nft`, out.file(`${dir}/nftables/wireguard-server.nft`));
    fs.writeFileSync(`${net.dir}/90-homelab-wireguard-server.conf`, sysctlFile);
    for (const ns of ['vpn', 'wgsrv', 'lan']) net.addNamespace(ns);
    net.must([
      'ip -n wgsrv link add wg0 type veth peer name eth0 netns vpn',
      'ip -n wgsrv addr add 10.10.99.1/24 dev wg0',
      'ip -n wgsrv link set wg0 up',
      `ip -n vpn addr add ${CLIENT}/24 dev eth0`,
      'ip -n vpn link set eth0 up',
      'ip -n vpn route add default via 10.10.99.1',
      'ip -n wgsrv link add eth0 type veth peer name eth0 netns lan',
      `ip -n wgsrv addr add ${serverIp}/24 dev eth0`,
      'ip -n wgsrv link set eth0 up',
      `ip -n lan addr add ${LAN_SERVICE}/24 dev eth0`,
      'ip -n lan link set eth0 up',
    ].join(' && '));
    // homelab-nft@wireguard-server loads the generated ruleset before the network (sysinit).
    net.must(`nft -f ${net.dir}/wireguard-server.nft`, { ns: 'wgsrv' });
    await net.serve('lan', 'tcp:80');
    await net.serve('vpn', 'tcp:8080');
  }, 120_000);

  afterAll(() => net.cleanup());

  // Every test is one boot of the server: forwarding off, Docker's iptables chains gone.
  beforeEach(() => {
    net.must('sysctl -qw net.ipv4.ip_forward=0 && iptables -w -P FORWARD ACCEPT && iptables -w -F && iptables -w -X', { ns: 'wgsrv' });
  });

  it('negative control: Docker before wg-quick, without the fix, drops VPN -> LAN (policy DROP)', () => {
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    net.must(preUp, { ns: 'wgsrv' });
    expect(iptablesState()).toContain('-P FORWARD DROP');
    expect(clientToLan().ok).toBe(false);
  });

  it('persists ip_forward in sysctl.d: applied at boot before Docker, Docker leaves the FORWARD policy alone', () => {
    expect(sysctlFile).toMatch(/^net\.ipv4\.ip_forward = 1$/m);
    // systemd-sysctl (sysinit.target) runs before every service: Docker, then wg-quick.
    net.must(`sysctl -q -p ${net.dir}/90-homelab-wireguard-server.conf`, { ns: 'wgsrv' });
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    net.must(preUp, { ns: 'wgsrv' });
    expect(iptablesState()).toContain('-P FORWARD ACCEPT');
    expect(clientToLan()).toEqual({ ok: true, reply: `peer=${serverIp}` });
  });

  it('accepts the tunnel in DOCKER-USER, so even a FORWARD policy of DROP keeps VPN -> LAN working', () => {
    expect(dockerUserUnit).toMatch(/^After=docker\.service$/m);
    expect(dockerUserUnit).toMatch(/^WantedBy=docker\.service$/m);
    // Docker before anything turned forwarding on: the worst order, policy DROP.
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    expect(iptablesState()).toContain('-P FORWARD DROP');
    runUnit();
    net.must(preUp, { ns: 'wgsrv' });
    expect(clientToLan()).toEqual({ ok: true, reply: `peer=${serverIp}` });
  });

  it('loosens nothing: the lab ruleset still keeps the LAN from opening connections to clients', async () => {
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    runUnit();
    net.must(preUp, { ns: 'wgsrv' });
    net.must(`ip -n lan route replace 10.10.99.0/24 via ${serverIp}`);
    const r = await net.probeAll({ 'lan -> client': ['lan', 'tcp', CLIENT, '8080'], 'client -> lan': ['vpn', 'tcp', LAN_SERVICE, '80'] });
    expect(r['client -> lan']!.ok).toBe(true);
    expect(r['lan -> client']!.ok).toBe(false);
    net.must('ip -n lan route del 10.10.99.0/24');
  });

  it('keeps one copy of each rule when Docker restarts (the unit runs again)', () => {
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    runUnit();
    net.must(DOCKER_STARTS, { ns: 'wgsrv' });
    runUnit();
    const rules = iptablesState().split('\n').filter((l) => l.startsWith('-A DOCKER-USER'));
    expect(rules).toEqual(['-A DOCKER-USER -o wg0 -j ACCEPT', '-A DOCKER-USER -i wg0 -j ACCEPT', '-A DOCKER-USER -j RETURN']);
  });
});
