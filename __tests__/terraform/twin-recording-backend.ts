/**
 * A twin backend for tests: the provider stand-in loads it (HOMELAB_TF_STANDIN_TWIN_MODULE) inside the
 * plugin process terraform starts, and it appends every call as one JSON line to the log its twin.json
 * names, so a test can read back what `terraform apply`/`destroy` asked the twin to do. Nothing is built.
 */
import * as fs from 'node:fs';
import type { ContainerSpec, Skipped, TwinBackend } from '../../tools/twin/spec';

export interface RecordingTwinConfig {
  /** JSON-lines file every call is appended to. */
  readonly log: string;
  /** Hostnames whose create throws, to see how the error reaches terraform. */
  readonly failCreate?: readonly string[];
}

export type RecordedCall =
  | { readonly op: 'create'; readonly spec: ContainerSpec }
  | { readonly op: 'update'; readonly prior: ContainerSpec; readonly next: ContainerSpec }
  | { readonly op: 'destroy'; readonly vmId: number };

export function readCalls(log: string): RecordedCall[] {
  if (!fs.existsSync(log)) return [];
  return fs
    .readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RecordedCall);
}

/** Device passthrough is recorded, not created, by the twin: reported like the real backend would. */
function skippedDevices(spec: ContainerSpec): Skipped[] {
  return spec.devices.map((d) => ({ what: `device ${d}`, why: 'recorded, not created' }));
}

export async function loadTwinBackend(configPath: string): Promise<TwinBackend> {
  const config = JSON.parse(fs.readFileSync(configPath, 'utf8')) as RecordingTwinConfig;
  const record = (call: RecordedCall) => fs.appendFileSync(config.log, `${JSON.stringify(call)}\n`);
  return {
    async create(spec) {
      if (config.failCreate?.includes(spec.hostname)) throw new Error(`lxc-start: container ${spec.vmId} failed to start\nsee the twin log`);
      record({ op: 'create', spec });
      return skippedDevices(spec);
    },
    async update(prior, next) {
      record({ op: 'update', prior, next });
      return [];
    },
    async destroy(vmId) {
      record({ op: 'destroy', vmId });
    },
  };
}
