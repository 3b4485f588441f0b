import { Construct, IConstruct } from 'constructs';
import { checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes } from '../../lib/prop-types';
import { labOf } from './lab-of';
import { Size } from './values';

export interface BindVolumeProps {
  /** Absolute directory on the Proxmox host (a dataset or a directory on one). */
  readonly hostPath: string;
  /** Owner inside the containers. @default - the lab's dataOwner */
  readonly owner?: { readonly uid: number; readonly gid: number };
  /** Sub-directories created on the host, e.g. ['torrents', 'media/tv']. @default [] */
  readonly subdirectories?: readonly string[];
}

export interface StorageVolumeProps {
  /** Proxmox storage id. @default - the node's rootfs storage */
  readonly storage?: string;
  /** Size, in whole GiB (Proxmox sizes volumes in GiB): `Size.gibibytes(32)`. */
  readonly size: Size;
  /** Include the volume in vzdump backups. @default true */
  readonly backup?: boolean;
}

/**
 * Data that outlives a container, of one of two kinds: a `BindVolume` (a host directory
 * bind-mounted into one or more containers: shared media, hardlinks) or a `StorageVolume` (a
 * Proxmox storage volume owned by one container). Create them with `Volume.bindMount` and
 * `Volume.storage`, which validate their props; tell them apart with `instanceof` or `kind`.
 */
export abstract class Volume extends Construct {
  static bindMount(scope: Construct, id: string, props: BindVolumeProps): BindVolume {
    return new BindVolume(scope, id, props);
  }

  static storage(scope: Construct, id: string, props: StorageVolumeProps): StorageVolume {
    return new StorageVolume(scope, id, props);
  }

  protected constructor(scope: Construct, id: string) {
    super(scope, checkedId(scope, id));
  }

  abstract readonly kind: 'bind' | 'storage';
  /** Whether vzdump backs the data up with its container (never for a bind mount). */
  abstract readonly backup: boolean;
  private readonly mounters: IConstruct[] = [];

  /** Records a container mounting this volume (declaration order). */
  registerMount(container: IConstruct): void {
    if (!this.mounters.includes(container)) this.mounters.push(container);
  }

  /** Containers mounting this volume, in declaration order (a copy). */
  get mountedBy(): readonly IConstruct[] {
    return [...this.mounters];
  }
}

/**
 * A host directory bind-mounted into containers. Bind mounts are not part of vzdump backups
 * (Proxmox skips them); back their host directory up separately. They need Terraform to
 * authenticate as root@pam.
 */
export class BindVolume extends Volume {
  readonly kind = 'bind' as const;
  readonly backup = false;
  /** The host directory, without a trailing slash. */
  readonly hostPath: string;
  private readonly ownerIds: { readonly uid: number; readonly gid: number };
  private readonly subdirs: readonly string[];

  /** @internal use Volume.bindMount */
  constructor(scope: Construct, id: string, props: BindVolumeProps) {
    super(scope, id);
    requireProps(this, 'bind volume', props, ['hostPath']);
    props = checkPropTypes(this, 'bind volume', props, { hostPath: 'string', owner: 'object', subdirectories: 'string[]' }, { required: ['hostPath'] });
    const hostPath = typeof props?.hostPath === 'string' ? props.hostPath : '';
    if (!hostPath.startsWith('/') || hostPath.split('/').includes('..') || /^\/+$/.test(hostPath)) {
      fail(this, `hostPath ${JSON.stringify(props?.hostPath ?? null)} must be an absolute directory below /`, "use a dataset path such as '/tank/data'");
    }
    for (const s of props.subdirectories ?? []) {
      if (typeof s !== 'string' || !s || s.startsWith('/') || s.split('/').includes('..')) fail(this, `subdirectory ${JSON.stringify(s)} must be relative and stay inside ${hostPath}`, "write it like 'media/tv'");
    }
    const owner = props.owner ?? labOf(this).dataOwner;
    for (const k of ['uid', 'gid'] as const) {
      if (!Number.isInteger(owner[k]) || owner[k] < 0) fail(this, `owner.${k} must be a non-negative integer, got ${JSON.stringify(owner[k] ?? null)}`, 'give the numeric id, e.g. { uid: 1000, gid: 1000 }');
    }
    this.hostPath = hostPath.replace(/\/+$/, '');
    this.ownerIds = Object.freeze({ uid: owner.uid, gid: owner.gid });
    this.subdirs = Object.freeze([...(props.subdirectories ?? [])].sort());
  }

  /** Owner of the directory inside the containers (a frozen copy). */
  get owner(): { readonly uid: number; readonly gid: number } {
    return this.ownerIds;
  }

  /** Sub-directories created on the host, sorted (a copy). */
  get subdirectories(): readonly string[] {
    return [...this.subdirs];
  }
}

/** A Proxmox storage volume owned by one container, backed up with it unless `backup: false`. */
export class StorageVolume extends Volume {
  readonly kind = 'storage' as const;
  readonly backup: boolean;
  /** Proxmox storage id; undefined for the node's rootfs storage. */
  readonly storageId?: string;
  /** Size in whole GiB. */
  readonly sizeGiB: number;

  /** @internal use Volume.storage */
  constructor(scope: Construct, id: string, props: StorageVolumeProps) {
    super(scope, id);
    requireProps(this, 'storage volume', props, ['size']);
    // size and storage have checks of their own below, with their own fixes.
    props = checkPropTypes(this, 'storage volume', props, { backup: 'boolean' });
    const size = Size.check(props?.size, 'size', 'gibibytes');
    if ('problem' in size) fail(this, size.problem.message, size.problem.fix);
    if (props.backup !== undefined && typeof props.backup !== 'boolean') fail(this, `backup must be true or false, got ${JSON.stringify(props.backup)}`, 'leave it out to back the volume up with its container');
    if (props.storage !== undefined && (typeof props.storage !== 'string' || !/^[a-z][a-z0-9_.-]*$/i.test(props.storage))) fail(this, `storage ${JSON.stringify(props.storage)} is not a Proxmox storage id`, "give the id as in the Proxmox UI, e.g. 'local-zfs'");
    this.storageId = props.storage;
    this.sizeGiB = size.value;
    this.backup = props.backup ?? true;
  }
}
