import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TerraformStack } from 'cdktf';
import { App } from '../../lib/cdktf';
import { AnsibleProject } from '../../lib/ansible/project';
import { asModelError, formatProblem, ModelError, SynthError } from '../../lib/problems';
import { isAnsibleContributor, isOutputContributor, OutputFiles } from '../../lib/render';
import { LAB_PLUGINS } from '../../integrations/plugins';
import { prepare } from '../../integrations/synth';
import {
  BackupJob, ComposeService, DockerHost, Duration, EnvValue, Healthcheck, Image, Ipv4Address, Lab, LabStack, LxcContainer, Network, Port, ProxmoxNode,
  Schedule, Secret, Size, Timezone, Url, Volume, WireGuardTunnel,
} from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { AlertRule } from '../../constructs/monitoring/alert-rule';
import { QBittorrent } from '../../constructs/media/qbittorrent';
import { WireGuardServer } from '../../constructs/security/wireguard-server';
import { SSH_KEY } from '../support/lab';

// Issue 12, item 3, class-wide: every prop of the public constructs and value-type factories, fed
// every kind of wrong value a plain-JavaScript user (or a bad JSON file) can pass. The outcome must
// be a valid model whose whole output renders, or errors of the form `[path] message — fix` —
// never a TypeError or a stack trace.

const BAD_VALUES: readonly [string, unknown][] = [
  ['undefined', undefined], ['null', null], ['NaN', NaN], ['-1', -1], ['0', 0], ['1.5', 1.5], ['Infinity', Infinity],
  ["''", ''], ["'x'", 'x'], ['42', 42], ['true', true], ['{}', {}], ['[]', []], ['[null]', [null]],
];

const FORM = /^\[[^\]\n]*\] \S[^]* — \S[^]*$/;

const work = mkdtempSync(join(tmpdir(), 'homelab-cdk-bad-input-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Outcome = { kind: 'ok' } | { kind: 'errors'; lines: string[] } | { kind: 'crash'; error: string };

/**
 * Builds, validates and renders everything the pipeline would write (Terraform JSON of every stack,
 * the Ansible project, the extra files), in memory.
 */
function outcome(build: (app: App) => void): Outcome {
  const app = new App({ outdir: join(work, 'out'), skipValidation: true });
  try {
    try {
      build(app);
    } catch (e) {
      throw asModelError(app, e);
    }
    prepare(app);
    for (const s of app.node.findAll()) if (s instanceof TerraformStack) JSON.stringify(s.toTerraform());
    const project = new AnsibleProject();
    const files = new OutputFiles();
    for (const p of LAB_PLUGINS) p.generate?.(app, { ansible: project, files });
    for (const c of app.node.findAll()) if (isAnsibleContributor(c)) c.contributeAnsible(project);
    project.render();
    for (const c of app.node.findAll()) if (isOutputContributor(c)) c.contributeOutput(files);
    return { kind: 'ok' };
  } catch (e) {
    const lines = e instanceof SynthError ? e.problems.map(formatProblem) : e instanceof ModelError ? [formatProblem(e.problem)] : undefined;
    if (lines && lines.every((l) => FORM.test(l))) return { kind: 'errors', lines };
    return { kind: 'crash', error: lines ? `malformed: ${lines.join(' | ')}` : e instanceof Error ? `${e.name}: ${e.message.split('\n')[0]}` : String(e) };
  }
}

interface Ctx {
  readonly app: App;
  readonly lab: Lab;
  readonly node: ProxmoxNode;
  readonly lan: Network;
  readonly stack: LabStack;
}

const LAB_PROPS = { domain: 'home.example.org', proxmox: { endpoint: 'https://pve.home.example.org:8006/' }, sshPublicKeys: [SSH_KEY], timezone: 'Europe/Berlin' };

/** A one-node lab with a stack, ready for the construct under test. */
function base(app: App, labProps: Record<string, unknown> = LAB_PROPS): Ctx {
  const lab = new Lab(app, 'lab', labProps as never);
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.10.0.2', cores: 8, memory: Size.mebibytes(32768), datasets: ['/tank/data'] });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.0.0/24', gateway: '10.10.0.1' });
  const stack = new LabStack(lab, 'apps');
  return { app, lab, node, lan, stack };
}

/** One target: a valid prop set and how to build the construct with it. */
interface Target {
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Props the valid set leaves out that still deserve every bad value. */
  readonly optional?: readonly string[];
  readonly build: (ctx: Ctx, props: Record<string, unknown>) => void;
  /** The props are the arguments of value-type factories, not one props object: no "props missing" cases. */
  readonly factory?: boolean;
  /** The builder's own context instead of base() (Lab and Homelab fuzz the lab itself). */
  readonly root?: (app: App, props: Record<string, unknown>) => void;
}

const web = (ctx: Ctx) => new DockerHost(ctx.stack, 'web', { node: ctx.node, network: ctx.lan });
const nginx = (props: Record<string, unknown> = {}) => ({ image: Image.of('nginx', '1.29.3'), ports: [{ port: Port.tcp(80), description: 'web' }], ...props });

const TARGETS: Target[] = [
  {
    name: 'Lab',
    props: LAB_PROPS,
    optional: ['vmIdStart', 'vmIdEnd', 'dataOwner', 'pinImageDigests', 'firewall', 'backups', 'backend'],
    build: () => undefined,
    root: (app, props) => { base(app, props); },
  },
  {
    name: 'Lab proxmox settings',
    props: { endpoint: 'https://pve.home.example.org:8006/', auth: 'api-token', insecure: false },
    build: () => undefined,
    root: (app, props) => { base(app, { ...LAB_PROPS, proxmox: props }); },
  },
  {
    name: 'Lab dataOwner',
    props: { uid: 1000, gid: 1000 },
    build: () => undefined,
    root: (app, props) => { base(app, { ...LAB_PROPS, dataOwner: props }); },
  },
  { name: 'LabStack', props: { description: 'apps' }, build: (ctx, props) => { new LabStack(ctx.lab, 'more', props as never); } },
  {
    name: 'ProxmoxNode',
    props: { address: '10.10.0.3', cores: 4, memory: Size.mebibytes(8192) },
    optional: ['name', 'storage', 'datasets', 'gpu', 'cpuOvercommit', 'memoryOvercommit', 'sharedStorage', 'sharedDatasets'],
    build: (ctx, props) => { new ProxmoxNode(ctx.lab.infra, 'pve2', props as never); },
  },
  {
    name: 'ProxmoxNode gpu',
    props: { renderDevice: '/dev/dri/renderD128', renderGid: 104 },
    build: (ctx, props) => { new ProxmoxNode(ctx.lab.infra, 'pve2', { address: '10.10.0.3', cores: 4, memory: Size.mebibytes(8192), gpu: props } as never); },
  },
  {
    name: 'Network',
    props: { bridge: 'vmbr1', cidr: '10.20.0.0/24', gateway: '10.20.0.1' },
    optional: ['vlanId', 'dnsServers', 'autoAssignFrom'],
    build: (ctx, props) => { new Network(ctx.lab.infra, 'dmz', props as never); },
  },
  {
    name: 'LxcContainer',
    props: { ipAddress: '10.10.0.30', vmId: 300, hostname: 'box', cores: 1, memory: Size.mebibytes(512), swap: Size.mebibytes(0), disk: Size.gibibytes(4), tags: ['x'], startupOrder: 1, startupDelaySeconds: 0, startOnBoot: true, description: 'a box', backup: true, preventDestroy: true },
    optional: ['node', 'network', 'unprivileged', 'privilegedReason', 'nesting', 'keyctl', 'template', 'ha', 'antiAffinity', 'rootfsStorage', 'adopt'],
    build: (ctx, props) => { new LxcContainer(ctx.stack, 'box', { node: ctx.node, network: ctx.lan, ...props } as never); },
  },
  {
    name: 'DockerHost',
    props: { ipAddress: '10.10.0.31', memory: Size.mebibytes(1024), projectDir: '/opt/web' },
    optional: ['node', 'network'],
    build: (ctx, props) => {
      const host = new DockerHost(ctx.stack, 'web', { node: ctx.node, network: ctx.lan, ...props } as never);
      new ComposeService(host, 'nginx', nginx());
    },
  },
  {
    name: 'ComposeService',
    props: nginx({ containerName: 'nginx', command: ['nginx', '-g', 'daemon off;'], environment: { A: 'b' }, mounts: [{ source: './config', target: '/config' }], devices: ['/dev/dri'], healthcheck: Healthcheck.http(Port.tcp(80), '/'), restart: 'always', capAdd: ['NET_ADMIN'], networkMode: 'bridge', user: '1000:1000', groupAdd: [44], init: true, shmSize: '64m' }),
    optional: ['dependsOn'],
    build: (ctx, props) => { new ComposeService(web(ctx), 'nginx', props as never); },
  },
  {
    name: 'ComposeService port',
    props: { port: Port.tcp(80), hostPort: Port.tcp(8080), description: 'web' },
    build: (ctx, props) => { new ComposeService(web(ctx), 'nginx', nginx({ ports: [props] })); },
  },
  {
    name: 'ComposeService mount',
    props: { source: './data', target: '/data', lxcPath: '/srv/data', readOnly: true, owner: { uid: 1000, gid: 1000 } },
    build: (ctx, props) => { new ComposeService(web(ctx), 'nginx', nginx({ mounts: [props] })); },
  },
  {
    name: 'Volume.bindMount',
    props: { hostPath: '/tank/data', owner: { uid: 1000, gid: 1000 }, subdirectories: ['media'] },
    build: (ctx, props) => {
      const v = Volume.bindMount(ctx.lab.infra, 'data', props as never);
      new ComposeService(web(ctx), 'nginx', nginx({ mounts: [{ source: v, target: '/data' }] }));
    },
  },
  {
    name: 'Volume.storage',
    props: { storage: 'local-lvm', size: Size.gibibytes(10), backup: true },
    build: (ctx, props) => {
      const v = Volume.storage(ctx.lab.infra, 'db', props as never);
      new ComposeService(web(ctx), 'nginx', nginx({ mounts: [{ source: v, target: '/var/lib/db' }] }));
    },
  },
  {
    name: 'WireGuardTunnel',
    props: { endpoint: '198.51.100.10:51820', peerPublicKey: 'ExampleVpnProviderKeyReplaceWithYourOwn0000=', address: '10.66.12.34/32', dns: ['10.64.0.1'], allowedLanSubnets: ['10.10.0.0/24'], managementSubnets: ['10.10.0.0/24'], interfaceName: 'wg0', persistentKeepaliveSeconds: 25, mtu: 1420, userspaceFallback: true },
    optional: ['privateKey'],
    build: (ctx, props) => {
      const host = web(ctx);
      const key = Secret.vault('web_wireguard_private_key');
      ctx.lab.secrets.declare(host, key, 'the tunnel key');
      new WireGuardTunnel(host, 'vpn', { privateKey: key, ...props } as never);
      new ComposeService(host, 'nginx', nginx());
    },
  },
  {
    name: 'Homelab',
    props: { domain: 'home.example.org', timezone: 'Europe/Berlin', dataPath: '/tank/data' },
    optional: ['node', 'extraNodes', 'lan', 'media', 'monitoring', 'security', 'business', 'backups', 'firewall', 'proxmox', 'sshPublicKeys', 'vmIdStart', 'dataOwner', 'pinImageDigests', 'placement'],
    build: () => undefined,
    root: (app, props) => { new Homelab(app, 'homelab', props as never); },
  },
  {
    name: 'Homelab service override (sonarr)',
    props: { cores: 2, memory: Size.mebibytes(1024), disk: Size.gibibytes(8), imageTag: '4.0.17', ipAddress: '10.10.10.99', vmId: 299, enabled: true, preventDestroy: true },
    optional: ['access', 'node', 'publicBecause', 'ha', 'antiAffinity', 'rootfsStorage', 'adopt'],
    build: () => undefined,
    root: (app, props) => { new Homelab(app, 'homelab', { media: { overrides: { sonarr: props } } } as never); },
  },
  {
    name: 'Healthcheck.http',
    factory: true,
    props: { port: Port.tcp(80), path: '/', interval: '30s', timeout: '5s', retries: 3, startPeriod: '10s', tool: 'curl' },
    build: (ctx, p) => {
      const { port, path, ...opts } = p;
      new ComposeService(web(ctx), 'nginx', nginx({ healthcheck: Healthcheck.http(port as Port, path as string, opts as never) }));
    },
  },
  {
    name: 'Healthcheck.command',
    factory: true,
    props: { argv: ['true'], interval: '30s', retries: 3 },
    build: (ctx, p) => {
      const { argv, ...opts } = p;
      new ComposeService(web(ctx), 'nginx', nginx({ healthcheck: Healthcheck.command(argv as string[], opts as never) }));
    },
  },
  {
    name: 'Port.tcp / Port.udp',
    factory: true,
    props: { tcp: 8080, udp: 1900 },
    build: (ctx, p) => { new ComposeService(web(ctx), 'nginx', nginx({ ports: [{ port: Port.tcp(p.tcp as number) }, { port: Port.udp(p.udp as number) }] })); },
  },
  {
    name: 'Image.of / Image.parse',
    factory: true,
    props: { repository: 'nginx', tag: '1.29.3', ref: 'nginx:1.29.3' },
    build: (ctx, p) => {
      const host = web(ctx);
      new ComposeService(host, 'a', nginx({ image: Image.of(p.repository as string, p.tag as string) }));
      new ComposeService(host, 'b', { image: Image.parse(p.ref as string) });
    },
  },
  {
    name: 'EnvValue.of / EnvValue.fromSecret',
    factory: true,
    props: { value: 'x', secret: 'web_token' },
    build: (ctx, p) => {
      const host = web(ctx);
      const secret = Secret.vault(p.secret as string);
      ctx.lab.secrets.declare(host, secret, 'a token');
      new ComposeService(host, 'nginx', nginx({ environment: { A: EnvValue.of(p.value as string), B: EnvValue.fromSecret(secret) } }));
    },
  },
  {
    name: 'values.ts factories (Timezone, Url, Ipv4Address, Duration, Size, Schedule)',
    factory: true,
    props: { timezone: 'Europe/Berlin', url: 'https://pve.home.example.org:8006/', ip: '10.10.0.40', seconds: 30, parse: '1m', mib: 64, size: '64m' },
    build: () => undefined,
    root: (app, p) => {
      const ctx = base(app, { ...LAB_PROPS, timezone: Timezone.of(p.timezone as string), proxmox: { endpoint: Url.of(p.url as string) } });
      new LxcContainer(ctx.stack, 'box', { node: ctx.node, network: ctx.lan, ipAddress: Ipv4Address.of(p.ip as string) });
      new ComposeService(web(ctx), 'nginx', nginx({
        healthcheck: Healthcheck.http(Port.tcp(80), '/', { interval: Duration.seconds(p.seconds as number), timeout: Duration.parse(p.parse as string) }),
        shmSize: Size.mebibytes(p.mib as number),
      }));
      new ComposeService(ctx.lab.node.findAll().find((c) => c instanceof DockerHost) as DockerHost, 'shm', nginx({ ports: [], shmSize: Size.parse(p.size as string) }));
    },
  },
  {
    name: 'Schedule.daily / Schedule.calendar (BackupJob)',
    factory: true,
    props: { hour: 3, minute: 30, calendar: 'sat 02:00' },
    build: (ctx, p) => {
      new LxcContainer(ctx.stack, 'db', { node: ctx.node, network: ctx.lan, backup: true });
      new BackupJob(ctx.lab.infra, 'nightly', { storage: { kind: 'pbs', id: 'pbs' }, schedule: Schedule.daily(p.hour as number, p.minute as number) });
      new BackupJob(ctx.lab.infra, 'weekly', { storage: { kind: 'pbs', id: 'pbs' }, schedule: Schedule.calendar(p.calendar as string) });
    },
  },
  {
    name: 'AlertRule.heartbeatMissed',
    props: { metric: 'homelab_job_last_success_timestamp_seconds', maxAge: '26h', what: 'The job', alert: 'JobHeartbeatMissed', severity: 'critical' },
    build: (ctx, props) => {
      const host = web(ctx);
      new ComposeService(host, 'nginx', nginx());
      AlertRule.heartbeatMissed(host, 'Heartbeat', props as never);
    },
  },
  {
    name: 'BackupJob',
    props: { storage: { kind: 'pbs', id: 'pbs' }, schedule: '02:00', retention: { keepDaily: 7, keepWeekly: 4, keepMonthly: 3 }, mode: 'snapshot', compress: 'zstd' },
    build: (ctx, props) => {
      new LxcContainer(ctx.stack, 'db', { node: ctx.node, network: ctx.lan, backup: true });
      new BackupJob(ctx.lab.infra, 'nightly', props as never);
    },
  },
  {
    name: 'BackupJob storage',
    props: { kind: 'pbs', id: 'pbs', capacity: Size.gibibytes(2000) },
    build: (ctx, props) => {
      new LxcContainer(ctx.stack, 'db', { node: ctx.node, network: ctx.lan, backup: true });
      new BackupJob(ctx.lab.infra, 'nightly', { storage: props as never });
    },
  },
  {
    name: 'QBittorrent',
    props: { indexerProxy: true, indexerProxyPort: Port.tcp(8888) },
    build: (ctx, props) => {
      const data = Volume.bindMount(ctx.lab.infra, 'data', { hostPath: '/tank/data' });
      new QBittorrent(ctx.stack, 'qbittorrent', { node: ctx.node, network: ctx.lan, data, ...props } as never);
    },
  },
  {
    name: 'QBittorrent vpn',
    props: { endpoint: '198.51.100.10:51820', address: '10.66.12.34/32', dns: ['10.64.0.1'], forwardedPort: Port.tcp(51413), userspaceFallback: true },
    build: (ctx, props) => {
      const data = Volume.bindMount(ctx.lab.infra, 'data', { hostPath: '/tank/data' });
      new QBittorrent(ctx.stack, 'qbittorrent', { node: ctx.node, network: ctx.lan, data, vpn: props } as never);
    },
  },
  {
    name: 'WireGuardServer',
    props: { listenPort: Port.udp(51820), vpnSubnet: '10.10.99.0/24', endpointHost: 'vpn.home.example.org' },
    build: (ctx, props) => { new WireGuardServer(ctx.stack, 'wireguard', { node: ctx.node, network: ctx.lan, ...props } as never); },
  },
];

/** Every (target, prop, bad value) case. */
function cases(): { label: string; build: (app: App) => void }[] {
  const out: { label: string; build: (app: App) => void }[] = [];
  for (const t of TARGETS) {
    const keys = [...Object.keys(t.props), ...(t.optional ?? [])];
    for (const key of keys) {
      for (const [shown, value] of BAD_VALUES) {
        const props = { ...t.props, [key]: value };
        out.push({
          label: `${t.name} ${key}: ${shown}`,
          build: t.root ? (app) => t.root!(app, props) : (app) => t.build(base(app), props),
        });
      }
    }
    // The props object itself missing or of the wrong type (plain JavaScript).
    for (const [shown, value] of [['undefined', undefined], ['null', null], ["'x'", 'x'], ['[]', []]] as const) {
      if (t.root || t.factory) continue;
      out.push({ label: `${t.name} props: ${shown}`, build: (app) => t.build(base(app), value as never) });
    }
  }
  return out;
}

/**
 * Values of the right type that still mean nothing: a string outside a union, an empty name, a
 * relative path. These passed the type check above (no crash) but were accepted silently; each must
 * now be an error naming its prop.
 */
const MEANINGLESS: readonly [target: string, prop: string, value: unknown, expected: string][] = [
  ['ComposeService', 'restart', 'x', 'restart must be one of "no", "always", "on-failure", "unless-stopped", got "x"'],
  ['ComposeService', 'restart', '', 'restart must be one of'],
  ['ComposeService', 'networkMode', 'x', 'networkMode must be one of "host", "bridge", got "x"'],
  ['ComposeService', 'networkMode', '', 'networkMode must be one of'],
  ['ComposeService', 'user', '', 'user must be a non-empty string'],
  ['ComposeService mount', 'source', '', 'source must be a non-empty string or a Volume'],
  ['ComposeService mount', 'lxcPath', 'x', "lxcPath must be an absolute path like '/opt/app', got \"x\""],
  ['BackupJob', 'mode', 'x', 'mode must be one of "snapshot", "suspend", "stop", got "x"'],
  ['BackupJob', 'compress', '', 'compress must be one of "zstd", "gzip", "lzo", got ""'],
  ['DockerHost', 'projectDir', 'x', "projectDir must be an absolute path like '/opt/app', got \"x\""],
  ['Network', 'bridge', '', 'bridge must be a non-empty string, got ""'],
  ['ProxmoxNode gpu', 'renderDevice', 'x', "renderDevice must be a device path like '/dev/dri/renderD128', got \"x\""],
  ['QBittorrent', 'indexerProxy', 'x', 'indexerProxy must be true or false, got "x"'],
  ['AlertRule.heartbeatMissed', 'metric', '', 'metric must be a Prometheus metric name'],
  ['AlertRule.heartbeatMissed', 'what', '', 'what must be a non-empty string'],
  ['Schedule.daily / Schedule.calendar (BackupJob)', 'hour', '', 'Schedule.daily("", 30) needs a whole hour 0–23 and minute 0–59'],
  ['Homelab', 'backups', 'x', 'backups must be an object, got "x"'],
  ['Homelab', 'firewall', '', 'firewall must be an object, got ""'],
];

describe('values of the right type that mean nothing are errors, not accepted', () => {
  it.each(MEANINGLESS)('%s %s: %j', (name, prop, value, expected) => {
    const t = TARGETS.find((x) => x.name === name);
    expect(t, `target ${name}`).toBeDefined();
    const props = { ...t!.props, [prop]: value };
    const result = outcome(t!.root ? (app) => t!.root!(app, props) : (app) => t!.build(base(app), props));
    expect(result.kind).toBe('errors');
    expect((result as { lines: string[] }).lines.join('\n')).toContain(expected);
  });
});

describe('wrong values of every prop end in a valid synth or `[path] message — fix`', () => {
  it('the valid prop sets synthesize', () => {
    const failing = TARGETS.map((t) => ({ name: t.name, result: outcome(t.root ? (app: App) => t.root!(app, t.props) : (app: App) => t.build(base(app), t.props)) }))
      .filter((r) => r.result.kind !== 'ok');
    expect(failing).toEqual([]);
  });

  it('no case crashes', () => {
    const all = cases();
    const results = all.map((c) => ({ label: c.label, result: outcome(c.build) }));
    const crashes = results.filter((r) => r.result.kind === 'crash').map((r) => `${r.label} → ${(r.result as { error: string }).error}`);
    const counts = { cases: results.length, ok: results.filter((r) => r.result.kind === 'ok').length, errors: results.filter((r) => r.result.kind === 'errors').length, crashes: crashes.length };
    if (process.env.BAD_INPUT_REPORT) {
      console.log(JSON.stringify(counts), `\n${crashes.join('\n')}`);
      for (const r of results) console.log(`${r.label} => ${r.result.kind === 'errors' ? r.result.lines.join(' | ') : r.result.kind}`);
    }
    expect(crashes).toEqual([]);
    // The harness reaches the checks: most wrong values are reported, not accepted.
    expect(counts.errors).toBeGreaterThan(counts.ok);
  }, 300_000);
});
