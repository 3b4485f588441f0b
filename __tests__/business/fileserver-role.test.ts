/**
 * Issue 10 items 7 and 25: the fileserver role's Samba passwords and Cockpit administrator, run by
 * Debian 13's real Ansible (the controller) with a local connection. Samba itself is not in the
 * controller: `pdbedit` and `smbpasswd` are stand-ins on PATH that keep a passdb of names and log
 * each password they are given, which is all the role's logic talks to.
 *
 * Item 25: a password changed in the vault used to be ignored (accounts were only ever added). Now
 * it is applied, once; an unchanged one is not; an account missing from passdb is added again; and
 * the passwords never appear in Ansible's output.
 * Item 7: root may not log in to Cockpit and the Samba users have no shell, so the role creates an
 * administrator with the password hash from the vault, and refuses a vault value that is not a hash.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FileServer } from '../../constructs/business/file-server';
import { Homelab } from '../../constructs/homelab';
import { toYaml } from '../../lib/yaml';
import { describeWithTools, runInController } from '../support/controller';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';

const FIRST = 'first-Samba-Secret-1';
const SECOND = 'second-Samba-Secret-2';
const ADMIN_HASH = '$6$homelabcdktest$Kr88Tj5Tq0xzFHHMJHcwrrn4vtYR.rzUTyY9n7g2fiUDU4Db7VZ42EQj4DssZDMcR9D57yWp1F8DT8xcrfzQq/';
const ENV = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default', PATH: '/work/stubs:/usr/sbin:/usr/bin:/sbin:/bin' };

describeWithTools(['controller'], 'the fileserver role with real Ansible (Samba passwords, Cockpit admin)', () => {
  let out: SynthesizedLab;
  let state: string;
  const runs: Record<string, { code: number; output: string }> = {};

  const play = (vault: Record<string, string>, playbook = 'samba-passwords-test.yml') => {
    writeFileSync(join(out.dir, 'ansible/vault-test.yml'), toYaml(vault));
    const r = runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', '-e', '@vault-test.yml', playbook], { cwd: 'ansible', rw: true, timeoutMs: 240_000, env: ENV });
    return { code: r.code, output: r.output };
  };
  const calls = () => (existsSync(join(state, 'calls.log')) ? readFileSync(join(state, 'calls.log'), 'utf8').trim().split('\n').filter(Boolean) : []);
  const recap = (output: string) => {
    const m = /^fileserver\s*:\s*ok=(\d+)\s+changed=(\d+).*failed=(\d+)/m.exec(output);
    if (!m) throw new Error(`no recap:\n${output.slice(-3000)}`);
    return { changed: Number(m[2]), failed: Number(m[3]) };
  };

  beforeAll(() => {
    out = synthLab((app) => new Homelab(app, 'homelab'));
    state = join(out.dir, 'state');
    mkdirSync(state);
    const stubs = join(out.dir, 'stubs');
    mkdirSync(stubs);
    writeFileSync(join(stubs, 'pdbedit'), '#!/bin/sh\n[ "$1" = --list ] || { echo "stub pdbedit: unexpected $*" >&2; exit 2; }\ncat /work/state/passdb 2>/dev/null\nexit 0\n');
    writeFileSync(join(stubs, 'smbpasswd'), [
      '#!/bin/sh',
      '# smbpasswd -s -a USER: the new password twice on stdin.',
      '[ "$1" = -s ] && [ "$2" = -a ] && [ -n "$3" ] || { echo "stub smbpasswd: unexpected $*" >&2; exit 2; }',
      'IFS= read -r p1; IFS= read -r p2',
      '[ "$p1" = "$p2" ] || { echo "Mismatch - password unchanged." >&2; exit 1; }',
      'grep -v "^$3:" /work/state/passdb > /work/state/passdb.new 2>/dev/null; echo "$3:1001:" >> /work/state/passdb.new; mv /work/state/passdb.new /work/state/passdb',
      'echo "$3 $p1" >> /work/state/calls.log',
      '',
    ].join('\n'));
    for (const f of ['pdbedit', 'smbpasswd']) chmodSync(join(stubs, f), 0o755);
    writeFileSync(join(out.dir, 'ansible/samba-passwords-test.yml'), toYaml([{
      name: 'Apply the Samba passwords',
      hosts: 'fileserver',
      connection: 'local',
      gather_facts: false,
      vars: { fileserver_state_dir: '/work/state/markers' },
      tasks: [{ name: 'Samba passwords of the fileserver role', 'ansible.builtin.include_role': { name: 'fileserver', tasks_from: 'samba_passwords' } }],
    }]));
    // The controller's /etc is read-only: the admin tasks run in check mode (module arguments,
    // the hash check and the user module's own validation are real; nothing is written).
    writeFileSync(join(out.dir, 'ansible/cockpit-admin-test.yml'), toYaml([{
      name: "Create Cockpit's administrator",
      hosts: 'fileserver',
      connection: 'local',
      gather_facts: false,
      check_mode: true,
      tasks: [{ name: 'Admin of the fileserver role', 'ansible.builtin.include_role': { name: 'fileserver', tasks_from: 'admin' } }],
    }]));
    const vault = (pw: string) => ({ vault_fileserver_homelab_password: pw, vault_fileserver_admin_password_hash: ADMIN_HASH });
    runs.first = play(vault(FIRST));
    runs.firstCalls = { code: 0, output: calls().join('\n') };
    runs.again = play(vault(FIRST));
    runs.againCalls = { code: 0, output: calls().join('\n') };
    runs.changed = play(vault(SECOND));
    runs.changedCalls = { code: 0, output: calls().join('\n') };
    writeFileSync(join(state, 'passdb'), ''); // the account was deleted by hand (pdbedit -x)
    runs.readded = play(vault(SECOND));
    runs.readdedCalls = { code: 0, output: calls().join('\n') };
    runs.admin = play(vault(SECOND), 'cockpit-admin-test.yml');
    runs.plainAdmin = play({ vault_fileserver_homelab_password: SECOND, vault_fileserver_admin_password_hash: 'plain-Admin-Password-9' }, 'cockpit-admin-test.yml');
  }, 900_000);

  afterAll(() => {
    if (state) rmSync(state, { recursive: true, force: true });
    out?.cleanup();
  });

  it('sets the password of a new Samba account (first run)', () => {
    expect(runs.first!.code, runs.first!.output.slice(-4000)).toBe(0);
    expect(runs.firstCalls!.output.split('\n')).toEqual([`homelab ${FIRST}`]);
  });

  it('changes nothing when the vault password is unchanged (idempotent)', () => {
    expect(runs.again!.code, runs.again!.output.slice(-4000)).toBe(0);
    expect(recap(runs.again!.output)).toEqual({ changed: 0, failed: 0 });
    expect(runs.againCalls!.output.split('\n')).toEqual([`homelab ${FIRST}`]);
  });

  it('applies a password changed in the vault, once', () => {
    expect(runs.changed!.code, runs.changed!.output.slice(-4000)).toBe(0);
    expect(runs.changedCalls!.output.split('\n')).toEqual([`homelab ${FIRST}`, `homelab ${SECOND}`]);
    expect(recap(runs.changed!.output).changed).toBeGreaterThan(0);
  });

  it('adds an account again that is missing from passdb, though its password is unchanged', () => {
    expect(runs.readded!.code, runs.readded!.output.slice(-4000)).toBe(0);
    expect(runs.readdedCalls!.output.split('\n')).toEqual([`homelab ${FIRST}`, `homelab ${SECOND}`, `homelab ${SECOND}`]);
  });

  it('keeps the passwords out of the output and the markers root-only, without the password in them', () => {
    for (const r of [runs.first, runs.again, runs.changed, runs.readded]) {
      expect(r!.output).not.toContain(FIRST);
      expect(r!.output).not.toContain(SECOND);
    }
    const marker = readFileSync(join(state, 'markers/homelab.password.sha256'), 'utf8');
    expect(marker).toMatch(/^[0-9a-f]{64}\n$/);
    expect(marker).not.toContain(SECOND);
  });

  it('creates the Cockpit administrator from the vault hash, a sudoer with a login shell', () => {
    expect(runs.admin!.code, runs.admin!.output.slice(-4000)).toBe(0);
    expect(runs.admin!.output).toMatch(/Create Cockpit's administrator \(a sudoer[^\n]*\n+changed: \[fileserver\]/);
    const tasks = readFileSync(join(out.dir, 'ansible/roles/fileserver/tasks/admin.yml'), 'utf8');
    expect(tasks).toContain('groups: [sudo]');
    expect(tasks).toContain('shell: /bin/bash');
    expect(out.hostVars('fileserver')).toMatchObject({ fileserver_admin_user: 'admin', fileserver_admin_password_hash: '{{ vault_fileserver_admin_password_hash }}' });
    expect(out.yaml('ansible/roles/fileserver/defaults/main.yml').fileserver_packages).toContain('sudo');
  });

  it('refuses a vault value that is a password, not a hash, without printing it', () => {
    expect(runs.plainAdmin!.code).not.toBe(0);
    expect(runs.plainAdmin!.output).toContain('vault_fileserver_admin_password_hash must be a crypt(3) hash');
    expect(runs.plainAdmin!.output).not.toContain('plain-Admin-Password-9');
  });
});

it('validates the Cockpit administrator name of the file server', () => {
  const build = (adminUser: unknown) => (app: any) => new Homelab(app, 'homelab', { business: { fileServer: { adminUser: adminUser as string } } });
  expect(problemsOf(build('root'))).toContain("[homelab/business/fileserver] adminUser 'root' is reserved — pick another name: root, homelab-data, daemon, bin, sys, nobody, www-data, sudo cannot log in to Cockpit or are system accounts");
  expect(problemsOf(build('homelab'))).toContain("[homelab/business/fileserver] adminUser 'homelab' is also a Samba user — give the administrator its own name: Samba users get no shell or Unix password");
  for (const bad of ['Admin', '1admin', 'a b', '', 42]) {
    expect(problemsOf(build(bad))).toContain(`[homelab/business/fileserver] adminUser '${String(bad)}' is not a valid user name — use lowercase letters, digits, - and _ (max 32)`);
  }
  expect(problemsOf(build('ops'))).toEqual([]);
  expect(FileServer).toBeDefined();
});
