import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Construct } from 'constructs';
import { App, TerraformResource, TerraformStack } from '../lib/cdktf';
import { listFiles } from '../lib/output';
import {
  ComposeService, DockerHost, EnvValue, Healthcheck, Image, Lab, LabStack, Network, Port, ProxmoxNode, Secret, Volume,
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
    new ProxmoxNode(lab.infra, `pve${i + 1}`, { address: `10.0.${Math.floor(i / 250)}.${(i % 250) + 2}`, cores: 16, memoryMiB: 49152 }));
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
      memoryMiB: i % 7 === 0 ? 640 : 512,
      diskGiB: 8,
    });
    const [repo, tag, port, healthPath] = IMAGES[i % IMAGES.length]!;
    const environment: Record<string, string | number | EnvValue> = { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone };
    if (i % 10 === 0) {
      const secret = lab.secrets.declare(host, Secret.vault(`${name}_api_key`), `API key of ${name} (bench).`);
      environment.API_KEY = EnvValue.fromSecret(secret);
    }
    const mounts: { source: Volume | string; target: string }[] = [{ source: './config', target: '/config' }];
    if (i % 5 === 0) mounts.push({ source: data, target: '/data' });
    if (i % 25 === 0) mounts.push({ source: Volume.storage(host, 'state', { sizeGiB: 16 }), target: '/state' });
    new ComposeService(host, name, {
      image: Image.of(repo, tag),
      ports: [{ port: Port.tcp(port), description: 'Web UI + API' }],
      environment,
      mounts,
      healthcheck: Healthcheck.http(port, healthPath),
    });
    if (i % 3 === 0) host.addWebUi({ port, access: 'routed' });
    if (i % 4 === 0) host.addMetricsEndpoint({ port });
    host.addHealthEndpoint({ port, path: healthPath });
  }
  return lab;
}

/**
 * What the bare app replays: the Terraform documents of a homelab-cdk output (per stack) and the
 * sizes of every other file it wrote. Made by `bareSpecOf` from a homelab synth of the same size.
 */
export interface BareSpec {
  readonly stacks: Record<string, TerraformDocument>;
  /** path → size in bytes, of every file but manifest.json and the stacks' cdk.tf.json. */
  readonly files: Record<string, number>;
}

type TerraformDocument = Record<string, unknown> & { resource?: Record<string, Record<string, Record<string, unknown>>> };

/** The spec of an output folder (relative paths, / separators). */
export function bareSpecOf(outdir: string): BareSpec {
  const stacks: Record<string, TerraformDocument> = {};
  const files: Record<string, number> = {};
  for (const rel of listFiles(outdir)) {
    const stack = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(rel)?.[1];
    if (stack) stacks[stack] = JSON.parse(readFileSync(join(outdir, rel), 'utf8')) as TerraformDocument;
    else if (rel !== 'manifest.json') files[rel] = statSync(join(outdir, rel)).size;
  }
  return { stacks, files };
}

const META_ARGUMENTS = new Set(['lifecycle', 'depends_on', 'count', 'for_each', 'provider', 'connection', 'provisioner']);

/**
 * A resource given as its Terraform JSON body: the generic L1. It pays what every cdktf resource
 * pays at synth (construct tree, logical ids, metadata, token resolution of its attributes, JSON
 * output) without the generated bindings' prop mapping — so the floor is, if anything, low.
 */
class RawResource extends TerraformResource {
  private readonly body: Record<string, unknown>;

  constructor(scope: Construct, id: string, type: string, body: Record<string, unknown>) {
    super(scope, id, { terraformResourceType: type, terraformGeneratorMetadata: { providerName: 'proxmox' } });
    const attributes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(body)) {
      // Meta-arguments come from cdktf's own fields, which would replace them: set them as overrides.
      if (META_ARGUMENTS.has(key)) this.addOverride(key, value);
      else attributes[key] = value;
    }
    this.body = attributes;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return this.body;
  }
}

/**
 * The floor: a bare cdktf app that emits the same Terraform resources as a homelab-cdk synth — one
 * stack per stack, the same resource types, names and attributes (and the same provider, backend,
 * variables and outputs, as raw overrides) — and writes the same number of other files with the same
 * sizes (filler content; the homelab renders them). No L2s, validations, aspects or Ansible model.
 */
export function buildBareApp(app: App, spec: BareSpec): void {
  for (const [name, doc] of Object.entries(spec.stacks)) {
    const stack = new TerraformStack(app, name);
    for (const [key, value] of Object.entries(doc)) {
      if (key === 'resource' || key === '//') continue;
      stack.addOverride(key, value);
    }
    for (const [type, byName] of Object.entries(doc.resource ?? {})) {
      for (const [id, { '//': _meta, ...body }] of Object.entries(byName)) {
        new RawResource(stack, id, type, body).overrideLogicalId(id);
      }
    }
  }
}

/** The bare app's other files: as many as the homelab wrote, of the same sizes. */
export function writeBareFiles(outdir: string, spec: BareSpec): void {
  for (const [rel, size] of Object.entries(spec.files)) {
    const file = join(outdir, rel);
    if (existsSync(file)) continue; // cdktf wrote it (a stack's metadata)
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, 'x'.repeat(size));
  }
}
