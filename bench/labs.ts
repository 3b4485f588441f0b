import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Construct } from 'constructs';
import { App, TerraformResource, TerraformStack } from '../lib/cdktf';
import { listFiles } from '../lib/output';
import {
  ComposeService, DockerHost, EnvValue, Healthcheck, Image, Lab, LabStack, Network, Port, ProxmoxNode, Secret, Size, Volume,
} from '../constructs/core';

/** Services per Proxmox node: 50 × 1 core fits 16 cores × cpuOvercommit 4; 50 × ≤640 MiB fits 48 GiB. */
const SERVICES_PER_NODE = 50;
/** Services per /22 network (1022 hosts, auto-assigned from .10): leaves room, and makes several networks at 2,800. */
const SERVICES_PER_NETWORK = 800;
/** Services per LabStack (Terraform stack + Ansible playbook); at least four, like the reference homelab. */
const SERVICES_PER_STACK = 100;

const IMAGES = [
  ['lscr.io/linuxserver/sonarr', '4.0.16', 8989, '/ping'],
  ['lscr.io/linuxserver/radarr', '6.0.4', 7878, '/ping'],
  ['lscr.io/linuxserver/prowlarr', '2.3.0', 9696, '/ping'],
  ['vaultwarden/server', '1.34.3', 80, '/alive'],
  ['grafana/grafana', '12.2.1', 3000, '/api/health'],
] as const;

/**
 * A synthetic lab of `services` Docker services: one DockerHost + one ComposeService each, spread
 * over ⌈n/50⌉ nodes, ⌈n/800⌉ /22 networks and max(4, ⌈n/100⌉) stacks. Every 10th service reads a
 * vault secret (→ env.j2 + vault.example.yml), every 5th mounts the shared bind volume (→ host
 * directories on its node), every 25th owns a storage volume, every 3rd has a routed web UI and
 * every 4th a metrics endpoint, so validations and the Ansible side do realistic work.
 */
export function buildGeneratedLab(app: App, services: number): Lab {
  const lab = new Lab(app, 'homelab', {
    domain: 'bench.example.org',
    timezone: 'Europe/Berlin',
    proxmox: { endpoint: 'https://pve1.bench.example.org:8006/' },
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkBenchKeyReplaceMe operator@example'],
  });
  const nodes = Array.from({ length: Math.ceil(services / SERVICES_PER_NODE) }, (_, i) =>
    new ProxmoxNode(lab.infra, `pve${i + 1}`, { address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, cores: 16, memory: Size.mebibytes(49152) }));
  const networks = Array.from({ length: Math.ceil(services / SERVICES_PER_NETWORK) }, (_, i) =>
    new Network(lab.infra, `net${i + 1}`, { bridge: 'vmbr0', vlanId: 100 + i, cidr: `10.${20 + i}.0.0/22`, gateway: `10.${20 + i}.0.1` }));
  const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data', subdirectories: ['media/movies', 'media/tv', 'torrents', 'backups'] });
  const stacks = Array.from({ length: Math.max(4, Math.ceil(services / SERVICES_PER_STACK)) }, (_, i) =>
    new LabStack(lab, `stack${i + 1}`, { description: `Generated stack ${i + 1}` }));

  for (let i = 0; i < services; i++) {
    const name = `svc${i + 1}`;
    const stack = stacks[i % stacks.length]!;
    const host = new DockerHost(stack, name, {
      node: nodes[Math.floor(i / SERVICES_PER_NODE)]!,
      network: networks[Math.floor(i / SERVICES_PER_NETWORK)]!,
      memory: Size.mebibytes(i % 7 === 0 ? 640 : 512),
      disk: Size.gibibytes(8),
    });
    const [repo, tag, port, healthPath] = IMAGES[i % IMAGES.length]!;
    const environment: Record<string, string | number | EnvValue> = { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone };
    if (i % 10 === 0) {
      const secret = lab.secrets.declare(host, Secret.vault(`${name}_api_key`), `API key of ${name} (bench).`);
      environment.API_KEY = EnvValue.fromSecret(secret);
    }
    const mounts: { source: Volume | string; target: string }[] = [{ source: './config', target: '/config' }];
    if (i % 5 === 0) mounts.push({ source: data, target: '/data' });
    if (i % 25 === 0) mounts.push({ source: Volume.storage(host, 'state', { size: Size.gibibytes(16) }), target: '/state' });
    new ComposeService(host, name, {
      image: Image.of(repo, tag),
      ports: [{ port: Port.tcp(port), description: 'Web UI + API' }],
      environment,
      mounts,
      healthcheck: Healthcheck.http(Port.tcp(port), healthPath),
    });
    if (i % 3 === 0) host.addWebUi({ port: Port.tcp(port), access: 'routed' });
    if (i % 4 === 0) host.addMetricsEndpoint({ port: Port.tcp(port) });
    host.addHealthEndpoint({ port: Port.tcp(port), path: healthPath });
  }
  return lab;
}

/** Nodes of the cluster case. */
const CLUSTER_NODES = 3;

/**
 * The cluster case: `services` Docker services placed automatically (`node: 'auto'`) over three
 * nodes sized to hold them (RAM and cores grow with `services`, so every size fits). Every 10th and
 * 11th service form an anti-affinity pair, every 20th runs under HA on the shared Ceph pool (and
 * mounts no node-local data), every 5th mounts /tank/data, which every node holds, so placement,
 * anti-affinity, HA rules and HA storage validation all do their work at scale.
 */
export function buildClusterBenchLab(app: App, services: number): Lab {
  const lab = new Lab(app, 'homelab', {
    domain: 'bench.example.org',
    timezone: 'Europe/Berlin',
    proxmox: { endpoint: 'https://pve1.bench.example.org:8006/' },
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkBenchKeyReplaceMe operator@example'],
  });
  const perNode = Math.ceil(services / CLUSTER_NODES);
  const nodes = Array.from({ length: CLUSTER_NODES }, (_, i) =>
    new ProxmoxNode(lab.infra, `pve${i + 1}`, {
      address: `10.0.0.${i + 2}`,
      cores: Math.max(16, Math.ceil(perNode / 2)),
      memory: Size.mebibytes(Math.max(49152, perNode * 800)),
      datasets: ['/tank/data'],
      sharedStorage: ['ceph-ct'],
      ...(i === 0 ? { gpu: {} } : {}),
    }));
  const networks = Array.from({ length: Math.ceil(services / SERVICES_PER_NETWORK) }, (_, i) =>
    new Network(lab.infra, `net${i + 1}`, { bridge: 'vmbr0', vlanId: 100 + i, cidr: `10.${20 + i}.0.0/22`, gateway: `10.${20 + i}.0.1` }));
  const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data', subdirectories: ['media/movies', 'media/tv', 'torrents', 'backups'] });
  const stacks = Array.from({ length: Math.max(4, Math.ceil(services / SERVICES_PER_STACK)) }, (_, i) =>
    new LabStack(lab, `stack${i + 1}`, { description: `Generated stack ${i + 1}` }));
  void nodes;
  for (let i = 0; i < services; i++) {
    const name = `svc${i + 1}`;
    const ha = i % 20 === 0;
    const pair = i % 10 === 0 || i % 10 === 1 ? [`pair${Math.floor(i / 10)}`] : [];
    const host = new DockerHost(stacks[i % stacks.length]!, name, {
      node: 'auto',
      network: networks[Math.floor(i / SERVICES_PER_NETWORK)]!,
      memory: Size.mebibytes(i % 7 === 0 ? 640 : 512),
      disk: Size.gibibytes(8),
      antiAffinity: pair,
      ...(ha ? { ha: true, rootfsStorage: 'ceph-ct' } : {}),
    });
    const [repo, tag, port, healthPath] = IMAGES[i % IMAGES.length]!;
    const mounts: { source: Volume | string; target: string }[] = [{ source: './config', target: '/config' }];
    if (i % 5 === 0 && !ha) mounts.push({ source: data, target: '/data' });
    new ComposeService(host, name, {
      image: Image.of(repo, tag),
      ports: [{ port: Port.tcp(port), description: 'Web UI + API' }],
      environment: { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone },
      mounts,
      healthcheck: Healthcheck.http(Port.tcp(port), healthPath),
    });
    if (i % 3 === 0) host.addWebUi({ port: Port.tcp(port), access: 'routed' });
    host.addHealthEndpoint({ port: Port.tcp(port), path: healthPath });
  }
  return lab;
}

/**
 * What the bare app replays: the Terraform documents of a homelab-cdk output (per stack) and the
 * sizes of every other file it wrote. Made by `bareSpecOf` from a homelab synth of the same size.
 */
export interface BareSpec {
  readonly stacks: Record<string, TerraformDocument>;
  /** stack → its construct path (manifest.json), e.g. `homelab/media`. */
  readonly stackPaths: Record<string, string>;
  /** path → size in bytes, of every file but manifest.json and the stacks' cdk.tf.json. */
  readonly files: Record<string, number>;
}

type TerraformDocument = Record<string, unknown> & { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** The spec of an output folder (relative paths, / separators). */
export function bareSpecOf(outdir: string): BareSpec {
  const stacks: Record<string, TerraformDocument> = {};
  const files: Record<string, number> = {};
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { constructPath: string }> };
  const stackPaths = Object.fromEntries(Object.entries(manifest.stacks).map(([name, m]) => [name, m.constructPath]));
  for (const rel of listFiles(outdir)) {
    const stack = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(rel)?.[1];
    if (stack) stacks[stack] = JSON.parse(readFileSync(join(outdir, rel), 'utf8')) as TerraformDocument;
    else if (rel !== 'manifest.json') files[rel] = statSync(join(outdir, rel)).size;
  }
  return { stacks, stackPaths, files };
}

const META_ARGUMENTS = new Set(['count', 'for_each', 'provider', 'connection', 'provisioner']);

/** `datastore_id` → `datastoreId`, recursively through objects and arrays: Terraform JSON as L1 props. */
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
function camelProps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(camelProps);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [camel(k), camelProps(x)]));
}

type L1Class = (new (scope: Construct, id: string, config: unknown) => TerraformResource) & { tfResourceType: string };

/** The generated binding (.gen/) of a resource type: `proxmox_virtual_environment_pool` → VirtualEnvironmentPool. */
function bindingOf(type: string): L1Class {
  // The binding's own module (as the provider's lazy index loads it): only the types the lab uses.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ns = require(`../.gen/providers/proxmox/${type.replace(/^proxmox_/, '').replace(/_/g, '-')}`) as Record<string, unknown>;
  const cls = Object.values(ns ?? {}).find((x): x is L1Class => typeof x === 'function' && (x as Partial<L1Class>).tfResourceType === type);
  if (!cls) throw new Error(`no binding for ${type} in .gen/providers/proxmox`);
  return cls;
}

/**
 * The floor: a bare cdktf app that emits the same Terraform resources as a homelab-cdk synth — one
 * stack per stack; every resource through its generated binding (.gen/, the L1 a hand-written cdktf
 * app uses) with the same name and attributes; the provider, backend, variables and outputs as raw
 * overrides — and writes the same number of other files with the same sizes (filler content; the
 * homelab renders them). No L2s, validations, aspects or Ansible model.
 */
export function buildBareApp(app: App, spec: BareSpec): void {
  // The same construct tree paths as the homelab's, so cdktf allocates the same logical ids (and
  // metadata) itself, hashing each path as it does in any app, rather than being handed them.
  const scopes = new Map<string, Construct>([['', app]]);
  const scopeAt = (path: string[]): Construct => {
    const key = path.join('/');
    let scope = scopes.get(key);
    if (!scope) {
      scope = new Construct(scopeAt(path.slice(0, -1)), path[path.length - 1]!);
      scopes.set(key, scope);
    }
    return scope;
  };
  for (const [name, doc] of Object.entries(spec.stacks)) {
    const stackPath = (spec.stackPaths[name] ?? name).split('/');
    const stack = new TerraformStack(scopeAt(stackPath.slice(0, -1)), stackPath[stackPath.length - 1]!);
    scopes.set(stackPath.join('/'), stack);
    for (const [key, value] of Object.entries(doc)) {
      if (key === 'resource' || key === '//') continue;
      stack.addOverride(key, value);
    }
    // Every resource after the ones it depends on, so depends_on is given as a hand-written app
    // gives it: the resources themselves (cdktf renders them as references).
    const entries = Object.entries(doc.resource ?? {}).flatMap(([type, byName]) => Object.entries(byName).map(([id, body]) => ({ type, id, body })));
    const byAddress = new Map(entries.map((e) => [`${e.type}.${e.id}`, e]));
    const depth = new Map<string, number>();
    const depthOf = (address: string): number => {
      if (!depth.has(address)) {
        depth.set(address, 0); // a cycle stops here
        const deps = (byAddress.get(address)?.body.depends_on as string[] | undefined) ?? [];
        depth.set(address, deps.length ? 1 + Math.max(...deps.map(depthOf)) : 0);
      }
      return depth.get(address)!;
    };
    const created = new Map<string, TerraformResource>();
    for (const { type, id, body } of [...entries].sort((a, b) => depthOf(`${a.type}.${a.id}`) - depthOf(`${b.type}.${b.id}`))) {
      const { '//': _meta, depends_on: dependsOn, ...attributes } = body;
      const config: Record<string, unknown> = {};
      const overrides: [string, unknown][] = [];
      for (const [key, value] of Object.entries(attributes)) {
        if (META_ARGUMENTS.has(key)) overrides.push([key, value]);
        else config[key] = value;
      }
      const targets = ((dependsOn as string[] | undefined) ?? []).map((a) => created.get(a));
      const props = camelProps(config) as Record<string, unknown>;
      if (targets.length && targets.every((t) => t !== undefined)) props.dependsOn = targets;
      else if (dependsOn !== undefined) overrides.push(['depends_on', dependsOn]);
      const path = (_meta as { metadata?: { path?: string } } | undefined)?.metadata?.path?.split('/');
      const inStack = path && path.slice(0, stackPath.length).join('/') === stackPath.join('/') && path.length > stackPath.length;
      const resource = inStack
        ? new (bindingOf(type))(scopeAt(path.slice(0, -1)), path[path.length - 1]!, props)
        : new (bindingOf(type))(stack, id, props);
      if (!inStack) resource.overrideLogicalId(id);
      for (const [key, value] of overrides) resource.addOverride(key, value);
      created.set(`${type}.${id}`, resource);
    }
  }
}

/** The bare app's other files: as many as the homelab wrote, of the same sizes (one mkdir per folder, as lib/output.ts). */
export function writeBareFiles(outdir: string, spec: BareSpec): void {
  const made = new Set<string>();
  for (const [rel, size] of Object.entries(spec.files)) {
    const file = join(outdir, rel);
    if (existsSync(file)) continue; // cdktf wrote it (a stack's metadata)
    const dir = dirname(file);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(file, 'x'.repeat(size));
  }
}
