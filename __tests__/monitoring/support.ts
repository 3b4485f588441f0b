import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from '../../lib/cdktf';
import { ComposeService, DockerHost, Healthcheck, Image, Lab, LabStack, Network, Port, ProxmoxNode, Size, Volume } from '../../constructs/core';
import { MonitoringStack, MonitoringStackProps } from '../../constructs/monitoring/monitoring-stack';
import { expect } from 'vitest';
import { SSH_KEY, SynthesizedLab } from '../support/lab';

export { SSH_KEY, synthHomelab } from '../support/lab';
export type { RefLab } from '../support/lab';

/**
 * A lab built by hand for focused cases: one node, the LAN, a monitoring stack and an `apps` stack
 * with one routed app (`web`, health /health, metrics on :9300) and one TCP-only service (`smb`).
 */
export function buildMonitoringLab(app: App, opts: { monitoring?: Partial<MonitoringStackProps>; extend?: (ctx: MonitoringLabParts) => void } = {}): MonitoringLabParts {
  const lab = new Lab(app, 'homelab', { domain: 'lab.example.net', proxmox: { endpoint: 'https://pve.lab.example.net:8006/' }, sshPublicKeys: [SSH_KEY] });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.20.0.2', cores: 16, memory: Size.mebibytes(65536) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.20.0.0/24', gateway: '10.20.0.1' });
  const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data' });
  const monitoring = new MonitoringStack(lab, 'monitoring', { node, network: lan, data, ...opts.monitoring });
  const apps = new LabStack(lab, 'apps', { description: 'test apps' });
  const web = new DockerHost(apps, 'web', { node, network: lan, vmId: 301, ipAddress: '10.20.0.101' });
  new ComposeService(web, 'web', {
    image: Image.of('example/web', '1.0.0'),
    ports: [{ port: Port.tcp(8080), description: 'web UI' }, { port: Port.tcp(9300), description: 'metrics' }],
    healthcheck: Healthcheck.http(Port.tcp(8080), '/health'),
  });
  web.addWebUi({ port: Port.tcp(8080), access: 'routed', subdomain: 'web', healthPath: '/health', title: 'Web' });
  web.addHealthEndpoint({ port: Port.tcp(8080), path: '/health' });
  web.addMetricsEndpoint({ port: Port.tcp(9300), job: 'web' });
  const smb = new DockerHost(apps, 'smb', { node, network: lan, vmId: 302, ipAddress: '10.20.0.102' });
  new ComposeService(smb, 'samba', { image: Image.of('example/samba', '4.0.0'), ports: [{ port: Port.tcp(445), description: 'SMB' }] });
  smb.addHealthEndpoint({ port: Port.tcp(445) });
  const parts = { lab, node, lan, monitoring, apps, web, smb };
  opts.extend?.(parts);
  return parts;
}

export interface MonitoringLabParts {
  readonly lab: Lab;
  readonly node: ProxmoxNode;
  readonly lan: Network;
  readonly monitoring: MonitoringStack;
  readonly apps: LabStack;
  readonly web: DockerHost;
  readonly smb: DockerHost;
}

/**
 * Renders the Jinja the generated `.j2` files use — `{{ var }}` and `{{ expr | to_json }}` over
 * vault variables, the only forms the generators emit — with test values, as Ansible would.
 */
export function renderVaultTemplate(text: string, vars: Record<string, unknown>): string {
  return text.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => {
    const toJson = /\|\s*to_json$/.test(expr);
    const body = expr.replace(/\|\s*to_json$/, '').trim();
    const value = evalJinja(body, vars);
    return toJson ? JSON.stringify(value) : String(value);
  });
}

function evalJinja(expr: string, vars: Record<string, unknown>): unknown {
  const list = /^\[(.*)\]$/.exec(expr);
  if (list) return [evalJinja(list[1]!, vars)];
  return expr.split('~').map((part) => {
    const p = part.trim();
    const lit = /^'(.*)'$/.exec(p);
    if (lit) return lit[1];
    if (!(p in vars)) throw new Error(`template variable ${p} has no test value`);
    return vars[p];
  }).reduce((a, b) => (typeof a === 'string' || typeof b === 'string' ? `${String(a)}${String(b)}` : b));
}

/** A scratch directory that tests write tool inputs into. */
export function scratch(prefix: string): { dir: string; write(path: string, content: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), `homelab-${prefix}-`));
  return {
    dir,
    write(path: string, content: string): string {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  output: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): ToolResult {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, env: opts.env ?? process.env, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000 });
  const stdout = r.stdout ?? '';
  const stderr = (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '');
  return { code: r.status ?? -1, stdout, stderr, output: `${stdout}\n${stderr}` };
}

/** Test values of the vault variables the monitoring configs use. */
export const VAULT_TEST_VALUES: Record<string, unknown> = {
  vault_alertmanager_heartbeat_url: 'https://uptime-kuma.home.example.org/api/push/SECRET-PUSH-TOKEN',
  vault_ntfy_alertmanager_token: 'tk_secretsecretsecretsecretsecre',
  vault_pve_exporter_token: '00000000-1111-2222-3333-444444444444',
  vault_ntfy_auth_users: ['admin:$2a$10$abcdefghijklmnopqrstuuXq3Y9mHeJ6mU7t4ZJ5g5s0v1n3e5XyC:admin', 'alertmanager:$2a$10$abcdefghijklmnopqrstuu5d0mQ1a8yQ9f4l8o1d3q8c2z9b7a6O:user'],
};

/** Where the generated Prometheus rule files and their promtool unit tests live in the output. */
export const RULES = 'ansible/files/prometheus/config/rules';
export const TESTS = 'ansible/files/prometheus/rule-tests';

/**
 * Readers of a stack's generated rule group and of one alert in it. `out` is a getter: the lab is
 * synthesized in beforeAll, after the readers are made.
 */
export function ruleReaders(out: () => SynthesizedLab) {
  const group = (stack: string) => {
    const file = out().yaml(`${RULES}/${stack}.yml`);
    expect(file.groups).toHaveLength(1);
    return file.groups[0];
  };
  const rule = (stack: string, alert: string) => {
    const r = group(stack).rules.find((x: any) => x.alert === alert);
    if (!r) throw new Error(`no ${alert} in ${stack}: ${group(stack).rules.map((x: any) => x.alert).join(', ')}`);
    return r;
  };
  return { group, rule };
}
