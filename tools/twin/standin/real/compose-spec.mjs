#!/usr/bin/env node
// What `docker compose up` and the roles would do with each real image of the twin, as bash
// assignments for `assets.sh verify --only real` (which then does it by hand in a sandbox).
//
//   node tools/twin/standin/real/compose-spec.mjs <ansible-dir> <real-list.tsv>
//   node tools/twin/standin/real/compose-spec.mjs --render <file.j2> <vars.json>
//
// For every real image (a line of images-real/real-list.tsv) the first compose service of
// <ansible-dir>/files/*/compose.yml whose image is of that repository gives, under REAL_<name>_*:
//   HOST, ADDR      the inventory host (files/<host>/) and its address
//   SERVICE, REF    the compose service and its exact image reference
//   ARGV            ENTRYPOINT + (compose `command:` or the image's CMD), as Docker runs them
//   USER, WORKDIR   compose `user:` or the image's USER; the image's WORKDIR
//   ENV             the image's ENV, then compose `environment:` (compose wins)
//   VOLUMES         'source|target|ro' with the source relative to the compose project
//   HEALTH          the compose healthcheck as one shell command ('' without)
//   DIRS, FILES     the project's directories ('path|owner|group|mode', compose_project_directories
//                   then monitoring_config_dirs) and the monitoring_config files
//                   ('src|dest|owner|group|mode'), from the host's host_vars, as the roles lay them out
//   SWAG_*          for a host of the swag role: its proxy and site confs, the DNS credential's file
//                   and key, the config directory (relative to the project)
// and REAL_NAMES lists the images a service was found for.
//
// --render prints a vault template the roles render (alertmanager.yml.j2, server.yml.j2) with test
// values: the expressions they use only (variables, string literals, `~`, list literals, `| to_json`);
// anything else is an error, so a template that needs more fails loudly here.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const yaml = require('js-yaml');
if (process.argv[2] === '--render') {
  const [file, varsFile] = process.argv.slice(3);
  const vars = JSON.parse(readFileSync(varsFile, 'utf8'));
  process.stdout.write(render(readFileSync(file, 'utf8'), vars, file));
  process.exit(0);
}

function render(text, vars, file) {
  return text.replace(/\{\{(.*?)\}\}/g, (_, expr) => {
    const [value, ...filters] = expr.split('|').map((x) => x.trim());
    let v = evaluate(value, vars, file);
    for (const f of filters) {
      if (f !== 'to_json') throw new Error(`${file}: filter ${f} is not supported by the twin's renderer`);
      v = JSON.stringify(v);
    }
    return typeof v === 'string' ? v : JSON.stringify(v);
  });
}
function evaluate(expr, vars, file) {
  const e = expr.trim();
  if (/^\[.*\]$/.test(e)) return e.slice(1, -1).split(',').filter((x) => x.trim()).map((x) => evaluate(x, vars, file));
  if (e.includes('~')) return e.split('~').map((x) => String(evaluate(x, vars, file))).join('');
  const lit = /^'([^']*)'$|^"([^"]*)"$/.exec(e);
  if (lit) return lit[1] ?? lit[2];
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(e)) {
    if (!(e in vars)) throw new Error(`${file}: no test value for ${e}`);
    return vars[e];
  }
  throw new Error(`${file}: expression {{ ${e} }} is not supported by the twin's renderer`);
}

const [root, listFile] = process.argv.slice(2);
if (!root || !listFile || !existsSync(join(root, 'files'))) {
  console.error('usage: compose-spec.mjs <ansible-dir> <real-list.tsv>');
  process.exit(2);
}
const load = (f) => yaml.load(readFileSync(f, 'utf8'));
const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
const arr = (a) => `(${a.map(q).join(' ')})`;
const dash = (s) => (s === '-' ? '' : s);
const repoOf = (ref) => {
  const noDigest = ref.replace(/@sha256:[a-f0-9]{64}$/, '');
  const tag = noDigest.slice(noDigest.lastIndexOf(':') + 1);
  return noDigest.includes(':') && !tag.includes('/') ? noDigest.slice(0, noDigest.lastIndexOf(':')) : noDigest;
};
// Compose's string form of command: split like a POSIX shell would (quotes, no expansion).
const split = (s) => [...String(s).matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

const images = readFileSync(listFile, 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => {
    const [repository, tar, user, workdir, entrypoint, cmd, , , env] = l.split('\t');
    return { name: tar.replace(/\.tar$/, ''), repository, user: dash(user), workdir: dash(workdir), entrypoint: JSON.parse(entrypoint), cmd: JSON.parse(cmd), env: dash(env).split(' ').filter(Boolean) };
  });

const hosts = readdirSync(join(root, 'files')).filter((h) => existsSync(join(root, 'files', h, 'compose.yml'))).sort();
const out = [];
const found = [];
for (const img of images) {
  let hit;
  for (const host of hosts) {
    const services = load(join(root, 'files', host, 'compose.yml'))?.services ?? {};
    for (const [service, svc] of Object.entries(services)) {
      if (!hit && typeof svc?.image === 'string' && repoOf(svc.image) === img.repository) hit = { host, service, svc };
    }
  }
  if (!hit) continue;
  const { host, service, svc } = hit;
  const hvFile = join(root, 'inventory', 'host_vars', `${host}.yml`);
  const hv = existsSync(hvFile) ? load(hvFile) ?? {} : {};
  const command = svc.command === undefined ? img.cmd : Array.isArray(svc.command) ? svc.command.map(String) : split(svc.command);
  const entrypoint = svc.entrypoint === undefined ? img.entrypoint : Array.isArray(svc.entrypoint) ? svc.entrypoint.map(String) : split(svc.entrypoint);
  const environment = Array.isArray(svc.environment)
    ? svc.environment.map(String)
    : Object.entries(svc.environment ?? {}).map(([k, v]) => `${k}=${v ?? ''}`);
  const volumes = (svc.volumes ?? []).map((v) => {
    if (typeof v === 'object') return `${v.source}|${v.target}|${v.read_only ? 'ro' : 'rw'}`;
    const [source, target, mode = 'rw'] = String(v).split(':');
    return `${source.replace(/^\.\//, '')}|${target}|${mode.split(',').includes('ro') ? 'ro' : 'rw'}`;
  });
  const test = svc.healthcheck?.test;
  let health = '';
  if (Array.isArray(test) && test[0] === 'CMD-SHELL') health = test.slice(1).join(' ');
  else if (Array.isArray(test) && test[0] === 'CMD') health = test.slice(1).map(q).join(' ');
  else if (typeof test === 'string') health = test;
  const dirs = [...(hv.compose_project_directories ?? []), ...(hv.monitoring_config_dirs ?? [])].map((d) => `${d.path}|${d.owner}|${d.group}|${d.mode}`);
  const files = (hv.monitoring_config_files ?? []).map((f) => `${f.src}|${f.dest}|${f.owner}|${f.group}|${f.mode}`);
  const p = `REAL_${img.name}_`;
  if (Array.isArray(hv.swag_proxy_confs)) {
    const rel = (d) => String(d).replace(`${hv.compose_project_dir}/`, '');
    out.push(
      `${p}SWAG_PROXY_CONFS=${arr(hv.swag_proxy_confs)}`,
      `${p}SWAG_SITE_CONFS=${arr(hv.swag_site_confs ?? [])}`,
      `${p}SWAG_CONFIG=${q(rel(hv.swag_config_dir ?? 'config'))}`,
      `${p}SWAG_DNS_FILE=${q(`dns-conf/${hv.swag_dns_plugin ?? 'cloudflare'}.ini`)}`,
      `${p}SWAG_DNS_KEY=${q(hv.swag_dns_credential_key ?? '')}`,
    );
  }
  out.push(
    `${p}HOST=${q(host)}`,
    `${p}ADDR=${q(hv.ansible_host ?? '')}`,
    `${p}SERVICE=${q(service)}`,
    `${p}REF=${q(svc.image)}`,
    `${p}ARGV=${arr([...entrypoint, ...command])}`,
    `${p}USER=${q(svc.user ?? img.user)}`,
    `${p}WORKDIR=${q(svc.working_dir ?? img.workdir)}`,
    `${p}ENV=${arr([...img.env, ...environment])}`,
    `${p}VOLUMES=${arr(volumes)}`,
    `${p}HEALTH=${q(health)}`,
    `${p}DIRS=${arr(dirs)}`,
    `${p}FILES=${arr(files)}`,
  );
  found.push(img.name);
}
out.push(`REAL_NAMES=${arr(found)}`);
console.log(out.join('\n'));
