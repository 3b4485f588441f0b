import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, linuxServer, Port, Secret, Size, Volume } from '../core';
import { APP_ROLES, AppRole, FIRST_LOGIN_GUIDE, IAppRoles, IFirstLoginGuide, IPublicEndpoint, PUBLIC_ENDPOINT } from '../core/capabilities';

/** Pinned 2026-11-25: a current Plex Media Server 1.43 release of the linuxserver.io image. */
export const PLEX_IMAGE = Image.of('lscr.io/linuxserver/plex', '1.43.3');

/** Where Plex sees the libraries: the same path Sonarr, Radarr and Lidarr import into. */
export const PLEX_MEDIA_PATH = '/data/media';

export interface PlexProps extends CatalogServiceProps {
  /** The lab's shared data; Plex reads `media/` below it. */
  readonly data: Volume;
  /**
   * A claim token (https://plex.tv/claim, valid 4 minutes) that links a new server to an account at
   * its first start (ignored once claimed), e.g. `Secret.vault('plex_claim_token')`.
   * @default - none: claim the server at http://localhost:32400/web through an SSH tunnel (README, Plex)
   */
  readonly claimToken?: Secret;
}

/**
 * Plex Media Server with hardware transcoding on the node's GPU render node, on the host network of
 * its own LXC: linuxserver's recommended mode (readme: `--net=host`; "If you have not already
 * claimed your server (first time setup) you need to set PLEX_CLAIM to claim a server set up with
 * bridge networking"). On the host network Plex sees its clients' real addresses and a new server
 * can be claimed from http://localhost:32400/web through an SSH tunnel (plexinc/pms-docker README,
 * "Running on a headless server"), or at first start with `claimToken`. Only 32400/tcp is declared:
 * the Proxmox firewall keeps LAN discovery (GDM/DLNA, UDP) closed; clients find the server through plex.tv.
 */
export class Plex extends CatalogService implements IPublicEndpoint, IFirstLoginGuide, IAppRoles {
  readonly [PUBLIC_ENDPOINT] = true as const;
  readonly [FIRST_LOGIN_GUIDE] = true as const;
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['media-server'];
  /** The Plex container. */
  readonly plex: ComposeService;
  /**
   * The one port clients (and, when remote access is on, the internet) reach Plex on directly.
   * Firewall rules read it from here.
   */
  readonly remoteAccessPort = Port.tcp(32400);
  /** Remote access: the router forwards 32400 to Plex (a LAN-only Plex is a DockerHost of your own). */
  readonly publicPorts: readonly Port[] = [this.remoteAccessPort];

  constructor(scope: Construct, id: string, props: PlexProps) {
    super(scope, id, props, { cores: 4, memory: Size.gibibytes(4), disk: Size.gibibytes(32), startupOrder: 50 });
    this.addGpu();
    // Read-only at the LXC too: Plex has no reason to change the library.
    this.addMount(props.data, '/data', { readOnly: true });
    if (props.claimToken) {
      this.lab.secrets.declare(this, props.claimToken, 'Plex claim token from https://plex.tv/claim (valid 4 minutes; read at first start)');
    }

    // Without a GPU on the node the lab fails validation (LxcContainer's check); the default path
    // keeps the compose file well-formed until then.
    const gpu = this.gpuDevice ?? { path: '/dev/dri/renderD128', gid: 104 };
    this.plex = new ComposeService(this, 'plex', linuxServer(this.lab, {
      image: this.mainImage(PLEX_IMAGE),
      networkMode: 'host',
      ports: [{ port: this.remoteAccessPort, description: 'Plex web UI (/web) and client API' }],
      environment: {
        // The image tag decides the version; no self-update at container start.
        VERSION: 'docker',
        ...(props.claimToken ? { PLEX_CLAIM: EnvValue.fromSecret(props.claimToken) } : {}),
      },
      // The LXC path /data/media (inside the shared volume mounted above), at the same path.
      mounts: [{ source: PLEX_MEDIA_PATH, target: PLEX_MEDIA_PATH, readOnly: true }],
      devices: [gpu.path],
      // lsio's init adds its user to the device's group; the gid here also covers processes
      // started outside that init (docker exec, the transcoder's helpers).
      groupAdd: [gpu.gid],
      healthcheck: Healthcheck.http(Port.tcp(32400), '/identity'),
    }));

    const health = this.addHealthEndpointOf(this.plex);
    this.addWebUi({
      port: Port.tcp(32400),
      access: 'routed',
      subdomain: 'plex',
      websockets: true,
      healthPath: health.path,
      title: 'Plex',
      accessLevel: 'public',
      accessReason: 'Plex apps and plex.tv reach it directly; plex.tv accounts authenticate every client',
      // SWAG's own sample (linuxserver/reverse-proxy-confs plex.subdomain.conf.sample, 2025/07/18):
      // proxy_buffering off for the streams, and /library/streams/ proxied without the client's
      // request headers.
      proxy: { bufferResponses: false, locations: [{ path: '/library/streams/', passRequestHeaders: false }] },
    });
    this.claimed = props.claimToken !== undefined;
  }

  private readonly claimed: boolean;

  /** How a new server is claimed (generated docs/services.md, "First login"). */
  get firstLoginNotes(): string[] {
    return [
      this.claimed
        ? 'claimed at its first start with the claim token from the vault (https://plex.tv/claim, valid 4 minutes: fill it in just before deploying).'
        : `claim the server through an SSH tunnel (Plex offers the setup to localhost only): \`ssh -L 32400:127.0.0.1:32400 root@${this.ipAddress}\`, then open http://localhost:32400/web and sign in.`,
      `in Settings > Network, set "Custom server access URLs" to https://plex.${this.lab.domain}:443.`,
    ];
  }
}
