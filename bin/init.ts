import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { PACKAGE_ROOT } from './typecheck';
import { UserError } from './app';

/** A relative module specifier from `dir` to `target` (always starting with ./ or ../, / separators). */
function specifier(dir: string, target: string): string {
  const rel = relative(dir, target).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The starter lab: one node, one network, one service; the README's "Writing a lab" example, runnable. */
export function labTemplate(dir: string): string {
  const core = specifier(dir, join(PACKAGE_ROOT, 'constructs', 'core'));
  const cdktf = specifier(dir, join(PACKAGE_ROOT, 'lib', 'cdktf'));
  return `import type { App } from '${cdktf}';
import { ComposeService, DockerHost, Healthcheck, Image, Lab, LabStack, Network, Port, ProxmoxNode, Size } from '${core}';

/**
 * My lab. \`homelab-cdk synth --app <this file>\` loads the default export and synthesizes it;
 * \`homelab-cdk check\` type-checks and validates it without writing anything.
 */
export default function build(app: App): void {
  const lab = new Lab(app, 'homelab', {
    domain: 'home.example.org',
    timezone: 'Europe/Berlin',
    proxmox: { endpoint: 'https://pve.home.example.org:8006/' },
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIReplaceMeWithYourOwnKeyReplaceMeWithYourOwn me@laptop'],
    // Where vzdump writes the nightly backups of stateful containers: a Proxmox Backup Server storage.
    backups: { storage: { kind: 'pbs', id: 'pbs' } },
  });
  const pve = new ProxmoxNode(lab.infra, 'pve', { address: '10.10.0.2', cores: 8, memory: Size.gibibytes(32) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.0.0/24', gateway: '10.10.0.1' });

  const media = new LabStack(lab, 'media', { description: 'TV automation' });
  const host = new DockerHost(media, 'sonarr', { node: pve, network: lan, vmId: 211, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(1) });
  new ComposeService(host, 'sonarr', {
    image: Image.of('lscr.io/linuxserver/sonarr', '4.0.16'), // pinned: 'latest' is refused
    ports: [{ port: Port.tcp(8989), description: 'Web UI + API' }],
    environment: { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone },
    mounts: [{ source: './config', target: '/config' }],
    healthcheck: Healthcheck.http(Port.tcp(8989), '/ping'),
  });
  // Who may reach the port: the firewall is on by default and derives its rules from this.
  host.addWebUi({ port: Port.tcp(8989), access: 'lan-only', reason: 'reached over the VPN' });
}
`;
}

/**
 * cdktf.json for `cdktf synth` in the lab's folder: the app is this CLI's synth of lab.ts (which
 * writes to cdktf's CDKTF_OUTDIR, i.e. `output`).
 */
export function cdktfJson(dir: string): string {
  const bin = specifier(dir, join(PACKAGE_ROOT, 'bin', 'homelab-cdk.cjs'));
  return `${JSON.stringify({
    language: 'typescript',
    app: `node ${bin} synth --app lab.ts`,
    output: 'synth-out',
    codeMakerOutput: '.gen',
    projectId: 'homelab-cdk-lab',
    sendCrashReports: 'false',
    // The bpg/proxmox bindings come with homelab-cdk (.gen/ in the package): nothing for `cdktf get` here.
    terraformProviders: [],
    terraformModules: [],
    context: {},
  }, null, 2)}\n`;
}

/** Creates `<dir>/lab.ts` and `<dir>/cdktf.json`; refuses to overwrite either. Returns the paths written. */
export function initLab(dir: string): string[] {
  const root = resolve(dir);
  const files = [join(root, 'lab.ts'), join(root, 'cdktf.json')];
  const existing = files.filter((f) => existsSync(f));
  if (existing.length) throw new UserError(`${existing.map((f) => relative(process.cwd(), f) || f).join(' and ')} already exist${existing.length === 1 ? 's' : ''} — init never overwrites; pick an empty folder`);
  mkdirSync(root, { recursive: true });
  writeFileSync(files[0], labTemplate(root));
  writeFileSync(files[1], cdktfJson(root));
  return files;
}
