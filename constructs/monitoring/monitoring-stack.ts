import { Construct } from 'constructs';
import { LabAspects } from '../../lib/aspects';
import type { AnsibleProject } from '../../lib/ansible/project';
import { alloyConfig, LOG_AGENT_CONFIG, LogAgentKind, promtailConfig } from '../../lib/observability/log-agent';
import { observeLab } from '../../integrations/observability/observe-lab';
import { addWarning, fail } from '../../lib/problems';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import {
  LabStack, LxcContainer, Network, planServices, NodeChoice, ServiceOptions, ServiceOverrides, Volume,
} from '../core';
import { MonitoringAgentsAspect } from './agents';
import { Alertmanager, AlertmanagerProps } from './alertmanager';
import { BlackboxExporter } from './blackbox-exporter';
import { MONITORING_CONFIG_GROUP } from './configured-service';
import { Glance, GlanceProps } from './glance';
import { Grafana, GrafanaProps } from './grafana';
import { Loki, LokiProps } from './loki';
import { Ntfy, NtfyProps } from './ntfy';
import { Prometheus, PrometheusProps } from './prometheus';
import { PveExporter, PveExporterProps } from './pve-exporter';
import { labRuleGroups } from './rules';
import { UptimeKuma } from './uptime-kuma';

/** The services of the monitoring stack, as named in `overrides`. */
export const MONITORING_SERVICES = ['prometheus', 'grafana', 'pveExporter', 'blackbox', 'loki', 'alertmanager', 'uptimeKuma', 'ntfy', 'glance'] as const;
export type MonitoringServiceName = (typeof MONITORING_SERVICES)[number];

/** Per-service overrides of the monitoring stack, keyed by service name. */
export type MonitoringOverrides = Readonly<Partial<Record<MonitoringServiceName, ServiceOverrides>>>;

/** The reference plan: construct id (= hostname), VMID and host number (131/.31 ... 139/.39). */
const PLAN: Record<MonitoringServiceName, { id: string; vmId: number; host: number }> = {
  prometheus: { id: 'prometheus', vmId: 131, host: 31 },
  grafana: { id: 'grafana', vmId: 132, host: 32 },
  pveExporter: { id: 'pve-exporter', vmId: 133, host: 33 },
  blackbox: { id: 'blackbox', vmId: 134, host: 34 },
  loki: { id: 'loki', vmId: 135, host: 35 },
  alertmanager: { id: 'alertmanager', vmId: 136, host: 36 },
  uptimeKuma: { id: 'uptime-kuma', vmId: 137, host: 37 },
  ntfy: { id: 'ntfy', vmId: 138, host: 38 },
  glance: { id: 'glance', vmId: 139, host: 39 },
};

type Options<P> = ServiceOptions<P>;

export interface MonitoringStackProps {
  /** Default node of the stack's containers, or `'auto'` to have each one placed. */
  readonly node: NodeChoice;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move, re-address). @default {} */
  readonly overrides?: MonitoringOverrides;
  /**
   * The log shipper on every LXC. Promtail reached end of life on 2026-03-02 (no fixes since);
   * choosing it prints the warning `homelab:eol-promtail`.
   * @default 'alloy'
   */
  readonly logAgent?: LogAgentKind;
  /**
   * Containers that must be in a Proxmox backup job (ProxmoxGuestNotBackedUp alerts otherwise).
   * @default - the containers the model backs up (`backup: true`)
   */
  readonly expectBackup?: (container: LxcContainer) => boolean;
  /** @default {} */
  readonly prometheus?: Options<PrometheusProps>;
  /** @default {} */
  readonly grafana?: Options<GrafanaProps>;
  /** @default {} */
  readonly alertmanager?: Options<AlertmanagerProps>;
  /** @default {} */
  readonly pveExporter?: Options<PveExporterProps>;
  /** @default {} */
  readonly loki?: Options<LokiProps>;
  /** @default {} */
  readonly ntfy?: Options<NtfyProps>;
  /** @default {} */
  readonly glance?: Options<GlanceProps>;
}

/**
 * The monitoring services of the reference homelab, one LXC each, and the wiring that makes the
 * whole lab observed without listing anything twice: every LXC gets node_exporter and the log
 * agent; Prometheus' targets, probes and per-stack alert rules, Grafana's dashboards and Glance's
 * monitor are generated from the lab model at synth time; Alertmanager delivers to ntfy.
 */
export class MonitoringStack extends LabStack {
  readonly prometheus?: Prometheus;
  readonly grafana?: Grafana;
  readonly pveExporter?: PveExporter;
  readonly blackbox?: BlackboxExporter;
  readonly loki?: Loki;
  readonly alertmanager?: Alertmanager;
  readonly uptimeKuma?: UptimeKuma;
  readonly ntfy?: Ntfy;
  readonly glance?: Glance;
  readonly logAgent: LogAgentKind;
  private readonly expectBackup: (c: LxcContainer) => boolean;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, { description: 'Monitoring: Prometheus, Grafana, Loki, Alertmanager with ntfy, exporters, Uptime Kuma and Glance' });
    const settings = planServices(this, props, PLAN);
    this.logAgent = props.logAgent ?? 'alloy';
    if (this.logAgent !== 'alloy' && this.logAgent !== 'promtail') fail(this, `unknown log agent '${String(this.logAgent)}'`, "use 'alloy' (default) or 'promtail'");
    if (this.logAgent === 'promtail') {
      addWarning(this, 'homelab:eol-promtail', 'logAgent is promtail, which reached end of life on 2026-03-02 and gets no fixes; Grafana Alloy replaces it (logAgent: \'alloy\')');
    }
    this.expectBackup = props.expectBackup ?? ((c) => c.backup);

    // Infrastructure first (startupOrder 20-30), then the UIs: declaration order is inventory order.
    const ntfy = settings('ntfy');
    if (ntfy) this.ntfy = new Ntfy(this, PLAN.ntfy.id, { ...props.ntfy, ...ntfy });
    const alertmanager = settings('alertmanager');
    if (alertmanager) this.alertmanager = new Alertmanager(this, PLAN.alertmanager.id, { ...props.alertmanager, ...alertmanager });
    const loki = settings('loki');
    if (loki) this.loki = new Loki(this, PLAN.loki.id, { ...props.loki, ...loki });
    const blackbox = settings('blackbox');
    if (blackbox) this.blackbox = new BlackboxExporter(this, PLAN.blackbox.id, blackbox);
    const pveExporter = settings('pveExporter');
    if (pveExporter) this.pveExporter = new PveExporter(this, PLAN.pveExporter.id, { ...props.pveExporter, ...pveExporter });
    const prometheus = settings('prometheus');
    if (prometheus) this.prometheus = new Prometheus(this, PLAN.prometheus.id, { ...props.prometheus, ...prometheus });
    const grafana = settings('grafana');
    if (grafana) this.grafana = new Grafana(this, PLAN.grafana.id, { ...props.grafana, ...grafana });
    const uptimeKuma = settings('uptimeKuma');
    if (uptimeKuma) this.uptimeKuma = new UptimeKuma(this, PLAN.uptimeKuma.id, uptimeKuma);
    const glance = settings('glance');
    if (glance) this.glance = new Glance(this, PLAN.glance.id, { ...props.glance, ...glance });

    this.wire();
    LabAspects.of(this.lab).add(new MonitoringAgentsAspect(() => ({ blackbox: this.blackbox, glance: this.glance })), 'mutate');
  }

  /** Connects the services to each other; addresses resolve when files are rendered. */
  private wire(): void {
    const { prometheus, grafana, pveExporter, blackbox, loki, alertmanager, ntfy } = this;
    const at = (c: LxcContainer, port: number) => () => `${c.ipAddress}:${port}`;
    if (alertmanager && ntfy) {
      alertmanager.deliverTo(() => ntfy.internalUrl);
      ntfy.acceptAlertsWith(alertmanager.ntfyToken);
    }
    if (prometheus) {
      if (alertmanager) prometheus.sendAlertsTo(at(alertmanager, alertmanager.port));
      if (blackbox) prometheus.probeWith(() => blackbox.address);
      if (pveExporter) prometheus.scrapeProxmoxWith(() => ({ address: pveExporter.address, host: pveExporter.hostname, stack: pveExporter.stack.stackName }));
      const target = (c: LxcContainer & { job: string; port: number }) => ({ host: c.hostname, stack: c.stack.stackName, address: c.ipAddress, job: c.job, port: c.port });
      prometheus.addRuleSource(() =>
        labRuleGroups(this.lab, {
          owner: this,
          monitoringStack: this.stackName,
          probes: blackbox !== undefined,
          pve: pveExporter ? { exporterHost: pveExporter.hostname, exporterStack: pveExporter.stack.stackName } : undefined,
          self: {
            prometheus: target(prometheus),
            alertmanager: alertmanager ? target(alertmanager) : undefined,
            loki: loki ? target(loki) : undefined,
          },
          expectsBackup: this.expectBackup,
        }),
      );
    }
    if (grafana) {
      const http = (c?: LxcContainer & { port: number }) => (c ? () => `http://${c.ipAddress}:${c.port}` : undefined);
      grafana.useSources({ prometheus: http(prometheus), loki: http(loki), alertmanager: http(alertmanager) });
    }
  }

  /**
   * The lab-wide Ansible part of monitoring: node_exporter and the log agent on every container
   * (a play appended to each stack's playbook, after Docker is installed, so the agent can read the
   * Docker socket), their per-host configs, and the play that installs the generated configs of
   * the monitoring services before compose starts them.
   */
  contributeAnsible(project: AnsibleProject): void {
    const obs = observeLab(this.lab);
    project.useRole('node_exporter');
    project.useRole('log_agent');
    project.useRole('monitoring_config');
    // Without Loki there is nowhere to ship logs to: the role then removes nothing and installs nothing.
    project.addGroupVars('all', { log_agent_kind: this.loki ? this.logAgent : 'none', log_agent_config_file: LOG_AGENT_CONFIG[this.logAgent].file });
    for (const stack of this.lab.serviceStacks) {
      if (!obs.hosts.some((h) => h.stack === stack.stackName)) continue;
      project.addPlay(stack.stackName, {
        name: `Install the monitoring agents (node_exporter, ${this.logAgent}) on the ${stack.stackName} containers`,
        hosts: stack.stackName,
        roles: ['node_exporter', 'log_agent'],
      });
    }
    project.addPlay(
      this.stackName,
      { name: 'Install the generated configuration of the monitoring services', hosts: `${this.stackName}:&${MONITORING_CONFIG_GROUP}`, roles: ['monitoring_config'] },
      { before: (play) => Array.isArray(play.roles) && (play.roles as unknown[]).includes('compose_project') },
    );
    if (this.loki) {
      for (const h of obs.hosts) {
        const host = { hostname: h.hostname, stack: h.stack, docker: h.docker };
        const content = this.logAgent === 'alloy'
          ? alloyConfig(host, this.loki.pushUrl)
          : toYaml(promtailConfig(host, this.loki.pushUrl), { header: `Promtail on ${h.hostname}.`, lineWidth: CONFIG_YAML_WIDTH });
        project.addHostFile(h.hostname, `log_agent/${LOG_AGENT_CONFIG[this.logAgent].file}`, content);
      }
    }
  }
}

/** The address with host number `host` in `network` (10.10.10.0/24, 31 → 10.10.10.31). */
