import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { fail } from '../../lib/problems';
import type { OutputFiles } from '../../lib/render';
import { CatalogService, CatalogServiceProps, ComposeService, Port, Schedule, Secret, Size, Volume } from '../core';
import type { Immich } from './immich';
import { addImmichServices, IMMICH_DB_USER, IMMICH_LIBRARY_PATH, IMMICH_PORT } from './immich-services';

/** The anti-affinity group of Immich and its standby. */
export const IMMICH_ANTI_AFFINITY = 'immich';

/**
 * Name of the textfile-collector metric the standby writes after each successful library sync
 * (`/var/lib/prometheus/node-exporter/immich-library-sync.prom`); alert when it gets old.
 */
export const IMMICH_SYNC_HEARTBEAT_METRIC = 'homelab_immich_library_sync_last_success_timestamp_seconds';

/**
 * File in the standby's library root naming the primary's newest database dump after each sync.
 * The standby's own Immich writes (empty) dumps into backups/ as well, so "the newest file" is not
 * necessarily the primary's; a promotion restores the one named here.
 */
export const IMMICH_PRIMARY_DUMP_MARKER = '.homelab-primary-dump';

export interface ImmichBackupProps extends CatalogServiceProps {
  /** The Immich it mirrors; the standby runs exactly the primary's Immich version. */
  readonly primary: Immich;
  /** Size of the mirrored library volume, in whole GiB. @default - the primary's library size */
  readonly librarySize?: Size;
  /** Proxmox storage of the mirrored library (ideally another disk than the primary's). @default - the node's rootfs storage */
  readonly libraryStorage?: string;
  /**
   * When the standby pulls the library (systemd OnCalendar). After the primary's nightly database
   * dump (02:00 by default), so each sync carries the newest dump.
   * @default '*-*-* 03:30:00'
   */
  readonly syncSchedule?: string | Schedule;
  /** Run machine learning on the standby too (only needed after promotion). @default false */
  readonly machineLearning?: boolean;
  /** Password of the standby's own database. @default Secret.vault('immich_backup_db_password') */
  readonly dbPassword?: Secret;
}

/**
 * A warm standby of Immich on its own LXC: the same Immich version with its own (empty) database,
 * and a mirror of the primary's library — originals plus the primary's nightly database dumps in
 * /data/backups — pulled nightly.
 *
 * Sync design: the standby PULLS with rsync over SSH from a systemd timer. Its key is authorized on
 * the primary only for `rrsync -ro <library>` (read-only, no shell, no forwarding), so a
 * compromised standby cannot change the primary, and a compromised primary holds no credential for
 * the standby. `--delete` makes it a mirror, not a history: versioned copies are the job of the
 * Proxmox backups and the Google Drive sync. Promotion is manual (see `immichRestoreDoc`).
 */
export class ImmichBackup extends CatalogService {
  readonly primary: Immich;
  readonly server: ComposeService;
  readonly machineLearning?: ComposeService;
  readonly redis: ComposeService;
  readonly database: ComposeService;
  readonly library: Volume;
  /** The Immich release of the standby: always the primary's. */
  readonly version: string;
  readonly dbPassword: Secret;
  readonly libraryPath = IMMICH_LIBRARY_PATH;
  readonly syncSchedule: string;

  constructor(scope: Construct, id: string, props: ImmichBackupProps) {
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(3), disk: Size.gibibytes(16), startupOrder: 55 });
    this.primary = props.primary;
    this.version = props.primary.version;
    if (props.imageTag !== undefined && props.imageTag !== this.version) {
      fail(this, `imageTag '${props.imageTag}' differs from the primary's Immich version ${this.version}`, 'retag the primary (immich) instead; the standby always runs its version');
    }
    const schedule = Schedule.from(props.syncSchedule ?? '*-*-* 03:30:00');
    if (schedule.problem) fail(this, `syncSchedule ${schedule.problem.message}`, schedule.problem.fix);
    this.syncSchedule = schedule.expression;
    this.library = Volume.storage(this, 'library', {
      size: props.librarySize ?? Size.gibibytes(props.primary.library.sizeGiB),
      storage: props.libraryStorage,
      // A mirror of the primary's library, which vzdump already backs up: no second copy.
      backup: false,
    });
    this.dbPassword = props.dbPassword ?? Secret.vault('immich_backup_db_password');
    this.lab.secrets.declare(this, this.dbPassword, `Password of the standby Immich database on ${this.hostname} (not the primary's).`);

    const services = addImmichServices(this, {
      version: this.version,
      serverImage: props.primary.server.image,
      library: this.library,
      dbPassword: this.dbPassword,
      timezone: this.lab.timezone,
      machineLearning: props.machineLearning ?? false,
      databaseOnHdd: false,
      // A standby with an empty database has nothing to report; the sync heartbeat is its signal.
      metrics: false,
    });
    this.server = services.server;
    this.machineLearning = services.machineLearning;
    this.redis = services.redis;
    this.database = services.database;
    this.addToGroup('immich_standby');
    // A standby on the primary's node dies with it: kept apart from the second node on.
    this.addAntiAffinity(IMMICH_ANTI_AFFINITY);
    this.primary.addAntiAffinity(IMMICH_ANTI_AFFINITY);
    // The nightly pull: rsync over SSH, restricted to `rrsync -ro` on the primary.
    props.primary.connections.allowFrom(this, Port.tcp(22), { description: `${this.hostname} pulls the Immich library (rsync over SSH, read-only)`, requireListening: false });

    this.addWebUi({
      port: Port.tcp(IMMICH_PORT),
      access: 'lan-only',
      reason: 'standby: its database stays empty until promoted; route it only after a restore (docs/immich-restore.md)',
      healthPath: '/api/server/ping',
      title: 'Immich (standby)',
    });
    this.addHealthEndpoint({ port: Port.tcp(IMMICH_PORT), path: '/api/server/ping' });
  }

  contributeAnsible(project: AnsibleProject): void {
    this.setHostVar('immich_backup_primary_address', this.primary.ipAddress);
    this.setHostVar('immich_backup_primary_host', this.primary.hostname);
    this.setHostVar('immich_backup_target', this.libraryPath);
    this.setHostVar('immich_backup_on_calendar', this.syncSchedule);
    this.setHostVar('immich_backup_heartbeat_metric', IMMICH_SYNC_HEARTBEAT_METRIC);
    this.setHostVar('immich_backup_dump_marker', IMMICH_PRIMARY_DUMP_MARKER);
    super.contributeAnsible(project);
    project.useRole('immich_backup');
    const stack = this.stack.stackName;
    const step = (tasksFrom: string) => ({ 'ansible.builtin.include_role': { name: 'immich_backup', tasks_from: tasksFrom } });
    project.addPlay(stack, {
      name: `Create the library sync key of the Immich standby ${this.hostname}`,
      hosts: this.hostname,
      tasks: [{ name: 'Create the sync key pair', ...step('keypair') }],
    });
    project.addPlay(stack, {
      name: `Let ${this.hostname} read the Immich library of ${this.primary.hostname}`,
      hosts: this.primary.hostname,
      vars: { immich_backup_standby: this.hostname, immich_backup_library: this.primary.libraryPath },
      tasks: [{ name: 'Authorize the standby for read-only rsync', ...step('authorize') }],
    });
    project.addPlay(stack, {
      name: `Schedule the library sync on the Immich standby ${this.hostname}`,
      hosts: this.hostname,
      tasks: [{ name: 'Install the sync service and timer', ...step('sync') }],
    });
  }

  /** The restore and failover runbook, `docs/immich-restore.md`. */
  contributeOutput(files: OutputFiles): void {
    files.add('docs/immich-restore.md', immichRestoreDoc(this.primary, this));
  }
}

/**
 * The restore and promotion runbook of an Immich primary/standby pair, as Markdown
 * (`synth-out/docs/immich-restore.md`). Call it after synth preparation: it reads planned addresses.
 */
export function immichRestoreDoc(primary: Immich, backup: ImmichBackup): string {
  const p = { host: primary.hostname, ip: primary.ipAddress, dir: primary.projectDir };
  const b = { host: backup.hostname, ip: backup.ipAddress, dir: backup.projectDir };
  const lib = backup.libraryPath;
  const route = primary.webUis.find((u) => u.access === 'routed');
  const url = route ? `https://${route.subdomain}.${primary.lab.domain}` : `http://${p.ip}:${IMMICH_PORT}`;
  const marker = `${lib}/${IMMICH_PRIMARY_DUMP_MARKER}`;
  const restore = (dir: string, user: string, pickDump: string) => [
    '```sh',
    `cd ${dir}`,
    'docker compose down',
    '# The database there is replaced: move it aside rather than deleting it.',
    '[ ! -d postgres ] || mv postgres "postgres.before-restore.$(date +%Y%m%d%H%M)"',
    'docker compose create',
    'docker start immich_postgres && sleep 10',
    `${pickDump}; echo "restoring $DUMP"`,
    'gunzip --stdout "$DUMP" \\',
    `  | sed "s/SELECT pg_catalog.set_config('search_path', '', false);/SELECT pg_catalog.set_config('search_path', 'public, pg_catalog', true);/g" \\`,
    `  | docker exec -i immich_postgres psql --dbname=postgres --username=${user}`,
    'docker compose up -d',
    '```',
  ];
  return [
    '# Immich: restore and failover',
    '',
    `Model: ${primary.node.path} and ${backup.node.path}.`,
    '',
    '## What exists',
    '',
    '| | Primary | Standby |',
    '|---|---|---|',
    `| Container | ${p.host} (VMID ${primary.vmId}, ${p.ip}) | ${b.host} (VMID ${backup.vmId}, ${b.ip}) |`,
    `| Immich version | ${primary.version} | ${backup.version} (always the primary's) |`,
    `| Compose project | ${p.dir} | ${b.dir} |`,
    `| Library | ${primary.libraryPath} (volume ${primary.library.node.path}) | ${lib} (volume ${backup.library.node.path}, a mirror) |`,
    `| Database dumps | ${primary.dumpDir} (written by Immich, nightly) | ${lib}/backups (synced copies) |`,
    '',
    `The standby pulls the primary's whole library, including the database dumps, with rsync over SSH`,
    `(\`immich-library-sync.timer\`, schedule \`${backup.syncSchedule}\`). The primary only allows it`,
    `\`rrsync -ro ${primary.libraryPath}\`. After each successful run the standby writes`,
    `\`${IMMICH_SYNC_HEARTBEAT_METRIC}\` for monitoring. The sync mirrors deletions: it is a standby,`,
    'not a history (versioned copies come from the Proxmox backups and the Google Drive sync). It refuses',
    'to run while the primary\'s backups/ holds no database dump, so an empty, rebuilt primary never wipes it.',
    '',
    '## Check the standby is current',
    '',
    '```sh',
    `ssh root@${b.ip} systemctl status immich-library-sync.service immich-library-sync.timer`,
    `ssh root@${b.ip} cat ${marker}   # the primary's newest dump at the last sync`,
    '```',
    '',
    '## Promote the standby (the primary is lost)',
    '',
    `1. Make sure the primary is really down (\`pct stop ${primary.vmId}\`), so nothing writes to two libraries.`,
    `2. Stop further syncs: \`ssh root@${b.ip} systemctl disable --now immich-library-sync.timer\`.`,
    `3. Restore the primary's newest dump (named in \`${marker}\`; the standby's own dumps are empty) into the standby's database (on ${b.host}):`,
    '',
    ...restore(b.dir, IMMICH_DB_USER, `DUMP=${lib}/backups/$(cat ${marker})`),
    '',
    `4. Check ${'`'}http://${b.ip}:${IMMICH_PORT}${'`'}: log in with the primary's accounts, open a few albums.`,
    `5. Route users to the standby: in the model, give ${b.host} the routed web UI (or move the primary's`,
    '   address to it), synthesize and run the security playbook so SWAG points at it.',
    '6. Enable machine learning on the standby (`machineLearning: true`) if it stays primary for long.',
    '',
    '## Rebuild the primary from the standby',
    '',
    `1. Recreate the primary container (\`terraform apply\` in synth-out/stacks/business) and run the business playbook.`,
    `2. Copy the library back with your own key (the standby's sync key may only read): from your workstation,`,
    `   \`ssh -A root@${b.ip}\`, then:`,
    '',
    '```sh',
    `rsync --archive --hard-links --numeric-ids --info=progress2 ${lib}/ root@${p.ip}:${primary.libraryPath}/`,
    '```',
    '',
    `3. Restore the newest dump into the primary's database (on ${p.host}). If the standby was never promoted, take`,
    `   the one named in \`${marker}\` instead: the newest file may be the standby's own, empty dump.`,
    '',
    ...restore(p.dir, IMMICH_DB_USER, `DUMP=$(ls -1t ${primary.dumpDir}/immich-db-backup-*.sql.gz | head -n 1)`),
    '',
    `4. Check ${url}, then re-enable the sync on the standby: \`systemctl enable --now immich-library-sync.timer\`.`,
    '',
    'Never copy a running Postgres data directory; always restore from a dump. The dump must come from',
    `the same Immich version (${primary.version}); the file name carries it (\`immich-db-backup-<time>-v<version>-pg<major>.sql.gz\`).`,
    '',
  ].join('\n');
}
