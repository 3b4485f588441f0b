import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIDARR_IMAGE } from '../../constructs/media/lidarr';
import { PROWLARR_IMAGE } from '../../constructs/media/prowlarr';
import { RADARR_IMAGE } from '../../constructs/media/radarr';
import { ServarrApp } from '../../constructs/media/servarr-app';
import { SONARR_IMAGE } from '../../constructs/media/sonarr';
import { Secret } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { SynthesizedLab } from '../support/lab';
import { groupHosts, MediaLab, synthHomelab } from './support';

/** The media services of the reference homelab, checked one by one in the synthesized output. */
let ref: MediaLab;
let out: SynthesizedLab;
let lab: Homelab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
  lab = ref.lab;
});
afterAll(() => ref?.cleanup());

const MEDIA_HOSTS = ['autobrr', 'flaresolverr', 'lidarr', 'plex', 'prowlarr', 'qbittorrent', 'radarr', 'requests', 'sonarr'];

describe('the media stack of the reference homelab', () => {
  it('puts every service in its own LXC at its reference VMID and address', () => {
    const plan: Record<string, [number, string]> = {
      plex: [121, '10.10.10.21'],
      sonarr: [122, '10.10.10.22'],
      radarr: [123, '10.10.10.23'],
      lidarr: [124, '10.10.10.24'],
      prowlarr: [125, '10.10.10.25'],
      qbittorrent: [126, '10.10.10.26'],
      autobrr: [127, '10.10.10.27'],
      flaresolverr: [128, '10.10.10.28'],
      requests: [129, '10.10.10.29'],
    };
    for (const [host, [vmId, ip]] of Object.entries(plan)) {
      const ct = out.container('media', host);
      expect(ct.vm_id, host).toBe(vmId);
      expect(ct.initialization.hostname, host).toBe(host);
      expect(ct.initialization.ip_config[0].ipv4, host).toEqual({ address: `${ip}/24`, gateway: '10.10.10.1' });
      expect(ct.unprivileged, host).toBe(true);
      expect(ct.features, host).toEqual({ keyctl: true, nesting: true });
      expect(out.hostVars(host), host).toMatchObject({ ansible_host: ip, homelab_stack: 'media', homelab_vmid: vmId });
    }
  });

  it('gives qBittorrent the example VPN provider when the lab names none', () => {
    expect(lab.media.qbittorrent!.tunnel.endpointIp).toBe('198.51.100.10');
  });

  it('lists the hosts in the media, docker_hosts and lxc groups of the inventory', () => {
    for (const group of ['media', 'docker_hosts', 'lxc']) expect(groupHosts(out, group)).toEqual(expect.arrayContaining(MEDIA_HOSTS));
    expect(groupHosts(out, 'media')).toEqual(MEDIA_HOSTS);
  });

  it('pins every image of the stack to a version tag', () => {
    for (const host of MEDIA_HOSTS) {
      for (const [key, svc] of Object.entries<any>(out.compose(host).services)) {
        // A release version, optionally with a build suffix (linuxserver's 5.2.3_v2.0.14-ls473).
        expect(svc.image, `${host}/${key}`).toMatch(/^[a-z0-9./-]+:v?\d+\.\d+\.\d+([-_][\w.-]+)?$/);
      }
    }
  });

  it('starts infrastructure before the apps that use it', () => {
    const order = (host: string) => out.container('media', host).startup.order as number;
    expect(order('flaresolverr')).toBe(40);
    expect(order('prowlarr')).toBe(42);
    for (const app of ['sonarr', 'radarr', 'lidarr', 'qbittorrent']) {
      expect(order(app)).toBe(45);
      expect(order(app)).toBeGreaterThan(order('prowlarr'));
    }
    expect(order('plex')).toBe(50);
    expect(order('autobrr')).toBe(50);
    expect(order('requests')).toBe(55);
    expect(order('requests')).toBeGreaterThan(Math.max(order('plex'), order('sonarr'), order('radarr')));
  });

  it('writes no secret value into a compose file', () => {
    for (const host of MEDIA_HOSTS) {
      for (const svc of Object.values<any>(out.compose(host).services)) {
        for (const [name, value] of Object.entries<string>(svc.environment ?? {})) {
          if (/APIKEY|SECRET|CLAIM/.test(name)) expect(value).toBe(`\${${name}:?${name} is written to .env by Ansible}`);
        }
      }
    }
  });
});

describe('Plex', () => {
  it('gets the node GPU render node with the render gid (Terraform device_passthrough)', () => {
    const ct = out.container('media', 'plex');
    expect(ct.device_passthrough).toEqual([{ path: '/dev/dri/renderD128', gid: 104, mode: '0660' }]);
    expect(lab.media.plex!.gpuDevice).toEqual({ path: '/dev/dri/renderD128', gid: 104 });
  });

  it('passes the render node into the Plex container and adds the render gid', () => {
    const plex = out.compose('plex').services.plex;
    expect(plex.image).toBe('lscr.io/linuxserver/plex:1.43.3');
    expect(plex.devices).toEqual(['/dev/dri/renderD128:/dev/dri/renderD128']);
    expect(plex.group_add).toEqual(['104']);
  });

  it('runs on the host network of its own LXC (linuxserver\'s recommended mode), declaring 32400 and nothing else', () => {
    const plex = out.compose('plex').services.plex;
    expect(plex.network_mode).toBe('host');
    expect(plex.ports).toBeUndefined();
    expect([...lab.media.plex!.listeningPorts.keys()]).toEqual(['32400/tcp']);
    expect(lab.media.plex!.remoteAccessPort.toString()).toBe('32400/tcp');
  });

  it('claims the server at first start with a claim token from the vault, when given one', () => {
    const claimed = synthHomelab({ media: { plexClaimToken: Secret.vault('plex_claim_token') } });
    try {
      expect(claimed.out.compose('plex').services.plex.environment.PLEX_CLAIM).toBe('${PLEX_CLAIM:?PLEX_CLAIM is written to .env by Ansible}');
      expect(claimed.out.text('ansible/files/plex/env.j2')).toContain("PLEX_CLAIM='{{ vault_plex_claim_token |");
      expect(claimed.out.text('ansible/vault.example.yml')).toContain('vault_plex_claim_token: CHANGE_ME');
    } finally {
      claimed.cleanup();
    }
    expect(out.compose('plex').services.plex.environment.PLEX_CLAIM).toBeUndefined();
  });

  it('sizes the LXC for transcoding', () => {
    const ct = out.container('media', 'plex');
    expect(ct.cpu).toEqual({ cores: 4 });
    expect(ct.memory).toEqual({ dedicated: 4096, swap: 512 });
    expect(ct.disk).toEqual({ datastore_id: 'local-lvm', size: 32 });
  });

  it('reads the library read-only at /data/media and keeps its state in ./config', () => {
    const plex = out.compose('plex').services.plex;
    expect(plex.volumes).toEqual(['./config:/config', '/data/media:/data/media:ro']);
    expect(plex.environment).toEqual({ PGID: '1000', PUID: '1000', TZ: 'Europe/Berlin', VERSION: 'docker' });
  });

  it('is healthy when /identity answers', () => {
    const plex = out.compose('plex').services.plex;
    expect(plex.healthcheck.test).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://localhost:32400/identity || exit 1']);
    expect(lab.media.plex!.healthEndpoints).toEqual([{ port: 32400, path: '/identity' }]);
    expect(lab.media.plex!.metricsEndpoints).toEqual([]);
  });

  it('routes its web UI at plex.<domain> with websockets', () => {
    expect(lab.media.plex!.webUis).toEqual([
      {
        port: 32400, scheme: 'http', access: 'routed', subdomain: 'plex', websockets: true, unlimitedBody: false, healthPath: '/identity', title: 'Plex',
        // Streams are not buffered; /library/streams/ drops the client's headers (see plex.ts).
        proxy: { bufferRequests: true, bufferResponses: false, locations: [{ path: '/library/streams/', labOnly: false, passRequestHeaders: false }] },
        // Public: Plex apps and plex.tv reach it directly (README, "Access levels").
        accessLevel: 'public', accessReason: expect.stringContaining('plex.tv'),
      },
    ]);
  });
});

describe.each([
  { app: 'sonarr', port: 8989, image: SONARR_IMAGE.ref, pinned: 'lscr.io/linuxserver/sonarr:4.0.20', data: true, memory: 1536, disk: 16 },
  { app: 'radarr', port: 7878, image: RADARR_IMAGE.ref, pinned: 'lscr.io/linuxserver/radarr:6.4.4', data: true, memory: 1536, disk: 16 },
  { app: 'lidarr', port: 8686, image: LIDARR_IMAGE.ref, pinned: 'lscr.io/linuxserver/lidarr:3.1.0', data: true, memory: 1024, disk: 16 },
  { app: 'prowlarr', port: 9696, image: PROWLARR_IMAGE.ref, pinned: 'lscr.io/linuxserver/prowlarr:2.6.5', data: false, memory: 1024, disk: 8 },
] as const)('$app', ({ app, port, image, pinned, data, memory, disk }) => {
  const construct = () => (lab.media as unknown as Record<string, ServarrApp>)[app]!;
  const envPrefix = app.toUpperCase();

  it('runs the pinned linuxserver.io image with the lab data owner and time zone', () => {
    const svc = out.compose(app).services[app];
    expect(svc.image).toBe(pinned);
    expect(svc.image).toBe(image);
    expect(svc.environment).toMatchObject({ PUID: '1000', PGID: '1000', TZ: 'Europe/Berlin' });
    expect(svc.ports).toEqual([`${port}:${port}`]);
  });

  it('sets its API key from the vault through the environment', () => {
    const svc = out.compose(app).services[app];
    expect(svc.environment[`${envPrefix}__AUTH__APIKEY`]).toBe(`\${${envPrefix}__AUTH__APIKEY:?${envPrefix}__AUTH__APIKEY is written to .env by Ansible}`);
    expect(out.text(`ansible/files/${app}/env.j2`).split('\n')).toEqual(
      expect.arrayContaining([
        `${envPrefix}__AUTH__APIKEY='{{ vault_${app}_api_key | replace("'", "\\\\'") }}'`,
        `APIKEY='{{ vault_${app}_api_key | replace("'", "\\\\'") }}'`,
      ]),
    );
    expect(out.yaml('ansible/vault.example.yml')).toHaveProperty(`vault_${app}_api_key`, 'CHANGE_ME');
    expect(out.hostVars(app).compose_project_env).toBe(true);
  });

  it(data ? 'mounts the shared data at /data (same path as qBittorrent and Plex)' : 'does not mount the shared data', () => {
    const svc = out.compose(app).services[app];
    const ct = out.container('media', app);
    if (data) {
      expect(svc.volumes).toEqual(['./config:/config', '/data:/data']);
      expect(svc.environment.UMASK).toBe('002');
      expect(ct.mount_point).toEqual([{ path: '/data', volume: '/tank/data', read_only: false, shared: false }]);
    } else {
      expect(svc.volumes).toEqual(['./config:/config']);
      expect(ct.mount_point).toBeUndefined();
    }
  });

  it('is healthy when /ping answers', () => {
    expect(out.compose(app).services[app].healthcheck.test).toEqual(['CMD-SHELL', `curl -fsS -o /dev/null http://localhost:${port}/ping || exit 1`]);
    expect(construct().healthEndpoints).toEqual([{ port, path: '/ping' }]);
  });

  it('exports metrics on 9707 through an exportarr sidecar that waits for the app', () => {
    const exp = out.compose(app).services.exportarr;
    expect(exp.image).toBe('ghcr.io/onedr0p/exportarr:v2.3.0');
    expect(exp.command).toEqual([app]);
    expect(exp.ports).toEqual(['9707:9707']);
    expect(exp.environment).toEqual({ APIKEY: '${APIKEY:?APIKEY is written to .env by Ansible}', PORT: '9707', URL: `http://${app}:${port}` });
    expect(exp.depends_on).toEqual({ [app]: { condition: 'service_healthy' } });
    expect(construct().metricsEndpoints).toEqual([{ port: 9707, path: '/metrics', job: app }]);
  });

  it('routes its web UI (websockets for SignalR)', () => {
    expect(construct().webUis).toEqual([
      {
        port, scheme: 'http', access: 'routed', subdomain: app, websockets: true, unlimitedBody: false, healthPath: '/ping', title: app[0]!.toUpperCase() + app.slice(1),
        proxy: { bufferRequests: true, bufferResponses: true, locations: [] },
        // Behind Authelia: the first visitor would set up its authentication.
        accessLevel: 'sso', accessReason: expect.any(String), authenticationRisk: { kind: 'first-run-admin', detail: expect.any(String) },
      },
    ]);
  });

  it('gets 2 cores and its memory and disk defaults', () => {
    const ct = out.container('media', app);
    expect(ct.cpu).toEqual({ cores: 2 });
    expect(ct.memory.dedicated).toBe(memory);
    expect(ct.disk.size).toBe(disk);
  });
});

describe('autobrr', () => {
  it('runs the pinned image with native metrics enabled on 9074', () => {
    const svc = out.compose('autobrr').services.autobrr;
    expect(svc.image).toBe('ghcr.io/autobrr/autobrr:v1.87.0');
    expect(svc.image).toBePinnedTo('ghcr.io/autobrr/autobrr');
    expect(svc.ports).toEqual(['7474:7474', '9074:9074']);
    expect(svc.environment).toEqual({
      AUTOBRR__HOST: '0.0.0.0',
      AUTOBRR__METRICS_ENABLED: 'true',
      AUTOBRR__METRICS_HOST: '0.0.0.0',
      AUTOBRR__METRICS_PORT: '9074',
      AUTOBRR__PORT: '7474',
      AUTOBRR__SESSION_SECRET: '${AUTOBRR__SESSION_SECRET:?AUTOBRR__SESSION_SECRET is written to .env by Ansible}',
      TZ: 'Europe/Berlin',
    });
    expect(svc.volumes).toEqual(['./config:/config']);
    expect(out.text('ansible/files/autobrr/env.j2')).toContain("AUTOBRR__SESSION_SECRET='{{ vault_autobrr_session_secret |");
    expect(lab.media.autobrr!.metricsEndpoints).toEqual([{ port: 9074, path: '/metrics', job: 'autobrr' }]);
  });

  it('is healthy when /api/healthz/liveness answers (busybox wget: the image has no curl)', () => {
    expect(out.compose('autobrr').services.autobrr.healthcheck.test).toEqual([
      'CMD-SHELL',
      'wget -q --spider http://localhost:7474/api/healthz/liveness || exit 1',
    ]);
    expect(lab.media.autobrr!.healthEndpoints).toEqual([{ port: 7474, path: '/api/healthz/liveness' }]);
  });

  it('routes its web UI', () => {
    expect(lab.media.autobrr!.webUis).toEqual([expect.objectContaining({ port: 7474, access: 'routed', subdomain: 'autobrr' })]);
    expect(out.container('media', 'autobrr').mount_point).toBeUndefined();
  });
});

describe('FlareSolverr', () => {
  it('runs the pinned image with its Prometheus exporter on 8192', () => {
    const svc = out.compose('flaresolverr').services.flaresolverr;
    expect(svc.image).toBe('ghcr.io/flaresolverr/flaresolverr:v3.5.2');
    expect(svc.image).toBePinnedTo('ghcr.io/flaresolverr/flaresolverr');
    expect(svc.ports).toEqual(['8191:8191', '8192:8192']);
    expect(svc.environment).toEqual({ LOG_LEVEL: 'info', PROMETHEUS_ENABLED: 'true', PROMETHEUS_PORT: '8192', TZ: 'Europe/Berlin' });
    expect(lab.media.flaresolverr!.metricsEndpoints).toEqual([{ port: 8192, path: '/metrics', job: 'flaresolverr' }]);
  });

  it('has no web UI and no route: its unauthenticated API stays on the LAN', () => {
    expect(lab.media.flaresolverr!.webUis).toEqual([]);
    expect(lab.firstRouteWith('flaresolverr')).toBeUndefined();
    expect(lab.media.flaresolverr!.apiPort.toString()).toBe('8191/tcp');
  });

  it('is stateless and healthy when /health answers', () => {
    const svc = out.compose('flaresolverr').services.flaresolverr;
    expect(svc.volumes).toBeUndefined();
    expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://localhost:8191/health || exit 1']);
    expect(lab.media.flaresolverr!.healthEndpoints).toEqual([{ port: 8191, path: '/health' }]);
  });

  it('gets 1 core and 1 GiB', () => {
    const ct = out.container('media', 'flaresolverr');
    expect(ct.cpu).toEqual({ cores: 1 });
    expect(ct.memory.dedicated).toBe(1024);
  });
});
