import { ComposeService, DockerHost, EnvValue, Healthcheck, Image, Port, Secret, Volume } from '../core';

/**
 * Immich's companion images, pinned 2026-11-25.
 * - Postgres: the image (PostgreSQL 14 + VectorChord 0.4.3) that Immich's v3.0.x release compose
 *   pins; VectorChord is what Immich v3 requires (pgvecto.rs support is gone, the bundled
 *   extension is simply unused). A VectorChord bump is a database migration, not a pin refresh.
 * - Valkey 9 (services.md), the newest 9.0 patch release.
 */
/**
 * Pinned by tag and digest as Immich's release compose file pins it (docker/docker-compose.yml, the
 * `database` service, unchanged from the v2.3.x releases through v3.1.0): the tag is rebuilt in
 * place, so the tag alone could bring another PostgreSQL build under an existing database.
 * Valkey stays pinned by tag: upstream's digest is that of the floating `valkey:9`, not of 9.0.3.
 */
export const IMMICH_POSTGRES_IMAGE = Image.of('ghcr.io/immich-app/postgres', '14-vectorchord0.4.3-pgvectors0.2.0', {
  digest: 'sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23',
});
export const IMMICH_VALKEY_IMAGE = Image.of('docker.io/valkey/valkey', '9.0.3');
export const IMMICH_ML_REPOSITORY = 'ghcr.io/immich-app/immich-machine-learning';

/** Where the library (originals, thumbnails, encoded video, database dumps) lives, in the LXC and the containers. */
export const IMMICH_LIBRARY_PATH = '/data';
/** Immich's automatic database dumps (nightly at 02:00, 14 kept, by default) below the library. */
export const IMMICH_DUMP_DIR = `${IMMICH_LIBRARY_PATH}/backups`;
export const IMMICH_PORT = 2283;
/** Prometheus endpoints of the API and microservices workers (IMMICH_TELEMETRY_INCLUDE=all). */
export const IMMICH_METRICS_PORTS = { api: 8081, microservices: 8082 } as const;
export const IMMICH_DB_USER = 'postgres';
export const IMMICH_DB_NAME = 'immich';

export interface ImmichServicesOptions {
  /** Immich release tag of the server and machine-learning images, e.g. 'v3.0.3'. */
  readonly version: string;
  readonly serverImage: Image;
  /** The library volume, mounted at /data. */
  readonly library: Volume;
  readonly dbPassword: Secret;
  readonly timezone: string;
  /** Render node for VAAPI/QuickSync transcoding and OpenVINO inference; undefined runs on the CPU. */
  readonly gpu?: { readonly path: string; readonly gid: number };
  /** Run the machine-learning container. */
  readonly machineLearning: boolean;
  /** The database lives on spinning disks (tunes Postgres for them). */
  readonly databaseOnHdd: boolean;
  /** Publish the Prometheus endpoints (IMMICH_TELEMETRY_INCLUDE=all on 8081/8082). */
  readonly metrics: boolean;
}

/** The containers of one Immich deployment. */
export interface ImmichServices {
  readonly server: ComposeService;
  readonly machineLearning?: ComposeService;
  readonly redis: ComposeService;
  readonly database: ComposeService;
}

/**
 * The four containers of Immich's release compose on one Docker host, shared by the primary and the
 * standby so both run the same layout. Service keys match upstream ('database', 'redis'), which are
 * also the default DB_HOSTNAME / REDIS_HOSTNAME.
 */
export function addImmichServices(host: DockerHost, opts: ImmichServicesOptions): ImmichServices {
  const password = EnvValue.fromSecret(opts.dbPassword);
  const database = new ComposeService(host, 'database', {
    image: IMMICH_POSTGRES_IMAGE,
    containerName: 'immich_postgres',
    environment: {
      POSTGRES_PASSWORD: password,
      POSTGRES_USER: IMMICH_DB_USER,
      POSTGRES_DB: IMMICH_DB_NAME,
      POSTGRES_INITDB_ARGS: '--data-checksums',
      ...(opts.databaseOnHdd ? { DB_STORAGE_TYPE: 'HDD' } : {}),
    },
    // Not on the library volume: the database is restored from dumps, never copied hot.
    mounts: [{ source: './postgres', target: '/var/lib/postgresql/data' }],
    shmSize: '128mb',
    healthcheck: Healthcheck.command(['pg_isready', '--username', IMMICH_DB_USER, '--dbname', IMMICH_DB_NAME]),
  });
  const redis = new ComposeService(host, 'redis', {
    image: IMMICH_VALKEY_IMAGE,
    containerName: 'immich_redis',
    healthcheck: Healthcheck.command(['valkey-cli', 'ping']),
  });

  const gpuDevices = opts.gpu ? { devices: [opts.gpu.path], groupAdd: [opts.gpu.gid] } : {};
  let machineLearning: ComposeService | undefined;
  if (opts.machineLearning) {
    machineLearning = new ComposeService(host, 'immich-machine-learning', {
      // The -openvino variant runs CLIP and face models on the Intel iGPU (hwaccel.ml.yml).
      image: Image.of(IMMICH_ML_REPOSITORY, opts.gpu ? `${opts.version}-openvino` : opts.version),
      containerName: 'immich_machine_learning',
      environment: { TZ: opts.timezone },
      mounts: [{ source: './model-cache', target: '/cache' }],
      ...gpuDevices,
      // The image's own HEALTHCHECK (GET :3003/ping) applies.
    });
  }

  const server = new ComposeService(host, 'immich-server', {
    image: opts.serverImage,
    containerName: 'immich_server',
    ports: [
      { port: Port.tcp(IMMICH_PORT), description: 'Immich web UI, API and mobile app endpoint' },
      ...(opts.metrics
        ? [
            { port: Port.tcp(IMMICH_METRICS_PORTS.api), description: 'Prometheus metrics of the API worker' },
            { port: Port.tcp(IMMICH_METRICS_PORTS.microservices), description: 'Prometheus metrics of the microservices worker' },
          ]
        : []),
    ],
    environment: {
      DB_HOSTNAME: database.serviceKey,
      DB_USERNAME: IMMICH_DB_USER,
      DB_PASSWORD: password,
      DB_DATABASE_NAME: IMMICH_DB_NAME,
      REDIS_HOSTNAME: redis.serviceKey,
      TZ: opts.timezone,
      ...(opts.metrics ? { IMMICH_TELEMETRY_INCLUDE: 'all' } : {}),
      ...(machineLearning
        ? { IMMICH_MACHINE_LEARNING_URL: `http://${machineLearning.serviceKey}:3003` }
        : { IMMICH_MACHINE_LEARNING_ENABLED: 'false' }),
    },
    mounts: [
      { source: opts.library, target: IMMICH_LIBRARY_PATH },
      { source: '/etc/localtime', target: '/etc/localtime', readOnly: true },
    ],
    // VAAPI/QuickSync transcoding (hwaccel.transcoding.yml); enable it in Administration > Video transcoding.
    ...gpuDevices,
    dependsOn: [database, redis],
    // The image's own HEALTHCHECK (immich-healthcheck → /api/server/ping) applies.
  });
  return { server, machineLearning, redis, database };
}
