/**
 * The lab's wiring, proven with real packets once the twin has converged (issue 11, items 2 and 3):
 *
 * - routes: every SWAG proxy conf, asked over HTTPS under its public name (the twin CA's
 *   certificate verified), answers exactly what its declared upstream answers when asked directly
 *   from the SWAG host; HTTP redirects to HTTPS; a host without a route is not reachable through SWAG
 *   (its name gets SWAG's default answer, the same as a name nothing serves);
 * - metrics: Prometheus (real software) reports every scrape target up and every blackbox probe
 *   successful;
 * - alerts: stopping one container (lxc-stop) fires its down alert, which reaches the ntfy recorder on
 *   the topic and with the priority alertmanager.yml routes its severity to; starting it again
 *   delivers the resolution; the Watchdog reaches the dead-man switch on the internet.
 *
 * What to expect is read from the synthesized project (proxy confs, compose files, prometheus.yml,
 * the rules, alertmanager.yml), never restated here. The functions that plan are pure and unit-tested
 * (__tests__/twin/wiring.test.ts); the ones that run take the twin's executors.
 */
import { hostFile, HOST_FILES_DIR } from '../../lib/ansible/project';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { ExecResult } from './exec';

/* eslint-disable @typescript-eslint/no-explicit-any */
const load = (file: string): any => yaml.load(fs.readFileSync(file, 'utf8'));

export interface Route {
  /** The proxy conf's name (sonarr for sonarr.subdomain.conf). */
  readonly name: string;
  /** The public host name: server_name's label + the SWAG domain. */
  readonly host: string;
  readonly upstream: { readonly proto: string; readonly address: string; readonly port: number };
  /** The path asked: the route's blackbox probe path when it has one, else '/'. */
  readonly path: string;
  /** Compose services (and container names) of the upstream's host: a stand-in's answer names one. */
  readonly services: string[];
}

export interface ProxySite {
  /** The inventory host running SWAG (files/<host>/proxy-confs). */
  readonly swagHost: string;
  /** SWAG's URL (the certificate's domain). */
  readonly domain: string;
  readonly routes: Route[];
}

/** SWAG's routes as generated: files/<host>/proxy-confs/*.conf and the host's compose URL. */
export function readProxySite(ansibleDir: string): ProxySite | undefined {
  const files = path.join(ansibleDir, HOST_FILES_DIR);
  const swagHost = fs.existsSync(files) ? fs.readdirSync(files).sort().find((h) => fs.existsSync(path.join(ansibleDir, hostFile(h, 'proxy-confs')))) : undefined;
  if (!swagHost) return undefined;
  const compose = load(path.join(ansibleDir, hostFile(swagHost, 'compose.yml')));
  const url = Object.values<any>(compose?.services ?? {}).map((s) => envOf(s).URL).find(Boolean);
  if (!url) throw new Error(`${hostFile(swagHost, 'compose.yml')}: no SWAG service with a URL`);
  const domain = String(url).toLowerCase();
  const probePaths = httpsProbePaths(ansibleDir);
  const servicesAt = composeServicesByAddress(ansibleDir);
  const routes: Route[] = [];
  for (const f of fs.readdirSync(path.join(ansibleDir, hostFile(swagHost, 'proxy-confs'))).filter((n) => n.endsWith('.conf')).sort()) {
    const text = fs.readFileSync(path.join(ansibleDir, hostFile(swagHost, `proxy-confs/${f}`)), 'utf8');
    const label = /^\s*server_name\s+([a-z0-9-]+)\.\*\s*;/m.exec(text)?.[1];
    const app = /set \$upstream_app\s+([^;\s]+);/.exec(text)?.[1];
    const port = /set \$upstream_port\s+(\d+);/.exec(text)?.[1];
    const proto = /set \$upstream_proto\s+(https?);/.exec(text)?.[1] ?? 'http';
    if (!label || !app || !port) throw new Error(`${hostFile(swagHost, `proxy-confs/${f}`)}: no server_name <name>.* or upstream`);
    const host = `${label}.${domain}`;
    routes.push({
      name: f.replace(/\.(subdomain|subfolder)\.conf$/, ''),
      host,
      upstream: { proto, address: app, port: Number(port) },
      path: probePaths.get(host) ?? '/',
      services: servicesAt.get(app) ?? [],
    });
  }
  return { swagHost, domain, routes };
}

/** Inventory address → the compose service and container names of that host's project. */
function composeServicesByAddress(ansibleDir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const hv = path.join(ansibleDir, 'inventory', 'host_vars');
  if (!fs.existsSync(hv)) return out;
  for (const f of fs.readdirSync(hv)) {
    const host = f.replace(/\.ya?ml$/, '');
    const address = load(path.join(hv, f))?.ansible_host;
    const compose = path.join(ansibleDir, hostFile(host, 'compose.yml'));
    if (typeof address !== 'string' || !fs.existsSync(compose)) continue;
    const services = Object.entries<any>(load(compose)?.services ?? {}).flatMap(([name, svc]) => [name, ...(svc?.container_name ? [String(svc.container_name)] : [])]);
    out.set(address, [...new Set(services)].sort());
  }
  return out;
}

function envOf(svc: any): Record<string, string> {
  const e = svc?.environment;
  if (Array.isArray(e)) return Object.fromEntries(e.map((x: string) => [x.split('=')[0], x.slice(x.indexOf('=') + 1)]));
  return (e ?? {}) as Record<string, string>;
}

/** https://<host><path> targets of the blackbox jobs: host → path. */
function httpsProbePaths(ansibleDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const job of scrapeJobs(ansibleDir)) {
    for (const t of (job.static_configs ?? []).flatMap((s: any) => s.targets ?? [])) {
      const m = /^https:\/\/([^/:]+)(\/[^?#]*)?/.exec(String(t));
      if (m && !out.has(m[1]!)) out.set(m[1]!, m[2] ?? '/');
    }
  }
  return out;
}

function prometheusFile(ansibleDir: string): string | undefined {
  const files = path.join(ansibleDir, HOST_FILES_DIR);
  if (!fs.existsSync(files)) return undefined;
  for (const h of fs.readdirSync(files).sort()) {
    const f = path.join(ansibleDir, hostFile(h, 'config/prometheus.yml'));
    if (fs.existsSync(f)) return f;
  }
  return undefined;
}

function scrapeJobs(ansibleDir: string): any[] {
  const f = prometheusFile(ansibleDir);
  return f ? (load(f)?.scrape_configs ?? []) : [];
}

/** Where Prometheus runs and the port it publishes (files/<host>/config/prometheus.yml, compose). */
export function readPrometheus(ansibleDir: string): { host: string; port: number } | undefined {
  const f = prometheusFile(ansibleDir);
  if (!f) return undefined;
  const host = path.basename(path.dirname(path.dirname(f)));
  const compose = load(path.join(ansibleDir, hostFile(host, 'compose.yml')));
  for (const svc of Object.values<any>(compose?.services ?? {})) {
    for (const p of svc.ports ?? []) {
      const parts = String(p).replace(/\/tcp$/, '').split(':');
      if (parts[parts.length - 1] === '9090') return { host, port: Number(parts[parts.length - 2] ?? 9090) };
    }
  }
  return { host, port: 9090 };
}

/** What alertmanager.yml does with an alert of these labels: the first matching child route's webhook. */
export interface Delivery {
  readonly receiver: string;
  /** ntfy topic (the webhook URL's path) and priority (its `priority` parameter, ntfy's 1-5). */
  readonly topic: string;
  readonly priority: number;
  readonly url: string;
}

const NTFY_PRIORITIES: Record<string, number> = { min: 1, low: 2, default: 3, high: 4, urgent: 5, max: 5 };

export function deliveryOf(alertmanagerYml: string, labels: Record<string, string>): Delivery {
  // The roles render the vault expressions; a receiver's URL is plain text in the ntfy routes.
  const doc = yaml.load(alertmanagerYml.replace(/\{\{[^}]*\}\}/g, '"vault"')) as any;
  const matches = (m: string) => {
    const r = /^\s*([a-zA-Z_]+)\s*(=~|!=|=)\s*"(.*)"\s*$/.exec(m);
    if (!r) throw new Error(`alertmanager.yml: matcher '${m}' is not understood by the twin`);
    const v = labels[r[1]!] ?? '';
    if (r[2] === '=') return v === r[3];
    if (r[2] === '!=') return v !== r[3];
    return new RegExp(`^(?:${r[3]})$`).test(v);
  };
  const route = (doc.route?.routes ?? []).find((r: any) => (r.matchers ?? []).every(matches));
  const receiverName = route?.receiver ?? doc.route?.receiver;
  const receiver = (doc.receivers ?? []).find((r: any) => r.name === receiverName);
  const url = receiver?.webhook_configs?.[0]?.url;
  if (!url) throw new Error(`alertmanager.yml: receiver ${receiverName} has no webhook URL`);
  const u = new URL(String(url));
  const p = u.searchParams.get('priority') ?? 'default';
  return { receiver: receiverName, url: String(url), topic: u.pathname.replace(/^\//, ''), priority: NTFY_PRIORITIES[p] ?? Number(p) };
}

/** A rule of the generated rule files by alert name and stack (files/<prom>/config/rules/<stack>.yml). */
export function ruleOf(ansibleDir: string, stack: string, alert: string): { expr: string; for: string; labels: Record<string, string> } {
  const f = prometheusFile(ansibleDir);
  const file = f && path.join(path.dirname(f), 'rules', `${stack}.yml`);
  if (!file || !fs.existsSync(file)) throw new Error(`no rule file for stack ${stack}`);
  for (const g of load(file)?.groups ?? []) {
    for (const r of g.rules ?? []) if (r.alert === alert) return { expr: String(r.expr), for: String(r.for ?? '0s'), labels: r.labels ?? {} };
  }
  throw new Error(`${file}: no alert ${alert}`);
}

/** node_exporter targets of prometheus.yml: host label → stack label. */
export function nodeTargets(ansibleDir: string): Map<string, { stack: string; address: string }> {
  const out = new Map<string, { stack: string; address: string }>();
  for (const job of scrapeJobs(ansibleDir).filter((j) => j.job_name === 'node')) {
    for (const sc of job.static_configs ?? []) {
      for (const t of sc.targets ?? []) if (sc.labels?.host) out.set(String(sc.labels.host), { stack: String(sc.labels.stack ?? ''), address: String(t) });
    }
  }
  return out;
}

/** Seconds of a Prometheus duration ('3m', '1h30m', '30s'). */
export function seconds(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)) {
    total += Number(m[1]) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[m[2] as 'ms']!;
  }
  return total;
}

// --- running ------------------------------------------------------------------------------------

export interface WiringContext {
  /** `sh -c script` in an inventory host. */
  inHost(host: string, script: string): Promise<ExecResult>;
  /** `sh -c script` in the twin namespace (the LAN's gateway: a client outside every container). */
  inGateway(script: string): Promise<ExecResult>;
  say(line: string): void;
}

export interface RouteResult {
  readonly name: string;
  readonly url: string;
  readonly ok: boolean;
  /** The stand-in's answer names the route's service (real software answers for itself). */
  readonly namesService: boolean;
  readonly redirect: boolean;
  readonly detail: string;
}

export interface RoutesReport {
  readonly total: number;
  readonly ok: number;
  readonly redirects: { readonly total: number; readonly ok: number };
  /** Hosts with no route: their name under the domain gets SWAG's default answer. */
  readonly lanOnly: { readonly total: number; readonly noRoute: number; readonly leaking: string[] };
  /** Routes to hosts this run did not create (--only, --hosts): not asked. */
  readonly absent: string[];
  readonly results: RouteResult[];
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** curl printing the status line last: body, then '\n<status> <redirect_url>'. */
const curl = (args: string) => `curl -sS -m 10 -w '\\n%{http_code} %{redirect_url}' ${args}`;
const parseCurl = (r: ExecResult) => {
  const lines = r.stdout.split('\n');
  const [status, redirect] = (lines.pop() ?? '').split(' ');
  return { code: r.code, status: Number(status), redirect: redirect ?? '', body: lines.join('\n'), err: r.stderr.trim() };
};

export async function checkRoutes(
  site: ProxySite,
  swagAddress: string,
  caFile: string,
  hosts: readonly { name: string; address: string }[],
  ctx: WiringContext,
): Promise<RoutesReport> {
  const results: RouteResult[] = [];
  const resolve = (h: string, port: number) => `--resolve ${q(`${h}:${port}:${swagAddress}`)}`;
  const present = new Set(hosts.map((h) => h.address));
  for (const r of site.routes) {
    if (!present.has(r.upstream.address)) continue;
    const url = `https://${r.host}${r.path}`;
    const [viaSwag, direct, plain] = await Promise.all([
      ctx.inGateway(curl(`--cacert ${q(caFile)} ${resolve(r.host, 443)} ${q(url)}`)).then(parseCurl),
      ctx.inHost(site.swagHost, curl(q(`${r.upstream.proto}://${r.upstream.address}:${r.upstream.port}${r.path}`))).then(parseCurl),
      ctx.inGateway(curl(`${resolve(r.host, 80)} ${q(`http://${r.host}${r.path}`)}`)).then(parseCurl),
    ]);
    const same = viaSwag.code === 0 && direct.code === 0 && viaSwag.status === direct.status && viaSwag.body === direct.body;
    const ok = same && viaSwag.status >= 200 && viaSwag.status < 400;
    const standin = /^standin /.exec(viaSwag.body);
    // "standin <service...> ok <path>": one of the upstream host's compose services.
    const named = standin ? viaSwag.body.replace(/^standin /, '').replace(/ ok .*$/s, '').split(/\s+/) : [];
    const namesService = !standin || named.some((n) => r.services.includes(n));
    const redirect = [301, 302, 307, 308].includes(plain.status) && plain.redirect === url;
    const detail = viaSwag.code !== 0
      ? `via SWAG: ${viaSwag.err}`
      : !same
        ? `via SWAG ${viaSwag.status} '${viaSwag.body.slice(0, 60)}', upstream ${direct.code === 0 ? `${direct.status} '${direct.body.slice(0, 60)}'` : direct.err}`
        : `${viaSwag.status} '${viaSwag.body.slice(0, 60).trim()}'${redirect ? '' : `; http:// answered ${plain.status} ${plain.redirect || plain.err}`}`;
    results.push({ name: r.name, url, ok: ok && namesService, namesService, redirect, detail });
  }
  // A name nothing serves gets SWAG's default server: the answer every host without a route must get.
  const routed = new Set(site.routes.map((r) => r.upstream.address));
  const unrouted = hosts.filter((h) => h.name !== site.swagHost && !routed.has(h.address));
  const ask = (label: string) => ctx.inGateway(curl(`--cacert ${q(caFile)} ${resolve(`${label}.${site.domain}`, 443)} ${q(`https://${label}.${site.domain}/`)}`)).then(parseCurl);
  const nothing = await ask('twin-no-such-route');
  const leaking: string[] = [];
  for (const h of unrouted) {
    const a = await ask(h.name);
    if (a.code !== 0 || a.status !== nothing.status || a.body !== nothing.body) leaking.push(`${h.name}: ${a.status} '${a.body.slice(0, 60)}'`);
  }
  const report = {
    total: results.length,
    ok: results.filter((x) => x.ok).length,
    redirects: { total: results.length, ok: results.filter((x) => x.redirect).length },
    lanOnly: { total: unrouted.length, noRoute: unrouted.length - leaking.length, leaking },
    absent: site.routes.filter((r) => !present.has(r.upstream.address)).map((r) => r.name),
    results,
  };
  ctx.say(`  wiring: routes ${report.ok}/${report.total} answered by their upstream, redirects ${report.redirects.ok}/${report.total}, hosts without a route ${report.lanOnly.noRoute}/${report.lanOnly.total} unreachable through SWAG`);
  return report;
}

/** The enabled jails of SWAG's generated jail.local (files/<swag>/fail2ban/jail.local). */
export function enabledJails(ansibleDir: string, swagHost: string): string[] {
  const file = path.join(ansibleDir, hostFile(swagHost, 'fail2ban/jail.local'));
  if (!fs.existsSync(file)) return [];
  const jails: string[] = [];
  let section = '';
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    const h = /^\[([^\]]+)\]\s*$/.exec(line);
    if (h) section = h[1]!;
    else if (section && section !== 'DEFAULT' && /^enabled\s*=\s*true\s*$/i.test(line.trim())) jails.push(section);
  }
  return jails.sort();
}

export interface JailsReport {
  readonly expected: string[];
  readonly loaded: string[];
  readonly ok: boolean;
  readonly detail: string;
}

/** `fail2ban-client status` inside SWAG's container: every enabled jail of jail.local runs. */
export async function checkJails(site: ProxySite, container: string, expected: string[], ctx: WiringContext): Promise<JailsReport> {
  const r = await ctx.inHost(site.swagHost, `docker exec ${q(container)} fail2ban-client status`);
  const list = /Jail list:\s*(.*)$/m.exec(r.stdout)?.[1] ?? '';
  const loaded = list.split(',').map((j) => j.trim()).filter(Boolean).sort();
  const ok = r.code === 0 && expected.length > 0 && JSON.stringify(loaded) === JSON.stringify(expected);
  const detail = r.code !== 0 ? `fail2ban-client status: ${(r.stderr || r.stdout).trim().split('\n').pop()}` : `jails ${loaded.join(', ') || 'none'}`;
  ctx.say(`  wiring: fail2ban in SWAG: ${loaded.length}/${expected.length} jails running${ok ? '' : ` (${detail})`}`);
  return { expected, loaded, ok, detail };
}

export interface MetricsReport {
  readonly targets: { readonly total: number; readonly up: number; readonly down: string[] };
  readonly probes: { readonly total: number; readonly ok: number; readonly failed: string[] };
  /** Targets and probes labelled with a host this run did not create (--only, --hosts): not counted. */
  readonly absent: number;
  /** Seconds from the first query until everything was up (or the wait ended). */
  readonly seconds: number;
}

/** Prometheus' own view: /api/v1/targets and probe_success, until all are up or `waitSeconds` pass. */
export async function checkMetrics(
  prom: { host: string; address: string; port: number },
  hosts: readonly string[],
  waitSeconds: number,
  ctx: WiringContext,
): Promise<MetricsReport> {
  const present = new Set(hosts);
  const api = (p: string) => ctx.inHost(prom.host, `curl -fsS -m 10 ${q(`http://${prom.address}:${prom.port}${p}`)}`);
  const t0 = Date.now();
  let last: MetricsReport | undefined;
  for (;;) {
    const [targetsR, probesR] = await Promise.all([api('/api/v1/targets?state=active'), api('/api/v1/query?query=probe_success')]);
    if (targetsR.code === 0 && probesR.code === 0) {
      const all = (JSON.parse(targetsR.stdout).data?.activeTargets ?? []) as any[];
      // Every target the model generates carries its host label; one without is the lab's own too.
      const active = all.filter((t) => !t.labels?.host || present.has(t.labels.host));
      const isProbe = (t: any) => new URL(t.scrapeUrl).pathname === '/probe';
      const scrapes = active.filter((t) => !isProbe(t));
      const probes = active.filter(isProbe);
      const success = new Map<string, number>();
      for (const s of (JSON.parse(probesR.stdout).data?.result ?? []) as any[]) success.set(`${s.metric.job}|${s.metric.instance}`, Number(s.value?.[1]));
      const down = scrapes.filter((t) => t.health !== 'up').map((t) => `${t.labels.job} ${t.labels.instance}: ${t.health} ${t.lastError ?? ''}`.trim());
      const failed = probes
        .filter((t) => t.health !== 'up' || success.get(`${t.labels.job}|${t.labels.instance}`) !== 1)
        .map((t) => `${t.labels.job} ${t.labels.instance}: ${t.health !== 'up' ? `${t.health} ${t.lastError ?? ''}` : `probe_success ${success.get(`${t.labels.job}|${t.labels.instance}`) ?? 'missing'}`}`.trim());
      last = {
        targets: { total: scrapes.length, up: scrapes.length - down.length, down },
        probes: { total: probes.length, ok: probes.length - failed.length, failed },
        absent: all.length - active.length,
        seconds: Math.round((Date.now() - t0) / 1000),
      };
      if (down.length === 0 && failed.length === 0 && scrapes.length > 0) break;
    }
    if (Date.now() - t0 > waitSeconds * 1000) break;
    await new Promise((r) => setTimeout(r, 5000));
  }
  const report = last ?? { targets: { total: 0, up: 0, down: ['Prometheus API unreachable'] }, probes: { total: 0, ok: 0, failed: [] }, absent: 0, seconds: Math.round((Date.now() - t0) / 1000) };
  ctx.say(`  wiring: Prometheus targets ${report.targets.up}/${report.targets.total} up, probes ${report.probes.ok}/${report.probes.total} successful (${report.seconds} s)`);
  return report;
}

/** One record of the ntfy recorder (tools/twin/standin/real/ntfy). */
export interface NtfyRecord {
  readonly time: number;
  readonly topic: string | null;
  readonly status: number;
  readonly priority: number | null;
  readonly message: string;
}

export interface AlertReport {
  readonly host: string;
  readonly alertname: string;
  readonly expected: { readonly topic: string; readonly priority: number; readonly forSeconds: number };
  readonly delivered: boolean;
  readonly resolved: boolean;
  readonly secondsToDeliver: number | null;
  readonly secondsToResolve: number | null;
  readonly detail: string;
}

/** The recorded Alertmanager webhooks for an alert on a host: firing or resolved, with its record. */
export function alertNotifications(records: readonly NtfyRecord[], alertname: string, host: string): { status: string; record: NtfyRecord }[] {
  const out: { status: string; record: NtfyRecord }[] = [];
  for (const rec of records) {
    let body: any;
    try {
      body = JSON.parse(rec.message);
    } catch {
      continue;
    }
    for (const a of body?.alerts ?? []) {
      if (a?.labels?.alertname === alertname && a?.labels?.host === host) out.push({ status: String(a.status), record: rec });
    }
  }
  return out;
}

export interface AlertDrill {
  readonly host: string;
  readonly alertname: string;
  readonly expected: { topic: string; priority: number; forSeconds: number };
  readonly ntfy: { host: string; address: string; port: number };
  stop(): Promise<void>;
  start(): Promise<void>;
  /** The longest each wait may take. */
  readonly deliverWithinSeconds: number;
  readonly resolveWithinSeconds: number;
}

/** lxc-stop → the alert on its topic and priority → lxc-start → the resolution. */
export async function alertDrill(d: AlertDrill, ctx: WiringContext): Promise<AlertReport> {
  const records = async (): Promise<NtfyRecord[]> => {
    const r = await ctx.inHost(d.ntfy.host, `curl -fsS -m 10 ${q(`http://${d.ntfy.address}:${d.ntfy.port}/recorded`)}`);
    if (r.code !== 0) return [];
    return r.stdout.split('\n').filter((l) => l.trim()).flatMap((l) => {
      try {
        return [JSON.parse(l) as NtfyRecord];
      } catch {
        return [];
      }
    });
  };
  const before = new Set((await records()).map((r) => JSON.stringify(r)));
  const fresh = async () => (await records()).filter((r) => !before.has(JSON.stringify(r)));
  const wait = async (status: string, seconds: number) => {
    const end = Date.now() + seconds * 1000;
    for (;;) {
      const hit = alertNotifications(await fresh(), d.alertname, d.host).find((n) => n.status === status);
      if (hit || Date.now() > end) return hit;
      await new Promise((r) => setTimeout(r, 5000));
    }
  };
  ctx.say(`  wiring: lxc-stop ${d.host}: expecting ${d.alertname} (for ${d.expected.forSeconds} s) on ntfy topic ${d.expected.topic}, priority ${d.expected.priority}, within ${d.deliverWithinSeconds} s`);
  const t0 = Date.now();
  await d.stop();
  let firing: Awaited<ReturnType<typeof wait>>;
  try {
    firing = await wait('firing', d.deliverWithinSeconds);
  } finally {
    await d.start();
  }
  const t1 = Date.now();
  const secondsToDeliver = firing ? Math.round((firing.record.time * 1000 - t0) / 1000) : null;
  const rightPlace = !!firing && firing.record.topic === d.expected.topic && firing.record.priority === d.expected.priority && firing.record.status === 200;
  ctx.say(`  wiring: ${firing ? `delivered after ${secondsToDeliver} s on ${firing.record.topic} (priority ${firing.record.priority}, status ${firing.record.status})` : 'not delivered'}; lxc-start ${d.host}, waiting up to ${d.resolveWithinSeconds} s for the resolution`);
  const resolvedHit = firing ? await wait('resolved', d.resolveWithinSeconds) : undefined;
  const secondsToResolve = resolvedHit ? Math.round((resolvedHit.record.time * 1000 - t1) / 1000) : null;
  const detail = !firing
    ? `no firing ${d.alertname} for ${d.host} reached the recorder within ${d.deliverWithinSeconds} s`
    : !rightPlace
      ? `delivered to topic ${firing.record.topic} priority ${firing.record.priority} status ${firing.record.status}; expected ${d.expected.topic} priority ${d.expected.priority} status 200`
      : resolvedHit
        ? `delivered after ${secondsToDeliver} s, resolved ${secondsToResolve} s after the restart`
        : `delivered after ${secondsToDeliver} s; no resolution within ${d.resolveWithinSeconds} s of the restart`;
  return {
    host: d.host,
    alertname: d.alertname,
    expected: d.expected,
    delivered: rightPlace,
    resolved: !!resolvedHit && resolvedHit.record.topic === d.expected.topic,
    secondsToDeliver,
    secondsToResolve,
    detail,
  };
}
