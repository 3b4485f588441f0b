import { Construct } from 'constructs';
import { blackboxConfig } from '../../lib/observability/blackbox-config';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { HEALTH_PROBER, IHealthProber } from '../core/capabilities';

/** Pinned 2026-11-25: v0.28.0 (2025-12-04) is the newest Blackbox exporter release upstream. */
export const BLACKBOX_IMAGE = Image.of('prom/blackbox-exporter', 'v0.28.0');
export const BLACKBOX_PORT = 9115;

export type BlackboxExporterProps = CatalogServiceProps;


/**
 * Blackbox exporter: Prometheus asks it to probe every route (https through SWAG, which also yields
 * the certificate's expiry) and every internal health endpoint. LAN-only: its /probe endpoint
 * fetches any URL it is given, so on the internet it would be an open proxy for scans.
 */
export class BlackboxExporter extends ConfiguredService implements IHealthProber {
  /** Probes every health endpoint of the lab. */
  readonly [HEALTH_PROBER] = true as const;
  readonly blackbox: ComposeService;
  readonly port = BLACKBOX_PORT;
  readonly job = 'blackbox';

  constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    // Stateless: nothing to back up.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 20, backup: false });
    this.blackbox = new ComposeService(this, 'blackbox', {
      image: this.mainImage(BLACKBOX_IMAGE),
      command: ['--config.file=/etc/blackbox_exporter/blackbox.yml'],
      ports: [{ port: Port.tcp(BLACKBOX_PORT), description: 'Blackbox /probe (multi-target) and its own /metrics' }],
      // The image runs as nobody.
      mounts: [{ source: './config', target: '/etc/blackbox_exporter', readOnly: true, owner: { uid: 65534, gid: 65534 } }],
      healthcheck: Healthcheck.http(Port.tcp(BLACKBOX_PORT), '/-/healthy', { tool: 'wget' }),
    });
    this.addWebUi({
      port: Port.tcp(BLACKBOX_PORT),
      access: 'lan-only',
      reason: 'an exporter status page; /probe fetches any URL it is given, so it must not be reachable from the internet',
      healthPath: '/-/healthy',
      title: 'Blackbox exporter',
    });
    this.addMetricsEndpoint({ port: Port.tcp(BLACKBOX_PORT), job: this.job });
  }

  /** What Prometheus scrapes for probes. */
  get address(): string {
    return `${this.ipAddress}:${BLACKBOX_PORT}`;
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [{ path: 'config/blackbox.yml', content: toYaml(blackboxConfig(), { lineWidth: CONFIG_YAML_WIDTH }) }];
  }
}
