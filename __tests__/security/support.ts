/**
 * Helpers of the security and business tests: synthesize a Homelab into a temp dir and read the
 * result back, and run the generated nginx/Samba/fail2ban configs through the real tools.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { App } from '../../lib/cdktf';
import { synthesize } from '../../integrations/synth';
import { AUTHELIA_PORT, autheliaLocationConf, autheliaServerConf } from '../../constructs/security/swag-authelia';
import { REPO_ROOT } from '../support/controller';
import { TEMPLATE_ROOT } from '../../lib/templates';
import { synthHomelab as synthReference } from '../support/lab';

export interface SynthedLab {
  readonly lab: Homelab;
  /** Every output file, by path relative to the output directory. */
  readonly files: Map<string, string>;
}

/** Synthesizes `new Homelab(app, 'homelab', props)` through the real pipeline and keeps the files in memory. */
export function synthHomelab(props?: HomelabProps): SynthedLab {
  const ref = synthReference(props);
  try {
    return { lab: ref.lab, files: ref.out.files };
  } finally {
    ref.cleanup();
  }
}

/** The error text a failing synth throws (all `[path] message — fix` lines), or '' when it succeeds. */
export function synthErrorOf(build: (app: App) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-sec-biz-'));
  try {
    synthesize(build, { outdir: join(dir, 'out') });
    return '';
  } catch (e) {
    return (e as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function file(files: Map<string, string>, path: string): string {
  const content = files.get(path);
  if (content === undefined) throw new Error(`${path} was not generated; files: ${[...files.keys()].filter((p) => p.startsWith(path.split('/').slice(0, 3).join('/'))).join(', ')}`);
  return content;
}

export function yamlOf<T = any>(files: Map<string, string>, path: string): T { // eslint-disable-line @typescript-eslint/no-explicit-any
  return yaml.load(file(files, path)) as T;
}

/** The compose services of a host's generated compose.yml. */
export function composeOf(files: Map<string, string>, host: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return yamlOf<{ services: Record<string, unknown> }>(files, `ansible/files/${host}/compose.yml`).services;
}

/** The Terraform container resource whose construct path is `homelab/<stack>/<id>/Resource`. */
export function tfContainer(files: Map<string, string>, stack: string, id: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const tf = JSON.parse(file(files, `stacks/${stack}/cdk.tf.json`));
  const all = tf.resource.proxmox_virtual_environment_container as Record<string, { '//': { metadata: { path: string } } }>;
  const hit = Object.values(all).find((r) => r['//'].metadata.path === `homelab/${stack}/${id}/Resource`);
  if (!hit) throw new Error(`no container homelab/${stack}/${id} in stacks/${stack}/cdk.tf.json`);
  return hit;
}

// --- nginx -------------------------------------------------------------------------------------

/** The default Authelia stand-in (NginxStage.autheliaUpstream): every auth request answers 200. */
const AUTHELIA_PASS_ALL = `127.0.0.1:${AUTHELIA_PORT}`;

/**
 * What SWAG's /config/nginx/proxy.conf sets: linuxserver/docker-swag
 * root/defaults/nginx/proxy.conf.sample "## Version 2023/02/09", unchanged up to 5.7.0-ls473
 * (2026-07-18) and copied to /config/nginx/proxy.conf on SWAG's first start when missing
 * (init-swag-config/run). Since commit 3bab8b6 (2023-02-08) it sends `X-Forwarded-Host $host`,
 * without the port (before: `$host:$server_port`). One file for these tests and the twin's real SWAG
 * image (tools/twin/assets.sh, images-real/).
 */
export const SWAG_PROXY_CONF = readFileSync(join(REPO_ROOT, 'tools', 'twin', 'standin', 'real', 'swag', 'proxy.conf'), 'utf8');

export interface ToolRun {
  readonly code: number;
  readonly stderr: string;
}

/** What SWAG's nginx sees besides the proxy confs. */
export interface NginxStage {
  /** Generated http-context confs for /config/nginx/site-confs/ (e.g. homelab-geoblock.conf). */
  readonly siteConfs?: ReadonlyMap<string, string>;
  /** Files under /config (e.g. 'geoip2db/dbip-country-lite.mmdb'), by path relative to /config. */
  readonly configFiles?: ReadonlyMap<string, Buffer | string>;
  /** Extra http-context text of the test itself, e.g. a stub upstream server. */
  readonly extraHttp?: string;
  /** Addresses added to the namespace's loopback for stub upstreams (nginxServe only). */
  readonly loopbackAddresses?: readonly string[];
  /** Text of /config/nginx/proxy.conf instead of SWAG's current one (SWAG_PROXY_CONF), e.g. an older version. */
  readonly proxyConf?: string;
  /**
   * Address:port that stands in for Authelia (`authelia:9091`, a Docker name only SWAG's network
   * resolves) in the generated authelia-server.conf; the test serves it (e.g. in extraHttp).
   * @default - 127.0.0.1:9091, a built-in stand-in that lets every request pass (a signed-in
   * browser): tests about proxying see the upstream behind `sso` routes
   */
  readonly autheliaUpstream?: string;
}

/**
 * A stand-in of SWAG's /config in a temp dir: nginx.conf's http block (access log, the
 * `$connection_upgrade` map, `include site-confs/*.conf`), a site-confs/default.conf with SWAG's
 * HTTP-to-HTTPS redirect server and the include of proxy-confs/*.subdomain.conf, a stub ssl.conf
 * (throw-away self-signed certificate), SWAG's proxy.conf directives and a resolver.conf. Every
 * `/config/` path in the confs points into the stand-in; nothing else in them changes.
 */
function stageNginx(dir: string, confs: ReadonlyMap<string, string>, stage: NginxStage): string {
  const config = join(dir, 'config');
  for (const sub of ['nginx/proxy-confs', 'nginx/site-confs', 'log/nginx', 'temp']) mkdirSync(join(config, sub), { recursive: true });
  const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=swag.test',
    '-keyout', join(config, 'nginx', 'key.pem'), '-out', join(config, 'nginx', 'cert.pem')], { encoding: 'utf8' });
  if (cert.status !== 0) throw new Error(`openssl failed: ${cert.stderr}`);
  const at = (text: string) => text.split('/config/').join(`${config}/`);
  writeFileSync(join(config, 'nginx', 'ssl.conf'), at('ssl_certificate /config/nginx/cert.pem;\nssl_certificate_key /config/nginx/key.pem;\nssl_protocols TLSv1.2 TLSv1.3;\n'));
  writeFileSync(join(config, 'nginx', 'proxy.conf'), stage.proxyConf ?? SWAG_PROXY_CONF);
  writeFileSync(join(config, 'nginx', 'resolver.conf'), 'resolver 127.0.0.11 valid=30s;\n');
  // The shape of SWAG's default.conf.sample: redirect on 80, a default 443 server, the proxy confs.
  writeFileSync(join(config, 'nginx', 'site-confs', 'default.conf'), at([
    'server {',
    '    listen 80 default_server;',
    '    location / {',
    '        return 301 https://$host$request_uri;',
    '    }',
    '}',
    'server {',
    '    listen 443 ssl default_server;',
    '    server_name _;',
    '    include /config/nginx/ssl.conf;',
    '    return 404;',
    '}',
    'include /config/nginx/proxy-confs/*.subdomain.conf;',
    '',
  ].join('\n')));
  // The swag role installs the generated Authelia includes beside proxy.conf (sso routes include them).
  // Only the upstream's name changes: nothing else in the namespace resolves 'authelia'.
  const autheliaServer = autheliaServerConf('homelab/security/swag')
    .replace('    set $upstream_authelia authelia;\n', '')
    .replace(`http://$upstream_authelia:${AUTHELIA_PORT}/`, `http://${stage.autheliaUpstream ?? AUTHELIA_PASS_ALL}/`);
  writeFileSync(join(config, 'nginx', 'authelia-server.conf'), at(autheliaServer));
  if (stage.autheliaUpstream === undefined) {
    writeFileSync(join(config, 'nginx', 'site-confs', 'zz-authelia-pass-all.conf'), `server {\n    listen ${AUTHELIA_PASS_ALL};\n    location / {\n        return 200;\n    }\n}\n`);
  }
  writeFileSync(join(config, 'nginx', 'authelia-location.conf'), at(autheliaLocationConf('homelab/security/swag')));
  for (const [name, content] of stage.siteConfs ?? []) writeFileSync(join(config, 'nginx', 'site-confs', name), at(content));
  if (stage.extraHttp) writeFileSync(join(config, 'nginx', 'site-confs', 'zz-test-only.conf'), stage.extraHttp);
  for (const [name, content] of confs) writeFileSync(join(config, 'nginx', 'proxy-confs', name), at(content));
  for (const [path, content] of stage.configFiles ?? []) {
    mkdirSync(join(config, path, '..'), { recursive: true });
    writeFileSync(join(config, path), content);
  }
  const geoip2 = [...(stage.siteConfs?.values() ?? [])].some((c) => /^geoip2 /m.test(c));
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${config}/temp/${t};`).join('\n');
  writeFileSync(join(dir, 'nginx.conf'), [
    // SWAG's image has the geoip2 module built in; Debian ships it as libnginx-mod-http-geoip2.
    ...(geoip2 ? ['load_module /usr/lib/nginx/modules/ngx_http_geoip2_module.so;'] : []),
    `pid ${dir}/nginx.pid;`,
    `error_log ${config}/log/nginx/error.log;`,
    'events {}',
    'http {',
    `  access_log ${config}/log/nginx/access.log;`,
    temp,
    '  map $http_upgrade $connection_upgrade {',
    '    default upgrade;',
    "    '' close;",
    '  }',
    `  include ${config}/nginx/site-confs/*.conf;`,
    '}',
    '',
  ].join('\n'));
  // Workers run as nobody and must reach their temp directories.
  chmodSync(dir, 0o755);
  return config;
}

function nginxArgs(dir: string): string[] {
  return ['-p', `${dir}/`, '-e', 'stderr', '-c', join(dir, 'nginx.conf')];
}

/** `unshare -n nginx -t` over proxy confs inside the SWAG stand-in (see stageNginx). */
export function nginxTest(confs: ReadonlyMap<string, string>, stage: NginxStage = {}): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'swag-nginx-'));
  try {
    stageNginx(dir, confs, stage);
    const r = spawnSync('unshare', ['-n', 'nginx', '-t', '-q', ...nginxArgs(dir)], { encoding: 'utf8' });
    return { code: r.status ?? -1, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One request to the running stand-in: a Host, a scheme, and the loopback address to send from. */
export interface NginxRequest {
  readonly host: string;
  readonly scheme: 'http' | 'https';
  readonly method?: string;
  readonly path?: string;
  /** Source address on loopback (127.0.0.0/8 is all local inside the namespace). @default '127.0.0.1' */
  readonly from?: string;
  /** Extra request headers, e.g. { 'X-Plex-Token': 'abc' }. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface NginxResponse {
  readonly status: number;
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
}

export interface NginxServed {
  readonly responses: NginxResponse[];
  /** Log files under /config/log/nginx after nginx stopped, by file name. */
  readonly logs: Map<string, string>;
  readonly stderr: string;
}

/**
 * Runs the stand-in for real in a private network namespace (only its loopback is up; upstream
 * LXC addresses are unreachable there, so proxied requests end in 502), sends the requests with
 * curl and stops nginx again. Bounded: curl gives up after 5 s, the whole run after 60 s.
 */
export function nginxServe(confs: ReadonlyMap<string, string>, stage: NginxStage, requests: readonly NginxRequest[]): NginxServed {
  const dir = mkdtempSync(join(tmpdir(), 'swag-nginx-'));
  try {
    const config = stageNginx(dir, confs, stage);
    const curls = requests.map((r, i) => {
      const port = r.scheme === 'https' ? 443 : 80;
      const args = ['curl', '-sk', '--max-time', '5', '-o', '/dev/null', '-D', `${dir}/response-${i}`,
        '--interface', r.from ?? '127.0.0.1', '--resolve', `${r.host}:${port}:127.0.0.1`, '-X', r.method ?? 'GET',
        ...Object.entries(r.headers ?? {}).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
        `${r.scheme}://${r.host}${r.path ?? '/'}`];
      return `${args.map((a) => `'${a}'`).join(' ')} || echo "curl ${i} failed: $?" >&2`;
    });
    const script = [
      'set -u',
      'ip link set lo up',
      ...(stage.loopbackAddresses ?? []).map((a) => `ip addr add '${a}/32' dev lo`),
      `nginx ${nginxArgs(dir).map((a) => `'${a}'`).join(' ')} || exit 1`,
      ...curls,
      `nginx ${nginxArgs(dir).map((a) => `'${a}'`).join(' ')} -s quit`,
      // Wait (bounded) until the master is gone, so the logs are complete.
      `for _ in $(seq 50); do [ -e '${dir}/nginx.pid' ] || break; sleep 0.1; done`,
    ].join('\n');
    const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`nginx run failed (${r.status}): ${r.stderr}${r.error ? String(r.error) : ''}`);
    const responses = requests.map((_, i) => parseResponse(readFileSync(join(dir, `response-${i}`), 'utf8')));
    const logDir = join(config, 'log', 'nginx');
    const logs = new Map(readdirSync(logDir).map((f) => [f, readFileSync(join(logDir, f), 'utf8')]));
    return { responses, logs, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseResponse(head: string): NginxResponse {
  const [statusLine, ...lines] = head.trim().split(/\r?\n/);
  const status = Number(/^HTTP\/[\d.]+ (\d{3})/.exec(statusLine ?? '')?.[1]);
  const headers: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status, headers };
}

/** `testparm -s` on an smb.conf; Samba exits 0 on unknown parameters, so callers also read stderr. */
export function testparm(smbConf: string): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'smb-conf-'));
  try {
    writeFileSync(join(dir, 'smb.conf'), smbConf);
    const r = spawnSync('testparm', ['-s', join(dir, 'smb.conf')], { encoding: 'utf8' });
    return { code: r.status ?? -1, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The problems testparm reports: unknown parameters (exit 0!) and outright failures. */
export function smbConfProblems(run: ToolRun): string[] {
  const lines = run.stderr.split('\n').filter((l) => /Unknown parameter|Ignoring unknown|Error|ERROR/.test(l));
  return run.code === 0 ? lines : [`testparm exited ${run.code}`, ...lines];
}

/** The swag role's pattern for the first line of the confs it manages (roles/swag/defaults/main.yml). */
export function swagGeneratedMarker(): RegExp {
  const defaults = yaml.load(readFileSync(join(TEMPLATE_ROOT, 'roles', 'swag', 'defaults', 'main.yml'), 'utf8')) as { swag_generated_marker: string };
  return new RegExp(defaults.swag_generated_marker);
}
