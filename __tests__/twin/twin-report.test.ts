/**
 * What `npm run twin` proved, read from its report (.tmp/twin/report.json). .ci/run runs the twin
 * before `npm test`, so these count in CI's "N passed, N failed" line. Without a report (a developer
 * who has not run the twin) they skip, except under CI, where a missing report is a failure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { isCI, REPO_ROOT } from '../support/controller';

const REPORT = path.join(REPO_ROOT, '.tmp', 'twin', 'report.json');
const report = fs.existsSync(REPORT) ? JSON.parse(fs.readFileSync(REPORT, 'utf8')) : undefined;
const run = report || isCI() ? describe : describe.skip;

/** Containers of the committed reference lab (inventory group lxc) the run selected (--only, --hosts). */
function selectedContainers(options: { only?: string | null; hosts?: number | null }): string[] {
  const inv = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'inventory', 'hosts.yml'), 'utf8')) as any;
  let names = Object.keys(inv.all.children.lxc.hosts);
  if (options.only) names = names.filter((n) => n in (inv.all.children[options.only!]?.hosts ?? {}));
  const vmid = (n: string) => (yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'inventory', 'host_vars', `${n}.yml`), 'utf8')) as any).homelab_vmid;
  names.sort((a, b) => vmid(a) - vmid(b));
  return (options.hosts ? names.slice(0, options.hosts) : names).sort();
}

/** Host variables of the committed reference lab. */
const hostVarsOf = (name: string): any =>
  yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'inventory', 'host_vars', `${name}.yml`), 'utf8')) ?? {};

run('digital twin report (npm run twin)', () => {
  const hosts: any[] = report?.hosts ?? [];

  it('exists', () => {
    expect(report, `${REPORT} is missing: .ci/run runs npm run twin before npm test`).toBeDefined();
  });

  it('covers every container the run selected (all 28 without --only / --hosts)', () => {
    expect(hosts.map((h) => h.name).sort()).toEqual(selectedContainers(report.options));
  });

  it('finished every phase of the chain without an error', () => {
    expect(report.error, report.error).toBeUndefined();
    for (const p of ['synth', 'node', 'terraform apply', 'converge 1', 'converge 2', 'checks', 'firewall', 'internet', 'integration', 'terraform plan', 'terraform destroy', 'teardown']) {
      expect(report.phases, `phase ${p}`).toHaveProperty([p]);
    }
  });

  it('reached every container over SSH', () => {
    expect(hosts.length).toBeGreaterThan(0);
    expect(hosts.filter((h) => !h.ssh).map((h) => h.name)).toEqual([]);
  });

  it('converged every host on the first run (failed=0, unreachable=0)', () => {
    const bad = hosts.filter((h) => !h.run1 || h.run1.failed > 0 || h.run1.unreachable > 0);
    expect(bad.map((h) => `${h.name}: ${JSON.stringify(h.run1)}`)).toEqual([]);
    // The first run did real work everywhere (packages, Docker, compose), so it cannot be a no-op.
    expect(hosts.filter((h) => h.run1.changed === 0).map((h) => h.name)).toEqual([]);
  });

  it('changed nothing on the second run (changed=0, failed=0)', () => {
    const bad = hosts.filter((h) => !h.run2 || h.run2.changed > 0 || h.run2.failed > 0 || h.run2.unreachable > 0);
    expect(bad.map((h) => `${h.name}: ${JSON.stringify(h.run2)} ${(h.run2Changed ?? []).join('; ')}`)).toEqual([]);
  });

  it('runs every compose project with all healthchecks healthy', () => {
    expect(hosts.filter((h) => h.composeHealthy === false).map((h) => h.name)).toEqual([]);
    expect(hosts.filter((h) => h.composeHealthy === true).length).toBeGreaterThan(0);
  });

  it('answers on every declared port, probed from a source the model\'s firewall allows', () => {
    const bad = hosts.flatMap((h) => h.ports.filter((p: any) => !p.ok).map((p: any) => `${h.name}:${p.port} ${p.detail}`));
    expect(bad).toEqual([]);
    expect(hosts.flatMap((h) => h.ports).length).toBeGreaterThan(0);
  });

  it('has node_exporter answering on every host', () => {
    expect(hosts.filter((h) => !h.nodeExporter).map((h) => h.name)).toEqual([]);
  });

  it('has no failed systemd unit, and every homelab-* unit the roles installed is active, on every host', () => {
    expect(hosts.filter((h) => h.unitProblems === undefined).map((h) => h.name)).toEqual([]);
    expect(hosts.flatMap((h) => (h.unitProblems ?? []).map((u: string) => `${h.name}: ${u}`))).toEqual([]);
  });

  it('pulls the Immich library to each selected standby with its read-only rsync key, which cannot write to the primary', () => {
    const standbys = hosts.filter((h) => hostVarsOf(h.name).immich_backup_primary_host).map((h) => h.name).sort();
    const sync = report.integration?.standbySync ?? {};
    expect(Object.keys(sync).sort()).toEqual(standbys);
    for (const [name, c] of Object.entries<any>(sync)) expect(c.ok, `${name}: ${c.steps.join('; ')}`).toBe(true);
  });

  it('logs in to every share of each selected file server with the vault password (files owned by the data owner; a wrong password refused)', () => {
    const servers = hosts.filter((h) => (hostVarsOf(h.name).fileserver_users ?? []).length > 0).map((h) => h.name);
    const logins = report.integration?.smbLogin ?? {};
    expect([...new Set(Object.keys(logins).map((k) => k.split(':')[0]))].sort()).toEqual(servers.sort());
    for (const [name, c] of Object.entries<any>(logins)) expect(c.ok, `${name}: ${c.steps.join('; ')}`).toBe(true);
  });

  it('enforces the model\'s firewall: every declared connection succeeds and every sampled undeclared one is dropped', () => {
    const fw = report.integration?.firewall;
    expect(fw, 'report.integration.firewall').toBeDefined();
    const failed = (fw.probes as any[]).filter((p) => !p.ok).map((p) => `${p.from} -> ${p.to} ${p.kind === 'ping' ? 'ping' : `${p.port}/tcp`} (${p.expect}): ${p.detail}`);
    expect(failed).toEqual([]);
    expect(fw.declared).toBeGreaterThanOrEqual(hosts.length);
    expect(fw.declaredOk).toBe(fw.declared);
    expect(fw.undeclared).toBeGreaterThan(0);
    expect(fw.undeclaredBlocked).toBe(fw.undeclared);
  });

  it('lets the VPN client and its container reach the internet only through the tunnel, and nothing at all with the tunnel down or wireguard-go killed', () => {
    const vpnClients = hosts.filter((h) => hostVarsOf(h.name).wireguard_client_interface).map((h) => h.name);
    const vpn = report.integration?.vpn;
    if (vpnClients.length === 0) {
      expect(vpn).toBeUndefined();
      return;
    }
    expect(vpn, 'report.integration.vpn').toBeDefined();
    expect((vpn.steps as any[]).filter((st) => !st.ok).map((st) => `${st.what}: ${st.detail}`)).toEqual([]);
    expect(vpn.leaked).toBe(0);
    expect(vpn.probes).toBeGreaterThanOrEqual(6);
    expect(vpn.probesOk).toBe(vpn.probes);
  });

  const selected = (name: string) => hosts.some((h) => h.name === name);
  const realOn = () => report.options?.realImages !== false;

  it('runs real software (Debian packages) for SWAG, Prometheus, Alertmanager, the blackbox exporter and the ntfy recorder, only on their hosts', () => {
    if (!realOn()) return;
    const expected: Record<string, string> = { swag: 'lscr.io/linuxserver/swag', prometheus: 'prom/prometheus', alertmanager: 'prom/alertmanager', blackbox: 'prom/blackbox-exporter', ntfy: 'binwiederhier/ntfy' };
    const want = Object.fromEntries(Object.entries(expected).filter(([h]) => selected(h)).map(([h, r]) => [h, [r]]));
    expect(report.realImages).toEqual(want);
  });

  it('answers every SWAG route over HTTPS with its own upstream\'s answer, redirects HTTP to HTTPS, and routes no host that has no route', () => {
    if (!realOn() || !selected('swag')) return;
    const routes = report.integration?.routes;
    expect(routes, 'report.integration.routes').toBeDefined();
    expect((routes.results as any[]).filter((r) => !r.ok || !r.redirect).map((r) => `${r.url}: ${r.detail}`)).toEqual([]);
    const confs = fs.readdirSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'files', 'swag', 'proxy-confs')).filter((f) => f.endsWith('.conf'));
    expect(routes.total + routes.absent.length).toBe(confs.length);
    expect(routes.ok).toBe(routes.total);
    expect(routes.redirects.ok).toBe(routes.total);
    expect(routes.lanOnly.leaking).toEqual([]);
    expect(routes.lanOnly.noRoute).toBe(routes.lanOnly.total);
    if (!report.options.only && !report.options.hosts) {
      expect(routes.total).toBe(confs.length);
      expect(routes.lanOnly.total).toBeGreaterThan(0);
    }
  });

  it('runs every jail of the generated jail.local in SWAG\'s fail2ban', () => {
    if (!realOn() || !selected('swag')) return;
    const jails = report.integration?.jails;
    expect(jails, 'report.integration.jails').toBeDefined();
    expect(jails.loaded).toEqual(jails.expected);
    expect(jails.expected.length).toBeGreaterThanOrEqual(5);
  });

  it('has Prometheus report every scrape target up and every blackbox probe successful', () => {
    if (!realOn() || !selected('prometheus')) return;
    const { targets, probes } = report.integration ?? {};
    expect(targets, 'report.integration.targets').toBeDefined();
    expect(targets.down).toEqual([]);
    expect(probes.failed).toEqual([]);
    expect(targets.up).toBe(targets.total);
    expect(probes.ok).toBe(probes.total);
    if (!report.options.only && !report.options.hosts) {
      // One node_exporter per container at least, and a probe per blackbox target of prometheus.yml.
      expect(targets.total).toBeGreaterThanOrEqual(hosts.length);
      const prom = yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'files', 'prometheus', 'config', 'prometheus.yml'), 'utf8')) as any;
      const probeTargets = (prom.scrape_configs as any[]).filter((j) => j.metrics_path === '/probe').flatMap((j) => j.static_configs.flatMap((sc: any) => sc.targets));
      expect(probes.total).toBe(probeTargets.length);
    }
  });

  it('delivers a stopped container\'s down alert to ntfy on its severity\'s topic and priority, then its resolution', () => {
    if (!realOn() || !['prometheus', 'alertmanager', 'ntfy'].every(selected)) return;
    const alert = report.integration?.alert;
    expect(alert, 'report.integration.alert').toBeDefined();
    expect(alert.delivered, alert.detail).toBe(true);
    expect(alert.resolved, alert.detail).toBe(true);
    expect(alert.expected).toMatchObject({ topic: 'homelab-critical', priority: 5 });
    // Not before the rule's for: duration.
    expect(alert.secondsToDeliver).toBeGreaterThanOrEqual(alert.expected.forSeconds);
  });

  it('sends the Watchdog\'s heartbeats to the dead-man switch on the internet', () => {
    if (!realOn() || !['prometheus', 'alertmanager'].every(selected) || !report.integration?.vpn) return;
    const w = report.integration.watchdog;
    expect(w, 'report.integration.watchdog').toBeDefined();
    expect(w.delivered).toBe(true);
    expect(w.heartbeats).toBeGreaterThan(0);
    // Through the home router's NAT, not the VPN.
    expect(w.from).toEqual(['192.0.2.2']);
  });

  it('drops every connection from the internet that the model does not open to anyone, even with the router routing the internet into the LAN', () => {
    if (!report.integration?.vpn) return;
    const fi = report.integration.fromInternet;
    expect(fi, 'report.integration.fromInternet').toBeDefined();
    expect((fi.probes as any[]).filter((p) => !p.ok).map((p) => `${p.to}:${p.port} (${p.expect}): ${p.detail}`)).toEqual([]);
    expect(fi.dropped).toBeGreaterThan(0);
    expect(fi.droppedOk).toBe(fi.dropped);
    expect(fi.openOk).toBe(fi.open);
    if (selected('prometheus')) expect(fi.probes.some((p: any) => p.to.startsWith('prometheus ') && p.port === 9090 && p.expect === 'dropped')).toBe(true);
  });

  it('lets a phone on the internet dial the WireGuard server through the router\'s port forward and reach a LAN service by IP', () => {
    if (!selected('wireguard') || !report.integration?.vpn) return;
    const phone = report.integration.phone;
    expect(phone, 'report.integration.phone').toBeDefined();
    expect(phone.handshake, phone.detail).toBe(true);
    expect(phone.reached, phone.detail).toBe(true);
  });

  it('plans no change after apply', () => {
    expect(report.planAfterApply).toEqual({ add: 0, change: 0, destroy: 0 });
  });

  it('reports what the twin could not do like Proxmox', () => {
    const whats = report.skipped.map((s: any) => s.what).join('\n');
    // Every container declares cores (not limitable here); GPU passthrough only where the model has it.
    for (const h of hosts) expect(whats).toContain(`(${h.name})`);
    const gpuHosts = fs
      .readdirSync(path.join(REPO_ROOT, 'synth-out', 'stacks'))
      .flatMap((s) => Object.values<any>(JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'stacks', s, 'cdk.tf.json'), 'utf8')).resource?.proxmox_virtual_environment_container ?? {}))
      .filter((c) => (c.device_passthrough ?? []).some((d: any) => String(d.path).startsWith('/dev/dri/')))
      .map((c) => c.initialization.hostname)
      .filter((n) => hosts.some((h) => h.name === n));
    for (const n of gpuHosts) expect(whats).toMatch(new RegExp(`device passthrough /dev/dri/\\S+ on CT \\d+ \\(${n}\\)`));
    for (const s of report.skipped) expect(s.why.length).toBeGreaterThan(10);
  });

  it('lists no failure', () => {
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
