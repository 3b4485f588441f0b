#!/usr/bin/env node
// Lists the apt packages the generated Ansible project installs, for the twin's local apt repository.
//
//   node tools/twin/standin/role-packages.mjs <ansible-dir>
//
// Read at build time instead of kept as a list: a role that gains a package must make the twin's repo
// gain it too, or the twin would fail for a reason the real lab does not have. Every apt task of every
// role and playbook is found; its `name:` is resolved against the variables the project defines
// (role defaults, group_vars, host_vars, play vars). Anything this cannot resolve stops the build with
// the task named, so nothing is silently left out.
//
// Output, one line per apt task (tab-separated):
//   set <label> <recommends: yes|no> <package> <package>...   packages from Debian
//   pin <label> <package> <version glob>                       name=version* (a stand-in must match)
//   skip <label> <reason>                                      not reachable with this inventory
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let yaml;
try {
  yaml = require('js-yaml');
} catch {
  console.error('role-packages: js-yaml is missing; run `npm ci` in the repository first');
  process.exit(2);
}

const root = process.argv[2];
if (!root || !existsSync(join(root, 'roles'))) {
  console.error('usage: role-packages.mjs <ansible-dir>  (the directory holding roles/)');
  process.exit(2);
}

const load = (file) => yaml.load(readFileSync(file, 'utf8'));
const walk = (dir) =>
  !existsSync(dir)
    ? []
    : readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : /\.ya?ml$/.test(n) ? [p] : [];
      });

// Every value each variable takes anywhere: a package list may be overridden per host.
const vars = new Map();
const addVars = (obj) => {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return;
  for (const [k, v] of Object.entries(obj)) {
    if (!vars.has(k)) vars.set(k, []);
    vars.get(k).push(v);
  }
};
const roles = readdirSync(join(root, 'roles')).sort();
for (const r of roles) {
  for (const f of walk(join(root, 'roles', r, 'defaults'))) addVars(load(f));
  for (const f of walk(join(root, 'roles', r, 'vars'))) addVars(load(f));
}
for (const f of walk(join(root, 'inventory', 'group_vars'))) addVars(load(f));
for (const f of walk(join(root, 'inventory', 'host_vars'))) addVars(load(f));
const playbooks = readdirSync(root).filter((n) => /\.ya?ml$/.test(n)).sort();
const plays = [];
for (const f of playbooks) {
  const doc = load(join(root, f));
  if (!Array.isArray(doc)) continue;
  for (const play of doc) {
    if (play && typeof play === 'object') {
      addVars(play.vars);
      plays.push({ file: f, play });
    }
  }
}

const APT = ['ansible.builtin.apt', 'ansible.legacy.apt', 'apt'];
const isStr = (v) => typeof v === 'string';
const strList = (v) => Array.isArray(v) && v.every(isStr);
const ident = /^[A-Za-z_][A-Za-z0-9_]*$/;
const errors = [];
const out = [];

// `when:` clauses of the simple forms `x == 'v'` / `x != 'v'`: false when no value x takes anywhere
// satisfies it (e.g. docker_source == 'docker' while every host uses 'debian'). Others count as true.
function reachable(when) {
  const clauses = when === undefined ? [] : Array.isArray(when) ? when : [when];
  for (const c of clauses) {
    if (!isStr(c)) continue;
    const m = c.trim().match(/^([A-Za-z_][A-Za-z0-9_]*)\s*(==|!=)\s*['"]([^'"]*)['"]$/);
    if (!m || !vars.has(m[1])) continue;
    const values = vars.get(m[1]).filter(isStr);
    if (values.length === 0 || values.some((v) => v.includes('{{'))) continue;
    const ok = values.some((v) => (m[2] === '==' ? v === m[3] : v !== m[3]));
    if (!ok) return `when: ${c} (${m[1]} is ${[...new Set(values)].join('/')} in this project)`;
  }
  return null;
}

// Resolves one `name:` item to package strings.
function resolve(item, label) {
  if (!isStr(item)) {
    errors.push(`${label}: package name is not a string: ${JSON.stringify(item)}`);
    return [];
  }
  if (!item.includes('{{')) return [item];
  const whole = item.match(/^\s*\{\{(.*)\}\}\s*$/s);
  if (whole && !whole[1].includes('}}')) {
    const expr = whole[1].trim();
    if (ident.test(expr)) {
      const values = vars.get(expr);
      if (!values) {
        errors.push(`${label}: variable ${expr} is not defined anywhere`);
        return [];
      }
      return values.flatMap((v) => (strList(v) ? v : isStr(v) ? resolve(v, label) : bad(label, expr, v)));
    }
    // An expression such as `a + (b if cond else [])`: the union of the list variables it names.
    const names = (expr.replace(/'[^']*'|"[^"]*"/g, ' ').match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).filter(
      (n) => vars.has(n) && vars.get(n).some(strList),
    );
    if (names.length > 0) return [...new Set(names.flatMap((n) => vars.get(n).filter(strList).flat()))];
  }
  // A string template. `D[K]` with D a mapping: one package per key of D (K ranges over D's keys and
  // the values K takes), e.g. `{{ kind }}={{ versions[kind] }}*` -> alloy=1.18.1*, promtail=3.6.7*.
  const index = [...item.matchAll(/\{\{\s*([A-Za-z_]\w*)\s*\[\s*([A-Za-z_]\w*)\s*\]\s*\}\}/g)];
  let bindings = [{}];
  for (const [, d, k] of index) {
    const maps = (vars.get(d) ?? []).filter((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (maps.length === 0) {
      errors.push(`${label}: ${d} is not a mapping`);
      return [];
    }
    const keys = new Set(maps.flatMap((m) => Object.keys(m)));
    for (const v of vars.get(k) ?? []) if (isStr(v) && keys.has(v)) keys.add(v);
    bindings = bindings.flatMap((b) => [...keys].map((key) => ({ ...b, [k]: key, [`${d}[${k}]`]: maps.find((m) => key in m)[key] })));
  }
  const results = [];
  for (const b of bindings) {
    let failed = false;
    const s = item.replace(/\{\{\s*(.*?)\s*\}\}/g, (all, e) => {
      const key = e.replace(/\s+/g, '');
      if (key in b) return String(b[key]);
      const values = (vars.get(key) ?? []).filter(isStr);
      if (ident.test(key) && values.length === 1) return values[0];
      failed = true;
      return all;
    });
    if (failed) {
      errors.push(`${label}: cannot resolve ${JSON.stringify(item)}; teach role-packages.mjs this form`);
      return [];
    }
    results.push(s);
  }
  return [...new Set(results)];
}
function bad(label, name, v) {
  errors.push(`${label}: ${name} is neither a list of names nor a name: ${JSON.stringify(v)}`);
  return [];
}

function visit(tasks, where, inheritedWhen) {
  if (!Array.isArray(tasks)) return;
  for (const t of tasks) {
    if (!t || typeof t !== 'object') continue;
    const when = [...inheritedWhen, ...(t.when === undefined ? [] : [].concat(t.when))];
    for (const k of ['block', 'rescue', 'always']) if (t[k]) visit(t[k], where, when);
    const mod = APT.find((m) => m in t);
    if (!mod) continue;
    const args = t[mod] ?? {};
    const label = `${where}: ${t.name ?? '(unnamed)'}`;
    if (typeof args !== 'object') {
      errors.push(`${label}: free-form apt arguments are not supported`);
      continue;
    }
    if (args.deb) {
      errors.push(`${label}: installs a .deb file (deb:), which the twin cannot serve`);
      continue;
    }
    if (args.name === undefined && args.pkg === undefined) continue; // update_cache / upgrade only
    if (['absent', 'build-dep'].includes(args.state)) continue;
    const why = reachable(when);
    if (why) {
      out.push(['skip', label, why]);
      continue;
    }
    const raw = args.name ?? args.pkg;
    const names = (Array.isArray(raw) ? raw : [raw]).flatMap((i) => resolve(i, label));
    const recommends = args.install_recommends === false || args.install_recommends === 'false' ? 'no' : 'yes';
    const plain = [];
    for (const n of names) {
      const pin = n.match(/^([a-z0-9][a-z0-9+.-]+)=(.+)$/);
      if (pin) out.push(['pin', label, pin[1], pin[2]]);
      else if (/^[a-z0-9][a-z0-9+.-]+$/.test(n)) plain.push(n);
      else errors.push(`${label}: ${JSON.stringify(n)} is not a package name`);
    }
    if (plain.length > 0) out.push(['set', label, recommends, ...plain]);
  }
}

for (const r of roles) {
  for (const f of walk(join(root, 'roles', r, 'tasks'))) visit(load(f), relative(root, f), []);
  for (const f of walk(join(root, 'roles', r, 'handlers'))) visit(load(f), relative(root, f), []);
}
for (const { file, play } of plays) {
  for (const k of ['pre_tasks', 'tasks', 'post_tasks', 'handlers']) visit(play[k], `${file}: ${play.name ?? ''}`, []);
}

if (errors.length > 0) {
  for (const e of errors) console.error(`role-packages: ${e}`);
  process.exit(1);
}
for (const line of out) console.log(line.join('\t'));
