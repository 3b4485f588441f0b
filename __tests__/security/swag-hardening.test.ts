import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, DockerHost, Healthcheck, Image, LabStack, Network, Port, Secret } from '../../constructs/core';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { SWAG_STOCK_JAILS } from '../../constructs/security/swag-fail2ban';
import { GeoIpDatabase } from '../../constructs/security/swag-mods';
import * as yaml from 'js-yaml';
import { describeWithTools, isCI, runInController } from '../support/controller';
import { countryMmdb } from './mmdb';
import { composeOf, file, nginxServe, nginxTest, swagGeneratedMarker, synthErrorOf, SynthedLab, synthHomelab, yamlOf } from './support';

const SWAG_FILES = 'ansible/files/swag/';
const HOST_VARS = 'ansible/inventory/host_vars/swag.yml';
const HSTS = 'add_header Strict-Transport-Security "max-age=63072000; includeSubDomains" always;';

function under(files: Map<string, string>, dir: string): Map<string, string> {
  const prefix = `${SWAG_FILES}${dir}/`;
  return new Map([...files].filter(([p]) => p.startsWith(prefix)).map(([p, c]) => [p.slice(prefix.length), c]));
}
const proxyConfs = (files: Map<string, string>) => under(files, 'proxy-confs');

/** fail2ban's INI dialect: sections, `key = value`, indented continuation lines, # comments. */
function parseIni(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) {
      section = out[head[1]!] = {};
      continue;
    }
    if (/^\s/.test(line) && last && section) {
      section[last] += `\n${line.trim()}`;
      continue;
    }
    const kv = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (!kv || !section) throw new Error(`not INI: ${line}`);
    last = kv[1]!;
    section[last] = kv[2]!;
  }
  return out;
}

const env = (files: Map<string, string>) => composeOf(files, 'swag').swag.environment as Record<string, string>;

describe('SWAG hardening in the reference homelab', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs fail2ban (NET_ADMIN, not disabled) with SWAG\'s nginx jails and the Odoo and Vaultwarden login jails', () => {
    const swag = composeOf(synthed.files, 'swag').swag;
    expect(swag.cap_add).toEqual(['NET_ADMIN']);
    expect(swag.environment.DISABLE_F2B).toBeUndefined();
    const ini = parseIni(file(synthed.files, `${SWAG_FILES}fail2ban/jail.local`));
    expect(Object.keys(ini)).toEqual(['DEFAULT', 'nginx-http-auth', 'nginx-badbots', 'nginx-botsearch', 'nginx-deny', 'nginx-unauthorized', 'odoo-login', 'vaultwarden-login']);
    expect(ini.DEFAULT).toEqual({ ignoreip: '127.0.0.1/8 ::1 10.10.10.0/24', banaction: 'iptables-allports', bantime: '600', findtime: '600', maxretry: '5' });
    for (const [name, stock] of Object.entries(SWAG_STOCK_JAILS)) {
      expect(ini[name], name).toMatchObject({ enabled: 'true', filter: name, port: 'http,https', logpath: stock.logPath });
    }
    expect(ini['nginx-badbots']!.maxretry).toBe('2');
    expect(ini['vaultwarden-login']).toEqual({
      enabled: 'true',
      filter: 'vaultwarden-login',
      port: 'http,https',
      logpath: '/config/log/nginx/vaultwarden.access.log',
      maxretry: '5',
      findtime: '600',
      bantime: '3600',
    });
  });

  it('generates the login filter from the model and deploys it with the log file the jail needs', () => {
    expect([...under(synthed.files, 'fail2ban/filter.d').keys()]).toEqual(['odoo-login.conf', 'vaultwarden-login.conf']);
    const filter = parseIni(file(synthed.files, `${SWAG_FILES}fail2ban/filter.d/vaultwarden-login.conf`));
    expect(filter.Definition!.failregex!.split('\n')).toEqual([
      '^<HOST> \\[\\] (?:400|401) POST "/identity/connect/token/?"$',
      '^<HOST> \\[\\] (?:401) POST "/admin/?"$',
    ]);
    const vars = yamlOf(synthed.files, HOST_VARS);
    expect(vars).toMatchObject({
      swag_fail2ban_enabled: true,
      swag_fail2ban_filters: ['odoo-login.conf', 'vaultwarden-login.conf'],
      swag_fail2ban_logs: ['log/nginx/odoo.access.log', 'log/nginx/vaultwarden.access.log'],
      swag_project_dir: '/opt/homelab/swag',
      swag_service: 'swag',
    });
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/tasks/prepare.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const touch = tasks.find((t) => t['ansible.builtin.file']?.state === 'touch')!;
    expect(touch.loop).toBe('{{ swag_fail2ban_logs }}');
    expect(touch['ansible.builtin.file']).toMatchObject({ modification_time: 'preserve', access_time: 'preserve' });
    const registers: string[] = [];
    for (const src of ['{{ swag_files }}/fail2ban/jail.local', '{{ swag_files }}/fail2ban/filter.d/{{ item }}']) {
      const copy = tasks.find((t) => t['ansible.builtin.copy']?.src === src)!;
      // Written before SWAG starts; a running SWAG is restarted by main.yml after the compose play.
      expect(copy.notify, src).toBeUndefined();
      registers.push(copy.register);
    }
    const pending = tasks.find((t) => t['ansible.builtin.set_fact'])!['ansible.builtin.set_fact'].swag_pending_restart as string;
    for (const r of registers) expect(pending).toContain(r);
    // SWAG copies jail.local and filter.d to /etc/fail2ban only when the container starts.
    const main = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/tasks/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const restart = main.find((t) => t.changed_when === 'swag_pending_restart | default(false) | bool')!;
    expect(restart.notify).toBe('Restart the SWAG container');
    const handlers = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/handlers/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(handlers.map((h) => h.name)).toEqual([
      'Check whether nginx runs in the SWAG container',
      'Check the nginx configuration in the SWAG container',
      'Reload nginx in the SWAG container',
      'Restart the SWAG container',
      'Restart the SWAG container, its nginx is not running',
      'Restart the Authelia container',
    ]);
    expect(handlers[1]!.listen).toEqual(['Reload nginx in the SWAG container', 'Restart the SWAG container']);
    expect(handlers[3]!['community.docker.docker_compose_v2']).toMatchObject({ project_src: '{{ swag_project_dir }}', services: ['{{ swag_service }}'], state: 'restarted' });
  });

  it('has the Vaultwarden conf write the log the jail reads, in the format its filter parses', () => {
    const confs = proxyConfs(synthed.files);
    const vw = confs.get('vaultwarden.subdomain.conf')!;
    expect(vw).toContain(`log_format homelab_login_vaultwarden '$remote_addr [$time_local] $status $request_method "$uri"';`);
    expect(vw).toContain('    access_log /config/log/nginx/vaultwarden.access.log homelab_login_vaultwarden;');
    // A server-level access_log replaces the http-level one: SWAG's own log must stay fed.
    expect(vw).toContain('    access_log /config/log/nginx/access.log;');
    // Only the UIs with a login jail (Vaultwarden, Odoo) write their own log.
    for (const [name, conf] of confs) if (!['vaultwarden.subdomain.conf', 'odoo.subdomain.conf'].includes(name)) expect(conf, name).not.toContain('access_log');
  });

  it('sends HSTS from every routed conf, at server level, with nothing below that could drop it', () => {
    const confs = proxyConfs(synthed.files);
    expect(confs.size).toBeGreaterThan(5);
    for (const [name, conf] of confs) {
      expect(conf.split(HSTS).length - 1, name).toBe(1);
      expect(conf.indexOf(HSTS), name).toBeLessThan(conf.indexOf('location /'));
      expect(conf.match(/^\s*add_header /gm), name).toHaveLength(1);
    }
  });

  it('leaves HTTP to SWAG\'s redirect: no conf listens on 80 and the role checks the redirect is still there', () => {
    for (const [name, conf] of proxyConfs(synthed.files)) {
      expect(conf.match(/^\s*listen .*$/gm), name).toEqual(['    listen 443 ssl;', '    listen [::]:443 ssl;']);
    }
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/tasks/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const check = tasks.find((t) => t.name === "Check that SWAG's default server still redirects HTTP to HTTPS")!;
    expect(check['ansible.builtin.assert'].that).toEqual([
      "swag_default_conf_text is search('(?m)^[ \\t]*listen 80 default_server;')",
      "swag_default_conf_text is search('(?m)^[ \\t]*return 301 https://[$]host[$]request_uri;')",
    ]);
    // The container's health check rides on that redirect (curl -f accepts the 301).
    expect(composeOf(synthed.files, 'swag').swag.healthcheck.test[1]).toContain('http://localhost:80/');
  });

  it('validates a wildcard certificate over DNS, with the DNS token a vault reference only', () => {
    expect(env(synthed.files)).toMatchObject({ VALIDATION: 'dns', SUBDOMAINS: 'wildcard', DNSPLUGIN: 'cloudflare', URL: 'home.example.org', STAGING: 'false' });
    expect(env(synthed.files).ONLY_SUBDOMAINS).toBeUndefined();
    expect(yamlOf(synthed.files, HOST_VARS).swag_dns_credential).toBe('{{ vault_swag_dns_api_token }}');
    // The token never reaches the compose file or its .env: certbot reads it from dns-conf/cloudflare.ini.
    expect(file(synthed.files, `${SWAG_FILES}compose.yml`)).not.toMatch(/token/i);
    // The .env holds Authelia's secrets only (vault references), never the DNS token.
    expect(file(synthed.files, `${SWAG_FILES}env.j2`)).not.toMatch(/token|dns/i);
  });

  it('adds no mod, geo conf or CrowdSec setting unless asked', () => {
    const e = env(synthed.files);
    for (const k of ['DOCKER_MODS', 'CROWDSEC_API_KEY', 'CROWDSEC_LAPI_URL', 'CROWDSEC_APPSEC_URL', 'MAXMINDDB_LICENSE_KEY']) expect(e[k], k).toBeUndefined();
    expect(under(synthed.files, 'site-confs').size).toBe(0);
    expect(yamlOf(synthed.files, HOST_VARS)).toMatchObject({ swag_site_confs: [], swag_geoip_database: '', swag_crowdsec_appsec: false });
    for (const [name, conf] of proxyConfs(synthed.files)) expect(conf, name).not.toContain('homelab_geo_allowed');
  });
});

describe('SWAG mods: DOCKER_MODS for each option combination', () => {
  const lapi = { lapiUrl: 'http://10.10.10.60:8080' };
  const cases: [string, NonNullable<HomelabProps['security']>['swag'], string | undefined][] = [
    ['no option', {}, undefined],
    ['geo-blocking with DB-IP', { geoBlock: { allowCountries: ['DE'] } }, 'linuxserver/mods:swag-dbip'],
    ['geo-blocking with MaxMind', { geoBlock: { allowCountries: ['DE'], database: GeoIpDatabase.maxmind(123456) } }, 'linuxserver/mods:swag-maxmind'],
    ['CrowdSec', { crowdsec: lapi }, 'linuxserver/mods:swag-crowdsec'],
    ['DB-IP and CrowdSec', { geoBlock: { allowCountries: ['DE'] }, crowdsec: lapi }, 'linuxserver/mods:swag-dbip|linuxserver/mods:swag-crowdsec'],
    ['MaxMind and CrowdSec', { geoBlock: { allowCountries: ['DE'], database: GeoIpDatabase.maxmind(123456) }, crowdsec: lapi }, 'linuxserver/mods:swag-maxmind|linuxserver/mods:swag-crowdsec'],
  ];
  for (const [title, swag, mods] of cases) {
    it(`${title}: ${mods ?? 'no DOCKER_MODS'}`, () => {
      const { files } = synthHomelab({ security: { swag } });
      expect(env(files).DOCKER_MODS).toBe(mods);
    });
  }
});

describe('SWAG with CrowdSec', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab({ security: { swag: { crowdsec: { lapiUrl: 'http://10.10.10.60:8080/' } } } });
  });

  it('passes the LAPI URL and AppSec (the WAF-like layer) on port 7422 of the LAPI host by default', () => {
    expect(env(synthed.files)).toMatchObject({ CROWDSEC_LAPI_URL: 'http://10.10.10.60:8080', CROWDSEC_APPSEC_URL: 'http://10.10.10.60:7422' });
    // AppSec cannot run over HTTP/2: the role turns it off in SWAG's nginx.conf.
    expect(yamlOf(synthed.files, HOST_VARS).swag_crowdsec_appsec).toBe(true);
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/tasks/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const http2 = tasks.find((t) => t['ansible.builtin.replace'])!;
    expect(http2['ansible.builtin.replace']).toEqual({ path: '{{ swag_config_dir }}/nginx/nginx.conf', regexp: '^(\\s*)http2 on;', replace: '\\1http2 off;' });
    expect(http2.when).toBe('swag_crowdsec_appsec | bool');
  });

  it('reads the bouncer key from the vault only', () => {
    expect(env(synthed.files).CROWDSEC_API_KEY).toBe('${CROWDSEC_API_KEY:?CROWDSEC_API_KEY is written to .env by Ansible}');
    expect(file(synthed.files, `${SWAG_FILES}env.j2`)).toContain("CROWDSEC_API_KEY='{{ vault_swag_crowdsec_api_key |");
    expect(yamlOf(synthed.files, 'ansible/vault.example.yml').vault_swag_crowdsec_api_key).toBe('CHANGE_ME');
    const declared = synthed.lab.secrets.declarations().find((d) => d.secret.name === 'swag_crowdsec_api_key')!;
    expect(declared.description).toContain('cscli bouncers add');
    // The variable appears nowhere but as a reference: the compose file, the .env template, the vault example.
    const mentions = [...synthed.files].filter(([, c]) => c.includes('CROWDSEC_API_KEY') || c.includes('vault_swag_crowdsec_api_key')).map(([p]) => p).sort();
    expect(mentions).toEqual(['ansible/files/swag/compose.yml', 'ansible/files/swag/env.j2', 'ansible/vault.example.yml']);
  });

  it('takes another key secret, another AppSec URL, or AppSec off', () => {
    const custom = synthHomelab({ security: { swag: { crowdsec: { lapiUrl: 'https://crowdsec.lan:8443', apiKey: Secret.vault('bouncer_key'), appSecUrl: 'http://10.10.10.61:7422' } } } });
    expect(env(custom.files)).toMatchObject({ CROWDSEC_LAPI_URL: 'https://crowdsec.lan:8443', CROWDSEC_APPSEC_URL: 'http://10.10.10.61:7422' });
    expect(file(custom.files, `${SWAG_FILES}env.j2`)).toContain("CROWDSEC_API_KEY='{{ vault_bouncer_key |");
    const off = synthHomelab({ security: { swag: { crowdsec: { lapiUrl: 'http://10.10.10.60:8080', appSecUrl: false } } } });
    expect(env(off.files).CROWDSEC_APPSEC_URL).toBeUndefined();
    expect(yamlOf(off.files, HOST_VARS).swag_crowdsec_appsec).toBe(false);
  });
});

describe('SWAG geo-blocking', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab({ security: { swag: { geoBlock: { allowCountries: ['NL', 'DE', 'DE'] } } } });
  });

  it('generates the lookup and the allow decision in a site conf (http context) with the DB-IP database', () => {
    expect([...under(synthed.files, 'site-confs').keys()]).toEqual(['homelab-geoblock.conf']);
    const conf = file(synthed.files, `${SWAG_FILES}site-confs/homelab-geoblock.conf`);
    // The swag role removes stale confs by this first line: it must match the role's pattern.
    expect(conf.split('\n')[0]).toMatch(swagGeneratedMarker());
    expect(conf).toContain('geoip2 /config/geoip2db/dbip-country-lite.mmdb {\n    auto_reload 1w;\n    $homelab_geo_country country iso_code;\n}');
    expect(conf).toContain('map $homelab_geo_country $homelab_geo_country_allowed {\n    default 0;\n    DE 1;\n    NL 1;\n}');
    expect(conf).toContain('geo $homelab_geo_trusted {\n    default 0;\n    10.10.10.0/24 1;\n}');
    expect(conf).toContain('map "$homelab_geo_trusted$homelab_geo_country_allowed" $homelab_geo_allowed {\n    default 1;\n    00 0;\n}');
    expect(yamlOf(synthed.files, HOST_VARS)).toMatchObject({ swag_site_confs: ['homelab-geoblock.conf'], swag_geoip_database: 'geoip2db/dbip-country-lite.mmdb' });
  });

  it('blocks in every routed conf, at server level', () => {
    for (const [name, conf] of proxyConfs(synthed.files)) {
      expect(conf, name).toContain('    if ($homelab_geo_allowed = 0) {\n        return 403;\n    }');
      expect(conf.indexOf('homelab_geo_allowed'), name).toBeLessThan(conf.indexOf('location /'));
    }
  });

  it('uses the MaxMind database with the account id and the license key from the vault', () => {
    const { files } = synthHomelab({ security: { swag: { geoBlock: { allowCountries: ['DE'], database: GeoIpDatabase.maxmind(123456) } } } });
    expect(file(files, `${SWAG_FILES}site-confs/homelab-geoblock.conf`)).toContain('geoip2 /config/geoip2db/GeoLite2-City.mmdb {');
    expect(env(files)).toMatchObject({ MAXMINDDB_USER_ID: '123456', MAXMINDDB_LICENSE_KEY: '${MAXMINDDB_LICENSE_KEY:?MAXMINDDB_LICENSE_KEY is written to .env by Ansible}' });
    expect(file(files, `${SWAG_FILES}env.j2`)).toContain("MAXMINDDB_LICENSE_KEY='{{ vault_swag_maxmind_license_key |");
    expect(yamlOf(files, HOST_VARS).swag_geoip_database).toBe('geoip2db/GeoLite2-City.mmdb');
  });

  it('trusts the given networks instead of the lab\'s, in fail2ban and geo-blocking alike', () => {
    const { files } = synthHomelab({ security: { swag: { geoBlock: { allowCountries: ['DE'] }, trustedNetworks: ['10.10.10.0/24', '192.168.178.0/24', '2001:db8::/64'] } } });
    expect(parseIni(file(files, `${SWAG_FILES}fail2ban/jail.local`)).DEFAULT!.ignoreip).toBe('127.0.0.1/8 ::1 10.10.10.0/24 192.168.178.0/24 2001:db8::/64');
    expect(file(files, `${SWAG_FILES}site-confs/homelab-geoblock.conf`)).toContain('    10.10.10.0/24 1;\n    192.168.178.0/24 1;\n    2001:db8::/64 1;\n');
  });
});

describe('SWAG fail2ban options', () => {
  it('turns fail2ban off (DISABLE_F2B) with no jail, filter or login log', () => {
    const { files } = synthHomelab({ security: { swag: { fail2ban: { enabled: false } } } });
    expect(env(files).DISABLE_F2B).toBe('true');
    expect(files.has(`${SWAG_FILES}fail2ban/jail.local`)).toBe(false);
    expect(under(files, 'fail2ban/filter.d').size).toBe(0);
    expect(proxyConfs(files).get('vaultwarden.subdomain.conf')).not.toContain('access_log');
    expect(yamlOf(files, HOST_VARS)).toMatchObject({ swag_fail2ban_enabled: false, swag_fail2ban_filters: [], swag_fail2ban_logs: [] });
  });

  it('leaves stock jails off and changes the default ban settings when asked', () => {
    const { files } = synthHomelab({ security: { swag: { fail2ban: { disableJails: ['nginx-unauthorized', 'nginx-badbots'], banTimeSeconds: 86_400, maxRetry: 3 } } } });
    const ini = parseIni(file(files, `${SWAG_FILES}fail2ban/jail.local`));
    expect(Object.keys(ini)).toEqual(['DEFAULT', 'nginx-http-auth', 'nginx-botsearch', 'nginx-deny', 'odoo-login', 'vaultwarden-login']);
    expect(ini.DEFAULT).toMatchObject({ bantime: '86400', findtime: '600', maxretry: '3' });
  });

  it('protects any routed web UI that declares its logins, with defaults', () => {
    let lab!: Homelab;
    const message = synthErrorOf((app) => {
      lab = new Homelab(app, 'homelab');
      const extra = new LabStack(lab, 'extra');
      const dmz = new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.10.20.0/24' });
      const host = new DockerHost(extra, 'wiki', { node: lab.pve, network: dmz, ipAddress: '10.10.20.9', vmId: 199 });
      new ComposeService(host, 'wiki', { image: Image.of('docker.io/example/wiki', '1.2.3'), ports: [{ port: Port.tcp(3000) }], healthcheck: Healthcheck.http(Port.tcp(3000), '/health') });
      host.addWebUi({ port: Port.tcp(3000), access: 'routed', subdomain: 'wiki', bruteForceProtection: { logins: [{ path: '/api/session/' }, { path: '/login', method: 'PUT', failureStatuses: [403, 401, 401] }] } });
    });
    expect(message).toBe('');
    const swag = lab.security.swag!;
    const jail = parseIni(swag.renderJailLocal()!)['wiki-login'];
    expect(jail).toEqual({ enabled: 'true', filter: 'wiki-login', port: 'http,https', logpath: '/config/log/nginx/wiki.access.log', maxretry: '5', findtime: '600', bantime: '3600' });
    expect(parseIni(swag.renderFail2banFilters().get('wiki-login.conf')!).Definition!.failregex!.split('\n')).toEqual([
      '^<HOST> \\[\\] (?:401|403) POST "/api/session/?"$',
      '^<HOST> \\[\\] (?:401|403) PUT "/login/?"$',
    ]);
    // Another lab's networks are trusted too.
    expect(parseIni(swag.renderJailLocal()!).DEFAULT!.ignoreip).toBe('127.0.0.1/8 ::1 10.10.10.0/24 10.10.20.0/24');
  });
});

describe('SWAG hardening: validation', () => {
  const swagError = (swag: NonNullable<HomelabProps['security']>['swag']) => synthErrorOf((app) => {
    new Homelab(app, 'homelab', { security: { swag } });
  });
  const webUiError = (bruteForceProtection: object, access: 'routed' | 'lan-only' = 'routed') => synthErrorOf((app) => {
    const lab = new Homelab(app, 'homelab');
    const extra = new LabStack(lab, 'extra');
    const dmz = new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.10.20.0/24' });
    const host = new DockerHost(extra, 'wiki', { node: lab.pve, network: dmz, ipAddress: '10.10.20.9', vmId: 199 });
    new ComposeService(host, 'wiki', { image: Image.of('docker.io/example/wiki', '1.2.3'), ports: [{ port: Port.tcp(3000) }], healthcheck: Healthcheck.http(Port.tcp(3000), '/health') });
    host.addWebUi({ port: Port.tcp(3000), access, reason: 'test', subdomain: 'wiki', bruteForceProtection: bruteForceProtection as never });
  });

  it('fails when a LAN-only web UI asks for brute-force protection', () => {
    expect(webUiError({ logins: [{ path: '/login' }] }, 'lan-only')).toBe(
      "[homelab/extra/wiki] web UI on port 3000 asks for bruteForceProtection but is lan-only — route it through SWAG (access: 'routed'): only SWAG's fail2ban sees its logins",
    );
  });

  it('fails when a login path is not a plain URL path', () => {
    expect(webUiError({ logins: [{ path: '/login?next=/' }] })).toBe(
      "[homelab/extra/wiki] login path '/login?next=/' is not a plain URL path — write the path alone, starting with '/', without query string, spaces or quotes",
    );
    expect(webUiError({ logins: [{ path: 'login' }] })).toContain("login path 'login' is not a plain URL path");
  });

  it('fails when a success status would count as a failed login', () => {
    expect(webUiError({ logins: [{ path: '/login', failureStatuses: [200] }] })).toBe(
      "[homelab/extra/wiki] failure status 200 of login path '/login' is not an HTTP error status — use 4xx/5xx statuses only: counting successful answers would ban every user (an app that answers a failed login with 200 needs successStatuses instead)",
    );
  });

  it('fails when the protection has no logins or a nonsensical count', () => {
    expect(webUiError({ logins: [] })).toBe("[homelab/extra/wiki] bruteForceProtection has no logins — name at least one login request, e.g. { path: '/login' }");
    expect(webUiError({ logins: [{ path: '/login' }], maxRetry: 0 })).toBe('[homelab/extra/wiki] bruteForceProtection.maxRetry must be an integer 1..100, got 0 — pick a value in 1..100');
  });

  it('fails when geo-blocking names no country, a non-ISO code or a lower-case one', () => {
    expect(swagError({ geoBlock: { allowCountries: [] } })).toBe(
      "[homelab/security/swag] geoBlock.allowCountries is empty: every client would be blocked — list the countries to allow, e.g. ['DE'], or leave geoBlock out",
    );
    expect(swagError({ geoBlock: { allowCountries: ['UK'] } })).toBe("[homelab/security/swag] geoBlock country 'UK' is not an ISO 3166-1 code — write 'GB'");
    expect(swagError({ geoBlock: { allowCountries: ['de'] } })).toBe(
      "[homelab/security/swag] geoBlock country 'de' is not an ISO 3166-1 alpha-2 code — write two upper-case letters, e.g. 'DE'",
    );
    expect(swagError({ geoBlock: { allowCountries: ['DE'], database: GeoIpDatabase.maxmind(0) } })).toBe(
      '[homelab/security/swag] MaxMind account id 0 is not a positive integer — copy the account id from your MaxMind account page',
    );
  });

  it('fails when the CrowdSec URL is not an http(s) URL or carries credentials', () => {
    expect(swagError({ crowdsec: { lapiUrl: 'crowdsec:8080' } })).toBe(
      "[homelab/security/swag] crowdsec.lapiUrl 'crowdsec:8080' is not an http(s) URL — write it as http://HOST:PORT, e.g. 'http://10.10.10.60:8080'",
    );
    expect(swagError({ crowdsec: { lapiUrl: 'not a url' } })).toContain("crowdsec.lapiUrl 'not a url' is not a URL");
    expect(swagError({ crowdsec: { lapiUrl: 'http://bouncer:secret@10.10.10.60:8080' } })).toBe(
      "[homelab/security/swag] crowdsec.lapiUrl 'http://bouncer:secret@10.10.10.60:8080' carries credentials — leave them out: the bouncer authenticates with apiKey, a vault secret",
    );
  });

  it('fails when a trusted network or a fail2ban setting is malformed', () => {
    expect(swagError({ trustedNetworks: ['10.10.10.0/33'] })).toBe(
      "[homelab/security/swag] trustedNetworks entry '10.10.10.0/33' is not an IP address or CIDR range — write it as '10.10.10.0/24' or '2001:db8::/64'",
    );
    expect(swagError({ fail2ban: { maxRetry: 0 } })).toBe('[homelab/security/swag] fail2ban.maxRetry must be an integer 1..100, got 0 — pick a value in 1..100');
  });
});

// --- real tools ---------------------------------------------------------------------------------

describeWithTools(['fail2ban-regex', 'fail2ban-client'], 'generated fail2ban config under the real fail2ban tools', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  /** The addresses fail2ban-regex reports as failures for these log lines. */
  function failures(filter: string, lines: readonly string[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'f2b-regex-'));
    try {
      writeFileSync(join(dir, 'filter.conf'), filter);
      writeFileSync(join(dir, 'access.log'), `${lines.join('\n')}\n`);
      const r = spawnSync('fail2ban-regex', ['-o', 'ip', join(dir, 'access.log'), join(dir, 'filter.conf')], { encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`fail2ban-regex failed (${r.status}): ${r.stderr}${r.stdout}`);
      return r.stdout.split('\n').filter(Boolean);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('matches failed Vaultwarden logins and nothing else in the login log format', () => {
    const filter = file(synthed.files, `${SWAG_FILES}fail2ban/filter.d/vaultwarden-login.conf`);
    const at = '[25/Nov/2026:10:15:32 +0000]';
    const mustMatch = [
      `203.0.113.1 ${at} 400 POST "/identity/connect/token"`, // wrong password (invalid_grant)
      `203.0.113.2 ${at} 401 POST "/identity/connect/token"`,
      `203.0.113.3 ${at} 400 POST "/identity/connect/token/"`,
      `2001:db8::4 ${at} 400 POST "/identity/connect/token"`, // IPv6 client
      `203.0.113.5 ${at} 401 POST "/admin"`, // wrong admin token
    ];
    const mustNotMatch = [
      `198.51.100.1 ${at} 200 POST "/identity/connect/token"`, // successful login
      `198.51.100.2 ${at} 429 POST "/identity/connect/token"`, // Vaultwarden's own rate limit
      `198.51.100.3 ${at} 400 GET "/identity/connect/token"`,
      `198.51.100.4 ${at} 400 POST "/identity/connect/token2"`,
      `198.51.100.5 ${at} 400 POST "/api/identity/connect/token"`,
      `198.51.100.6 ${at} 401 GET "/admin"`,
      `198.51.100.7 ${at} 200 POST "/admin"`,
      `198.51.100.8 ${at} 401 POST "/admin/users"`,
      // A client trying to forge a second record through the one field it controls (nginx escapes ").
      `198.51.100.9 ${at} 404 GET "/x\\x22 400 POST \\x22/identity/connect/token"`,
      // SWAG's combined access.log is not what the jail reads; its lines do not fit the filter.
      `198.51.100.10 - - ${at} "POST /identity/connect/token HTTP/2.0" 400 92 "-" "Bitwarden_Mobile/2026.1.0"`,
    ];
    expect(failures(filter, [...mustMatch, ...mustNotMatch])).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3', '2001:db8::4', '203.0.113.5']);
  });

  it('matches nothing once the statuses are changed (the check can fail)', () => {
    const filter = file(synthed.files, `${SWAG_FILES}fail2ban/filter.d/vaultwarden-login.conf`).replace('(?:400|401)', '(?:418)');
    expect(failures(filter, ['203.0.113.1 [25/Nov/2026:10:15:32 +0000] 400 POST "/identity/connect/token"'])).toEqual([]);
  });

  /**
   * `fail2ban-client -t` on Debian's fail2ban configuration with the generated jail.local and filters
   * (log paths pointed at temp files). SWAG's own three filters are not in Debian's package: stubs
   * stand in for them, since this checks our jail.local, not SWAG's filters.
   */
  function configTest(jailLocal: string, filters: ReadonlyMap<string, string>): { code: number; output: string } {
    const dir = mkdtempSync(join(tmpdir(), 'f2b-config-'));
    try {
      const etc = join(dir, 'fail2ban');
      cpSync('/etc/fail2ban', etc, { recursive: true });
      for (const f of readdirSync(join(etc, 'jail.d'))) rmSync(join(etc, 'jail.d', f));
      for (const stub of ['nginx-badbots', 'nginx-deny', 'nginx-unauthorized']) {
        if (!existsSync(join(etc, 'filter.d', `${stub}.conf`))) writeFileSync(join(etc, 'filter.d', `${stub}.conf`), '[Definition]\nfailregex = ^<HOST> stub$\n');
      }
      for (const [name, content] of filters) writeFileSync(join(etc, 'filter.d', name), content);
      writeFileSync(join(etc, 'jail.local'), jailLocal.split('/config/').join(`${dir}/config/`));
      mkdirSync(join(dir, 'config', 'log', 'nginx'), { recursive: true });
      for (const log of ['error.log', 'access.log', 'odoo.access.log', 'vaultwarden.access.log']) writeFileSync(join(dir, 'config', 'log', 'nginx', log), '');
      const r = spawnSync('fail2ban-client', ['-c', etc, '-t'], { encoding: 'utf8', timeout: 30_000 });
      return { code: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('passes `fail2ban-client -t` with the generated jail.local and filter', () => {
    const r = configTest(file(synthed.files, `${SWAG_FILES}fail2ban/jail.local`), under(synthed.files, 'fail2ban/filter.d'));
    expect(r.output).toContain('OK: configuration test is successful');
    expect(r.code).toBe(0);
  });

  it('fails `fail2ban-client -t` when the generated filter is missing (the check can fail)', () => {
    const r = configTest(file(synthed.files, `${SWAG_FILES}fail2ban/jail.local`), new Map());
    expect(r.code).not.toBe(0);
    expect(r.output).toContain("Unable to read the filter 'vaultwarden-login'");
  });
});

const GEOIP2_MODULE = '/usr/lib/nginx/modules/ngx_http_geoip2_module.so';
const geoip2Missing = existsSync(GEOIP2_MODULE) ? undefined : `${GEOIP2_MODULE} missing (Debian package libnginx-mod-http-geoip2)`;
if (geoip2Missing && isCI()) throw new Error(`CI=true but ${geoip2Missing}`);

describeWithTools(['nginx', 'unshare', 'openssl', 'curl', 'ip'], 'hardened SWAG confs under real nginx', () => {
  /** Test database: 127.0.1.0/24 is in Germany, 127.0.2.0/24 in the US; the rest is unknown. */
  const geoDb = new Map([['geoip2db/dbip-country-lite.mmdb', countryMmdb({ '127.0.1.0/24': 'DE', '127.0.2.0/24': 'US' })]]);
  let all: SynthedLab;
  beforeAll(() => {
    // Every option that touches the confs: HSTS (default), the Vaultwarden login log, geo-blocking.
    all = synthHomelab({ security: { swag: { geoBlock: { allowCountries: ['DE'] }, trustedNetworks: ['10.10.10.0/24', '127.0.3.0/24'] } } });
  });

  it.skipIf(geoip2Missing)('passes `nginx -t` with every option on, the geo-blocking conf and a real MaxMind-format database', () => {
    const run = nginxTest(proxyConfs(all.files), { siteConfs: under(all.files, 'site-confs'), configFiles: geoDb });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('fails `nginx -t` when the confs block by country but the geo conf is not deployed', () => {
    const run = nginxTest(proxyConfs(all.files));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown "homelab_geo_allowed" variable');
  });

  it.skipIf(geoip2Missing)('fails `nginx -t` when the geo mod has not downloaded its database yet', () => {
    const run = nginxTest(proxyConfs(all.files), { siteConfs: under(all.files, 'site-confs') });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('MMDB_open');
  });

  it('fails `nginx -t` when the login log format is used but not defined', () => {
    const confs = new Map(proxyConfs(synthHomelab().files));
    confs.set('vaultwarden.subdomain.conf', confs.get('vaultwarden.subdomain.conf')!.replace(/^log_format .*$/m, ''));
    const run = nginxTest(confs);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('unknown log format "homelab_login_vaultwarden"');
  });

  it('serves HSTS on every routed host (even on errors), redirects HTTP, and logs Vaultwarden logins for fail2ban', () => {
    const { files } = synthHomelab();
    const confs = proxyConfs(files);
    const hosts = [...confs.keys()].map((n) => `${n.replace('.subdomain.conf', '')}.home.example.org`);
    // A stub Vaultwarden on its LXC address inside the namespace: wrong password 400, wrong admin token 401.
    const stub = [
      'server {',
      '    listen 10.10.10.43:80;',
      '    location = /identity/connect/token { return 400 \'{"error":"invalid_grant"}\'; }',
      '    location = /admin { return 401; }',
      '    location / { return 200; }',
      '}',
    ].join('\n');
    // /admin answers only the lab's networks: the wrong admin token comes from a LAN address.
    const served = nginxServe(confs, { extraHttp: stub, loopbackAddresses: ['10.10.10.43', '10.10.10.77'] }, [
      ...hosts.map((host) => ({ host, scheme: 'https' as const })),
      { host: 'vaultwarden.home.example.org', scheme: 'http', path: '/admin' },
      { host: 'vaultwarden.home.example.org', scheme: 'https', method: 'POST', path: '/identity/connect/token', from: '127.0.5.1' },
      { host: 'vaultwarden.home.example.org', scheme: 'https', method: 'POST', path: '/identity/connect/token?x=1', from: '127.0.5.2' },
      { host: 'vaultwarden.home.example.org', scheme: 'https', method: 'POST', path: '/admin', from: '10.10.10.77' },
      { host: 'vaultwarden.home.example.org', scheme: 'https', method: 'GET', path: '/alive', from: '127.0.5.4' },
    ]);
    const byHost = served.responses.slice(0, hosts.length);
    hosts.forEach((host, i) => {
      // Upstreams other than the stub are unreachable here: 502, still with HSTS ("always").
      expect(byHost[i]!.status, host).toBe(host.startsWith('vaultwarden.') ? 200 : 502);
      expect(byHost[i]!.headers['strict-transport-security'], host).toBe('max-age=63072000; includeSubDomains');
    });
    const [redirect, token, tokenQuery, admin, alive] = served.responses.slice(hosts.length);
    expect(redirect).toMatchObject({ status: 301, headers: { location: 'https://vaultwarden.home.example.org/admin' } });
    expect([token!.status, tokenQuery!.status, admin!.status, alive!.status]).toEqual([400, 400, 401, 200]);

    const lines = served.logs.get('vaultwarden.access.log')!.trim().split('\n').filter((l) => /^(127\.0\.5\.|10\.10\.10\.77 )/.test(l));
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(/^127\.0\.5\.2 \[[^\]]+\] 400 POST "\/identity\/connect\/token"$/);
    // SWAG's own access.log still sees the same requests.
    expect(served.logs.get('access.log')).toContain('127.0.5.1 - - [');
    if (requireFail2banRegex()) return;
    const dir = mkdtempSync(join(tmpdir(), 'f2b-e2e-'));
    try {
      writeFileSync(join(dir, 'filter.conf'), file(files, `${SWAG_FILES}fail2ban/filter.d/vaultwarden-login.conf`));
      writeFileSync(join(dir, 'vaultwarden.access.log'), `${lines.join('\n')}\n`);
      const r = spawnSync('fail2ban-regex', ['-o', 'ip', join(dir, 'vaultwarden.access.log'), join(dir, 'filter.conf')], { encoding: 'utf8', timeout: 30_000 });
      // The two wrong passwords and the wrong admin token; not the health check.
      expect(r.stdout.split('\n').filter(Boolean)).toEqual(['127.0.5.1', '127.0.5.2', '10.10.10.77']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(geoip2Missing)('lets allowed countries and trusted networks in and answers 403 (with HSTS) to everyone else', () => {
    const host = 'grafana.home.example.org';
    const served = nginxServe(proxyConfs(all.files), { siteConfs: under(all.files, 'site-confs'), configFiles: geoDb }, [
      { host, scheme: 'https', from: '127.0.1.1' }, // DE: allowed
      { host, scheme: 'https', from: '127.0.2.1' }, // US
      { host, scheme: 'https', from: '127.0.3.1' }, // trusted network, unknown country
      { host, scheme: 'https', from: '127.0.4.1' }, // unknown country
    ]);
    expect(served.responses.map((r) => r.status)).toEqual([502, 403, 502, 403]);
    for (const r of served.responses) expect(r.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });
});

describeWithTools(['controller'], "the swag role's HTTP-to-HTTPS check under real Ansible", () => {
  it('accepts the redirect of SWAG\'s default.conf and fails when it is commented out', () => {
    const tasks = yamlOf<Record<string, unknown>[]>(synthHomelab().files, 'ansible/roles/swag/tasks/main.yml');
    const read = tasks.find((t) => t.name === "Read SWAG's default site conf")!;
    const check = tasks.find((t) => t.name === "Check that SWAG's default server still redirects HTTP to HTTPS")!;
    const dir = mkdtempSync(join(tmpdir(), 'swag-role-'));
    try {
      // The shape of SWAG's default.conf.sample (2026/03/07): the HTTP server it ships.
      const redirect = [
        '# redirect all traffic to https',
        'server {',
        '    listen 80 default_server;',
        '    listen [::]:80 default_server;',
        '',
        '    location / {',
        '        return 301 https://$host$request_uri;',
        '    }',
        '}',
        '',
      ].join('\n');
      for (const [name, conf] of [['kept', redirect], ['removed', redirect.replace('        return 301', '        # return 301')]] as const) {
        mkdirSync(join(dir, name, 'nginx', 'site-confs'), { recursive: true });
        writeFileSync(join(dir, name, 'nginx', 'site-confs', 'default.conf'), conf);
      }
      writeFileSync(join(dir, 'play.yml'), yaml.dump([{ name: 'Check', hosts: 'localhost', gather_facts: false, tasks: [read, check] }]));
      const run = (config: string) => runInController(dir, ['ansible-playbook', '-c', 'local', '-i', 'localhost,', 'play.yml', '-e', `swag_config_dir=/work/${config}`], { timeoutMs: 180_000 });
      const kept = run('kept');
      expect(kept.stdout).toContain('failed=0');
      expect(kept.code).toBe(0);
      const removed = run('removed');
      expect(removed.code).not.toBe(0);
      expect(removed.stdout).toContain('no longer redirects HTTP to HTTPS');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

function requireFail2banRegex(): boolean {
  const missing = spawnSync('sh', ['-c', 'command -v fail2ban-regex']).status !== 0;
  if (missing && isCI()) throw new Error('CI=true but fail2ban-regex is missing (Debian package fail2ban)');
  return missing;
}
