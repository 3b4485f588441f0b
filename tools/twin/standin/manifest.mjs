#!/usr/bin/env node
// Describes the stand-in Docker images the twin imports in place of the real ones (no registry there).
//
//   node tools/twin/standin/manifest.mjs <ansible-dir> <out-dir>
//
// Writes <out-dir>/manifest.json and <out-dir>/import-list.tsv. One entry per exact image reference in
// files/*/compose.yml, with what its stand-in must answer so that the lab's own checks see a working
// service: TCP ports (container side of `ports:` and `expose:`, ports of healthcheck URLs and commands,
// *PORT environment variables, `scheme://<service>:<port>` URLs other services of the project use,
// scrape and probe targets in prometheus.yml), UDP ports, HTTP paths that must answer 200
// (healthcheck and blackbox probe paths) and metrics paths (scrape jobs' metrics_path) that must
// answer the Prometheus text format. manifest.json also lists the services using each reference and
// their compose healthchecks (assets.sh verify runs them against the stand-in).
//
// healthchecks.tsv lists the compose healthchecks as shell commands (see the end of this file).
// import-list.tsv is for import.sh, a POSIX script that runs where there is no node and no jq:
//   ref <TAB> service <TAB> tcp <TAB> udp <TAB> paths <TAB> metrics <TAB> kind
// (lists space-separated, '-' for an empty field).
import { readFileSync, readdirSync, statSync, existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, basename, dirname } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let yaml;
try {
  yaml = require('js-yaml');
} catch {
  console.error('manifest: js-yaml is missing; run `npm ci` in the repository first');
  process.exit(2);
}

const [root, outDir] = process.argv.slice(2);
if (!root || !outDir || !existsSync(join(root, 'files'))) {
  console.error('usage: manifest.mjs <ansible-dir> <out-dir>');
  process.exit(2);
}
const load = (f) => yaml.load(readFileSync(f, 'utf8'));
const findFiles = (dir, name) =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? findFiles(p, name) : n === name ? [p] : [];
  });
const errors = [];

// Inventory: address -> host name (files/<host>/ belongs to the inventory host of that name).
const hostByIp = new Map();
const hvDir = join(root, 'inventory', 'host_vars');
if (existsSync(hvDir)) {
  for (const n of readdirSync(hvDir)) {
    const hv = load(join(hvDir, n));
    if (hv && typeof hv.ansible_host === 'string') hostByIp.set(hv.ansible_host, n.replace(/\.ya?ml$/, ''));
  }
}

/** One compose service: what its stand-in must do. */
class Need {
  constructor(host, name, svc) {
    Object.assign(this, { host, name, svc, tcp: new Set(), udp: new Set(), paths: new Set(), metrics: new Set() });
  }
}
const needs = [];
const byHost = new Map(); // host -> Need[]
const LOCAL = /^(localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|::1)$/;

function portSpec(spec) {
  // '8080', '8080:80', '127.0.0.1:8080:80', '6881:6881/udp', '8000-8002:8000-8002', or the long form.
  if (spec && typeof spec === 'object') {
    return expand(String(spec.target), String(spec.published ?? spec.target), spec.protocol ?? 'tcp');
  }
  const m = String(spec).match(/^(?:(.*):)?([0-9-]+)(?:\/(tcp|udp))?$/);
  if (!m) return errors.push(`unsupported port mapping ${JSON.stringify(spec)}`), [];
  const hostPart = (m[1] ?? '').split(':').pop() || m[2];
  return expand(m[2], hostPart, m[3] ?? 'tcp');
}
function expand(container, published, proto) {
  const [a, b = a] = container.split('-').map(Number);
  const [p] = published.split('-').map(Number);
  const out = [];
  for (let i = a; i <= b && i - a < 64; i++) out.push({ port: i, published: (p || a) + (i - a), proto });
  return out;
}
const envOf = (svc) =>
  Array.isArray(svc.environment)
    ? Object.fromEntries(svc.environment.map((e) => String(e).split(/=(.*)/s).slice(0, 2)))
    : { ...(svc.environment ?? {}) };

function fromCommand(need, words) {
  const text = words.join(' ');
  for (const m of text.matchAll(/https?:\/\/([^/:\s]+)(?::(\d+))?(\/[^\s'"|;&)]*)?/g)) {
    if (!LOCAL.test(m[1])) continue;
    need.tcp.add(Number(m[2] ?? (m[0].startsWith('https') ? 443 : 80)));
    need.paths.add(m[3] || '/');
  }
  const flag = (names, dflt) => {
    for (let i = 0; i < words.length; i++) {
      for (const n of names) {
        if (words[i] === n && words[i + 1]) return Number(words[i + 1]);
        if (words[i].startsWith(`${n}=`)) return Number(words[i].slice(n.length + 1));
      }
    }
    return dflt;
  };
  const tokens = words.flatMap((w) => w.split(/\s+/));
  if (tokens.some((w) => basename(w) === 'pg_isready')) need.tcp.add(flag(['-p', '--port'], 5432));
  if (tokens.some((w) => ['valkey-cli', 'redis-cli'].includes(basename(w)))) need.tcp.add(flag(['-p'], 6379));
}

for (const file of findFiles(join(root, 'files'), 'compose.yml').sort()) {
  const host = basename(dirname(file));
  const doc = load(file) ?? {};
  const list = [];
  for (const [name, svc] of Object.entries(doc.services ?? {})) {
    if (!svc || typeof svc.image !== 'string') {
      errors.push(`${file}: service ${name} has no image`);
      continue;
    }
    const need = new Need(host, name, svc);
    need.ports = [];
    for (const p of svc.ports ?? []) {
      for (const e of portSpec(p)) {
        (e.proto === 'udp' ? need.udp : need.tcp).add(e.port);
        need.ports.push(e);
      }
    }
    for (const p of svc.expose ?? []) for (const e of portSpec(p)) (e.proto === 'udp' ? need.udp : need.tcp).add(e.port);
    const test = svc.healthcheck?.test;
    if (Array.isArray(test)) fromCommand(need, test[0] === 'CMD' || test[0] === 'CMD-SHELL' ? test.slice(1).map(String) : test.map(String));
    else if (typeof test === 'string') fromCommand(need, [test]);
    for (const [k, v] of Object.entries(envOf(svc))) {
      if (/(^|_)PORT$/.test(k) && /^\d+$/.test(String(v))) need.tcp.add(Number(v));
    }
    list.push(need);
  }
  // URLs one service uses to reach another of the same project: the other one must listen there.
  const byName = new Map();
  for (const n of list) {
    byName.set(n.name, n);
    if (n.svc.container_name) byName.set(n.svc.container_name, n);
  }
  for (const n of list) {
    for (const v of Object.values(envOf(n.svc))) {
      for (const m of String(v).matchAll(/([a-z][a-z0-9+.-]*):\/\/([A-Za-z0-9_.-]+):(\d+)(\/[^\s'"]*)?/g)) {
        const target = byName.get(m[2]);
        if (!target || target === n) continue;
        target.tcp.add(Number(m[3]));
        if (/^https?$/.test(m[1]) && m[4]) target.paths.add(m[4]);
      }
    }
  }
  // nginx confs the host's SWAG includes (files/<host>/nginx/*.conf, e.g. authelia-server.conf)
  // reach a service of the same project by name: `set $upstream_x <name>;` then
  // `proxy_pass http://$upstream_x:<port>/<path>`. That service must listen and answer the path
  // (the stand-in answers 200: a signed-in browser, so routes behind Authelia reach their upstream).
  const nginxDir = join(dirname(file), 'nginx');
  if (existsSync(nginxDir)) {
    for (const f of readdirSync(nginxDir).filter((n) => n.endsWith('.conf')).sort()) {
      const text = readFileSync(join(nginxDir, f), 'utf8');
      const vars = new Map([...text.matchAll(/^\s*set \$(\w+) ([A-Za-z0-9_.-]+);/gm)].map((m) => [m[1], m[2]]));
      for (const m of text.matchAll(/proxy_pass (https?):\/\/\$(\w+):(\d+)(\/[^\s;]*)?;/g)) {
        const target = byName.get(vars.get(m[2]));
        if (!target) continue;
        target.tcp.add(Number(m[3]));
        if (m[4]) target.paths.add(m[4]);
      }
    }
  }
  needs.push(...list);
  byHost.set(host, list);
}

// Scrape jobs and blackbox probes: find the service behind host:port of the lab's address plan.
function serviceAt(address, job) {
  const m = String(address).match(/^([0-9.]+):(\d+)$/);
  if (!m) return null;
  const host = hostByIp.get(m[1]);
  const list = host && byHost.get(host);
  if (!list) return null; // not a Docker host: a native service (node_exporter, Cockpit...)
  const port = Number(m[2]);
  for (const n of list) {
    const e = n.ports.find((x) => x.published === port && x.proto === 'tcp');
    if (e) return { need: n, port: e.port };
  }
  // A host-network service publishes nothing: claim the port only for a job named after it, so
  // node_exporter's :9100 on the same LXC is not taken for the WireGuard exporter's.
  const named = (n) => job && (n.name.includes(job) || job.includes(n.name) || host === job);
  const hostNets = list.filter((n) => n.svc.network_mode === 'host');
  const hostNet = hostNets.find(named);
  if (hostNet) return { need: hostNet, port };
  // A probe (no job) of a host whose host-network services all run one image (RustDesk's hbbs and
  // hbbr): that image listens there, whichever of its services it is.
  if (!job && hostNets.length > 0 && hostNets.length === list.length && new Set(hostNets.map((n) => n.svc.image)).size === 1) {
    return { need: hostNets[0], port };
  }
  return null;
}
const promFiles = findFiles(join(root, 'files'), 'prometheus.yml');
for (const file of promFiles) {
  const doc = load(file) ?? {};
  for (const job of doc.scrape_configs ?? []) {
    const metricsPath = job.metrics_path ?? '/metrics';
    const rewrite = (job.relabel_configs ?? []).find((r) => r.target_label === '__address__' && r.replacement);
    const targets = (job.static_configs ?? []).flatMap((s) => s.targets ?? []);
    if (rewrite) {
      // Every target is handed to the exporter at the rewritten address (blackbox, pve-exporter).
      const at = serviceAt(rewrite.replacement, job.job_name);
      if (at) {
        at.need.tcp.add(at.port);
        at.need.metrics.add(metricsPath);
      }
      for (const t of targets) {
        const u = String(t).match(/^http:\/\/([0-9.]+:\d+)(\/[^?#]*)?/);
        const probed = u ? serviceAt(u[1]) : serviceAt(t);
        if (!probed) continue;
        probed.need.tcp.add(probed.port);
        if (u) probed.need.paths.add(u[2] || '/');
      }
    } else {
      for (const t of targets) {
        const at = serviceAt(t, job.job_name);
        if (!at) continue;
        at.need.tcp.add(at.port);
        at.need.metrics.add(metricsPath);
      }
    }
  }
}

// Aggregate per exact image reference: one stand-in image serves every service that uses it.
const images = new Map();
for (const n of needs) {
  // The twin synthesizes with pinImageDigests: false (tools/twin/synth-lab.ts): a stand-in can never
  // carry upstream's manifest digest, and `docker import` refuses a digest reference. The committed
  // output this reads may pin digests, so the stand-in gets the tag reference the twin's compose uses.
  const ref = n.svc.image.replace(/^([^@]+:[^@/]+)@sha256:[a-f0-9]{64}$/, '$1');
  if (!images.has(ref)) images.set(ref, { ref, names: new Set(), services: [], healthchecks: [], tcp: new Set(), udp: new Set(), paths: new Set(['/']), metrics: new Set(['/metrics']) });
  const img = images.get(ref);
  img.names.add(n.name);
  img.services.push(`${n.host}/${n.name}`);
  const hc = n.svc.healthcheck;
  if (hc && !hc.disable && hc.test && !(Array.isArray(hc.test) && hc.test[0] === 'NONE')) {
    img.healthchecks.push({ service: `${n.host}/${n.name}`, user: n.svc.user ?? null, test: hc.test });
  }
  for (const k of ['tcp', 'udp', 'paths', 'metrics']) for (const v of n[k]) img[k].add(v);
}
const safe = /^[A-Za-z0-9/_.,:@+-]+$/;
const entries = [...images.values()]
  .sort((a, b) => a.ref.localeCompare(b.ref))
  .map((img) => {
    const metrics = [...img.metrics].sort();
    const paths = [...img.paths].filter((p) => !img.metrics.has(p)).sort();
    const env = {
      STANDIN_SERVICE: [...img.names].sort().join(','),
      STANDIN_IMAGE: img.ref,
      STANDIN_TCP: [...img.tcp].sort((a, b) => a - b).join(' '),
      STANDIN_UDP: [...img.udp].sort((a, b) => a - b).join(' '),
      STANDIN_PATHS: paths.join(' '),
      STANDIN_METRICS: metrics.join(' '),
      STANDIN_KIND: /(^|\/)linuxserver\/swag(:|$)/.test(img.ref) ? 'swag' : '',
    };
    for (const [k, v] of Object.entries(env)) {
      for (const w of v.split(' ').filter(Boolean)) if (!safe.test(w)) errors.push(`${img.ref}: ${k} value ${JSON.stringify(w)} is not safe to pass to docker import`);
    }
    return { ref: img.ref, env, services: img.services.sort(), healthchecks: img.healthchecks };
  });

if (errors.length > 0) {
  for (const e of errors) console.error(`manifest: ${e}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'manifest.json'), `${JSON.stringify(entries, null, 2)}\n`);
const dash = (s) => (s === '' ? '-' : s);
writeFileSync(
  join(outDir, 'import-list.tsv'),
  entries
    .map((e) => [e.ref, e.env.STANDIN_SERVICE, e.env.STANDIN_TCP, e.env.STANDIN_UDP, e.env.STANDIN_PATHS, e.env.STANDIN_METRICS, e.env.STANDIN_KIND].map(dash).join('\t'))
    .join('\n') + '\n',
);
// Compose healthchecks as shell commands (CMD argv quoted), for assets.sh verify:
//   ref <TAB> host/service <TAB> user or '-' <TAB> command
const sq = (a) => (/^[A-Za-z0-9_/.:=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
const checks = entries.flatMap((e) =>
  e.healthchecks.map((h) => {
    const t = Array.isArray(h.test) ? h.test.map(String) : ['CMD-SHELL', String(h.test)];
    const cmd = t[0] === 'CMD-SHELL' ? t.slice(1).join(' ') : t.slice(1).map(sq).join(' ');
    return [e.ref, h.service, h.user ?? '-', cmd.replace(/[\t\n]/g, ' ')].join('\t');
  }),
);
writeFileSync(join(outDir, 'healthchecks.tsv'), checks.length ? `${checks.join('\n')}\n` : '');
console.log(`manifest: ${entries.length} images from ${needs.length} compose services, ${promFiles.length} prometheus.yml`);
