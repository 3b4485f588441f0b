import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret, Size } from '../core';
import { APP_ROLES, AppRole } from '../core/capabilities';

/**
 * The Alpine-based image (the distroless variant has no shell, so exec filters and the
 * healthcheck below would not work). Pinned 2026-11-25: the newest release tag found in use.
 */
export const AUTOBRR_IMAGE = Image.of('ghcr.io/autobrr/autobrr', 'v1.87.0');

/** Port of autobrr's native Prometheus endpoint (off unless enabled by environment). */
export const AUTOBRR_METRICS_PORT = 9074;

export interface AutoBrrProps extends CatalogServiceProps {
  /**
   * Secret that signs autobrr's session cookies.
   * @default - Secret.vault('<hostname>_session_secret'), declared by this service
   */
  readonly sessionSecret?: Secret;
}

/** autobrr: watches IRC announce channels and pushes matching releases to qBittorrent and the *arr apps. */
export class AutoBrr extends CatalogService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['release-watcher'];
  readonly autobrr: ComposeService;
  readonly sessionSecret: Secret;

  constructor(scope: Construct, id: string, props: AutoBrrProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(8), startupOrder: 50 });
    this.sessionSecret = props.sessionSecret ?? Secret.vault(`${this.hostname.replace(/-/g, '_')}_session_secret`);
    this.lab.secrets.declare(this, this.sessionSecret, 'Signs autobrr session cookies (openssl rand -hex 32); changing it logs users out');
    this.autobrr = new ComposeService(this, 'autobrr', {
      image: this.mainImage(AUTOBRR_IMAGE),
      ports: [
        { port: Port.tcp(7474), description: 'autobrr web UI + API' },
        { port: Port.tcp(AUTOBRR_METRICS_PORT), description: 'autobrr Prometheus metrics' },
      ],
      environment: {
        TZ: this.lab.timezone,
        AUTOBRR__HOST: '0.0.0.0',
        AUTOBRR__PORT: 7474,
        AUTOBRR__SESSION_SECRET: EnvValue.fromSecret(this.sessionSecret),
        AUTOBRR__METRICS_ENABLED: 'true',
        // The metrics listener binds to localhost unless told otherwise.
        AUTOBRR__METRICS_HOST: '0.0.0.0',
        AUTOBRR__METRICS_PORT: AUTOBRR_METRICS_PORT,
      },
      mounts: [{ source: './config', target: '/config' }],
      healthcheck: Healthcheck.http(Port.tcp(7474), '/api/healthz/liveness', { tool: 'wget' }),
    });
    const health = this.addHealthEndpointOf(this.autobrr);
    this.addWebUi({ port: Port.tcp(7474), access: 'routed', healthPath: health.path, title: 'autobrr', accessLevel: 'sso', accessReason: 'its onboarding page creates the admin account for the first visitor', authenticationRisk: { kind: 'first-run-admin', detail: 'its onboarding creates the admin account for the first visitor, who then holds the indexer and download-client credentials' } });
    this.addMetricsEndpoint({ port: Port.tcp(AUTOBRR_METRICS_PORT) });
  }
}
