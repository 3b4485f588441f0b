import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, runInController } from '../support/controller';
import { RefLab, synthHomelab } from '../support/lab';

/**
 * Issue 10 items 6, 15, 23, 24 and 13 as Debian 13's docker-compose v2 reads the generated files:
 * Plex and RustDesk on the host network, RustDesk's `-k _`, Immich's database pinned by tag@digest,
 * Paperless with Tika, Gotenberg and SWAG as trusted proxy.
 */
const HOSTS = ['plex', 'rustdesk', 'immich', 'paperless'];

describeWithTools(['controller'], 'issue 10 compose files under docker-compose v2', () => {
  let ref: RefLab;
  let dir: string;
  let config: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(() => {
    ref = synthHomelab();
    dir = mkdtempSync(join(tmpdir(), 'compose-issue10-'));
    for (const host of HOSTS) {
      const files = ref.out.files;
      const env = (files.get(`ansible/files/${host}/env.j2`) ?? '').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => `${l.split('=')[0]}=dummy`).join('\n');
      mkdirSync(join(dir, host));
      writeFileSync(join(dir, host, 'compose.yml'), files.get(`ansible/files/${host}/compose.yml`)!);
      writeFileSync(join(dir, host, '.env'), `${env}\n`);
    }
    config = {};
    for (const h of HOSTS) {
      const r = runInController(dir, ['docker-compose', '-f', 'compose.yml', 'config', '--format', 'json'], { cwd: h, timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(`${h}: ${r.output}`);
      config[h] = JSON.parse(r.stdout);
    }
  }, 240_000);
  afterAll(() => {
    ref?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs Plex on the host network with no published ports', () => {
    expect(config.plex.services.plex.network_mode).toBe('host');
    expect(config.plex.services.plex.ports).toBeUndefined();
  });

  it('runs hbbs and hbbr with -k _ on the host network', () => {
    const s = config.rustdesk.services;
    expect(s.hbbr.command).toEqual(['hbbr', '-k', '_']);
    expect(s.hbbs.command).toEqual(['hbbs', '-k', '_']);
    expect([s.hbbr.network_mode, s.hbbs.network_mode]).toEqual(['host', 'host']);
  });

  it("accepts Immich's database image pinned by tag and digest", () => {
    expect(config.immich.services.database.image).toBe('ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23');
  });

  it("starts Paperless after Tika and Gotenberg and trusts SWAG's address", () => {
    const s = config.paperless.services;
    expect(Object.keys(s).sort()).toEqual(['broker', 'db', 'gotenberg', 'tika', 'webserver']);
    expect(s.webserver.environment).toMatchObject({ PAPERLESS_TRUSTED_PROXIES: '10.10.10.41', PAPERLESS_TIKA_ENABLED: '1' });
    expect(Object.keys(s.webserver.depends_on).sort()).toEqual(['broker', 'db', 'gotenberg', 'tika']);
  });
});
