/**
 * Issue 10 item 21: the PVE exporter verifies the node's certificate by default. It trusts the node
 * CAs proxmox.yml fetched (pve-ca/<node>.pem), installed by the pve_exporter_ca role into ./ca of its
 * compose project before compose starts it, mounted read-only, with REQUESTS_CA_BUNDLE pointing at
 * the bundle (proxmoxer passes verify=True to requests, which then reads REQUESTS_CA_BUNDLE).
 */
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PveExporter } from '../../constructs/monitoring/pve-exporter';
import { App } from '../../lib/cdktf';
import { collectWarnings } from '../../lib/problems';
import { prepare } from '../../integrations/synth';
import { toYaml } from '../../lib/yaml';
import { problemsOf } from '../network/reference-output';
import { describeWithTools, runInController } from '../support/controller';
import { SynthesizedLab } from '../support/lab';
import { buildMonitoringLab, RefLab, synthHomelab } from './support';

describe('PVE exporter TLS in the generated output', () => {
  let ref: RefLab;
  let out: SynthesizedLab;
  beforeAll(() => {
    ref = synthHomelab();
    out = ref.out;
  });
  afterAll(() => ref?.cleanup());

  it('verifies the certificate by default, trusting the CA bundle mounted read-only through REQUESTS_CA_BUNDLE', () => {
    expect(out.text('ansible/files/pve-exporter/config/pve.yml.j2')).toMatch(/^\s+verify_ssl: true$/m);
    const svc = out.compose('pve-exporter').services['pve-exporter'];
    expect(svc.environment).toEqual({ REQUESTS_CA_BUNDLE: '/etc/pve-ca/pve-ca.pem' });
    expect(svc.volumes).toContain('./ca:/etc/pve-ca:ro');
    // Not under config/, which monitoring_config prunes of files it did not generate.
    expect(out.hostVars('pve-exporter').monitoring_config_dirs.map((d: { path: string }) => d.path)).not.toContain('ca');
    expect(out.hostVars('pve-exporter').pve_exporter_ca_group).toBe(101);
  });

  it('installs the CA bundle in a play before the compose play starts the exporter', () => {
    const plays = yaml.load(out.text('ansible/monitoring.yml')) as { hosts: string; roles: string[] }[];
    const ca = plays.findIndex((p) => p.roles.includes('pve_exporter_ca'));
    const compose = plays.findIndex((p) => p.roles.includes('compose_project'));
    expect(ca).toBeGreaterThanOrEqual(0);
    expect(plays[ca]!.hosts).toBe('pve-exporter');
    expect(ca).toBeLessThan(compose);
    expect(out.files.has('ansible/roles/pve_exporter_ca/tasks/main.yml')).toBe(true);
  });
});

describe('PVE exporter verifySsl option', () => {
  const exporterOf = (app: App) => app.node.findAll().find((c): c is PveExporter => c instanceof PveExporter)!;

  it('opt-out: verifySsl false turns verification off, drops the bundle, and warns', () => {
    const app = new App();
    buildMonitoringLab(app, { monitoring: { pveExporter: { verifySsl: false } } as never });
    prepare(app);
    const e = exporterOf(app);
    expect((e.config().default as { verify_ssl: boolean }).verify_ssl).toBe(false);
    expect(collectWarnings(app).filter((w) => w.id === 'homelab:pve-exporter-insecure').map((w) => w.path)).toEqual([e.node.path]);
  });

  it('verifies by default without a warning', () => {
    const app = new App();
    buildMonitoringLab(app);
    prepare(app);
    expect((exporterOf(app).config().default as { verify_ssl: boolean }).verify_ssl).toBe(true);
    expect(collectWarnings(app).filter((w) => w.id === 'homelab:pve-exporter-insecure')).toEqual([]);
  });

  it.each([['yes'], [0], [null]])('rejects verifySsl %j with a clear error', (value) => {
    const problems = problemsOf((app) => buildMonitoringLab(app, { monitoring: { pveExporter: { verifySsl: value } } as never }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^\\[[^\\]]*pve-exporter\\] verifySsl must be true or false, got ${JSON.stringify(JSON.stringify(value)).slice(1, -1)} — leave it out to verify the node's certificate$`));
  });
});

const CA1 = '-----BEGIN CERTIFICATE-----\nMIIBnode1\n-----END CERTIFICATE-----\n';
const CA2 = '-----BEGIN CERTIFICATE-----\nMIIBnode2\n-----END CERTIFICATE-----\n';

describeWithTools(['controller'], 'the pve_exporter_ca role with real Ansible', () => {
  let ref: RefLab;
  let out: SynthesizedLab;
  const env = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' };
  const play = (extra: string[] = []) => runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', ...extra, 'pve-ca-test.yml'], { cwd: 'ansible', rw: true, timeoutMs: 240_000, env });
  const recap = (output: string) => {
    const m = /^pve-exporter\s*:\s*ok=(\d+)\s+changed=(\d+).*failed=(\d+)/m.exec(output);
    if (!m) throw new Error(`no recap:\n${output.slice(-3000)}`);
    return { ok: Number(m[1]), changed: Number(m[2]), failed: Number(m[3]) };
  };

  beforeAll(() => {
    ref = synthHomelab();
    out = ref.out;
    mkdirSync(join(out.dir, 'deploy'));
    writeFileSync(join(out.dir, 'ansible', 'pve-ca-test.yml'), toYaml([{
      name: 'Install the node CAs into a local directory',
      hosts: 'pve-exporter',
      connection: 'local',
      gather_facts: false,
      vars: { compose_project_dir: '/work/deploy/{{ inventory_hostname }}' },
      roles: ['pve_exporter_ca'],
    }]));
  }, 600_000);
  afterAll(() => ref?.cleanup());

  it('fails with a clear message when proxmox.yml has not fetched a node CA yet', () => {
    rmSync(join(out.dir, 'ansible', 'pve-ca'), { recursive: true, force: true });
    const r = play();
    expect(r.code).not.toBe(0);
    expect(r.output.replace(/\s+/g, ' ')).toContain('Run `ansible-playbook proxmox.yml` first');
  });

  it('assembles every fetched node CA into ca/pve-ca.pem, readable by the exporter group, and is idempotent', () => {
    mkdirSync(join(out.dir, 'ansible', 'pve-ca'), { recursive: true });
    writeFileSync(join(out.dir, 'ansible', 'pve-ca', 'pve.pem'), CA1);
    writeFileSync(join(out.dir, 'ansible', 'pve-ca', 'pve2.pem'), CA2);
    const first = play();
    expect(recap(first.output), first.output).toMatchObject({ failed: 0 });
    const bundle = join(out.dir, 'deploy', 'pve-exporter', 'ca', 'pve-ca.pem');
    expect(readFileSync(bundle, 'utf8')).toBe(CA1 + CA2);
    expect((statSync(bundle).mode & 0o777).toString(8)).toBe('644');
    const dir = statSync(join(out.dir, 'deploy', 'pve-exporter', 'ca'));
    expect((dir.mode & 0o777).toString(8)).toBe('750');
    const second = play();
    expect(recap(second.output), second.output).toMatchObject({ changed: 0, failed: 0 });
  });

  it('writes a bundle without any CA where none was fetched when pve_exporter_ca_required is false (the twin)', () => {
    rmSync(join(out.dir, 'ansible', 'pve-ca'), { recursive: true, force: true });
    const r = play(['-e', 'pve_exporter_ca_required=false']);
    expect(recap(r.output), r.output).toMatchObject({ failed: 0 });
    expect(readFileSync(join(out.dir, 'deploy', 'pve-exporter', 'ca', 'pve-ca.pem'), 'utf8')).toMatch(/^# No Proxmox node CA in \S+\/pve-ca \(pve_exporter_ca_required: false\)\n$/);
  });

  it('passes ansible-lint (production profile) and the syntax check', () => {
    const lint = runInController(out.dir, ['ansible-lint', '--offline', '--nocolor', 'roles/pve_exporter_ca', 'monitoring.yml'], { cwd: 'ansible', timeoutMs: 300_000 });
    expect(lint.code, lint.output).toBe(0);
    const syntax = runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', 'monitoring.yml', '--syntax-check'], { cwd: 'ansible', timeoutMs: 180_000 });
    expect(syntax.code, syntax.output).toBe(0);
  });
});
