/**
 * Capabilities, not names (STYLE §11): integration policy reads the brands a container declares
 * (constructs/core/capabilities.ts), never its hostname or class name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComposeService, Connections, DockerHost, Image, IngressRule, Lab, LabStack, LxcContainer, Network, Port, ProxmoxNode,
} from '../../constructs/core';
import {
  isComposeHost, isHealthProber, isLogSink, isMetricsCollector, isPublicEndpoint, isReverseProxy, isVpnServer, REVERSE_PROXY,
} from '../../constructs/core/capabilities';
import { ProxmoxFirewall } from '../../integrations/firewall/proxmox-firewall';
import { App } from '../../lib/cdktf';
import { prepare } from '../../integrations/synth';
import { RefLab, SSH_KEY, synthHomelab } from '../support/lab';

const describeRule = (r: IngressRule) => `${r.port} from ${r.peer.kind === 'internet' ? 'internet' : r.peer.description}`;

/** A lab of the user's own DockerHosts named like catalog services, each LAN-only. */
function impostorLab(): { lab: Lab; hosts: Record<'plex' | 'swag' | 'prometheus' | 'app', DockerHost> } {
  const app = new App({ outdir: '/tmp/unused', skipValidation: true });
  const lab = new Lab(app, 'lab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve:8006/' }, sshPublicKeys: [SSH_KEY] });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.30.0.2', cores: 8, memoryMiB: 16384, gpu: { renderDevice: '/dev/dri/renderD128', renderGid: 104 } });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.30.0.0/24' });
  const stack = new LabStack(lab, 'mine');
  const host = (id: 'plex' | 'swag' | 'prometheus' | 'app', vm: number, port: number) => {
    const h = new DockerHost(stack, id, { node, network: lan, vmId: vm, ipAddress: `10.30.0.${vm - 400}` });
    new ComposeService(h, id, { image: Image.of(`example/${id}`, '1.0.0'), ports: [{ port: Port.tcp(port) }] });
    h.addWebUi({ port, access: 'lan-only', reason: 'mine, LAN only' });
    return h;
  };
  const hosts = { plex: host('plex', 421, 32400), swag: host('swag', 422, 443), prometheus: host('prometheus', 423, 9090), app: host('app', 424, 8000) };
  hosts.app.addMetricsEndpoint({ port: 8000 });
  hosts.app.addHealthEndpoint({ port: 8000, path: '/health' });
  ProxmoxFirewall.enable(lab, { datacenterFirewall: true });
  prepare(app);
  return { lab, hosts };
}

describe('a DockerHost of your own named like a catalog service', () => {
  let lab: Lab;
  let hosts: ReturnType<typeof impostorLab>['hosts'];
  beforeAll(() => {
    ({ lab, hosts } = impostorLab());
  });
  const ingress = (c: LxcContainer) => Connections.of(c).ingress.map(describeRule);

  it('named plex, marked LAN-only, gets no port opened to the internet (the catalog Plex gets 32400/tcp)', () => {
    expect(ingress(hosts.plex)).toEqual(['32400/tcp from network lan']);
    for (const c of lab.containers) expect(Connections.of(c).ingress.filter((r) => r.peer.kind === 'internet'), c.hostname).toEqual([]);
  });

  it('named swag is no reverse proxy: opens nothing to the internet, and no container accepts it', () => {
    expect(ingress(hosts.swag)).toEqual(['443/tcp from network lan']);
    for (const c of lab.containers) {
      expect(Connections.of(c).ingress.filter((r) => r.peer.container === hosts.swag).map(describeRule), c.hostname).toEqual([]);
    }
  });

  it('named prometheus scrapes nothing: no metrics or node_exporter rule names it', () => {
    for (const c of lab.containers) {
      expect(Connections.of(c).ingress.filter((r) => r.peer.container === hosts.prometheus).map(describeRule), c.hostname).toEqual([]);
    }
  });

  it('has only the capabilities a DockerHost declares', () => {
    for (const h of Object.values(hosts)) {
      expect(isComposeHost(h)).toBe(true);
      expect([isReverseProxy, isPublicEndpoint, isMetricsCollector, isLogSink, isHealthProber, isVpnServer].map((g) => g(h))).toEqual([false, false, false, false, false, false]);
    }
  });
});

describe('the catalog services declare the capabilities the policy reads', () => {
  let ref: RefLab;
  beforeAll(() => {
    ref = synthHomelab();
  });
  afterAll(() => ref.cleanup());

  it('Plex, SWAG, WireGuard and RustDesk are the public endpoints; Plex gets 32400/tcp from the internet', () => {
    expect(ref.lab.containers.filter(isPublicEndpoint).map((c) => c.hostname).sort()).toEqual(['plex', 'rustdesk', 'swag', 'wireguard']);
    const plex = ref.lab.media.plex!;
    expect(Connections.of(plex).ingress.filter((r) => r.peer.kind === 'internet').map((r) => r.port.toString())).toEqual(['32400/tcp']);
  });

  it('one of each: reverse proxy SWAG, metrics collector Prometheus, log sink Loki, VPN server WireGuard; probers Blackbox and Uptime Kuma', () => {
    const names = (g: (c: unknown) => boolean) => ref.lab.containers.filter(g).map((c) => c.hostname).sort();
    expect([names(isReverseProxy), names(isMetricsCollector), names(isLogSink), names(isVpnServer), names(isHealthProber)])
      .toEqual([['swag'], ['prometheus'], ['loki'], ['wireguard'], ['blackbox', 'uptime-kuma']]);
  });

  it('a container that declares the brand is a reverse proxy whatever its name', () => {
    const marked = Object.assign(Object.create(null), { [REVERSE_PROXY]: true });
    expect(isReverseProxy(marked)).toBe(true);
    expect(isReverseProxy({ hostname: 'swag' })).toBe(false);
  });
});
