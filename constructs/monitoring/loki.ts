import { Construct } from 'constructs';
import { lokiConfig } from '../../lib/observability/loki-config';
import { isDuration } from '../../lib/observability/promql';
import { fail } from '../../lib/problems';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import { CatalogServiceProps, ComposeService, Image, Port, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { APP_ROLES, AppRole, IAppRoles, ILogSink, LOG_SINK } from '../core/capabilities';

/** Pinned 2026-11-25: 3.7.6 (2026-08-05) is the newest release of the Loki 3.7 line. */
export const LOKI_IMAGE = Image.of('grafana/loki', '3.7.6');
export const LOKI_PORT = 3100;
/** The image's user. */
const LOKI_USER = { uid: 10001, gid: 10001 };

export interface LokiProps extends CatalogServiceProps {
  /** How long logs are kept. @default '744h' (31 days) */
  readonly retention?: string;
}


/**
 * Loki, single binary on the local file system, keeping 31 days of logs. Every LXC's log agent
 * pushes to it; Grafana queries it. LAN-only: an HTTP API without authentication (tenant 'fake').
 */
export class Loki extends ConfiguredService implements ILogSink, IAppRoles {
  /** Every container's log agent pushes here. */
  readonly [LOG_SINK] = true as const;
  readonly logPushPort = Port.tcp(LOKI_PORT);
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['log-store'];
  readonly loki: ComposeService;
  readonly port = LOKI_PORT;
  readonly job = 'loki';
  readonly retention: string;

  constructor(scope: Construct, id: string, props: LokiProps) {
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(1), disk: Size.gibibytes(32), startupOrder: 20 });
    this.retention = props.retention ?? '744h';
    if (!isDuration(this.retention)) fail(this, `retention '${this.retention}' is not a duration`, "write it like '744h'");
    this.loki = new ComposeService(this, 'loki', {
      image: this.mainImage(LOKI_IMAGE),
      command: ['-config.file=/etc/loki/loki.yml'],
      ports: [
        { port: Port.tcp(LOKI_PORT), description: 'Loki HTTP API: log push (/loki/api/v1/push), queries, /ready and /metrics' },
      ],
      mounts: [
        { source: './config', target: '/etc/loki', readOnly: true, owner: LOKI_USER },
        { source: './data', target: '/loki', owner: LOKI_USER },
      ],
      // No healthcheck: the image is distroless (no shell, no wget); Blackbox probes /ready instead.
    });
    this.addWebUi({ port: Port.tcp(LOKI_PORT), access: 'lan-only', reason: 'an HTTP API without a UI or login; Grafana queries it over the LAN', healthPath: '/ready', title: 'Loki API' });
    this.addHealthEndpoint({ port: Port.tcp(LOKI_PORT), path: '/ready' });
    this.addMetricsEndpoint({ port: Port.tcp(LOKI_PORT), job: this.job });
  }

  /** Where log agents push. */
  get pushUrl(): string {
    return `http://${this.ipAddress}:${LOKI_PORT}/loki/api/v1/push`;
  }

  config(): Record<string, unknown> {
    return lokiConfig({ retention: this.retention });
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [{ path: 'config/loki.yml', content: toYaml(this.config(), { lineWidth: CONFIG_YAML_WIDTH }) }];
  }
}
