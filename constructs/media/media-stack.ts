import { Construct } from 'constructs';
import { fail } from '../../lib/problems';
import { LabStack, Network, planServices, NodeChoice, Secret, ServiceOverrides, Volume } from '../core';
import { AutoBrr } from './autobrr';
import { FlareSolverr } from './flaresolverr';
import { Lidarr } from './lidarr';
import { Overseerr } from './overseerr';
import { Plex } from './plex';
import { Prowlarr } from './prowlarr';
import { QBittorrent, QBittorrentVpnProps } from './qbittorrent';
import { Radarr } from './radarr';
import { RequestsApp } from './requests-app';
import { Seerr } from './seerr';
import { Sonarr } from './sonarr';

/** The services of the media stack, as named in `overrides`. */
export const MEDIA_SERVICES = ['plex', 'sonarr', 'radarr', 'lidarr', 'prowlarr', 'qbittorrent', 'autobrr', 'flaresolverr', 'requests'] as const;
export type MediaServiceName = (typeof MEDIA_SERVICES)[number];

/** Per-service overrides of the media stack, keyed by service name. */
export type MediaOverrides = Readonly<Partial<Record<MediaServiceName, ServiceOverrides>>>;

/**
 * The reference plan: VMID and host number in the stack's network (121/.21 ... 129/.29).
 * Host numbers rather than addresses, so a lab on another /24 keeps the same layout.
 */
const PLAN: Record<MediaServiceName, { vmId: number; host: number }> = {
  plex: { vmId: 121, host: 21 },
  sonarr: { vmId: 122, host: 22 },
  radarr: { vmId: 123, host: 23 },
  lidarr: { vmId: 124, host: 24 },
  prowlarr: { vmId: 125, host: 25 },
  qbittorrent: { vmId: 126, host: 26 },
  autobrr: { vmId: 127, host: 27 },
  flaresolverr: { vmId: 128, host: 28 },
  requests: { vmId: 129, host: 29 },
};

export interface MediaStackProps {
  /** Default node of the stack's containers, or `'auto'` to have each one placed. */
  readonly node: NodeChoice;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (torrents/ and media/) of the lab, mounted at /data for hardlinks. */
  readonly data: Volume;
  /**
   * The requests app. Overseerr was archived in February 2026; choosing it prints the warning
   * `homelab:archived-overseerr`. Both use the construct id 'requests', so switching keeps the
   * container and Seerr migrates Overseerr's config.
   * @default 'seerr'
   */
  readonly requests?: 'seerr' | 'overseerr';
  /** The VPN provider qBittorrent's traffic leaves through. @default - QBittorrent's example values and vault key */
  readonly vpn?: QBittorrentVpnProps;
  /**
   * Claim token Plex links itself to your account with at its first start (from https://plex.tv/claim,
   * valid 4 minutes), e.g. `Secret.vault('plex_claim_token')`. @default - none: claim through an SSH tunnel (README, Plex)
   */
  readonly plexClaimToken?: Secret;
  /** Per-service overrides (disable, resize, retag, move, re-address). @default {} */
  readonly overrides?: MediaOverrides;
}

/**
 * The media services of the reference homelab, one LXC each: Plex (GPU transcoding), Sonarr,
 * Radarr, Lidarr, Prowlarr, qBittorrent, autobrr, FlareSolverr and Seerr (or Overseerr).
 * qBittorrent, the *arr apps and Plex see the shared data at /data, so imports are hardlinks.
 */
export class MediaStack extends LabStack {
  readonly plex?: Plex;
  readonly sonarr?: Sonarr;
  readonly radarr?: Radarr;
  readonly lidarr?: Lidarr;
  readonly prowlarr?: Prowlarr;
  readonly qbittorrent?: QBittorrent;
  readonly autobrr?: AutoBrr;
  readonly flaresolverr?: FlareSolverr;
  readonly requests?: RequestsApp;

  constructor(scope: Construct, id: string, props: MediaStackProps) {
    super(scope, id, { description: 'Media services: Plex, the *arr apps, qBittorrent, autobrr, FlareSolverr and requests' });
    const settings = planServices(this, props, PLAN);
    const requestsApp = props.requests ?? 'seerr';
    if (requestsApp !== 'seerr' && requestsApp !== 'overseerr') fail(this, `unknown requests app '${String(requestsApp)}'`, "use 'seerr' (default) or 'overseerr'");
    const data = props.data;

    // Declaration order is the order of the inventory and of the Terraform resources.
    const flaresolverr = settings('flaresolverr');
    if (flaresolverr) this.flaresolverr = new FlareSolverr(this, 'flaresolverr', flaresolverr);
    const prowlarr = settings('prowlarr');
    if (prowlarr) this.prowlarr = new Prowlarr(this, 'prowlarr', prowlarr);
    const qbittorrent = settings('qbittorrent');
    if (qbittorrent) this.qbittorrent = new QBittorrent(this, 'qbittorrent', { ...qbittorrent, data, vpn: props.vpn });
    const sonarr = settings('sonarr');
    if (sonarr) this.sonarr = new Sonarr(this, 'sonarr', { ...sonarr, data });
    const radarr = settings('radarr');
    if (radarr) this.radarr = new Radarr(this, 'radarr', { ...radarr, data });
    const lidarr = settings('lidarr');
    if (lidarr) this.lidarr = new Lidarr(this, 'lidarr', { ...lidarr, data });
    const autobrr = settings('autobrr');
    if (autobrr) this.autobrr = new AutoBrr(this, 'autobrr', autobrr);
    const plex = settings('plex');
    if (plex) this.plex = new Plex(this, 'plex', { ...plex, data, claimToken: props.plexClaimToken });
    const requests = settings('requests');
    if (requests) this.requests = requestsApp === 'overseerr' ? new Overseerr(this, 'requests', requests) : new Seerr(this, 'requests', requests);
  }
}

/** The address with host number `host` in `network` (10.10.10.0/24, 21 → 10.10.10.21). */
