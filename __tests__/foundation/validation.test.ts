import { describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { ComposeService, DockerHost, EnvValue, Image, Lab, LabStack, LxcContainer, Network, Port, ProxmoxNode, Secret, Size, Volume } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { problemsOf } from '../support/lab';

/** The small lab plus whatever a case adds to its media stack. */
function withMedia(add: (ctx: { lab: Lab; media: LabStack; node: ProxmoxNode; lan: Network }) => void) {
  return (app: App) => {
    const lab = buildSmallLab(app);
    const media = lab.stacks.find((s) => s.stackName === 'media')!;
    add({ lab, media, node: lab.nodes[0]!, lan: lab.networks[0]! });
  };
}

describe('validation', () => {
  it('accepts the small lab', () => {
    expect(problemsOf((app) => buildSmallLab(app))).toEqual([]);
  });

  it('fails when two containers share a VMID', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, vmId: 211 })))).toEqual([
      '[homelab/media/radarr] VMID 211 is already used by homelab/media/sonarr — give each container its own vmId (or leave it out to have one planned)',
    ]);
  });

  it('fails when two containers share a hostname', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'sonarr2', { node, network: lan, hostname: 'sonarr' })))).toEqual([
      '[homelab/media/sonarr2] hostname sonarr is already used by homelab/media/sonarr — give each container its own hostname',
    ]);
  });

  it('fails when two containers share an IP', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.21' })))).toEqual([
      '[homelab/media/radarr] IP 10.10.0.21 is already used by homelab/media/sonarr — give each container its own ipAddress (or leave it out to have one planned)',
    ]);
  });

  it('fails when an IP is outside its network', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.1.5' })))).toEqual([
      '[homelab/media/radarr] IP 10.10.1.5 is outside its network homelab/infra/lan (10.10.0.0/24) — pick an address inside 10.10.0.0/24',
    ]);
  });

  it('fails when an IP is the gateway', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.1' })))).toEqual([
      '[homelab/media/radarr] IP 10.10.0.1 is the gateway of homelab/infra/lan — pick another address; the gateway belongs to the router',
    ]);
  });

  it('fails when a CIDR is invalid', () => {
    expect(problemsOf(withMedia(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.20.0.300/24' })))).toEqual([
      "[homelab/infra/dmz] invalid CIDR '10.20.0.300/24' — write the network as ADDRESS/PREFIX, e.g. '10.10.20.0/24'",
    ]);
    expect(problemsOf(withMedia(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.20.0.5/24' })))).toEqual([
      "[homelab/infra/dmz] invalid CIDR '10.20.0.5/24': host bits are set — did you mean '10.20.0.0/24'?",
    ]);
  });

  it('fails when networks overlap', () => {
    expect(problemsOf(withMedia(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.10.0.128/25' })))).toEqual([
      '[homelab/infra/dmz] network 10.10.0.128/25 overlaps homelab/infra/lan (10.10.0.0/24) — give every network its own address range',
    ]);
  });

  it('fails when a port is published twice in one container', () => {
    expect(
      problemsOf(withMedia(({ media, node, lan }) => {
        const host = new DockerHost(media, 'tools', { node, network: lan });
        new ComposeService(host, 'a', { image: Image.of('nginx', '1.29.3'), ports: [{ port: Port.tcp(8080) }] });
        new ComposeService(host, 'b', { image: Image.of('nginx', '1.29.3'), ports: [{ port: Port.tcp(80), hostPort: Port.tcp(8080) }] });
      })),
    ).toEqual(['[homelab/media/tools] port 8080/tcp is published by both a and b — publish one of them on another hostPort']);
  });

  it('fails when a secret is used but not declared', () => {
    expect(
      problemsOf(withMedia(({ media, node, lan }) => {
        const host = new DockerHost(media, 'tools', { node, network: lan });
        new ComposeService(host, 'app', { image: Image.of('nginx', '1.29.3'), environment: { TOKEN: EnvValue.fromSecret(Secret.vault('tools_token')) } });
      })),
    ).toEqual([
      "[homelab/media/tools/app] uses the vault secret 'tools_token', which is not declared — declare it with lab.secrets.declare(scope, Secret.vault('tools_token'), 'what it is'), or fix the name",
    ]);
  });

  it('fails when a container runs on a node that is not in the lab', () => {
    expect(
      problemsOf((app) => {
        const lab = buildSmallLab(app);
        const other = new Lab(app, 'other', { domain: 'other.example.org', proxmox: { endpoint: 'https://x:8006/' }, sshPublicKeys: ['ssh-ed25519 AAAA x'] });
        const stray = new ProxmoxNode(other.infra, 'pve2', { address: '10.99.0.2', cores: 4, memory: Size.mebibytes(4096) });
        new LxcContainer(lab.stacks.find((s) => s.stackName === 'media')!, 'radarr', { node: stray, network: lab.networks[0]! });
      }),
    ).toEqual([
      '[homelab/media/radarr] runs on node other/infra/pve2, which is not part of lab homelab — create the node inside this lab (new ProxmoxNode(lab.infra, ...))',
      // Two labs in one app could never be written (ansible.cfg twice): issue 12, item 3.
      "[other] a second Lab in one app (the first is homelab): one output folder holds one lab's Ansible project, docs and tfvars — build each lab in its own app and output folder (its own lab file: homelab-cdk synth --app other.ts --out other-out)",
    ]);
  });

  it.each([
    ['cores', { cores: 0 }, 'cores must be a positive integer, got 0 — set cores to 1 or more'],
    ['memory', { memory: Size.mebibytes(-512) }, 'memory: size -512 mebibytes is not a whole number >= 0 — give a whole number, e.g. Size.mebibytes(512)'],
    ['disk', { disk: Size.gibibytes(0) }, 'disk is 0 gibibytes, below the minimum of 1 — give at least Size.gibibytes(1)'],
  ])('fails when %s is not positive', (_name, sizing, message) => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ...sizing })))).toEqual([
      `[homelab/media/radarr] ${message}`,
    ]);
  });

  it('fails when an image is not pinned', () => {
    expect(
      problemsOf(withMedia(({ media, node, lan }) => {
        const host = new DockerHost(media, 'tools', { node, network: lan });
        new ComposeService(host, 'app', { image: Image.parse('nginx:latest') });
      })),
    ).toEqual(["[homelab/media/tools/app] image nginx is not pinned (tag 'latest') — pin a version tag, e.g. Image.of('nginx', '1.2.3')"]);
  });

  it('fails when containers need more RAM than the node has', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'big', { node, network: lan, memory: Size.mebibytes(40000) })))).toEqual([
      '[homelab/infra/pve] containers ask for 42048 MiB RAM, over this node\'s 32768 MiB × overcommit 1 = 32768 MiB — shrink some containers, move them to another node, or raise memoryOvercommit',
    ]);
  });

  it('fails when bind mounts are used with an API token', () => {
    const problems = problemsOf((app) => {
      const lab = buildSmallLab(app);
      (lab.proxmox as { auth: string }).auth = 'api-token';
    });
    expect(problems).toEqual([
      "[homelab/media/sonarr] bind mounts and device passthrough need Terraform to log in as root@pam, but the lab uses an API token — set proxmox.auth: 'root-password' on the Lab (see README, 'Provider authentication')",
    ]);
  });

  it('fails when compose services depend on each other in a cycle', () => {
    expect(
      problemsOf(withMedia(({ media, node, lan }) => {
        const host = new DockerHost(media, 'tools', { node, network: lan });
        const a = new ComposeService(host, 'a', { image: Image.of('nginx', '1.29.3') });
        const b = new ComposeService(host, 'b', { image: Image.of('nginx', '1.29.3'), dependsOn: [a] });
        a.addDependency(b);
      })),
    ).toEqual(['[homelab/media/tools] services depend on each other in a cycle: a -> b -> a — remove one of the dependsOn links']);
  });

  it('lists every error at once, each with its path', () => {
    const problems = problemsOf(withMedia(({ media, node, lan }) => {
      new LxcContainer(media, 'radarr', { node, network: lan, vmId: 211 });
      new LxcContainer(media, 'lidarr', { node, network: lan, ipAddress: '10.10.0.1' });
    }));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^\[homelab\/media\/radarr\] VMID 211/);
    expect(problems[1]).toMatch(/^\[homelab\/media\/lidarr\] IP 10.10.0.1 is the gateway/);
  });
});

describe('validation of the reference homelab', () => {
  it('fails when a bind mount lies outside the node\'s datasets', () => {
    expect(
      problemsOf((app) => {
        const lab = new Homelab(app, 'homelab');
        const stray = Volume.bindMount(lab.infra, 'stray', { hostPath: '/srv/stray' });
        lab.media.sonarr!.addMount(stray, '/stray');
      }),
    ).toEqual([
      '[homelab/media/sonarr] bind mount homelab/infra/stray (/srv/stray) is outside the datasets of node pve (/tank/data) — put the volume under a declared dataset, or add its dataset to datasets on node pve',
    ]);
  });

  it('fails when a resize goes beyond the node\'s capacity', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { overrides: { plex: { memory: Size.mebibytes(60000) } } } }))).toEqual([
      expect.stringMatching(/^\[homelab\/infra\/pve\] containers ask for \d+ MiB RAM, over this node's 65536 MiB × overcommit 1 = 65536 MiB — shrink some containers, move them to another node, or raise memoryOvercommit$/),
    ]);
  });

  it('refuses a Docker host too small to install Docker (found by the digital twin)', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { monitoring: { overrides: { glance: { memory: Size.mebibytes(128) } } } }))).toEqual([
      '[homelab/monitoring/glance] memory 128 MiB is too small to install Docker (dpkg is OOM-killed unpacking containerd below 256 MiB) — set memory to Size.mebibytes(256) or more',
    ]);
    expect(problemsOf((app) => new Homelab(app, 'homelab', { monitoring: { overrides: { glance: { memory: Size.mebibytes(256) } } } }))).toEqual([]);
  });
});
