import { Construct, IConstruct } from 'constructs';
import { checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes } from '../../lib/prop-types';
import { labOf } from './lab-of';

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
  /** Size in GiB. */
  readonly sizeGiB: number;
  /** Include the volume in vzdump backups. @default true */
  readonly backup?: boolean;
}

/**
 * Data that outlives a container: a host directory bind-mounted into one or more containers
 * (shared media, hardlinks), or a Proxmox storage volume owned by one container.
 *
 * Bind mounts are not part of vzdump backups (Proxmox skips them); back their host directory up
 * separately. They need Terraform to authenticate as root@pam.
 */
export class Volume extends Construct {
  static bindMount(scope: Construct, id: string, props: BindVolumeProps): Volume {
    return new Volume(scope, id, { kind: 'bind', ...props });
  }

  static storage(scope: Construct, id: string, props: StorageVolumeProps): Volume {
    return new Volume(scope, id, { kind: 'storage', ...props });
  }

  readonly kind: 'bind' | 'storage';
  readonly hostPath?: string;
  readonly owner: { readonly uid: number; readonly gid: number };
  readonly subdirectories: readonly string[];
  readonly storageId?: string;
  readonly sizeGiB?: number;
  readonly backup: boolean;
  private readonly mounters: IConstruct[] = [];

  /** Records a container mounting this volume (declaration order). */
  registerMount(container: IConstruct): void {
    if (!this.mounters.includes(container)) this.mounters.push(container);
  }

  /** Containers mounting this volume, in declaration order. */
  get mountedBy(): readonly IConstruct[] {
    return [...this.mounters];
  }

  private constructor(scope: Construct, id: string, props: ({ kind: 'bind' } & BindVolumeProps) | ({ kind: 'storage' } & StorageVolumeProps)) {
    super(scope, checkedId(scope, id));
    const lab = labOf(this);
    this.kind = props.kind;
    if (props.kind === 'bind') {
      requireProps(this, 'bind volume', props, ['hostPath']);
      props = checkPropTypes(this, 'bind volume', props, { hostPath: 'string', owner: 'object', subdirectories: 'string[]' }, { required: ['hostPath'] });
    } else {
      requireProps(this, 'storage volume', props, ['sizeGiB']);
      props = checkPropTypes(this, 'storage volume', props, { storage: 'string', backup: 'boolean' });
    }
    if (props.kind === 'bind') {
      if (!props.hostPath.startsWith('/') || props.hostPath.includes('..') || props.hostPath === '/') {
        fail(this, `hostPath '${props.hostPath}' must be an absolute directory below /`, "use a dataset path such as '/tank/data'");
      }
      for (const s of props.subdirectories ?? []) {
        if (s.startsWith('/') || s.split('/').includes('..')) fail(this, `subdirectory '${s}' must be relative and stay inside ${props.hostPath}`, "write it like 'media/tv'");
      }
      this.hostPath = props.hostPath.replace(/\/+$/, '');
      this.owner = props.owner ?? lab.dataOwner;
      this.subdirectories = [...(props.subdirectories ?? [])].sort();
      this.backup = false;
    } else {
      if (!Number.isInteger(props.sizeGiB) || props.sizeGiB <= 0) fail(this, `sizeGiB must be a positive integer, got ${props.sizeGiB}`, 'give the size in GiB, e.g. 32');
      this.storageId = props.storage;
      this.sizeGiB = props.sizeGiB;
      this.owner = lab.dataOwner;
      this.subdirectories = [];
      this.backup = props.backup ?? true;
    }
  }
}
