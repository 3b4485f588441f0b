import { Construct } from 'constructs';
import { DownloadFile } from '../../.gen/providers/proxmox/download-file';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes, either, instanceOf } from '../../lib/prop-types';
import type { Lab } from './lab';
import { labOf } from './lab-of';
import { Ipv4Address, ipv4Problem, Size } from './values';
import { OsTemplate } from './os-template';
import { BindVolume } from './volume';

/** A GPU render node the host can pass into containers. */
export interface GpuProps {
  /** Device node on the host. @default '/dev/dri/renderD128' */
  readonly renderDevice?: string;
  /** gid of the `render` group inside Debian containers. @default 104 (Debian 12/13's render group; 993 on some hosts — check `getent group render`) */
  readonly renderGid?: number;
}

export interface ProxmoxNodeProps {
  /** Node name as Proxmox knows it (`pvesh get /nodes`). @default - the construct id */
  readonly name?: string;
  /** Management address Ansible uses for the host play (a string is read as `Ipv4Address.of(...)`). */
  readonly address: string | Ipv4Address;
  /** Physical cores available to guests. */
  readonly cores: number;
  /** RAM available to guests, in whole MiB: `Size.gibibytes(64)`. */
  readonly memory: Size;
  /** Storage ids. @default { rootfs: 'local-lvm', templates: 'local', backups: 'local' } */
  readonly storage?: { readonly rootfs?: string; readonly templates?: string; readonly backups?: string };
  /**
   * Host directories (ZFS datasets, mounted disks) that bind mounts may use. When set, a bind mount
   * outside all of them fails synth: a typo would otherwise create a directory on the root disk.
   * @default - no restriction
   */
  readonly datasets?: readonly string[];
  /**
   * Storage ids every node of the cluster reaches (Ceph RBD, NFS, ...): an HA container's root disk
   * and storage volumes must be on one of them on every node of its HA group. @default []
   */
  readonly sharedStorage?: readonly string[];
  /**
   * Host directories backed by shared storage (an NFS export or CephFS mounted at the same path on
   * every node): the only bind mounts an HA container may use. Each must also be in `datasets` when
   * that is set. @default []
   */
  readonly sharedDatasets?: readonly string[];
  /** GPU render node for passthrough. @default - none: GPU requests on this node fail synth */
  readonly gpu?: GpuProps;
  /**
   * How far container cores may exceed physical cores (LXC cores are limits, not reservations).
   * @default 4
   */
  readonly cpuOvercommit?: number;
  /** How far container RAM may exceed physical RAM. @default 1 (no overcommit) */
  readonly memoryOvercommit?: number;
}

/** A Proxmox VE node: capacity, storage ids, optional GPU, and the OS templates it downloads. */
export class ProxmoxNode extends Construct {
  readonly lab: Lab;
  readonly nodeName: string;
  readonly address: string;
  readonly cores: number;
  /** RAM available to guests in MiB (from the `memory` prop). */
  readonly memoryMiB: number;
  readonly storage: { readonly rootfs: string; readonly templates: string; readonly backups: string };
  readonly gpu?: Required<GpuProps>;
  readonly datasets?: readonly string[];
  readonly sharedStorage: readonly string[];
  readonly sharedDatasets: readonly string[];
  readonly cpuOvercommit: number;
  readonly memoryOvercommit: number;
  private readonly templates = new Map<string, DownloadFile>();

  constructor(scope: Construct, id: string, props: ProxmoxNodeProps) {
    super(scope, checkedId(scope, id));
    this.lab = labOf(this);
    if (props && typeof props === 'object' && 'memoryMiB' in props) {
      const n = (props as { memoryMiB?: unknown }).memoryMiB;
      fail(this, 'memoryMiB is now memory, a Size', `write memory: Size.mebibytes(${typeof n === 'number' ? n : '…'})`);
    }
        requireProps(this, 'ProxmoxNode', props, ['address', 'cores', 'memory']);
    props = checkPropTypes(this, 'ProxmoxNode', props, {
      // cores, memory and the overcommits have checks of their own, with their own fixes.
      name: 'string', address: either('string', instanceOf('an Ipv4Address', Ipv4Address)), storage: 'object', datasets: 'string[]', gpu: 'object',
      sharedStorage: 'string[]', sharedDatasets: 'string[]',
    }, { required: ['address'] });
    if (props.storage) props = { ...props, storage: checkPropTypes(this, 'ProxmoxNode storage', props.storage, { rootfs: 'string', templates: 'string', backups: 'string' }) };
    if (props.gpu) props = { ...props, gpu: checkPropTypes(this, 'ProxmoxNode gpu', props.gpu, { renderDevice: { is: (v) => typeof v === 'string' && /^\/dev\/\S+$/.test(v), expected: "a device path like '/dev/dri/renderD128'" }, renderGid: 'number' }) };
    this.nodeName = props.name ?? id;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(this.nodeName)) fail(this, `node name '${this.nodeName}' is not a valid host name`, 'use letters, digits and dashes');
    const address = props.address instanceof Ipv4Address ? props.address.toString() : props.address;
    const addressProblem = ipv4Problem(address);
    if (addressProblem) fail(this, `address ${addressProblem}`, "give the node's management IP alone, e.g. '10.10.0.2'");
    if (!Number.isInteger(props.cores) || props.cores <= 0) fail(this, `cores must be a positive integer, got ${props.cores}`, "set cores to the node's capacity");
    const memory = Size.check(props.memory, 'memory', 'mebibytes');
    if ('problem' in memory) addCheck(this, () => [memory.problem]);
    this.address = address;
    this.cores = props.cores;
    this.memoryMiB = 'value' in memory ? memory.value : 0;
    this.storage = { rootfs: 'local-lvm', templates: 'local', backups: 'local', ...props.storage };
    this.gpu = props.gpu ? { renderDevice: '/dev/dri/renderD128', renderGid: 104, ...props.gpu } : undefined;
    for (const d of props.datasets ?? []) {
      if (!d.startsWith('/') || d.split('/').includes('..')) fail(this, `dataset path '${d}' must be absolute`, "write it like '/tank/data'");
    }
    this.datasets = props.datasets?.map((d) => d.replace(/\/+$/, ''));
    for (const d of props.sharedDatasets ?? []) {
      if (typeof d !== 'string' || !d.startsWith('/') || d.split('/').includes('..')) fail(this, `shared dataset path ${JSON.stringify(d)} must be absolute`, "write it like '/mnt/pve/cephfs'");
    }
    this.sharedDatasets = (props.sharedDatasets ?? []).map((d) => d.replace(/\/+$/, ''));
    for (const d of this.sharedDatasets) {
      // Bind mounts are checked against datasets: a shared one outside them could never be mounted.
      if (!this.allowsBindPath(d)) fail(this, `shared dataset ${d} is not inside the node's datasets (${(this.datasets ?? []).join(', ') || 'none'})`, `add '${d}' to datasets too`);
    }
    if (props.sharedStorage !== undefined && (!Array.isArray(props.sharedStorage) || !props.sharedStorage.every((x) => typeof x === 'string' && x !== ''))) {
      fail(this, `sharedStorage must be a list of storage ids, got ${JSON.stringify(props.sharedStorage)}`, "write e.g. sharedStorage: ['ceph-ct']");
    }
    this.sharedStorage = [...(props.sharedStorage ?? [])];
    if (this.nodeName === 'auto') fail(this, "a node cannot be named 'auto'", "'auto' means automatic placement in node overrides; give the node another name");
    this.cpuOvercommit = props.cpuOvercommit ?? 4;
    this.memoryOvercommit = props.memoryOvercommit ?? 1;
    for (const [k, v] of [['cpuOvercommit', this.cpuOvercommit], ['memoryOvercommit', this.memoryOvercommit]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) fail(this, `${k} must be a positive number, got ${JSON.stringify(v)}`, `leave ${k} out for the default, or give a factor like 1.5`);
    }
    this.lab.registerNode(this);
    addCheck(this, () => this.checkCapacity());
    addCheck(this, () => this.checkUnique());
  }

  /** Node names and addresses are one machine each; the name is also an inventory host next to the containers. */
  private checkUnique(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const nodes = this.lab.nodes;
    const sameName = nodes.find((n) => n.nodeName === this.nodeName);
    if (sameName && sameName !== this) out.push({ message: `node name '${this.nodeName}' is already used by ${sameName.node.path}`, fix: 'give each node its own Proxmox name (pvesh get /nodes lists them)' });
    const sameAddress = nodes.find((n) => n.address === this.address);
    if (sameAddress && sameAddress !== this) out.push({ message: `address ${this.address} is already the address of node ${sameAddress.node.path}`, fix: "give each node its own management address (one Proxmox node, one ProxmoxNode)" });
    const container = this.lab.containers.find((c) => c.hostname === this.nodeName);
    if (container) out.push({ message: `node name '${this.nodeName}' is also the hostname of container ${container.node.path}: both would be the same Ansible inventory host`, fix: "rename the container (hostname) or name the node as Proxmox does" });
    return out;
  }

  /** Whether a host path lies inside one of the declared datasets (always true without any). */
  allowsBindPath(path: string): boolean {
    return !this.datasets || this.datasets.some((d) => path === d || path.startsWith(`${d}/`));
  }

  /** Whether a host path lies on shared storage (inside one of sharedDatasets). */
  sharesPath(path: string): boolean {
    return this.sharedDatasets.some((d) => path === d || path.startsWith(`${d}/`));
  }

  /** The template's volume id on this node, downloading it (once) through the infra stack. */
  templateFileId(template: OsTemplate): string {
    if (!this.templates.has(template.id)) {
      this.templates.set(
        template.id,
        new DownloadFile(this.lab.infra, `${this.nodeName}-${template.id}`, {
          nodeName: this.nodeName,
          contentType: 'vztmpl',
          datastoreId: this.storage.templates,
          url: template.url,
          fileName: template.fileName,
          ...(template.checksum ? { checksum: template.checksum.value, checksumAlgorithm: template.checksum.algorithm } : {}),
          // bpg/proxmox 0.111.1 (docs/resources/download_file.md): overwrite_unmanaged "If `false` and
          // the file already exists, an error will be returned" — the default. A template someone already
          // fetched with `pveam download` is adopted (deleted and downloaded again, checked against the
          // pinned checksum) instead of failing the first apply.
          overwriteUnmanaged: true,
          // With a pinned checksum the size comparison against the URL on every refresh adds nothing.
          overwrite: false,
        }),
      );
    }
    return template.fileId(this.storage.templates);
  }

  contributeAnsible(project: AnsibleProject): void {
    project.addHost(this.nodeName, ['proxmox_hosts'], {
      ansible_host: this.address,
      ansible_user: 'root',
      proxmox_host_datasets: this.usedDatasets(),
      proxmox_host_directories: this.hostDirectories(),
    });
  }

  /**
   * The declared datasets that this node's containers bind-mount from: proxmox.yml checks that they
   * exist before it creates directories in them (an unmounted dataset would otherwise get its
   * directories on the root disk). Another node's datasets are not this node's business.
   */
  usedDatasets(): string[] {
    const roots = this.hostDirectories().map((d) => d.path);
    return (this.datasets ?? []).filter((d) => roots.some((r) => r === d || r.startsWith(`${d}/`))).sort();
  }

  /**
   * Host directories behind the bind mounts of this node's containers. Unprivileged containers see
   * host uid N+100000 as uid N, so the host side is created with the shifted owner.
   */
  hostDirectories(): { path: string; owner: number; group: number; mode: string }[] {
    const dirs = new Map<string, { path: string; owner: number; group: number; mode: string }>();
    for (const c of this.lab.containers.filter((x) => x.proxmoxNode === this)) {
      const shift = c.unprivileged ? 100000 : 0;
      for (const m of c.mountedVolumes) {
        if (!(m.volume instanceof BindVolume)) continue;
        const root = m.volume.hostPath;
        // Every intermediate directory too: `file: state=directory` would create missing parents as root.
        const subdirs = m.volume.subdirectories.flatMap((s) => s.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/')));
        for (const path of [root, ...subdirs.map((s) => `${root}/${s}`)]) {
          if (!dirs.has(path)) dirs.set(path, { path, owner: m.volume.owner.uid + shift, group: m.volume.owner.gid + shift, mode: '2775' });
        }
      }
    }
    return [...dirs.values()].sort((a, b) => a.path.localeCompare(b.path));
  }

  private checkCapacity(): { message: string; fix: string }[] {
    // A container placement could not fit is reported on itself, not counted here.
    const mine = this.lab.containers.filter((c) => c.proxmoxNode === this && c.isPlaced);
    const cores = mine.reduce((a, c) => a + c.cores, 0);
    const mem = mine.reduce((a, c) => a + c.memoryMiB, 0);
    const out: { message: string; fix: string }[] = [];
    const coreLimit = this.cores * this.cpuOvercommit;
    if (cores > coreLimit) {
      out.push({
        message: `containers ask for ${cores} cores, over this node's ${this.cores} cores × overcommit ${this.cpuOvercommit} = ${coreLimit}`,
        fix: 'shrink some containers, move them to another node, or raise cpuOvercommit',
      });
    }
    const memLimit = Math.floor(this.memoryMiB * this.memoryOvercommit);
    if (mem > memLimit) {
      out.push({
        message: `containers ask for ${mem} MiB RAM, over this node's ${this.memoryMiB} MiB × overcommit ${this.memoryOvercommit} = ${memLimit} MiB`,
        fix: 'shrink some containers, move them to another node, or raise memoryOvercommit',
      });
    }
    return out;
  }
}
