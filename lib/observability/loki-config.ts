export interface LokiConfigOptions {
  /** How long logs are kept. Loki's retention needs the tsdb store with a 24h index. @default '744h' (31 days) */
  readonly retention?: string;
  /** First day of the schema; must not be later than the first deployment. @default '2026-01-01' */
  readonly schemaFrom?: string;
}

/**
 * Loki 3.x single binary on the local file system, with retention: the compactor deletes chunks
 * older than the retention period. Retention needs `retention_enabled` plus a `delete_request_store`
 * (required since Loki 3), and only works with the tsdb store and a 24h index period.
 */
export function lokiConfig(opts: LokiConfigOptions = {}): Record<string, unknown> {
  return {
    auth_enabled: false,
    server: { http_listen_port: 3100, grpc_listen_port: 9096, log_level: 'info' },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: '/loki',
      storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: {
      configs: [{ from: opts.schemaFrom ?? '2026-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }],
    },
    compactor: {
      working_directory: '/loki/compactor',
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      retention_delete_worker_count: 150,
      delete_request_store: 'filesystem',
    },
    limits_config: {
      retention_period: opts.retention ?? '744h',
      reject_old_samples: true,
      reject_old_samples_max_age: '168h',
    },
    analytics: { reporting_enabled: false },
  };
}
