import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { fail } from '../../lib/problems';
import { CatalogService, CatalogServiceProps, ComposeService, Image, Port, Schedule, Secret, Size, StorageVolume, Volume } from '../core';
import {
  addImmichServices, IMMICH_DUMP_DIR, IMMICH_LIBRARY_PATH, IMMICH_METRICS_PORTS, IMMICH_PORT,
} from './immich-services';

/**
 * Pinned 2026-11-25: Immich v3.0.3, the newest v3 patch release (v3.0.0 came out 2026-07-01 with
 * breaking changes: VectorChord only, renamed ML preload variables, '.' in metric names). The
 * machine-learning image uses the same tag; the standby (ImmichBackup) reads it from here.
 */
export const IMMICH_SERVER_IMAGE = Image.of('ghcr.io/immich-app/immich-server', 'v3.0.3');

export interface ImmichProps extends CatalogServiceProps {
  /**
   * A bind-mounted volume (the lab's shared data) to mirror the nightly database dumps into, at
   * `backups/immich`: the Google Drive sync uploads that directory. @default - none (the business
   * stack passes the lab's data volume)
   */
  readonly dumpExport?: Volume;
  /** When the dumps are mirrored (systemd OnCalendar): after Immich's 02:00 dump, before the 04:30 Drive sync. @default '*-*-* 03:30:00' */
  readonly dumpExportSchedule?: string | Schedule;
  /** Size of the library volume (originals, thumbnails, encoded video, database dumps), in whole GiB. @default Size.gibibytes(500) */
  readonly librarySize?: Size;
  /** Proxmox storage of the library volume. @default - the node's rootfs storage */
  readonly libraryStorage?: string;
  /**
   * Transcode (VAAPI/QuickSync) and run machine learning (OpenVINO) on the node's GPU render node.
   * @default true
   */
  readonly gpu?: boolean;
  /** SWAG subdomain. @default 'immich' */
  readonly subdomain?: string;
  /** Password of the Immich database. @default Secret.vault('immich_db_password') */
  readonly dbPassword?: Secret;
  /** The LXC's root disk (where the database lives) is on spinning disks. @default false */
  readonly databaseOnHdd?: boolean;
}

/**
 * Immich, the photo and video library: server, machine learning, Valkey and Postgres with
 * VectorChord, on one LXC. The library is its own storage volume at /data; Immich writes nightly
 * database dumps into /data/backups, which is what the standby (ImmichBackup) and restores use.
 */
export class Immich extends CatalogService {
  readonly server: ComposeService;
  readonly machineLearning: ComposeService;
  readonly redis: ComposeService;
  readonly database: ComposeService;
  /** The library volume, mounted at `libraryPath`. */
  readonly library: StorageVolume;
  /** The Immich release this deployment runs (server and ML image tag). */
  readonly version: string;
  readonly dbPassword: Secret;
  readonly libraryPath = IMMICH_LIBRARY_PATH;
  /** Where Immich's automatic database dumps land (inside the library). */
  readonly dumpDir = IMMICH_DUMP_DIR;

  constructor(scope: Construct, id: string, props: ImmichProps) {
    super(scope, id, props, { cores: 4, memory: Size.gibibytes(6), disk: Size.gibibytes(32), startupOrder: 50 });
    const serverImage = this.mainImage(IMMICH_SERVER_IMAGE);
    this.version = serverImage.tag;
    this.library = Volume.storage(this, 'library', { size: props.librarySize ?? Size.gibibytes(500), storage: props.libraryStorage });
    this.dbPassword = props.dbPassword ?? Secret.vault('immich_db_password');
    this.lab.secrets.declare(this, this.dbPassword, `Password of the Immich database on ${this.hostname} (letters and digits only).`);

    const useGpu = props.gpu ?? true;
    if (useGpu) this.addGpu();
    // Without a GPU on the node the lab fails validation (LxcContainer's check); the default path
    // keeps the compose file well-formed until then.
    const gpu = useGpu ? (this.gpuDevice ?? { path: '/dev/dri/renderD128', gid: 104 }) : undefined;
    const services = addImmichServices(this, {
      version: this.version,
      serverImage,
      library: this.library,
      dbPassword: this.dbPassword,
      timezone: this.lab.timezone,
      gpu,
      machineLearning: true,
      databaseOnHdd: props.databaseOnHdd ?? false,
      metrics: true,
    });
    this.server = services.server;
    this.machineLearning = services.machineLearning!;
    this.redis = services.redis;
    this.database = services.database;

    this.addWebUi({
      port: Port.tcp(IMMICH_PORT),
      access: 'routed',
      subdomain: props.subdomain ?? 'immich',
      websockets: true,
      unlimitedBody: true,
      healthPath: '/api/server/ping',
      title: 'Immich',
      accessLevel: 'public',
      accessReason: "the mobile app syncs photos directly and cannot follow a login redirect; Immich's own login protects it, and its first-run admin sign-up answers only the lab's networks",
      // Immich's reverse-proxy docs (https://docs.immich.app/administration/reverse-proxy, nginx
      // example): proxy_read_timeout, proxy_send_timeout and send_timeout 600s, so long uploads
      // and downloads of videos are not cut at SWAG's 240 s.
      //
      // Access: /api/auth/admin-sign-up (the first-run admin account, open until one exists) is for
      // the lab's networks only. /api/ is public even when the route is set to 'sso': the mobile app
      // signs in there with Immich's own sessions and cannot follow Authelia's login redirect.
      proxy: {
        timeoutSeconds: 600,
        locations: [
          { path: '/api/', access: 'public' },
          { path: '/api/auth/admin-sign-up', access: 'lan' },
        ],
      },
    });
    this.addHealthEndpoint({ port: Port.tcp(IMMICH_PORT), path: '/api/server/ping' });
    this.addMetricsEndpoint({ port: Port.tcp(IMMICH_METRICS_PORTS.api), job: `${this.hostname}-api` });
    this.addMetricsEndpoint({ port: Port.tcp(IMMICH_METRICS_PORTS.microservices), job: `${this.hostname}-microservices` });

    // The dumps live in the library volume, which no other container can mount: mirror them into
    // the shared dataset, whose backups/ the Google Drive sync uploads (issue 10 item 8).
    if (props.dumpExport) {
      if (props.dumpExport.kind !== 'bind') fail(this, `dumpExport ${props.dumpExport.node.path} is a storage volume`, 'give the lab\'s bind-mounted data volume (a storage volume belongs to one container and the Drive sync cannot read it)');
      const schedule = Schedule.from(props.dumpExportSchedule ?? '*-*-* 03:30:00');
      if (schedule.problem) fail(this, `dumpExportSchedule ${schedule.problem.message}`, schedule.problem.fix);
      this.dumpExportSchedule = schedule.expression;
      this.addMount(props.dumpExport, IMMICH_DUMP_EXPORT_MOUNT);
      this.dumpExportDir = `${IMMICH_DUMP_EXPORT_MOUNT}/backups/immich`;
    }
  }

  /** Where the dumps are mirrored to inside this container (on the shared data), if exported. */
  readonly dumpExportDir?: string;
  readonly dumpExportSchedule?: string;

  contributeAnsible(project: AnsibleProject): void {
    if (this.dumpExportDir) {
      this.setHostVar('immich_dump_export_source', this.dumpDir);
      this.setHostVar('immich_dump_export_target', this.dumpExportDir);
      this.setHostVar('immich_dump_export_on_calendar', this.dumpExportSchedule!);
    }
    super.contributeAnsible(project);
    if (!this.dumpExportDir) return;
    project.useRole('immich_dump_export');
    project.addPlay(this.stack.stackName, { name: `Export Immich's database dumps to the shared backups on ${this.hostname}`, hosts: this.hostname, roles: ['immich_dump_export'] });
  }
}

/** Where the lab's shared data is mounted in the Immich container for the dump export. */
export const IMMICH_DUMP_EXPORT_MOUNT = '/srv/data';
