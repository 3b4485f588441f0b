import * as yaml from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools } from '../support/controller';
import { SynthesizedLab } from '../support/lab';
import { freePort, getJson, Proc, Sink, StandIn, waitFor } from './live-support';
import { RefLab, renderVaultTemplate, scratch, synthHomelab, VAULT_TEST_VALUES } from './support';

/**
 * The alerting round trip with real processes on loopback: Debian's prometheus and
 * prometheus-alertmanager run configs derived from the synthesized ones — every scrape target
 * rewritten to a loopback stand-in, the exporters of multi-target jobs to one stand-in exporter,
 * 1 s intervals, `for:` shortened to 1 s, ntfy and the dead-man switch replaced by an HTTP sink.
 * Stopping the stand-in of sonarr's node_exporter must deliver a firing InstanceDown to the
 * critical ntfy topic, and starting it again a resolved one.
 */

const DERIVED_FOR = '1s';

/** prometheus.yml with every target on loopback and test-speed intervals. */
function derivePrometheus(config: any, standIns: Map<string, StandIn>, exporter: StandIn, alertmanager: string): any {
  const c = structuredClone(config);
  c.global = { ...c.global, scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' };
  c.alerting.alertmanagers = [{ static_configs: [{ targets: [alertmanager] }] }];
  for (const job of c.scrape_configs) {
    const viaExporter = (job.relabel_configs ?? []).find((r: any) => r.target_label === '__address__');
    if (viaExporter) {
      // Multi-target jobs (Blackbox, PVE): the targets stay URLs/addresses, the exporter is the stand-in.
      viaExporter.replacement = exporter.address;
      continue;
    }
    for (const sc of job.static_configs) sc.targets = sc.targets.map((t: string) => standIns.get(t)!.address);
  }
  return c;
}

/** A rules file with every `for:` shortened, so an alert fires within seconds. */
function deriveRules(text: string): string {
  const file: any = yaml.load(text);
  for (const g of file.groups) for (const r of g.rules) if (r.for) r.for = DERIVED_FOR;
  return yaml.dump(file);
}

/** alertmanager.yml with ntfy and the heartbeat URL pointing at the sink and test-speed grouping. */
function deriveAlertmanager(rendered: string, sink: Sink, tokenFile: string): any {
  const c: any = yaml.load(rendered);
  for (const r of c.receivers) {
    for (const w of r.webhook_configs ?? []) {
      const u = new URL(w.url);
      w.url = r.name === 'heartbeat' ? `${sink.url}/heartbeat` : `${sink.url}${u.pathname}${u.search}`;
      if (w.http_config?.authorization?.credentials_file) w.http_config.authorization.credentials_file = tokenFile;
    }
  }
  const speedUp = (route: any) => {
    Object.assign(route, { group_wait: '0s', group_interval: '1s', repeat_interval: '1h' });
    for (const child of route.routes ?? []) speedUp(child);
  };
  speedUp(c.route);
  return c;
}

describeWithTools(['prometheus', 'prometheus-alertmanager'], 'live alerting round trip (prometheus + alertmanager on loopback)', () => {
  let ref: RefLab;
  let out: SynthesizedLab;
  let tmp: ReturnType<typeof scratch>;
  const standIns = new Map<string, StandIn>();
  const exporter = new StandIn('# TYPE probe_success gauge\nprobe_success 1\n');
  const sink = new Sink();
  const procs: Proc[] = [];
  let promUrl = '';
  let amUrl = '';
  let sonarrNode: StandIn;
  let sonarrExporter: StandIn;

  beforeAll(async () => {
    ref = synthHomelab();
    out = ref.out;
    tmp = scratch('live');
    const config: any = out.yaml('ansible/files/prometheus/config/prometheus.yml');
    for (const job of config.scrape_configs) {
      if ((job.relabel_configs ?? []).some((r: any) => r.target_label === '__address__')) continue;
      for (const sc of job.static_configs) for (const t of sc.targets) if (!standIns.has(t)) standIns.set(t, await new StandIn().start());
    }
    await exporter.start();
    await sink.start();
    const sonarr = ref.lab.media.sonarr!;
    sonarrNode = standIns.get(`${sonarr.ipAddress}:9100`)!;
    sonarrExporter = standIns.get(`${sonarr.ipAddress}:9707`)!;

    const amPort = await freePort();
    const promPort = await freePort();
    const tokenFile = tmp.write('alertmanager/ntfy-token', String(VAULT_TEST_VALUES.vault_ntfy_alertmanager_token));
    const am = deriveAlertmanager(renderVaultTemplate(out.text('ansible/files/alertmanager/config/alertmanager.yml.j2'), VAULT_TEST_VALUES), sink, tokenFile);
    const amConfig = tmp.write('alertmanager/alertmanager.yml', yaml.dump(am));
    tmp.write('prometheus/prometheus.yml', yaml.dump(derivePrometheus(config, standIns, exporter, `127.0.0.1:${amPort}`)));
    for (const stack of ['media', 'monitoring', 'security', 'business']) {
      tmp.write(`prometheus/rules/${stack}.yml`, deriveRules(out.text(`ansible/files/prometheus/config/rules/${stack}.yml`)));
    }
    procs.push(new Proc('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${amConfig}`, `--storage.path=${tmp.dir}/alertmanager/data`, `--web.listen-address=127.0.0.1:${amPort}`, '--cluster.listen-address=',
    ]));
    procs.push(new Proc('prometheus', 'prometheus', [
      `--config.file=${tmp.dir}/prometheus/prometheus.yml`, `--storage.tsdb.path=${tmp.dir}/prometheus/data`, `--web.listen-address=127.0.0.1:${promPort}`,
      // Alerts that fire before the notifier has found Alertmanager are dropped and only resent
      // after this delay (1m by default); at test speed the Watchdog must not wait a minute.
      '--rules.alert.resend-delay=1s',
    ]));
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;
    const diag = () => procs.map((p) => `--- ${p.name} (exited: ${p.exited})\n${p.output.slice(-3000)}`).join('\n');
    await waitFor('Alertmanager to be ready', async () => ((await getJson(`http://127.0.0.1:${amPort}/api/v2/status`)) ? true : undefined), 20_000, diag);
    // Prometheus needs a few seconds before its first scrape of every target.
    await waitFor('Prometheus to scrape sonarr', async () => {
      const r = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent('up{job="node",host="sonarr"}')}`);
      return r?.data?.result?.[0]?.value?.[1] === '1' ? true : undefined;
    }, 30_000, diag);
  }, 90_000);

  afterAll(async () => {
    for (const p of procs) await p.stop();
    for (const s of standIns.values()) await s.stop();
    await exporter.stop();
    await sink.stop();
    tmp?.cleanup();
    ref?.cleanup();
  });

  const instanceDown = (status: string, job: string) => sink.alerts().find((a) => a.labels.alertname === 'InstanceDown' && a.labels.host === 'sonarr' && a.labels.job === job && a.status === status);

  it('delivers the always-firing Watchdog to the heartbeat receiver', async () => {
    const hb = await waitFor('a Watchdog heartbeat', () => sink.requests.find((r) => r.path === '/heartbeat' && r.body?.alerts?.some((a: any) => a.labels.alertname === 'Watchdog')), 20_000,
      () => `sink saw: ${JSON.stringify([...new Set(sink.alerts().map((a) => `${a.path} ${a.labels.alertname} ${a.status}`))])}\n${procs.map((p) => p.output.slice(-2000)).join('\n')}`);
    expect(hb.body.receiver).toBe('heartbeat');
    expect(sink.alerts().filter((a) => a.labels.alertname === 'Watchdog').every((a) => a.path === '/heartbeat')).toBe(true);
  }, 30_000);

  it('stopping a target delivers a firing alert for it to the critical ntfy topic, with the bearer token', async () => {
    const stopped = Date.now();
    await sonarrNode.stop();
    const firing = await waitFor('a firing InstanceDown for sonarr', () => instanceDown('firing', 'node'), 30_000, () => JSON.stringify(sink.alerts().slice(-5)));
    expect(firing.path).toBe('/homelab-critical');
    expect(firing.authorization).toBe(`Bearer ${VAULT_TEST_VALUES.vault_ntfy_alertmanager_token}`);
    const req = sink.requests.find((r) => r.body?.alerts?.some((a: any) => a.labels.alertname === 'InstanceDown' && a.labels.host === 'sonarr'))!;
    expect(req.query.get('template')).toBe('alertmanager');
    expect(req.query.get('priority')).toBe('urgent');
    expect(firing.labels).toMatchObject({ severity: 'critical', stack: 'media', instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/) });
    console.log(`[live] firing InstanceDown delivered ${firing.at - stopped} ms after the target stopped`);
  }, 40_000);

  it("silences the down host's other alerts (inhibition by its node_exporter InstanceDown)", async () => {
    // The host's exportarr sidecar stops answering too, while its node_exporter is known to be down.
    await sonarrExporter.stop();
    const inAlertmanager = await waitFor('Alertmanager to hold the sidecar\'s InstanceDown', async () => {
      const alerts = await getJson(`${amUrl}/api/v2/alerts`);
      return alerts?.find((a: any) => a.labels.alertname === 'InstanceDown' && a.labels.host === 'sonarr' && a.labels.job === 'sonarr');
    }, 30_000);
    expect(inAlertmanager.status.state).toBe('suppressed');
    expect(inAlertmanager.status.inhibitedBy.length).toBe(1);
    // Give Alertmanager a few group intervals to (wrongly) send it.
    await new Promise((r) => setTimeout(r, 2500));
    expect(instanceDown('firing', 'sonarr')).toBeUndefined();
    const r = await getJson(`${promUrl}/api/v1/query?query=${encodeURIComponent('ALERTS{alertname="InstanceDown",host="sonarr",alertstate="firing"}')}`);
    // Prometheus does fire both; Alertmanager holds the sidecar's back.
    expect(r.data.result.map((x: any) => x.metric.job).sort()).toEqual(['node', 'sonarr']);
  }, 40_000);

  it('starting the target again delivers a resolved alert', async () => {
    const started = Date.now();
    await sonarrNode.start();
    await sonarrExporter.start();
    const resolved = await waitFor('a resolved InstanceDown for sonarr', () => instanceDown('resolved', 'node'), 30_000, () => JSON.stringify(sink.alerts().slice(-5)));
    expect(resolved.path).toBe('/homelab-critical');
    console.log(`[live] resolved InstanceDown delivered ${resolved.at - started} ms after the target came back`);
  }, 40_000);
});
