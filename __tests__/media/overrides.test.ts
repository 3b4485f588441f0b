import { rmSync } from 'node:fs';
import { Size } from '../../constructs/core/values';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Homelab } from '../../constructs/homelab';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';
import { buildTwoNodeLab, containersByPath, groupHosts, MediaLab, synthHomelab } from './support';

describe('media overrides', () => {
  describe('disabling a service', () => {
    let off: MediaLab;
    beforeAll(() => {
      off = synthHomelab({ media: { overrides: { plex: { enabled: false }, autobrr: { enabled: false } } } });
    });
    afterAll(() => off?.cleanup());

    it('removes its container from Terraform', () => {
      const paths = [...containersByPath(off.out, 'media').keys()];
      expect(paths).not.toContain('homelab/media/plex/Resource');
      expect(paths).not.toContain('homelab/media/autobrr/Resource');
      expect(paths).toContain('homelab/media/sonarr/Resource');
    });

    it('removes its host from the inventory and its files', () => {
      expect(groupHosts(off.out, 'media')).toEqual(['flaresolverr', 'lidarr', 'prowlarr', 'qbittorrent', 'radarr', 'requests', 'sonarr']);
      expect([...off.out.files.keys()].filter((p) => /\/(plex|autobrr)[/.]/.test(p))).toEqual([]);
      expect(off.out.yaml('ansible/vault.example.yml')).not.toHaveProperty('vault_autobrr_session_secret');
    });

    it('leaves the member undefined', () => {
      expect(off.lab.media.plex).toBeUndefined();
      expect(off.lab.media.autobrr).toBeUndefined();
      expect(off.lab.media.sonarr).toBeDefined();
    });
  });

  describe('resizing, retagging and re-addressing', () => {
    let changed: MediaLab;
    beforeAll(() => {
      changed = synthHomelab({
        media: {
          vpn: { endpoint: '203.0.113.5:51820' },
          overrides: {
            sonarr: { cores: 4, memory: Size.mebibytes(4096), disk: Size.gibibytes(64) },
            radarr: { imageTag: '6.5.0' },
            requests: { vmId: 229, ipAddress: '10.10.10.99', imageTag: 'v3.6.0' },
          },
        },
      });
    });
    afterAll(() => changed?.cleanup());

    it('changes cores, memory and disk', () => {
      const ct = changed.out.container('media', 'sonarr');
      expect(ct.cpu).toEqual({ cores: 4 });
      expect(ct.memory).toEqual({ dedicated: 4096, swap: 512 });
      expect(ct.disk.size).toBe(64);
    });

    it('changes the main image tag and leaves the exporter alone', () => {
      const services = changed.out.compose('radarr').services;
      expect(services.radarr.image).toBe('lscr.io/linuxserver/radarr:6.5.0');
      expect(services.exportarr.image).toBe('ghcr.io/onedr0p/exportarr:v2.3.0');
      expect(changed.out.compose('requests').services.seerr.image).toBe('ghcr.io/seerr-team/seerr:v3.6.0');
    });

    it('passes the stack-level VPN settings to qBittorrent', () => {
      expect(changed.lab.media.qbittorrent!.tunnel.endpointIp).toBe('203.0.113.5');
      expect(changed.lab.media.qbittorrent!.tunnel.endpointPort).toBe(51820);
    });

    it('replaces the planned VMID and address', () => {
      const ct = changed.out.container('media', 'requests');
      expect(ct.vm_id).toBe(229);
      expect(ct.initialization.ip_config[0].ipv4.address).toBe('10.10.10.99/24');
      expect(changed.out.hostVars('requests').ansible_host).toBe('10.10.10.99');
    });
  });

  describe('moving a service to another node', () => {
    let out: SynthesizedLab;
    beforeAll(() => {
      out = synthLab((app) => buildTwoNodeLab(app, ({ pve2 }) => ({ sonarr: { node: pve2 } })));
    });
    afterAll(() => out && rmSync(dirname(out.dir), { recursive: true, force: true }));

    it('creates the container on that node', () => {
      expect(out.container('media', 'sonarr').node_name).toBe('pve2');
      expect(out.container('media', 'radarr').node_name).toBe('pve');
    });

    it('creates the shared data directories on that node too', () => {
      expect(out.hostVars('pve2').proxmox_host_directories).toContainEqual({ path: '/tank/data/media/tv', owner: 101000, group: 101000, mode: '2775' });
    });
  });

  it('fails when an override names an unknown service', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { overrides: { sonar: { cores: 4 } } as never } }))).toEqual([
      "[homelab/media] unknown service override 'sonar' — use one of: autobrr, flaresolverr, lidarr, plex, prowlarr, qbittorrent, radarr, requests, sonarr",
    ]);
  });

  it('fails when an image tag override is not a pin', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { overrides: { lidarr: { imageTag: 'latest' } } } }))).toEqual([
      "[homelab/media/lidarr/lidarr] image lscr.io/linuxserver/lidarr is not pinned (tag 'latest') — pin a version tag, e.g. Image.of('lscr.io/linuxserver/lidarr', '1.2.3')",
    ]);
  });

  it('fails when Plex runs on a node without a GPU', () => {
    const noGpu = { id: 'pve', address: '10.10.10.2', cores: 16, memory: Size.mebibytes(65536) };
    expect(problemsOf((app) => new Homelab(app, 'homelab', { node: noGpu }))).toContain(
      '[homelab/media/plex] asks for a GPU, but node pve has none — declare gpu: { renderDevice, renderGid } on node pve, or move the container to a node with a GPU',
    );
  });

  it('fails when Plex is moved to a node without a GPU', () => {
    expect(problemsOf((app) => buildTwoNodeLab(app, ({ pve2 }) => ({ plex: { node: pve2 } })))).toEqual([
      '[homelab/media/plex] asks for a GPU, but node pve2 has none — declare gpu: { renderDevice, renderGid } on node pve2, or move the container to a node with a GPU',
    ]);
  });
});
