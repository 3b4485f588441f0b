/**
 * `npm run twin`: the user's whole chain on real machines, offline.
 *
 *   synth → node preparation (proxmox.yml) → terraform apply (real LXC containers through the
 *   provider stand-in's twin backend) → ansible-playbook site.yml twice → checks → terraform plan
 *   (no changes expected) → terraform destroy → teardown.
 *
 * Everything runs in a network namespace the twin creates; the lab's addresses exist only there.
 * Teardown always runs (also on failure and on Ctrl-C) unless --keep; `--teardown` cleans up after
 * a kept or crashed run. The report goes to .tmp/twin/report.json.
 */
import { hostFile, HOST_FILES_DIR } from '../../lib/ansible/project';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as yaml from 'js-yaml';
import { changedTasks, HostRecap, parseRecap, runInController } from './ansible';
import { TwinConfig, writeTwinConfig } from './config';
import { exec } from './exec';
import { TwinHost } from './host';
import { LxcTwinBackend } from './lxc';
import { Skipped } from './spec';
import { fillVault } from './vault';
import { IntegrationReport, runIntegrationChecks } from './integration';
import { ContainerFirewall, probeSource, readDatacenterFirewall, readFirewalls } from './probe-sources';
import { REQUIRED_SYSCTLS, translateFirewalls, TwinFirewall, vethName } from './firewall-nft';
import { planFirewallProbes, runFirewallProbes } from './firewall-checks';
import { phonePeerCheck, parsePhoneConfig, removePhone } from './phone';
import { DEFAULT_NAME as DEFAULT_INTERNET, INTERNET_ADDRESSES, Internet, parseWgClientConfig, setUpInternet, teardownInternet, wgKeyPair, wgPublicKey } from './internet';
import { runVpnChecks } from './vpn-checks';
import { RealImage, readRealList, realImagesByHost, realImagesOn, setName } from './docker-seed';
import { AlertReport, alertDrill, checkJails, checkMetrics, checkRoutes, enabledJails, deliveryOf, nodeTargets, readPrometheus, readProxySite, ruleOf, seconds, WiringContext } from './wiring';
import { formatSummary, prepareWorkDir, releasePreventDestroy, stacksInDeployOrder, StandinTerraform, summarizePlan } from '../tf-standin/terraform-runner';

const REPO = path.resolve(__dirname, '..', '..');
const ROOT = path.join(REPO, '.tmp', 'twin');
const NETNS = 'homelab-twin';
const CACHE = process.env.HOMELAB_TWIN_CACHE ?? '/var/cache/homelab-cdk/twin';
const IN_NETNS = path.join(__dirname, 'in-netns.sh');
const REPO_PORT = 8080;
/** The twin's host side of the lab bridge: the lab's gateway, where the template's apt source points (assets.sh). */
const TWIN_GATEWAY = '10.10.10.1';

const USAGE = `usage: npm run twin [-- options]
  --keep            leave the twin running at the end (prints how to get a shell); clean up with --teardown
  --teardown        only tear down what an earlier (kept or crashed) run left behind
  --only STACK      only this stack (infra and the node are always included)
  --hosts N         only the first N containers (by VMID), for a quick pass
  --mitogen         run the playbooks with Mitogen's mitogen_linear strategy (Debian 13's
                    ansible-mitogen, in the controller), to compare converge times
  --synth-out DIR   use this synthesized output instead of synthesizing the reference lab
                    (its SSH key must be the twin's: see README "Digital twin")
  -h, --help        this text

Exit codes: 0 all checks passed, 1 a phase or check failed (see .tmp/twin/report.json), 2 misuse.`;

interface HostReport {
  name: string;
  vmId?: number;
  address: string;
  run1?: HostRecap;
  run2?: HostRecap;
  run2Changed?: string[];
  ssh: boolean;
  composeHealthy: boolean | null;
  ports: { port: number; ok: boolean; detail: string }[];
  nodeExporter: boolean;
  /** Units systemd lists as failed, and the lab's own homelab-* units that are not active. */
  unitProblems?: string[];
}

interface Report {
  startedAt: string;
  ok: boolean;
  error?: string;
  hosts: HostReport[];
  phases: Record<string, number>;
  planAfterApply?: { add: number; change: number; destroy: number };
  skipped: Skipped[];
  failures: string[];
  /** What the hosts do for each other (issue 11): see integration.ts. */
  integration?: IntegrationReport;
  /** Hosts that run real software in place of stand-ins: host → repositories (docker-seed.ts). */
  realImages?: Record<string, string[]>;
  options: Record<string, unknown>;
}

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s`;
const say = (line: string) => process.stdout.write(`[twin ${elapsed()}] ${line}\n`);

class PhaseError extends Error {}

/** One shell word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        keep: { type: 'boolean', default: false },
        teardown: { type: 'boolean', default: false },
        only: { type: 'string' },
        hosts: { type: 'string' },
        mitogen: { type: 'boolean', default: false },
        'synth-out': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    process.stderr.write(`twin: ${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const hostsLimit = values.hosts === undefined ? undefined : Number(values.hosts);
  if (hostsLimit !== undefined && !(Number.isInteger(hostsLimit) && hostsLimit > 0)) {
    process.stderr.write(`twin: --hosts takes a positive whole number, got '${values.hosts}'\n`);
    return 2;
  }
  try {
    realImagesOn();
  } catch (err) {
    process.stderr.write(`twin: ${(err as Error).message}\n`);
    return 2;
  }
  if (process.getuid?.() !== 0) {
    process.stderr.write('twin: must run as root (network namespaces, LXC, sysctls)\n');
    return 2;
  }
  fs.mkdirSync(ROOT, { recursive: true });
  const host = new TwinHost(ROOT, IN_NETNS);
  if (values.teardown) {
    const errors = [...(await teardownInternet(NETNS)), ...(await host.teardown())];
    for (const e of errors) say(`teardown: ${e}`);
    say(errors.length === 0 ? 'teardown complete' : 'teardown left something behind (see above)');
    return errors.length === 0 ? 0 : 1;
  }
  if (host.dirty) {
    say('an earlier twin run left state behind: tearing it down first');
    const errors = [...(await teardownInternet(NETNS)), ...(await host.teardown())];
    if (errors.length > 0) throw new Error(`cannot clean up the earlier run:\n${errors.join('\n')}`);
  }

  const report: Report = {
    startedAt: new Date().toISOString(),
    ok: false,
    hosts: [],
    phases: {},
    skipped: [],
    failures: [],
    options: { only: values.only ?? null, hosts: hostsLimit ?? null, keep: values.keep, mitogen: values.mitogen, realImages: process.env.HOMELAB_TWIN_REAL_IMAGES !== '0' },
  };
  const reportFile = path.join(ROOT, 'report.json');
  fs.rmSync(reportFile, { force: true });
  let interrupted = false;
  const onSignal = () => {
    interrupted = true;
    say('interrupted: finishing the current step, then tearing down');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const phase = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    if (interrupted) throw new PhaseError('interrupted');
    const start = Date.now();
    say(`${name} ...`);
    try {
      return await fn();
    } finally {
      report.phases[name] = Math.round((Date.now() - start) / 100) / 10;
      say(`${name} done in ${report.phases[name]} s`);
    }
  };

  const twin = new Twin(host, report, values, hostsLimit);
  try {
    await twin.run(phase);
    report.ok = report.failures.length === 0;
  } catch (err) {
    report.error = err instanceof PhaseError ? err.message : ((err as Error).stack ?? String(err));
    say(`FAILED: ${err instanceof PhaseError ? err.message : (err as Error).message}`);
  } finally {
    report.skipped.push(...twin.skipped());
    if (values.keep) {
      say(`kept running. A shell in a container: ${IN_NETNS} ${NETNS} lxc-attach -P ${path.join(ROOT, 'lxc')} -n <vmid>`);
      say(`SSH from the twin's namespace: ip netns exec ${NETNS} ssh -i ${path.join(ROOT, 'ssh', 'id_ed25519')} root@<address>`);
      say('tear down with: npm run twin -- --teardown');
    } else {
      const start = Date.now();
      say('teardown ...');
      const errors = [...(await twin.teardownInternet()), ...(await host.teardown())];
      report.phases.teardown = Math.round((Date.now() - start) / 100) / 10;
      for (const e of errors) {
        say(`teardown: ${e}`);
        report.failures.push(`teardown: ${e}`);
      }
      if (errors.length > 0) report.ok = false;
    }
    fs.writeFileSync(reportFile, `${JSON.stringify(report, null, 2)}\n`);
    printTable(report);
    say(`report: ${path.relative(process.cwd(), reportFile)}`);
  }
  return report.ok ? 0 : 1;
}

type Phase = <T>(name: string, fn: () => Promise<T>) => Promise<T>;

/** One twin run: the lab's files, the backends, and the phases in order. */
class Twin {
  private readonly outDir = path.join(ROOT, 'synth-out');
  private readonly sshDir = path.join(ROOT, 'ssh');
  private config!: TwinConfig;
  private configFile!: string;
  private tf!: StandinTerraform;
  private inventory: { name: string; address: string; groups: string[] }[] = [];
  private vmIds = new Map<string, number>();
  private firewall?: TwinFirewall;
  private firewallsRead?: Map<number, ContainerFirewall>;
  /** The VPN provider's key pair: its public half goes into the synthesized lab (synth-lab.ts). */
  private provider?: { privateKey: string; publicKey: string };
  /** The alert drill's outcome, pending while the second converge runs (startAlertDrill). */
  private drill?: Promise<AlertReport>;
  /** The remote-access peer's key pair (the WireGuard server's example peer), likewise. */
  private phone?: { privateKey: string; publicKey: string };
  private internet?: Internet;
  /** Prefix length of the lab bridge (from the model), set with the namespace. */
  private lanPrefix = '24';
  /** Real software where Debian has it (HOMELAB_TWIN_REAL_IMAGES, on unless 0): docker-seed.ts. */
  private readonly realImages = realImagesOn();

  constructor(
    private readonly host: TwinHost,
    private readonly report: Report,
    private readonly opts: { only?: string; 'synth-out'?: string; mitogen?: boolean },
    private readonly hostsLimit: number | undefined,
  ) {}

  skipped(): Skipped[] {
    const file = path.join(ROOT, 'skipped.jsonl');
    const seen = new Set<string>();
    const out: Skipped[] = [];
    const list: Skipped[] = fs.existsSync(file)
      ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Skipped)
      : [];
    for (const s of [...this.staticSkips(), ...list]) {
      const k = `${s.what}\u0000${s.why}`;
      if (!seen.has(k)) out.push(s), seen.add(k);
    }
    return out;
  }

  private staticSkips(): Skipped[] {
    return [
      {
        what: 'proxmox_host: the lxc-pve / pve-container version gate',
        why: 'the twin node is not a Proxmox host; skipped through proxmox_host_check_versions: false (an extra var)',
      },
      {
        what: 'resources other than containers (templates, firewall, backup job, pools)',
        why: 'recorded in Terraform state only; the twin has no Proxmox API, firewall or vzdump',
      },
      {
        what: 'container images',
        why: 'stand-ins tagged with the exact catalog references (no registry), real Debian software for SWAG, Prometheus, Alertmanager and the blackbox exporter (report.realImages); see README "Digital twin"',
      },
      {
        what: 'image digest pins (e.g. Immich\'s database image)',
        why: 'the twin synthesizes with pinImageDigests: false: a stand-in cannot have upstream\'s manifest digest; the tag pins stay',
      },
      {
        what: 'the Grafana apt repository (alloy, promtail)',
        why: 'stand-in packages from the twin repository via log_agent_apt_uri / log_agent_apt_key',
      },
    ];
  }

  async run(phase: Phase): Promise<void> {
    await phase('prerequisites', () => this.prerequisites());
    await phase('assets', () => this.assets());
    await phase('synth', () => this.synth());
    await phase('host', () => this.setUpHost());
    await phase('docker seed', () => this.dockerSeed());
    await phase('node', () => this.node());
    await phase('terraform apply', () => this.terraform('apply'));
    await phase('firewall', () => this.loadFirewall());
    await phase('internet', () => this.setUpInternet());
    await phase('ssh', () => this.waitForSsh());
    await phase('converge 1', () => this.converge(1));
    await phase('alert drill', () => this.startAlertDrill());
    await phase('converge 2', () => this.converge(2));
    await phase('checks', () => this.checks());
    await phase('integration', () => this.integration());
    await phase('terraform plan', () => this.terraform('plan'));
    await phase('terraform destroy', () => this.terraform('destroy'));
  }

  private async prerequisites(): Promise<void> {
    const missing: string[] = [];
    for (const tool of ['lxc-start', 'lxc-attach', 'ip', 'mknod', 'ssh-keygen', 'busybox', 'mmdebstrap', 'lxc-usernsexec', 'smbclient', 'wg', 'wireguard-go', 'nft', 'nsenter', 'ping', 'ss', 'dnsmasq', 'curl']) {
      const r = await exec('sh', ['-c', `PATH="$PATH:/usr/sbin:/sbin" command -v ${tool}`], { allowFailure: true });
      if (r.code !== 0) missing.push(tool);
    }
    if (!fs.existsSync('/usr/share/lxc/config/debian.common.conf')) missing.push('lxc-templates (/usr/share/lxc/config/debian.common.conf)');
    if (missing.length > 0) {
      throw new PhaseError(
        `missing: ${missing.join(', ')} — apt-get install -y --no-install-recommends lxc lxc-templates uidmap mmdebstrap busybox-static openssh-client smbclient wireguard-tools wireguard-go nftables iputils-ping dnsmasq-base curl`,
      );
    }
    const st = await exec('bash', [path.join(REPO, 'scripts', 'trixie-controller.sh'), 'status'], { allowFailure: true });
    if (st.code !== 0) throw new PhaseError(`the Debian 13 controller is not built: bash scripts/trixie-controller.sh build\n${st.stderr}`);
  }

  private async assets(): Promise<void> {
    // Shifting the template to Proxmox's mapping needs root's 100000 range (journaled, removed at teardown).
    this.host.addSubIds();
    const ansibleDir = this.opts['synth-out'] ? path.join(path.resolve(this.opts['synth-out']), 'ansible') : path.join(REPO, 'synth-out', 'ansible');
    const r = await exec('bash', [path.join(__dirname, 'assets.sh'), 'build', '--cache', CACHE, '--ansible', ansibleDir], {
      allowFailure: true,
      onOutput: (c) => process.stdout.write(c.replace(/^/gm, '    ').replace(/ {4}$/, '')),
    });
    if (r.code !== 0) throw new PhaseError('building the twin assets failed (output above)');
  }

  private async synth(): Promise<void> {
    fs.mkdirSync(this.sshDir, { recursive: true });
    const key = path.join(this.sshDir, 'id_ed25519');
    if (!fs.existsSync(key)) await exec('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'homelab-twin', '-f', key]);
    const pub = fs.readFileSync(`${key}.pub`, 'utf8').trim();
    if (this.opts['synth-out']) {
      fs.rmSync(this.outDir, { recursive: true, force: true });
      fs.cpSync(path.resolve(this.opts['synth-out']), this.outDir, { recursive: true });
    } else {
      // The reference lab with the twin's key: the committed synth-out/ carries an example key whose
      // private half nobody has. Everything else is the committed model, unchanged.
      // The provider's public key is the twin's own: its stand-in endpoint (internet.ts) holds the private half.
      this.provider = await wgKeyPair();
      // Likewise the WireGuard server's example peer: the twin's phone (phone.ts) holds its private half.
      this.phone = await wgKeyPair();
      const r = await exec('node', ['--import', 'tsx', path.join(__dirname, 'synth-lab.ts'), this.outDir, pub, this.provider.publicKey, this.phone.publicKey], {
        cwd: REPO,
        allowFailure: true,
      });
      if (r.code !== 0) throw new PhaseError(`synth failed:\n${r.stderr}`);
    }
    this.readInventory();
  }

  private readInventory(): void {
    const inv = path.join(this.outDir, 'ansible', 'inventory');
    const hostsDoc = yaml.load(fs.readFileSync(path.join(inv, 'hosts.yml'), 'utf8')) as any;
    const groups = new Map<string, string[]>();
    const walk = (node: any, group: string) => {
      for (const h of Object.keys(node?.hosts ?? {})) groups.set(h, [...(groups.get(h) ?? []), group]);
      for (const [g, child] of Object.entries(node?.children ?? {})) walk(child, g);
    };
    walk(hostsDoc.all, 'all');
    this.inventory = [...groups.entries()].map(([name, gs]) => {
      const hv = yaml.load(fs.readFileSync(path.join(inv, 'host_vars', `${name}.yml`), 'utf8')) as any;
      if (hv?.homelab_vmid) this.vmIds.set(name, hv.homelab_vmid);
      return { name, address: String(hv.ansible_host), groups: gs };
    });
  }

  /** Container hosts this run covers (after --only / --hosts), sorted by VMID. */
  private containerHosts(): { name: string; address: string; groups: string[] }[] {
    let hosts = this.inventory.filter((h) => h.groups.includes('lxc')).sort((a, b) => (this.vmIds.get(a.name) ?? 0) - (this.vmIds.get(b.name) ?? 0));
    if (this.opts.only) hosts = hosts.filter((h) => h.groups.includes(this.opts.only!));
    if (this.hostsLimit) hosts = hosts.slice(0, this.hostsLimit);
    return hosts;
  }

  private nodeHosts() {
    return this.inventory.filter((h) => h.groups.includes('proxmox_hosts'));
  }

  private stacks(): string[] {
    const dir = path.join(this.outDir, 'stacks');
    const all = fs.readdirSync(dir).filter((d) => fs.existsSync(path.join(dir, d, 'cdk.tf.json')));
    // The order `cdktf deploy` uses (manifest.json's stack dependencies): infra, whose templates and
    // pools the stacks use, first; a stack holding an HA rule after the stacks of its members.
    const ordered = stacksInDeployOrder(this.outDir).filter((s) => all.includes(s));
    if (this.opts.only && !all.includes(this.opts.only)) throw new PhaseError(`--only ${this.opts.only}: no such stack (have ${all.join(', ')})`);
    return this.opts.only ? ordered.filter((s) => s === 'infra' || s === this.opts.only) : ordered;
  }

  /** Bridges and their gateway from the containers' Terraform config. */
  private bridges(): { name: string; address: string }[] {
    const out = new Map<string, string>();
    for (const s of this.stacks()) {
      const doc = JSON.parse(fs.readFileSync(path.join(this.outDir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
      for (const c of Object.values<any>(doc.resource?.proxmox_virtual_environment_container ?? {})) {
        const bridge = c.network_interface?.[0]?.bridge;
        const ip = c.initialization?.ip_config?.[0]?.ipv4;
        if (bridge && ip?.gateway && ip?.address) out.set(bridge, `${ip.gateway}/${String(ip.address).split('/')[1]}`);
      }
    }
    if (out.size === 0) throw new PhaseError('no container with a static address and gateway: the twin needs the lab network');
    return [...out.entries()].map(([name, address]) => ({ name, address }));
  }

  private async setUpHost(): Promise<void> {
    const bridges = this.bridges();
    await this.host.raiseSysctls();
    this.host.addSubIds();
    await this.host.createNetns(NETNS, bridges);
    const [gateway, prefix] = bridges[0]!.address.split('/') as [string, string];
    this.lanPrefix = prefix;
    if (gateway !== TWIN_GATEWAY) {
      throw new PhaseError(`the twin's apt repository is served at ${TWIN_GATEWAY}, but this lab's gateway is ${gateway}`);
    }
    this.host.startInNetns('apt repository server', ['busybox', 'httpd', '-f', '-p', `${gateway}:${REPO_PORT}`, '-h', path.join(CACHE, 'repo')], path.join(ROOT, 'repo-server.log'));
    this.startDns(gateway);
    const nodeRoot = path.join(ROOT, 'node');
    fs.rmSync(nodeRoot, { recursive: true, force: true });
    fs.mkdirSync(nodeRoot, { recursive: true });
    this.config = {
      root: ROOT,
      netns: NETNS,
      lxcPath: path.join(ROOT, 'lxc'),
      rootfs: path.join(CACHE, 'rootfs'),
      rootfsShifted: path.join(CACHE, 'rootfs-shifted'),
      nodeRoot,
      dockerSeed: null,
      bridges: bridges.map((b) => b.name),
      skippedLog: path.join(ROOT, 'skipped.jsonl'),
      inNetns: IN_NETNS,
    };
    fs.rmSync(this.config.skippedLog, { force: true });
    fs.rmSync(this.config.lxcPath, { recursive: true, force: true });
    fs.mkdirSync(this.config.lxcPath, { recursive: true });
    this.host.registerLxcPath(this.config.lxcPath);
    this.configFile = writeTwinConfig(this.config);
    await this.waitFor('the apt repository', async () => {
      const r = await exec('ip', ['netns', 'exec', NETNS, 'busybox', 'wget', '-q', '-O', '/dev/null', `http://${gateway}:${REPO_PORT}/debian/dists/trixie/InRelease`], { allowFailure: true });
      return r.code === 0;
    }, 15);
  }

  /**
   * The LAN's resolver at the gateway (the model's DNS server), as a home router's dnsmasq would be
   * set up for a reverse proxy: the SWAG domain and every name under it resolve to SWAG's address
   * (split horizon); nothing else is answered (no upstream: the twin has no internet DNS).
   */
  private startDns(gateway: string): void {
    const site = readProxySite(path.join(this.outDir, 'ansible'));
    const swag = site && this.inventory.find((h) => h.name === site.swagHost);
    if (!site || !swag) {
      this.report.skipped.push({ what: 'the LAN resolver (dnsmasq)', why: 'no SWAG host in this run' });
      return;
    }
    this.host.startInNetns('LAN resolver (dnsmasq)', [
      'dnsmasq', '--keep-in-foreground', '--conf-file=/dev/null', '--no-resolv', '--no-hosts', '--bind-interfaces',
      `--listen-address=${gateway}`, `--address=/${site.domain}/${swag.address}`, '--pid-file=', '--user=nobody', '--group=nogroup',
      '--log-queries', '--log-facility=-',
    ], path.join(ROOT, 'dnsmasq.log'));
    say(`  LAN resolver at ${gateway}: ${site.domain} and *.${site.domain} → ${swag.address} (${swag.name})`);
  }

  /**
   * Image stores made once in a throwaway container with the same id mapping and Docker version as
   * the lab's, then copied into each new container's /var/lib/docker: Docker is installed by the play
   * (the template has none), and `pull: missing` finds the images. Every host gets the stand-ins;
   * a host whose compose file uses real images (docker-seed.ts) gets a store that also holds those.
   */
  private async dockerSeed(): Promise<void> {
    const images = path.join(CACHE, 'images');
    const realDir = path.join(CACHE, 'images-real');
    const manifest = fs.readFileSync(path.join(images, 'manifest.json'));
    const rootfsTar = fs.statSync(path.join(images, 'rootfs.tar'));
    const repoRelease = fs.readFileSync(path.join(CACHE, 'repo', 'debian', 'dists', 'trixie', 'Release'));
    const real = this.realImages ? readRealList(path.join(realDir, 'real-list.tsv')) : [];
    const byHost = realImagesByHost(path.join(this.outDir, 'ansible'), real);
    const sets = new Map<string, RealImage[]>();
    for (const imgs of byHost.values()) sets.set(setName(imgs), imgs);
    const hash = createHash('sha256').update('seed v2').update(manifest).update(String(rootfsTar.size)).update(String(rootfsTar.mtimeMs)).update(repoRelease);
    for (const [name, imgs] of [...sets].sort(([a], [b]) => a.localeCompare(b))) {
      hash.update(`set ${name}`);
      for (const r of imgs) {
        const st = fs.statSync(path.join(realDir, r.tar));
        hash.update(`${r.line}\n${st.size} ${st.mtimeMs}`);
      }
    }
    const key = hash.digest('hex').slice(0, 16);
    const seed = path.join(CACHE, 'docker-seed', key);
    const stores = ['image', 'overlay2'];
    if (!fs.existsSync(path.join(seed, '.complete'))) {
      const lxcPath = path.join(ROOT, 'seed-lxc');
      fs.rmSync(lxcPath, { recursive: true, force: true });
      fs.mkdirSync(lxcPath, { recursive: true });
      this.host.registerLxcPath(lxcPath);
      const builder = new LxcTwinBackend({ ...this.config, lxcPath, nodeRoot: '/', skippedLog: path.join(ROOT, 'seed-skipped.jsonl') });
      const vmId = 9999;
      const address = this.freeAddress();
      say(`  building the image stores in a builder container at ${address} (cached afterwards): stand-ins${sets.size ? `, and with real images: ${[...sets.keys()].join(', ')}` : ''}`);
      const mounts = [{ source: images, target: '/twin-images', readOnly: true, bind: true }];
      if (sets.size) mounts.push({ source: realDir, target: '/twin-real', readOnly: true, bind: true });
      await builder.create({
        vmId,
        hostname: 'twin-seed',
        unprivileged: true,
        nesting: true,
        keyctl: true,
        network: { bridge: this.config.bridges[0]!, name: 'eth0', ipv4Address: address, ipv4Gateway: TWIN_GATEWAY },
        sshKeys: [],
        mounts,
        devices: [],
        started: true,
      });
      const attach = (cmd: string, timeoutMs = 300_000) =>
        exec(IN_NETNS, [NETNS, 'lxc-attach', '-P', lxcPath, '-n', String(vmId), '--', 'sh', '-c', cmd], { timeoutMs });
      const builderStore = path.join(lxcPath, String(vmId), 'docker');
      await this.waitFor('the builder to boot', async () => {
        const r = await exec(IN_NETNS, [NETNS, 'lxc-attach', '-P', lxcPath, '-n', String(vmId), '--', 'systemctl', 'is-system-running'], { allowFailure: true });
        return ['running', 'degraded'].includes(r.stdout.trim());
      }, 60);
      await attach('DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q docker.io');
      await attach('HOMELAB_TWIN_REAL_IMAGES=0 sh /twin-images/import.sh /twin-images');
      const stopDocker = '{ systemctl stop docker.socket docker.service containerd.service || true; }';
      await attach(stopDocker);
      fs.rmSync(seed, { recursive: true, force: true });
      const copyStore = async (from: string, to: string) => {
        fs.mkdirSync(to, { recursive: true });
        for (const d of stores) {
          fs.rmSync(path.join(to, d), { recursive: true, force: true });
          await exec('cp', ['-a', path.join(from, d), path.join(to, d)]);
        }
      };
      await copyStore(builderStore, path.join(seed, 'standin'));
      for (const [name, imgs] of sets) {
        // From the stand-in store, import this set's real images over their references.
        await copyStore(path.join(seed, 'standin'), builderStore);
        const dir = `/tmp/real-set-${name}`;
        const list = imgs.map((r) => r.line).join('\n');
        await attach([
          `rm -rf ${dir} && mkdir -p ${dir}/real`,
          `ln -s /twin-images/import-list.tsv /twin-images/rootfs.tar ${dir}/`,
          ...imgs.map((r) => `ln -s /twin-real/${r.tar} ${dir}/real/`),
          `printf '%s\\n' '${list.replace(/'/g, "'\\''")}' >${dir}/real/real-list.tsv`,
          // docker.service allows 3 starts a minute (StartLimitBurst): one per set would hit it.
          'systemctl reset-failed docker.service docker.socket',
          'systemctl start docker.service',
          `HOMELAB_TWIN_REAL_IMAGES=1 sh /twin-images/import.sh ${dir}`,
          // Every reference of the set's repositories now carries the real image.
          ...imgs.map((r) => `! docker image ls --format '{{.Repository}} {{.ID}}' | awk -v r=${q(r.repository)} '$1 == r' | ` +
            `while read -r _ id; do docker image inspect -f '{{range .Config.Env}}{{println .}}{{end}}' "$id"; done | grep -q '^STANDIN_BUILD=[0-9]'`),
          stopDocker,
        ].join(' && '));
        await copyStore(builderStore, path.join(seed, `real-${name}`));
      }
      await builder.destroy(vmId);
      fs.writeFileSync(path.join(seed, '.complete'), `${new Date().toISOString()}\n`);
      // Older seeds of other asset versions are of no use any more.
      for (const old of fs.readdirSync(path.dirname(seed))) {
        if (old !== key) fs.rmSync(path.join(path.dirname(seed), old), { recursive: true, force: true });
      }
    } else {
      say(`  image stores cached at ${seed}`);
    }
    const dockerSeedByHost: Record<string, string> = {};
    for (const [host, imgs] of byHost) dockerSeedByHost[host] = path.join(seed, `real-${setName(imgs)}`);
    if (byHost.size) say(`  real images: ${[...byHost].map(([h, imgs]) => `${h} (${setName(imgs)})`).join(', ')}`);
    this.report.realImages = Object.fromEntries([...byHost].map(([h, imgs]) => [h, imgs.map((r) => r.repository)]));
    this.config = { ...this.config, dockerSeed: path.join(seed, 'standin'), dockerSeedByHost };
    this.configFile = writeTwinConfig(this.config);
  }

  private freeAddress(): string {
    const used = new Set(this.inventory.map((h) => h.address));
    const net = TWIN_GATEWAY.split('.').slice(0, 3).join('.');
    for (let i = 254; i > 2; i--) if (!used.has(`${net}.${i}`)) return `${net}.${i}/${this.lanPrefix}`;
    throw new PhaseError(`no free address in ${net}.0/${this.lanPrefix} for the seed builder`);
  }

  /**
   * The Proxmox node stand-in: a privileged container ("pve") whose dataset roots are the twin's node
   * tree, prepared by the generated proxmox.yml before Terraform, as the README's order says.
   */
  private async node(): Promise<void> {
    const nodes = this.nodeHosts();
    const lxcPath = path.join(ROOT, 'node-lxc');
    fs.rmSync(lxcPath, { recursive: true, force: true });
    fs.mkdirSync(lxcPath, { recursive: true });
    this.host.registerLxcPath(lxcPath);
    const backend = new LxcTwinBackend({ ...this.config, lxcPath });
    const pub = fs.readFileSync(path.join(this.sshDir, 'id_ed25519.pub'), 'utf8').trim();
    let vmId = 1;
    for (const n of nodes) {
      const hv = yaml.load(fs.readFileSync(path.join(this.outDir, 'ansible', 'inventory', 'host_vars', `${n.name}.yml`), 'utf8')) as any;
      // The pools themselves exist on a real node (zpool create is outside the model); their contents
      // are the play's job.
      const roots = new Set<string>(
        (hv.proxmox_host_directories ?? []).map((d: { path: string }) => `/${d.path.split('/').filter(Boolean)[0]}`),
      );
      for (const r of roots) fs.mkdirSync(path.join(this.config.nodeRoot, r), { recursive: true });
      // So do the datasets in them (zfs create): proxmox.yml checks they exist before making directories.
      for (const d of (hv.proxmox_host_datasets ?? []) as string[]) fs.mkdirSync(path.join(this.config.nodeRoot, d), { recursive: true });
      await backend.create({
        vmId: vmId++,
        hostname: n.name,
        unprivileged: false,
        nesting: false,
        keyctl: false,
        network: { bridge: this.config.bridges[0]!, name: 'eth0', ipv4Address: `${n.address}/${this.lanPrefix}`, ipv4Gateway: TWIN_GATEWAY },
        sshKeys: [pub],
        mounts: [...roots].map((r) => ({ source: r, target: r, readOnly: false, bind: true })),
        devices: [],
        started: true,
      });
    }
    this.prepareProject();
    await this.ansibleReachable(nodes.map((n) => n.name));
    // A Proxmox node has its cluster CA at /etc/pve/pve-root-ca.pem (pmxcfs); the stand-in gets a
    // twin CA there, so proxmox.yml's fetch and the PVE exporter's CA bundle run for real.
    const ca = await exec('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', '/dev/null',
      '-subj', '/CN=Proxmox Virtual Environment (homelab-cdk twin)', '-days', '2']);
    for (let id = 1; id < vmId; id++) {
      await exec(IN_NETNS, [NETNS, 'lxc-attach', '-P', lxcPath, '-n', String(id), '--', 'sh', '-c', 'mkdir -p /etc/pve && cat > /etc/pve/pve-root-ca.pem'], { input: ca.stdout });
    }
    const r = await this.playbook('proxmox.yml', [], 'node');
    if (r.code !== 0) throw new PhaseError(`ansible-playbook proxmox.yml failed (log: ${path.relative(REPO, path.join(ROOT, 'ansible-node.log'))})`);
  }

  /** The operator's files in the twin's copy of the project: vault.yml and the twin's extra vars. */
  private prepareProject(): void {
    const project = path.join(this.outDir, 'ansible');
    const vaultDir = path.join(project, 'inventory', 'group_vars', 'all');
    fs.writeFileSync(path.join(vaultDir, 'vault.yml'), fillVault(fs.readFileSync(path.join(project, 'vault.example.yml'), 'utf8')), { mode: 0o600 });
    const twinDir = path.join(project, '.twin');
    fs.mkdirSync(twinDir, { recursive: true });
    fs.copyFileSync(path.join(this.sshDir, 'id_ed25519'), path.join(twinDir, 'id_ed25519'));
    fs.chmodSync(path.join(twinDir, 'id_ed25519'), 0o600);
    // Role variables that exist for users who mirror or test: the Grafana repository (Alloy,
    // Promtail) is the twin's, and the node is not a Proxmox host.
    const extra = {
      log_agent_apt_uri: `http://${TWIN_GATEWAY}:${REPO_PORT}/grafana`,
      log_agent_apt_key: `http://${TWIN_GATEWAY}:${REPO_PORT}/grafana/gpg.key`,
      proxmox_host_check_versions: false,
      // The version gate is off, and the CA fetch defaults to it; the stand-in has a CA to fetch.
      proxmox_host_fetch_ca: true,
    };
    fs.writeFileSync(path.join(twinDir, 'extra-vars.yml'), yaml.dump(extra));
  }

  private ansibleEnv(): Record<string, string> {
    return {
      ANSIBLE_PRIVATE_KEY_FILE: '/work/.twin/id_ed25519',
      ANSIBLE_HOST_KEY_CHECKING: 'False',
      ANSIBLE_RETRY_FILES_ENABLED: 'False',
      // Per-task timings at the end of each log: where a converge spends its time.
      ANSIBLE_CALLBACKS_ENABLED: 'ansible.posix.profile_tasks',
      PROFILE_TASKS_TASK_OUTPUT_LIMIT: '25',
      // An operator's choice, never the generated ansible.cfg's: the default strategy is what users run.
      ...(this.opts.mitogen ? { ANSIBLE_STRATEGY: 'mitogen_linear' } : {}),
    };
  }

  private async playbook(playbook: string, args: string[], logName: string) {
    const log = path.join(ROOT, `ansible-${logName}.log`);
    fs.writeFileSync(log, '');
    let lastTask = '';
    const r = await runInController(
      {
        repoRoot: REPO,
        netns: NETNS,
        projectDir: path.join(this.outDir, 'ansible'),
        timeoutS: 3600,
        onOutput: (chunk) => {
          fs.appendFileSync(log, chunk);
          const m = [...chunk.matchAll(/^(?:TASK|PLAY) \[(.+?)\]/gm)].pop();
          if (m && m[1] !== lastTask) {
            lastTask = m[1]!;
            if (process.stdout.isTTY || process.env.CI) say(`  ${logName}: ${lastTask}`);
          }
        },
      },
      ['ansible-playbook', playbook, '-e', '@.twin/extra-vars.yml', ...args],
      this.ansibleEnv(),
    );
    return { ...r, output: fs.readFileSync(log, 'utf8') };
  }

  private async ansibleReachable(hosts: string[]): Promise<void> {
    await this.waitFor(`SSH on ${hosts.length} host(s)`, async () => {
      const r = await runInController(
        { repoRoot: REPO, netns: NETNS, projectDir: path.join(this.outDir, 'ansible'), timeoutS: 120 },
        ['ansible', hosts.join(','), '-m', 'ansible.builtin.ping', '-o', '-e', '@.twin/extra-vars.yml'],
        this.ansibleEnv(),
      );
      const ok = new Set([...r.stdout.matchAll(/^(\S+) \| SUCCESS/gm)].map((m) => m[1]));
      for (const h of this.report.hosts) if (ok.has(h.name)) h.ssh = true;
      return hosts.every((h) => ok.has(h));
    }, 90);
  }

  private async terraform(action: 'apply' | 'plan' | 'destroy'): Promise<void> {
    if (!this.tf) {
      this.tf = StandinTerraform.create({ workRoot: path.join(ROOT, 'tf'), timeoutMs: 1_800_000 });
    }
    const env = { HOMELAB_TF_STANDIN_TWIN: this.configFile };
    const targets = this.hostsLimit || this.opts.only ? this.targets() : undefined;
    const totals = { add: 0, change: 0, destroy: 0 };
    const stacks = action === 'destroy' ? [...this.stacks()].reverse() : this.stacks();
    // Every run builds a fresh lab: a state left by a kept or crashed run names containers that the
    // teardown removed.
    if (action === 'apply') fs.rmSync(path.join(ROOT, 'tf', 'state'), { recursive: true, force: true });
    for (const stack of stacks) {
      const work = path.join(ROOT, 'tf', 'work', stack);
      if (action === 'apply') {
        fs.rmSync(work, { recursive: true, force: true });
        prepareWorkDir(path.join(this.outDir, 'stacks', stack), work, path.join(ROOT, 'tf', 'state', `${stack}.tfstate`));
        const init = await this.tf.init(work);
        if (init.code !== 0) throw new PhaseError(`terraform init (${stack}) failed:\n${init.output}`);
      }
      const stackTargets = targets?.get(stack);
      if (targets && stack !== 'infra' && (!stackTargets || stackTargets.length === 0)) continue;
      const targetArgs = stack === 'infra' || !stackTargets ? [] : stackTargets.map((t) => `-target=${t}`);
      if (action === 'plan') {
        const r = await this.tf.run(work, ['plan', '-input=false', '-out=after.tfplan', ...targetArgs], env);
        if (r.code !== 0) throw new PhaseError(`terraform plan (${stack}) failed:\n${r.output}`);
        const show = await this.tf.run(work, ['show', '-json', 'after.tfplan'], env);
        const s = summarizePlan(JSON.parse(show.stdout));
        totals.add += s.add;
        totals.change += s.change;
        totals.destroy += s.destroy;
        if (s.add + s.change + s.destroy > 0) {
          this.report.failures.push(`terraform plan after apply (${stack}) is not empty: ${formatSummary(stack, s)}`);
        }
        continue;
      }
      // The twin's lab is thrown away on purpose: lift the stateful containers' prevent_destroy for its teardown.
      if (action === 'destroy') releasePreventDestroy(path.join(this.outDir, 'stacks', stack), work);
      const args = action === 'apply' ? ['apply', '-input=false', '-auto-approve', ...targetArgs] : ['destroy', '-input=false', '-auto-approve', ...targetArgs];
      const r = await this.tf.run(work, args, env);
      fs.writeFileSync(path.join(ROOT, `terraform-${action}-${stack}.log`), r.output);
      const summary = /(Apply|Destroy) complete![^\n]*/.exec(r.output)?.[0] ?? '';
      say(`  ${stack}: ${r.code === 0 ? summary : 'FAILED'}`);
      if (r.code !== 0) throw new PhaseError(`terraform ${action} (${stack}) failed:\n${r.output.split('\n').slice(-40).join('\n')}`);
    }
    if (action === 'plan') this.report.planAfterApply = totals;
  }

  /** Terraform addresses of the containers this run covers, per stack (for --only / --hosts). */
  private targets(): Map<string, string[]> {
    const wanted = new Set(this.containerHosts().map((h) => h.name));
    const out = new Map<string, string[]>();
    for (const s of this.stacks()) {
      const doc = JSON.parse(fs.readFileSync(path.join(this.outDir, 'stacks', s, 'cdk.tf.json'), 'utf8'));
      const list: string[] = [];
      for (const [id, c] of Object.entries<any>(doc.resource?.proxmox_virtual_environment_container ?? {})) {
        if (wanted.has(c.initialization?.hostname)) list.push(`proxmox_virtual_environment_container.${id}`);
      }
      out.set(s, list);
    }
    return out;
  }

  private async waitForSsh(): Promise<void> {
    const hosts = this.containerHosts();
    this.report.hosts = hosts.map((h) => ({
      name: h.name,
      vmId: this.vmIds.get(h.name),
      address: h.address,
      ssh: false,
      composeHealthy: h.groups.includes('docker_hosts') ? false : null,
      ports: [],
      nodeExporter: false,
    }));
    await this.ansibleReachable(hosts.map((h) => h.name));
  }

  private limitArgs(): string[] {
    if (!this.hostsLimit && !this.opts.only) return [];
    const names = [...this.nodeHosts().map((h) => h.name), ...this.containerHosts().map((h) => h.name)];
    return ['--limit', names.join(',')];
  }

  private async converge(run: 1 | 2): Promise<void> {
    const r = await this.playbook('site.yml', this.limitArgs(), `run${run}`);
    const recap = parseRecap(r.output);
    const changed = changedTasks(r.output);
    for (const h of this.report.hosts) {
      const rc = recap.get(h.name);
      if (run === 1) h.run1 = rc;
      else {
        h.run2 = rc;
        h.run2Changed = changed.get(h.name) ?? [];
      }
      if (!rc) this.report.failures.push(`run ${run}: ${h.name} is missing from the play recap`);
      else if (rc.failed > 0 || rc.unreachable > 0) this.report.failures.push(`run ${run}: ${h.name} failed=${rc.failed} unreachable=${rc.unreachable}`);
      else if (run === 2 && rc.changed > 0) this.report.failures.push(`run 2: ${h.name} changed=${rc.changed} (${(changed.get(h.name) ?? []).join('; ')})`);
    }
    for (const n of this.nodeHosts()) {
      const rc = recap.get(n.name);
      if (rc && (rc.failed > 0 || (run === 2 && rc.changed > 0))) this.report.failures.push(`run ${run}: node ${n.name} failed=${rc.failed} changed=${rc.changed}`);
    }
    if (r.code !== 0) throw new PhaseError(`ansible-playbook site.yml (run ${run}) exited ${r.code}; log: ${path.relative(REPO, path.join(ROOT, `ansible-run${run}.log`))}\n${tail(r.output, 30)}`);
  }

  /** Compose health, declared ports and node_exporter, seen from inside the twin's namespace. */
  private async checks(): Promise<void> {
    const hosts = this.containerHosts();
    // Healthchecks run every 30 s after a start period: wait for them to settle.
    await this.waitFor('every compose healthcheck', async () => {
      let all = true;
      await Promise.all(
        this.report.hosts.map(async (h) => {
          if (h.composeHealthy === null || h.composeHealthy) return;
          const r = await exec(IN_NETNS, [NETNS, 'lxc-attach', '-P', this.config.lxcPath, '-n', String(h.vmId), '--', 'docker', 'ps', '-a', '--format', '{{.Names}}\t{{.State}}\t{{.Status}}'], { allowFailure: true });
          const rows = r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t'));
          h.composeHealthy = r.code === 0 && rows.length > 0 && rows.every(([, state, status]) => state === 'running' && !/\((unhealthy|health: starting)\)/.test(status ?? ''));
          if (!h.composeHealthy) all = false;
        }),
      );
      return all;
    }, 240, false);
    for (const h of this.report.hosts) if (h.composeHealthy === false) this.report.failures.push(`${h.name}: compose project not running and healthy`);

    const probes: any[] = [];
    for (const h of hosts) {
      probes.push({ host: h.address, port: 9100, kind: 'http', path: '/metrics', expect: 'node_', name: h.name, what: 'node_exporter' });
      const composeFile = path.join(this.outDir, 'ansible', hostFile(h.name, 'compose.yml'));
      if (!fs.existsSync(composeFile)) continue;
      const compose = yaml.load(fs.readFileSync(composeFile, 'utf8')) as any;
      for (const svc of Object.values<any>(compose.services ?? {})) {
        for (const p of svc.ports ?? []) {
          const spec = String(p);
          if (spec.endsWith('/udp')) continue;
          const parts = spec.replace(/\/tcp$/, '').split(':');
          const hostPort = Number(parts.length >= 2 ? parts[parts.length - 2] : parts[0]);
          const bind = parts.length === 3 ? parts[0] : undefined;
          probes.push({ host: bind && bind !== '0.0.0.0' ? bind : h.address, port: hostPort, kind: 'tcp', name: h.name, what: 'port' });
        }
      }
    }
    // Each probe comes from where the model allows it (see probe-sources.ts).
    const firewalls = this.lanFirewalls();
    const byName = new Map(this.report.hosts.map((h) => [h.name, h]));
    const byAddress = new Map(this.report.hosts.map((h) => [h.address, h]));
    const candidates = this.report.hosts.map((h) => h.address);
    const fromGateway: any[] = [];
    const fromContainers: Promise<{ name: string; what: string; port: number; ok: boolean; detail: string }>[] = [];
    for (const p of probes) {
      const fw = firewalls.get(byName.get(p.name)?.vmId ?? -1);
      let src = probeSource(fw, p.port, TWIN_GATEWAY, candidates.filter((a) => a !== p.host));
      // No LAN address may open it (Prometheus scraping its own node_exporter, qBittorrent's port
      // forwarded through the tunnel): probe from the host itself — a connection to one's own
      // address never crosses the veth the firewall filters, so it shows the port answers.
      if (src.kind === 'none') src = { kind: 'container', address: p.host };
      if (src.kind === 'gateway') fromGateway.push(p);
      else fromContainers.push(this.probeFrom(byAddress.get(src.address)!, p));
    }
    const r = await exec('ip', ['netns', 'exec', NETNS, 'node', path.join(__dirname, 'probe.mjs')], { input: JSON.stringify(fromGateway) });
    const results = [...(JSON.parse(r.stdout) as { name: string; what: string; port: number; ok: boolean; detail: string }[]), ...(await Promise.all(fromContainers))];
    for (const res of results) {
      const h = this.report.hosts.find((x) => x.name === res.name)!;
      if (res.what === 'node_exporter') h.nodeExporter = res.ok;
      else h.ports.push({ port: res.port, ok: res.ok, detail: res.detail });
      if (!res.ok) this.report.failures.push(`${res.name}: ${res.what} ${res.port} does not answer (${res.detail})`);
    }
    for (const h of this.report.hosts) if (!h.ssh) this.report.failures.push(`${h.name}: no SSH`);
    await this.checkUnits();
  }

  /**
   * systemd's view of every host: no unit failed, and every unit the roles installed (homelab-*) that
   * no timer starts is active — one that is enabled but never pulled in is a bug too.
   */
  private async checkUnits(): Promise<void> {
    // Units a timer starts (the textfile collectors) are inactive between runs, as they should be.
    const script = [
      "systemctl list-units --failed --plain --no-legend | awk '{print $1 \" failed\"}'",
      "systemctl list-units --all --plain --no-legend 'homelab-*' | awk '$3 != \"active\" {print $1, $3 \"/\" $4}' |",
      '  while read -r unit state; do [ -n "$(systemctl show -P TriggeredBy "$unit")" ] || echo "$unit $state"; done',
    ].join('\n');
    await Promise.all(this.report.hosts.map(async (h) => {
      const r = await this.inContainer(h.vmId!, script);
      h.unitProblems = r.code === 0 ? r.stdout.split('\n').map((l) => l.trim()).filter(Boolean) : [`systemctl: ${(r.stderr || r.stdout).trim()}`];
      for (const u of h.unitProblems) this.report.failures.push(`${h.name}: unit ${u}`);
    }));
  }

  /**
   * The model's Proxmox firewall, enforced on each container's veth (firewall-nft.ts) from the
   * moment the containers exist, as Proxmox enforces it: both converges run under it.
   */
  private async loadFirewall(): Promise<void> {
    const ports = new Map<number, string>();
    for (const h of this.containerHosts()) {
      const id = this.vmIds.get(h.name);
      if (id !== undefined) ports.set(id, vethName(id));
    }
    this.firewall = translateFirewalls({ firewalls: this.lanFirewalls(), datacenter: readDatacenterFirewall(this.outDir), ports });
    fs.writeFileSync(path.join(ROOT, 'firewall.nft'), this.firewall.text);
    for (const [k, v] of Object.entries(REQUIRED_SYSCTLS)) await exec('ip', ['netns', 'exec', NETNS, 'sysctl', '-q', '-w', `${k}=${v}`]);
    await exec('ip', ['netns', 'exec', NETNS, 'nft', '-f', '-'], { input: this.firewall.text });
    const filtered = this.firewall.ports.filter((p) => p.filtered).length;
    say(`  firewall: ${filtered} of ${this.firewall.ports.length} containers filtered (ruleset: ${path.relative(REPO, path.join(ROOT, 'firewall.nft'))})`);
    for (const n of new Set(this.firewall.notes.map((n) => n.replace(/^VM \d+: /, '').replace(/: VMs [\d, ]+$/, '')))) {
      this.report.skipped.push({ what: `firewall: ${n}`, why: 'not translated to the twin ruleset (firewall-nft.ts)' });
    }
  }

  /** The selected VPN client host (wireguard_clients) and its generated wg-quick config, if any. */
  private vpnClient(): { name: string; configFile: string } | undefined {
    const h = this.containerHosts().find((x) => x.groups.includes('wireguard_clients'));
    if (!h) return undefined;
    const hv = yaml.load(fs.readFileSync(path.join(this.outDir, 'ansible', 'inventory', 'host_vars', `${h.name}.yml`), 'utf8')) as any;
    const iface = String(hv?.wireguard_client_interface ?? 'wg0');
    const configFile = path.join(this.outDir, 'ansible', hostFile(h.name, `wireguard/${iface}.conf.j2`));
    return fs.existsSync(configFile) ? { name: h.name, configFile } : undefined;
  }

  /**
   * The internet behind the twin: the VPN provider's WireGuard endpoint and an internet server
   * (internet.ts), up before the converge so wg-quick on the VPN client meets a live provider.
   */
  private async setUpInternet(): Promise<void> {
    const client = this.vpnClient();
    if (!client) {
      this.report.skipped.push({ what: 'VPN egress checks', why: 'no VPN client host (wireguard_clients) in this run' });
      return;
    }
    const conf = parseWgClientConfig(fs.readFileSync(client.configFile, 'utf8'));
    if (!this.provider || conf.peerPublicKey !== this.provider.publicKey) {
      this.report.skipped.push({ what: 'VPN egress checks', why: `${client.name}'s provider key is not the twin's (--synth-out): no stand-in provider can answer it` });
      return;
    }
    const vault = yaml.load(fs.readFileSync(path.join(this.outDir, 'ansible', 'inventory', 'group_vars', 'all', 'vault.yml'), 'utf8')) as Record<string, string>;
    const privateKey = conf.privateKeyVar ? vault[conf.privateKeyVar] : undefined;
    if (!privateKey) throw new PhaseError(`${client.configFile}: PrivateKey is not a vault variable the twin filled in`);
    this.internet = await setUpInternet({
      twinNetns: NETNS,
      lanGateway: TWIN_GATEWAY,
      endpoint: conf.endpoint,
      providerPrivateKey: this.provider.privateKey,
      clientPublicKey: await wgPublicKey(privateKey),
      clientTunnelAddress: conf.address,
      tunnelDns: conf.dns,
      logFile: path.join(ROOT, 'internet.log'),
    });
    say(`  internet: provider endpoint ${conf.endpoint}, internet server ${this.internet.server}, exit ${this.internet.exitAddress}`);
  }

  /** Undoes setUpInternet (before the twin's namespace goes). */
  async teardownInternet(): Promise<string[]> {
    const errors = await removePhone(NETNS, DEFAULT_INTERNET);
    errors.push(...(this.internet ? await this.internet.teardown() : await teardownInternet(NETNS)));
    this.internet = undefined;
    return errors;
  }

  /** The VPN client's egress, with the tunnel up, down and its wireguard-go killed (vpn-checks.ts). */
  private async vpnChecks(byName: Map<string, { name: string; vmId: number; address: string }>) {
    const client = this.vpnClient();
    if (!this.internet || !client) return undefined;
    const hv = yaml.load(fs.readFileSync(path.join(this.outDir, 'ansible', 'inventory', 'host_vars', `${client.name}.yml`), 'utf8')) as any;
    const compose = path.join(this.outDir, 'ansible', hostFile(client.name, 'compose.yml'));
    const services = fs.existsSync(compose) ? Object.values<any>((yaml.load(fs.readFileSync(compose, 'utf8')) as any).services ?? {}) : [];
    const container = services.map((svc) => svc.container_name).find(Boolean);
    const me = byName.get(client.name)!;
    // A LAN client of a published TCP port (the web UI), as the model's firewall names it.
    const fw = this.lanFirewalls().get(me.vmId);
    const published = this.publishedTcpPorts(client.name);
    let lan: { name: string; address: string } | undefined;
    let webPort = 0;
    for (const port of published) {
      lan = [...byName.values()].find((h) => h.name !== client.name && probeSource(fw, port, '0.0.0.0', [h.address]).kind === 'container');
      if (lan) {
        webPort = port;
        break;
      }
    }
    const proxyClient = (hv?.vpn_proxy_allow ?? []).map((a: string) => [...byName.values()].find((h) => h.address === a)).find(Boolean);
    return runVpnChecks(this.internet, {
      host: client.name,
      container,
      iface: String(hv?.wireguard_client_interface ?? 'wg0'),
      lanClient: lan ? { host: lan.name, address: me.address, port: webPort } : undefined,
      proxy: proxyClient && hv?.vpn_proxy_port ? { client: proxyClient.name, url: `http://${hv.vpn_proxy_listen ?? me.address}:${hv.vpn_proxy_port}` } : undefined,
    }, { inHost: (name, script) => this.inContainer(byName.get(name)!.vmId, script) }, say);
  }

  /** What the hosts do for each other: the standby's sync, SMB logins (integration.ts). */
  private async integration(): Promise<void> {
    const hosts = this.report.hosts.filter((h) => h.vmId !== undefined).map((h) => ({ name: h.name, vmId: h.vmId!, address: h.address }));
    const integration = await runIntegrationChecks({
      hosts,
      projectDir: path.join(this.outDir, 'ansible'),
      attach: (h, script) => this.inContainer(h.vmId, script),
      inNetns: (command, args) => exec('ip', ['netns', 'exec', NETNS, command, ...args], { allowFailure: true, timeoutMs: 60_000 }),
      say,
    });
    if (this.firewall) {
      const byName = new Map(hosts.map((h) => [h.name, h]));
      const probes = planFirewallProbes(this.firewall, this.lanFirewalls(), hosts, TWIN_GATEWAY);
      say(`  integration: ${probes.length} firewall probes (declared and undeclared connections)`);
      integration.firewall = await runFirewallProbes(probes, {
        inHost: (name, script) => this.inContainer(byName.get(name)!.vmId, script),
        inGateway: (script) => exec('ip', ['netns', 'exec', NETNS, 'sh', '-c', script], { allowFailure: true }),
      });
      for (const p of integration.firewall.probes) {
        if (!p.ok) this.report.failures.push(`firewall: ${p.from} -> ${p.to} ${p.kind === 'ping' ? 'ping' : `${p.port}/tcp`} should be ${p.expect} (${p.why}): ${p.detail}`);
      }
    }
    const vpn = await this.vpnChecks(new Map(hosts.map((h) => [h.name, h])));
    if (vpn) {
      integration.vpn = vpn;
      for (const st of vpn.steps) if (!st.ok) this.report.failures.push(`vpn: ${st.what}: ${st.detail}`);
      if (vpn.leaked > 0) this.report.failures.push(`vpn: ${vpn.leaked} packet(s) reached the internet around the tunnel`);
    }
    const fromInternet = await this.internetIntoLan(hosts);
    if (fromInternet) {
      integration.fromInternet = fromInternet;
      for (const p of fromInternet.probes) if (!p.ok) this.report.failures.push(`from the internet: ${p.to}:${p.port}/tcp should be ${p.expect}: ${p.detail}`);
    }
    const phone = await this.phoneCheck(hosts);
    if (phone) {
      integration.phone = phone;
      if (!phone.ok) this.report.failures.push(`WireGuard server: the phone peer: ${phone.detail}`);
    }
    await this.wiring(integration, hosts);
    if (this.drill) {
      integration.alert = await this.drill;
      this.drill = undefined;
      if (!integration.alert.delivered || !integration.alert.resolved) this.report.failures.push(`wiring: alert drill on ${integration.alert.host}: ${integration.alert.detail}`);
    }
    this.report.integration = integration;
    for (const [what, checks] of Object.entries({ standbySync: integration.standbySync, smbLogin: integration.smbLogin })) {
      for (const [name, c] of Object.entries(checks as Record<string, { ok: boolean; steps: string[] }>)) {
        if (!c.ok) this.report.failures.push(`integration ${what} ${name}: ${c.steps.join('; ')}`);
      }
    }
  }

  /**
   * Defence in depth: with the router routing the whole internet into the LAN (as if every port were
   * forwarded), every published TCP port of every container is tried from the internet. A port the
   * model's firewall opens to any source must connect; every other one must be dropped (time out) by
   * the container's own firewall — e.g. Prometheus' 9090.
   */
  private async internetIntoLan(hosts: { name: string; vmId: number; address: string }[]) {
    if (!this.internet || !this.firewall) return undefined;
    const from = INTERNET_ADDRESSES.isp;
    const bits = Number(this.lanPrefix);
    const gw = TWIN_GATEWAY.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
    const net = bits === 0 ? 0 : gw - (gw % 2 ** (32 - bits));
    const lan = `${[24, 16, 8, 0].map((b) => Math.floor(net / 2 ** b) % 256).join('.')}/${bits}`;
    const fw = this.lanFirewalls();
    const probes: { to: string; port: number; expect: 'open' | 'dropped'; ok: boolean; detail: string }[] = [];
    const inInternet = (script: string) => exec('ip', ['netns', 'exec', DEFAULT_INTERNET, 'sh', '-c', script], { allowFailure: true });
    const vpnClient = this.vpnClient()?.name;
    const added = await inInternet(`ip route add ${lan} via ${INTERNET_ADDRESSES.twinWan}`);
    if (added.code !== 0) throw new PhaseError(`cannot route ${lan} from the internet to the router: ${added.stderr.trim()}`);
    try {
      const jobs: Promise<void>[] = [];
      for (const h of hosts) {
        for (const port of new Set(this.publishedTcpPorts(h.name))) {
          // The VPN client's kill switch admits the internet only through its tunnel, never via the LAN.
          const expect = probeSource(fw.get(h.vmId), port, from, []).kind === 'gateway' && h.name !== vpnClient ? 'open' : 'dropped';
          jobs.push(inInternet(`timeout 4 bash -c 'exec 3<>/dev/tcp/${h.address}/${port}'`).then((r) => {
            // 124: timed out (dropped); 1: refused (an RST: something answered); 0: connected.
            const seen = r.code === 0 ? 'connected' : r.code === 124 ? 'timed out' : `refused (${(r.stderr || '').trim().split('\n').pop()})`;
            const ok = expect === 'open' ? r.code === 0 : r.code === 124;
            probes.push({ to: `${h.name} ${h.address}`, port, expect, ok, detail: seen });
          }));
        }
      }
      await Promise.all(jobs);
    } finally {
      await inInternet(`ip route del ${lan}`);
    }
    probes.sort((a, b) => a.to.localeCompare(b.to) || a.port - b.port);
    const open = probes.filter((p) => p.expect === 'open');
    const dropped = probes.filter((p) => p.expect === 'dropped');
    say(`  integration: from the internet (${from}), routed into the LAN: ${open.filter((p) => p.ok).length}/${open.length} ports open to anyone connect, ${dropped.filter((p) => p.ok).length}/${dropped.length} others dropped`);
    return { from, open: open.length, openOk: open.filter((p) => p.ok).length, dropped: dropped.length, droppedOk: dropped.filter((p) => p.ok).length, probes };
  }

  /**
   * The WireGuard server's remote access from the internet (phone.ts): the example peer, whose key is
   * the twin's, dials the router's WAN address and reaches a LAN service the model lets the server's
   * address reach (its clients are masqueraded behind it).
   */
  private async phoneCheck(hosts: { name: string; vmId: number; address: string }[]) {
    const server = hosts.find((h) => h.name === this.containerHosts().find((x) => x.groups.includes('wireguard_servers'))?.name);
    if (!server) return undefined;
    if (!this.internet || !this.phone) {
      this.report.skipped.push({ what: 'the WireGuard server\'s phone peer', why: this.phone ? 'the twin\'s internet is not up in this run (no VPN client)' : 'the lab was not synthesized by the twin (--synth-out): no peer key the twin holds' });
      return undefined;
    }
    const hv = yaml.load(fs.readFileSync(path.join(this.outDir, 'ansible', 'inventory', 'host_vars', `${server.name}.yml`), 'utf8')) as any;
    const iface = String(hv?.wireguard_server_interface ?? 'wg0');
    const peer = String((hv?.wireguard_server_peers ?? [])[0] ?? '');
    const confFile = path.join(this.outDir, 'ansible', hostFile(server.name, `wireguard/clients/${peer}.conf.j2`));
    if (!peer || !fs.existsSync(confFile)) throw new PhaseError(`${server.name}: no client config for its first peer (${confFile})`);
    const key = await this.inContainer(server.vmId, `wg show ${iface} public-key`);
    if (key.code !== 0) return { handshake: false, reached: false, target: '', ok: false, detail: `wg show ${iface} public-key on ${server.name}: ${(key.stderr || key.stdout).trim()}` };
    // A LAN service the server's address may open, as the firewall rules name it (a web UI, SWAG...).
    const fw = this.lanFirewalls();
    let target: { address: string; port: number; what: string } | undefined;
    for (const h of hosts.filter((x) => x.name !== server.name).sort((a, b) => a.name.localeCompare(b.name))) {
      const port = this.publishedTcpPorts(h.name).find((p: number) => probeSource(fw.get(h.vmId), p, '0.0.0.0', [server.address]).kind === 'container');
      if (port) {
        target = { address: h.address, port, what: h.name };
        break;
      }
    }
    if (!target) return { handshake: false, reached: false, target: '', ok: false, detail: `no LAN service admits ${server.name}'s address in the model's firewall` };
    say(`  integration: a phone on the internet dials the WireGuard server ${server.name} (port forward on the router) and asks ${target.what} at ${target.address}:${target.port}`);
    const result = await phonePeerCheck({
      twinNetns: NETNS,
      internetNetns: DEFAULT_INTERNET,
      config: parsePhoneConfig(fs.readFileSync(confFile, 'utf8')),
      privateKey: this.phone.privateKey,
      serverPublicKey: key.stdout.trim(),
      serverAddress: server.address,
      target,
    });
    say(`  integration: phone: ${result.detail}`);
    return result;
  }

  /**
   * Routes through SWAG, Prometheus' targets and probes, the Watchdog's heartbeats and one outage
   * from lxc-stop to the user's ntfy topic and back (wiring.ts).
   */
  private async wiring(integration: IntegrationReport, hosts: { name: string; vmId: number; address: string }[]): Promise<void> {
    const project = path.join(this.outDir, 'ansible');
    const byName = new Map(hosts.map((h) => [h.name, h]));
    const ctx: WiringContext = {
      inHost: (name, script) => this.inContainer(byName.get(name)!.vmId, script),
      inGateway: (script) => exec('ip', ['netns', 'exec', NETNS, 'sh', '-c', script], { allowFailure: true, timeoutMs: 60_000 }),
      say,
    };
    const fail = (line: string) => this.report.failures.push(`wiring: ${line}`);
    const real = this.report.realImages ?? {};
    const site = readProxySite(project);
    const swag = site && byName.get(site.swagHost);
    if (site && swag && real[swag.name]) {
      const routes = await checkRoutes(site, swag.address, path.join(CACHE, 'images-real', 'twin-ca.crt'), hosts, ctx);
      integration.routes = routes;
      for (const r of routes.results) {
        if (!r.ok) fail(`route ${r.url}: ${r.detail}`);
        else if (!r.redirect) fail(`route ${r.url}: http:// does not redirect to it (${r.detail})`);
      }
      for (const l of routes.lanOnly.leaking) fail(`a host without a route is reachable through SWAG: ${l}`);
      const expected = enabledJails(project, site.swagHost);
      const compose = yaml.load(fs.readFileSync(path.join(project, hostFile(site.swagHost, 'compose.yml')), 'utf8')) as any;
      const container = Object.entries<any>(compose?.services ?? {}).map(([n, svc]) => String(svc.container_name ?? n))[0];
      if (expected.length && container) {
        integration.jails = await checkJails(site, container, expected, ctx);
        if (!integration.jails.ok) fail(`fail2ban in SWAG: expected jails ${expected.join(', ')}; ${integration.jails.detail}`);
      }
    } else {
      this.report.skipped.push({ what: 'route checks through SWAG', why: site && swag ? 'SWAG runs a stand-in (HOMELAB_TWIN_REAL_IMAGES=0)' : 'no SWAG host in this run' });
    }
    const prom = readPrometheus(project);
    const promHost = prom && byName.get(prom.host);
    if (!prom || !promHost || !real[prom.host]) {
      this.report.skipped.push({ what: 'Prometheus targets, probes and the alert drill', why: promHost ? 'Prometheus runs a stand-in (HOMELAB_TWIN_REAL_IMAGES=0)' : 'no Prometheus host in this run' });
      return;
    }
    // Two scrape intervals after everything is up; the lab has been up for minutes already.
    const metrics = await checkMetrics({ host: prom.host, address: promHost.address, port: prom.port }, hosts.map((h) => h.name), 90, ctx);
    integration.targets = metrics.targets;
    integration.probes = metrics.probes;
    for (const d of metrics.targets.down) fail(`scrape target down: ${d}`);
    for (const d of metrics.probes.failed) fail(`probe failed: ${d}`);

    const amHost = fs.readdirSync(path.join(project, HOST_FILES_DIR)).find((h) => fs.existsSync(path.join(project, hostFile(h, 'config/alertmanager.yml.j2'))));
    if (!amHost || !byName.has(amHost)) {
      this.report.skipped.push({ what: 'the Watchdog heartbeat', why: 'no Alertmanager in this run' });
    } else if (this.internet) {
      const pings = this.internet.deadmanRequests().filter((r) => r.method === 'POST' && r.path.startsWith('/ping/') && r.body.includes('"Watchdog"'));
      integration.watchdog = { delivered: pings.length > 0, heartbeats: pings.length, from: [...new Set(pings.map((p) => p.peer))] };
      say(`  wiring: the dead-man switch got ${pings.length} Watchdog heartbeat(s) from ${integration.watchdog.from.join(', ') || 'nobody'}`);
      if (!pings.length) fail(`no Watchdog heartbeat reached the dead-man switch at ${INTERNET_ADDRESSES.deadman}`);
    } else {
      this.report.skipped.push({ what: 'the Watchdog heartbeat', why: 'the twin\'s internet is not up in this run (no VPN client)' });
    }
  }

  /**
   * The alert drill (wiring.ts), between the two converges: one container is stopped until its down
   * alert reaches the ntfy recorder, then started again, and the second converge runs while
   * Alertmanager's next group interval delivers the resolution (the wait costs no time; and the
   * restarted host must converge with changed=0 too). Its result is awaited by the integration phase.
   */
  private async startAlertDrill(): Promise<void> {
    const project = path.join(this.outDir, 'ansible');
    const hosts = this.report.hosts.filter((h) => h.vmId !== undefined).map((h) => ({ name: h.name, vmId: h.vmId!, address: h.address }));
    const byName = new Map(hosts.map((h) => [h.name, h]));
    const real = this.report.realImages ?? {};
    const prom = readPrometheus(project);
    const amFile = fs.readdirSync(path.join(project, HOST_FILES_DIR)).map((h) => path.join(project, hostFile(h, 'config/alertmanager.yml.j2'))).find((f) => fs.existsSync(f));
    if (!prom || !byName.has(prom.host) || !real[prom.host] || !amFile) {
      this.report.skipped.push({ what: 'the alert drill', why: 'no real Prometheus and Alertmanager in this run' });
      return;
    }
    const amText = fs.readFileSync(amFile, 'utf8');
    // The victim: a host only its node_exporter job watches, away from the alerting path and the VPN.
    const targets = nodeTargets(project);
    const critical = new Set([prom.host, path.basename(path.dirname(path.dirname(amFile))), readProxySite(project)?.swagHost, this.vpnClient()?.name]);
    const victim = [...targets.keys()].sort().find((h) => byName.has(h) && !critical.has(h));
    if (!victim) return;
    const stack = targets.get(victim)!.stack;
    const rule = ruleOf(project, stack, 'InstanceDown');
    const labels = { alertname: 'InstanceDown', host: victim, stack, job: 'node', ...rule.labels };
    const delivery = deliveryOf(amText, labels);
    const ntfyUrl = new URL(delivery.url);
    const ntfyHost = hosts.find((h) => h.address === ntfyUrl.hostname);
    if (!ntfyHost || !real[ntfyHost.name]) {
      this.report.skipped.push({ what: 'the alert drill', why: `its receiver ${delivery.url} is not the ntfy recorder of this run` });
      return;
    }
    const am = yaml.load(amText.replace(/\{\{[^}]*\}\}/g, '"vault"')) as any;
    const forSeconds = seconds(rule.for);
    const scrape = seconds(String((yaml.load(fs.readFileSync(path.join(project, hostFile(prom.host, 'config/prometheus.yml')), 'utf8')) as any)?.global?.scrape_interval ?? '1m'));
    const backend = new LxcTwinBackend(this.config);
    const vmId = byName.get(victim)!.vmId;
    let restarted!: () => void;
    const back = new Promise<void>((r) => (restarted = r));
    const drill = alertDrill({
      host: victim,
      alertname: 'InstanceDown',
      expected: { topic: delivery.topic, priority: delivery.priority, forSeconds },
      ntfy: { host: ntfyHost.name, address: ntfyHost.address, port: Number(ntfyUrl.port || 80) },
      stop: () => backend.stop(vmId),
      start: async () => {
        try {
          await backend.start(vmId);
        } finally {
          restarted();
        }
      },
      deliverWithinSeconds: forSeconds + seconds(String(am.route?.group_wait ?? '30s')) + 4 * scrape + 60,
      resolveWithinSeconds: seconds(String(am.route?.group_interval ?? '5m')) + 4 * scrape + 90,
    }, { inHost: (name, script) => this.inContainer(byName.get(name)!.vmId, script), inGateway: async () => { throw new Error('unused'); }, say });
    // Keep a rejection from going unhandled while the converge runs; integration() reports it.
    this.drill = drill.catch((err: Error) => ({
      host: victim, alertname: 'InstanceDown', expected: { topic: delivery.topic, priority: delivery.priority, forSeconds },
      delivered: false, resolved: false, secondsToDeliver: null, secondsToResolve: null, detail: `the drill failed: ${err.message}`,
    }));
    await Promise.race([back, this.drill]);
    // Back before the second converge: SSH and the compose project (restart: unless-stopped).
    await this.waitFor(`${victim} to be back after lxc-start`, async () => (await this.inContainer(vmId, 'systemctl is-active -q ssh && docker ps -q | grep -q .')).code === 0, 180);
  }

  /** Host-side TCP ports a host's compose project publishes (`ports:`), in file order; none without one. */
  private publishedTcpPorts(host: string): number[] {
    const file = path.join(this.outDir, 'ansible', hostFile(host, 'compose.yml'));
    if (!fs.existsSync(file)) return [];
    const compose = yaml.load(fs.readFileSync(file, 'utf8')) as any;
    return Object.values<any>(compose?.services ?? {})
      .flatMap((svc) => (svc.ports ?? []).map(String))
      .filter((p: string) => !p.endsWith('/udp'))
      .map((p: string) => Number(p.replace(/\/tcp$/, '').split(':').slice(-2)[0]));
  }

  /** `sh -c script` inside a lab container, from the twin's namespace; never throws. */
  private inContainer(vmId: number, script: string) {
    return exec(IN_NETNS, [NETNS, 'lxc-attach', '-P', this.config.lxcPath, '-n', String(vmId), '--', 'sh', '-c', script], { allowFailure: true });
  }

  /** The model's per-container firewalls, read once from the synthesized Terraform JSON. */
  private lanFirewalls(): Map<number, ContainerFirewall> {
    this.firewallsRead ??= readFirewalls(this.outDir);
    return this.firewallsRead;
  }

  /** One probe from inside another container (bash's /dev/tcp, or curl for HTTP: the base role installs it). */
  private async probeFrom(source: HostReport, p: any): Promise<{ name: string; what: string; port: number; ok: boolean; detail: string }> {
    const script = p.kind === 'http'
      ? `curl -fsS -m 5 'http://${p.host}:${p.port}${p.path ?? '/'}' | grep -c -F '${p.expect ?? ''}' >/dev/null`
      : `timeout 5 bash -c 'exec 3<>/dev/tcp/${p.host}/${p.port}'`;
    const r = await this.inContainer(source.vmId!, script);
    const via = `from ${source.name}`;
    return { name: p.name, what: p.what, port: p.port, ok: r.code === 0, detail: r.code === 0 ? `connected ${via}` : `${via}: ${(r.stderr || r.stdout).trim().split('\n').pop() || `exit ${r.code}`}` };
  }

  private async waitFor(what: string, test: () => Promise<boolean>, seconds: number, fail = true): Promise<boolean> {
    const end = Date.now() + seconds * 1000;
    for (;;) {
      if (await test()) return true;
      if (Date.now() > end) {
        if (fail) throw new PhaseError(`timed out after ${seconds} s waiting for ${what}`);
        return false;
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}

function tail(text: string, n: number): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

function printTable(report: Report): void {
  const fmt = (r?: HostRecap) => (r ? `${r.ok}/${r.changed}/${r.failed}` : '-');
  const rows = report.hosts.map((h) => [
    h.name,
    String(h.vmId ?? ''),
    h.address,
    fmt(h.run1),
    fmt(h.run2),
    h.ssh ? 'yes' : 'NO',
    h.composeHealthy === null ? '-' : h.composeHealthy ? 'yes' : 'NO',
    h.ports.length === 0 ? '-' : `${h.ports.filter((p) => p.ok).length}/${h.ports.length}`,
    h.nodeExporter ? 'yes' : 'NO',
  ]);
  const head = ['host', 'vmid', 'address', 'run1 ok/chg/fail', 'run2 ok/chg/fail', 'ssh', 'healthy', 'ports', 'node_exp'];
  const widths = head.map((hd, i) => Math.max(hd.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(head)}\n${rows.map(line).join('\n')}\n\n`);
  process.stdout.write(`phases (s): ${Object.entries(report.phases).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  if (report.planAfterApply) process.stdout.write(`plan after apply: ${JSON.stringify(report.planAfterApply)}\n`);
  for (const s of report.skipped) process.stdout.write(`skipped: ${s.what} — ${s.why}\n`);
  for (const f of report.failures) process.stdout.write(`FAIL: ${f}\n`);
  process.stdout.write(`${report.ok ? 'twin: all checks passed' : 'twin: FAILED'}\n`);
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`twin: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
