/**
 * Issue 10 item 8(b): Immich's database dumps live in its library volume, which only the Immich
 * container can mount, so the Google Drive sync never saw them. The Immich container now mounts the
 * lab's data and mirrors the dumps into its backups/immich nightly (after Immich's 02:00 dump,
 * before the 04:30 sync), and the sync uploads backups/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Size, Volume } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { haveHostTool } from '../support/controller';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';

let out: SynthesizedLab;
beforeAll(() => {
  out = synthLab((app) => new Homelab(app, 'homelab'));
});
afterAll(() => out.cleanup());

/** A container path as a host path, through the container's bind mounts. */
const hostPathOf = (host: string, stack: string, path: string): string | undefined => {
  for (const m of out.container(stack, host).mount_point as { path: string; volume: string }[]) {
    if (m.volume.startsWith('/') && (path === m.path || path.startsWith(`${m.path}/`))) return m.volume + path.slice(m.path.length);
  }
  return undefined;
};

describe('Immich database dumps reach the Google Drive sync', () => {
  it('mirrors the dumps into a directory of the shared data that the sync uploads', () => {
    const vars = out.hostVars('immich');
    expect(vars.immich_dump_export_source).toBe('/data/backups');
    const exported = hostPathOf('immich', 'business', vars.immich_dump_export_target);
    expect(exported).toBe('/tank/data/backups/immich');
    const script = out.text('ansible/files/gdrive-sync/rclone-sync.sh');
    const sources = [...script.matchAll(/rclone (?:sync|copy) "([^"]+)"/g)].map((m) => hostPathOf('gdrive-sync', 'business', m[1]!));
    expect(sources.some((s) => s && exported!.startsWith(`${s}/`))).toBe(true);
  });

  it('runs after Immich dumps (02:00) and before the sync (04:30), from a play of the Immich host', () => {
    expect(out.hostVars('immich').immich_dump_export_on_calendar).toBe('*-*-* 03:30:00');
    const play = out.yaml('ansible/business.yml').find((p: any) => p.roles?.includes('immich_dump_export'));
    expect(play.hosts).toBe('immich');
  });

  it.skipIf(!haveHostTool('rsync'))('copies only the dump files and follows Immich\'s retention (real rsync, the unit\'s command)', () => {
    const unit = out.text('ansible/roles/immich_dump_export/templates/immich-dump-export.service.j2');
    const vars = out.hostVars('immich');
    const dir = mkdtempSync(join(tmpdir(), 'immich-dumps-'));
    try {
      const src = join(dir, 'src');
      const dst = join(dir, 'dst');
      mkdirSync(src);
      mkdirSync(dst);
      for (const f of ['immich-db-backup-1.sql.gz', 'immich-db-backup-2.sql.gz', 'notes.txt']) writeFileSync(join(src, f), f);
      writeFileSync(join(dst, 'immich-db-backup-0.sql.gz'), 'pruned by Immich');
      const exec = /^ExecStart=(.+)$/m.exec(unit)![1]!
        .replace(/\{\{ immich_dump_export_source \}\}/g, src)
        .replace(/\{\{ immich_dump_export_target \}\}/g, dst);
      expect(exec).not.toContain('{{');
      expect(vars.immich_dump_export_target).toBe('/srv/data/backups/immich');
      const r = spawnSync('sh', ['-c', exec.replace(/--(include|exclude)=([^ ]+)/g, "--$1='$2'")], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(readdirSync(dst).sort()).toEqual(['immich-db-backup-1.sql.gz', 'immich-db-backup-2.sql.gz']);
      expect(existsSync(join(dst, 'notes.txt'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a storage volume as the dump export target, and a bad schedule', () => {
    expect(problemsOf((app) => {
      const lab = new Homelab(app, 'homelab', { business: { immich: { dumpExport: undefined } } });
      void lab;
    })).toEqual([]);
    const withStorage = (app: any) => {
      const probe = new Homelab(app, 'homelab', { business: { overrides: { immich: { enabled: false } } } as any });
      const vol = Volume.storage(probe.infra, 'other', { size: Size.gibibytes(10) });
      return new Homelab(app, 'homelab2', { business: { immich: { dumpExport: vol } } });
    };
    expect(problemsOf(withStorage).join('\n')).toContain('dumpExport homelab/infra/other is a storage volume — give the lab\'s bind-mounted data volume');
    expect(problemsOf((app) => new Homelab(app, 'homelab', { business: { immich: { dumpExportSchedule: 'daily; rm -rf /' } } }))).toEqual([
"[homelab/business/immich] dumpExportSchedule \"daily; rm -rf /\" is not a systemd calendar event: 'daily;' is not a weekday list, a date, a time or a time zone — write it like '*-*-* 03:30:00', 'Mon..Fri 22:00' or 'daily', or use Schedule.daily(3, 30)",
    ]);
  });
});
