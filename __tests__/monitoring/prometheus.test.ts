import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, Image, Port } from '../../constructs/core';
import { describeWithTools } from '../support/controller';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';
import { buildMonitoringLab, RefLab, run, synthHomelab } from './support';

let ref: RefLab;
let out: SynthesizedLab;
let prom: any;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
  prom = out.yaml('ansible/files/prometheus/config/prometheus.yml');
});
afterAll(() => ref.cleanup());

const job = (name: string) => {
  const j = prom.scrape_configs.find((s: any) => s.job_name === name);
  if (!j) throw new Error(`no job ${name}; jobs: ${prom.scrape_configs.map((s: any) => s.job_name).join(', ')}`);
  return j;
};
/** target → labels of a job. */
const targetsOf = (name: string) => new Map<string, any>(job(name).static_configs.flatMap((s: any) => s.targets.map((t: string) => [t, s.labels])));

describe('prometheus.yml of the reference homelab', () => {
  it('scrapes node_exporter on every LXC of the lab, labelled with host and stack', () => {
    const nodes = targetsOf('node');
    expect(nodes.size).toBe(ref.lab.containers.length);
    for (const c of ref.lab.containers) {
      expect(nodes.get(`${c.ipAddress}:9100`), c.hostname).toEqual({ host: c.hostname, stack: c.stack.stackName });
    }
  });

  it('scrapes every metrics endpoint any container declares, under its job', () => {
    let count = 0;
    for (const c of ref.lab.containers) {
      for (const m of c.metricsEndpoints) {
        count++;
        const j = job(m.job);
        expect(j.metrics_path ?? '/metrics', `${c.hostname} ${m.job}`).toBe(m.path);
        expect(targetsOf(m.job).get(`${c.ipAddress}:${m.port}`), `${c.hostname} ${m.job}`).toEqual({ host: c.hostname, stack: c.stack.stackName });
      }
    }
    expect(count).toBeGreaterThan(10);
    // The monitoring services watch each other.
    expect([...targetsOf('prometheus').keys()]).toEqual(['10.10.10.31:9090']);
    expect([...targetsOf('alertmanager').keys()]).toEqual(['10.10.10.36:9093']);
    expect([...targetsOf('loki').keys()]).toEqual(['10.10.10.35:3100']);
    expect([...targetsOf('grafana').keys()]).toEqual(['10.10.10.32:3000']);
  });

  it('reads Proxmox through the PVE exporter with the multi-target pattern', () => {
    expect(job('pve')).toEqual({
      job_name: 'pve',
      metrics_path: '/pve',
      params: { module: ['default'], cluster: ['1'], node: ['1'] },
      static_configs: [{ targets: ['10.10.10.2'], labels: { host: 'pve-exporter', stack: 'monitoring' } }],
      relabel_configs: [
        { source_labels: ['__address__'], target_label: '__param_target' },
        { source_labels: ['__param_target'], target_label: 'instance' },
        { target_label: '__address__', replacement: '10.10.10.33:9221' },
      ],
    });
  });

  it('probes every routed web UI through SWAG over https', () => {
    const http = targetsOf('blackbox-http');
    const routed = ref.lab.containers.flatMap((c) => c.webUis.filter((u) => u.access === 'routed').map((u) => ({ c, u })));
    expect(routed.length).toBeGreaterThan(12);
    for (const { c, u } of routed) {
      expect(http.get(`https://${u.subdomain}.home.example.org${u.healthPath}`), u.subdomain).toEqual({ host: c.hostname, stack: c.stack.stackName, probe: 'route' });
    }
    expect(job('blackbox-http').params).toEqual({ module: ['http_2xx'] });
    expect(job('blackbox-http').relabel_configs[2]).toEqual({ target_label: '__address__', replacement: '10.10.10.34:9115' });
  });

  it('probes every internal health endpoint over http and raw ports over TCP', () => {
    const http = targetsOf('blackbox-http');
    const selfSigned = ref.lab.containers.some((c) => c.healthEndpoints.some((h) => h.scheme === 'https')) ? targetsOf('blackbox-http-selfsigned') : new Map();
    const tcp = targetsOf('blackbox-tcp');
    for (const c of ref.lab.containers) {
      for (const h of c.healthEndpoints) {
        if (h.path === undefined) expect(tcp.get(`${c.ipAddress}:${h.port}`), `${c.hostname}:${h.port}`).toEqual({ host: c.hostname, stack: c.stack.stackName, probe: 'tcp' });
        else {
          const url = `${h.scheme ?? 'http'}://${c.ipAddress}:${h.port}${h.path}`;
          expect((h.scheme === 'https' ? selfSigned : http).get(url), url).toMatchObject({ host: c.hostname, probe: 'internal' });
        }
      }
    }
    // RustDesk's raw ports and SMB are TCP probes.
    expect([...tcp.values()].map((l: any) => l.host)).toEqual(expect.arrayContaining(['rustdesk', 'fileserver']));
    expect(job('blackbox-tcp').params).toEqual({ module: ['tcp_connect'] });
  });

  it('sends alerts to Alertmanager and loads the per-stack rule files', () => {
    expect(prom.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ['10.10.10.36:9093'] }] }] });
    expect(prom.rule_files).toEqual(['rules/*.yml']);
    expect(prom.global).toMatchObject({ scrape_interval: '30s', evaluation_interval: '30s' });
    for (const stack of ['media', 'monitoring', 'security', 'business']) expect(out.files.has(`ansible/files/prometheus/config/rules/${stack}.yml`), stack).toBe(true);
  });

  it('uses unique job names', () => {
    const names = prom.scrape_configs.map((s: any) => s.job_name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describeWithTools(['promtool'], 'promtool on the generated Prometheus config', () => {
  it('passes promtool check config (with the rule files it loads)', () => {
    const r = run('promtool', ['check', 'config', 'prometheus.yml'], { cwd: `${out.dir}/ansible/files/prometheus/config` });
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('SUCCESS: 4 rule files found');
  });

  it('rejects a broken config (the check can fail)', () => {
    const dir = `${out.dir}/ansible/files/prometheus/config`;
    const r = run('sh', ['-c', `sed 's/scrape_interval: 30s/scrape_interval: thirty/' prometheus.yml > /tmp/prom-broken-$$.yml && promtool check config /tmp/prom-broken-$$.yml; s=$?; rm -f /tmp/prom-broken-$$.yml; exit $s`], { cwd: dir });
    expect(r.code).not.toBe(0);
  });
});

describe('prometheus.yml from a hand-built lab', () => {
  it('scrapes a service metrics endpoint, probes its route, internal health and TCP port', () => {
    const o = synthLab((app) => buildMonitoringLab(app));
    try {
      const p = o.yaml('ansible/files/prometheus/config/prometheus.yml');
      const jobs = Object.fromEntries(p.scrape_configs.map((s: any) => [s.job_name, s.static_configs]));
      expect(jobs.web).toEqual([{ targets: ['10.20.0.101:9300'], labels: { host: 'web', stack: 'apps' } }]);
      expect(jobs['blackbox-http']).toEqual(expect.arrayContaining([
        { targets: ['https://web.lab.example.net/health'], labels: { host: 'web', stack: 'apps', probe: 'route' } },
        { targets: ['http://10.20.0.101:8080/health'], labels: { host: 'web', stack: 'apps', probe: 'internal' } },
      ]));
      expect(jobs['blackbox-tcp']).toEqual([{ targets: ['10.20.0.102:445'], labels: { host: 'smb', stack: 'apps', probe: 'tcp' } }]);
    } finally {
      o.cleanup();
    }
  });

  it('fails when a service declares a metrics port it does not listen on', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => web.addMetricsEndpoint({ port: Port.tcp(9999), job: 'web-extra' }) }))).toContain(
      '[homelab/apps/web] metrics port 9999 (job web-extra) is not a port this container listens on — publish 9999/tcp or fix the metrics port',
    );
  });

  it('fails when a route has no probe target (a health path that is not a URL path)', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ smb }) => {
      new ComposeService(smb, 'admin', { image: Image.of('example/admin', '1.0.0'), ports: [{ port: Port.tcp(9443) }] });
      smb.addWebUi({ port: Port.tcp(9443), access: 'routed', subdomain: 'smb-admin', healthPath: 'status', title: 'SMB admin' });
    } }))).toEqual([
      "[homelab/apps/smb] route 'SMB admin' on port 9443 has health path 'status', so Blackbox and Glance have no URL to probe — give addWebUi a healthPath that starts with '/' and answers 2xx without login, e.g. '/ping'",
    ]);
  });

  it('warns with a stable id when routes exist but no Blackbox exporter probes them', () => {
    const o = synthLab((app) => buildMonitoringLab(app, { monitoring: { overrides: { blackbox: { enabled: false } } } }));
    try {
      expect(o.result.warnings.filter((w) => w.id === 'homelab:unprobed-routes')).toEqual([
        { id: 'homelab:unprobed-routes', path: 'homelab/monitoring/prometheus', message: 'the lab routes web UIs, but no Blackbox exporter probes them' },
      ]);
      const jobs = o.yaml('ansible/files/prometheus/config/prometheus.yml').scrape_configs.map((s: any) => s.job_name);
      expect(jobs.filter((j: string) => j.startsWith('blackbox'))).toEqual([]);
      expect(o.yaml('ansible/files/prometheus/config/rules/apps.yml').groups[0].rules.map((r: any) => r.alert)).not.toContain('ProbeFailed');
    } finally {
      o.cleanup();
    }
  });

  it('fails when a metrics job takes a name the monitoring stack uses', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ smb }) => {
      new ComposeService(smb, 'exporter', { image: Image.of('example/exporter', '1.0.0'), ports: [{ port: Port.tcp(9500) }] });
      smb.addMetricsEndpoint({ port: Port.tcp(9500), job: 'node' });
    } }))).toEqual([
      "[homelab/monitoring/prometheus] homelab/apps/smb names its metrics job 'node', which the monitoring stack uses itself — pick another job name in addMetricsEndpoint({ job })",
    ]);
  });

  it('fails when one metrics job is scraped at two paths', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ smb }) => {
      new ComposeService(smb, 'exporter', { image: Image.of('example/exporter', '1.0.0'), ports: [{ port: Port.tcp(9300) }] });
      smb.addMetricsEndpoint({ port: Port.tcp(9300), job: 'web', path: '/stats' });
    } }))).toEqual([
      "[homelab/monitoring/prometheus] metrics job 'web' is scraped at /metrics on homelab/apps/web but at /stats on homelab/apps/smb — one job has one metrics path: give one of the endpoints its own job name",
    ]);
  });
});
