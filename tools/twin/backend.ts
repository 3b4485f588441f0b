/** Entry point the provider stand-in imports in twin mode (HOMELAB_TF_STANDIN_TWIN=<twin.json>). */
import { readTwinConfig } from './config';
import { LxcTwinBackend } from './lxc';
import { TwinBackend } from './spec';

export async function loadTwinBackend(configPath: string): Promise<TwinBackend> {
  return new LxcTwinBackend(readTwinConfig(configPath));
}
