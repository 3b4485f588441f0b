import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import { CatalogServiceProps, NativeService, Schedule, Secret, Size, Volume } from '../core';

/**
 * The heartbeat of the Google Drive sync: a gauge with the Unix time of the last run in which
 * every job succeeded, written to `RCLONE_TEXTFILE` for node_exporter's textfile collector.
 * Monitoring alerts when `time() - homelab_rclone_last_success_timestamp_seconds` grows past a day.
 */
export const RCLONE_HEARTBEAT_METRIC = 'homelab_rclone_last_success_timestamp_seconds';
/** Debian's prometheus-node-exporter reads *.prom files from this directory. */
export const NODE_EXPORTER_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';
export const RCLONE_TEXTFILE = `${NODE_EXPORTER_TEXTFILE_DIR}/rclone.prom`;

/** One directory copied to Google Drive. */
export interface RcloneJob {
  /** Directory inside the container (below a mounted volume). */
  readonly source: string;
  /** Folder on the drive, relative to the remote's root. */
  readonly destination: string;
}

export interface RcloneSyncProps extends CatalogServiceProps {
  /** The lab's shared data, mounted at `/srv/data`. @default - none */
  readonly data?: Volume;
  /** More volumes to copy from, each at its path (read-only). @default [] */
  readonly mounts?: readonly { readonly volume: Volume; readonly path: string }[];
  /**
   * What goes to the drive.
   * @default - `/srv/data/backups` to `homelab/backups` when `data` is given, else none
   */
  readonly jobs?: readonly RcloneJob[];
  /**
   * 'sync' makes the drive folder a mirror (deletions propagate); 'copy' only adds and updates.
   * @default 'sync'
   */
  readonly mode?: 'sync' | 'copy';
  /** When it runs (systemd OnCalendar); after the nightly backups. @default '*-*-* 04:30:00' */
  readonly schedule?: string | Schedule;
  /** Name of the rclone remote. @default 'gdrive' */
  readonly remoteName?: string;
  /** Drive access scope; the token must be issued for the same scope. @default 'drive' */
  readonly scope?: 'drive' | 'drive.file';
  /**
   * The OAuth token, the JSON `rclone authorize "drive"` prints.
   * @default Secret.vault('rclone_gdrive_token')
   */
  readonly token?: Secret;
  /**
   * Your own Google OAuth client (rclone's shared client is rate-limited).
   * @default - rclone's built-in client
   */
  readonly oauthClient?: { readonly clientId: string; readonly clientSecret: Secret };
  /** Drive folder id to use as the remote's root. @default - the drive's root */
  readonly rootFolderId?: string;
}

export const RCLONE_DATA_PATH = '/srv/data';

/**
 * Google Drive sync: rclone from Debian's packages on its own LXC, run by a systemd timer (a batch
 * job, not a daemon, so no Docker and no web UI). After each fully successful run it writes the
 * heartbeat metric RCLONE_HEARTBEAT_METRIC that monitoring alerts on.
 */
export class RcloneSync extends NativeService {
  readonly jobs: readonly RcloneJob[];
  readonly mode: 'sync' | 'copy';
  readonly schedule: string;
  readonly remoteName: string;
  readonly token: Secret;
  readonly heartbeatMetric = RCLONE_HEARTBEAT_METRIC;
  readonly heartbeatFile = RCLONE_TEXTFILE;
  private readonly props: RcloneSyncProps;

  constructor(scope: Construct, id: string, props: RcloneSyncProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 60, packages: 'the Google Drive sync (rclone)' });
    this.props = props;
    // It only reads what it uploads.
    if (props.data) this.addMount(props.data, RCLONE_DATA_PATH, { readOnly: true });
    for (const m of props.mounts ?? []) this.addMount(m.volume, m.path, { readOnly: true });

    this.jobs = [...(props.jobs ?? (props.data ? [{ source: `${RCLONE_DATA_PATH}/backups`, destination: 'homelab/backups' }] : []))];
    if (this.jobs.length === 0) fail(this, 'the Google Drive sync has nothing to copy', 'pass data (the lab volume) or jobs: [{ source, destination }]');
    for (const j of this.jobs) {
      if (!j.source.startsWith('/') || /["$`\\]/.test(j.source) || j.source.split('/').includes('..')) fail(this, `job source '${j.source}' must be an absolute path without quotes, $, \` or ..`, "use a directory such as '/srv/data/backups'");
      if (j.destination.startsWith('/') || /["$`\\]/.test(j.destination)) fail(this, `job destination '${j.destination}' must be a relative folder without quotes, $, \` or \\`, "write it like 'homelab/backups'");
    }
    this.mode = props.mode ?? 'sync';
    const schedule = Schedule.from(props.schedule ?? '*-*-* 04:30:00');
    if (schedule.problem) fail(this, `schedule ${schedule.problem.message}`, schedule.problem.fix);
    this.schedule = schedule.expression;
    this.remoteName = props.remoteName ?? 'gdrive';
    if (!/^[A-Za-z0-9_-]+$/.test(this.remoteName)) fail(this, `remoteName '${this.remoteName}' is not a valid rclone remote name`, 'use letters, digits, - and _');

    this.token = props.token ?? Secret.vault('rclone_gdrive_token');
    this.lab.secrets.declare(this, this.token, 'Google Drive OAuth token: the JSON `rclone authorize "drive"` prints.');
    this.lab.secrets.use(this, this.token);
    if (props.oauthClient) {
      this.lab.secrets.declare(this, props.oauthClient.clientSecret, 'Client secret of your own Google OAuth client for rclone.');
      this.lab.secrets.use(this, props.oauthClient.clientSecret);
    }
    this.addToGroup('rclone_sync');
    addCheck(this, () => this.checkSources());
  }

  /** The generated files of this host, by name below files/<hostname>/. */
  renderFiles(): Map<string, string> {
    const origin = this.node.path;
    // Accepts the token as a JSON string or as the mapping YAML turns unquoted JSON into.
    const v = this.token.variable;
    const client = this.props.oauthClient;
    return new Map([
      ['rclone.conf.j2', renderTemplate('rclone/rclone.conf.hbs', {
        origin,
        remote: this.remoteName,
        scope: this.props.scope ?? 'drive',
        clientId: client?.clientId ?? '',
        clientSecret: client?.clientSecret.jinja ?? '',
        rootFolderId: this.props.rootFolderId ?? '',
        token: `{{ ${v} if ${v} is string else ${v} | to_json }}`,
      })],
      ['rclone-sync.sh', renderTemplate('rclone/rclone-sync.sh.hbs', {
        origin,
        remote: this.remoteName,
        mode: this.mode,
        jobs: this.jobs,
        metric: RCLONE_HEARTBEAT_METRIC,
        textfileDir: NODE_EXPORTER_TEXTFILE_DIR,
      })],
      ['rclone-sync.service', renderTemplate('rclone/rclone-sync.service.hbs', { origin })],
      ['rclone-sync.timer', renderTemplate('rclone/rclone-sync.timer.hbs', { origin, schedule: this.schedule })],
    ]);
  }

  contributeAnsible(project: AnsibleProject): void {
    this.setHostVar('rclone_sync_textfile_dir', NODE_EXPORTER_TEXTFILE_DIR);
    super.contributeAnsible(project);
    for (const [name, content] of this.renderFiles()) project.addHostFile(this.hostname, name, content);
    project.useRole('rclone_sync');
    project.addPlay(this.stack.stackName, { name: `Schedule the Google Drive sync on ${this.hostname}`, hosts: this.hostname, roles: ['rclone_sync'] });
  }

  private checkSources(): { message: string; fix: string }[] {
    const mounted = this.mountedVolumes.map((m) => m.path);
    return this.jobs
      .filter((j) => !mounted.some((m) => j.source === m || j.source.startsWith(`${m}/`)))
      .map((j) => ({
        message: `job source ${j.source} is not inside a mounted volume${mounted.length ? ` (mounted: ${mounted.join(', ')})` : ''}`,
        fix: 'mount the volume that holds it (data or mounts) or fix the job source',
      }));
  }
}
