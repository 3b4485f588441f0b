/** Validation of the VPN model: each mistake is one clear error with the construct path and the fix. */
import { describe, expect, it } from 'vitest';
import { Peer, Port, Secret } from '../../constructs/core';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { QBittorrent, QBittorrentVpnProps } from '../../constructs/media/qbittorrent';
import { WireGuardServerProps } from '../../constructs/security/wireguard-server';
import { problemsOf } from './reference-output';

/** The reference lab with VPN settings changed, and optionally something done to it. */
type ServerOptions = Omit<WireGuardServerProps, 'node' | 'network'>;

function lab(opts: { vpn?: QBittorrentVpnProps; server?: ServerOptions; props?: HomelabProps; then?: (h: Homelab) => void } = {}) {
  return problemsOf((app) => {
    const h = new Homelab(app, 'homelab', { ...opts.props, media: { ...opts.props?.media, vpn: opts.vpn }, security: { ...opts.props?.security, wireguard: opts.server } });
    opts.then?.(h);
  });
}

describe('VPN validation', () => {
  it('accepts the reference lab', () => {
    expect(lab()).toEqual([]);
  });

  it('fails when a VPN-routed service exposes a port around the tunnel', () => {
    expect(lab({ then: (h) => h.media.qbittorrent!.connections.exposeToInternet(Port.tcp(6881), 'port forward on the router') })).toContain(
      "[homelab/media/qbittorrent/vpn] VPN-routed qbittorrent exposes 6881/tcp to the internet on its LAN address, around the tunnel — remove exposeToInternet(Port.tcp(6881)); let peers in through the tunnel instead (the provider's forwarded port)",
    );
  });

  it('fails when the torrent port is opened to the LAN', () => {
    expect(lab({ then: (h) => h.media.qbittorrent!.connections.allowFrom(h.media.plex!, Port.udp(6881)) })).toEqual([
      '[homelab/media/qbittorrent/vpn] VPN-routed qbittorrent opens its tunnel port 6881/udp to plex on the LAN, around the tunnel — remove allowFrom(…, Port.udp(6881)): the tunnel port is reachable through the tunnel only',
    ]);
  });

  it('takes its ports as Port values: the forwarded torrent port and the WireGuard listen port', () => {
    const seen: { torrent?: number; listen?: readonly string[] } = {};
    expect(lab({ vpn: { forwardedPort: Port.tcp(51413) }, server: { listenPort: Port.udp(51821) }, then: (h) => {
      seen.torrent = h.media.qbittorrent!.torrentPort;
      seen.listen = h.security.wireguard!.publicPorts.map(String);
    } })).toEqual([]);
    expect(seen).toEqual({ torrent: 51413, listen: ['51821/udp'] });
  });

  it('refuses bare numbers and the wrong protocol in every port prop, collected, saying what to write', () => {
    expect(lab({ vpn: { forwardedPort: 51413 as never }, server: { listenPort: 51820 as never } })).toEqual([
      '[homelab/media/qbittorrent] forwardedPort must be a Port, got 51413 — write forwardedPort: Port.tcp(51413)',
      '[homelab/security/wireguard] listenPort must be a Port, got 51820 — write listenPort: Port.udp(51820)',
    ]);
    expect(lab({ vpn: { forwardedPort: Port.udp(51413) }, server: { listenPort: Port.tcp(51820) } })).toEqual([
      "[homelab/media/qbittorrent] forwardedPort 51413/udp is UDP; it is qBittorrent's TCP listening port (the same number is opened for UDP too) — write forwardedPort: Port.tcp(51413)",
      '[homelab/security/wireguard] listenPort 51820/tcp is TCP; WireGuard listens on UDP — write listenPort: Port.udp(51820)',
    ]);
    expect(lab({ vpn: { forwardedPort: Port.tcp(80) }, then: (h) => {
      const qb = h.media.qbittorrent!;
      new QBittorrent(h.media, 'qbittorrent2', { node: qb.proxmoxNode, network: qb.network, data: qb.mountedVolumes[0]!.volume, indexerProxyPort: 8888 as never });
    } })).toEqual([
      "[homelab/media/qbittorrent] forwardedPort 80/tcp is below 1024 — use the port the provider's dashboard shows (providers forward ports from 1024 up), or leave it out",
      '[homelab/media/qbittorrent2] indexerProxyPort must be a Port, got 8888 — write indexerProxyPort: Port.tcp(8888)',
    ]);
  });

  it('fails when the VPN subnet of the server overlaps the LAN', () => {
    expect(lab({ server: { vpnSubnet: '10.10.0.0/16', peers: [{ name: 'phone', publicKey: 'ExamplePhonePublicKeyReplaceWithYourOwn0000=', address: '10.10.99.2' }] } })).toEqual([
      "[homelab/security/wireguard] VPN subnet 10.10.0.0/16 overlaps network homelab/infra/lan (10.10.10.0/24) — pick a VPN subnet outside every LAN, e.g. '10.10.99.0/24'",
    ]);
  });

  it("fails when the client tunnel's address overlaps the LAN", () => {
    expect(lab({ vpn: { address: '10.10.10.200/32' } })).toEqual([
      '[homelab/media/qbittorrent/vpn] tunnel address 10.10.10.200/32 overlaps network homelab/infra/lan (10.10.10.0/24) — the VPN and LAN subnets must not overlap: ask the provider for another address or renumber the LAN',
      '[homelab/media/qbittorrent/vpn] tunnel address 10.10.10.200/32 overlaps the allowed LAN subnet 10.10.10.0/24 — the VPN and LAN subnets must not overlap',
    ]);
  });

  it('fails when the VPN private key is not declared', () => {
    expect(lab({ vpn: { privateKey: Secret.vault('my_vpn_key') } })).toEqual([
      "[homelab/media/qbittorrent/vpn] uses the vault secret 'my_vpn_key', which is not declared — declare it with lab.secrets.declare(scope, Secret.vault('my_vpn_key'), 'what it is'), or fix the name",
    ]);
  });

  it('fails when the VPN private key is a Terraform secret', () => {
    expect(lab({ vpn: { privateKey: Secret.terraform('vpn_key') } })).toEqual([
      "[homelab/media/qbittorrent/vpn] the private key 'vpn_key' is a terraform secret — use Secret.vault('vpn_key'): Ansible writes the key into the tunnel config on the host",
    ]);
  });

  it('fails when the VPN endpoint is a name', () => {
    expect(lab({ vpn: { endpoint: 'se-sto-wg-001.example.net:51820' } })).toEqual([
      "[homelab/media/qbittorrent/vpn] VPN endpoint 'se-sto-wg-001.example.net:51820' is not IPv4:port — take the server's address from the provider's WireGuard file, e.g. '198.51.100.10:51820' (a name would need DNS outside the tunnel)",
    ]);
  });

  it("fails when the tunnel's resolver is on the LAN", () => {
    expect(lab({ vpn: { dns: ['10.10.10.1'] } })).toEqual([
      "[homelab/media/qbittorrent/vpn] DNS server 10.10.10.1 is in the LAN subnet 10.10.10.0/24, but the kill switch lets DNS out only through the tunnel — use the provider's resolver inside the tunnel (e.g. '10.64.0.1')",
    ]);
  });

  it('fails when the allowed LAN subnets would cover the internet', () => {
    expect(lab({ vpn: { allowedLanSubnets: ['0.0.0.0/0'] } })).toEqual([
      '[homelab/media/qbittorrent/vpn] LAN subnet \'0.0.0.0/0\' covers the whole internet, which would let all traffic around the tunnel — list only the LAN subnets the host must reach',
    ]);
  });

  it('fails when a peer of the server is outside the VPN subnet', () => {
    expect(lab({ server: { peers: [{ name: 'phone', publicKey: 'ExamplePhonePublicKeyReplaceWithYourOwn0000=', address: '10.10.98.2' }] } })).toEqual([
      '[homelab/security/wireguard] peer \'phone\' address 10.10.98.2 is outside the VPN subnet 10.10.99.0/24 — give an address inside 10.10.99.0/24',
    ]);
  });

  it('fails when two peers share an address', () => {
    const key = 'ExamplePhonePublicKeyReplaceWithYourOwn0000=';
    expect(lab({ server: { peers: [{ name: 'phone', publicKey: key, address: '10.10.99.3' }, { name: 'tablet', publicKey: key, address: '10.10.99.3' }] } })).toEqual([
      "[homelab/security/wireguard] peers 'phone' and 'tablet' share the address 10.10.99.3 — give each peer its own address",
    ]);
  });

  it('keeps tunnel flows out of the Proxmox firewall but lets a LAN peer in when declared', () => {
    expect(lab({ then: (h) => h.media.qbittorrent!.connections.allowFrom(Peer.cidr('10.10.10.0/24', 'the LAN'), Port.tcp(8080)) })).toEqual([]);
  });
});
