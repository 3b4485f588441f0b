import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toYaml } from '../../lib/yaml';
import { describeWithTools, runInController } from '../support/controller';
import { SynthesizedLab } from '../support/lab';
import { RefLab, synthHomelab, VAULT_TEST_VALUES } from './support';

/**
 * The monitoring_config role run for real by Debian 13's Ansible: the generated config files of
 * the monitoring services are installed (the `.j2` ones rendered by real Jinja with vault
 * values), files the model no longer generates are removed, and a second run changes nothing.
 * The play runs with a local connection inside the controller, so "hosts" are directories.
 */
const HOSTS = ['prometheus', 'alertmanager', 'ntfy', 'pve-exporter', 'grafana', 'loki', 'glance', 'blackbox'];

describeWithTools(['controller'], 'the monitoring_config role with real Ansible', () => {
  let ref: RefLab;
  let out: SynthesizedLab;
  let deploy: string;
  let runs: { code: number; output: string }[];

  beforeAll(() => {
    ref = synthHomelab();
    out = ref.out;
    const ansible = join(out.dir, 'ansible');
    deploy = join(out.dir, 'deploy');
    mkdirSync(deploy);
    writeFileSync(join(ansible, 'vault-test.yml'), toYaml(VAULT_TEST_VALUES));
    writeFileSync(join(ansible, 'monitoring-config-test.yml'), toYaml([{
      name: 'Install the generated monitoring configs into local directories',
      hosts: HOSTS.join(','),
      connection: 'local',
      gather_facts: false,
      vars: { compose_project_dir: '/work/deploy/{{ inventory_hostname }}' },
      roles: ['monitoring_config'],
    }]));
    const play = ['ansible-playbook', '-i', 'inventory/hosts.yml', '-e', '@vault-test.yml', 'monitoring-config-test.yml'];
    const env = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' };
    const first = runInController(out.dir, play, { cwd: 'ansible', rw: true, timeoutMs: 240_000, env });
    // A file synth no longer generates, left over from an earlier deploy.
    writeFileSync(join(deploy, 'prometheus/config/rules/retired.yml'), 'groups: []\n');
    const second = runInController(out.dir, play, { cwd: 'ansible', rw: true, timeoutMs: 240_000, env });
    const third = runInController(out.dir, play, { cwd: 'ansible', rw: true, timeoutMs: 240_000, env });
    runs = [first, second, third].map((r) => ({ code: r.code, output: r.output }));
  }, 600_000);

  afterAll(() => ref?.cleanup());

  const recap = (output: string, host: string) => {
    const m = new RegExp(`^${host}\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+).*failed=(\\d+)`, 'm').exec(output);
    if (!m) throw new Error(`no recap for ${host}:\n${output.slice(-3000)}`);
    return { ok: Number(m[1]), changed: Number(m[2]), failed: Number(m[3]) };
  };

  it('installs every generated file of every monitoring service', () => {
    expect(runs[0]!.code, runs[0]!.output.slice(-4000)).toBe(0);
    for (const host of HOSTS) {
      for (const f of out.hostVars(host).monitoring_config_files) {
        expect(existsSync(join(deploy, host, f.dest)), `${host}/${f.dest}`).toBe(true);
        expect((statSync(join(deploy, host, f.dest)).mode & 0o777).toString(8).padStart(4, '0'), `${host}/${f.dest}`).toBe(f.mode);
      }
    }
    expect(readFileSync(join(deploy, 'prometheus/config/prometheus.yml'), 'utf8')).toBe(out.text('ansible/files/prometheus/config/prometheus.yml'));
  });

  it('renders the secret-bearing files with the vault values into valid configs', () => {
    const am: any = yaml.load(readFileSync(join(deploy, 'alertmanager/config/alertmanager.yml'), 'utf8'));
    expect(am.receivers.find((r: any) => r.name === 'heartbeat').webhook_configs[0].url).toBe(VAULT_TEST_VALUES.vault_alertmanager_heartbeat_url);
    expect(readFileSync(join(deploy, 'alertmanager/config/secrets/ntfy-token'), 'utf8').trim()).toBe(VAULT_TEST_VALUES.vault_ntfy_alertmanager_token);
    const ntfy: any = yaml.load(readFileSync(join(deploy, 'ntfy/config/server.yml'), 'utf8'));
    // bcrypt hashes are full of '$': they survive as list items.
    expect(ntfy['auth-users']).toEqual(VAULT_TEST_VALUES.vault_ntfy_auth_users);
    expect(ntfy['auth-tokens']).toEqual([`alertmanager:${VAULT_TEST_VALUES.vault_ntfy_alertmanager_token}:Alertmanager`]);
    const pve: any = yaml.load(readFileSync(join(deploy, 'pve-exporter/config/pve.yml'), 'utf8'));
    expect(pve.default.token_value).toBe(VAULT_TEST_VALUES.vault_pve_exporter_token);
  });

  it('removes files the model no longer generates', () => {
    expect(runs[1]!.code, runs[1]!.output.slice(-4000)).toBe(0);
    expect(existsSync(join(deploy, 'prometheus/config/rules/retired.yml'))).toBe(false);
    expect(recap(runs[1]!.output, 'prometheus').changed).toBe(1);
    expect(runs[1]!.output).toMatch(/Remove configuration files the model no longer generates[\s\S]*?changed: \[prometheus\]/);
  });

  it('changes nothing on a run without changes (idempotent)', () => {
    expect(runs[2]!.code, runs[2]!.output.slice(-4000)).toBe(0);
    for (const host of HOSTS) expect(recap(runs[2]!.output, host), host).toMatchObject({ changed: 0, failed: 0 });
  });

  it('does not restart a service whose compose project is not deployed yet (first deploy)', () => {
    expect(runs[0]!.output).toContain('RUNNING HANDLER [monitoring_config : Restart the monitoring service]');
    expect(runs[0]!.output).not.toMatch(/Restart the monitoring service\][^\n]*\n(fatal|changed)/);
  });
});
