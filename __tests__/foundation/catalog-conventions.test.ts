import { describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { ComposeService, DockerHost, Healthcheck, Image, Lab, LabStack, linuxServer, Network, Port, ProxmoxNode, Size } from '../../constructs/core';
import { problemsOf, SSH_KEY } from '../support/lab';

/** GIVEN a lab (timezone and data owner set) with one Docker host in an `apps` stack. */
function dockerHost(app: App, lab: { timezone?: string; dataOwner?: { uid: number; gid: number } } = {}): { lab: Lab; host: DockerHost } {
  const l = new Lab(app, 'homelab', { domain: 'lab.example.net', proxmox: { endpoint: 'https://pve.lab.example.net:8006/' }, sshPublicKeys: [SSH_KEY], ...lab });
  const node = new ProxmoxNode(l.infra, 'pve', { address: '10.20.0.2', cores: 16, memory: Size.mebibytes(65536) });
  const lan = new Network(l.infra, 'lan', { bridge: 'vmbr0', cidr: '10.20.0.0/24', gateway: '10.20.0.1' });
  const apps = new LabStack(l, 'apps', { description: 'test apps' });
  return { lab: l, host: new DockerHost(apps, 'web', { node, network: lan, vmId: 301, ipAddress: '10.20.0.101' }) };
}

const env = (s: ComposeService) => Object.fromEntries([...s.environment].map(([k, v]) => [k, v.literal]));

describe('linuxServer: the linuxserver.io conventions written once', () => {
  it('runs the app as the lab\'s data owner in the lab\'s timezone, with its state in ./config owned by that user', () => {
    const { lab, host } = dockerHost(new App(), { timezone: 'Europe/Berlin', dataOwner: { uid: 1001, gid: 1002 } });
    const app = new ComposeService(host, 'app', linuxServer(lab, {
      image: Image.of('lscr.io/linuxserver/sonarr', '4.0.20'),
      environment: { UMASK: '002' },
      mounts: [{ source: '/data', target: '/data' }],
    }));
    expect(env(app)).toEqual({ PUID: '1001', PGID: '1002', TZ: 'Europe/Berlin', UMASK: '002' });
    expect(app.serviceMounts.map((m) => m.target)).toEqual(['/config', '/data']);
    // lsio's init chowns /config to PUID:PGID at every start; Ansible creates it with that owner.
    expect(app.projectDirectories).toEqual([{ path: 'config', uid: 1001, gid: 1002 }]);
  });

  it('lets the image\'s own environment override a convention', () => {
    const { lab, host } = dockerHost(new App());
    const app = new ComposeService(host, 'app', linuxServer(lab, { image: Image.of('lscr.io/linuxserver/plex', '1.43.3'), environment: { TZ: 'Etc/GMT+1' } }));
    expect(env(app)).toMatchObject({ TZ: 'Etc/GMT+1', PUID: '1000' });
  });
});

describe('addHealthEndpointOf: the health endpoint and web UI health path come from the Healthcheck', () => {
  it('declares the URL the Healthcheck probes, at the port the LXC publishes it on', () => {
    const { host } = dockerHost(new App());
    const svc = new ComposeService(host, 'vault', {
      image: Image.of('vaultwarden/server', '1.35.0'),
      ports: [{ port: Port.tcp(80), hostPort: Port.tcp(8081) }],
      healthcheck: Healthcheck.http(Port.tcp(80), '/alive'),
    });
    const health = host.addHealthEndpointOf(svc);
    host.addWebUi({ port: Port.tcp(health.port), access: 'routed', healthPath: health.path });
    expect(host.healthEndpoints).toEqual([{ port: 8081, path: '/alive' }]);
    expect(host.webUis[0]).toMatchObject({ port: 8081, healthPath: '/alive' });
  });

  it('uses the container port for a service on the host network', () => {
    const { host } = dockerHost(new App());
    const svc = new ComposeService(host, 'plex', { image: Image.of('lscr.io/linuxserver/plex', '1.43.3'), networkMode: 'host', healthcheck: Healthcheck.http(Port.tcp(32400), '/identity') });
    expect(host.addHealthEndpointOf(svc)).toEqual({ port: 32400, path: '/identity' });
  });

  it('fails when the service has no HTTP healthcheck', () => {
    expect(problemsOf((app) => {
      const { host } = dockerHost(app);
      host.addHealthEndpointOf(new ComposeService(host, 'db', { image: Image.of('postgres', '17.2'), healthcheck: Healthcheck.command(['pg_isready']) }));
    })).toEqual([
      "[homelab/apps/web] compose service 'db' has no HTTP healthcheck to take the health endpoint from — give it healthcheck: Healthcheck.http(Port.tcp(port), '/path'), or call addHealthEndpoint({ port: Port.tcp(…), path }) yourself",
    ]);
  });

  it('fails when the service does not publish the port its healthcheck probes', () => {
    expect(problemsOf((app) => {
      const { host } = dockerHost(app);
      host.addHealthEndpointOf(new ComposeService(host, 'app', { image: Image.of('example/app', '1.0.0'), ports: [{ port: Port.tcp(8080) }], healthcheck: Healthcheck.http(Port.tcp(9000), '/health') }));
    })).toEqual([
      "[homelab/apps/web] compose service 'app' checks its health on port 9000, which it does not publish — add { port: Port.tcp(9000) } to its ports, or call addHealthEndpoint({ port: Port.tcp(…), path }) with the published port",
    ]);
  });
});
