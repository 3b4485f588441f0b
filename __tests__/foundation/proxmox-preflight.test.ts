/**
 * Issue 10 items 2 and 3: the preflight before `terraform apply` (preflight.yml; proxmox.yml runs the
 * same checks), run by Debian 13's real Ansible in the controller with a local connection. The
 * package database is replaced through proxmox_host_package_versions (the controller is no Proxmox
 * host); the comparison itself is dpkg's.
 *
 * Item 3: the old single lxc-pve minimum (6.0.0-2) let a PVE 9 host with lxc-pve 6.0.4 through (broken
 * Docker: the PVE 9 fix is 6.0.5-2), and pve-container was never checked (Debian 13.1 refused before
 * 6.0.10 / 5.3.1). Item 2: a bind-mount source that proxmox.yml has not created stops the preflight.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Homelab } from '../../constructs/homelab';
import { toYaml } from '../../lib/yaml';
import { describeWithTools, runInController } from '../support/controller';
import { SynthesizedLab, synthLab } from '../support/lab';

/** Each ansible-playbook run takes 20-60 s on two loaded cores. */
const TIMEOUT = 600_000;
const ENV = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' };

describeWithTools(['controller'], 'the Proxmox preflight with real Ansible', () => {
  let out: SynthesizedLab;
  let n = 0;

  const preflight = (packages: Record<string, string>, dirs: string[], datasets = ['/work/tank/data']) => {
    const vars = {
      proxmox_host_datasets: datasets,
      ansible_connection: 'local',
      ansible_python_interpreter: '/usr/bin/python3',
      proxmox_host_package_versions: Object.fromEntries(Object.entries(packages).map(([k, v]) => [k, [{ version: v }]])),
      proxmox_host_directories: dirs.map((path) => ({ path, owner: 101000, group: 101000, mode: '2775' })),
    };
    const file = `vars-${++n}.yml`;
    writeFileSync(join(out.dir, 'ansible', file), toYaml(vars));
    return runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', '-e', `@${file}`, 'preflight.yml'], { cwd: 'ansible', rw: true, timeoutMs: 240_000, env: ENV });
  };

  beforeAll(() => {
    out = synthLab((app) => new Homelab(app, 'homelab'));
    mkdirSync(join(out.dir, 'tank', 'data', 'media'), { recursive: true });
  });
  afterAll(() => out?.cleanup());

  const dirs = ['/work/tank/data', '/work/tank/data/media'];

  it('passes a current PVE 9 and a current PVE 8 host', () => {
    for (const pkgs of [
      { 'pve-manager': '9.0.10', 'pve-container': '6.0.10', 'lxc-pve': '6.0.5-2' },
      { 'pve-manager': '8.4.14', 'pve-container': '5.3.1', 'lxc-pve': '6.0.0-2' },
      // a newer major than the table uses PVE 9's minimums
      { 'pve-manager': '10.0.1', 'pve-container': '7.0.1', 'lxc-pve': '7.0.0-1' },
    ]) {
      const r = preflight(pkgs, dirs);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toMatch(/pve\s*:\s*ok=\d+\s+changed=0\s+unreachable=0\s+failed=0/);
    }
  }, TIMEOUT);

  it('stops a PVE 9 host whose lxc-pve passes the PVE 8 minimum but lacks the PVE 9 fix, naming each package and its error', () => {
    const r = preflight({ 'pve-manager': '9.0.6', 'pve-container': '6.0.9', 'lxc-pve': '6.0.4-2' }, dirs);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('pve (Proxmox VE 9.0.6) is too old for the lab');
    expect(r.output).toContain("pve-container 6.0.9 is older than 6.0.10 (Debian 13 templates fail with \"unsupported debian version '13.1'\")");
    expect(r.output).toContain('lxc-pve 6.0.4-2 is older than 6.0.5-2 (Docker in unprivileged containers fails');
  }, TIMEOUT);

  it('applies the PVE 8 minimums on PVE 8 (dpkg ordering: 5.3.0 < 5.3.1, 6.0.0-1 < 6.0.0-2)', () => {
    const r = preflight({ 'pve-manager': '8.4.12', 'pve-container': '5.3.0', 'lxc-pve': '6.0.0-1' }, dirs);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('pve-container 5.3.0 is older than 5.3.1');
    expect(r.output).toContain('lxc-pve 6.0.0-1 is older than 6.0.0-2');
  }, TIMEOUT);

  it('refuses Proxmox VE 7 and a host without pve-manager', () => {
    const seven = preflight({ 'pve-manager': '7.4.17', 'pve-container': '4.4-6', 'lxc-pve': '5.0.2-4' }, dirs);
    expect(seven.code, seven.output).toBe(2);
    expect(seven.output).toContain('pve runs pve-manager 7.4.17: the lab needs Proxmox VE 8 or 9');
    const none = preflight({ 'lxc-pve': '6.0.5-2' }, dirs);
    expect(none.code, none.output).toBe(2);
    expect(none.output).toContain('pve runs pve-manager (not installed)');
  }, TIMEOUT);

  it('stops when a bind-mount source is missing or is not a directory, and says to run proxmox.yml first', () => {
    writeFileSync(join(out.dir, 'tank', 'file'), '');
    const ok = { 'pve-manager': '9.0.10', 'pve-container': '6.0.12', 'lxc-pve': '6.0.5-3' };
    const r = preflight(ok, [...dirs, '/work/tank/data/torrents', '/work/tank/file']);
    expect(r.code, r.output).toBe(2);
    expect(r.output).toContain('pve lacks 2 bind-mount source(s): /work/tank/data/torrents, /work/tank/file');
    expect(r.output).toContain('Run `ansible-playbook proxmox.yml` (it creates them) before `terraform apply`');
  }, TIMEOUT);

  it('stops when a dataset the node\'s bind mounts live in is missing (nothing would be mounted there)', () => {
    const ok = { 'pve-manager': '9.0.10', 'pve-container': '6.0.12', 'lxc-pve': '6.0.5-3' };
    const r = preflight(ok, dirs, ['/work/tank/data', '/work/tank/nope']);
    expect(r.code, r.output).toBe(2);
    expect(r.output.replace(/\s+/g, ' ')).toContain('pve lacks the dataset(s) /work/tank/nope that its containers bind-mount from');
  }, TIMEOUT);

  it('lists the reference lab\'s bind-mount sources for the node', () => {
    const paths = out.hostVars('pve').proxmox_host_directories.map((d: { path: string }) => d.path);
    expect(paths).toContain('/tank/data');
    expect(out.hostVars('pve').proxmox_host_datasets).toEqual(['/tank/data']);
    expect(out.yaml('ansible/preflight.yml')[0].tasks[0]['ansible.builtin.include_role']).toEqual({ name: 'proxmox_host', tasks_from: 'preflight' });
  });
});
