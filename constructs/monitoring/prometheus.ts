import { Construct } from 'constructs';
import { RuleGroup, ruleFile } from '../../lib/observability/alert-rules';
import { observeLab } from '../../integrations/observability/observe-lab';
import { prometheusConfig, prometheusFlags, RESERVED_JOBS } from '../../lib/observability/prometheus-config';
import { isDuration } from '../../lib/observability/promql';
import { ruleTestFile } from '../../lib/observability/rule-tests';
import { addCheck, CheckResult, fail } from '../../lib/problems';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { APP_ROLES, AppRole, IAppRoles, IMetricsCollector, METRICS_COLLECTOR } from '../core/capabilities';

/**
 * Pinned 2026-11-25: v3.14.0 (2026-08-17) is the newest Prometheus 3 release in the upstream
 * repository. Prometheus 3 accepts UTF-8 metric names (Immich v3 exports dotted names).
 */
export const PROMETHEUS_IMAGE = Image.of('prom/prometheus', 'v3.14.0');
export const PROMETHEUS_PORT = 9090;
/** The image runs as nobody. */
const NOBODY = { uid: 65534, gid: 65534 };


export interface PrometheusProps extends CatalogServiceProps {
  /** How long samples are kept (`--storage.tsdb.retention.time`). @default '31d' */
  readonly retention?: string;
  /** @default '30s' */
  readonly scrapeInterval?: string;
  /** @default '30s' */
  readonly evaluationInterval?: string;
}

/** An `ip:port` of a service Prometheus works with. */
export interface ServiceAddress {
  readonly address: string;
  readonly host: string;
  readonly stack: string;
}

/**
 * Prometheus: scrapes what the lab model declares (node_exporter on every LXC, every metrics
 * endpoint, the PVE exporter, Blackbox probes of every route and health endpoint) and evaluates the
 * alert rules generated per stack. Its UI is routed: it has no login, so the lifecycle API stays
 * off and config changes restart the container.
 */
export class Prometheus extends ConfiguredService implements IMetricsCollector, IAppRoles {
  /** Scrapes every metrics endpoint and node_exporter of the lab. */
  readonly [METRICS_COLLECTOR] = true as const;
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['metrics-store'];
  readonly prometheus: ComposeService;
  readonly port = PROMETHEUS_PORT;
  readonly retention: string;
  readonly scrapeInterval: string;
  readonly evaluationInterval: string;
  /** Job name of its self-scrape (the self-health rules select on it). */
  readonly job = 'prometheus';

  private readonly alertmanagers: (() => string)[] = [];
  private blackbox?: () => string;
  private pveExporter?: () => ServiceAddress;
  private readonly ruleSources: (() => RuleGroup[])[] = [];

  constructor(scope: Construct, id: string, props: PrometheusProps) {
    // TSDB for 31 days of a 28-container lab: a few GiB; queries over weeks want RAM.
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(2), disk: Size.gibibytes(32), startupOrder: 20 });
    this.retention = props.retention ?? '31d';
    this.scrapeInterval = props.scrapeInterval ?? '30s';
    this.evaluationInterval = props.evaluationInterval ?? '30s';
    for (const [k, v] of [['retention', this.retention], ['scrapeInterval', this.scrapeInterval], ['evaluationInterval', this.evaluationInterval]] as const) {
      if (!isDuration(v)) fail(this, `${k} '${v}' is not a Prometheus duration`, "write it like '31d' or '30s'");
    }
    this.prometheus = new ComposeService(this, 'prometheus', {
      image: this.mainImage(PROMETHEUS_IMAGE),
      command: prometheusFlags(this.retention),
      ports: [{ port: Port.tcp(PROMETHEUS_PORT), description: 'Prometheus UI, API and its own /metrics' }],
      // The image runs as nobody: it must be able to enter its config and write its TSDB.
      mounts: [
        { source: './config', target: '/etc/prometheus', readOnly: true, owner: NOBODY },
        { source: './data', target: '/prometheus', owner: NOBODY },
      ],
      // The image is busybox-based: wget, no curl.
      healthcheck: Healthcheck.http(Port.tcp(PROMETHEUS_PORT), '/-/healthy', { tool: 'wget' }),
    });
    // Prometheus has no login: routed, its query API would show every metric of the lab to the internet.
    this.addWebUi({
      port: Port.tcp(PROMETHEUS_PORT),
      access: 'lan-only',
      reason: 'no login: its UI and query API show every metric of the lab; Grafana is the routed view',
      healthPath: '/-/healthy',
      title: 'Prometheus',
    });
    this.addHealthEndpoint({ port: Port.tcp(PROMETHEUS_PORT), path: '/-/ready' });
    this.addMetricsEndpoint({ port: Port.tcp(PROMETHEUS_PORT), job: this.job });
    addCheck(this, () => this.checkJobs());
  }

  /** Sends alerts to an Alertmanager (`ip:port`, resolved when the config is rendered). */
  sendAlertsTo(address: () => string): void {
    this.alertmanagers.push(address);
  }

  /** Probes routes and health endpoints through a Blackbox exporter. */
  probeWith(address: () => string): void {
    this.blackbox = address;
  }

  /** Reads Proxmox through a PVE exporter. */
  scrapeProxmoxWith(exporter: () => ServiceAddress): void {
    this.pveExporter = exporter;
  }

  /** Adds rule groups (rendered into rules/<group>.yml). */
  addRuleSource(source: () => RuleGroup[]): void {
    this.ruleSources.push(source);
  }

  /** The rule groups, merged by name, in first-seen order. */
  ruleGroups(): RuleGroup[] {
    const merged = new Map<string, RuleGroup['rules'][number][]>();
    for (const src of this.ruleSources) {
      for (const g of src()) merged.set(g.name, [...(merged.get(g.name) ?? []), ...g.rules]);
    }
    return [...merged].map(([name, rules]) => ({ name, rules }));
  }

  /** prometheus.yml as an object (the lab as it is now). */
  config(): Record<string, unknown> {
    const pve = this.pveExporter?.();
    return prometheusConfig(
      observeLab(this.lab),
      {
        alertmanagers: this.alertmanagers.map((a) => a()),
        blackbox: this.blackbox?.(),
        pveExporter: pve?.address,
        pveExporterHost: pve ? { host: pve.host, stack: pve.stack } : undefined,
      },
      { scrapeInterval: this.scrapeInterval, evaluationInterval: this.evaluationInterval },
    );
  }

  protected renderConfigFiles(): ConfigFile[] {
    const files: ConfigFile[] = [{ path: 'config/prometheus.yml', content: toYaml(this.config(), { lineWidth: CONFIG_YAML_WIDTH }) }];
    for (const g of this.ruleGroups()) {
      files.push({ path: `config/rules/${g.name}.yml`, content: toYaml(ruleFile(g), { header: `Alert rules of the ${g.name} stack.`, lineWidth: CONFIG_YAML_WIDTH }) });
    }
    return files;
  }

  /** promtool unit tests of every rule group, next to (not inside) the deployed config. */
  protected extraFiles(): { path: string; content: string }[] {
    return this.ruleGroups().map((g) => {
      const { file, untested } = ruleTestFile(g, `../config/rules/${g.name}.yml`);
      const note = untested.length ? `\nRules without a test: ${untested.join(', ')}.` : '';
      return {
        path: `rule-tests/${g.name}.test.yml`,
        content: toYaml(file, { header: `promtool unit tests of the ${g.name} rules: promtool test rules ${g.name}.test.yml${note}`, lineWidth: CONFIG_YAML_WIDTH }),
      };
    });
  }

  private checkJobs(): CheckResult[] {
    const out: CheckResult[] = [];
    const byJob = new Map<string, { path: string; owner: string }>();
    for (const c of this.lab.containers) {
      for (const m of c.metricsEndpoints) {
        if ((RESERVED_JOBS as readonly string[]).includes(m.job)) {
          out.push({ message: `${c.node.path} names its metrics job '${m.job}', which the monitoring stack uses itself`, fix: `pick another job name in addMetricsEndpoint({ job })` });
        }
        const prev = byJob.get(m.job);
        if (prev && prev.path !== m.path) {
          out.push({ message: `metrics job '${m.job}' is scraped at ${prev.path} on ${prev.owner} but at ${m.path} on ${c.node.path}`, fix: 'one job has one metrics path: give one of the endpoints its own job name' });
        }
        if (!prev) byJob.set(m.job, { path: m.path, owner: c.node.path });
      }
    }
    if (!this.blackbox && this.lab.containers.some((c) => c.webUis.some((u) => u.access === 'routed'))) {
      out.push({ warning: 'homelab:unprobed-routes', message: 'the lab routes web UIs, but no Blackbox exporter probes them' });
    }
    return out;
  }
}
