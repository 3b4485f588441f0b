import { Construct } from 'constructs';
import {
  grafanaDashboardProvider, grafanaDatasources, nodesDashboard, probesDashboard, proxmoxDashboard, stackDashboard,
} from '../../lib/observability/grafana';
import { observedStacks } from '../../integrations/observability/observe-lab';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import { CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { APP_ROLES, AppRole } from '../core/capabilities';

/**
 * Pinned 2026-11-25: 13.1.1 (July 2026) is the newest Grafana release found in use. The image is
 * grafana/grafana: grafana/grafana-oss stopped receiving updates with 12.4.0.
 */
export const GRAFANA_IMAGE = Image.of('grafana/grafana', '13.1.1');
export const GRAFANA_PORT = 3000;
/** The image's user (grafana). */
const GRAFANA_USER = { uid: 472, gid: 472 };

export interface GrafanaProps extends CatalogServiceProps {
  /** @default 'admin' */
  readonly adminUser?: string;
  /** @default Secret.vault('grafana_admin_password') */
  readonly adminPassword?: Secret;
  /** @default 'grafana' */
  readonly subdomain?: string;
}

/** Where Grafana's datasources live, resolved when the files are rendered. */
export interface GrafanaSources {
  readonly prometheus?: () => string;
  readonly loki?: () => string;
  readonly alertmanager?: () => string;
}

/**
 * Grafana with everything provisioned from the model: Prometheus, Loki and Alertmanager as
 * datasources, and generated dashboards (containers, Proxmox, probes, one per stack), read-only
 * because the model owns them. Routed: it has its own login; the admin password comes from the vault.
 */
export class Grafana extends ConfiguredService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['dashboard'];
  readonly grafana: ComposeService;
  readonly port = GRAFANA_PORT;
  readonly job = 'grafana';
  readonly adminPassword: Secret;
  readonly url: string;
  private sources: GrafanaSources = {};

  constructor(scope: Construct, id: string, props: GrafanaProps) {
    super(scope, id, props, { cores: 1, memory: Size.gibibytes(1), disk: Size.gibibytes(8), startupOrder: 50 });
    this.adminPassword = props.adminPassword ?? Secret.vault('grafana_admin_password');
    this.lab.secrets.declare(this, this.adminPassword, 'Password of the Grafana admin user (set at first start; change it later in Grafana, or reset with grafana cli admin reset-admin-password).');
    const subdomain = props.subdomain ?? 'grafana';
    this.url = `https://${subdomain}.${this.lab.domain}`;
    this.grafana = new ComposeService(this, 'grafana', {
      image: this.mainImage(GRAFANA_IMAGE),
      ports: [{ port: Port.tcp(GRAFANA_PORT), description: 'Grafana web UI, API and /metrics' }],
      environment: {
        GF_SECURITY_ADMIN_USER: props.adminUser ?? 'admin',
        GF_SECURITY_ADMIN_PASSWORD: EnvValue.fromSecret(this.adminPassword),
        GF_SERVER_ROOT_URL: this.url,
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
      },
      mounts: [
        { source: './data', target: '/var/lib/grafana', owner: GRAFANA_USER },
        { source: './config/provisioning', target: '/etc/grafana/provisioning', readOnly: true, owner: GRAFANA_USER },
        { source: './config/dashboards', target: '/etc/grafana/dashboards', readOnly: true, owner: GRAFANA_USER },
      ],
      healthcheck: Healthcheck.http(Port.tcp(GRAFANA_PORT), '/api/health', { tool: 'wget' }),
    });
    // Grafana Live streams over websockets.
    const health = this.addHealthEndpointOf(this.grafana);
    this.addWebUi({ port: Port.tcp(GRAFANA_PORT), access: 'routed', subdomain, websockets: true, healthPath: health.path, title: 'Grafana', accessLevel: 'sso', accessReason: 'dashboards show every internal address and metric of the lab; its own admin login (from the vault) stays behind SSO' });
    this.addMetricsEndpoint({ port: Port.tcp(GRAFANA_PORT), job: this.job });
  }

  /** Connects the datasources (URLs like http://10.10.10.31:9090). */
  useSources(sources: GrafanaSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** Datasource provisioning as an object. */
  datasources(): Record<string, unknown> {
    return grafanaDatasources({ prometheus: this.sources.prometheus?.(), loki: this.sources.loki?.(), alertmanager: this.sources.alertmanager?.() });
  }

  /** Generated dashboards by file name. */
  dashboards(): Map<string, Record<string, unknown>> {
    const out = new Map<string, Record<string, unknown>>();
    out.set('nodes.json', nodesDashboard());
    out.set('proxmox.json', proxmoxDashboard());
    out.set('probes.json', probesDashboard());
    for (const stack of observedStacks(this.lab)) out.set(`stack-${stack}.json`, stackDashboard(stack));
    return out;
  }

  protected renderConfigFiles(): ConfigFile[] {
    const files: ConfigFile[] = [
      { path: 'config/provisioning/datasources/homelab.yml', content: toYaml(this.datasources(), { lineWidth: CONFIG_YAML_WIDTH }) },
      { path: 'config/provisioning/dashboards/homelab.yml', content: toYaml(grafanaDashboardProvider('/etc/grafana/dashboards'), { lineWidth: CONFIG_YAML_WIDTH }) },
    ];
    for (const [name, d] of this.dashboards()) files.push({ path: `config/dashboards/${name}`, content: `${JSON.stringify(d, null, 2)}\n` });
    return files;
  }
}
