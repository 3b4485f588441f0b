/**
 * The two sync scripts run for real under /bin/sh with stand-ins for rclone, rsync and ssh: the
 * heartbeat metric is written after a successful run and only then, and the Immich standby refuses
 * to mirror a primary without database dumps. shellcheck lints both.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RCLONE_HEARTBEAT_METRIC } from '../../constructs/business/rclone-sync';
import { IMMICH_SYNC_HEARTBEAT_METRIC } from '../../constructs/business/immich-backup';
import { describeWithTools } from '../support/controller';
import { file, synthHomelab, yamlOf } from '../security/support';

let rcloneScript: string;
let immichTemplate: string;
let immichVars: Record<string, unknown>;
const dirs: string[] = [];

beforeAll(() => {
  const { files } = synthHomelab();
  rcloneScript = file(files, 'ansible/files/gdrive-sync/rclone-sync.sh');
  immichTemplate = file(files, 'ansible/roles/immich_backup/templates/immich-library-sync.sh.j2');
  immichVars = {
    ...yamlOf(files, 'ansible/roles/immich_backup/defaults/main.yml'),
    ...yamlOf(files, 'ansible/inventory/host_vars/immich-backup.yml'),
    ansible_managed: 'Ansible managed',
  };
});

/** The role's Jinja template with the standby's host variables (plain {{ var }} substitutions only). */
function immichScript(overrides: Record<string, string> = {}): string {
  const vars = { ...immichVars, ...overrides };
  return immichTemplate.replace(/\{\{ (\w+) \}\}/g, (_, name: string) => {
    if (!(name in vars)) throw new Error(`template variable ${name} is not defined`);
    return String(vars[name]);
  });
}

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp dir with bin/ stubs (each a shell body) and a textfile collector dir. */
function sandbox(stubs: Record<string, string>): { dir: string; bin: string; textfiles: string; runtime: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sync-script-'));
  dirs.push(dir);
  const bin = join(dir, 'bin');
  const textfiles = join(dir, 'textfiles');
  // systemd's RuntimeDirectory= (/run/rclone-sync) of the service.
  const runtime = join(dir, 'run');
  for (const d of [bin, textfiles, runtime]) mkdirSync(d);
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(bin, name), `#!/bin/sh\necho "${name} $*" >> "${dir}/calls"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  }
  return { dir, bin, textfiles, runtime };
}

function run(script: string, box: { dir: string; bin: string; runtime: string }) {
  writeFileSync(join(box.dir, 'script.sh'), script);
  return spawnSync('/bin/sh', [join(box.dir, 'script.sh')], {
    encoding: 'utf8',
    env: { PATH: `${box.bin}:/usr/bin:/bin`, RUNTIME_DIRECTORY: box.runtime },
  });
}

const calls = (dir: string) => (existsSync(join(dir, 'calls')) ? readFileSync(join(dir, 'calls'), 'utf8') : '');

describe('rclone-sync.sh', () => {
  const prepare = (rcloneExit: number) => {
    const box = sandbox({ rclone: `exit ${rcloneExit}` });
    writeFileSync(join(box.dir, 'rclone.conf'), '[gdrive]\ntype = drive\n');
    const script = rcloneScript
      .split('/etc/rclone/rclone.conf').join(join(box.dir, 'rclone.conf'))
      .split('/var/lib/prometheus/node-exporter').join(box.textfiles);
    return { box, script };
  };

  it('syncs with a private copy of the config, then writes the heartbeat', () => {
    const { box, script } = prepare(0);
    const r = run(script, box);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(calls(box.dir)).toBe(`rclone sync /srv/data/backups gdrive:homelab/backups --config ${box.runtime}/rclone.conf --drive-stop-on-upload-limit --log-level INFO --stats 0\n`);
    expect(readFileSync(join(box.runtime, 'rclone.conf'), 'utf8')).toBe('[gdrive]\ntype = drive\n');
    const prom = readFileSync(join(box.textfiles, 'rclone.prom'), 'utf8');
    expect(prom).toMatch(new RegExp(`^# HELP ${RCLONE_HEARTBEAT_METRIC} .+\\n# TYPE ${RCLONE_HEARTBEAT_METRIC} gauge\\n${RCLONE_HEARTBEAT_METRIC} \\d{10}\\n$`));
  });

  it('writes no heartbeat when rclone fails', () => {
    const { box, script } = prepare(3);
    const r = run(script, box);
    expect(r.status).toBe(3);
    expect(existsSync(join(box.textfiles, 'rclone.prom'))).toBe(false);
  });
});

describe('immich-library-sync', () => {
  const prepare = (dumps: string) => {
    const box = sandbox({
      // --list-only answers with the primary's backups/ listing; the real copy succeeds.
      rsync: `case "$*" in *--list-only*) printf '%s' "${dumps}";; esac; exit 0`,
      ssh: 'exit 0',
    });
    const target = join(box.dir, 'data');
    mkdirSync(target);
    const script = immichScript({ immich_backup_textfile_dir: box.textfiles, immich_backup_target: target });
    return { box, script, target };
  };

  it('mirrors the primary\'s library when it holds database dumps, then writes the heartbeat', () => {
    const { box, script, target } = prepare([
      'drwxr-xr-x          4,096 2026/11/25 02:00:03 .',
      '-rw-r--r--     12,345,678 2026/11/24 02:00:03 immich-db-backup-20261124T020000-v3.0.3-pg14.19.sql.gz',
      '-rw-r--r--     12,345,999 2026/11/25 02:00:03 immich-db-backup-20261125T020000-v3.0.3-pg14.19.sql.gz',
      '',
    ].join('\n'));
    const r = run(script, box);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = calls(box.dir).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('--list-only');
    expect(lines[1]).toMatch(new RegExp(`^rsync --archive --hard-links --numeric-ids --delete .* root@10\\.10\\.10\\.51:\\./ ${target}/$`));
    expect(lines[1]).toContain('--exclude=/.homelab-primary-dump');
    expect(readFileSync(join(target, '.homelab-primary-dump'), 'utf8')).toBe('immich-db-backup-20261125T020000-v3.0.3-pg14.19.sql.gz\n');
    expect(lines[1]).toContain('ssh -i /root/.ssh/immich_library_sync -o BatchMode=yes');
    expect(readFileSync(join(box.textfiles, 'immich-library-sync.prom'), 'utf8')).toMatch(new RegExp(`\\n${IMMICH_SYNC_HEARTBEAT_METRIC} \\d{10}\\n$`));
  });

  it('refuses to mirror an empty primary (a rebuilt one would wipe the standby) and writes no heartbeat', () => {
    const { box, script } = prepare('drwxr-xr-x  4096 2026/11/25 09:00:00 .\n');
    const r = run(script, box);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('refusing to mirror an empty library');
    expect(calls(box.dir)).not.toContain('--delete');
    expect(existsSync(join(box.textfiles, 'immich-library-sync.prom'))).toBe(false);
  });
});

describeWithTools(['shellcheck'], 'shellcheck on the sync scripts', () => {
  it('finds nothing in rclone-sync.sh and immich-library-sync', () => {
    for (const [name, script] of [['rclone-sync.sh', rcloneScript], ['immich-library-sync', immichScript()]] as const) {
      const r = spawnSync('shellcheck', ['--shell=sh', '-'], { input: script, encoding: 'utf8' });
      expect(r.stdout, name).toBe('');
      expect(r.status, name).toBe(0);
    }
  });
});
