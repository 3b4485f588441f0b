/**
 * Fine-grained assertions on the generated VPN files of the reference lab (no root needed, except
 * for the nft syntax check, which runs nft in a throwaway network namespace).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_VPN, QBittorrent } from '../../constructs/media/qbittorrent';
import { EXAMPLE_PEER, WireGuardServer } from '../../constructs/security/wireguard-server';
import { namespaceSkipReason, renderJinjaVars, wgKeyPair } from './netns';
import { SynthOutput, synthReferenceLab } from './reference-output';

const NFT_SKIP = namespaceSkipReason(['nft', 'unshare']);
const WG_SKIP = namespaceSkipReason(['wg', 'wg-quick']);

/** The body of one nft chain, from its name to the closing brace. */
function chain(ruleset: string, name: string): string {
  const m = new RegExp(`\\tchain ${name} \\{\\n([\\s\\S]*?)\\n\\t\\}`).exec(ruleset);
  if (!m) throw new Error(`no chain ${name}`);
  return m[1]!;
}

function nftCheck(text: string): { code: number; stderr: string } {
  const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-nft-')), 'rules.nft');
  fs.writeFileSync(f, text);
  const r = spawnSync('unshare', ['-n', 'nft', '-c', '-f', f], { encoding: 'utf8', timeout: 20_000, env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin:/sbin` } });
  fs.rmSync(path.dirname(f), { recursive: true, force: true });
  return { code: r.status ?? 1, stderr: r.stderr };
}

let out: SynthOutput;
let q: QBittorrent;
let server: WireGuardServer;

beforeAll(() => {
  out = synthReferenceLab();
  q = out.lab.media.qbittorrent!;
  server = out.lab.security.wireguard!;
});

describe('qBittorrent through WireGuard: generated files', () => {
  it('keeps the private key a vault variable: no key value anywhere in the output', () => {
    const conf = out.file('ansible/files/qbittorrent/wireguard/wg0.conf.j2');
    expect(conf).toMatch(/^PrivateKey = \{\{ vault_qbittorrent_wireguard_private_key \}\}$/m);
    expect(out.file('ansible/vault.example.yml')).toMatch(/^vault_qbittorrent_wireguard_private_key: CHANGE_ME$/m);
    const keyValue = /PrivateKey\s*=\s*[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=/;
    expect([...out.files].filter(([, c]) => keyValue.test(c)).map(([p]) => p)).toEqual([]);
  });

  it('routes everything into the tunnel to the declared endpoint, with the resolver inside it', () => {
    const conf = out.file('ansible/files/qbittorrent/wireguard/wg0.conf.j2');
    expect(conf).toContain('AllowedIPs = 0.0.0.0/0, ::/0');
    expect(conf).toContain(`Endpoint = ${EXAMPLE_VPN.endpoint}`);
    expect(conf).toContain(`Address = ${EXAMPLE_VPN.address}`);
    expect(conf).toContain(`DNS = ${EXAMPLE_VPN.dns[0]}`);
    expect(conf).toContain('PersistentKeepalive = 25');
  });

  it("drops every egress of the host and its containers that does not go through the tunnel", () => {
    const ks = out.file('ansible/files/qbittorrent/nftables/killswitch.nft');
    expect(ks).toContain('define tunnel_if = "wg0"');
    expect(ks).toContain('define vpn_endpoint = 198.51.100.10');
    expect(ks).toContain('define vpn_endpoint_port = 51820');
    expect(ks).toMatch(/set lan_nets \{[^}]*elements = \{ 10\.10\.10\.0\/24 \}/);
    expect(chain(ks, 'output').split('\n').map((l) => l.trim())).toEqual([
      'type filter hook output priority filter; policy drop;',
      'oifname "lo" accept',
      'oifname $tunnel_if accept comment "everything through the tunnel"',
      `ip daddr $vpn_endpoint udp dport $vpn_endpoint_port accept comment "the tunnel's own packets"`,
      'oifname $docker_bridges accept comment "to this host\'s containers"',
      'meta l4proto { tcp, udp } th dport 53 counter reject comment "DNS only through the tunnel"',
      'ip daddr @lan_nets accept comment "the LAN"',
      'counter reject with icmpx admin-prohibited comment "would leave around the tunnel"',
    ]);
    const forward = chain(ks, 'forward');
    expect(forward).toContain('policy drop;');
    expect(forward).toContain('oifname $tunnel_if accept');
    expect(forward).toContain('counter reject with icmpx admin-prohibited');
    // Nothing accepts "established" toward the LAN side for traffic that is not LAN traffic.
    expect(forward).not.toMatch(/^\s*ct state established,related accept$/m);
    expect(chain(ks, 'output')).not.toMatch(/ct state/);
  });

  it('lets the WebUI answer SWAG and the download clients only, and the torrent port the tunnel only', () => {
    const ks = out.file('ansible/files/qbittorrent/nftables/killswitch.nft');
    const fromLan = chain(ks, 'from_lan');
    const webui = fromLan.split('\n').find((l) => l.includes('proto-dst 8080'))!;
    const sources = /ip saddr \{ ([^}]+) \}/.exec(webui)![1]!.split(', ');
    const ipOf = (host: string) => out.lab.containers.find((c) => c.hostname === host)!.ipAddress;
    expect(sources).toEqual(expect.arrayContaining(['swag', 'sonarr', 'radarr', 'lidarr', 'autobrr'].map(ipOf)));
    expect(sources).not.toContain(ipOf('plex'));
    expect(fromLan).toContain(`ip saddr ${ipOf('prowlarr')} meta l4proto tcp ct original proto-dst 8888 accept`);
    expect(fromLan).not.toMatch(/proto-dst 6881/);
    expect(chain(ks, 'from_tunnel')).toContain('meta l4proto tcp ct original proto-dst 6881 accept');
    expect(chain(ks, 'from_tunnel')).toContain('meta l4proto udp ct original proto-dst 6881 accept');
  });

  it.skipIf(NFT_SKIP !== undefined)(`is valid nftables (nft -c)${NFT_SKIP ? ` [skipped: ${NFT_SKIP}]` : ''}`, () => {
    expect(nftCheck(out.file('ansible/files/qbittorrent/nftables/killswitch.nft'))).toEqual({ code: 0, stderr: '' });
    expect(nftCheck(out.file(`ansible/files/${server.hostname}/nftables/wireguard-server.nft`))).toEqual({ code: 0, stderr: '' });
  });

  it.skipIf(WG_SKIP !== undefined)(`is a valid wg-quick file once Ansible fills in the key (wg-quick strip)${WG_SKIP ? ` [skipped: ${WG_SKIP}]` : ''}`, () => {
    const conf = renderJinjaVars(out.file('ansible/files/qbittorrent/wireguard/wg0.conf.j2'), { vault_qbittorrent_wireguard_private_key: wgKeyPair().privateKey });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-wg-'));
    fs.writeFileSync(path.join(dir, 'wg0.conf'), conf, { mode: 0o600 });
    const r = spawnSync('wg-quick', ['strip', path.join(dir, 'wg0.conf')], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`PublicKey = ${EXAMPLE_VPN.peerPublicKey}`);
  });

  it('starts the kill switch and the tunnel before any workload of the media stack', () => {
    const plays = (out.file('ansible/media.yml').match(/^- name: .*$/gm) ?? []).map((l) => l.slice(8));
    const at = (needle: string) => plays.findIndex((p) => p.includes(needle));
    expect(at('WireGuard behind the kill switch')).toBeGreaterThan(at('base system'));
    expect(at('WireGuard behind the kill switch')).toBeLessThan(at('indexer proxy'));
    expect(at('indexer proxy')).toBeLessThan(at('Docker workloads'));
    expect(out.file('ansible/inventory/hosts.yml')).toMatch(/wireguard_clients:\n\s+hosts:\n\s+qbittorrent: null/);
  });

  it('passes /dev/net/tun into the LXC for the wireguard-go fallback', () => {
    const tf = JSON.parse(out.file('stacks/media/cdk.tf.json'));
    const ct = Object.values(tf.resource.proxmox_virtual_environment_container as Record<string, { hostname?: string; initialization?: { hostname: string }; device_passthrough?: { path: string }[] }>)
      .find((c) => c.initialization?.hostname === 'qbittorrent')!;
    expect(ct.device_passthrough?.map((d) => d.path)).toContain('/dev/net/tun');
  });

  it('points Prowlarr at a proxy on the VPN host that only Prowlarr may use', () => {
    const prowlarr = out.lab.media.prowlarr!;
    expect(q.indexerProxyUrl).toBe(`http://${q.ipAddress}:8888`);
    const vars = out.file('ansible/inventory/host_vars/qbittorrent.yml');
    expect(vars).toContain(`vpn_proxy_allow:\n  - ${prowlarr.ipAddress}\n`);
    expect(vars).toContain(`vpn_proxy_listen: ${q.ipAddress}\n`);
    expect(out.files.has('ansible/roles/vpn_proxy/templates/tinyproxy.conf.j2')).toBe(true);
  });

  it('publishes the WebUI and the torrent port (tcp and udp) from the qBittorrent container', () => {
    const compose = out.file('ansible/files/qbittorrent/compose.yml');
    expect(compose).toContain("- '8080:8080'");
    expect(compose).toContain("- '6881:6881'");
    expect(compose).toContain('- 6881:6881/udp');
    expect(compose).toContain("TORRENTING_PORT: '6881'");
    expect(compose).toContain('- /data:/data');
  });
});

describe('WireGuard server: generated files', () => {
  it('carries no private key: the host generates it and wg-quick loads it from a file', () => {
    const conf = out.file(`ansible/files/${server.hostname}/wireguard/wg0.conf`);
    expect(conf).not.toMatch(/PrivateKey/);
    expect(conf).toContain('PostUp = wg set %i private-key /etc/wireguard/server.key');
    expect(conf).toContain(`Address = 10.10.99.1/24\nListenPort = 51820`);
    expect(conf).toContain(`# friendly_name=${EXAMPLE_PEER.name}\nPublicKey = ${EXAMPLE_PEER.publicKey}\nAllowedIPs = ${EXAMPLE_PEER.address}/32`);
    const tasks = out.file('ansible/roles/wireguard_server/tasks/main.yml');
    expect(tasks).toContain('creates: "{{ wireguard_server_key_file }}"');
    expect(tasks).toContain('wg genkey');
  });

  it('writes a client config per peer with placeholders for its private key and the server key', () => {
    const client = out.file(`ansible/files/${server.hostname}/wireguard/clients/${EXAMPLE_PEER.name}.conf.j2`);
    expect(client).toContain(`PrivateKey = REPLACE_WITH_THE_PRIVATE_KEY_OF_${EXAMPLE_PEER.name}`);
    expect(client).toContain('PublicKey = {{ wireguard_server_public_key }}');
    expect(client).toContain('Endpoint = vpn.home.example.org:51820');
    expect(client).toContain('AllowedIPs = 10.10.10.0/24, 10.10.99.0/24');
  });

  it('forwards the VPN subnet to the LAN with masquerade, and nothing else', () => {
    const rules = out.file(`ansible/files/${server.hostname}/nftables/wireguard-server.nft`);
    expect(rules).toMatch(/set forwarded_nets \{[^}]*elements = \{ 10\.10\.10\.0\/24 \}/);
    expect(chain(rules, 'forward')).toContain('policy drop;');
    expect(chain(rules, 'forward')).toContain('iifname $vpn_if ip saddr $vpn_net ip daddr @forwarded_nets accept');
    expect(chain(rules, 'postrouting')).toContain('ip saddr $vpn_net oifname != $vpn_if masquerade');
  });

  it('exposes only UDP 51820 to the internet', () => {
    const tf = JSON.parse(out.file('stacks/security/cdk.tf.json'));
    const rules = Object.entries(tf.resource.proxmox_virtual_environment_firewall_rules as Record<string, { container_id: number; rule: { source?: string; dport?: string; proto?: string }[] }>)
      .find(([, r]) => r.container_id === server.vmId)![1];
    expect(rules.rule.filter((r) => r.source === undefined)).toEqual([
      { action: 'ACCEPT', comment: `internet to 51820/udp`, dport: '51820', proto: 'udp', type: 'in' },
    ]);
  });
});
