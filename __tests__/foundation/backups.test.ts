import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupJob, Size } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { SynthesizedLab, problemsOf, synthLab } from '../support/lab';

describe('backups of the reference homelab', () => {
  let out: SynthesizedLab;
  beforeAll(() => {
    out = synthLab((app) => new Homelab(app, 'homelab', { backups: { retention: { keepMonthly: 12 } } }));
  });
  afterAll(() => out.cleanup());

  const job = () => Object.values(out.resources('infra', 'proxmox_backup_job'))[0] as any;

  it('runs one nightly vzdump job with retention', () => {
    expect(Object.keys(out.resources('infra', 'proxmox_backup_job'))).toHaveLength(1);
    expect(job()).toMatchObject({
      id: 'homelab-nightly',
      schedule: '02:30',
      storage: 'pbs',
      mode: 'snapshot',
      compress: 'zstd',
      enabled: true,
      prune_backups: { 'keep-daily': '7', 'keep-weekly': '4', 'keep-monthly': '12' },
    });
  });

  it('backs up every stateful container and skips stateless ones', () => {
    const vmids = job().vmid as string[];
    const all = out.allContainers().map((c) => String(c.vm_id));
    const flaresolverr = String(out.container('media', 'flaresolverr').vm_id);
    expect(vmids).not.toContain(flaresolverr);
    expect(vmids).toContain(String(out.container('media', 'sonarr').vm_id));
    expect(vmids).toContain(String(out.container('business', 'immich').vm_id));
    expect(vmids.every((v) => all.includes(v))).toBe(true);
    expect(vmids).toEqual([...vmids].sort((a, b) => Number(a) - Number(b)));
  });

  it('documents that bind-mounted host directories are outside vzdump', () => {
    expect(out.text('docs/services.md')).toContain('**Not in any vzdump archive**: Proxmox skips bind mounts, so these host directories need their own backup');
    expect(out.text('docs/services.md')).toContain('`/tank/data`');
  });
});

describe('backup validation', () => {
  it('fails when a retention count is negative', () => {
    expect(problemsOf((app) => {
      const lab = buildSmallLab(app);
      new BackupJob(lab.infra, 'nightly', { retention: { keepDaily: -1 } });
    })).toEqual(['[homelab/infra/nightly] retention keepDaily must be a whole number of backups, got -1 — use 0 or more']);
  });

  it('fails when a job backs up nothing', () => {
    expect(problemsOf((app) => {
      const lab = buildSmallLab(app, { withSecurity: false });
      for (const c of lab.containers) (c as { backup: boolean }).backup = false;
      new BackupJob(lab.infra, 'nightly');
    })).toEqual(['[homelab/infra/nightly] backs up no container — leave backup: true on the stateful containers, or remove the job']);
  });
});

describe('backup storage (issue 10 item 8): a model property, validated, sized', () => {
  const small = (storage: unknown, retention?: Record<string, number>) => (app: any) => {
    const lab = buildSmallLab(app);
    new BackupJob(lab.infra, 'nightly', { storage: storage as any, retention });
  };

  it('sends the reference lab to a Proxmox Backup Server storage, not the root disk', () => {
    const out = synthLab((app) => new Homelab(app, 'homelab'));
    try {
      expect((Object.values(out.resources('infra', 'proxmox_backup_job'))[0] as any).storage).toBe('pbs');
      expect(out.result.warnings.map((w) => w.id)).not.toContain('homelab:backups-on-root-disk');
    } finally {
      out.cleanup();
    }
  });

  it("refuses 'local', the node's root file system, with the fix", () => {
    for (const storage of ['local', { kind: 'directory', id: 'local', capacity: Size.gibibytes(100) }, { kind: 'pbs', id: 'local' }]) {
      expect(problemsOf(small(storage))).toEqual([
        "[homelab/infra/nightly] storage 'local' is the node's root file system (/var/lib/vz): nightly archives of every container would fill it — add a Proxmox Backup Server or a dedicated backup disk as a storage and name it, e.g. storage: { kind: 'pbs', id: 'pbs' } (docs/backups.md)",
      ]);
    }
  });

  it('warns with a stable id when a job falls back to the node storage local', () => {
    const out = synthLab((app) => {
      const lab = buildSmallLab(app);
      new BackupJob(lab.infra, 'nightly');
    });
    try {
      expect(out.result.warnings.find((w) => w.id === 'homelab:backups-on-root-disk')?.message).toContain("writes to 'local', the node's root file system");
    } finally {
      out.cleanup();
    }
  });

  it('rejects every malformed storage value with a clear error', () => {
    const cases: [unknown, string][] = [
      [{ kind: 'nfs', id: 'nas' }, "storage kind 'nfs' is unknown — use 'pbs' (a Proxmox Backup Server storage) or 'directory' (a dedicated disk, NFS or CIFS storage)"],
      [{ kind: 'pbs', id: '1pbs' }, "storage id '1pbs' is not a Proxmox storage id — use the id shown in Datacenter → Storage: letters, digits, -, _ and ., starting with a letter"],
      [{ kind: 'pbs', id: 'a b' }, "storage id 'a b' is not a Proxmox storage id — use the id shown in Datacenter → Storage: letters, digits, -, _ and ., starting with a letter"],
      [{ kind: 'pbs' }, "storage id 'undefined' is not a Proxmox storage id — use the id shown in Datacenter → Storage: letters, digits, -, _ and ., starting with a letter"],
      ['', "storage id '' is not a Proxmox storage id — use the id shown in Datacenter → Storage: letters, digits, -, _ and ., starting with a letter"],
      [{ kind: 'pbs', id: 'pbs', capacity: Size.gibibytes(0) }, 'storage capacity is 0 gibibytes, below the minimum of 1 — give at least Size.gibibytes(1)'],
      [{ kind: 'pbs', id: 'pbs', capacity: Size.gibibytes(1.5) }, 'storage capacity: size 1.5 gibibytes is not a whole number >= 0 — give a whole number, e.g. Size.gibibytes(8)'],
      [{ kind: 'pbs', id: 'pbs', capacity: Size.parse('1500m') }, 'storage capacity 1500m is not a whole number of gibibytes — give it in whole gibibytes, e.g. Size.gibibytes(8)'],
      [{ kind: 'pbs', id: 'pbs', capacity: '100' }, 'storage capacity must be a Size, got "100" — write capacity: Size.gibibytes(8)'],
      // The number form of before (plain JavaScript, an old lab) says what to write now.
      [{ kind: 'pbs', id: 'pbs', capacityGiB: 2000 }, 'storage capacityGiB is now capacity, a Size — write capacity: Size.gibibytes(2000)'],
      [42, 'storage must be a storage id or { kind, id, capacity }, got 42 — write e.g. storage: { kind: \'pbs\', id: \'pbs\' }'],
    ];
    for (const [storage, message] of cases) expect(problemsOf(small(storage)), JSON.stringify(storage)).toEqual([`[homelab/infra/nightly] ${message}`]);
  });

  it('fails when the kept archives cannot fit the storage, counting every full copy on a directory storage', () => {
    const homelab = (storage: unknown, retention?: Record<string, number>) => (app: any) => new Homelab(app, 'homelab', { backups: { storage: storage as any, retention } });
    // The reference lab: 836 GiB allocated (Immich's 500 GiB library included), 17 archives kept.
    const [dir] = problemsOf(homelab({ kind: 'directory', id: 'backup-disk', capacity: Size.gibibytes(4000) }));
    expect(dir).toBe("[homelab/infra/nightly] the backups need up to 14212 GiB but storage 'backup-disk' (directory) has 4000 GiB: 17 kept archives (7 daily, 4 weekly, 6 monthly) × 836 GiB allocated = 14212 GiB — keep fewer archives (retention), leave big volumes out (backup: false on the volume), use a Proxmox Backup Server (kind: 'pbs', deduplicated), or give a larger storage");
    expect(problemsOf(homelab({ kind: 'pbs', id: 'pbs', capacity: Size.gibibytes(500) }))).toEqual(["[homelab/infra/nightly] the backups need up to 836 GiB but storage 'pbs' (pbs) has 500 GiB: one full backup is 836 GiB allocated — keep fewer archives (retention), leave big volumes out (backup: false on the volume), use a Proxmox Backup Server (kind: 'pbs', deduplicated), or give a larger storage"]);
    expect(problemsOf(homelab({ kind: 'pbs', id: 'pbs', capacity: Size.gibibytes(1000) }))).toEqual([]);
    expect(problemsOf(homelab({ kind: 'directory', id: 'backup-disk', capacity: Size.gibibytes(4000) }, { keepDaily: 3, keepWeekly: 1, keepMonthly: 0 }))).toEqual([]);
  });
});
