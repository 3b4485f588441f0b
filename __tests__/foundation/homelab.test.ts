import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, DockerHost, Image, Port } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { SynthesizedLab, synthLab } from '../support/lab';

describe('the reference homelab', () => {
  let out: SynthesizedLab;
  let lab: Homelab;
  beforeAll(() => {
    out = synthLab((app) => {
      lab = new Homelab(app, 'homelab');
    });
  });
  afterAll(() => out.cleanup());

  it('synthesizes exactly 28 LXC containers with unique VMIDs, hostnames and IPs', () => {
    const containers = out.allContainers();
    expect(containers).toHaveLength(28);
    const unique = (xs: unknown[]) => new Set(xs).size;
    expect(unique(containers.map((c) => c.vm_id))).toBe(28);
    expect(unique(containers.map((c) => c.initialization.hostname))).toBe(28);
    expect(unique(containers.map((c) => c.initialization.ip_config[0].ipv4.address))).toBe(28);
  });

  it('has the four stacks with the services of the design', () => {
    const byStack = (s: string) => Object.values(out.resources(s, 'proxmox_virtual_environment_container')).map((c: any) => c.initialization.hostname).sort();
    expect(byStack('media')).toEqual(['autobrr', 'flaresolverr', 'lidarr', 'plex', 'prowlarr', 'qbittorrent', 'radarr', 'requests', 'sonarr']);
    expect(byStack('monitoring')).toHaveLength(9);
    expect(byStack('security')).toEqual(['rustdesk', 'swag', 'vaultwarden', 'wireguard']);
    expect(byStack('business')).toHaveLength(6);
  });

  it('runs every container unprivileged', () => {
    for (const c of out.allContainers()) expect(c.unprivileged, c.initialization.hostname).toBe(true);
    expect(out.result.warnings.filter((w) => w.id === 'homelab:privileged')).toEqual([]);
  });

  it('routes every web UI through SWAG or marks it LAN-only with a reason', () => {
    const uis = lab.containers.flatMap((c) => c.webUis.map((ui) => ({ host: c.hostname, ...ui })));
    expect(uis.length).toBeGreaterThan(15);
    for (const ui of uis) {
      if (ui.access === 'lan-only') expect(ui.reason, `${ui.host} is LAN-only without a reason`).toBeTruthy();
      else expect(out.files.has(`ansible/files/swag/proxy-confs/${ui.subdomain}.subdomain.conf`), `${ui.host} has no SWAG conf`).toBe(true);
    }
  });

  it('prints no warning for the default choices (successors, pinned images)', () => {
    expect(out.result.warnings.map((w) => w.id)).toEqual([]);
  });
});

describe('extending the reference homelab', () => {
  it('accepts a container added to its LAN after construction, with a planned address', () => {
    const out = synthLab((app) => {
      const lab = new Homelab(app, 'homelab');
      const host = new DockerHost(lab.media, 'tautulli', { node: lab.pve, network: lab.lan });
      new ComposeService(host, 'tautulli', { image: Image.of('lscr.io/linuxserver/tautulli', '2.16.0'), ports: [{ port: Port.tcp(8181) }] });
      host.addWebUi({ port: Port.tcp(8181), access: 'routed' });
    });
    try {
      const c = out.container('media', 'tautulli');
      expect(c.initialization.ip_config[0].ipv4.address).toMatch(/^10\.10\.10\.\d+\/24$/);
      expect(out.files.has('ansible/files/swag/proxy-confs/tautulli.subdomain.conf')).toBe(true);
    } finally {
      out.cleanup();
    }
  });
});
