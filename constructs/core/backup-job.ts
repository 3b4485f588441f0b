import { Construct } from 'constructs';
import { BackupJob as BackupJobResource } from '../../.gen/providers/proxmox/backup-job';
import { addCheck, fail } from '../../lib/problems';
import { Lab } from './lab';
import type { LxcContainer } from './lxc-container';

/** How many backups Proxmox keeps (vzdump prune settings). */
export interface BackupRetention {
  /** @default 7 */
  readonly keepDaily?: number;
  /** @default 4 */
  readonly keepWeekly?: number;
  /** @default 6 */
  readonly keepMonthly?: number;
}

export interface BackupJobProps {
  /** Proxmox storage that receives the archives. @default - the first node's backups storage */
  readonly storage?: string;
  /** systemd calendar event. @default '02:30' (nightly) */
  readonly schedule?: string;
  /** @default { keepDaily: 7, keepWeekly: 4, keepMonthly: 6 } */
  readonly retention?: BackupRetention;
  /** vzdump mode; 'snapshot' keeps containers running. @default 'snapshot' */
  readonly mode?: 'snapshot' | 'suspend' | 'stop';
  /** @default 'zstd' */
  readonly compress?: 'zstd' | 'gzip' | 'lzo';
}

/**
 * A nightly vzdump job (`proxmox_backup_job`) over every container of the lab that keeps state
 * (`backup: true`, the default), with retention. Bind mounts are not in vzdump archives — Proxmox
 * skips them — so their host directories (listed by `hostPathsOutsideBackups`) need a backup of their
 * own (e.g. the rclone sync or a ZFS snapshot policy).
 */
export class BackupJob extends Construct {
  readonly lab: Lab;
  readonly schedule: string;
  readonly retention: Required<BackupRetention>;
  /** The L1 resource (in the infra stack); its construct id is part of its Terraform address. */
  readonly resource: BackupJobResource;

  constructor(scope: Construct, id: string, props: BackupJobProps = {}) {
    super(scope, id);
    this.lab = Lab.of(this);
    this.schedule = props.schedule ?? '02:30';
    this.retention = { keepDaily: 7, keepWeekly: 4, keepMonthly: 6, ...props.retention };
    for (const [k, v] of Object.entries(this.retention)) {
      if (!Number.isInteger(v) || v < 0) fail(this, `retention ${k} must be a whole number of backups, got ${v}`, 'use 0 or more');
    }
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(id)) fail(this, `backup job id '${id}' is not a valid Proxmox job id`, 'use lowercase letters, digits and dashes');
    const storage = props.storage;
    // The job belongs in the infra stack: create it there (new BackupJob(lab.infra, ...)).
    this.resource = new BackupJobResource(this, 'Resource', {
      id: `homelab-${id}`,
      schedule: this.schedule,
      storage: storage ?? 'local',
      mode: props.mode ?? 'snapshot',
      compress: props.compress ?? 'zstd',
      enabled: true,
      pruneBackups: {
        'keep-daily': String(this.retention.keepDaily),
        'keep-monthly': String(this.retention.keepMonthly),
        'keep-weekly': String(this.retention.keepWeekly),
      },
      notesTemplate: '{{guestname}} (homelab-cdk)',
    });
    this.storageOverride = storage;
    addCheck(this, () =>
      this.containers().length === 0
        ? [{ message: 'backs up no container', fix: 'leave backup: true on the stateful containers, or remove the job' }]
        : [],
    );
  }

  private readonly storageOverride?: string;

  /** Containers this job backs up, in VMID order. */
  containers(): LxcContainer[] {
    return this.lab.containers.filter((c) => c.backup).sort((a, b) => a.vmId - b.vmId);
  }

  /** Host directories bind-mounted into backed-up containers: vzdump does not include them. */
  hostPathsOutsideBackups(): string[] {
    const paths = new Set<string>();
    for (const c of this.containers()) for (const m of c.mountedVolumes) if (m.volume.kind === 'bind') paths.add(m.volume.hostPath as string);
    return [...paths].sort();
  }

  renderTerraform(): void {
    this.resource.vmid = this.containers().map((c) => String(c.vmId));
    if (!this.storageOverride) this.resource.storage = this.lab.nodes[0]?.storage.backups ?? 'local';
  }
}
