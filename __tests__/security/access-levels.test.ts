/**
 * Issue 13: an access level per route (public | sso | lan), Authelia through SWAG's includes, and
 * the synth-time policy that refuses a public first-run admin.
 */
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { describeWithTools } from '../support/controller';
import { composeOf, file, nginxServe, nginxTest, synthErrorOf, SynthedLab, synthHomelab, yamlOf } from './support';

const CONFS = 'ansible/files/swag/proxy-confs/';
const SWAG_FILES = 'ansible/files/swag/';

function proxyConfs(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([p]) => p.startsWith(CONFS)).map(([p, c]) => [p.slice(CONFS.length), c]));
}

/** The access level a generated proxy conf declares in its header. */
function levelOf(conf: string): string {
  return /^# Access level: (\w+)/m.exec(conf)?.[1] ?? '?';
}

function errorOf(props: HomelabProps): string {
  return synthErrorOf((app) => { new Homelab(app, 'homelab', props); });
}

describe('access levels in the reference homelab', () => {
  let synthed: SynthedLab;
  beforeAll(() => { synthed = synthHomelab(); });

  it('gives every routed service its documented default', () => {
    const levels = Object.fromEntries([...proxyConfs(synthed.files)].map(([name, c]) => [name.replace('.subdomain.conf', ''), levelOf(c)]));
    expect(levels).toEqual({
      auth: 'public', // Authelia's own portal
      autobrr: 'sso', grafana: 'sso', lidarr: 'sso', odoo: 'sso', paperless: 'sso', prowlarr: 'sso', qbittorrent: 'sso',
      radarr: 'sso', requests: 'sso', sonarr: 'sso', 'uptime-kuma': 'sso',
      immich: 'public', ntfy: 'public', plex: 'public', vaultwarden: 'public',
    });
  });

  it('reaches no first-run admin screen from the internet: every UI with one is sso or lan', () => {
    for (const c of synthed.lab.containers) {
      for (const ui of c.webUis) {
        if (ui.access === 'routed' && ui.authenticationRisk) expect([ui.title, ui.accessLevel]).not.toEqual([ui.title, 'public']);
      }
    }
    // Immich is public for its app, but its first-run admin sign-up answers only the lab's networks.
    const immich = file(synthed.files, `${CONFS}immich.subdomain.conf`);
    expect(immich).toMatch(/location \/api\/auth\/admin-sign-up \{\n {8}# The lab's own networks only[^\n]*\n {8}allow 10\.10\.10\.0\/24;\n {8}allow 10\.10\.99\.0\/24;\n {8}deny all;/);
  });

  it('puts Authelia in front of sso routes through the two includes, and nothing in public ones', () => {
    const sonarr = file(synthed.files, `${CONFS}sonarr.subdomain.conf`);
    expect(sonarr.match(/include \/config\/nginx\/authelia-server\.conf;/g)).toHaveLength(1);
    expect(sonarr).toMatch(/location \/ \{\n(?: {8}#[^\n]*\n)? {8}include \/config\/nginx\/authelia-location\.conf;/);
    const vaultwarden = file(synthed.files, `${CONFS}vaultwarden.subdomain.conf`);
    expect(vaultwarden).not.toContain('authelia');
  });

  it('runs Authelia beside SWAG: pinned image, secrets from .env, healthcheck, metrics scraped, portal probed', () => {
    const authelia = composeOf(synthed.files, 'swag').authelia;
    expect(authelia.image).toBe('authelia/authelia:4.39.26');
    expect(authelia.container_name).toBe('authelia');
    expect(authelia.ports).toEqual(['9091:9091', '9959:9959']);
    expect(authelia.volumes).toEqual(['./authelia:/config']);
    expect(authelia.healthcheck.test).toEqual(['CMD-SHELL', 'wget -q --spider http://localhost:9091/api/health || exit 1']);
    for (const k of ['AUTHELIA_SESSION_SECRET', 'AUTHELIA_STORAGE_ENCRYPTION_KEY', 'AUTHELIA_IDENTITY_VALIDATION_RESET_PASSWORD_JWT_SECRET']) {
      expect(authelia.environment[k], k).toMatch(/^\$\{[A-Z_]+:\?/);
    }
    const env = file(synthed.files, `${SWAG_FILES}env.j2`);
    expect(env).toContain("AUTHELIA_SESSION_SECRET='{{ vault_authelia_session_secret |");
    const prometheus = yamlOf<{ scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] }>(synthed.files, 'ansible/files/prometheus/config/prometheus.yml');
    expect(prometheus.scrape_configs.find((j) => j.job_name === 'authelia')?.static_configs[0]?.targets).toEqual(['10.10.10.41:9959']);
    expect(file(synthed.files, 'ansible/files/prometheus/config/prometheus.yml')).toContain('https://auth.home.example.org/api/health');
    expect(yamlOf(synthed.files, 'ansible/inventory/host_vars/swag.yml')).toMatchObject({
      swag_authelia_enabled: true,
      swag_authelia_service: 'authelia',
      swag_authelia_users_database: '{{ vault_authelia_users_database }}',
    });
  });

  /**
   * No validator offline: Authelia's `authelia validate-config` comes only with its image or
   * release binary (no Debian package, no npm/pip schema), and this suite has no network for
   * Docker. The keys Authelia 4.39 requires are asserted instead (docs: configuration/session,
   * access_control, storage, notifier, authentication_backend/file, telemetry).
   */
  it('generates the Authelia configuration from the model, with no secret in it (asserted keys)', () => {
    const text = file(synthed.files, `${SWAG_FILES}authelia/configuration.yml`);
    const c = yaml.load(text) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(Object.keys(c).sort()).toEqual(['access_control', 'authentication_backend', 'log', 'notifier', 'regulation', 'server', 'session', 'storage', 'telemetry', 'theme', 'totp', 'webauthn']);
    expect(c.server).toEqual({ address: 'tcp://:9091/' });
    expect(c.session).toEqual({ cookies: [{ domain: 'home.example.org', authelia_url: 'https://auth.home.example.org' }] });
    expect(c.storage).toEqual({ local: { path: '/config/db.sqlite3' } });
    expect(c.notifier).toEqual({ filesystem: { filename: '/config/notification.txt' } });
    expect(c.authentication_backend).toEqual({ file: { path: '/config/users_database.yml', watch: true, password: { algorithm: 'argon2' } } });
    expect(c.telemetry).toEqual({ metrics: { enabled: true, address: 'tcp://:9959/metrics' } });
    expect(c.access_control.default_policy).toBe('deny');
    expect(c.access_control.rules.map((r: { domain: string[] }) => r.domain[0])).toEqual([
      'autobrr', 'grafana', 'lidarr', 'odoo', 'paperless', 'prowlarr', 'qbittorrent', 'radarr', 'requests', 'sonarr', 'uptime-kuma',
    ].map((s) => `${s}.home.example.org`));
    expect(new Set(c.access_control.rules.map((r: { policy: string }) => r.policy))).toEqual(new Set(['two_factor']));
    // Secrets only through the environment: none of Authelia's secret keys is in the file.
    expect(text).not.toMatch(/^\s*(secret|encryption_key|jwt_secret|hmac_secret):/m);
    expect(c.session.secret).toBeUndefined();
    expect(c.storage.encryption_key).toBeUndefined();
    expect(c.identity_validation).toBeUndefined();
  });

  it('takes per-route rules and groups, one or two factors, and SMTP from the vault', () => {
    const { files } = synthHomelab({
      security: { swag: { authelia: { groups: ['admins'], routes: { requests: { policy: 'one_factor', groups: ['family', 'admins'] } }, smtp: { address: 'submission://smtp.example.org:587', sender: 'Authelia <auth@example.org>', username: 'auth@example.org' } } } },
    });
    const c = yaml.load(file(files, `${SWAG_FILES}authelia/configuration.yml`)) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const rule = (s: string) => c.access_control.rules.find((r: { domain: string[] }) => r.domain[0] === `${s}.home.example.org`);
    expect(rule('requests')).toEqual({ domain: ['requests.home.example.org'], policy: 'one_factor', subject: [['group:family'], ['group:admins']] });
    expect(rule('sonarr')).toEqual({ domain: ['sonarr.home.example.org'], policy: 'two_factor', subject: [['group:admins']] });
    expect(c.notifier).toEqual({ smtp: { address: 'submission://smtp.example.org:587', sender: 'Authelia <auth@example.org>', username: 'auth@example.org' } });
    expect(composeOf(files, 'swag').authelia.environment.AUTHELIA_NOTIFIER_SMTP_PASSWORD).toMatch(/^\$\{AUTHELIA_NOTIFIER_SMTP_PASSWORD:\?/);
    expect(file(files, 'ansible/vault.example.yml')).toContain('vault_authelia_smtp_password: CHANGE_ME');
  });

  it('sets lan routes to allow the LANs and the VPN subnet and deny the rest, in every location', () => {
    const { files } = synthHomelab({ media: { overrides: { radarr: { access: 'lan' } } } });
    const radarr = file(files, `${CONFS}radarr.subdomain.conf`);
    expect(levelOf(radarr)).toBe('lan');
    expect(radarr).toContain('        allow 10.10.10.0/24;\n        allow 10.10.99.0/24;\n        deny all;\n');
    expect(radarr).not.toContain('authelia');
  });
});

describe('the public-exposure policy at synth', () => {
  it('fails when Sonarr is public without an acknowledgement', () => {
    expect(errorOf({ media: { overrides: { sonarr: { access: 'public' } } } })).toContain(
      "[homelab/media/sonarr] Sonarr is public at https://sonarr.home.example.org but has an unauthenticated first-run admin: the first visitor sets its authentication and holds its API key and every indexer and download-client credential — set its access to 'sso' (Authelia in front) or 'lan', or keep 'public' with publicBecause: '<why it is safe>' once its own login is set up",
    );
  });

  it('fails for qBittorrent, autobrr, Uptime Kuma and Seerr alike, one line each', () => {
    const err = errorOf({
      media: { overrides: { qbittorrent: { access: 'public' }, autobrr: { access: 'public' }, requests: { access: 'public' } } },
      monitoring: { overrides: { uptimeKuma: { access: 'public' } } },
    } as HomelabProps);
    expect(err).toContain("[homelab/media/qbittorrent] qBittorrent is public at https://qbittorrent.home.example.org but has no authentication of its own: its Web UI starts with the default user admin and a password printed in its log, and can run any download — set its access to 'sso'");
    expect(err).toContain('[homelab/media/autobrr] autobrr is public at https://autobrr.home.example.org but has an unauthenticated first-run admin: its onboarding creates the admin account for the first visitor');
    expect(err).toMatch(/\[homelab\/media\/\w+\] Seerr is public at https:\/\/requests\.home\.example\.org but has an unauthenticated first-run admin: its setup wizard makes the first visitor the owner/);
    expect(err).toContain('Uptime Kuma is public at https://uptime-kuma.home.example.org but has an unauthenticated first-run admin: the first visitor creates the admin account');
  });

  it('passes a public Sonarr with a reasoned acknowledgement', () => {
    expect(errorOf({ media: { overrides: { sonarr: { access: 'public', publicBecause: 'forms login set up and verified on 2026-12-01' } } } })).toBe('');
  });

  it('fails when the acknowledgement gives no reason', () => {
    expect(errorOf({ media: { overrides: { sonarr: { access: 'public', publicBecause: 'ok' } } } })).toContain(
      '[homelab/media/sonarr] web UI on port 8989: publicBecause must say why in words, got "ok" — write the reason',
    );
  });

  it('fails when an access level is not one of the three', () => {
    expect(errorOf({ media: { overrides: { sonarr: { access: 'open' as never } } } })).toContain(
      "[homelab/media/sonarr] web UI on port 8989: accessLevel must be one of public, sso, lan, got \"open\" — use 'public'",
    );
  });

  it('fails when Authelia is off while routes are sso', () => {
    expect(errorOf({ security: { swag: { authelia: false } } })).toContain(
      "[homelab/security/swag] Authelia is off, but autobrr, grafana, lidarr, odoo, paperless, prowlarr, qbittorrent, radarr, requests, sonarr, uptime-kuma are 'sso' — turn Authelia on",
    );
  });
});

describeWithTools(['nginx', 'unshare', 'openssl', 'curl', 'ip'], 'access levels under real nginx', () => {
  let confs: Map<string, string>;
  beforeAll(() => {
    // Radarr lan; Immich sso, so its /api/ bypass is exercised; the rest at their defaults.
    confs = proxyConfs(synthHomelab({ media: { overrides: { radarr: { access: 'lan' } } }, business: { overrides: { immich: { access: 'sso' } } } } as HomelabProps).files);
  });

  it('passes `nginx -t` with every generated conf and the Authelia includes', () => {
    const run = nginxTest(confs);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('lan: 403 from outside, the upstream from the LAN and the VPN; sso: redirect to Authelia, the upstream with a session; public paths pass', () => {
    // Upstream stand-ins on the LXC addresses answer 200 with a marker header; the Authelia
    // stand-in (its /api/authz/auth-request) answers 200 to the cookie of a valid session and 401
    // with the portal URL in Location otherwise, as Authelia 4.38+ does.
    const upstream = (addr: string) => `server {\n    listen ${addr};\n    location / { add_header X-Upstream ${addr} always; return 200; }\n}`;
    const stub = [
      upstream('10.10.10.23:7878'), // radarr (lan)
      upstream('10.10.10.22:8989'), // sonarr (sso)
      upstream('10.10.10.51:2283'), // immich (sso, /api/ public)
      upstream('10.10.10.43:80'), // vaultwarden (public)
      upstream('10.10.10.37:3001'), // uptime kuma (sso, /api/push/ public)
      'server {',
      '    listen 127.0.0.2:9091;',
      '    location = /api/authz/auth-request {',
      '        if ($http_cookie ~ "authelia_session=valid") { add_header Remote-User alice; return 200; }',
      '        add_header Location "https://auth.home.example.org/?rd=$http_x_original_url" always;',
      '        return 401;',
      '    }',
      '}',
    ].join('\n');
    const internet = '127.0.6.1';
    const radarr = 'radarr.home.example.org';
    const sonarr = 'sonarr.home.example.org';
    const immich = 'immich.home.example.org';
    const served = nginxServe(confs, {
      extraHttp: stub,
      autheliaUpstream: '127.0.0.2:9091',
      loopbackAddresses: ['10.10.10.23', '10.10.10.22', '10.10.10.51', '10.10.10.43', '10.10.10.37', '10.10.10.77', '10.10.99.5'],
    }, [
      { host: radarr, scheme: 'https', from: internet },
      { host: radarr, scheme: 'https', from: '10.10.10.77' }, // LAN
      { host: radarr, scheme: 'https', from: '10.10.99.5' }, // WireGuard client
      { host: sonarr, scheme: 'https', path: '/calendar', from: internet },
      { host: sonarr, scheme: 'https', path: '/calendar', from: internet, headers: { Cookie: 'authelia_session=valid' } },
      { host: sonarr, scheme: 'https', path: '/calendar', from: internet, headers: { Cookie: 'authelia_session=forged' } },
      { host: immich, scheme: 'https', path: '/photos', from: internet },
      { host: immich, scheme: 'https', path: '/api/server/ping', from: internet }, // the mobile app's API
      { host: immich, scheme: 'https', path: '/api/auth/admin-sign-up', method: 'POST', from: internet },
      { host: 'vaultwarden.home.example.org', scheme: 'https', from: internet },
      { host: 'uptime-kuma.home.example.org', scheme: 'https', path: '/api/push/tok3n?status=up', from: internet }, // a push monitor
      { host: 'uptime-kuma.home.example.org', scheme: 'https', path: '/dashboard', from: internet },
    ]);
    const r = served.responses;
    expect(r.map((x) => x.status)).toEqual([403, 200, 200, 302, 200, 302, 302, 200, 403, 200, 200, 302]);
    expect(r[10]!.headers['x-upstream']).toBe('10.10.10.37:3001');
    expect(r[1]!.headers['x-upstream']).toBe('10.10.10.23:7878');
    expect(r[3]!.headers.location).toBe('https://auth.home.example.org/?rd=https://sonarr.home.example.org/calendar');
    expect(r[4]!.headers['x-upstream']).toBe('10.10.10.22:8989');
    expect(r[5]!.headers['x-upstream']).toBeUndefined();
    expect(r[7]!.headers['x-upstream']).toBe('10.10.10.51:2283');
    expect(r[9]!.headers['x-upstream']).toBe('10.10.10.43:80');
    // HSTS stays on every answer, the redirects and 403s included (no add_header in the includes).
    for (const [i, x] of r.entries()) expect(x.headers['strict-transport-security'], `request ${i}`).toBe('max-age=63072000; includeSubDomains');
  });
});
