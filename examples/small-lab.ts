import { App } from '../lib/cdktf';
import { ComposeService, DockerHost, EnvValue, Healthcheck, Image, Lab, LabProps, LabStack, Network, Port, ProxmoxNode, Secret, Size, Volume } from '../constructs/core';

/**
 * The foundation's proof lab: one node, one network, three Docker services (Sonarr, Prowlarr,
 * Vaultwarden) in two stacks. Tests and the benchmark build on it; main.ts synthesizes the full
 * reference homelab.
 */
export function buildSmallLab(app: App, opts: { id?: string; withSecurity?: boolean } & Pick<LabProps, 'firewall' | 'backups' | 'backend'> = {}): Lab {
  const lab = new Lab(app, opts.id ?? 'homelab', {
    domain: 'home.example.org',
    timezone: 'Europe/Berlin',
    proxmox: { endpoint: 'https://pve.home.example.org:8006/' },
    sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkExampleKeyReplaceMe operator@example'],
    // Left out, the firewall and the nightly backup job are on (LabProps); tests pass opt-outs here.
    firewall: opts.firewall,
    backups: opts.backups,
    backend: opts.backend,
  });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.10.0.2', cores: 8, memory: Size.gibibytes(32) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.0.0/24', gateway: '10.10.0.1' });
  const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data', subdirectories: ['media/tv', 'torrents'] });

  const media = new LabStack(lab, 'media', { description: 'TV automation' });
  const sonarrHost = new DockerHost(media, 'sonarr', { node, network: lan, vmId: 211, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(1) });
  const sonarr = new ComposeService(sonarrHost, 'sonarr', {
    image: Image.of('lscr.io/linuxserver/sonarr', '4.0.16'),
    ports: [{ port: Port.tcp(8989), description: 'Web UI + API' }],
    environment: { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone },
    mounts: [{ source: './config', target: '/config' }, { source: data, target: '/data' }],
    healthcheck: Healthcheck.http(Port.tcp(8989), '/ping'),
  });
  const prowlarrHost = new DockerHost(media, 'prowlarr', { node, network: lan, vmId: 215, ipAddress: '10.10.0.25' });
  new ComposeService(prowlarrHost, 'prowlarr', {
    image: Image.of('lscr.io/linuxserver/prowlarr', '2.3.0'),
    ports: [{ port: Port.tcp(9696), description: 'Web UI + API' }],
    environment: { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone },
    mounts: [{ source: './config', target: '/config' }],
    healthcheck: Healthcheck.http(Port.tcp(9696), '/ping'),
  });
  void sonarr;

  if (opts.withSecurity === false) return lab;
  const security = new LabStack(lab, 'security', { description: 'Password manager' });
  const vwHost = new DockerHost(security, 'vaultwarden', { node, network: lan, vmId: 232, ipAddress: '10.10.0.32', disk: Size.gibibytes(8) });
  const adminToken = lab.secrets.declare(vwHost, Secret.vault('vaultwarden_admin_token'), 'Argon2 PHC hash of the Vaultwarden /admin token (vaultwarden hash).');
  new ComposeService(vwHost, 'vaultwarden', {
    image: Image.of('vaultwarden/server', '1.34.3'),
    ports: [{ port: Port.tcp(80), hostPort: Port.tcp(8080), description: 'Web vault + API' }],
    environment: {
      DOMAIN: `https://vault.${lab.domain}`,
      SIGNUPS_ALLOWED: 'false',
      ADMIN_TOKEN: EnvValue.fromSecret(adminToken),
    },
    mounts: [{ source: './data', target: '/data' }],
    healthcheck: Healthcheck.http(Port.tcp(80), '/alive'),
  });
  return lab;
}

/** The app contract of `homelab-cdk synth --app examples/small-lab.ts`: the lab with its defaults. */
export default function build(app: App): void {
  buildSmallLab(app);
}
