/**
 * Loading the twin backend in the plugin process (twin mode, HOMELAB_TF_STANDIN_TWIN=<twin.json>).
 *
 * Terraform starts the plugin several times per command (validate, plan, apply each start it, some
 * twice), mostly for nothing but the schema; so the backend is loaded lazily, on the first container
 * apply, once per plugin process, and every concurrent apply (terraform -parallelism) shares it.
 */
import * as path from 'node:path';
import type { ContainerSpec, Skipped, TwinBackend } from '../twin/spec';
import { TWIN_MODULE_ENV } from './provider';

/** tools/twin/backend, which exports `loadTwinBackend(configPath)`. */
export const DEFAULT_TWIN_MODULE = path.resolve(__dirname, '..', 'twin', 'backend');

/** The backend module: $HOMELAB_TF_STANDIN_TWIN_MODULE (absolute, or relative to tools/tf-standin/) or the default. */
export function twinModulePath(env: NodeJS.ProcessEnv = process.env): string {
  const wanted = env[TWIN_MODULE_ENV];
  return wanted ? path.resolve(__dirname, wanted) : DEFAULT_TWIN_MODULE;
}

interface TwinModule {
  loadTwinBackend?: (configPath: string) => Promise<TwinBackend>;
}

/**
 * Loads `modulePath` and asks it for the backend. `require`, not `import()`: the plugin runs as
 * CommonJS under `node --require tsx/cjs`, which hooks `require` only; a dynamic `import()` goes to
 * Node's own ESM loader, which cannot load a `.ts` file.
 */
export async function loadTwinBackendModule(modulePath: string, configPath: string): Promise<TwinBackend> {
  let mod: TwinModule;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    mod = require(modulePath) as TwinModule;
  } catch (err) {
    throw new Error(`cannot load the twin backend module ${modulePath}: ${(err as Error).message}`);
  }
  if (typeof mod.loadTwinBackend !== 'function') {
    throw new Error(`the twin backend module ${modulePath} does not export loadTwinBackend(configPath)`);
  }
  return mod.loadTwinBackend(configPath);
}

/**
 * A backend that loads the real one on first use. A failed load fails that operation (and is tried
 * again by the next one), so the error reaches terraform as the diagnostic of the container it stopped.
 */
export function lazyTwinBackend(load: () => Promise<TwinBackend>): TwinBackend {
  let loading: Promise<TwinBackend> | undefined;
  const backend = (): Promise<TwinBackend> => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
  return {
    create: async (spec: ContainerSpec): Promise<Skipped[]> => (await backend()).create(spec),
    update: async (prior: ContainerSpec, next: ContainerSpec): Promise<Skipped[]> => (await backend()).update(prior, next),
    destroy: async (vmId: number): Promise<void> => (await backend()).destroy(vmId),
  };
}
