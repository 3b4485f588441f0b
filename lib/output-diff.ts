import { isDeepStrictEqual } from 'node:util';
import * as yaml from 'js-yaml';
import { GENERATED_LIST } from './output';
import { hostFolder } from './ansible/project';

/**
 * What changes between two synthesized output trees (path → content): files, Terraform resources by
 * address, and Ansible changes per host. `homelab-cdk synth` prints the file summary, `homelab-cdk
 * diff` all three. Pure functions over file maps: the caller decides where the trees come from.
 */

export interface FileChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

/** Files added, changed and removed from `before` to `after` (the .generated-files list left out). */
export function diffFiles(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): FileChanges {
  const added: string[] = [];
  const changed: string[] = [];
  const removed: string[] = [];
  for (const [path, content] of after) {
    if (path === GENERATED_LIST) continue;
    const old = before.get(path);
    if (old === undefined) added.push(path);
    else if (old !== content) changed.push(path);
  }
  for (const path of before.keys()) if (path !== GENERATED_LIST && !after.has(path)) removed.push(path);
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort() };
}

/** Only the files synth generated: the previous output without the operator's own files (vault.yml, .terraform/ ...). */
export function generatedOnly(tree: ReadonlyMap<string, string>): Map<string, string> {
  const list = tree.get(GENERATED_LIST);
  if (list === undefined) return new Map(tree);
  const generated = new Set(list.split('\n').filter(Boolean));
  return new Map([...tree].filter(([p]) => generated.has(p)));
}

// ---------------------------------------------------------------------------------------------
// Terraform

export type ResourceChangeKind = 'add' | 'remove' | 'change' | 'replace';

export interface ResourceChange {
  readonly stack: string;
  /** `type.name`, as Terraform addresses it. */
  readonly address: string;
  readonly kind: ResourceChangeKind;
  /** The construct path (from cdktf's metadata), e.g. `homelab/media/sonarr`. */
  readonly constructPath: string;
  /** Synth marked it stateful (a backed-up container) or it carries lifecycle.prevent_destroy. */
  readonly stateful: boolean;
  /** Top-level attributes that differ (change/replace). */
  readonly attributes: readonly string[];
  /** Attribute paths that force a replacement (replace only). */
  readonly forcedBy: readonly string[];
}

type ResourceBody = Record<string, unknown> & {
  '//'?: { homelab?: { stateful?: boolean }; metadata?: { path?: string } };
  lifecycle?: { prevent_destroy?: boolean };
};

function resourcesOf(doc: string | undefined): Map<string, { type: string; body: ResourceBody }> {
  const out = new Map<string, { type: string; body: ResourceBody }>();
  if (doc === undefined) return out;
  const parsed = JSON.parse(doc) as { resource?: Record<string, Record<string, ResourceBody>> };
  for (const [type, byName] of Object.entries(parsed.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, { type, body });
  }
  return out;
}

/** A block as Terraform's list: cdk.tf.json writes a single nested block as an object. */
const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Paths (dot syntax of the stand-in's replace rules: `*` every element, final `#` block count) that differ. */
function forcedPaths(rule: string[], before: unknown, after: unknown, prefix: string[], found: string[]): void {
  const [head, ...rest] = rule;
  if (head === undefined) {
    if (!isDeepStrictEqual(before ?? null, after ?? null)) found.push(prefix.join('.'));
    return;
  }
  if (head === '#') {
    if (asList(before).length !== asList(after).length) found.push(`${prefix.join('.')} (count)`);
    return;
  }
  if (head === '*') {
    const b = asList(before);
    const a = asList(after);
    for (let i = 0; i < Math.min(a.length, b.length); i++) forcedPaths(rest, b[i], a[i], [...prefix.slice(0, -1), `${prefix[prefix.length - 1]}[${i}]`], found);
    return;
  }
  const pick = (v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>)[head] : undefined);
  forcedPaths(rest, pick(before), pick(after), [...prefix, head], found);
}

/**
 * Resource-level changes of every stack (`stacks/<stack>/cdk.tf.json`). `replaceRules` (resource
 * type → attribute paths that force a new resource) turns a change into a replacement.
 */
export function diffTerraform(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
  replaceRules: Readonly<Record<string, readonly string[]>> = {},
): ResourceChange[] {
  const stackOf = (p: string) => /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(p)?.[1];
  const stacks = new Set([...before.keys(), ...after.keys()].map(stackOf).filter((s): s is string => !!s));
  const out: ResourceChange[] = [];
  for (const stack of [...stacks].sort()) {
    const file = `stacks/${stack}/cdk.tf.json`;
    const b = resourcesOf(before.get(file));
    const a = resourcesOf(after.get(file));
    const info = (body: ResourceBody, address: string) => ({
      constructPath: body['//']?.metadata?.path?.replace(/\/Resource$/, '') ?? address,
      stateful: body['//']?.homelab?.stateful === true || body.lifecycle?.prevent_destroy === true,
    });
    for (const address of [...new Set([...b.keys(), ...a.keys()])].sort()) {
      const old = b.get(address);
      const now = a.get(address);
      if (!old && now) out.push({ stack, address, kind: 'add', ...info(now.body, address), attributes: [], forcedBy: [] });
      else if (old && !now) out.push({ stack, address, kind: 'remove', ...info(old.body, address), attributes: [], forcedBy: [] });
      else if (old && now) {
        const strip = ({ '//': _meta, ...rest }: ResourceBody) => rest;
        const o = strip(old.body);
        const n = strip(now.body);
        const attributes = [...new Set([...Object.keys(o), ...Object.keys(n)])].filter((k) => !isDeepStrictEqual(o[k], n[k])).sort();
        if (!attributes.length) continue;
        const forcedBy: string[] = [];
        for (const rule of replaceRules[now.type] ?? []) forcedPaths(rule.split('.'), o, n, [], forcedBy);
        const stateful = info(old.body, address).stateful || info(now.body, address).stateful;
        // cidr[3].name, cidr[4].name ... → cidr[*].name: which attribute, not every element.
        const forced = [...new Set(forcedBy.map((p) => p.replace(/\[\d+\]/g, '[*]')))];
        out.push({ stack, address, kind: forced.length ? 'replace' : 'change', ...info(now.body, address), stateful, attributes, forcedBy: forced });
      }
    }
  }
  return out;
}

/**
 * Why a container replacement forced by `node_name` is not a move: bpg/proxmox 0.111.1 has no
 * container migration (a node change is ForceNew, upstream issue bpg/terraform-provider-proxmox#658),
 * so the plan destroys the container with its volumes and creates an empty one on the other node.
 * Undefined when `forcedBy` has no node change.
 */
export function nodeChangeHint(forcedBy: readonly string[]): string[] | undefined {
  if (!forcedBy.includes('node_name')) return undefined;
  return [
    'A node change (node_name) RECREATES the container in bpg/proxmox 0.111.1: it cannot migrate containers.',
    'To move it with its data: `pct migrate <vmid> <node> --restart` (HA: `ha-manager migrate ct:<vmid> <node>`), then',
    '`terraform state rm <address>` and `terraform import <address> <node>/<vmid>` — README, "Moving a service".',
  ];
}

/** A stateful resource that would lose its data: removed, or replaced. */
export const destroysData = (c: ResourceChange): boolean => c.stateful && (c.kind === 'remove' || c.kind === 'replace');

// ---------------------------------------------------------------------------------------------
// Ansible

export interface HostChanges {
  readonly host: string;
  /** The host is new to the inventory, or left it. */
  readonly inventory?: 'added' | 'removed';
  /** Its own files under ansible/files/<host>/ (relative to that folder). */
  readonly files: FileChanges;
  /** Roles the playbooks newly run on it, or no longer run. */
  readonly rolesAdded: readonly string[];
  readonly rolesRemoved: readonly string[];
  /** Roles it runs whose files changed. */
  readonly rolesChanged: readonly string[];
  /** Variables that changed, as `host_vars:<name>` or `group_vars/<group>:<name>`. */
  readonly variables: readonly string[];
}

interface AnsibleView {
  /** group → hosts (children resolved). */
  readonly groups: Map<string, Set<string>>;
  /** host → roles the playbooks run on it. */
  readonly roles: Map<string, Set<string>>;
}

type InventoryGroup = { hosts?: Record<string, unknown> | null; children?: Record<string, InventoryGroup | null> | null };

function readInventory(text: string | undefined): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  if (text === undefined) return groups;
  const doc = (yaml.load(text) ?? {}) as Record<string, InventoryGroup | null>;
  const visit = (name: string, g: InventoryGroup | null): Set<string> => {
    const hosts = groups.get(name) ?? new Set<string>();
    groups.set(name, hosts);
    for (const h of Object.keys(g?.hosts ?? {})) hosts.add(h);
    for (const [child, cg] of Object.entries(g?.children ?? {})) for (const h of visit(child, cg)) hosts.add(h);
    return hosts;
  };
  for (const [name, g] of Object.entries(doc)) visit(name, g);
  return groups;
}

/** Ansible's host pattern: `a:b` union, `a:&b` intersection, `a:!b` exclusion, a host or group name. */
export function matchHosts(pattern: string, groups: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const all = groups.get('all') ?? new Set<string>();
  const term = (t: string) => (groups.has(t) ? new Set(groups.get(t)) : all.has(t) ? new Set([t]) : new Set<string>());
  let out = new Set<string>();
  for (const raw of pattern.split(':').filter(Boolean)) {
    if (raw.startsWith('&')) {
      const t = term(raw.slice(1));
      out = new Set([...out].filter((h) => t.has(h)));
    } else if (raw.startsWith('!')) {
      const t = term(raw.slice(1));
      out = new Set([...out].filter((h) => !t.has(h)));
    } else for (const h of term(raw)) out.add(h);
  }
  return out;
}

function readView(tree: ReadonlyMap<string, string>): AnsibleView {
  const groups = readInventory(tree.get('ansible/inventory/hosts.yml'));
  const roles = new Map<string, Set<string>>();
  for (const [path, text] of tree) {
    if (!/^ansible\/[^/]+\.yml$/.test(path)) continue;
    const plays = yaml.load(text);
    if (!Array.isArray(plays)) continue;
    for (const play of plays as { hosts?: string; roles?: (string | { role?: string; name?: string })[] }[]) {
      if (typeof play?.hosts !== 'string' || !Array.isArray(play.roles)) continue;
      const names = play.roles.map((r) => (typeof r === 'string' ? r : r.role ?? r.name)).filter((r): r is string => !!r);
      for (const host of matchHosts(play.hosts, groups)) {
        const set = roles.get(host) ?? new Set<string>();
        for (const r of names) set.add(r);
        roles.set(host, set);
      }
    }
  }
  return { groups, roles };
}

function changedKeys(before: string | undefined, after: string | undefined): string[] {
  if (before === after) return [];
  const load = (t: string | undefined) => ((t === undefined ? {} : yaml.load(t)) ?? {}) as Record<string, unknown>;
  const b = load(before);
  const a = load(after);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !isDeepStrictEqual(b[k], a[k])).sort();
}

/**
 * Which hosts a converge of the new project touches, and why: their own files, roles newly run or
 * dropped, changed roles they run, changed host and group variables. Hosts without a change are
 * left out.
 */
export function diffAnsible(before: ReadonlyMap<string, string>, after: ReadonlyMap<string, string>): HostChanges[] {
  const vb = readView(before);
  const va = readView(after);
  const allBefore = vb.groups.get('all') ?? new Set<string>();
  const allAfter = va.groups.get('all') ?? new Set<string>();
  const hosts = [...new Set([...allBefore, ...allAfter])].sort();
  const files = diffFiles(before, after);
  const touched = [...files.added, ...files.changed, ...files.removed];
  const changedRoles = new Set(touched.map((p) => /^ansible\/roles\/([^/]+)\//.exec(p)?.[1]).filter((r): r is string => !!r));
  const groupVarChanges: { group: string; keys: string[] }[] = [];
  for (const p of touched) {
    const m = /^ansible\/inventory\/group_vars\/([^/]+)\/[^/]+\.yml$/.exec(p);
    if (m) groupVarChanges.push({ group: m[1], keys: changedKeys(before.get(p), after.get(p)) });
  }
  const out: HostChanges[] = [];
  for (const host of hosts) {
    const prefix = `ansible/${hostFolder(host)}/`;
    const strip = (list: readonly string[]) => list.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
    const own = { added: strip(files.added), changed: strip(files.changed), removed: strip(files.removed) };
    const rb = vb.roles.get(host) ?? new Set<string>();
    const ra = va.roles.get(host) ?? new Set<string>();
    const rolesAdded = [...ra].filter((r) => !rb.has(r)).sort();
    const rolesRemoved = [...rb].filter((r) => !ra.has(r)).sort();
    const rolesChanged = [...ra].filter((r) => rb.has(r) && changedRoles.has(r)).sort();
    const hv = `ansible/inventory/host_vars/${host}.yml`;
    const variables = changedKeys(before.get(hv), after.get(hv)).map((k) => `host_vars:${k}`);
    for (const g of groupVarChanges) {
      const member = (va.groups.get(g.group) ?? vb.groups.get(g.group))?.has(host) || g.group === 'all';
      if (member) variables.push(...g.keys.map((k) => `group_vars/${g.group}:${k}`));
    }
    const inventory = !allBefore.has(host) ? 'added' : !allAfter.has(host) ? 'removed' : undefined;
    const any = inventory || own.added.length || own.changed.length || own.removed.length || rolesAdded.length || rolesRemoved.length || rolesChanged.length || variables.length;
    if (any) out.push({ host, ...(inventory ? { inventory } : {}), files: own, rolesAdded, rolesRemoved, rolesChanged, variables });
  }
  return out;
}
