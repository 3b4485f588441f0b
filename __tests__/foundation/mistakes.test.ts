import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { App } from '../../lib/cdktf';
import { readTree } from '../../lib/output';
import { addCheck, fail, ModelError, SynthError } from '../../lib/problems';
import { synthesize } from '../../integrations/synth';
import { ComposeService, DockerHost, EnvValue, Healthcheck, Image, Lab, LabProps, LabStack, LxcContainer, Network, Port, ProxmoxNode, Size } from '../../constructs/core';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { MediaStack } from '../../constructs/media/media-stack';
import { buildSmallLab } from '../../examples/small-lab';
import { problemsOf, scratchRoot, SSH_KEY } from '../support/lab';

// Issue 12, item 3: every mistake a user can make from TypeScript or plain JavaScript ends as
// `[path] message — fix` (collected with the rest where the tree allows), never as a Node stack
// trace and never silently accepted.

const LAB: LabProps = { domain: 'home.example.org', proxmox: { endpoint: 'https://pve.home.example.org:8006/' }, sshPublicKeys: [SSH_KEY] };

/** A bare lab with the given props (plain-JS style: anything may be passed). */
const labWith = (props: Record<string, unknown>) => (app: App) => new Lab(app, 'homelab', { ...LAB, ...props } as unknown as LabProps);

/** The small lab plus whatever a case adds. */
function withSmall(add: (ctx: { lab: Lab; media: LabStack; node: ProxmoxNode; lan: Network }) => void) {
  return (app: App) => {
    const lab = buildSmallLab(app, { withSecurity: false });
    const media = lab.stacks.find((s) => s.stackName === 'media')!;
    add({ lab, media, node: lab.nodes[0]!, lan: lab.networks[0]! });
  };
}

/** A compose service on a new host `tools` of the small lab's media stack. */
const service = (props: Record<string, unknown>) => withSmall(({ media, node, lan }) => {
  const host = new DockerHost(media, 'tools', { node, network: lan });
  new ComposeService(host, 'web', { image: Image.of('nginx', '1.29.3'), ...props } as never);
});

const homelab = (props: Record<string, unknown>) => (app: App) => new Homelab(app, 'homelab', props as HomelabProps);

type Case = [name: string, build: (app: App) => unknown, expected: string[]];
const table = (cases: Case[]) => it.each(cases)('%s', (_name, build, expected) => {
  expect(problemsOf(build as (app: App) => void)).toEqual(expected);
});

describe('mistakes that crashed with a stack trace', () => {
  table([
    ['an uppercase lab domain', labWith({ domain: 'Home.Example.org' }), [
      "[homelab] domain must be a lowercase DNS name like 'home.example.org', got \"Home.Example.org\" — write it in lowercase: 'home.example.org'",
    ]],
    ['a domain that is no DNS name', labWith({ domain: 'my lab' }), [
      "[homelab] domain must be a lowercase DNS name like 'home.example.org', got \"my lab\" — give the lab's public DNS domain, e.g. 'home.example.org'",
    ]],
    ['an empty sshPublicKeys', labWith({ sshPublicKeys: [] }), [
      "[homelab] sshPublicKeys is empty — add the operator's public key so Ansible can reach the containers",
    ]],
    ['an empty key inside sshPublicKeys', labWith({ sshPublicKeys: [SSH_KEY, ''] }), [
      '[homelab] sshPublicKeys[1] is not a public key: "" — paste one line of ~/.ssh/id_ed25519.pub (type, base64 key, comment)',
    ]],
    ['uppercase domain and empty keys are collected together', labWith({ domain: 'HOME.example.org', sshPublicKeys: [] }), [
      "[homelab] domain must be a lowercase DNS name like 'home.example.org', got \"HOME.example.org\" — write it in lowercase: 'home.example.org'",
      "[homelab] sshPublicKeys is empty — add the operator's public key so Ansible can reach the containers",
    ]],
    ['a stack id like Media-2', withSmall(({ lab }) => new LabStack(lab, 'Media-2')), [
      "[homelab/Media-2] stack id 'Media-2' is not a lowercase Ansible group name ([a-z][a-z0-9_]*) — rename the stack, e.g. 'media_2'",
    ]],
    ['an empty construct id', withSmall(({ media, node, lan }) => new LxcContainer(media, '', { node, network: lan })), [
      '[homelab/media] a child construct has the id "" — give every construct a non-empty string id, unique within its parent',
    ]],
    ['a duplicate construct id', withSmall(({ media, node, lan }) => new LxcContainer(media, 'sonarr', { node, network: lan })), [
      "[homelab/media/sonarr] the id 'sonarr' is used twice in homelab/media — give every construct an id unique within its parent",
    ]],
    ['a duplicate stack id', withSmall(({ lab }) => new LabStack(lab, 'media')), [
      "[homelab/media] the id 'media' is used twice in homelab — give every construct an id unique within its parent",
    ]],
    ['a duplicate id on a plain Construct (constructs\' own error, re-worded)', withSmall(({ media }) => new Construct(media, 'sonarr')), [
      "[homelab/media/sonarr] the id 'sonarr' is used twice in homelab/media — give every construct an id unique within its parent",
    ]],
    ['a duplicate compose service id', withSmall(({ lab }) => {
      const host = lab.node.findAll().find((c) => c instanceof DockerHost) as DockerHost;
      new ComposeService(host, 'sonarr', { image: Image.of('nginx', '1.29.3') });
    }), [
      "[homelab/media/sonarr/sonarr] the id 'sonarr' is used twice in homelab/media/sonarr — give every construct an id unique within its parent",
    ]],
    ['a container whose node is undefined (plain JavaScript)', withSmall(({ media, lan }) => new LxcContainer(media, 'radarr', { network: lan } as never)), [
      '[homelab/media/radarr] required prop node is missing — set node on the container',
    ]],
    ['a container whose network is undefined', withSmall(({ media, node }) => new LxcContainer(media, 'radarr', { node, network: undefined } as never)), [
      '[homelab/media/radarr] required prop network is missing — set network on the container',
    ]],
    ['a container with no props at all', withSmall(({ media }) => new (LxcContainer as any)(media, 'radarr')), [
      '[homelab/media/radarr] container props are missing — pass the props object with node, network',
    ]],
    ['a node passed as a string', withSmall(({ media, lan }) => new LxcContainer(media, 'radarr', { node: 'pve', network: lan } as never)), [
      "[homelab/media/radarr] node must be a ProxmoxNode or 'auto', got \"pve\" — pass the node construct, e.g. new ProxmoxNode(lab.infra, 'pve', {...}), or 'auto' to have it placed",
    ]],
    ['a Proxmox node without address', withSmall(({ lab }) => new ProxmoxNode(lab.infra, 'pve2', { cores: 4 } as never)), [
      '[homelab/infra/pve2] required props address, memory are missing — set address and memory on the ProxmoxNode',
    ]],
    ['a network without cidr', withSmall(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1' } as never)), [
      '[homelab/infra/dmz] required prop cidr is missing — set cidr on the Network',
    ]],
    ['a Lab without proxmox', labWith({ proxmox: undefined }), [
      '[homelab] required prop proxmox is missing — set proxmox on the Lab',
    ]],
    ['a compose service without image', service({ image: undefined }), [
      '[homelab/media/tools/web] required prop image is missing — set image on the ComposeService',
    ]],
    ['a Homelab media stack without network', (app: App) => {
      const lab = new Lab(app, 'homelab', LAB);
      const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.10.10.2', cores: 16, memory: Size.mebibytes(65536) });
      new MediaStack(lab, 'media', { node } as never);
    }, [
      '[homelab/media] required prop network is missing — set network on the stack',
    ]],
    ["Healthcheck.http(8123, 'x') from plain JavaScript", service({ healthcheck: Healthcheck.http(8123 as never, 'x') }), [
      "[homelab/media/tools/web] healthcheck port must be a Port, got 8123 — write Healthcheck.http(Port.tcp(8123), 'x')",
      "[homelab/media/tools/web] healthcheck path \"x\" must start with '/' (a URL path without spaces or quotes) — write it like '/x'",
    ]],
    ['a healthcheck on port 0 and an empty command, collected', withSmall(({ media, node, lan }) => {
      const host = new DockerHost(media, 'tools', { node, network: lan });
      new ComposeService(host, 'a', { image: Image.of('nginx', '1.29.3'), healthcheck: Healthcheck.http(Port.tcp(0), '/') });
      new ComposeService(host, 'b', { image: Image.of('nginx', '1.29.3'), healthcheck: Healthcheck.command([]) });
    }), [
      '[homelab/media/tools/a] healthcheck port: port 0/tcp is out of range — use an integer port in 1..65535',
      "[homelab/media/tools/b] healthcheck command must be a non-empty list of strings, got [] — give the program and its arguments, e.g. Healthcheck.command(['pg_isready', '-U', 'postgres'])",
    ]],
  ]);
});

describe('malformed values that were accepted silently', () => {
  table([
    ['an IPv4 address with a prefix (container)', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.7/24' })), [
      "[homelab/media/radarr] ipAddress '10.10.0.7/24' has a prefix length; give the address alone — give a plain address inside 10.10.0.0/24, e.g. '10.10.0.7' (the prefix /24 comes from the network)",
    ]],
    ['an IPv4 address with a prefix (Proxmox node)', withSmall(({ lab }) => new ProxmoxNode(lab.infra, 'pve2', { address: '10.10.0.3/24', cores: 4, memory: Size.mebibytes(4096) })), [
      "[homelab/infra/pve2] address '10.10.0.3/24' has a prefix length; give the address alone — give the node's management IP alone, e.g. '10.10.0.2'",
    ]],
    ['an IPv4 address with a prefix (gateway)', withSmall(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.20.0.0/24', gateway: '10.20.0.1/24' })), [
      "[homelab/infra/dmz] gateway '10.20.0.1/24' has a prefix length; give the address alone — give a plain address inside 10.20.0.0/24, e.g. '10.20.0.1'",
    ]],
    ['an IPv4 address with a prefix (DNS server)', withSmall(({ lab }) => new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.20.0.0/24', dnsServers: ['10.20.0.1/24'] })), [
      "[homelab/infra/dmz] dnsServers[0] '10.20.0.1/24' has a prefix length; give the address alone — give plain IPv4 addresses, e.g. '10.20.0.1'",
    ]],
    ['an IPv4 address with a prefix (catalog override)', homelab({ media: { overrides: { sonarr: { ipAddress: '10.10.10.21/24' } } } }), [
      "[homelab/media/sonarr] ipAddress '10.10.10.21/24' has a prefix length; give the address alone — give a plain address inside 10.10.10.0/24, e.g. '10.10.10.21' (the prefix /24 comes from the network)",
    ]],
    ["a container on the Proxmox node's own address", withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.2' })), [
      "[homelab/media/radarr] IP 10.10.0.2 is the address of Proxmox node homelab/infra/pve — pick another address (or leave ipAddress out to have one planned); the node's management address belongs to the host",
    ]],
    ['endpoint ports that are bare numbers, UDP or out of range, collected', withSmall(({ media, node, lan }) => {
      const h = new DockerHost(media, 'radarr', { node, network: lan });
      h.addWebUi({ port: 7878 as never, access: 'routed' });
      h.addMetricsEndpoint({ port: Port.udp(9707) });
      h.addHealthEndpoint({ port: Port.tcp(70000), path: '/ping' });
      h.declarePort(8080 as never, 'a bare number');
    }), [
      '[homelab/media/radarr] web UI port must be a Port, got 7878 — write port: Port.tcp(7878)',
      '[homelab/media/radarr] metrics endpoint port 9707/udp is UDP; it is served over HTTP/TCP — use Port.tcp(9707)',
      '[homelab/media/radarr] health endpoint port 70000/tcp is out of range — use an integer port in 1..65535',
      "[homelab/media/radarr] declarePort takes a Port, got 8080 — write declarePort(Port.tcp(8080), '…')",
    ]],
    ['a negative startup order', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, startupOrder: -1 })), [
      '[homelab/media/radarr] startupOrder must be an integer >= 0, got -1 — set startupOrder to 0 or more (lower starts first), or leave it out',
    ]],
    ['a non-integer startup order', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, startupOrder: 1.5 })), [
      '[homelab/media/radarr] startupOrder must be an integer >= 0, got 1.5 — set startupOrder to 0 or more (lower starts first), or leave it out',
    ]],
    ['a negative startup delay', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, startupDelaySeconds: -5 })), [
      '[homelab/media/radarr] startupDelaySeconds must be an integer >= 0, got -5 — set startupDelaySeconds to 0 or more (lower starts first), or leave it out',
    ]],
    ['compose durations like "often", every timing field, collected', service({ healthcheck: Healthcheck.http(Port.tcp(80), '/', { interval: 'often', timeout: '10', startPeriod: '1 minute', retries: 0 }) }), [
      "[homelab/media/tools/web] healthcheck interval \"often\" is not a compose duration — write a number with a unit, e.g. interval: '30s' or '1m30s' (units h, m, s, ms)",
      "[homelab/media/tools/web] healthcheck timeout \"10\" is not a compose duration — write a number with a unit, e.g. timeout: '30s' or '1m30s' (units h, m, s, ms)",
      "[homelab/media/tools/web] healthcheck startPeriod \"1 minute\" is not a compose duration — write a number with a unit, e.g. startPeriod: '30s' or '1m30s' (units h, m, s, ms)",
      '[homelab/media/tools/web] healthcheck retries must be an integer >= 1, got 0 — give how many failed probes mark the container unhealthy, e.g. 3',
    ]],
    ['compose durations on a command healthcheck', service({ healthcheck: Healthcheck.command(['true'], { interval: 30 as never }) }), [
      "[homelab/media/tools/web] healthcheck interval 30 is not a compose duration — write a number with a unit, e.g. interval: '30s' or '1m30s' (units h, m, s, ms)",
    ]],
    ['an unknown timezone', labWith({ timezone: 'Europe/Springfield' }), [
      "[homelab] timezone \"Europe/Springfield\" is not an IANA time zone — use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)",
    ]],
    ['a timezone abbreviation', labWith({ timezone: 'CEST' }), [
      "[homelab] timezone \"CEST\" is not an IANA time zone — use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)",
    ]],
    ['an unknown timezone on the Homelab', homelab({ timezone: 'Berlin' }), [
      "[homelab] timezone \"Berlin\" is not an IANA time zone — use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)",
    ]],
    ['an endpoint that is not a URL', labWith({ proxmox: { endpoint: 'pve.home.example.org:8006' } }), [
      "[homelab] proxmox.endpoint \"pve.home.example.org:8006\" is not an http(s) URL — give the API's URL, e.g. 'https://pve.home.example.org:8006/'",
    ]],
    ['an endpoint that is a bare word', labWith({ proxmox: { endpoint: 'pve' } }), [
      "[homelab] proxmox.endpoint \"pve\" is not an http(s) URL — give the API's URL, e.g. 'https://pve.home.example.org:8006/'",
    ]],
    ['undefined and non-value env values, collected', service({ environment: { A: undefined, B: null, C: NaN, D: { x: 1 }, E: EnvValue.of(undefined as never), OK: 'x' } }), [
      '[homelab/media/tools/web] environment variable A is undefined, not a value — give A a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
      '[homelab/media/tools/web] environment variable B is null, not a value — give B a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
      '[homelab/media/tools/web] environment variable C is NaN, not a value — give C a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
      '[homelab/media/tools/web] environment variable D is {"x":1}, not a value — give D a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
      '[homelab/media/tools/web] environment variable E is undefined, not a value — give E a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
    ]],
    ['unknown fields inside service overrides, collected', homelab({ media: { overrides: { plex: { ram: 8192 }, sonarr: { colour: 'red' } } } }), [
      "[homelab/media] overrides.plex has an unknown field 'ram' — a service override takes: access, adopt, antiAffinity, cores, disk, enabled, ha, imageTag, ipAddress, memory, node, preventDestroy, publicBecause, rootfsStorage, vmId",
      "[homelab/media] overrides.sonarr has an unknown field 'colour' — a service override takes: access, adopt, antiAffinity, cores, disk, enabled, ha, imageTag, ipAddress, memory, node, preventDestroy, publicBecause, rootfsStorage, vmId",
    ]],
    ['sizes as plain numbers (the former memoryMiB/diskGiB), collected with the rest', homelab({ media: { overrides: { plex: { memory: 8192 }, sonarr: { disk: 20, memoryMiB: 2048 }, radarr: { diskGiB: 16 } } } }), [
      '[homelab/media] overrides.sonarr.memoryMiB is now memory, a Size — write memory: Size.mebibytes(2048)',
      '[homelab/media] overrides.radarr.diskGiB is now disk, a Size — write disk: Size.gibibytes(16)',
      '[homelab/media/sonarr] disk must be a Size, got 20 — write disk: Size.gibibytes(20)',
      '[homelab/media/plex] memory must be a Size, got 8192 — write memory: Size.mebibytes(8192)',
    ]],
    ['the former memoryMiB/diskGiB props from plain JavaScript', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, memoryMiB: 1024, diskGiB: 16 } as never)), [
      '[homelab/media/radarr] memoryMiB is now memory, a Size — write memory: Size.mebibytes(1024)',
      '[homelab/media/radarr] diskGiB is now disk, a Size — write disk: Size.gibibytes(16)',
    ]],
    ['a Proxmox node with the former memoryMiB', withSmall(({ lab }) => new ProxmoxNode(lab.infra, 'pve2', { address: '10.10.0.3', cores: 4, memoryMiB: 8192 } as never)), [
      '[homelab/infra/pve2] memoryMiB is now memory, a Size — write memory: Size.mebibytes(8192)',
    ]],
    ['sizes that are not whole in the unit Proxmox takes', homelab({ media: { overrides: { plex: { memory: Size.parse('1536k') }, sonarr: { disk: Size.mebibytes(1536) } } } }), [
      "[homelab/media/sonarr] disk 1536m is not a whole number of gibibytes — give it in whole gibibytes, e.g. Size.gibibytes(8)",
      "[homelab/media/plex] memory 1536k is not a whole number of mebibytes — give it in whole mebibytes, e.g. Size.mebibytes(1024)",
    ]],
    ['an override that is not an object, and enabled as a string', homelab({ monitoring: { overrides: { grafana: true, prometheus: { enabled: 'false' } } } }), [
      '[homelab/monitoring] overrides.grafana must be an object, got true — write overrides: { grafana: { cores: 2 } } (fields: access, adopt, antiAffinity, cores, disk, enabled, ha, imageTag, ipAddress, memory, node, preventDestroy, publicBecause, rootfsStorage, vmId)',
      '[homelab/monitoring] overrides.prometheus.enabled must be true or false, got "false" — set enabled: false to leave prometheus out, or drop enabled',
    ]],
    ['an empty imageTag override', homelab({ media: { overrides: { sonarr: { imageTag: '' } } } }), [
      "[homelab/media/sonarr] imageTag override \"\" is not a pinned Docker tag — give a version tag of the service's image, e.g. '1.2.3', or leave imageTag out for the catalog's pinned tag",
    ]],
    ['a malformed imageTag override', homelab({ media: { overrides: { sonarr: { imageTag: ':4.0.17' }, radarr: { imageTag: 'v 5' } } } }), [
      "[homelab/media/sonarr] imageTag override \":4.0.17\" is not a pinned Docker tag — give a version tag of the service's image, e.g. '1.2.3', or leave imageTag out for the catalog's pinned tag",
      "[homelab/media/radarr] imageTag override \"v 5\" is not a pinned Docker tag — give a version tag of the service's image, e.g. '1.2.3', or leave imageTag out for the catalog's pinned tag",
    ]],
  ]);

  it('still accepts what is valid: time zones Intl knows, Etc/*, UTC, http URLs, compose durations', () => {
    for (const timezone of ['UTC', 'Etc/UTC', 'Etc/GMT+2', 'Europe/Berlin', 'America/Argentina/Buenos_Aires']) {
      expect(problemsOf(labWith({ timezone })), timezone).toEqual([]);
    }
    expect(problemsOf(labWith({ proxmox: { endpoint: 'https://10.10.10.2:8006/' } }))).toEqual([]);
    expect(problemsOf(service({ healthcheck: Healthcheck.http(Port.tcp(80), '/health?full=1', { interval: '1m30s', timeout: '500ms', startPeriod: '2m', retries: 5 }) }))).toEqual([]);
    expect(problemsOf(homelab({ media: { overrides: { sonarr: { imageTag: '4.0.17', memory: Size.mebibytes(2048) } } } }))).toEqual([]);
  });
});

describe('checks collect instead of throwing', () => {
  it('a check that fails with a ModelError is collected with the other problems', () => {
    expect(problemsOf(withSmall(({ media, node, lan }) => {
      const c = new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.2' });
      addCheck(c, () => fail(node, 'a helper called fail() inside a check', 'return the problem instead'));
    }))).toEqual([
      "[homelab/media/radarr] IP 10.10.0.2 is the address of Proxmox node homelab/infra/pve — pick another address (or leave ipAddress out to have one planned); the node's management address belongs to the host",
      '[homelab/infra/pve] a helper called fail() inside a check — return the problem instead',
    ]);
  });
});

describe('a mistake leaves the previous output alone', () => {
  const dirs: string[] = [];
  afterEach(() => {
    while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
  });
  const treeHash = (dir: string) => {
    const h = createHash('sha256');
    for (const [p, c] of readTree(dir)) h.update(`${p}\0${c}\0`);
    return h.digest('hex');
  };

  it.each([
    ['a collected error (unknown timezone)', (app: App) => { buildSmallLab(app); new Lab(app, 'other', { ...LAB, timezone: 'Mars/Olympus' }); }, SynthError,
      "[other] timezone \"Mars/Olympus\" is not an IANA time zone — use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)"],
    ['a thrown error (duplicate id from constructs)', withSmall(({ media }) => new Construct(media, 'sonarr')), ModelError,
      "[homelab/media/sonarr] the id 'sonarr' is used twice in homelab/media — give every construct an id unique within its parent"],
    ['a thrown error (address with prefix)', withSmall(({ media, node, lan }) => new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.7/24' })), ModelError,
      "[homelab/media/radarr] ipAddress '10.10.0.7/24' has a prefix length"],
  ] as const)('%s', (_name, build, kind, text) => {
    const outdir = join(mkdtempSync(join(scratchRoot(), 'homelab-cdk-mistake-')), 'synth-out');
    dirs.push(join(outdir, '..'));
    synthesize((app) => buildSmallLab(app), { outdir });
    const before = treeHash(outdir);
    let thrown: unknown;
    try {
      synthesize(build as (app: App) => void, { outdir });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(kind);
    expect((thrown as Error).message).toContain(text);
    expect(treeHash(outdir)).toBe(before);
  });
});
