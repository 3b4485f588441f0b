import { Construct } from 'constructs';
import { CatalogService, CatalogServiceProps, ComposeService, Image, Secret, Volume } from '../core';
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
  /** Size of the library volume (originals, thumbnails, encoded video, database dumps). @default 500 */
  readonly librarySizeGiB?: number;
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
  readonly library: Volume;
  /** The Immich release this deployment runs (server and ML image tag). */
  readonly version: string;
  readonly dbPassword: Secret;
  readonly libraryPath = IMMICH_LIBRARY_PATH;
  /** Where Immich's automatic database dumps land (inside the library). */
  readonly dumpDir = IMMICH_DUMP_DIR;

  constructor(scope: Construct, id: string, props: ImmichProps) {
    super(scope, id, props, { cores: 4, memoryMiB: 6144, diskGiB: 32, startupOrder: 50 });
    const serverImage = this.mainImage(IMMICH_SERVER_IMAGE);
    this.version = serverImage.tag;
    this.library = Volume.storage(this, 'library', { sizeGiB: props.librarySizeGiB ?? 500, storage: props.libraryStorage });
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
      port: IMMICH_PORT,
      access: 'routed',
      subdomain: props.subdomain ?? 'immich',
      websockets: true,
      unlimitedBody: true,
      healthPath: '/api/server/ping',
      title: 'Immich',
    });
    this.addHealthEndpoint({ port: IMMICH_PORT, path: '/api/server/ping' });
    this.addMetricsEndpoint({ port: IMMICH_METRICS_PORTS.api, job: `${this.hostname}-api` });
    this.addMetricsEndpoint({ port: IMMICH_METRICS_PORTS.microservices, job: `${this.hostname}-microservices` });
  }
}
