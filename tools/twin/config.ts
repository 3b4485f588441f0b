/**
 * The twin's run-time description, written by the orchestrator (`npm run twin`) to
 * `<root>/twin.json` and read by the provider stand-in's twin backend, which terraform starts as a
 * separate process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TwinConfig {
  /** Everything of one twin run lives under here (.tmp/twin). */
  readonly root: string;
  /** The network namespace holding the lab's bridges and every container. */
  readonly netns: string;
  /** LXC's lxcpath: one directory per container (named by VMID), as /var/lib/lxc. */
  readonly lxcPath: string;
  /** Template rootfs (the Debian 13 standard template stand-in), unshifted and shifted to 100000. */
  readonly rootfs: string;
  readonly rootfsShifted: string;
  /** The Proxmox node's file system: a node path /tank/data is <nodeRoot>/tank/data. */
  readonly nodeRoot: string;
  /** Pre-seeded Docker image store copied into every new container's /var/lib/docker (or null). */
  readonly dockerSeed: string | null;
  /**
   * Hostname → the store to copy instead (the stand-ins plus the real images its compose file uses,
   * see docker-seed.ts); absent for the other hosts.
   */
  readonly dockerSeedByHost?: Readonly<Record<string, string>>;
  /** Bridges that exist in the namespace (vmbr0...). */
  readonly bridges: readonly string[];
  /** Append-only JSON lines of {what, why} the backend could not do like Proxmox. */
  readonly skippedLog: string;
  /** Path of tools/twin/in-netns.sh. */
  readonly inNetns: string;
}

export const TWIN_CONFIG_FILE = 'twin.json';

export function readTwinConfig(file: string): TwinConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the twin configuration ${file}: ${(err as Error).message} — start the twin with npm run twin`);
  }
  return raw as TwinConfig;
}

export function writeTwinConfig(config: TwinConfig): string {
  const file = path.join(config.root, TWIN_CONFIG_FILE);
  fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

/** The host path of a node path (/tank/data → <nodeRoot>/tank/data). */
export function nodePath(config: TwinConfig, p: string): string {
  return path.join(config.nodeRoot, path.normalize(p).replace(/^\/+/, ''));
}
