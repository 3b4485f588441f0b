/**
 * What the digital twin needs to know to build one LXC container the way Proxmox would, independent
 * of Terraform: the provider stand-in maps a `proxmox_virtual_environment_container` onto this, and
 * the twin's own node stand-in (`pve`) is described with it too.
 */

/** One bind mount or storage volume: a directory on the twin's node mounted into the container. */
export interface MountSpec {
  /** Absolute path on the Proxmox node (e.g. `/tank/data`), or a storage volume id (`local-lvm:8`). */
  readonly source: string;
  /** Absolute path inside the container. */
  readonly target: string;
  readonly readOnly: boolean;
  /** True for a bind mount of a node path; false for a storage volume (the twin makes a directory). */
  readonly bind: boolean;
}

export interface ContainerSpec {
  readonly vmId: number;
  readonly hostname: string;
  /** Proxmox's id mapping: container uid 0 = host uid 100000 (65536 ids). */
  readonly unprivileged: boolean;
  /** MiB; undefined leaves the limit unset. */
  readonly memoryMiB?: number;
  readonly swapMiB?: number;
  readonly cores?: number;
  /** features.nesting / features.keyctl: what Docker inside needs. */
  readonly nesting: boolean;
  readonly keyctl: boolean;
  /** The first network device: bridge name on the node and the static IPv4 config. */
  readonly network?: {
    readonly bridge: string;
    readonly name: string;
    /** CIDR, e.g. 10.10.10.27/24; 'dhcp' or undefined = no static address. */
    readonly ipv4Address?: string;
    readonly ipv4Gateway?: string;
    readonly macAddress?: string;
  };
  readonly dns?: { readonly domain?: string; readonly servers: readonly string[] };
  /** initialization.user_account.keys: written to root's authorized_keys, as Proxmox does. */
  readonly sshKeys: readonly string[];
  readonly mounts: readonly MountSpec[];
  /** Device passthrough paths (e.g. /dev/dri/renderD128): recorded, not created, in the twin. */
  readonly devices: readonly string[];
  /** `started`: whether the container runs after apply. */
  readonly started: boolean;
}

/** Something the twin could not do the way Proxmox does, reported at run time and in the report. */
export interface Skipped {
  readonly what: string;
  readonly why: string;
}

/** The LXC side of the twin, as the provider stand-in drives it. */
export interface TwinBackend {
  /** Creates and (if spec.started) starts the container; throws an Error whose message is shown to the user. */
  create(spec: ContainerSpec): Promise<Skipped[]>;
  /** Applies an in-place change (limits, started, keys...). */
  update(prior: ContainerSpec, next: ContainerSpec): Promise<Skipped[]>;
  /** Stops and removes the container and its disk; no error when it is already gone. */
  destroy(vmId: number): Promise<void>;
}
