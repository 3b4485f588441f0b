import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Size } from '../core';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: the newest v3 release tag found in use. */
export const FLARESOLVERR_IMAGE = Image.of('ghcr.io/flaresolverr/flaresolverr', 'v3.5.2');

/** Port of the native Prometheus exporter (enabled by PROMETHEUS_ENABLED). */
export const FLARESOLVERR_METRICS_PORT = 8192;

export type FlareSolverrProps = CatalogServiceProps;

/**
 * FlareSolverr: solves Cloudflare challenges for Prowlarr (a tagged indexer proxy). It is an API
 * without authentication and without a web UI, so it is never routed: only LAN clients reach :8191.
 * Stateless: nothing is mounted (the image's /config would need its uid 1000 owner).
 */
export class FlareSolverr extends CatalogService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['challenge-solver'];
  readonly flaresolverr: ComposeService;
  /** The API port Prowlarr's indexer proxy points at (http://<address>:8191). */
  readonly apiPort = Port.tcp(8191);

  constructor(scope: Construct, id: string, props: FlareSolverrProps) {
    // Headless Chromium: memory before cores. Started before Prowlarr, which uses it.
    // Stateless: nothing to back up.
    super(scope, id, props, { cores: 1, memory: Size.gibibytes(1), disk: Size.gibibytes(8), startupOrder: 40, backup: false });
    this.flaresolverr = new ComposeService(this, 'flaresolverr', {
      image: this.mainImage(FLARESOLVERR_IMAGE),
      ports: [
        { port: this.apiPort, description: 'FlareSolverr HTTP API (/v1), LAN only: no authentication' },
        { port: Port.tcp(FLARESOLVERR_METRICS_PORT), description: 'FlareSolverr Prometheus metrics' },
      ],
      environment: {
        TZ: this.lab.timezone,
        LOG_LEVEL: 'info',
        PROMETHEUS_ENABLED: 'true',
        PROMETHEUS_PORT: FLARESOLVERR_METRICS_PORT,
      },
      healthcheck: Healthcheck.http(Port.tcp(8191), '/health'),
    });
    this.addHealthEndpointOf(this.flaresolverr);
    this.addMetricsEndpoint({ port: Port.tcp(FLARESOLVERR_METRICS_PORT) });
  }
}
