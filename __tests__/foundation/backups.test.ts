import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupJob } from '../../constructs/core';
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
      storage: 'local',
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
