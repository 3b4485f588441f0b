import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatWarning } from '../../lib/problems';
import { Homelab } from '../../constructs/homelab';
import { Overseerr } from '../../constructs/media/overseerr';
import { Seerr } from '../../constructs/media/seerr';
import { problemsOf } from '../support/lab';
import { containersByPath, MediaLab, synthHomelab } from './support';

const OVERSEERR_WARNING =
  "Overseerr was archived in February 2026 and gets no more fixes — switch to Seerr (requests: 'seerr'); it migrates Overseerr's /app/config on first start (back it up first, then chown it to 1000:1000)";

describe('the requests app', () => {
  let seerr: MediaLab;
  let overseerr: MediaLab;
  beforeAll(() => {
    seerr = synthHomelab();
    overseerr = synthHomelab({ media: { requests: 'overseerr' } });
  });
  afterAll(() => {
    seerr?.cleanup();
    overseerr?.cleanup();
  });

  describe('Seerr (the default)', () => {
    it('runs the pinned Seerr image with an init, port 5055 and /app/config', () => {
      expect(seerr.lab.media.requests).toBeInstanceOf(Seerr);
      const services = seerr.out.compose('requests').services;
      expect(Object.keys(services)).toEqual(['seerr']);
      const svc = services.seerr;
      expect(svc.image).toBe('ghcr.io/seerr-team/seerr:v3.5.0');
      expect(svc.image).toBePinnedTo('ghcr.io/seerr-team/seerr');
      expect(svc.init).toBe(true);
      expect(svc.user).toBeUndefined();
      expect(svc.ports).toEqual(['5055:5055']);
      expect(svc.volumes).toEqual(['./config:/app/config']);
      expect(svc.environment).toEqual({ LOG_LEVEL: 'info', PORT: '5055', TZ: 'Europe/Berlin' });
      expect(svc.healthcheck.test).toEqual(['CMD-SHELL', 'wget -q --spider http://localhost:5055/api/v1/status || exit 1']);
    });

    it('routes its web UI at requests.<domain> and is probed at /api/v1/status', () => {
      const app = seerr.lab.media.requests!;
      expect(app.webUis).toEqual([
        {
          port: 5055, scheme: 'http', access: 'routed', subdomain: 'requests', websockets: false, unlimitedBody: false, healthPath: '/api/v1/status', title: 'Seerr',
          proxy: { bufferRequests: true, bufferResponses: true, locations: [] },
          // Behind Authelia: its setup wizard makes the first visitor the owner.
          accessLevel: 'sso', accessReason: expect.any(String), authenticationRisk: { kind: 'first-run-admin', detail: expect.any(String) },
        },
      ]);
      expect(app.healthEndpoints).toEqual([{ port: 5055, path: '/api/v1/status' }]);
      expect(app.metricsEndpoints).toEqual([]);
    });

    it('warns about nothing', () => {
      expect(seerr.out.result.warnings.filter((w) => w.id === 'homelab:archived-overseerr')).toEqual([]);
    });
  });

  describe('Overseerr', () => {
    it('runs the last Overseerr image on the same port and config path', () => {
      expect(overseerr.lab.media.requests).toBeInstanceOf(Overseerr);
      const services = overseerr.out.compose('requests').services;
      expect(Object.keys(services)).toEqual(['overseerr']);
      expect(services.overseerr).toMatchObject({ image: 'sctx/overseerr:1.35.0', ports: ['5055:5055'], volumes: ['./config:/app/config'] });
      expect(services.overseerr.init).toBeUndefined();
      expect(overseerr.lab.media.requests!.webUis[0]).toMatchObject({ port: 5055, subdomain: 'requests', title: 'Overseerr' });
    });

    it('prints the archived-software warning with its stable id', () => {
      const warnings = overseerr.out.result.warnings.filter((w) => w.id === 'homelab:archived-overseerr');
      expect(warnings).toEqual([{ id: 'homelab:archived-overseerr', path: 'homelab/media/requests', message: OVERSEERR_WARNING }]);
      expect(formatWarning(warnings[0]!)).toBe(`[homelab:archived-overseerr] [homelab/media/requests] ${OVERSEERR_WARNING}`);
    });
  });

  it('keeps the LXC (Terraform address, VMID, address) when switching, so Seerr can migrate the config', () => {
    const a = containersByPath(seerr.out, 'media').get('homelab/media/requests/Resource');
    const b = containersByPath(overseerr.out, 'media').get('homelab/media/requests/Resource');
    const idOf = (out: MediaLab['out']) =>
      Object.entries(out.resources('media', 'proxmox_virtual_environment_container')).find(([, r]) => r['//'].metadata.path === 'homelab/media/requests/Resource')![0];
    expect(idOf(seerr.out)).toBe(idOf(overseerr.out));
    expect(a).toEqual(b);
    expect(a.vm_id).toBe(129);
    expect(a.initialization.ip_config[0].ipv4.address).toBe('10.10.10.29/24');
  });

  it('fails when the requests app is unknown', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { requests: 'jellyseerr' as 'seerr' } }))).toEqual([
      "[homelab/media] unknown requests app 'jellyseerr' — use 'seerr' (default) or 'overseerr'",
    ]);
  });
});
