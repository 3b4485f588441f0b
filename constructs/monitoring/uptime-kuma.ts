import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, Image, Port, Size } from '../core';
import { HEALTH_PROBER, IHealthProber } from '../core/capabilities';

/** Pinned 2026-11-25: 2.5.3 (2026-08-22) is the newest Uptime Kuma 2 release upstream. */
export const UPTIME_KUMA_IMAGE = Image.of('louislam/uptime-kuma', '2.5.3');
export const UPTIME_KUMA_PORT = 3001;

export type UptimeKumaProps = CatalogServiceProps;

/**
 * Uptime Kuma: status pages and user-facing checks, configured in its UI (monitors, notifications,
 * push monitors — e.g. the dead-man switch behind Alertmanager's Watchdog). Routed with websockets
 * (socket.io). Its /metrics needs an API key, so Prometheus probes it instead of scraping it.
 */
export class UptimeKuma extends CatalogService implements IHealthProber {
  /** Probes every health endpoint of the lab. */
  readonly [HEALTH_PROBER] = true as const;
  readonly uptimeKuma: ComposeService;
  readonly port = UPTIME_KUMA_PORT;

  constructor(scope: Construct, id: string, props: UptimeKumaProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(768), disk: Size.gibibytes(8), startupOrder: 50 });
    this.uptimeKuma = new ComposeService(this, 'uptime-kuma', {
      image: this.mainImage(UPTIME_KUMA_IMAGE),
      ports: [{ port: Port.tcp(UPTIME_KUMA_PORT), description: 'Uptime Kuma web UI (socket.io websockets) and push endpoints' }],
      environment: { TZ: this.lab.timezone },
      mounts: [{ source: './data', target: '/app/data' }],
      // The image has its own HEALTHCHECK (extra/healthcheck).
    });
    this.addWebUi({
      port: Port.tcp(UPTIME_KUMA_PORT),
      access: 'routed',
      websockets: true,
      healthPath: '/api/entry-page',
      title: 'Uptime Kuma',
      accessLevel: 'sso',
      accessReason: 'its setup page gives the admin account to the first visitor; push monitors (/api/push/) stay public',
      authenticationRisk: { kind: 'first-run-admin', detail: 'the first visitor creates the admin account and sees every monitored address' },
      // Push monitors (pushUrlBase, e.g. Alertmanager's dead-man switch) are machines that cannot
      // sign in; the token in the path is their authentication.
      proxy: { locations: [{ path: '/api/push/', access: 'public' }] },
    });
    this.addHealthEndpoint({ port: Port.tcp(UPTIME_KUMA_PORT), path: '/api/entry-page' });
  }

  /** Base URL of push monitors (append the monitor's token). */
  get pushUrlBase(): string {
    return `https://${this.webUis[0]!.subdomain}.${this.lab.domain}/api/push/`;
  }
}
