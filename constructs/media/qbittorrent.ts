import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, fail } from '../../lib/problems';
import { checkPropTypes } from '../../lib/prop-types';
import { CatalogService, CatalogServiceProps, checkedPort, ComposeService, Connections, Healthcheck, Image, linuxServer, Port, Secret, Size, Volume, WireGuardTunnel } from '../core';
import { APP_ROLES, AppRole, IAppRoles, IVpnClient, VPN_CLIENT, isReverseProxy } from '../core/capabilities';

/**
 * Pinned 2026-11-25: qBittorrent 5.2.3 with libtorrent 2.0.14, linuxserver build ls473 — the newest
 * release on linuxserver/docker-qbittorrent. 5.2 is also the first qBittorrent with WebUI API keys.
 */
export const QBITTORRENT_IMAGE = Image.of('lscr.io/linuxserver/qbittorrent', '5.2.3_v2.0.14-ls473');

/** The WebUI/API port (SWAG and the *arr apps). */
export const QBITTORRENT_WEBUI_PORT = 8080;
/**
 * Where qBittorrent saves, on the shared /data next to media/: finished downloads hardlink into the
 * library. linuxserver's default (/downloads) is not mounted, so downloads would land in the
 * container's writable layer, lost on recreate and never importable by hardlink.
 */
export const QBITTORRENT_SAVE_PATH = '/data/torrents';
/** Incomplete downloads, on the same file system (a move on completion is a rename). */
export const QBITTORRENT_TEMP_PATH = '/data/torrents/incomplete';

/** One key of qBittorrent.conf: `[section]` and the key as written in the file (`Session\DefaultSavePath`). */
export interface QBittorrentSetting {
  readonly section: string;
  readonly option: string;
  /** undefined: the key must not be in the file. */
  readonly value?: string;
}

/** qBittorrent's listening port when the provider forwards none. */
export const DEFAULT_TORRENT_PORT = 6881;
/** tinyproxy on the qBittorrent host, Prowlarr's indexer proxy through the tunnel. */
export const DEFAULT_INDEXER_PROXY_PORT = 8888;

/**
 * Example values of the reference lab (documentation address ranges, a placeholder key): they let
 * the lab synthesize without secrets. Replace them with the values of your provider's WireGuard file.
 */
export const EXAMPLE_VPN = {
  endpoint: '198.51.100.10:51820',
  peerPublicKey: 'ExampleVpnProviderKeyReplaceWithYourOwn0000=',
  address: '10.66.12.34/32',
  dns: ['10.64.0.1'],
} as const;

/** The VPN provider's WireGuard settings (the [Interface]/[Peer] values of its config file). */
export interface QBittorrentVpnProps {
  /** Provider server as IPv4:port (the kill switch opens exactly this). @default EXAMPLE_VPN.endpoint */
  readonly endpoint?: string;
  /** @default EXAMPLE_VPN.peerPublicKey */
  readonly peerPublicKey?: string;
  /** Tunnel address assigned to your key. @default EXAMPLE_VPN.address */
  readonly address?: string;
  /** Resolvers inside the tunnel. @default EXAMPLE_VPN.dns */
  readonly dns?: readonly string[];
  /** @default Secret.vault('qbittorrent_wireguard_private_key'), declared by this service */
  readonly privateKey?: Secret;
  /** Subnets reachable around the tunnel (SWAG, the *arr apps, Prometheus). @default - the lab network of the host */
  readonly allowedLanSubnets?: readonly string[];
  /**
   * The port your provider forwards to the tunnel address (ProtonVPN, AirVPN, ...). It becomes
   * qBittorrent's listening port, reachable through the tunnel only: `Port.tcp(51413)` (qBittorrent
   * listens on TCP and also takes DHT/uTP on UDP at the same number, as providers forward both).
   * @default - none: qBittorrent listens on 6881, reachable through the tunnel only (useful once a port is forwarded)
   */
  readonly forwardedPort?: Port;
  /** @default true (see WireGuardTunnelProps.userspaceFallback) */
  readonly userspaceFallback?: boolean;
}

export interface QBittorrentProps extends CatalogServiceProps {
  /** The lab's shared data; downloads go to /data/torrents, on the same file system as the library. */
  readonly data: Volume;
  /** The VPN all of the host's traffic leaves through. @default - EXAMPLE_VPN values and the vault key */
  readonly vpn?: QBittorrentVpnProps;
  /**
   * Run tinyproxy on this host as Prowlarr's indexer proxy: indexer searches then leave through the
   * tunnel too, while Prowlarr keeps talking to the *arr apps and FlareSolverr on the LAN.
   * @default true
   */
  readonly indexerProxy?: boolean;
  /** tinyproxy's TCP port: `Port.tcp(8888)`. @default Port.tcp(8888) */
  readonly indexerProxyPort?: Port;
}

/**
 * qBittorrent in its own LXC whose whole network leaves through a WireGuard tunnel to the VPN
 * provider, behind an nftables kill switch (see WireGuardTunnel and docs/vpn-and-firewall.md):
 * when the tunnel is down nothing leaves except to the LAN, and that covers the Docker containers
 * of the host (forwarded traffic), not only the host's own. The WebUI answers only SWAG and the
 * declared clients (the *arr apps, autobrr); the torrent port only the tunnel.
 *
 * Why a host-level tunnel and not a gluetun sidecar: one kill switch covers every process and
 * container of the host (qBittorrent, Prowlarr's proxy, anything added later) instead of only the
 * containers joined to gluetun's network namespace; it is plain wg-quick + nftables, which the
 * namespace tests run for real from the generated files; no privileged NET_ADMIN container and no
 * third-party image between qBittorrent and the internet; restarting or recreating one container
 * never detaches another from the network (`network_mode: service:gluetun` does).
 */
export class QBittorrent extends CatalogService implements IVpnClient, IAppRoles {
  /** Its egress leaves through the VPN tunnel; its indexer proxy, when on, is the way out for Prowlarr. */
  readonly [VPN_CLIENT] = true as const;
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['download-client'];
  readonly qbittorrent: ComposeService;
  readonly tunnel: WireGuardTunnel;
  /** qBittorrent's listening port: the provider-forwarded one, or 6881. */
  readonly torrentPort: number;
  readonly webUiPort = QBITTORRENT_WEBUI_PORT;
  /** tinyproxy's port, when the indexer proxy is on. */
  readonly indexerProxyPort?: Port;

  constructor(scope: Construct, id: string, props: QBittorrentProps) {
    // An app (40-60), started after the infrastructure it reports to.
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(2), disk: Size.gibibytes(8), startupOrder: 45 });
    // The catalog checked the container props; these are qBittorrent's own (collected, defaults stand in).
    const own = checkPropTypes(this, 'qBittorrent', props, { indexerProxy: 'boolean', vpn: 'object' });
    const vpn = own.vpn ?? {};
    const privateKey = vpn.privateKey ?? Secret.vault(`${this.hostname.replace(/-/g, '_')}_wireguard_private_key`);
    if (!vpn.privateKey) {
      this.lab.secrets.declare(this, privateKey, `WireGuard private key of ${this.hostname} at the VPN provider (the PrivateKey of the provider's WireGuard file).`);
    }
    const forwarded = checkedPort(this, vpn.forwardedPort, 'forwardedPort', 'tcp', "it is qBittorrent's TCP listening port (the same number is opened for UDP too)", DEFAULT_TORRENT_PORT);
    if (vpn.forwardedPort !== undefined && forwarded < 1024) {
      addCheck(this, () => [{ message: `forwardedPort ${forwarded}/tcp is below 1024`, fix: "use the port the provider's dashboard shows (providers forward ports from 1024 up), or leave it out" }]);
    }
    this.torrentPort = forwarded;
    const proxyPort = checkedPort(this, props.indexerProxyPort, 'indexerProxyPort', 'tcp', 'tinyproxy is an HTTP proxy', DEFAULT_INDEXER_PROXY_PORT);
    if ([QBITTORRENT_WEBUI_PORT, proxyPort, 22].includes(this.torrentPort)) {
      fail(this, `forwardedPort ${this.torrentPort} clashes with another port of this host`, 'ask the provider for another port');
    }

    this.tunnel = new WireGuardTunnel(this, 'vpn', {
      privateKey,
      endpoint: vpn.endpoint ?? EXAMPLE_VPN.endpoint,
      peerPublicKey: vpn.peerPublicKey ?? EXAMPLE_VPN.peerPublicKey,
      address: vpn.address ?? EXAMPLE_VPN.address,
      dns: vpn.dns ?? EXAMPLE_VPN.dns,
      allowedLanSubnets: vpn.allowedLanSubnets,
      userspaceFallback: vpn.userspaceFallback,
    });

    this.qbittorrent = new ComposeService(this, 'qbittorrent', linuxServer(this.lab, {
      image: this.mainImage(QBITTORRENT_IMAGE),
      ports: [
        { port: Port.tcp(QBITTORRENT_WEBUI_PORT), description: 'qBittorrent WebUI + API (SWAG and the *arr apps only)' },
        { port: Port.tcp(this.torrentPort), description: 'BitTorrent listen port (through the tunnel only)' },
        { port: Port.udp(this.torrentPort), description: 'BitTorrent DHT/uTP (through the tunnel only)' },
      ],
      environment: {
        UMASK: '002',
        WEBUI_PORT: QBITTORRENT_WEBUI_PORT,
        TORRENTING_PORT: this.torrentPort,
      },
      // One /data for downloads and library: the *arr apps import by hardlink.
      mounts: [{ source: props.data, target: '/data' }],
      // The login page answers without authentication; the API needs a session.
      healthcheck: Healthcheck.http(Port.tcp(QBITTORRENT_WEBUI_PORT), '/'),
    }));
    this.tunnel.allowInbound(Port.tcp(this.torrentPort), vpn.forwardedPort !== undefined ? 'torrent port forwarded by the VPN provider' : 'torrent port (through the tunnel only)');
    this.tunnel.allowInbound(Port.udp(this.torrentPort), 'DHT/uTP (through the tunnel only)');

    if (own.indexerProxy ?? true) {
      this.indexerProxyPort = Port.tcp(proxyPort);
      this.declarePort(this.indexerProxyPort, "tinyproxy: Prowlarr's indexer proxy, egress through the tunnel");
    }

    // No Host/X-Forwarded-Host override as in SWAG's qbittorrent sample: SWAG's proxy.conf sends
    // `X-Forwarded-Host $host` (no port) since 2023-02, which is what qBittorrent's CSRF check
    // compares with the Origin (docs/swag-hardening.md, __tests__/security/swag-proxy-tuning.test.ts).
    const health = this.addHealthEndpointOf(this.qbittorrent);
    this.addWebUi({ port: Port.tcp(QBITTORRENT_WEBUI_PORT), access: 'routed', title: 'qBittorrent', healthPath: health.path, accessLevel: 'sso', accessReason: 'a download client with a weak default login (admin and a temporary password in its log)', authenticationRisk: { kind: 'no-authentication', detail: 'its Web UI starts with the default user admin and a password printed in its log, and can run any download' } });
  }

  /**
   * The proxy URL for Prowlarr's Settings > Indexers > Indexer Proxies (type HTTP), tagged onto the
   * indexers that must go through the VPN. Undefined when the proxy is off.
   */
  get indexerProxyUrl(): string | undefined {
    return this.indexerProxyPort ? `http://${this.ipAddress}:${this.indexerProxyPort.port}` : undefined;
  }

  /** Sources allowed to use the indexer proxy (Prowlarr, from the derived flows). */
  get indexerProxyClients(): string[] {
    if (!this.indexerProxyPort) return [];
    return Connections.of(this)
      .rulesFor(this.indexerProxyPort)
      .map((r) => r.peer.source)
      .filter((s): s is string => s !== undefined)
      .sort();
  }

  /** The addresses of the lab's reverse proxies (SWAG), found from the model like the firewall finds them. */
  get trustedProxies(): string[] {
    return this.lab.containers.filter((c) => c !== this && isReverseProxy(c)).map((c) => c.ipAddress).sort();
  }

  /**
   * The keys of qBittorrent.conf the model owns (QSettings INI: the first path component is the
   * section, the rest joined with `\`). Sources, qBittorrent release-5.2.3:
   * - src/base/bittorrent/sessionimpl.cpp: `BitTorrent/Session/DefaultSavePath`, `.../TempPath`, `.../TempPathEnabled`;
   * - src/base/preferences.cpp: `Preferences/WebUI/ReverseProxySupportEnabled`, `Preferences/WebUI/TrustedReverseProxiesList`
   *   (split on `;`, IPs or CIDR; an unquoted `;` starts a QSettings comment, so several are quoted);
   * - `LegalNotice/Accepted`: qbittorrent-nox without a terminal exits until the notice is accepted;
   *   linuxserver's default file (root/defaults/qBittorrent.conf) sets it, and a seeded file replaces that default.
   * The legacy `Preferences/Downloads/*` paths are kept out: src/app/upgrade.cpp copies them over the
   * Session keys when a file without `Meta/MigrationVersion` is first read (linuxserver's default has them).
   */
  qbittorrentSettings(): { present: QBittorrentSetting[]; absent: QBittorrentSetting[] } {
    const proxies = this.trustedProxies;
    const list = proxies.join(';');
    return {
      present: [
        { section: 'LegalNotice', option: 'Accepted', value: 'true' },
        { section: 'BitTorrent', option: 'Session\\DefaultSavePath', value: QBITTORRENT_SAVE_PATH },
        { section: 'BitTorrent', option: 'Session\\TempPath', value: QBITTORRENT_TEMP_PATH },
        { section: 'BitTorrent', option: 'Session\\TempPathEnabled', value: 'true' },
        // Client addresses from X-Forwarded-For, trusted from SWAG only: failed logins ban the
        // client, not SWAG (which would lock every user out at once).
        { section: 'Preferences', option: 'WebUI\\ReverseProxySupportEnabled', value: proxies.length ? 'true' : 'false' },
        ...(proxies.length ? [{ section: 'Preferences', option: 'WebUI\\TrustedReverseProxiesList', value: proxies.length > 1 ? `"${list}"` : list }] : []),
      ],
      absent: [
        ...(proxies.length ? [] : [{ section: 'Preferences', option: 'WebUI\\TrustedReverseProxiesList' }]),
        { section: 'Preferences', option: 'Downloads\\SavePath' },
        { section: 'Preferences', option: 'Downloads\\TempPath' },
        { section: 'Preferences', option: 'Downloads\\TempPathEnabled' },
      ],
    };
  }

  contributeAnsible(project: AnsibleProject): void {
    const settings = this.qbittorrentSettings();
    this.setHostVar('qbittorrent_config_settings', settings.present);
    this.setHostVar('qbittorrent_config_absent', settings.absent);
    this.setHostVar('qbittorrent_config_service', this.qbittorrent.serviceKey);
    this.setHostVar('qbittorrent_config_owner', this.lab.dataOwner.uid);
    this.setHostVar('qbittorrent_config_group', this.lab.dataOwner.gid);
    if (this.indexerProxyPort) {
      this.setHostVar('vpn_proxy_listen', this.ipAddress);
      this.setHostVar('vpn_proxy_port', this.indexerProxyPort.port);
      this.setHostVar('vpn_proxy_allow', this.indexerProxyClients);
      this.addToGroup('vpn_proxies');
    }
    super.contributeAnsible(project);
    project.useRole('qbittorrent_config');
    // Before the compose play starts qBittorrent: a first start already reads the seeded file.
    project.addPlay(this.stack.stackName, {
      name: `Seed qBittorrent's settings on ${this.hostname} (save paths, reverse proxy), with qBittorrent stopped`,
      hosts: this.hostname,
      roles: ['qbittorrent_config'],
    }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
    if (this.indexerProxyPort) {
      project.useRole('vpn_proxy');
      project.addPlay(this.stack.stackName, {
        name: `Run the indexer proxy on ${this.hostname}, behind its kill switch`,
        hosts: this.hostname,
        roles: ['vpn_proxy'],
      }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
    }
  }
}
