import { LabObservation, NODE_EXPORTER_PORT, ProbeModule, ProbeTarget, PVE_NODE_LABEL, PVE_NODES_JOB } from './model';

/** Where the monitoring services are, as Prometheus reaches them (`ip:port`). */
export interface PrometheusWiring {
  /** Alertmanager addresses; empty disables alerting. */
  readonly alertmanagers: readonly string[];
  /** The Blackbox exporter; undefined leaves the lab unprobed. */
  readonly blackbox?: string;
  /** The PVE exporter; undefined leaves Proxmox unscraped. */
  readonly pveExporter?: string;
  /** Host and stack of the PVE exporter, for the labels of the `pve` job. */
  readonly pveExporterHost?: { readonly host: string; readonly stack: string };
}

export interface PrometheusConfigOptions {
  /** @default '30s' */
  readonly scrapeInterval?: string;
  /** @default '30s' */
  readonly evaluationInterval?: string;
  /** Rule files, relative to the config file's directory. @default ['rules/*.yml'] */
  readonly ruleFiles?: readonly string[];
}

/** Job names the builder uses itself; a service's metrics endpoint may not take them. */
export const RESERVED_JOBS = ['node', 'pve', PVE_NODES_JOB, 'blackbox-http', 'blackbox-http-selfsigned', 'blackbox-tcp'] as const;

/** Prometheus job of each Blackbox module. */
export const PROBE_JOB: Record<ProbeModule, string> = {
  http_2xx: 'blackbox-http',
  http_2xx_selfsigned: 'blackbox-http-selfsigned',
  tcp_connect: 'blackbox-tcp',
};

type StaticConfig = { targets: string[]; labels: Record<string, string> };

/**
 * prometheus.yml from the lab: node_exporter on every LXC, every declared metrics endpoint (the
 * monitoring services' own included), the PVE exporter's multi-target `/pve` endpoint and Blackbox
 * probes of every route and health endpoint. Every target carries `host` and `stack` labels, which
 * the per-stack alert rules select on.
 */
export function prometheusConfig(obs: LabObservation, wiring: PrometheusWiring, opts: PrometheusConfigOptions = {}): Record<string, unknown> {
  const scrapeConfigs: Record<string, unknown>[] = [];

  scrapeConfigs.push({
    job_name: 'node',
    static_configs: obs.hosts.map((h) => ({ targets: [`${h.address}:${NODE_EXPORTER_PORT}`], labels: { host: h.hostname, stack: h.stack } })),
  });

  const jobs = new Map<string, { path: string; statics: StaticConfig[] }>();
  for (const m of obs.metrics) {
    const job = jobs.get(m.job) ?? { path: m.path, statics: [] };
    job.statics.push({ targets: [m.address], labels: { host: m.host, stack: m.stack } });
    jobs.set(m.job, job);
  }
  for (const [name, job] of jobs) {
    scrapeConfigs.push({ job_name: name, ...(job.path !== '/metrics' ? { metrics_path: job.path } : {}), static_configs: job.statics });
  }

  if (wiring.pveExporter && obs.proxmoxNodes.length) {
    const labels: Record<string, string> = wiring.pveExporterHost ? { host: wiring.pveExporterHost.host, stack: wiring.pveExporterHost.stack } : {};
    const relabel = multiTargetRelabeling(wiring.pveExporter);
    // No `node` target label: the exporter's own series carry one (pve_guest_info{node=...}).
    const nodeTarget = (n: { name: string; address: string }): StaticConfig => ({ targets: [n.address], labels: { ...labels } });
    if (obs.proxmoxNodes.length === 1) {
      scrapeConfigs.push({ job_name: 'pve', metrics_path: '/pve', params: { module: ['default'], cluster: ['1'], node: ['1'] }, static_configs: obs.proxmoxNodes.map(nodeTarget), relabel_configs: relabel });
    } else {
      // A cluster: cluster-wide metrics once (from any node), node metrics from every node.
      scrapeConfigs.push({ job_name: 'pve', metrics_path: '/pve', params: { module: ['default'], cluster: ['1'], node: ['0'] }, static_configs: [nodeTarget(obs.proxmoxNodes[0]!)], relabel_configs: relabel });
      // Each target names its node (PVE_NODE_LABEL), so ProxmoxNodeDown can say which node's API is gone.
      const namedTarget = (n: { name: string; address: string }): StaticConfig => ({ targets: [n.address], labels: { ...labels, [PVE_NODE_LABEL]: n.name } });
      scrapeConfigs.push({ job_name: PVE_NODES_JOB, metrics_path: '/pve', params: { module: ['default'], cluster: ['0'], node: ['1'] }, static_configs: obs.proxmoxNodes.map(namedTarget), relabel_configs: relabel });
    }
  }

  if (wiring.blackbox) {
    for (const module of Object.keys(PROBE_JOB) as ProbeModule[]) {
      const probes = obs.probes.filter((p) => p.module === module);
      if (!probes.length) continue;
      scrapeConfigs.push({
        job_name: PROBE_JOB[module],
        metrics_path: '/probe',
        params: { module: [module] },
        static_configs: probes.map((p: ProbeTarget) => ({ targets: [p.target], labels: { host: p.host, stack: p.stack, probe: p.kind } })),
        relabel_configs: multiTargetRelabeling(wiring.blackbox),
      });
    }
  }

  return {
    global: {
      scrape_interval: opts.scrapeInterval ?? '30s',
      scrape_timeout: '10s',
      evaluation_interval: opts.evaluationInterval ?? '30s',
      external_labels: { lab: obs.domain },
    },
    ...(wiring.alertmanagers.length ? { alerting: { alertmanagers: [{ static_configs: [{ targets: [...wiring.alertmanagers] }] }] } } : {}),
    rule_files: [...(opts.ruleFiles ?? ['rules/*.yml'])],
    scrape_configs: scrapeConfigs,
  };
}

/** The exporter pattern: the listed target becomes `?target=`, the instance label, and the exporter is scraped. */
function multiTargetRelabeling(exporter: string): Record<string, unknown>[] {
  return [
    { source_labels: ['__address__'], target_label: '__param_target' },
    { source_labels: ['__param_target'], target_label: 'instance' },
    { target_label: '__address__', replacement: exporter },
  ];
}

/** Prometheus' command line in the container: config, TSDB path and retention. */
export function prometheusFlags(retention: string): string[] {
  return [
    '--config.file=/etc/prometheus/prometheus.yml',
    '--storage.tsdb.path=/prometheus',
    `--storage.tsdb.retention.time=${retention}`,
    // No --web.enable-lifecycle: the UI is routed, and /-/quit must not be one POST away. Config
    // changes restart the container instead (monitoring_config's handler).
  ];
}
