import { Construct } from 'constructs';
import {
  CatalogDefaults, CatalogService, CatalogServiceProps, checkedPort, ComposeService, EnvValue, Healthcheck, Image, INVALID_PORT, linuxServer, Port, Secret, Volume,
} from '../core';

/**
 * exportarr, one instance per *arr app (upstream: maintenance mode, still the exporter the *arr
 * community uses). Distroless image: no shell, so no Docker healthcheck.
 * Pinned 2026-11-25: v2.3.0 is the newest release.
 */
export const EXPORTARR_IMAGE = Image.of('ghcr.io/onedr0p/exportarr', 'v2.3.0');

/** Port exportarr serves /metrics on. */
export const EXPORTARR_PORT = 9707;

export interface ServarrAppProps extends CatalogServiceProps {
  /**
   * The app's API key. It is set into the app through `<APP>__AUTH__APIKEY` (Servarr reads config
   * from the environment), so the key is known before first start and the exporter can use it.
   * @default - Secret.vault('<hostname>_api_key'), declared by this service
   */
  readonly apiKey?: Secret;
  /** Image of the metrics exporter sidecar. @default EXPORTARR_IMAGE */
  readonly exporterImage?: Image;
}

/** What distinguishes one *arr app from another. */
export interface ServarrSpec {
  /** exportarr's subcommand and the prefix of the app's environment config. */
  readonly app: 'sonarr' | 'radarr' | 'lidarr' | 'prowlarr';
  readonly title: string;
  readonly image: Image;
  /** The app's web UI and API port, TCP: `Port.tcp(8989)`. */
  readonly port: Port;
  /** The lab's shared data, mounted at /data (downloads and library on one file system). */
  readonly data?: Volume;
  readonly defaults: CatalogDefaults;
}

/**
 * A Servarr app (Sonarr, Radarr, Lidarr, Prowlarr): the linuxserver.io image with the lab's data
 * owner as PUID/PGID, /ping health, a routed web UI and an exportarr sidecar on :9707.
 */
export abstract class ServarrApp extends CatalogService {
  /** The app's container. */
  readonly app: ComposeService;
  /** The exportarr sidecar; Prometheus scrapes it on EXPORTARR_PORT. */
  readonly exporter: ComposeService;
  readonly apiKey: Secret;
  /** The app's web UI and API port. */
  readonly port: number;

  protected constructor(scope: Construct, id: string, props: ServarrAppProps, spec: ServarrSpec) {
    super(scope, id, props, spec.defaults);
    this.port = checkedPort(this, spec.port, 'port', 'tcp', 'the web UI and API are served over HTTP', INVALID_PORT);
    const port = Port.tcp(this.port);
    const envPrefix = spec.app.toUpperCase();
    this.apiKey = props.apiKey ?? Secret.vault(`${this.hostname.replace(/-/g, '_')}_api_key`);
    // One line in vault.example.yml: keep it short (yamllint's line length).
    this.lab.secrets.declare(this, this.apiKey, `${spec.title} API key, 32 hex chars (openssl rand -hex 16); read by ${spec.title} and exportarr`);

    this.app = new ComposeService(this, spec.app, linuxServer(this.lab, {
      image: this.mainImage(spec.image),
      ports: [{ port, description: `${spec.title} web UI + API` }],
      environment: {
        // Files the app moves into the shared tree stay writable for the other apps of the group.
        ...(spec.data ? { UMASK: '002' } : {}),
        [`${envPrefix}__AUTH__APIKEY`]: EnvValue.fromSecret(this.apiKey),
      },
      // One /data for downloads and library, seen at the same path everywhere: imports are hardlinks.
      mounts: spec.data ? [{ source: spec.data, target: '/data' }] : [],
      healthcheck: Healthcheck.http(port, '/ping'),
    }));

    this.exporter = new ComposeService(this, 'exportarr', {
      image: props.exporterImage ?? EXPORTARR_IMAGE,
      command: [spec.app],
      ports: [{ port: Port.tcp(EXPORTARR_PORT), description: `exportarr metrics of ${spec.title}` }],
      environment: {
        PORT: EXPORTARR_PORT,
        // Same compose project: the app is reachable by its service name.
        URL: `http://${this.app.serviceKey}:${this.port}`,
        APIKEY: EnvValue.fromSecret(this.apiKey),
      },
      dependsOn: [this.app],
    });

    const health = this.addHealthEndpointOf(this.app);
    this.addWebUi({ port, access: 'routed', websockets: true, healthPath: health.path, title: spec.title, accessLevel: 'sso', accessReason: 'authentication is set up by whoever opens it first', authenticationRisk: { kind: 'first-run-admin', detail: 'the first visitor sets its authentication and holds its API key and every indexer and download-client credential' } });
    this.addMetricsEndpoint({ port: Port.tcp(EXPORTARR_PORT) });
  }
}
