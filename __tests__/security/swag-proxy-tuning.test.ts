/**
 * Issue 10 items 14, 20, 26 and the SWAG half of 13: per-UI proxy settings in the generated SWAG
 * confs, checked by content, `nginx -t` and a live nginx (SWAG stand-in of ./support) with stub
 * upstreams on their LXC addresses.
 *
 * Upstream evidence:
 * - ntfy (https://docs.ntfy.sh/config/#nginxapache2caddy): `proxy_buffering off;` and
 *   `proxy_request_buffering off;` in its nginx example.
 * - Immich (https://docs.immich.app/administration/reverse-proxy): `proxy_read_timeout 600s;`,
 *   `proxy_send_timeout 600s;`, `send_timeout 600s;` in its nginx example.
 * - SWAG's Plex sample (linuxserver/reverse-proxy-confs plex.subdomain.conf.sample, 2025/07/18):
 *   `proxy_buffering off;` and `location /library/streams/ { ... proxy_pass_request_headers off; }`.
 * - SWAG's Vaultwarden sample (vaultwarden.subdomain.conf.sample): "if you enable admin page via
 *   ADMIN_TOKEN env variable consider restricting access to LAN only" with allow/deny in the
 *   /admin location.
 * - SWAG's proxy.conf (linuxserver/docker-swag root/defaults/nginx/proxy.conf.sample, 2023/02/09):
 *   `proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;` and
 *   `proxy_set_header X-Real-IP $remote_addr;` — what apps that trust SWAG read — and, since commit
 *   3bab8b6 (2023-02-08), `proxy_set_header X-Forwarded-Host $host;` (no port; it was `$host:$server_port`).
 * - qBittorrent release-5.2.3 src/webui/webapplication.cpp `isCrossSiteRequest`: with reverse-proxy
 *   support on, the target origin is `X-Forwarded-Host` (else `Host`), compared by host and port
 *   with the Origin (else the Referer); a mismatch answers 401 (ported below).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, DockerHost, Healthcheck, Image, LabStack, Port, WebUiProxyProps } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { Swag } from '../../constructs/security/swag';
import { describeWithTools } from '../support/controller';
import { nginxServe, nginxTest, SWAG_PROXY_CONF, synthErrorOf, SynthedLab, synthHomelab } from './support';

const CONF_DIR = 'ansible/files/swag/proxy-confs/';
const proxyConfs = (files: Map<string, string>) => new Map([...files].filter(([p]) => p.startsWith(CONF_DIR)).map(([p, c]) => [p.slice(CONF_DIR.length), c]));
/** The directives of one block: the server block's own lines (depth 1), or a location's. */
function block(conf: string, opener: RegExp): string[] {
  const lines = conf.split('\n');
  const start = lines.findIndex((l) => opener.test(l));
  if (start < 0) throw new Error(`no ${opener} in conf`);
  const out: string[] = [];
  let depth = 0;
  for (const line of lines.slice(start)) {
    const t = line.trim();
    if (t.endsWith('{')) { depth++; if (depth === 1) continue; }
    if (t === '}') { depth--; if (depth === 0) break; continue; }
    if (depth === 1 && t && !t.startsWith('#')) out.push(t);
  }
  return out;
}

/** Host and explicit port of a URL or a Host header value, as QUrl gives them (port -1 when absent). */
function hostAndPort(value: string): { host: string; port: number } {
  const m = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#:]+)(?::(\d+))?/i.exec(value);
  if (!m) throw new Error(`not a URL or host: ${value}`);
  return { host: m[1]!.toLowerCase(), port: m[2] === undefined ? -1 : Number(m[2]) };
}

/**
 * qBittorrent 5.2.3's `WebApplication::isCrossSiteRequest` with reverse-proxy support on (as the
 * qbittorrent_config role seeds it): target = X-Forwarded-Host, else Host; the Origin, else the
 * Referer, must have the target's host and port; a request with neither passes. True means 401.
 */
function qbittorrentSeesCrossSite(h: { host?: string; forwardedHost?: string; origin?: string; referer?: string }): boolean {
  const target = hostAndPort(h.forwardedHost || h.host || '');
  const source = h.origin || h.referer;
  if (!source) return false;
  const s = hostAndPort(source);
  return s.host !== target.host || s.port !== target.port;
}

describe('per-UI proxy settings in the reference homelab', () => {
  let synthed: SynthedLab;
  let confs: Map<string, string>;
  beforeAll(() => {
    synthed = synthHomelab();
    confs = proxyConfs(synthed.files);
  });

  it('ntfy: no response or request buffering, for the whole vhost (item 14)', () => {
    const server = block(confs.get('ntfy.subdomain.conf')!, /^server \{/);
    expect(server).toContain('proxy_buffering off;');
    expect(server).toContain('proxy_request_buffering off;');
  });

  it('Immich: 600 s timeouts in the location, proxy.conf (240 s) one level up (item 14)', () => {
    const conf = confs.get('immich.subdomain.conf')!;
    const server = block(conf, /^server \{/);
    expect(server).toContain('include /config/nginx/proxy.conf;');
    expect(server).toContain('send_timeout 600s;');
    const root = block(conf, /^\s*location \/ \{/);
    expect(root).toEqual(expect.arrayContaining(['proxy_read_timeout 600s;', 'proxy_send_timeout 600s;']));
    expect(root).not.toContain('include /config/nginx/proxy.conf;');
  });

  it("Plex: no response buffering and SWAG's /library/streams/ location without request headers (item 26)", () => {
    const conf = confs.get('plex.subdomain.conf')!;
    expect(block(conf, /^server \{/)).toContain('proxy_buffering off;');
    expect(block(conf, /^\s*location \/library\/streams\/ \{/)).toEqual([
      'include /config/nginx/resolver.conf;',
      'set $upstream_app 10.10.10.21;',
      'set $upstream_port 32400;',
      'set $upstream_proto http;',
      'proxy_pass $upstream_proto://$upstream_app:$upstream_port;',
      'proxy_pass_request_headers off;',
    ]);
  });

  it("Vaultwarden: /admin only from the lab's LAN and the WireGuard subnet (item 20)", () => {
    const admin = block(confs.get('vaultwarden.subdomain.conf')!, /^\s*location \/admin \{/);
    expect(admin.slice(0, 3)).toEqual(['allow 10.10.10.0/24;', 'allow 10.10.99.0/24;', 'deny all;']);
    expect(admin).toContain('include /config/nginx/proxy.conf;');
  });

  it('leaves every other conf as it was: one location, proxy.conf inside it, no buffering settings', () => {
    for (const [name, conf] of confs) {
      // Tuned above; Uptime Kuma's extra location is its public /api/push/ under SSO (access-levels.test.ts).
      if (['ntfy', 'immich', 'plex', 'vaultwarden', 'uptime-kuma'].some((n) => name.startsWith(`${n}.`))) continue;
      expect(conf.match(/^\s*location /gm), name).toHaveLength(1);
      expect(conf, name).not.toMatch(/proxy_buffering|proxy_request_buffering|_timeout/);
    }
  });

  it("exposes SWAG's address for apps that trust it as their reverse proxy (item 13)", () => {
    const swag = Swag.of(synthed.lab)!;
    expect(swag).toBe(synthed.lab.security.swag);
    expect(swag.ipAddress).toBe('10.10.10.41');
    expect(swag.labNetworks).toEqual(['10.10.10.0/24', '10.10.99.0/24']);
  });
});

describe('per-UI proxy settings: validation', () => {
  const error = (proxy: unknown, access: 'routed' | 'lan-only' = 'routed') => synthErrorOf((app) => {
    const lab = new Homelab(app, 'homelab');
    const extra = new LabStack(lab, 'extra');
    const host = new DockerHost(extra, 'wiki', { node: lab.pve, network: lab.lan, ipAddress: '10.10.10.99', vmId: 199 });
    new ComposeService(host, 'wiki', { image: Image.of('docker.io/example/wiki', '1.2.3'), ports: [{ port: Port.tcp(3000) }], healthcheck: Healthcheck.http(Port.tcp(3000), '/health') });
    host.addWebUi({ port: Port.tcp(3000), access, reason: 'test', subdomain: 'wiki', proxy: proxy as WebUiProxyProps });
  });
  const at = '[homelab/extra/wiki] web UI on port 3000:';

  it('accepts every setting with valid values', () => {
    expect(error({ bufferResponses: false, bufferRequests: true, timeoutSeconds: 86_400, locations: [{ path: '/admin/', labOnly: true, passRequestHeaders: false }] })).toBe('');
  });

  it.each([
    [{ bufferResponses: 'no' }, `${at} proxy.bufferResponses must be true or false, got "no"`],
    [{ bufferRequests: 0 }, `${at} proxy.bufferRequests must be true or false, got 0`],
    [{ timeoutSeconds: 0 }, `${at} proxy.timeoutSeconds must be an integer 1..86400, got 0`],
    [{ timeoutSeconds: 1.5 }, `${at} proxy.timeoutSeconds must be an integer 1..86400, got 1.5`],
    [{ timeoutSeconds: 86_401 }, `${at} proxy.timeoutSeconds must be an integer 1..86400, got 86401`],
    [{ timeoutSeconds: '600' }, `${at} proxy.timeoutSeconds must be an integer 1..86400, got "600"`],
    [{ locations: '/admin' }, `${at} proxy.locations must be a list`],
    [{ locations: [{ path: 'admin' }] }, `${at} proxy location path "admin" is not a plain URL path`],
    [{ locations: [{ path: '/admin; deny all' }] }, `${at} proxy location path "/admin; deny all" is not a plain URL path`],
    [{ locations: [{ path: '~ ^/admin' }] }, `${at} proxy location path "~ ^/admin" is not a plain URL path`],
    [{ locations: [{}] }, `${at} proxy location path undefined is not a plain URL path`],
    [{ locations: [{ path: '/' }] }, `${at} proxy location '/' is the UI itself`],
    [{ locations: [{ path: '/a' }, { path: '/a' }] }, `${at} proxy location '/a' is listed twice`],
    [{ locations: [{ path: '/a', labOnly: 'yes' }] }, `${at} proxy location '/a' labOnly must be true or false, got "yes"`],
    [{ locations: [{ path: '/a', passRequestHeaders: 1 }] }, `${at} proxy location '/a' passRequestHeaders must be true or false, got 1`],
  ])('rejects %j', (proxy, message) => {
    expect(error(proxy)).toContain(message);
    expect(error(proxy)).toMatch(/ — \S/);
  });

  it('rejects proxy settings on a LAN-only UI', () => {
    expect(error({ bufferResponses: false }, 'lan-only')).toBe(
      "[homelab/extra/wiki] web UI on port 3000 sets proxy settings but is lan-only — route it through SWAG (access: 'routed') or drop proxy: only SWAG applies them",
    );
  });
});

describeWithTools(['nginx', 'unshare', 'openssl', 'curl', 'ip'], 'per-UI proxy settings under real nginx', () => {
  let confs: Map<string, string>;
  beforeAll(() => {
    confs = proxyConfs(synthHomelab().files);
  });

  it('passes `nginx -t` with the tuned confs, and fails when the timeouts sit next to proxy.conf (the check can fail)', () => {
    expect(nginxTest(confs)).toEqual({ code: 0, stderr: '' });
    const broken = new Map(confs);
    // Timeouts in the same block as proxy.conf's own: nginx refuses the duplicate.
    broken.set('immich.subdomain.conf', confs.get('immich.subdomain.conf')!.replace('proxy_read_timeout 600s;', 'include /config/nginx/proxy.conf;\n        proxy_read_timeout 600s;'));
    const run = nginxTest(broken);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"proxy_read_timeout" directive is duplicate');
  });

  it('answers /admin with 403 outside the lab and proxies it from the LAN and the VPN; Plex streams go without client headers', () => {
    const vw = 'vaultwarden.home.example.org';
    const plex = 'plex.home.example.org';
    // Stubs on the LXC addresses: Vaultwarden answers /admin with 401 (wrong token); Plex answers 418
    // when a client header reached it, 200 when not.
    const stub = [
      'server {',
      '    listen 10.10.10.43:80;',
      '    location /admin { return 401; }',
      '    location / { return 200; }',
      '}',
      'server {',
      '    listen 10.10.10.21:32400;',
      '    location / { if ($http_x_plex_token) { return 418; } return 200; }',
      '}',
    ].join('\n');
    const served = nginxServe(confs, { extraHttp: stub, loopbackAddresses: ['10.10.10.43', '10.10.10.21', '10.10.10.77', '10.10.99.5', '10.10.11.5'] }, [
      { host: vw, scheme: 'https', path: '/admin', from: '127.0.6.1' }, // internet
      { host: vw, scheme: 'https', path: '/admin/users', from: '127.0.6.1' }, // internet, below /admin
      { host: vw, scheme: 'https', path: '/admin', from: '10.10.11.5' }, // next to the LAN, not in it
      { host: vw, scheme: 'https', path: '/admin', from: '10.10.10.77' }, // LAN
      { host: vw, scheme: 'https', path: '/admin', from: '10.10.99.5' }, // WireGuard client, not masqueraded
      { host: vw, scheme: 'https', path: '/', from: '127.0.6.1' }, // the vault itself stays public
      { host: plex, scheme: 'https', path: '/library/streams/42', headers: { 'X-Plex-Token': 'abc' } },
      { host: plex, scheme: 'https', path: '/web/index.html', headers: { 'X-Plex-Token': 'abc' } },
    ]);
    expect(served.responses.map((r) => r.status)).toEqual([403, 403, 403, 401, 401, 200, 200, 418]);
    // The 403 is SWAG's own answer, with HSTS as everywhere.
    expect(served.responses[0]!.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it("qBittorrent: a browser login through SWAG passes its CSRF check (X-Forwarded-Host without port), and would not with SWAG's pre-2023 proxy.conf", () => {
    const qbt = 'qbittorrent.home.example.org';
    expect(confs.get('qbittorrent.subdomain.conf')).toContain('set $upstream_app 10.10.10.26;');
    // The stub on qBittorrent's LXC address echoes the headers it received.
    const stub = [
      'server {',
      '    listen 10.10.10.26:8080;',
      '    location / {',
      '        add_header X-Seen-Host $http_host always;',
      '        add_header X-Seen-Forwarded-Host $http_x_forwarded_host always;',
      '        add_header X-Seen-Referer $http_referer always;',
      '        return 204;',
      '    }',
      '}',
    ].join('\n');
    // What a browser sends with the login form's POST (Origin and Referer of the page it came from).
    const login = { host: qbt, scheme: 'https' as const, method: 'POST', path: '/api/v2/auth/login', headers: { Origin: `https://${qbt}`, Referer: `https://${qbt}/` } };
    const seen = (proxyConf?: string) => {
      const served = nginxServe(confs, { extraHttp: stub, loopbackAddresses: ['10.10.10.26'], ...(proxyConf ? { proxyConf } : {}) }, [login]);
      const r = served.responses[0]!;
      expect(r.status).toBe(204);
      return { host: r.headers['x-seen-host'], forwardedHost: r.headers['x-seen-forwarded-host'], origin: login.headers.Origin, referer: r.headers['x-seen-referer'] };
    };

    const now = seen();
    expect(now).toMatchObject({ host: qbt, forwardedHost: qbt, referer: `https://${qbt}/` });
    expect(qbittorrentSeesCrossSite(now)).toBe(false);
    // validateHostHeader: a Host without port passes the port check; the name matches
    // WebUI\ServerDomains, which the model leaves at qBittorrent's default '*'.
    expect(hostAndPort(now.host!).port).toBe(-1);

    // SWAG before 3bab8b6 (2023-02-08) sent the port: qBittorrent would answer the login with 401.
    const old = seen(SWAG_PROXY_CONF.replace('X-Forwarded-Host $host;', 'X-Forwarded-Host $host:$server_port;'));
    expect(old.forwardedHost).toBe(`${qbt}:443`);
    expect(qbittorrentSeesCrossSite(old)).toBe(true);
  });

  it("SWAG's qBittorrent sample lines add headers next to proxy.conf's instead of replacing them (why the model leaves them out)", () => {
    // linuxserver/reverse-proxy-confs qbittorrent.subdomain.conf.sample (2025/07/18), after `include proxy.conf`.
    const sample = confs.get('qbittorrent.subdomain.conf')!.replace('include /config/nginx/resolver.conf;',
      "proxy_set_header Referer '';\n        proxy_set_header Host $upstream_app:$upstream_port;\n        proxy_set_header X-Forwarded-Host $host;\n        include /config/nginx/resolver.conf;");
    const stub = 'server {\n    listen 10.10.10.26:8080;\n    location / { return 204; }\n}';
    const served = nginxServe(new Map([['qbittorrent.subdomain.conf', sample]]), { extraHttp: stub, loopbackAddresses: ['10.10.10.26'] }, [
      { host: 'qbittorrent.home.example.org', scheme: 'https', path: '/' },
    ]);
    // nginx sends both Host headers; the stub (nginx) answers "client sent duplicate host header".
    expect(served.responses[0]!.status).toBe(400);
  });
});
