import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Size } from '../core';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Port of the requests app (Seerr and Overseerr alike). */
export const REQUESTS_PORT = 5055;

/** What distinguishes Seerr from Overseerr. */
export interface RequestsAppSpec {
  /** Compose service key and container name. */
  readonly name: string;
  readonly title: string;
  readonly image: Image;
  /** The image spawns children but ships no init. */
  readonly init: boolean;
}

/**
 * A media requests app (Seerr, or the archived Overseerr it replaces). Both keep their state in
 * /app/config, so switching keeps the container and Seerr migrates Overseerr's database in place.
 */
export abstract class RequestsApp extends CatalogService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['request-manager'];
  /** The app's container. */
  readonly app: ComposeService;
  readonly title: string;

  protected constructor(scope: Construct, id: string, props: CatalogServiceProps, spec: RequestsAppSpec) {
    // After Plex and the *arr apps it talks to.
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(1), disk: Size.gibibytes(8), startupOrder: 55 });
    this.title = spec.title;
    this.app = new ComposeService(this, spec.name, {
      image: this.mainImage(spec.image),
      ports: [{ port: Port.tcp(REQUESTS_PORT), description: `${spec.title} web UI + API` }],
      environment: { TZ: this.lab.timezone, LOG_LEVEL: 'info', PORT: REQUESTS_PORT },
      // Seerr runs rootless as 1000:1000 and cannot write a root-owned config directory.
      mounts: [{ source: './config', target: '/app/config', owner: { uid: 1000, gid: 1000 } }],
      init: spec.init,
      // Node on Alpine: busybox wget, no curl.
      healthcheck: Healthcheck.http(Port.tcp(REQUESTS_PORT), '/api/v1/status', { tool: 'wget' }),
    });
    const health = this.addHealthEndpointOf(this.app);
    this.addWebUi({ port: Port.tcp(REQUESTS_PORT), access: 'routed', healthPath: health.path, title: spec.title, accessLevel: 'sso', accessReason: 'its setup wizard is open to anyone until the first sign-in', authenticationRisk: { kind: 'first-run-admin', detail: 'its setup wizard makes the first visitor the owner and links the Plex server' } });
    // No native metrics: the Blackbox probe of /api/v1/status covers it.
  }
}
