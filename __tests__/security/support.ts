/**
 * Helpers of the security and business tests: synthesize a Homelab into a temp dir and read the
 * result back, and run the generated nginx/Samba configs through the real tools.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { App } from '../../lib/cdktf';
import { readTree } from '../../lib/output';
import { synthesize } from '../../lib/synth';

export interface SynthedLab {
  readonly lab: Homelab;
  /** Every output file, by path relative to the output directory. */
  readonly files: Map<string, string>;
}

/** Synthesizes `new Homelab(app, 'homelab', props)` through the real pipeline into a temp dir. */
export function synthHomelab(props?: HomelabProps): SynthedLab {
  const dir = mkdtempSync(join(tmpdir(), 'homelab-sec-biz-'));
  try {
    let lab: Homelab | undefined;
    synthesize((app: App) => {
      lab = new Homelab(app, 'homelab', props);
    }, { outdir: join(dir, 'out') });
    return { lab: lab!, files: readTree(join(dir, 'out')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
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

/** What SWAG's /config/nginx/proxy.conf sets (linuxserver/docker-swag proxy.conf.sample, 2022/09/01). */
const SWAG_PROXY_CONF = `
proxy_next_upstream error timeout invalid_header http_500 http_502 http_503;
proxy_buffers 32 4k;
proxy_connect_timeout 240;
proxy_headers_hash_bucket_size 128;
proxy_headers_hash_max_size 1024;
proxy_http_version 1.1;
proxy_read_timeout 240;
proxy_redirect http:// $scheme://;
proxy_send_timeout 240;
proxy_cache_bypass $cookie_session;
proxy_no_cache $cookie_session;
proxy_set_header Connection $connection_upgrade;
proxy_set_header Early-Data $ssl_early_data;
proxy_set_header Host $host;
proxy_set_header Proxy "";
proxy_set_header Upgrade $http_upgrade;
proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
proxy_set_header X-Forwarded-Host $host:$server_port;
proxy_set_header X-Forwarded-Proto $scheme;
proxy_set_header X-Real-IP $remote_addr;
`;

export interface ToolRun {
  readonly code: number;
  readonly stderr: string;
}

/**
 * `unshare -n nginx -t` over proxy confs inside a stand-in of SWAG's nginx.conf: stub ssl.conf (a
 * throw-away self-signed certificate), SWAG's proxy.conf directives, a resolver.conf, and the
 * `map $http_upgrade $connection_upgrade` block SWAG's nginx.conf has. The confs' absolute
 * `/config/nginx/` includes are pointed at the stand-ins; nothing else in them changes.
 */
export function nginxTest(confs: ReadonlyMap<string, string>): ToolRun {
  const dir = mkdtempSync(join(tmpdir(), 'swag-nginx-'));
  try {
    mkdirSync(join(dir, 'proxy-confs'));
    mkdirSync(join(dir, 'temp'));
    const cert = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=swag.test',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' });
    if (cert.status !== 0) throw new Error(`openssl failed: ${cert.stderr}`);
    writeFileSync(join(dir, 'ssl.conf'), `ssl_certificate ${dir}/cert.pem;\nssl_certificate_key ${dir}/key.pem;\nssl_protocols TLSv1.2 TLSv1.3;\n`);
    writeFileSync(join(dir, 'proxy.conf'), SWAG_PROXY_CONF);
    writeFileSync(join(dir, 'resolver.conf'), 'resolver 127.0.0.11 valid=30s;\n');
    const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir}/temp/${t};`).join('\n');
    writeFileSync(join(dir, 'nginx.conf'), [
      `pid ${dir}/nginx.pid;`,
      'error_log stderr;',
      'events {}',
      'http {',
      '  access_log off;',
      temp,
      '  map $http_upgrade $connection_upgrade {',
      '    default upgrade;',
      "    '' close;",
      '  }',
      `  include ${dir}/proxy-confs/*.subdomain.conf;`,
      '}',
      '',
    ].join('\n'));
    for (const [name, content] of confs) writeFileSync(join(dir, 'proxy-confs', name), content.split('/config/nginx/').join(`${dir}/`));
    const r = spawnSync('unshare', ['-n', 'nginx', '-t', '-q', '-p', `${dir}/`, '-e', 'stderr', '-c', join(dir, 'nginx.conf')], { encoding: 'utf8' });
    return { code: r.status ?? -1, stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
