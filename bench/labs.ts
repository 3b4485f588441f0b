import { ProxmoxProvider } from '../.gen/providers/proxmox/provider';
import { VirtualEnvironmentContainer } from '../.gen/providers/proxmox/virtual-environment-container';
import { App, TerraformStack } from '../lib/cdktf';
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
      healthcheck: Healthcheck.http(port, healthPath),
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
      healthcheck: Healthcheck.http(port, healthPath),
    });
    if (i % 3 === 0) host.addWebUi({ port: Port.tcp(port), access: 'routed' });
    host.addHealthEndpoint({ port: Port.tcp(port), path: healthPath });
  }
  return lab;
}

/**
 * The floor: a bare cdktf app with one stack, the provider, and `services` container L1s carrying
 * about the attributes LxcContainer renders. No L2s, validations or Ansible.
 */
export function buildBareApp(app: App, services: number): void {
  const stack = new TerraformStack(app, 'bare');
  new ProxmoxProvider(stack, 'proxmox', { endpoint: 'https://pve1.bench.example.org:8006/', insecure: true });
  for (let i = 0; i < services; i++) {
    const net = Math.floor(i / SERVICES_PER_NETWORK);
    const host = (i % SERVICES_PER_NETWORK) + 10;
    new VirtualEnvironmentContainer(stack, `svc${i + 1}`, {
      nodeName: `pve${Math.floor(i / SERVICES_PER_NODE) + 1}`,
      vmId: 200 + i,
      description: 'Managed by bare cdktf',
      unprivileged: true,
      startOnBoot: true,
      started: true,
      tags: ['bare', 'docker'],
      cpu: { cores: 1 },
      memory: { dedicated: 512, swap: 512 },
      disk: { datastoreId: 'local-lvm', size: 8 },
      features: { nesting: true, keyctl: true },
      operatingSystem: { templateFileId: 'local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst', type: 'debian' },
      startup: { order: 50, upDelay: 0 },
      networkInterface: [{ name: 'eth0', bridge: 'vmbr0', firewall: true, vlanId: 100 + net }],
      initialization: {
        hostname: `svc${i + 1}`,
        dns: { domain: 'bench.example.org', servers: [`10.${20 + net}.0.1`] },
        ipConfig: [{ ipv4: { address: `10.${20 + net}.${Math.floor(host / 256)}.${host % 256}/22`, gateway: `10.${20 + net}.0.1` } }],
        userAccount: { keys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkBenchKeyReplaceMe operator@example'] },
      },
    });
  }
}
