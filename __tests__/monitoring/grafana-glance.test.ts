import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynthesizedLab } from '../support/lab';
import { RefLab, synthHomelab } from './support';

let ref: RefLab;
let out: SynthesizedLab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref.cleanup());

const GRAFANA = 'ansible/files/grafana/config';

/** Every PromQL/LogQL expression of a dashboard. */
function expressions(d: any): { panel: string; expr: string; ds: string }[] {
  return d.panels.flatMap((p: any) => (p.targets ?? []).map((t: any) => ({ panel: p.title, expr: t.expr, ds: t.datasource.uid })));
}

describe('Grafana provisioning', () => {
  it('provisions Prometheus (default), Loki and Alertmanager as datasources by LAN address', () => {
    expect(out.yaml(`${GRAFANA}/provisioning/datasources/homelab.yml`)).toEqual({
      apiVersion: 1,
      datasources: [
        { name: 'Prometheus', uid: 'prometheus', type: 'prometheus', access: 'proxy', url: 'http://10.10.10.31:9090', isDefault: true, editable: false, jsonData: { timeInterval: '30s' } },
        { name: 'Loki', uid: 'loki', type: 'loki', access: 'proxy', url: 'http://10.10.10.35:3100', isDefault: false, editable: false, jsonData: { maxLines: 1000 } },
        { name: 'Alertmanager', uid: 'alertmanager', type: 'alertmanager', access: 'proxy', url: 'http://10.10.10.36:9093', editable: false, jsonData: { implementation: 'prometheus' } },
      ],
    });
  });

  it('loads the generated dashboards read-only from the mounted directory', () => {
    expect(out.yaml(`${GRAFANA}/provisioning/dashboards/homelab.yml`).providers).toEqual([
      { name: 'homelab', folder: 'Homelab', type: 'file', disableDeletion: true, allowUiUpdates: false, updateIntervalSeconds: 60, options: { path: '/etc/grafana/dashboards', foldersFromFilesStructure: false } },
    ]);
  });

  it('generates dashboards for nodes, Proxmox, probes and one overview per stack', () => {
    const files = [...out.files.keys()].filter((p) => p.startsWith(`${GRAFANA}/dashboards/`)).map((p) => p.split('/').pop()).sort();
    expect(files).toEqual(['nodes.json', 'probes.json', 'proxmox.json', 'stack-business.json', 'stack-media.json', 'stack-monitoring.json', 'stack-security.json']);
    const uids = new Set<string>();
    for (const f of files) {
      const d = JSON.parse(out.text(`${GRAFANA}/dashboards/${f}`));
      expect(d.uid, f).toMatch(/^homelab-[a-z-]+$/);
      expect(uids.has(d.uid), f).toBe(false);
      uids.add(d.uid);
      expect(d.panels.length, f).toBeGreaterThan(2);
      const ids = d.panels.map((p: any) => p.id);
      expect(new Set(ids).size, f).toBe(ids.length);
      for (const p of d.panels) {
        expect(p.gridPos.x + p.gridPos.w, `${f} ${p.title}`).toBeLessThanOrEqual(24);
        expect(p.targets.length, `${f} ${p.title}`).toBeGreaterThan(0);
      }
      for (const e of expressions(d)) expect(['prometheus', 'loki'], `${f} ${e.panel}`).toContain(e.ds);
    }
  });

  it("selects each stack's overview by its stack label, including its logs in Loki", () => {
    const d = JSON.parse(out.text(`${GRAFANA}/dashboards/stack-media.json`));
    expect(d.title).toBe('Homelab / media stack');
    const exprs = expressions(d);
    expect(exprs.filter((e) => e.ds === 'prometheus').every((e) => e.expr.includes('stack="media"'))).toBe(true);
    expect(exprs.find((e) => e.ds === 'loki')!.expr).toBe('{stack="media"}');
  });

  it('queries metrics the lab actually produces', () => {
    const all = ['nodes.json', 'proxmox.json', 'probes.json'].flatMap((f) => expressions(JSON.parse(out.text(`${GRAFANA}/dashboards/${f}`))).map((e) => e.expr)).join('\n');
    for (const metric of ['node_cpu_seconds_total', 'node_memory_MemAvailable_bytes', 'node_filesystem_avail_bytes', 'pve_up', 'pve_guest_info', 'pve_not_backed_up_info', 'probe_success', 'probe_ssl_earliest_cert_expiry']) {
      expect(all, metric).toContain(metric);
    }
  });
});

describe('Glance', () => {
  it('lists every web UI of the lab in one monitor widget: public URL and internal check URL', () => {
    const g = out.yaml('ansible/files/glance/config/glance.yml');
    expect(g.server).toEqual({ host: '0.0.0.0', port: 8080, proxied: true });
    const widgets = g.pages[0].columns[0].widgets;
    expect(widgets).toHaveLength(1);
    expect(widgets[0]).toMatchObject({ type: 'monitor', title: 'Services', cache: '1m' });
    const sites = widgets[0].sites;
    const uis = ref.lab.containers.flatMap((c) => c.webUis.map((u) => ({ c, u })));
    expect(sites).toHaveLength(uis.length);
    for (const { c, u } of uis) {
      const check = `${u.scheme}://${c.ipAddress}:${u.port}${u.healthPath}`;
      const site = sites.find((s: any) => s['check-url'] === check);
      expect(site, check).toBeDefined();
      if (u.access === 'routed') expect(site, check).toMatchObject({ title: u.title, url: `https://${u.subdomain}.home.example.org` });
      else expect(site, check).toMatchObject({ title: `${u.title} (LAN)`, url: `${u.scheme}://${c.ipAddress}:${u.port}` });
    }
    expect(sites.find((s: any) => s.title === 'Grafana')).toEqual({ title: 'Grafana', url: 'https://grafana.home.example.org', 'check-url': 'http://10.10.10.32:3000/api/health' });
  });
});
