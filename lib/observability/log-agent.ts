import { renderTemplate } from '../templates';

/** The per-LXC log shipper. Promtail reached end of life on 2026-03-02; Alloy replaces it. */
export type LogAgentKind = 'alloy' | 'promtail';

/** The host a log agent runs on, as its labels name it. */
export interface LogAgentHost {
  readonly hostname: string;
  readonly stack: string;
  /** Runs Docker: its containers' logs are shipped too. */
  readonly docker: boolean;
}

/** Loki's push endpoint at `address` (`ip:3100`). */
export function lokiPushUrl(address: string): string {
  return `http://${address}/loki/api/v1/push`;
}

/** Where each agent's Debian package reads its configuration, and the file name in synth-out. */
export const LOG_AGENT_CONFIG: Record<LogAgentKind, { readonly file: string; readonly path: string }> = {
  alloy: { file: 'config.alloy', path: '/etc/alloy/config.alloy' },
  promtail: { file: 'config.yml', path: '/etc/promtail/config.yml' },
};

/**
 * Grafana Alloy's configuration (Alloy syntax, not YAML, hence a template): journald with the
 * systemd unit as `service`, and on Docker hosts every container with `container` and the compose
 * `service`; `host` and `stack` are external labels of every stream.
 */
export function alloyConfig(host: LogAgentHost, lokiUrl: string): string {
  return renderTemplate('monitoring/config.alloy.hbs', { hostname: host.hostname, stack: host.stack, docker: host.docker, lokiPushUrl: lokiUrl });
}

/** Promtail's configuration with the same streams and labels as alloyConfig. */
export function promtailConfig(host: LogAgentHost, lokiUrl: string): Record<string, unknown> {
  const scrapeConfigs: Record<string, unknown>[] = [
    {
      job_name: 'journal',
      journal: { max_age: '12h', labels: { job: 'journal' } },
      relabel_configs: [
        { source_labels: ['__journal__systemd_unit'], target_label: 'service' },
        { source_labels: ['__journal_priority_keyword'], target_label: 'level' },
      ],
    },
  ];
  if (host.docker) {
    scrapeConfigs.push({
      job_name: 'docker',
      docker_sd_configs: [{ host: 'unix:///var/run/docker.sock', refresh_interval: '15s' }],
      relabel_configs: [
        { source_labels: ['__meta_docker_container_name'], regex: '/(.*)', target_label: 'container' },
        { source_labels: ['__meta_docker_container_label_com_docker_compose_service'], target_label: 'service' },
        { target_label: 'job', replacement: 'docker' },
      ],
    });
  }
  return {
    // Local only: nothing scrapes Promtail, and its port is not opened in the firewall.
    server: { http_listen_address: '127.0.0.1', http_listen_port: 9080, grpc_listen_port: 0 },
    positions: { filename: '/var/lib/promtail/positions.yaml' },
    clients: [{ url: lokiUrl, external_labels: { host: host.hostname, stack: host.stack } }],
    scrape_configs: scrapeConfigs,
  };
}
