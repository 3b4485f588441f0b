/**
 * Issue 11, item 1: the twin's real images (Debian's nginx as SWAG, prometheus, alertmanager,
 * blackbox exporter, the ntfy recorder), built by tools/twin/assets.sh into images-real/, run with
 * the generated configs of synth-out/ in a sandbox shaped like the lab: `assets.sh verify --only
 * real` (every image as Docker would run it, in its own namespaces on a bridge at its lab address).
 *
 * Needs root and the built asset (`tools/twin/assets.sh build`; `npm run twin` builds it). Without
 * them the suite skips, except under CI, where .ci/run builds the assets (npm run twin) before
 * npm test: a missing asset there is a failure.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isCI, REPO_ROOT } from '../support/controller';

const CACHE = process.env.HOMELAB_TWIN_CACHE ?? '/var/cache/homelab-cdk/twin';
const LIST = path.join(CACHE, 'images-real', 'real-list.tsv');
const ASSETS = path.join(REPO_ROOT, 'tools', 'twin', 'assets.sh');
const isRoot = process.getuid?.() === 0;
const skipReason = !isRoot ? 'needs root (namespaces, chroot)' : !fs.existsSync(LIST) ? `no ${LIST}: run tools/twin/assets.sh build` : undefined;
const TITLE = 'real images of the twin with the generated configs (assets.sh verify --only real)';
const run = skipReason && !isCI() ? describe.skip : describe;

run(skipReason && !isCI() ? `${TITLE} [skipped: ${skipReason}]` : TITLE, () => {
  let code: number | null = null;
  let output = '';
  // Passing check names, without the time a check shows when it waited (' (12 s)').
  const ok = () => output.split('\n').filter((l) => /^ {2}ok {3}/.test(l)).map((l) => l.slice(7).replace(/ \(\d+ s\)$/, ''));

  beforeAll(() => {
    if (skipReason) return;
    const r = spawnSync('bash', [ASSETS, 'verify', '--cache', CACHE, '--only', 'real'], {
      encoding: 'utf8',
      timeout: 900_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    code = r.status;
    output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  }, 960_000);

  it('has what it needs (root, the images-real asset)', () => {
    expect(skipReason, `${skipReason}; CI builds the assets with npm run twin before npm test`).toBeUndefined();
  });

  it('passes every check', () => {
    const failed = output.split('\n').filter((l) => /^ {2}FAIL /.test(l) || (/^assets: /.test(l) && !/^assets: verify/.test(l)));
    expect(failed, output.slice(-4000)).toEqual([]);
    expect(code, output.slice(-4000)).toBe(0);
    expect(output).toMatch(/^\d+ passed, 0 failed$/m);
  });

  it('ran the checks that prove the images, not a truncated list', () => {
    const lines = ok();
    const want = [
      /^swag: nginx -t in the container/,
      /^swag: nginx master runs/,
      /^swag: keys\/cert\.crt is certbot's live fullchain\.pem, .* signed by the twin CA$/,
      /^swag: https:\/\/vaultwarden\..* reaches 10\.10\.10\.43:80 through vaultwarden\.subdomain\.conf$/,
      /^swag: http:\/\/vaultwarden\..* redirects to https$/,
      /^swag: without a DNS credential no certificate and no nginx/,
      /^prometheus: promtool check config in the container/,
      /^prometheus: all \d+ rule groups of the generated rules loaded$/,
      /^prometheus: every scrape target at the containers running here is up/,
      /^prometheus: probe_success 1 for https:\/\/ntfy\..*\/v1\/health \(Prometheus -> Blackbox -> SWAG -> ntfy\)/,
      /^prometheus -> alertmanager -> heartbeat: the Watchdog reaches the heartbeat receiver/,
      /^alertmanager: amtool check-config in the container/,
      /^alertmanager: the TwinVerify alert \(severity critical\) reaches ntfy on 'homelab-critical'/,
      /^ntfy: the alert arrives with the route's priority \(urgent = 5\)/,
      /^blackbox: module http_2xx probes https:\/\/ntfy\./,
      /^blackbox: module http_2xx fails on https:\/\/10\.10\.10\.41\/ .*verification is on$/,
      /^ntfy: an anonymous publish is refused \(auth-default-access deny-all\): 403$/,
      /^(swag|prometheus|alertmanager|blackbox|ntfy): stops on TERM as PID 1 \(docker stop\)$/,
    ];
    for (const w of want) expect(lines.some((l) => w.test(l)), `no passing check matches ${w}\n${output.slice(-3000)}`).toBe(true);
    // One route check per generated proxy conf not behind Authelia (those the twin's own run proves).
    const dir = path.join(REPO_ROOT, 'synth-out', 'ansible', 'files', 'swag', 'proxy-confs');
    const confs = fs.readdirSync(dir).filter((f) => f.endsWith('.subdomain.conf') && !fs.readFileSync(path.join(dir, f), 'utf8').includes('authelia-location.conf'));
    expect(confs.length).toBeGreaterThan(0);
    for (const c of confs) expect(lines.some((l) => l.startsWith('swag: https://') && l.endsWith(` through ${c}`)), c).toBe(true);
  });
});
