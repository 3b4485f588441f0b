import { Construct } from 'constructs';
import { BackupJob as BackupJobResource } from '../../.gen/providers/proxmox/backup-job';
import { addCheck, checkedId, fail } from '../../lib/problems';
import { checkPropTypes, either, instanceOf, oneOf } from '../../lib/prop-types';
import type { Lab } from './lab';
import { labOf } from './lab-of';
import type { LxcContainer } from './lxc-container';
import { Schedule, Size } from './values';
import { BindVolume, StorageVolume } from './volume';

/** pve-storage-id: a letter, then letters, digits, -, _ and . (Proxmox VE's storage.cfg format). */
const STORAGE_ID = /^[A-Za-z][A-Za-z0-9\-_.]*[A-Za-z0-9]$/;

/** How many backups Proxmox keeps (vzdump prune settings). */
export interface BackupRetention {
  /** @default 7 */
  readonly keepDaily?: number;
  /** @default 4 */
  readonly keepWeekly?: number;
  /** @default 6 */
  readonly keepMonthly?: number;
}

/**
 * Where vzdump writes the archives: a Proxmox storage id and what it is, for the sizing check.
 * - `pbs`: a Proxmox Backup Server datastore added as a storage (deduplicated, incremental: after the
 *   first backup, each one stores only the chunks that changed).
 * - `directory`: a dedicated disk, NFS or CIFS storage with content `backup`: every archive is a full
 *   (compressed) copy, so it needs room for each kept archive.
 * Sizing (docs/backups.md): the check counts the ALLOCATED size of what the job backs up (root disks
 * plus volumes with `backup: true`) — an upper bound before compression.
 */
export interface BackupStorage {
  readonly kind: 'pbs' | 'directory';
  /** The Proxmox storage id (Datacenter → Storage). Not 'local': that is the node's root file system. */
  readonly id: string;
  /**
   * Usable size of the storage, in whole GiB: `Size.gibibytes(2000)`; when given, a job that cannot
   * fit fails synth. @default - unchecked
   */
  readonly capacity?: Size;
}

export interface BackupJobProps {
  /**
   * Storage that receives the archives: a BackupStorage, or a bare Proxmox storage id (then its kind
   * is unknown and the size is not checked).
   * @default - the first node's backups storage ('local' unless the node says otherwise: warned)
   */
  readonly storage?: string | BackupStorage;
  /** When it runs: a Schedule or a systemd calendar event string. @default '02:30' (nightly) */
  readonly schedule?: string | Schedule;
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
  /** The storage's capacity in GiB, when given and valid. */
  private capacityGiB?: number;

  constructor(scope: Construct, id: string, props: BackupJobProps = {}) {
    super(scope, checkedId(scope, id));
    this.lab = labOf(this);
    if (props === null) fail(this, 'the BackupJob props are null', 'pass { storage, schedule, ... } or leave the props out');
    props = checkPropTypes(this, 'BackupJob', props, {
      schedule: either('string', instanceOf('a Schedule', Schedule)), retention: 'object', mode: oneOf('snapshot', 'suspend', 'stop'), compress: oneOf('zstd', 'gzip', 'lzo'),
    });
    const schedule = Schedule.from(props.schedule ?? '02:30');
    if (schedule.problem) fail(this, `schedule ${schedule.problem.message}`, schedule.problem.fix);
    this.schedule = schedule.expression;
    this.retention = { keepDaily: 7, keepWeekly: 4, keepMonthly: 6, ...props.retention };
    for (const [k, v] of Object.entries(this.retention)) {
      if (!Number.isInteger(v) || v < 0) fail(this, `retention ${k} must be a whole number of backups, got ${v}`, 'use 0 or more');
    }
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(id)) fail(this, `backup job id '${id}' is not a valid Proxmox job id`, 'use lowercase letters, digits and dashes');
    const storage = this.resolveStorage(props.storage);
    this.backupStorage = storage;
    // The job belongs in the infra stack: create it there (new BackupJob(lab.infra, ...)).
    this.resource = new BackupJobResource(this, 'Resource', {
      id: `homelab-${id}`,
      schedule: this.schedule,
      storage: storage?.id ?? 'local',
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
    addCheck(this, () =>
      this.containers().length === 0
        ? [{ message: 'backs up no container', fix: 'leave backup: true on the stateful containers, or remove the job' }]
        : [],
    );
    addCheck(this, () => this.checkSize());
    addCheck(this, () => this.checkNodeStorages());
  }

  /**
   * Without a storage of its own the job writes to the nodes' backups storage. The job is cluster-wide
   * (one storage for all its guests), so the nodes that host its containers must name the same one.
   */
  private checkNodeStorages(): { message: string; fix: string }[] {
    if (this.backupStorage) return [];
    const byStorage = new Map<string, string[]>();
    for (const n of new Set(this.containers().map((c) => c.proxmoxNode))) byStorage.set(n.storage.backups, [...(byStorage.get(n.storage.backups) ?? []), n.nodeName]);
    if (byStorage.size <= 1) return [];
    const which = [...byStorage].map(([id, nodes]) => `${nodes.sort().join(', ')}: '${id}'`).sort((a, b) => a.localeCompare(b)).join('; ');
    return [{
      message: `backs up containers on nodes whose backups storages differ (${which}), but a backup job writes to one storage`,
      fix: "give the job a storage every node reaches (storage: { kind: 'pbs', id: 'pbs' }), or the same storage.backups on every node",
    }];
  }

  /** The storage given in the props (undefined: the node's backups storage, resolved at render). */
  readonly backupStorage?: BackupStorage;

  /** GiB of one full backup: allocated root disks plus volumes with `backup: true` (upper bound). */
  fullBackupGiB(): number {
    let total = 0;
    for (const c of this.containers()) {
      total += c.diskGiB;
      for (const m of c.mountedVolumes) if (m.volume instanceof StorageVolume && m.volume.backup) total += m.volume.sizeGiB;
    }
    return total;
  }

  /**
   * GiB the storage needs for the kept archives: every kept archive is a full copy on a directory
   * storage; PBS stores one deduplicated copy (plus what changes between backups, not counted).
   */
  requiredGiB(kind: BackupStorage['kind']): number {
    const kept = this.retention.keepDaily + this.retention.keepWeekly + this.retention.keepMonthly;
    return kind === 'pbs' ? this.fullBackupGiB() : this.fullBackupGiB() * Math.max(1, kept);
  }

  private resolveStorage(given: string | BackupStorage | undefined): BackupStorage | undefined {
    if (given === undefined) return undefined;
    const s: BackupStorage = typeof given === 'string' ? { kind: 'directory', id: given } : given;
    if (typeof s !== 'object' || s === null) fail(this, `storage must be a storage id or { kind, id, capacity }, got ${JSON.stringify(given)}`, "write e.g. storage: { kind: 'pbs', id: 'pbs' }");
    if (s.kind !== 'pbs' && s.kind !== 'directory') fail(this, `storage kind '${String(s.kind)}' is unknown`, "use 'pbs' (a Proxmox Backup Server storage) or 'directory' (a dedicated disk, NFS or CIFS storage)");
    if (typeof s.id !== 'string' || !STORAGE_ID.test(s.id)) fail(this, `storage id '${String(s.id)}' is not a Proxmox storage id`, 'use the id shown in Datacenter → Storage: letters, digits, -, _ and ., starting with a letter');
    if (s.id === 'local') fail(this, "storage 'local' is the node's root file system (/var/lib/vz): nightly archives of every container would fill it", "add a Proxmox Backup Server or a dedicated backup disk as a storage and name it, e.g. storage: { kind: 'pbs', id: 'pbs' } (docs/backups.md)");
    // capacityGiB was a number before capacity became a Size: say how to write it now.
    const old = (s as { capacityGiB?: unknown }).capacityGiB;
    if (old !== undefined) addCheck(this, () => [{ message: 'storage capacityGiB is now capacity, a Size', fix: `write capacity: Size.gibibytes(${typeof old === 'number' ? old : '…'})` }]);
    if (s.capacity !== undefined) {
      // Collected; the size check is skipped meanwhile.
      const checked = Size.check(s.capacity, 'capacity', 'gibibytes');
      if ('value' in checked) this.capacityGiB = checked.value;
      else addCheck(this, () => [{ message: `storage ${checked.problem.message}`, fix: checked.problem.fix }]);
    }
    return s;
  }

  private checkSize(): { message: string; fix: string }[] {
    const s = this.backupStorage;
    const capacityGiB = this.capacityGiB;
    if (!s || capacityGiB === undefined || this.containers().length === 0) return [];
    const need = this.requiredGiB(s.kind);
    if (need <= capacityGiB) return [];
    const r = this.retention;
    const what = s.kind === 'pbs'
      ? `one full backup is ${this.fullBackupGiB()} GiB allocated`
      : `${r.keepDaily + r.keepWeekly + r.keepMonthly} kept archives (${r.keepDaily} daily, ${r.keepWeekly} weekly, ${r.keepMonthly} monthly) × ${this.fullBackupGiB()} GiB allocated = ${need} GiB`;
    return [{
      message: `the backups need up to ${need} GiB but storage '${s.id}' (${s.kind}) has ${capacityGiB} GiB: ${what}`,
      fix: "keep fewer archives (retention), leave big volumes out (backup: false on the volume), use a Proxmox Backup Server (kind: 'pbs', deduplicated), or give a larger storage",
    }];
  }

  /** Containers this job backs up, in VMID order. */
  containers(): LxcContainer[] {
    return this.lab.containers.filter((c) => c.backup).sort((a, b) => a.vmId - b.vmId);
  }

  /** Host directories bind-mounted into backed-up containers: vzdump does not include them. */
  hostPathsOutsideBackups(): string[] {
    const paths = new Set<string>();
    for (const c of this.containers()) for (const m of c.mountedVolumes) if (m.volume instanceof BindVolume) paths.add(m.volume.hostPath);
    return [...paths].sort();
  }

  renderTerraform(): void {
    this.resource.vmid = this.containers().map((c) => String(c.vmId));
    if (!this.backupStorage) {
      // The nodes of its containers agree (checkNodeStorages); a lab without containers fails earlier.
      const id = this.containers()[0]?.proxmoxNode.storage.backups ?? this.lab.nodes[0]?.storage.backups ?? 'local';
      this.resource.storage = id;
      if (id === 'local') this.lab.warn(this, 'homelab:backups-on-root-disk', "the backup job writes to 'local', the node's root file system; set storage to a Proxmox Backup Server or a dedicated backup storage (docs/backups.md)");
    }
  }
}
