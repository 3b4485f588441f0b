import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Size } from '../../constructs/core/values';
import { App } from '../../lib/cdktf';
import { collectWarnings } from '../../lib/problems';
import { problemsOf, SynthesizedLab } from '../support/lab';
import { buildMonitoringLab, RefLab, synthHomelab } from './support';

let ref: RefLab;
let out: SynthesizedLab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref.cleanup());

const PLAN: Record<string, [number, string]> = {
  prometheus: [131, '10.10.10.31'],
  grafana: [132, '10.10.10.32'],
  'pve-exporter': [133, '10.10.10.33'],
  blackbox: [134, '10.10.10.34'],
  loki: [135, '10.10.10.35'],
  alertmanager: [136, '10.10.10.36'],
  'uptime-kuma': [137, '10.10.10.37'],
  ntfy: [138, '10.10.10.38'],
  glance: [139, '10.10.10.39'],
};

/** The compose service of a single-service host. */
function service(host: string, key = host): any {
  const svc = out.compose(host).services[key];
  if (!svc) throw new Error(`${host} has no compose service ${key}: ${Object.keys(out.compose(host).services).join(', ')}`);
  return svc;
}

describe('the monitoring stack of the reference homelab', () => {
  it('puts every service in its own unprivileged Docker LXC at its reference VMID and address', () => {
    for (const [host, [vmId, ip]] of Object.entries(PLAN)) {
      const ct = out.container('monitoring', host);
      expect(ct.vm_id, host).toBe(vmId);
      expect(ct.initialization.hostname, host).toBe(host);
      expect(ct.initialization.ip_config[0].ipv4.address, host).toBe(`${ip}/24`);
      expect(ct.unprivileged, host).toBe(true);
      expect(ct.features, host).toEqual({ keyctl: true, nesting: true });
    }
  });

  it('exposes each service as a public member', () => {
    const m = ref.lab.monitoring;
    expect([m.prometheus, m.grafana, m.pveExporter, m.blackbox, m.loki, m.alertmanager, m.uptimeKuma, m.ntfy, m.glance].map((s) => s?.hostname)).toEqual(Object.keys(PLAN));
    expect(m.logAgent).toBe('alloy');
  });

  it('pins every image to a version tag (Grafana from grafana/grafana, not the frozen -oss image)', () => {
    expect(service('prometheus').image).toBePinnedTo('prom/prometheus', /^v3\.\d+\.\d+$/);
    expect(service('grafana').image).toBePinnedTo('grafana/grafana', /^13\.\d+\.\d+$/);
    expect(service('pve-exporter').image).toBePinnedTo('prompve/prometheus-pve-exporter');
    expect(service('blackbox').image).toBePinnedTo('prom/blackbox-exporter');
    expect(service('loki').image).toBePinnedTo('grafana/loki', /^3\.\d+\.\d+$/);
    expect(service('alertmanager').image).toBePinnedTo('prom/alertmanager');
    expect(service('uptime-kuma').image).toBePinnedTo('louislam/uptime-kuma', /^2\.\d+\.\d+$/);
    // 2.14 is the first ntfy with the declarative users and tokens the generated server.yml uses.
    expect(service('ntfy').image).toBePinnedTo('binwiederhier/ntfy', /^v2\.(1[4-9]|[2-9]\d)\.\d+$/);
    expect(service('glance').image).toBePinnedTo('glanceapp/glance');
  });

  it('runs Prometheus with 31 days of retention and its config and TSDB mounted', () => {
    const p = service('prometheus');
    expect(p.command).toEqual(['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--storage.tsdb.retention.time=31d']);
    expect(p.command).not.toContain('--web.enable-lifecycle');
    expect(p.volumes).toEqual(['./config:/etc/prometheus:ro', './data:/prometheus']);
    expect(p.ports).toEqual(['9090:9090']);
    expect(p.healthcheck.test).toEqual(['CMD-SHELL', 'wget -q --spider http://localhost:9090/-/healthy || exit 1']);
  });

  it('gives Grafana its admin password from the vault, its root URL and provisioning', () => {
    const g = service('grafana');
    expect(g.environment).toMatchObject({
      GF_SECURITY_ADMIN_USER: 'admin',
      GF_SECURITY_ADMIN_PASSWORD: '${GF_SECURITY_ADMIN_PASSWORD:?GF_SECURITY_ADMIN_PASSWORD is written to .env by Ansible}',
      GF_SERVER_ROOT_URL: 'https://grafana.home.example.org',
    });
    expect(out.text('ansible/files/grafana/env.j2')).toMatch(/^GF_SECURITY_ADMIN_PASSWORD=.*\{\{ vault_grafana_admin_password\b.*\}\}/m);
    expect(g.volumes).toEqual(['./data:/var/lib/grafana', './config/provisioning:/etc/grafana/provisioning:ro', './config/dashboards:/etc/grafana/dashboards:ro']);
    expect(out.text('ansible/vault.example.yml')).toContain('vault_grafana_admin_password');
  });

  it('creates every mounted directory with the owner its image runs as, and the generated subdirectories readable', () => {
    const owners = (host: string) => Object.fromEntries(out.hostVars(host).compose_project_directories.map((d: any) => [d.path, `${d.owner}:${d.group} ${d.mode}`]));
    expect(owners('prometheus')).toEqual({ config: '65534:65534 0750', data: '65534:65534 0750' });
    expect(owners('alertmanager')).toEqual({ config: '65534:65534 0750', data: '65534:65534 0750' });
    expect(owners('grafana')).toEqual({ 'config/dashboards': '472:472 0750', 'config/provisioning': '472:472 0750', data: '472:472 0750' });
    expect(owners('pve-exporter')).toEqual({ ca: '0:101 0750', config: '101:101 0750' });
    expect(owners('blackbox')).toEqual({ config: '65534:65534 0750' });
    // monitoring_config agrees on mount roots (no tug of war between the roles) and makes the rest root's, 0755.
    const dirs = Object.fromEntries(out.hostVars('prometheus').monitoring_config_dirs.map((d: any) => [d.path, `${d.owner}:${d.group} ${d.mode}`]));
    expect(dirs).toEqual({ config: '65534:65534 0750', 'config/rules': '0:0 0755' });
    const grafanaDirs = out.hostVars('grafana').monitoring_config_dirs;
    for (const d of grafanaDirs) {
      const mount = out.hostVars('grafana').compose_project_directories.find((m: any) => m.path === d.path);
      if (mount) expect({ owner: d.owner, group: d.group, mode: d.mode }, d.path).toEqual({ owner: mount.owner, group: mount.group, mode: mount.mode });
      else expect({ owner: d.owner, mode: d.mode }, d.path).toEqual({ owner: 0, mode: '0755' });
    }
  });

  it('runs the PVE exporter with an init and its token in pve.yml from the vault', () => {
    const e = service('pve-exporter');
    expect(e.init).toBe(true);
    expect(e.volumes).toEqual(['./config:/etc/prometheus:ro', './ca:/etc/pve-ca:ro']);
    expect(out.text('ansible/files/pve-exporter/config/pve.yml.j2')).toContain('token_value: {{ vault_pve_exporter_token | to_json }}');
    expect(out.files.has('ansible/files/pve-exporter/config/pve.yml')).toBe(false);
  });

  it('runs Loki, Alertmanager, Blackbox and ntfy with their generated configs mounted read-only', () => {
    expect(service('loki').command).toEqual(['-config.file=/etc/loki/loki.yml']);
    expect(service('loki').volumes).toEqual(['./config:/etc/loki:ro', './data:/loki']);
    expect(service('loki').healthcheck).toBeUndefined();
    expect(service('alertmanager').command).toEqual(['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', '--web.external-url=http://10.10.10.36:9093']);
    expect(service('blackbox').command).toEqual(['--config.file=/etc/blackbox_exporter/blackbox.yml']);
    expect(service('ntfy').command).toEqual(['serve']);
    expect(service('ntfy').volumes).toEqual(['./config:/etc/ntfy:ro', './cache:/var/cache/ntfy', './lib:/var/lib/ntfy']);
    expect(service('ntfy').ports).toEqual(['80:80']);
  });

  it('routes Grafana, Uptime Kuma and ntfy, with websockets where the app needs them', () => {
    const routed = new Map<string, any>();
    for (const c of ref.lab.containers.filter((x) => x.stack.stackName === 'monitoring')) {
      for (const ui of c.webUis) if (ui.access === 'routed') routed.set(c.hostname, ui);
    }
    expect([...routed.keys()].sort()).toEqual(['grafana', 'ntfy', 'uptime-kuma']);
    expect(routed.get('grafana')).toMatchObject({ port: 3000, websockets: true, healthPath: '/api/health' });
    expect(routed.get('uptime-kuma')).toMatchObject({ port: 3001, websockets: true, healthPath: '/api/entry-page' });
    expect(routed.get('ntfy')).toMatchObject({ port: 80, subdomain: 'ntfy', websockets: true, healthPath: '/v1/health' });
  });

  it('keeps Prometheus, Glance, the exporters, Loki and Alertmanager LAN-only, each with a reason', () => {
    const lanOnly = ref.lab.containers.filter((c) => c.stack.stackName === 'monitoring').flatMap((c) => c.webUis.filter((u) => u.access === 'lan-only').map((u) => [c.hostname, u] as const));
    expect(lanOnly.map(([h]) => h).sort()).toEqual(['alertmanager', 'blackbox', 'glance', 'loki', 'prometheus', 'pve-exporter']);
    for (const [h, ui] of lanOnly) expect(ui.reason!.length, h).toBeGreaterThan(20);
    expect(lanOnly.find(([h]) => h === 'alertmanager')![1].reason).toContain('silence');
    expect(lanOnly.find(([h]) => h === 'prometheus')![1].reason).toContain('no login');
  });

  it('declares native metrics and health endpoints Prometheus and Blackbox use', () => {
    const m = ref.lab.monitoring;
    expect(m.prometheus!.metricsEndpoints).toEqual([{ port: 9090, path: '/metrics', job: 'prometheus' }]);
    expect(m.alertmanager!.metricsEndpoints).toEqual([{ port: 9093, path: '/metrics', job: 'alertmanager' }]);
    expect(m.loki!.metricsEndpoints).toEqual([{ port: 3100, path: '/metrics', job: 'loki' }]);
    expect(m.grafana!.metricsEndpoints).toEqual([{ port: 3000, path: '/metrics', job: 'grafana' }]);
    expect(m.pveExporter!.metricsEndpoints).toEqual([{ port: 9221, path: '/metrics', job: 'pve-exporter' }]);
    expect(m.ntfy!.metricsEndpoints).toEqual([{ port: 80, path: '/metrics', job: 'ntfy' }]);
    expect(m.loki!.healthEndpoints).toEqual([{ port: 3100, path: '/ready' }]);
    expect(m.uptimeKuma!.metricsEndpoints).toEqual([]);
  });

  it('starts the infrastructure before the UIs', () => {
    const order = (h: string) => out.container('monitoring', h).startup.order;
    for (const infra of ['prometheus', 'loki', 'alertmanager', 'ntfy', 'blackbox', 'pve-exporter']) {
      expect(order(infra), infra).toBeLessThanOrEqual(30);
    }
    for (const ui of ['grafana', 'uptime-kuma', 'glance']) expect(order(ui), ui).toBeGreaterThanOrEqual(40);
  });
});

describe('monitoring stack options', () => {
  it('disables, resizes and retags a service through overrides', () => {
    let m: any;
    expect(problemsOf((app) => {
      m = buildMonitoringLab(app, { monitoring: { overrides: { glance: { enabled: false }, prometheus: { memory: Size.mebibytes(4096), imageTag: 'v3.13.2' } } } }).monitoring;
    })).toEqual([]);
    expect(m.glance).toBeUndefined();
    expect(m.prometheus.memoryMiB).toBe(4096);
    expect(m.prometheus.prometheus.image.ref).toBe('prom/prometheus:v3.13.2');
  });

  it('fails when an override names no monitoring service', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { monitoring: { overrides: { promethues: { enabled: false } } as any } }))).toEqual([
      "[homelab/monitoring] unknown service override 'promethues' — use one of: alertmanager, blackbox, glance, grafana, loki, ntfy, prometheus, pveExporter, uptimeKuma",
    ]);
  });

  it('warns with a stable id when Promtail (end of life) is chosen', () => {
    const app = new App({ skipValidation: true });
    buildMonitoringLab(app, { monitoring: { logAgent: 'promtail' } });
    const warnings = collectWarnings(app);
    expect(warnings.filter((w) => w.id === 'homelab:eol-promtail')).toEqual([
      { id: 'homelab:eol-promtail', path: 'homelab/monitoring', message: "logAgent is promtail, which reached end of life on 2026-03-02 and gets no fixes; Grafana Alloy replaces it (logAgent: 'alloy')" },
    ]);
    const alloy = new App({ skipValidation: true });
    buildMonitoringLab(alloy);
    expect(collectWarnings(alloy).filter((w) => w.id === 'homelab:eol-promtail')).toEqual([]);
  });

  it('fails when Alertmanager has no ntfy to deliver to', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { monitoring: { overrides: { ntfy: { enabled: false } } } }))).toEqual([
      '[homelab/monitoring/alertmanager] Alertmanager has no ntfy server to deliver alerts to — enable ntfy in the monitoring stack, or call alertmanager.deliverTo(...)',
    ]);
  });

  it('fails at once on a retention that is not a duration', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { monitoring: { prometheus: { retention: '31 days' } } }))).toEqual([
      "[homelab/monitoring/prometheus] retention '31 days' is not a Prometheus duration — write it like '31d' or '30s'",
    ]);
  });
});
