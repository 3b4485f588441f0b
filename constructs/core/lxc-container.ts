import { Construct } from 'constructs';
import {
  VirtualEnvironmentContainer,
  VirtualEnvironmentContainerDevicePassthrough,
  VirtualEnvironmentContainerMountPoint,
} from '../../.gen/providers/proxmox/virtual-environment-container';
import { VirtualEnvironmentHaresource } from '../../.gen/providers/proxmox/virtual-environment-haresource';
import { VirtualEnvironmentHarule } from '../../.gen/providers/proxmox/virtual-environment-harule';
import { Allocation } from '../../lib/allocator';
import { resolveBruteForceProtection } from './brute-force';
import { Connections } from './connections';
import { Ipv4Address, Size } from './values';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, addWarning, checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes, either, instanceOf } from '../../lib/prop-types';
import { ACCESS_LEVELS, HealthEndpoint, HealthEndpointProps, MetricsEndpoint, MetricsEndpointProps, resolveWebUiProxy, INVALID_PORT, tcpPortOf, WebUi, WebUiProps } from './endpoints';
import { Port } from './port';
import type { Lab } from './lab';
import { labOf } from './lab-of';
import { LabStack } from './lab-stack';
import { Network } from './network';
import { OsTemplate } from './os-template';
import { ProxmoxNode } from './proxmox-node';
import { AUTO_PLACEMENT, NodeChoice } from './placement';
import { BindVolume, StorageVolume, Volume } from './volume';

export interface LxcContainerProps {
  /**
   * Node that hosts the container, or `'auto'`: the lab places it where its cores, RAM, GPU, bind
   * mounts and anti-affinity groups fit, and records the result (placement.json) so it stays there.
   */
  readonly node: NodeChoice;
  /**
   * Anti-affinity groups: no two containers of one group share a node (from the lab's second node on).
   * @default []
   */
  readonly antiAffinity?: readonly string[];
  /** Storage id of the root disk. @default - the node's storage.rootfs */
  readonly rootfsStorage?: string;
  /**
   * Proxmox HA: `true`, or options. The container's root disk and volumes must then be on storage every
   * node of its HA group reaches (ProxmoxNode's sharedStorage / sharedDatasets). @default false
   */
  readonly ha?: boolean | HaOptions;
  /** Network of its one interface (eth0). */
  readonly network: Network;
  /** Fixed IPv4 address, without prefix (a string is read as `Ipv4Address.of(...)`). @default - planned by the network */
  readonly ipAddress?: string | Ipv4Address;
  /** Proxmox VMID. @default - planned by the lab from vmIdStart */
  readonly vmId?: number;
  /** Host name (also the Ansible inventory name). @default - the construct id, lowercased */
  readonly hostname?: string;
  /** CPU cores (a limit, not a reservation). @default 1 */
  readonly cores?: number;
  /** RAM, in whole MiB (Proxmox's unit): `Size.gibibytes(1)` or `Size.gibibytes(2)`. @default Size.mebibytes(512) */
  readonly memory?: Size;
  /** Swap, in whole MiB (Proxmox's unit); `Size.mebibytes(0)` turns it off. @default Size.mebibytes(512) */
  readonly swap?: Size;
  /** Root disk, in whole GiB (Proxmox's unit): `Size.gibibytes(16)`. @default Size.gibibytes(8) */
  readonly disk?: Size;
  /** Run with uid/gid shifted on the host. @default true */
  readonly unprivileged?: boolean;
  /** Why the container must be privileged; required when `unprivileged` is false. @default - none */
  readonly privilegedReason?: string;
  /**
   * Allow nesting (Docker; systemd 257 of Debian 13 needs it to isolate services).
   * @default - true for Debian 13 templates, false otherwise
   */
  readonly nesting?: boolean;
  /** Allow keyctl (Docker in unprivileged containers). @default false */
  readonly keyctl?: boolean;
  /** OS template. @default OsTemplate.debian13() */
  readonly template?: OsTemplate;
  /** Extra tags; Proxmox stores them lowercase and sorted, so they are emitted that way. @default [] */
  readonly tags?: readonly string[];
  /** Boot order on the node (lower starts first). @default 50 */
  readonly startupOrder?: number;
  /** Seconds to wait after starting before the next container starts. @default 0 */
  readonly startupDelaySeconds?: number;
  /** Start when the node boots. @default true */
  readonly startOnBoot?: boolean;
  /** Text shown in the Proxmox UI. @default - 'Managed by homelab-cdk' */
  readonly description?: string;
  /** Include the container in the lab's backup jobs (it keeps state). @default true */
  readonly backup?: boolean;
  /**
   * Terraform `lifecycle.prevent_destroy`: a plan that would destroy or replace the container (and its
   * volumes) fails instead. Opt out per container/service with `false` (e.g. while deliberately
   * recreating it). @default - true for stateful containers (`backup` true) and adopted ones, false otherwise
   */
  readonly preventDestroy?: boolean;
  /**
   * Take over this running container instead of creating it: `terraform plan` imports it, then changes
   * only what differs from the model. Pins vmId (a pinned vmId must be the same).
   * @default - none: Terraform creates the container
   */
  readonly adopt?: AdoptOptions;
}

/**
 * A container that already runs on the node and is taken over instead of created (README, "Adopting
 * a running lab"): the stack gets a Terraform `import` block with the provider's id `<node>/<vmId>`.
 */
export interface AdoptOptions {
  /** The running container's VMID (`pct list` on the node); it becomes the container's vmId. */
  readonly vmId: number;
}

/**
 * What the bpg/proxmox provider cannot read back from a running container: the template it was
 * created from and root's initial SSH keys (proxmoxtf/resource/container/container.go at v0.111.1:
 * the read copies both from the prior state, which an import leaves empty). Both force a replacement
 * when they differ, so an adopted container ignores them: they only matter when a container is created.
 */
export const ADOPT_IGNORED_CHANGES: readonly string[] = ['operating_system[0].template_file_id', 'initialization[0].user_account'];

/** Proxmox HA of one container (proxmox_virtual_environment_haresource and its rules). */
export interface HaOptions {
  /**
   * Nodes HA may run it on (a node-affinity rule, non-strict: another node is still used when all of
   * these are down only if you set strict). @default - every node of the lab
   */
  readonly nodes?: readonly ProxmoxNode[];
  /** Refuse every node outside `nodes` (strict node-affinity rule). @default false */
  readonly strict?: boolean;
  /** Restart attempts on its node before relocating. @default 1 */
  readonly maxRestart?: number;
  /** Relocation attempts to other nodes. @default 1 */
  readonly maxRelocate?: number;
}

interface MountRequest {
  readonly volume: Volume;
  readonly path: string;
  readonly readOnly: boolean;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** An LXC container on a Proxmox node, and the Ansible inventory host that configures it. */
export class LxcContainer extends Construct {
  readonly lab: Lab;
  readonly stack: LabStack;
  /** The node the user gave; undefined for `node: 'auto'`. */
  readonly pinnedNode?: ProxmoxNode;
  /** HA settings; undefined without HA. */
  readonly ha?: Required<Omit<HaOptions, 'nodes'>> & { readonly nodes?: readonly ProxmoxNode[] };
  readonly network: Network;
  readonly hostname: string;
  readonly cores: number;
  /** RAM in MiB (from the `memory` prop). */
  readonly memoryMiB: number;
  readonly swapMiB: number;
  /** Root disk in GiB (from the `disk` prop). */
  readonly diskGiB: number;
  readonly unprivileged: boolean;
  readonly template: OsTemplate;
  readonly startupOrder: number;
  /** Included in the lab's backup jobs. */
  readonly backup: boolean;
  /** Terraform refuses to destroy or replace it (lifecycle.prevent_destroy). */
  readonly preventDestroy: boolean;
  /** The VMID of the running container this one takes over (`adopt`), if any. */
  readonly adoptedVmId?: number;
  /** The L1 resource; its construct id 'Resource' is part of the Terraform address (STYLE §9). */
  readonly resource: VirtualEnvironmentContainer;

  protected readonly features: { nesting: boolean; keyctl: boolean };
  private readonly vmIdAllocation: Allocation<number>;
  private readonly addressAllocation: Allocation<string>;
  private readonly tagSet = new Set<string>();
  private readonly mounts: MountRequest[] = [];
  private readonly devices: VirtualEnvironmentContainerDevicePassthrough[] = [];
  private gpuRequested = false;
  private readonly antiAffinity = new Set<string>();
  private readonly rootfsStorageId?: string;
  private readonly groups = new Set<string>();
  private readonly webUiList: WebUi[] = [];
  private readonly metricsList: MetricsEndpoint[] = [];
  private readonly healthList: HealthEndpoint[] = [];
  private readonly listening = new Map<string, string>();
  private readonly hostVars = new Map<string, unknown>();

  constructor(scope: Construct, id: string, props: LxcContainerProps) {
    super(scope, checkedId(scope, id));
    this.lab = labOf(this);
    this.stack = LabStack.of(this);
    requireProps(this, 'container', props, ['node', 'network']);
    if (!(props.node instanceof ProxmoxNode) && props.node !== AUTO_PLACEMENT) fail(this, `node must be a ProxmoxNode or 'auto', got ${JSON.stringify(props.node)}`, "pass the node construct, e.g. new ProxmoxNode(lab.infra, 'pve', {...}), or 'auto' to have it placed");
    if (!(props.network instanceof Network)) fail(this, `network must be a Network, got ${JSON.stringify(props.network)}`, "pass the network construct, e.g. new Network(lab.infra, 'lan', {...})");
    // The numbers and preventDestroy have checks of their own below, with their own fixes.
    props = checkPropTypes(this, 'container', props, {
      ipAddress: either('string', instanceOf('an Ipv4Address', Ipv4Address)), hostname: 'string', unprivileged: 'boolean', privilegedReason: 'string',
      nesting: 'boolean', keyctl: 'boolean', template: instanceOf('an OsTemplate (e.g. OsTemplate.debian12())', OsTemplate), tags: 'string[]',
      startOnBoot: 'boolean', description: 'string', backup: 'boolean',
    });
    this.pinnedNode = props.node instanceof ProxmoxNode ? props.node : undefined;
    if (props.antiAffinity !== undefined && !Array.isArray(props.antiAffinity)) {
      fail(this, `antiAffinity must be a list of group names, got ${JSON.stringify(props.antiAffinity)}`, `write antiAffinity: [${JSON.stringify(props.antiAffinity)}]`);
    }
    for (const g of props.antiAffinity ?? []) this.addAntiAffinity(g);
    if (props.rootfsStorage !== undefined && (typeof props.rootfsStorage !== 'string' || !/^[a-z][a-z0-9._-]*$/i.test(props.rootfsStorage))) {
      fail(this, `rootfsStorage must be a Proxmox storage id, got ${JSON.stringify(props.rootfsStorage)}`, "give a storage id like 'ceph-ct', or leave it out for the node's storage.rootfs");
    }
    this.rootfsStorageId = props.rootfsStorage;
    if (props.ha !== undefined && props.ha !== false) {
      const o: HaOptions = props.ha === true ? {} : props.ha;
      if (typeof o !== 'object' || o === null) fail(this, `ha must be true, false or HA options, got ${JSON.stringify(props.ha)}`, 'write ha: true, or ha: { nodes: [pve1, pve2] }');
      for (const [k, v] of [['maxRestart', o.maxRestart], ['maxRelocate', o.maxRelocate]] as const) {
        if (v !== undefined && (!Number.isInteger(v) || v < 0)) fail(this, `ha.${k} must be an integer >= 0, got ${JSON.stringify(v)}`, `leave ha.${k} out for 1`);
      }
      if (o.nodes !== undefined && (!Array.isArray(o.nodes) || o.nodes.length === 0 || !o.nodes.every((n) => n instanceof ProxmoxNode))) {
        fail(this, 'ha.nodes must be a non-empty list of ProxmoxNode', 'list the nodes HA may run it on, or leave ha.nodes out for every node of the lab');
      }
      this.ha = { strict: o.strict ?? false, maxRestart: o.maxRestart ?? 1, maxRelocate: o.maxRelocate ?? 1, ...(o.nodes ? { nodes: [...o.nodes] } : {}) };
    }
    this.network = props.network;
    this.hostname = props.hostname ?? id.toLowerCase();
    if (!HOSTNAME.test(this.hostname)) fail(this, `hostname '${this.hostname}' is not a valid DNS label`, 'use lowercase letters, digits and dashes (max 63)');
    this.cores = props.cores ?? 1;
    if (!Number.isInteger(this.cores) || this.cores <= 0) fail(this, `cores must be a positive integer, got ${this.cores}`, 'set cores to 1 or more');
    renamedSizeProps(this, props);
    // Collected, not thrown, so a wrong size in one override is reported with every other mistake;
    // the default stands in meanwhile (nothing is rendered while a problem is open).
    this.memoryMiB = checkedSize(this, props.memory, 'memory', 'mebibytes', 512);
    this.swapMiB = checkedSize(this, props.swap, 'swap', 'mebibytes', 512, 0);
    this.diskGiB = checkedSize(this, props.disk, 'disk', 'gibibytes', 8);
    this.unprivileged = props.unprivileged ?? true;
    if (!this.unprivileged) {
      if (!props.privilegedReason) fail(this, 'a privileged container needs a reason', "set privilegedReason: '…' (or drop unprivileged: false)");
      addWarning(this, 'homelab:privileged', `runs privileged: ${props.privilegedReason}`);
    }
    // Before the vmId range check: a catalog service's vmId comes from adopt.vmId, and the adopt message names the right prop.
    this.adoptedVmId = adoptedVmId(this, props);
    if (props.vmId !== undefined && (!Number.isInteger(props.vmId) || props.vmId < 100 || props.vmId > 999_999_999)) {
      fail(this, `vmId must be an integer in 100..999999999, got ${props.vmId}`, 'pick a free VMID or leave vmId out');
    }
    this.template = props.template ?? OsTemplate.debian13();
    this.startupOrder = props.startupOrder ?? 50;
    for (const [k, v] of [['startupOrder', this.startupOrder], ['startupDelaySeconds', props.startupDelaySeconds ?? 0]] as const) {
      if (!Number.isInteger(v) || v < 0) fail(this, `${k} must be an integer >= 0, got ${JSON.stringify(v)}`, `set ${k} to 0 or more (lower starts first), or leave it out`);
    }
    this.backup = props.backup ?? true;
    // An adopted container is someone's running system: never destroyed by default, stateful or not.
    this.preventDestroy = props.preventDestroy ?? (this.backup || this.adoptedVmId !== undefined);
    if (props.preventDestroy !== undefined && typeof props.preventDestroy !== 'boolean') fail(this, `preventDestroy must be true or false, got ${JSON.stringify(props.preventDestroy)}`, 'set preventDestroy: false to opt out, or leave it out');
    this.features = { nesting: props.nesting ?? this.template.needsNesting, keyctl: props.keyctl ?? false };
    if (this.template.needsNesting && !this.features.nesting) {
      addWarning(this, 'homelab:debian13-without-nesting', `runs ${this.template.fileName} without nesting: systemd 257 cannot isolate its services and mounts may end up degraded — drop nesting: false`);
    }
    this.vmIdAllocation = this.lab.vmIds.request(this, props.vmId ?? this.adoptedVmId);
    this.addressAllocation = props.network.allocate(this, props.ipAddress instanceof Ipv4Address ? props.ipAddress.toString() : props.ipAddress);
    for (const t of ['homelab', this.stack.stackName, ...(props.tags ?? [])]) this.addTag(t);
    this.addToGroup(this.stack.stackName);
    this.addToGroup('lxc');
    this.lab.registerContainer(this);

    this.resource = new VirtualEnvironmentContainer(this, 'Resource', {
      // Node, root disk storage and template are set at render time, once placement is resolved.
      nodeName: '',
      description: props.description ?? 'Managed by homelab-cdk',
      // bpg defaults unprivileged to false and flipping it recreates the container: always set it.
      unprivileged: this.unprivileged,
      startOnBoot: props.startOnBoot ?? true,
      started: true,
      cpu: { cores: this.cores },
      memory: { dedicated: this.memoryMiB, swap: this.swapMiB },
      operatingSystem: { templateFileId: '', type: this.template.osType },
      startup: { order: this.startupOrder, upDelay: props.startupDelaySeconds ?? 0 },
    });
    // A stateful container is marked in the Terraform JSON ("//" is a comment to terraform), so
    // `npm run plan` can name its replacement even when preventDestroy is opted out.
    if (this.backup) this.resource.addOverride('//.homelab', { stateful: true });
    if (this.preventDestroy) this.resource.addOverride('lifecycle.prevent_destroy', true);

    addCheck(this, () => this.check());
  }

  /** The node it runs on: the pinned one, or the lab's placement. */
  get proxmoxNode(): ProxmoxNode {
    return this.pinnedNode ?? this.lab.placement.nodeOf(this);
  }

  /** False when automatic placement found no node for it (reported on the container). */
  get isPlaced(): boolean {
    return this.pinnedNode !== undefined || this.lab.placement.failureOf(this) === undefined;
  }

  /** Storage id of the root disk. */
  get rootfsStorage(): string {
    return this.rootfsStorageId ?? this.proxmoxNode.storage.rootfs;
  }

  /** Joins an anti-affinity group: no two members share a node (from the lab's second node on). */
  addAntiAffinity(group: string): void {
    // It becomes part of a Proxmox HA rule id (`homelab-<group>-apart`): a letter first.
    if (typeof group !== 'string' || !/^[a-z][a-z0-9_-]*$/i.test(group)) fail(this, `anti-affinity group ${JSON.stringify(group)} is not a name`, "start with a letter, then letters, digits, '-' and '_', e.g. 'immich'");
    this.antiAffinity.add(group);
  }

  get antiAffinityGroups(): string[] {
    return [...this.antiAffinity].sort();
  }

  /** Nodes of its HA group (HA options' nodes, or every node of the lab); empty without HA. */
  get haNodes(): readonly ProxmoxNode[] {
    if (!this.ha) return [];
    return this.ha.nodes ?? this.lab.nodes;
  }

  get vmId(): number {
    return this.vmIdAllocation.value;
  }

  get ipAddress(): string {
    return this.addressAllocation.value;
  }

  /** Inbound flows this container accepts (firewall rules follow from them). */
  get connections(): Connections {
    return Connections.of(this);
  }

  get tags(): string[] {
    return [...this.tagSet].sort();
  }

  addTag(tag: string): void {
    const t = tag.toLowerCase();
    if (!/^[a-z0-9_][a-z0-9_.+-]*$/.test(t)) fail(this, `tag '${tag}' has characters Proxmox does not allow`, 'use letters, digits, -, _, . and +');
    this.tagSet.add(t);
  }

  /** Mounts a volume at `path` inside the container. */
  addMount(volume: Volume, path: string, opts: { readOnly?: boolean } = {}): void {
    if (!path.startsWith('/') || path === '/') fail(this, `mount path '${path}' must be an absolute directory`, "use a path like '/data'");
    const existing = this.mounts.find((m) => m.volume === volume);
    if (existing) {
      if (existing.path === path) return;
      fail(this, `volume ${volume.node.path} is already mounted at ${existing.path}`, 'mount a volume once per container');
    }
    this.mounts.push({ volume, path, readOnly: opts.readOnly ?? false });
    volume.registerMount(this);
  }

  /** The path a volume is mounted at here, if it is. */
  mountPathOf(volume: Volume): string | undefined {
    return this.mounts.find((m) => m.volume === volume)?.path;
  }

  /** The mounts, in declaration order (copies: the container's own list cannot be changed through them). */
  get mountedVolumes(): readonly { readonly volume: Volume; readonly path: string; readonly readOnly: boolean }[] {
    return this.mounts.map((m) => ({ ...m }));
  }

  /** Passes the node's GPU render node into the container with the render group's gid. */
  addGpu(): void {
    this.gpuRequested = true;
  }

  get hasGpu(): boolean {
    return this.gpuRequested;
  }

  /** The device path and gid the GPU appears with inside the container. */
  get gpuDevice(): { path: string; gid: number } | undefined {
    // Read while the catalog builds its compose files, before placement: an auto-placed container
    // takes the first GPU node's device, and its check refuses a placement onto a node that differs.
    const gpu = this.pinnedNode ? this.pinnedNode.gpu : this.lab.nodes.find((n) => n.gpu)?.gpu;
    return this.gpuRequested && gpu ? { path: gpu.renderDevice, gid: gpu.renderGid } : undefined;
  }

  /** Passes an arbitrary host device (e.g. /dev/net/tun) into the container. */
  addDevice(path: string, opts: { gid?: number; uid?: number; mode?: string } = {}): void {
    if (!path.startsWith('/dev/')) fail(this, `device '${path}' is not under /dev`, 'pass a device node such as /dev/net/tun');
    if (this.devices.some((d) => d.path === path)) return;
    this.devices.push({ path, ...(opts.gid !== undefined ? { gid: opts.gid } : {}), ...(opts.uid !== undefined ? { uid: opts.uid } : {}), mode: opts.mode ?? '0660' });
  }

  /**
   * Declares a port this container listens on (on its own address), with what it is for. Web UIs,
   * metrics and health endpoints must name a declared port; DockerHost declares published ports.
   */
  declarePort(port: Port, purpose: string): void {
    if (!(port instanceof Port)) {
      addCheck(this, () => [{ message: `declarePort takes a Port, got ${JSON.stringify(port ?? null)}`, fix: `write declarePort(Port.tcp(${typeof port === 'number' ? port : '8080'}), '…')` }]);
      return;
    }
    if (port.problem) {
      const { message, fix } = port.problem;
      addCheck(this, () => [{ message: `declared ${message}`, fix }]);
    }
    this.listening.set(port.toString(), purpose);
  }

  /** Ports declared with declarePort, as `port/protocol` → purpose. */
  get listeningPorts(): ReadonlyMap<string, string> {
    return new Map(this.listening);
  }

  /** Declares a web UI: routed through SWAG, or explicitly LAN-only. */
  addWebUi(props: WebUiProps): WebUi {
    const port = tcpPortOf(this, props.port, 'web UI');
    const ui: WebUi = {
      port,
      scheme: props.scheme ?? 'http',
      access: props.access,
      subdomain: props.subdomain ?? this.hostname,
      websockets: props.websockets ?? false,
      unlimitedBody: props.unlimitedBody ?? false,
      healthPath: props.healthPath ?? '/',
      title: props.title ?? this.hostname,
      ...(props.reason ? { reason: props.reason } : {}),
      ...(props.bruteForceProtection ? { bruteForceProtection: resolveBruteForceProtection(this, props.bruteForceProtection) } : {}),
      proxy: resolveWebUiProxy(this, props.proxy, port),
      accessLevel: props.accessLevel ?? 'sso',
      ...(props.accessReason ? { accessReason: props.accessReason } : {}),
      ...(props.authenticationRisk ? { authenticationRisk: props.authenticationRisk } : {}),
      ...(props.publicBecause !== undefined ? { publicBecause: props.publicBecause } : {}),
    };
    if (!ACCESS_LEVELS.includes(ui.accessLevel)) fail(this, `web UI on port ${ui.port}: accessLevel must be one of ${ACCESS_LEVELS.join(', ')}, got ${JSON.stringify(ui.accessLevel)}`, "use 'public' (the app's own login), 'sso' (Authelia in front) or 'lan' (the lab's networks only)");
    if (props.accessLevel !== undefined && ui.access !== 'routed') fail(this, `web UI on port ${ui.port} sets accessLevel but is ${ui.access}`, "route it through SWAG (access: 'routed') or drop accessLevel: only SWAG applies it");
    if (ui.publicBecause !== undefined && (typeof ui.publicBecause !== 'string' || ui.publicBecause.trim().length < 10)) {
      fail(this, `web UI on port ${ui.port}: publicBecause must say why in words, got ${JSON.stringify(ui.publicBecause)}`, "write the reason, e.g. 'admin account created and setup finished on 2026-12-01'");
    }
    if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(ui.subdomain)) fail(this, `subdomain '${ui.subdomain}' is not a DNS label`, 'use lowercase letters, digits and dashes');
    if (ui.bruteForceProtection && ui.access !== 'routed') fail(this, `web UI on port ${ui.port} asks for bruteForceProtection but is ${ui.access}`, "route it through SWAG (access: 'routed'): only SWAG's fail2ban sees its logins");
    if (props.proxy !== undefined && ui.access !== 'routed') fail(this, `web UI on port ${ui.port} sets proxy settings but is ${ui.access}`, "route it through SWAG (access: 'routed') or drop proxy: only SWAG applies them");
    this.webUiList.push(ui);
    return ui;
  }

  get webUis(): readonly WebUi[] {
    return [...this.webUiList];
  }

  /** Declares a Prometheus metrics endpoint on this container. */
  addMetricsEndpoint(props: MetricsEndpointProps): MetricsEndpoint {
    const m: MetricsEndpoint = { port: tcpPortOf(this, props.port, 'metrics endpoint'), path: props.path ?? '/metrics', job: props.job ?? this.hostname };
    this.metricsList.push(Object.freeze(m));
    return m;
  }

  get metricsEndpoints(): readonly MetricsEndpoint[] {
    return [...this.metricsList];
  }

  /** Declares an internal health endpoint (HTTP path, or TCP when path is omitted). */
  addHealthEndpoint(props: HealthEndpointProps): HealthEndpoint {
    const endpoint: HealthEndpoint = Object.freeze({ ...props, port: tcpPortOf(this, props.port, 'health endpoint') });
    this.healthList.push(endpoint);
    return endpoint;
  }

  get healthEndpoints(): readonly HealthEndpoint[] {
    return [...this.healthList];
  }

  addToGroup(group: string): void {
    this.groups.add(group);
  }

  /** Sets an Ansible host variable; setting one key twice with another value throws. */
  setHostVar(key: string, value: unknown): void {
    if (this.hostVars.has(key) && JSON.stringify(this.hostVars.get(key)) !== JSON.stringify(value)) {
      fail(this, `host variable '${key}' is set twice with different values`, 'set each host variable once');
    }
    this.hostVars.set(key, value);
  }

  renderTerraform(): void {
    const node = this.proxmoxNode;
    this.resource.nodeName = node.nodeName;
    this.resource.putDisk({ datastoreId: this.rootfsStorage, size: this.diskGiB });
    this.resource.putOperatingSystem({ templateFileId: node.templateFileId(this.template), type: this.template.osType });
    this.resource.vmId = this.vmId;
    this.resource.tags = this.tags;
    this.resource.putFeatures({ nesting: this.features.nesting, keyctl: this.features.keyctl });
    this.resource.putNetworkInterface([
      { name: 'eth0', bridge: this.network.bridge, firewall: true, ...(this.network.vlanId !== undefined ? { vlanId: this.network.vlanId } : {}) },
    ]);
    this.resource.putInitialization({
      hostname: this.hostname,
      dns: { domain: this.lab.domain, servers: [...this.network.dnsServers] },
      ipConfig: [{ ipv4: { address: `${this.ipAddress}/${this.network.prefixLength}`, gateway: this.network.gateway } }],
      userAccount: { keys: [...this.lab.sshPublicKeys] },
    });
    const mountPoints: VirtualEnvironmentContainerMountPoint[] = this.mounts.map((m) =>
      m.volume instanceof BindVolume
        ? { volume: m.volume.hostPath, path: m.path, readOnly: m.readOnly, shared: false }
        : { volume: (m.volume as StorageVolume).storageId ?? node.storage.rootfs, size: `${(m.volume as StorageVolume).sizeGiB}G`, path: m.path, readOnly: m.readOnly, backup: m.volume.backup },
    );
    if (mountPoints.length) this.resource.putMountPoint(mountPoints);
    const devices = [...this.devices];
    const gpu = this.gpuDevice;
    if (gpu) devices.unshift({ path: gpu.path, gid: gpu.gid, mode: '0660' });
    if (devices.length) this.resource.putDevicePassthrough(devices);
    if (this.adoptedVmId !== undefined) {
      // Called here, after validation: importFrom adds a cdktf validation that runs `terraform version`,
      // and synth must not need terraform. Import id format: docs/resources/virtual_environment_container.md, "Import".
      this.resource.importFrom(`${node.nodeName}/${this.vmId}`);
      this.resource.addOverride('lifecycle.ignore_changes', [...ADOPT_IGNORED_CHANGES]);
    }
    if (this.ha) this.renderHa(this.ha);
  }

  /** HA resource state; read by the anti-affinity rule of its group. */
  private haResource?: VirtualEnvironmentHaresource;

  /**
   * The HA resource, its node-affinity rule (when ha.nodes narrows the nodes) and, from its group's
   * rule host (haRuleHost), the group's negative resource-affinity rule (PVE 9 HA rules; the
   * provider's hagroup is the pre-9 form and is not emitted).
   */
  private renderHa(ha: NonNullable<LxcContainer['ha']>): void {
    const id = `ct:${this.vmId}`;
    this.haResource = new VirtualEnvironmentHaresource(this, 'Ha', {
      resourceId: id,
      state: 'started',
      maxRestart: ha.maxRestart,
      maxRelocate: ha.maxRelocate,
      comment: `homelab-cdk: ${this.node.path}`,
      dependsOn: [this.resource],
    });
    if (ha.nodes) {
      new VirtualEnvironmentHarule(this, 'HaNodes', {
        rule: `homelab-${this.hostname}-nodes`,
        type: 'node-affinity',
        resources: [id],
        nodes: Object.fromEntries(ha.nodes.map((n) => [n.nodeName, 1])),
        strict: ha.strict,
        comment: `homelab-cdk: nodes of ${this.node.path}`,
        dependsOn: [this.haResource],
      });
    }
    if (this.lab.nodes.length < 2) return;
    for (const group of this.antiAffinityGroups) {
      const members = this.lab.placement.membersOf(group).filter((c) => c.ha);
      if (members.length < 2 || haRuleHost(members, this.lab.stacks) !== this) continue;
      // Proxmox refuses a rule naming an HA resource it does not have, so the rule must be applied
      // after every member's haresource. In this stack, dependsOn orders it (the host is the last
      // member here, so the others are rendered already). Members in other stacks live in other
      // Terraform states, which no dependsOn reaches: this stack depends on theirs instead (cdktf
      // stack dependency, manifest.json "dependencies"), so `cdktf deploy` and the README's apply
      // order apply those first. No cycle can follow: the host's stack is the latest-declared of the
      // members' stacks, and every stack dependency points at an earlier-declared stack (infra first).
      for (const c of members) {
        if (c.stack === this.stack) continue;
        if (c.stack.dependsOn(this.stack)) {
          fail(this, `HA anti-affinity group '${group}': its rule must be applied after ${c.node.path}'s HA resource, but stack ${c.stack.stackName} already depends on stack ${this.stack.stackName}`, `remove that stack dependency, or move the members of '${group}' into one stack`);
        }
        this.stack.addDependency(c.stack);
      }
      const before = members.filter((c) => c.stack === this.stack).map((c) => c.haResource).filter((r): r is VirtualEnvironmentHaresource => r !== undefined);
      new VirtualEnvironmentHarule(this, `HaApart-${group}`, {
        rule: `homelab-${group}-apart`,
        type: 'resource-affinity',
        affinity: 'negative',
        resources: members.map((c) => `ct:${c.vmId}`).sort(),
        comment: `homelab-cdk: anti-affinity group '${group}'`,
        dependsOn: before,
      });
    }
  }

  contributeAnsible(project: AnsibleProject): void {
    const vars: Record<string, unknown> = {
      ansible_host: this.ipAddress,
      ansible_user: 'root',
      homelab_stack: this.stack.stackName,
      homelab_vmid: this.vmId,
    };
    for (const k of [...this.hostVars.keys()].sort()) vars[k] = this.hostVars.get(k);
    project.addHost(this.hostname, [...this.groups], vars);
  }

  /** Anti-affinity between pinned containers, and HA's storage rule. */
  private placementProblems(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const lab = this.lab;
    const node = this.proxmoxNode;
    if (lab.nodes.length > 1) {
      for (const g of this.antiAffinityGroups) {
        const first = lab.placement.membersOf(g).find((c) => c.proxmoxNode === node);
        if (first && first !== this) {
          out.push({
            message: `anti-affinity group '${g}': shares node ${node.nodeName} with ${first.node.path}`,
            fix: `pin one of them to another node, or give it node: 'auto' to have it placed away from the group`,
          });
        }
      }
    }
    if (!this.ha) return out;
    const group = this.haNodes;
    if (this.pinnedNode && !group.includes(this.pinnedNode)) {
      out.push({ message: `runs on node ${node.nodeName}, which is not in its HA nodes (${group.map((n) => n.nodeName).join(', ')})`, fix: `add ${node.nodeName} to ha.nodes, or pin it to one of them` });
    }
    const storages: { what: string; id: string }[] = [
      { what: 'root disk', id: this.rootfsStorage },
      ...this.mounts.flatMap((m) => (m.volume instanceof StorageVolume ? [{ what: `volume ${m.volume.node.path}`, id: m.volume.storageId ?? this.rootfsStorage }] : [])),
    ];
    for (const s of storages) {
      const lacking = group.filter((n) => !n.sharedStorage.includes(s.id));
      if (lacking.length) {
        out.push({
          message: `HA: its ${s.what} is on storage '${s.id}', which ${lacking.map((n) => n.nodeName).join(', ')} cannot reach (not in sharedStorage), so HA could not start it there`,
          fix: `put it on shared storage (Ceph RBD, NFS) listed in sharedStorage of every node of its HA group — e.g. rootfsStorage: 'ceph-ct' with sharedStorage: ['ceph-ct'] — or drop ha`,
        });
      }
    }
    for (const m of this.mounts) {
      if (!(m.volume instanceof BindVolume)) continue;
      const path = m.volume.hostPath;
      const local = group.filter((n) => !n.sharesPath(path));
      if (local.length) {
        out.push({
          message: `HA with bind mount ${m.volume.node.path} (${path}), which is node-local on ${local.map((n) => n.nodeName).join(', ')}: after a failover the container would start without its data`,
          fix: 'mount the data from shared storage (NFS or CephFS mounted at the same path on every node of its HA group, listed in their sharedDatasets), or drop ha',
        });
      }
    }
    return out;
  }

  private check(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const lab = this.lab;
    const placementFailure = this.pinnedNode ? undefined : lab.placement.failureOf(this);
    if (placementFailure) out.push(placementFailure);
    else out.push(...this.placementProblems());
    const recorded = this.pinnedNode ? undefined : lab.placement.recordedNodeOf(this);
    if (!placementFailure && recorded !== undefined && recorded !== this.proxmoxNode.nodeName) {
      addWarning(this, 'homelab:placement-moved', `placement moved it from node ${recorded} (recorded in placement.json) to ${this.proxmoxNode.nodeName}: ${recorded} no longer fits it or is gone — Terraform replaces the container (README, "Moving a service"); pin node: '${recorded}' to keep it`);
    }
    if (!lab.nodes.includes(this.proxmoxNode)) {
      out.push({ message: `runs on node ${this.proxmoxNode.node.path}, which is not part of lab ${lab.node.path}`, fix: `create the node inside this lab (new ProxmoxNode(lab.infra, ...))` });
    }
    if (!lab.networks.includes(this.network)) {
      out.push({ message: `uses network ${this.network.node.path}, which is not part of lab ${lab.node.path}`, fix: 'create the network inside this lab' });
    }
    const addressProblem = this.network.problemWith(this.ipAddress);
    if (addressProblem) out.push(addressProblem);
    const host = lab.nodes.find((n) => n.address === this.ipAddress);
    if (host) out.push({ message: `IP ${this.ipAddress} is the address of Proxmox node ${host.node.path}`, fix: "pick another address (or leave ipAddress out to have one planned); the node's management address belongs to the host" });
    for (const [key, what, fix] of [
      ['vmId', 'VMID', 'give each container its own vmId (or leave it out to have one planned)'],
      ['hostname', 'hostname', 'give each container its own hostname'],
      ['ipAddress', 'IP', 'give each container its own ipAddress (or leave it out to have one planned)'],
    ] as const) {
      const first = lab.firstContainerWith(key, this[key]);
      if (first && first !== this) out.push({ message: `${what} ${this[key]} is already used by ${first.node.path}`, fix });
    }
    for (const ui of this.webUiList) {
      if (ui.port !== INVALID_PORT && !this.listening.has(`${ui.port}/tcp`)) out.push({ message: `web UI port ${ui.port} is not a port this container listens on`, fix: `publish ${ui.port}/tcp (a service port) or fix the web UI port` });
      if (ui.access === 'routed') {
        const first = lab.firstRouteWith(ui.subdomain);
        if (first && first !== this) out.push({ message: `subdomain '${ui.subdomain}' is already routed to ${first.node.path}`, fix: 'give one of the web UIs another subdomain' });
        const problem = publicExposureProblem(ui, lab.domain);
        if (problem) out.push(problem);
      }
    }
    for (const m of this.metricsList) {
      if (m.port !== INVALID_PORT && !this.listening.has(`${m.port}/tcp`)) out.push({ message: `metrics port ${m.port} (job ${m.job}) is not a port this container listens on`, fix: `publish ${m.port}/tcp or fix the metrics port` });
    }
    for (const h of this.healthList) {
      if (h.port !== INVALID_PORT && !this.listening.has(`${h.port}/tcp`)) out.push({ message: `health endpoint port ${h.port} is not a port this container listens on`, fix: `publish ${h.port}/tcp or fix the health endpoint` });
    }
    const placedGpu = this.proxmoxNode.gpu;
    const assumed = this.gpuDevice;
    if (this.gpuRequested && !this.pinnedNode && !placementFailure && placedGpu && assumed && (placedGpu.renderDevice !== assumed.path || placedGpu.renderGid !== assumed.gid)) {
      out.push({
        message: `was placed on node ${this.proxmoxNode.nodeName}, whose GPU (${placedGpu.renderDevice}, gid ${placedGpu.renderGid}) differs from the first GPU node's (${assumed.path}, gid ${assumed.gid}) its compose files were built for`,
        fix: `pin it with node: '${this.proxmoxNode.node.id}' (or to the first GPU node), or give every GPU node the same renderDevice and renderGid`,
      });
    }
    if (this.gpuRequested && !this.proxmoxNode.gpu && !placementFailure) {
      out.push({ message: `asks for a GPU, but node ${this.proxmoxNode.nodeName} has none`, fix: `declare gpu: { renderDevice, renderGid } on node ${this.proxmoxNode.nodeName}, or move the container to a node with a GPU` });
    }
    if (this.adoptedVmId !== undefined) {
      const first = lab.containers.find((c) => c.adoptedVmId === this.adoptedVmId);
      if (first && first !== this) out.push({ message: `adopts VMID ${this.adoptedVmId}, which ${first.node.path} adopts already`, fix: 'adopt each running container from one service only; give the other its own adopt.vmId or drop its adopt' });
    }
    const template = this.template.problems();
    out.push(...template.errors);
    for (const w of template.warnings) addWarning(this, 'homelab:template-unverified', w);
    const paths = new Map<string, Volume>();
    for (const m of this.mounts) {
      const other = paths.get(m.path);
      if (other) out.push({ message: `volumes ${other.node.path} and ${m.volume.node.path} are both mounted at ${m.path}`, fix: 'mount each volume at its own path' });
      paths.set(m.path, m.volume);
      if (m.volume instanceof BindVolume && !placementFailure && !this.proxmoxNode.allowsBindPath(m.volume.hostPath)) {
        out.push({
          message: `bind mount ${m.volume.node.path} (${m.volume.hostPath}) is outside the datasets of node ${this.proxmoxNode.nodeName} (${(this.proxmoxNode.datasets ?? []).join(', ')})`,
          fix: `put the volume under a declared dataset, or add its dataset to datasets on node ${this.proxmoxNode.nodeName}`,
        });
      }
      if (m.volume.kind === 'storage') {
        const owners = m.volume.mountedBy;
        if (owners[0] !== this) out.push({ message: `storage volume ${m.volume.node.path} is already mounted by ${owners[0]?.node.path}`, fix: 'a storage volume belongs to one container; share data with a bind-mount volume instead' });
      }
    }
    const needsRoot = this.mounts.some((m) => m.volume.kind === 'bind') || this.devices.length > 0 || this.gpuRequested;
    if (needsRoot && lab.proxmox.auth === 'api-token') {
      out.push({ message: 'bind mounts and device passthrough need Terraform to log in as root@pam, but the lab uses an API token', fix: "set proxmox.auth: 'root-password' on the Lab (see README, 'Provider authentication')" });
    }
    return out;
  }
}

/** Tier-1 checks of `adopt` (shape, range, agreement with a pinned vmId); its VMID, or undefined. */
function adoptedVmId(scope: Construct, props: LxcContainerProps): number | undefined {
  const a = props.adopt as unknown;
  if (a === undefined) return undefined;
  const vmId = a !== null && typeof a === 'object' ? (a as { vmId?: unknown }).vmId : undefined;
  if (typeof vmId !== 'number' || !Number.isInteger(vmId) || vmId < 100 || vmId > 999_999_999) {
    fail(scope, `adopt.vmId must be an integer in 100..999999999 (the running container's VMID), got ${JSON.stringify(vmId ?? a) ?? String(a)}`, 'write adopt: { vmId: 105 } with the VMID `pct list` shows on the node');
  }
  if (props.vmId !== undefined && props.vmId !== vmId) {
    fail(scope, `adopt.vmId ${vmId} differs from the pinned vmId ${props.vmId}`, `pin vmId: ${vmId} (or leave vmId out: adopt pins it)`);
  }
  return vmId;
}

/**
 * The synth-time policy: a routed UI whose app has a known authentication weakness (a first-run
 * admin, no login) must not be `public` unless the operator says why (`publicBecause`).
 */
export function publicExposureProblem(ui: WebUi, domain: string): { message: string; fix: string } | undefined {
  const risk = ui.authenticationRisk;
  if (!risk || ui.accessLevel !== 'public' || ui.publicBecause !== undefined) return undefined;
  const what = risk.kind === 'first-run-admin' ? 'has an unauthenticated first-run admin' : 'has no authentication of its own';
  return {
    message: `${ui.title} is public at https://${ui.subdomain}.${domain} but ${what}: ${risk.detail}`,
    fix: "set its access to 'sso' (Authelia in front) or 'lan', or keep 'public' with publicBecause: '<why it is safe>' once its own login is set up",
  };
}

/**
 * The sizes were numbers named after their unit (`memoryMiB: 1024`, `diskGiB: 16`) before they
 * became Sizes: such a prop (from JavaScript, or an old lab) says how to write it now instead of
 * being ignored.
 */
function renamedSizeProps(scope: Construct, props: object): void {
  const renamed = [['memoryMiB', 'memory', 'mebibytes'], ['swapMiB', 'swap', 'mebibytes'], ['diskGiB', 'disk', 'gibibytes']] as const;
  for (const [old, now, unit] of renamed) {
    if (old in props) {
      const n = (props as Record<string, unknown>)[old];
      addCheck(scope, () => [{ message: `${old} is now ${now}, a Size`, fix: `write ${now}: Size.${unit}(${typeof n === 'number' ? n : '…'})` }]);
    }
  }
}

/** A Size prop in `unit`: its number, or `fallback` with the problem collected against `scope`. */
export function checkedSize(scope: Construct, value: Size | undefined, prop: string, unit: 'mebibytes' | 'gibibytes', fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  const checked = Size.check(value, prop, unit, min);
  if ('value' in checked) return checked.value;
  addCheck(scope, () => [checked.problem]);
  return fallback;
}

/**
 * The member that emits an HA anti-affinity group's rule: the last-declared HA member of the
 * latest-declared stack among the members' stacks (see renderHa for why that stack).
 */
export function haRuleHost(members: readonly LxcContainer[], stacks: readonly LabStack[]): LxcContainer {
  const rank = (c: LxcContainer) => stacks.indexOf(c.stack);
  return members.reduce((host, c) => (rank(c) >= rank(host) ? c : host));
}
