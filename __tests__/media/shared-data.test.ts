import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Homelab } from '../../constructs/homelab';
import { SynthesizedLab } from '../support/lab';
import { MediaLab, synthHomelab } from './support';

/**
 * One /data with torrents/ and media/ on one file system, seen at the same path by the apps that
 * move files between them, so imports are hardlinks (no copies, no double space).
 */
describe('shared media for hardlinks', () => {
  let ref: MediaLab;
  let out: SynthesizedLab;
  let lab: Homelab;
  beforeAll(() => {
    ref = synthHomelab();
    out = ref.out;
    lab = ref.lab;
  });
  afterAll(() => ref?.cleanup());

  it('bind-mounts the lab data volume at /data into qBittorrent, the *arr apps and Plex', () => {
    for (const host of ['qbittorrent', 'sonarr', 'radarr', 'lidarr', 'plex']) {
      const mounts = out.container('media', host).mount_point;
      expect(mounts, host).toEqual([expect.objectContaining({ path: '/data', volume: '/tank/data' })]);
    }
    for (const app of [lab.media.qbittorrent!, lab.media.sonarr!, lab.media.radarr!, lab.media.lidarr!, lab.media.plex!]) {
      expect(app.mountPathOf(lab.data), app.node.path).toBe('/data');
    }
  });

  it('shows the containers the same paths the LXCs have', () => {
    for (const app of ['qbittorrent', 'sonarr', 'radarr', 'lidarr']) expect(out.compose(app).services[app].volumes, app).toContain('/data:/data');
    // Plex only reads the library, at the path Sonarr/Radarr/Lidarr import to.
    expect(out.compose('plex').services.plex.volumes).toContain('/data/media:/data/media:ro');
  });

  it('runs the apps as the lab data owner', () => {
    for (const app of ['qbittorrent', 'sonarr', 'radarr', 'lidarr', 'plex']) {
      expect(out.compose(app).services[app].environment, app).toMatchObject({ PUID: String(lab.dataOwner.uid), PGID: String(lab.dataOwner.gid) });
    }
  });

  it('leaves the data out of services that never touch it', () => {
    for (const host of ['prowlarr', 'autobrr', 'flaresolverr', 'requests']) {
      expect(out.container('media', host).mount_point, host).toBeUndefined();
    }
  });

  it('has the Proxmox host play create the host directories with the shifted owner', () => {
    const dirs = lab.pve.hostDirectories();
    const shifted = { owner: 101000, group: 101000, mode: '2775' };
    for (const path of ['/tank/data', '/tank/data/torrents', '/tank/data/torrents/tv', '/tank/data/torrents/movies', '/tank/data/torrents/music', '/tank/data/media', '/tank/data/media/tv', '/tank/data/media/movies', '/tank/data/media/music']) {
      expect(dirs, path).toContainEqual({ path, ...shifted });
    }
    expect(out.hostVars('pve').proxmox_host_directories).toEqual(dirs);
    expect(out.text('ansible/roles/proxmox_host/tasks/main.yml')).toContain('loop: "{{ proxmox_host_directories }}"');
  });
});

describe('shared media with another data owner', () => {
  let ref: MediaLab;
  beforeAll(() => {
    ref = synthHomelab({ dataOwner: { uid: 2000, gid: 3000 } });
  });
  afterAll(() => ref?.cleanup());

  it('uses the owner for PUID/PGID and shifts it on the host', () => {
    expect(ref.out.compose('sonarr').services.sonarr.environment).toMatchObject({ PUID: '2000', PGID: '3000' });
    expect(ref.out.compose('plex').services.plex.environment).toMatchObject({ PUID: '2000', PGID: '3000' });
    expect(ref.out.compose('qbittorrent').services.qbittorrent.environment).toMatchObject({ PUID: '2000', PGID: '3000' });
    expect(ref.out.hostVars('pve').proxmox_host_directories).toContainEqual({ path: '/tank/data/media/tv', owner: 102000, group: 103000, mode: '2775' });
  });
});
