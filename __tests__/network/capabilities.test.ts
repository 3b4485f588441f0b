/**
 * Capabilities, not names (STYLE §11): integration policy reads the brands a container declares
 * (constructs/core/capabilities.ts), never its hostname or class name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, Connections, DockerHost, Image, IngressRule, Lab, LabStack, LxcContainer, Network, Port, ProxmoxNode, Size } from '../../constructs/core';
import {
  isComposeHost, isHealthProber, isLogSink, isMetricsCollector, isPublicEndpoint, isReverseProxy, isVpnServer, REVERSE_PROXY,
} from '../../constructs/core/capabilities';
import { ProxmoxFirewall } from '../../integrations/firewall/proxmox-firewall';
import { App } from '../../lib/cdktf';
import { prepare } from '../../integrations/synth';
import { Homelab } from '../../constructs/homelab';
import { RefLab, SSH_KEY, synthHomelab, synthLab } from '../support/lab';

const describeRule = (r: IngressRule) => `${r.port} from ${r.peer.kind === 'internet' ? 'internet' : r.peer.description}`;

/** A lab of the user's own DockerHosts named like catalog services, each LAN-only. */
function impostorLab(): { lab: Lab; hosts: Record<'plex' | 'swag' | 'prometheus' | 'app', DockerHost> } {
  const app = new App({ outdir: '/tmp/unused', skipValidation: true });
  const lab = new Lab(app, 'lab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve:8006/' }, sshPublicKeys: [SSH_KEY] });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.30.0.2', cores: 8, memory: Size.mebibytes(16384), gpu: { renderDevice: '/dev/dri/renderD128', renderGid: 104 } });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.30.0.0/24' });
  const stack = new LabStack(lab, 'mine');
  const host = (id: 'plex' | 'swag' | 'prometheus' | 'app', vm: number, port: number) => {
    const h = new DockerHost(stack, id, { node, network: lan, vmId: vm, ipAddress: `10.30.0.${vm - 400}` });
    new ComposeService(h, id, { image: Image.of(`example/${id}`, '1.0.0'), ports: [{ port: Port.tcp(port) }] });
    h.addWebUi({ port: Port.tcp(port), access: 'lan-only', reason: 'mine, LAN only' });
    return h;
  };
  const hosts = { plex: host('plex', 421, 32400), swag: host('swag', 422, 443), prometheus: host('prometheus', 423, 9090), app: host('app', 424, 8000) };
  hosts.app.addMetricsEndpoint({ port: Port.tcp(8000) });
  hosts.app.addHealthEndpoint({ port: Port.tcp(8000), path: '/health' });
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

describe('the reference lab with its SWAG, Plex and Prometheus replaced by hosts of your own of the same names', () => {
  let ref: RefLab;
  let mine: Record<'swag' | 'plex' | 'prometheus', DockerHost>;
  beforeAll(() => {
    let own: typeof mine | undefined;
    ref = synthHomelabWith((lab) => {
      const host = (stack: LabStack, id: 'swag' | 'plex' | 'prometheus', port: number) => {
        const h = new DockerHost(stack, id, { node: lab.pve, network: lab.lan });
        new ComposeService(h, id, { image: Image.of(`example/${id}`, '1.0.0'), ports: [{ port: Port.tcp(port) }] });
        h.addWebUi({ port: Port.tcp(port), access: 'lan-only', reason: 'mine, LAN only' });
        return h;
      };
      own = { swag: host(lab.security, 'swag', 443), plex: host(lab.media, 'plex', 32400), prometheus: host(lab.monitoring, 'prometheus', 9090) };
    });
    mine = own!;
  });
  afterAll(() => ref.cleanup());

  it('opens none of them to the internet', () => {
    const rules = (c: LxcContainer) => (Object.values(ref.out.resources(c.stack.stackName, 'proxmox_virtual_environment_firewall_rules')) as any[])
      .find((r) => r.container_id === c.vmId).rule as { source?: string; macro?: string; dport?: string }[];
    for (const c of Object.values(mine)) expect(rules(c).filter((r) => r.source === undefined && r.macro === undefined), c.hostname).toEqual([]);
  });

  it('trusts none of them as the reverse proxy (qBittorrent, Paperless) and lets none of them scrape', () => {
    expect(ref.lab.media.qbittorrent!.trustedProxies).toEqual([]);
    expect(ref.lab.business.paperless!.trustedProxies).toEqual([]);
    for (const c of ref.lab.containers) {
      // Every container, whatever its name, ships its logs to Loki: the one flow they all get.
      const everyone = (r: IngressRule) => isLogSink(c) && r.port.equals(c.logPushPort);
      const from = Connections.of(c).ingress.filter((r) => (r.peer.container === mine.swag || r.peer.container === mine.prometheus) && !everyone(r));
      expect(from.map(describeRule), c.hostname).toEqual([]);
    }
  });

  it('draws none of them as the proxy, the scraper or the log store in docs/services.md', () => {
    const doc = ref.out.text('docs/services.md');
    expect(doc).not.toContain('internet -->|443|');
    expect(doc).not.toContain('-.->|metrics|');
  });
});

/** The reference lab without its SWAG, Plex and Prometheus, extended by `extend`. */
function synthHomelabWith(extend: (lab: Homelab) => void): RefLab {
  let lab: Homelab | undefined;
  const out = synthLab((app) => {
    lab = new Homelab(app, 'homelab', {
      security: { overrides: { swag: { enabled: false } } },
      media: { overrides: { plex: { enabled: false } } },
      monitoring: { overrides: { prometheus: { enabled: false } } },
    });
    extend(lab);
  });
  return { lab: lab!, out, cleanup: () => out.cleanup() };
}
