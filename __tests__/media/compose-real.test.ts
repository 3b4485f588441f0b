import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, runInController } from '../support/controller';
import { MediaLab, synthHomelab } from './support';

/**
 * The media compose files as Docker Compose v2 (Debian 13's docker-compose 2.26) reads them:
 * group_add, init, devices and the `${VAR:?}` secrets from .env must all be accepted.
 */
describeWithTools(['controller'], 'media compose files under docker-compose v2', () => {
  let seerr: MediaLab;
  let overseerr: MediaLab;
  let dir: string;
  let hosts: string[];
  beforeAll(() => {
    seerr = synthHomelab();
    overseerr = synthHomelab({ media: { requests: 'overseerr' } });
    dir = mkdtempSync(join(tmpdir(), 'media-compose-'));
    hosts = [];
    for (const [variant, lab] of [['seerr', seerr], ['overseerr', overseerr]] as const) {
      for (const app of [lab.lab.media.plex, lab.lab.media.sonarr, lab.lab.media.radarr, lab.lab.media.lidarr, lab.lab.media.prowlarr, lab.lab.media.qbittorrent, lab.lab.media.autobrr, lab.lab.media.flaresolverr, lab.lab.media.requests]) {
        const host = `${variant}-${app!.hostname}`;
        const files = lab.out.files;
        const envTemplate = files.get(`ansible/files/${app!.hostname}/env.j2`) ?? '';
        // What Ansible renders from env.j2: every secret variable with a (dummy) value.
        const env = envTemplate.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => `${l.split('=')[0]}=dummy`).join('\n');
        const projectDir = join(dir, host);
        mkdirSync(projectDir);
        writeFileSync(join(projectDir, 'compose.yml'), files.get(`ansible/files/${app!.hostname}/compose.yml`)!);
        writeFileSync(join(projectDir, '.env'), `${env}\n`);
        hosts.push(host);
      }
    }
  });
  afterAll(() => {
    seerr?.cleanup();
    overseerr?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts every media compose project with its secrets in .env', () => {
    const script = hosts.map((h) => `echo "== ${h}"; (cd '${h}' && docker-compose -f compose.yml config -q) || exit 1`).join('; ');
    const r = runInController(dir, ['sh', '-c', script], { timeoutMs: 120_000 });
    expect(r.code, r.output).toBe(0);
  });

  it('resolves Plex devices, group_add and the read-only library as written', () => {
    const r = runInController(dir, ['docker-compose', '-f', 'compose.yml', 'config', '--format', 'json'], { cwd: 'seerr-plex', timeoutMs: 60_000 });
    expect(r.code, r.output).toBe(0);
    const plex = JSON.parse(r.stdout).services.plex;
    expect(JSON.stringify(plex.devices)).toContain('/dev/dri/renderD128');
    expect(plex.group_add).toEqual(['104']);
    expect(plex.volumes).toContainEqual(expect.objectContaining({ type: 'bind', source: '/data/media', target: '/data/media', read_only: true }));
  });

  it('fails a project whose secret is missing from .env (the :? guard works)', () => {
    writeFileSync(join(dir, 'seerr-sonarr', '.env'), 'SONARR__AUTH__APIKEY=dummy\n');
    const r = runInController(dir, ['docker-compose', '-f', 'compose.yml', 'config', '-q'], { cwd: 'seerr-sonarr', timeoutMs: 60_000 });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('APIKEY is written to .env by Ansible');
  });
});
