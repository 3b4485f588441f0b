/** Datasource uids the dashboards refer to; stable, so dashboards survive a reprovisioning. */
export const DATASOURCE_UID = { prometheus: 'prometheus', loki: 'loki', alertmanager: 'alertmanager' } as const;

/** Grafana's provisioned datasources: Prometheus (default), Loki and Alertmanager, by LAN address. */
export function grafanaDatasources(urls: { prometheus?: string; loki?: string; alertmanager?: string }): Record<string, unknown> {
  const list: Record<string, unknown>[] = [];
  if (urls.prometheus) list.push({ name: 'Prometheus', uid: DATASOURCE_UID.prometheus, type: 'prometheus', access: 'proxy', url: urls.prometheus, isDefault: true, editable: false, jsonData: { timeInterval: '30s' } });
  if (urls.loki) list.push({ name: 'Loki', uid: DATASOURCE_UID.loki, type: 'loki', access: 'proxy', url: urls.loki, isDefault: !urls.prometheus, editable: false, jsonData: { maxLines: 1000 } });
  if (urls.alertmanager) list.push({ name: 'Alertmanager', uid: DATASOURCE_UID.alertmanager, type: 'alertmanager', access: 'proxy', url: urls.alertmanager, editable: false, jsonData: { implementation: 'prometheus' } });
  return { apiVersion: 1, datasources: list };
}

/** The file provider that loads the generated dashboards (read-only: the model owns them). */
export function grafanaDashboardProvider(path: string): Record<string, unknown> {
  return {
    apiVersion: 1,
    providers: [{ name: 'homelab', folder: 'Homelab', type: 'file', disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 60, options: { path, foldersFromFilesStructure: false } }],
  };
}

// --- dashboards --------------------------------------------------------------------------------

type Panel = Record<string, unknown>;
const PROM = { type: 'prometheus', uid: DATASOURCE_UID.prometheus };
const LOKI = { type: 'loki', uid: DATASOURCE_UID.loki };

/** Lays panels out two per row (or full width) and numbers them. */
class Layout {
  private readonly panels: Panel[] = [];
  private x = 0;
  private y = 0;

  add(panel: Panel, width: 12 | 24 = 12, height = 8): this {
    if (this.x + width > 24) {
      this.x = 0;
      this.y += height;
    }
    this.panels.push({ ...panel, id: this.panels.length + 1, gridPos: { h: height, w: width, x: this.x, y: this.y } });
    this.x += width;
    if (this.x >= 24) {
      this.x = 0;
      this.y += height;
    }
    return this;
  }

  get all(): Panel[] {
    return this.panels;
  }
}

function timeseries(title: string, targets: { expr: string; legend: string }[], unit: string, extra: Panel = {}): Panel {
  return {
    type: 'timeseries',
    title,
    datasource: PROM,
    targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: PROM, expr: t.expr, legendFormat: t.legend })),
    fieldConfig: { defaults: { unit, ...(extra.defaults as object | undefined) }, overrides: [] },
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

function stateTimeline(title: string, expr: string, legend: string): Panel {
  return {
    type: 'state-timeline',
    title,
    datasource: PROM,
    targets: [{ refId: 'A', datasource: PROM, expr, legendFormat: legend }],
    fieldConfig: {
      defaults: {
        mappings: [{ type: 'value', options: { '0': { text: 'down', color: 'red' }, '1': { text: 'up', color: 'green' } } }],
        thresholds: { mode: 'absolute', steps: [{ color: 'red', value: null }, { color: 'green', value: 1 }] },
        color: { mode: 'thresholds' },
      },
      overrides: [],
    },
    options: { showValue: 'never', mergeValues: true, alignValue: 'left', rowHeight: 0.9 },
  };
}

function table(title: string, expr: string): Panel {
  return {
    type: 'table',
    title,
    datasource: PROM,
    targets: [{ refId: 'A', datasource: PROM, expr, format: 'table', instant: true }],
    fieldConfig: { defaults: {}, overrides: [] },
    options: { showHeader: true },
    transformations: [{ id: 'organize', options: { excludeByName: { Time: true, __name__: true } } }],
  };
}

function logs(title: string, expr: string): Panel {
  return {
    type: 'logs',
    title,
    datasource: LOKI,
    targets: [{ refId: 'A', datasource: LOKI, expr }],
    options: { showTime: true, wrapLogMessage: true, sortOrder: 'Descending', enableLogDetails: true },
  };
}

function dashboard(uid: string, title: string, panels: Panel[], opts: { templating?: unknown[]; tags?: string[] } = {}): Record<string, unknown> {
  return {
    uid,
    title,
    tags: ['homelab', ...(opts.tags ?? [])],
    editable: false,
    schemaVersion: 39,
    version: 1,
    timezone: 'browser',
    refresh: '1m',
    time: { from: 'now-6h', to: 'now' },
    templating: { list: opts.templating ?? [] },
    annotations: { list: [] },
    panels,
  };
}

function hostVariable(query: string): unknown {
  return {
    name: 'host',
    label: 'Host',
    type: 'query',
    datasource: PROM,
    query: { query, refId: 'host' },
    definition: query,
    refresh: 2,
    multi: true,
    includeAll: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    sort: 1,
  };
}

/** Every LXC's node_exporter: CPU, memory, file systems, network; one row per selected host. */
export function nodesDashboard(): Record<string, unknown> {
  const h = 'host=~"$host"';
  const fs = `${h},fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*"`;
  const l = new Layout()
    .add(timeseries('CPU busy', [{ expr: `1 - avg by (host) (rate(node_cpu_seconds_total{${h},mode="idle"}[$__rate_interval]))`, legend: '{{host}}' }], 'percentunit'))
    .add(timeseries('Memory used', [{ expr: `1 - node_memory_MemAvailable_bytes{${h}} / node_memory_MemTotal_bytes{${h}}`, legend: '{{host}}' }], 'percentunit'))
    .add(timeseries('File system used', [{ expr: `1 - node_filesystem_avail_bytes{${fs}} / node_filesystem_size_bytes{${fs}}`, legend: '{{host}} {{mountpoint}}' }], 'percentunit'))
    .add(timeseries('Load (1m)', [{ expr: `node_load1{${h}}`, legend: '{{host}}' }], 'short'))
    .add(timeseries('Network received', [{ expr: `sum by (host) (rate(node_network_receive_bytes_total{${h},device!="lo"}[$__rate_interval]))`, legend: '{{host}}' }], 'Bps'))
    .add(timeseries('Network sent', [{ expr: `sum by (host) (rate(node_network_transmit_bytes_total{${h},device!="lo"}[$__rate_interval]))`, legend: '{{host}}' }], 'Bps'));
  return dashboard('homelab-nodes', 'Homelab / Containers (node_exporter)', l.all, { templating: [hostVariable('label_values(node_uname_info, host)')], tags: ['nodes'] });
}

/** Proxmox through the PVE exporter: nodes and guests, their resources, backup coverage. */
export function proxmoxDashboard(): Record<string, unknown> {
  const guestName = '* on (id) group_left (name) pve_guest_info';
  const l = new Layout()
    .add(stateTimeline('Nodes and guests up', `pve_up{id!~"storage/.*"}`, '{{id}}'), 24, 10)
    .add(timeseries('Node CPU', [{ expr: 'pve_cpu_usage_ratio{id=~"node/.*"}', legend: '{{id}}' }], 'percentunit'))
    .add(timeseries('Node memory used', [{ expr: 'pve_memory_usage_bytes{id=~"node/.*"} / pve_memory_size_bytes{id=~"node/.*"}', legend: '{{id}}' }], 'percentunit'))
    .add(timeseries('Guest CPU', [{ expr: `pve_cpu_usage_ratio{id=~"lxc/.*|qemu/.*"} ${guestName}`, legend: '{{name}}' }], 'percentunit'))
    .add(timeseries('Guest memory', [{ expr: `pve_memory_usage_bytes{id=~"lxc/.*|qemu/.*"} ${guestName}`, legend: '{{name}}' }], 'bytes'))
    .add(timeseries('Storage used', [{ expr: 'pve_disk_usage_bytes{id=~"storage/.*"} / pve_disk_size_bytes{id=~"storage/.*"}', legend: '{{id}}' }], 'percentunit'))
    .add(table('Guests in no backup job', `pve_not_backed_up_info ${guestName}`));
  return dashboard('homelab-proxmox', 'Homelab / Proxmox', l.all, { tags: ['proxmox'] });
}

/** Blackbox probes: success over time, latency, days until certificates expire. */
export function probesDashboard(): Record<string, unknown> {
  const l = new Layout()
    .add(stateTimeline('Probes', 'probe_success', '{{probe}} {{instance}}'), 24, 14)
    .add(timeseries('Probe duration', [{ expr: 'probe_duration_seconds', legend: '{{instance}}' }], 's'))
    .add(timeseries('Days until the TLS certificate expires', [{ expr: '(probe_ssl_earliest_cert_expiry{probe="route"} - time()) / 86400', legend: '{{instance}}' }], 'd'));
  return dashboard('homelab-probes', 'Homelab / Probes', l.all, { tags: ['probes'] });
}

/** One stack at a glance: its targets, probes, resources, container restarts and recent logs. */
export function stackDashboard(stack: string): Record<string, unknown> {
  const s = `stack="${stack}"`;
  const l = new Layout()
    .add(stateTimeline('Scrape targets up', `up{${s},probe=""}`, '{{host}} {{job}}'))
    .add(stateTimeline('Probes', `probe_success{${s}}`, '{{probe}} {{instance}}'))
    .add(timeseries('Memory used', [{ expr: `1 - node_memory_MemAvailable_bytes{${s}} / node_memory_MemTotal_bytes{${s}}`, legend: '{{host}}' }], 'percentunit'))
    .add(timeseries('CPU busy', [{ expr: `1 - avg by (host) (rate(node_cpu_seconds_total{${s},mode="idle"}[$__rate_interval]))`, legend: '{{host}}' }], 'percentunit'))
    .add(timeseries('Docker container restarts (1h)', [{ expr: `increase(homelab_container_restarts_total{${s}}[1h])`, legend: '{{host}}/{{container}}' }], 'short'))
    .add(table('Firing alerts', `ALERTS{alertstate="firing",${s}}`))
    .add(logs('Logs', `{${s}}`), 24, 12);
  return dashboard(`homelab-stack-${stack}`, `Homelab / ${stack} stack`, l.all, { tags: ['stack', stack] });
}
