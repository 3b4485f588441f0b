import { Construct, IConstruct } from 'constructs';
import { Pool } from '../../lib/allocator';
import { LabAspects } from '../../lib/aspects';
import { addCheck, addWarning, checkedId, fail, requireProps } from '../../lib/problems';
import { BackupJob, BackupJobProps } from './backup-job';
import type { FirewallSettings } from './firewall-settings';
import { LabStack } from './lab-stack';
import { isOptOut, OptOut } from './opt-out';
import { Timezone, Url } from './values';
import { isLab, LAB_BRAND, labOf } from './lab-of';
import type { ProxmoxNode } from './proxmox-node';
import { LabPlacement } from './placement';
import type { Network } from './network';
import type { LxcContainer } from './lxc-container';
import { SecretCatalog } from './secret';
import { StateBackend } from './state-backend';

/** How Terraform authenticates to Proxmox. */
export interface ProxmoxApiSettings {
  /** API endpoint, e.g. `https://pve.home.example.org:8006/` (a string is read as `Url.of(...)`). */
  readonly endpoint: string | Url;
  /**
   * `root-password`: root@pam with a password (sensitive Terraform variable) — needed for bind
   * mounts, idmap and device passthrough. `api-token`: an API token; those features are then refused.
   * @default 'root-password'
   */
  readonly auth?: 'root-password' | 'api-token';
  /**
   * Skip TLS verification of the API. Terraform logs in with root@pam's password, so this is off: trust
   * the node's CA on the machine running Terraform instead (docs/proxmox-preflight.md, "Trusting the
   * node's certificate"). @default false
   */
  readonly insecure?: boolean;
}

export interface LabProps {
  /** Public DNS domain; routes become `<subdomain>.<domain>`. */
  readonly domain: string;
  /** Proxmox API access for Terraform. */
  readonly proxmox: ProxmoxApiSettings;
  /** SSH public keys installed for root in every container, so Ansible can log in. */
  readonly sshPublicKeys: readonly string[];
  /** IANA time zone of every container (a string is read as `Timezone.of(...)`). @default Timezone.UTC */
  readonly timezone?: string | Timezone;
  /** First VMID handed to containers that declare none. @default 200 */
  readonly vmIdStart?: number;
  /** Last automatically assigned VMID. @default 999999999 (Proxmox's maximum) */
  readonly vmIdEnd?: number;
  /**
   * The uid/gid that owns shared data inside every container (PUID/PGID of the linuxserver images).
   * @default { uid: 1000, gid: 1000 }
   */
  readonly dataOwner?: { readonly uid: number; readonly gid: number };
  /**
   * Write the digest of images that are pinned by digest too (`repo:tag@sha256:…`). Turn off only
   * where no registry can serve the upstream digest: a mirror that re-signs manifests, or offline
   * stand-in images (the digital twin synthesizes with false, since a stand-in can never have
   * upstream's manifest digest). The tag pin stays either way. @default true
   */
  readonly pinImageDigests?: boolean;
  /**
   * Per-container default-deny Proxmox firewalls derived from the model's connections, and the
   * datacenter firewall that makes Proxmox apply them (docs/vpn-and-firewall.md). Opt out with
   * `OptOut.because('<why>')`: synth then warns (`homelab:firewall-off`) with the reason.
   * @default {} - on, with FirewallSettings' defaults
   */
  readonly firewall?: FirewallSettings | OptOut;
  /**
   * The nightly vzdump job of the stateful containers (`backup: true`), created as
   * `<lab>/infra/nightly` when the lab declares no BackupJob of its own and has something to back
   * up (docs/backups.md). Opt out with `OptOut.because('<why>')`: synth then warns
   * (`homelab:backups-off`) with the reason.
   * @default {} - on, with BackupJobProps' defaults (02:30, the first node's backups storage)
   */
  readonly backups?: BackupJobProps | OptOut;
  /**
   * Where the stacks keep Terraform state, one state per lab and stack: `StateBackend.s3(...)`
   * (S3-compatible such as MinIO), `.pg(...)`, `.http(...)`.
   * @default StateBackend.local() - `.state/<output folder>/<lab>/<stack>.tfstate` beside the output folder
   */
  readonly backend?: StateBackend;
}

/**
 * The root of one homelab: lab-wide settings, the infra stack (templates, bridges, pools), the
 * secret catalog and the VMID plan. Everything else is found from here with `Lab.of(scope)`.
 *
 * The Lab is model only: the lab-wide files (the Ansible project's frame, docs/services.md,
 * terraform.tfvars.example) and the integration policy (flows, firewall) are generators and plugins
 * registered with the synth pipeline (integrations/plugins.ts), which read the finished tree.
 */
export class Lab extends Construct {
  static of(scope: IConstruct): Lab {
    return labOf(scope);
  }

  /** Whether `x` is a Lab (a symbol brand, like aws-cdk's `Stack.isStack`). */
  static isLab(x: unknown): x is Lab {
    return isLab(x);
  }

  readonly [LAB_BRAND] = true;

  /** The firewall's settings; undefined when the lab opted out (integrations apply it). */
  readonly firewall?: FirewallSettings;
  /** The default backup job's settings; undefined when the lab opted out. */
  readonly backupSettings?: BackupJobProps;

  readonly domain: string;
  readonly timezone: string;
  readonly sshPublicKeys: readonly string[];
  readonly proxmox: Required<ProxmoxApiSettings> & { readonly endpoint: string };
  readonly dataOwner: { readonly uid: number; readonly gid: number };
  readonly pinImageDigests: boolean;
  /** Where the stacks keep Terraform state. */
  readonly stateBackend: StateBackend;
  readonly secrets = new SecretCatalog();
  readonly vmIds: Pool<number>;
  /** Which node each container runs on (pinned, recorded or placed). */
  readonly placement: LabPlacement = new LabPlacement(this);
  /** Templates, bridges, pools: everything the service stacks need first. */
  readonly infra: LabStack;

  private readonly _stacks: LabStack[] = [];
  private readonly _nodes: ProxmoxNode[] = [];
  private readonly _networks: Network[] = [];
  private readonly _containers: LxcContainer[] = [];

  constructor(scope: Construct, id: string, props: LabProps) {
    super(scope, checkedId(scope, id));
    requireProps(this, 'Lab', props, ['domain', 'proxmox', 'sshPublicKeys']);
    requireProps(this, 'Lab\'s proxmox settings', props.proxmox, ['endpoint']);
    if (!Array.isArray(props.sshPublicKeys)) fail(this, 'sshPublicKeys must be a list of public keys', "write sshPublicKeys: ['ssh-ed25519 AAAA… operator@laptop']");
    this.domain = props.domain;
    this.timezone = (props.timezone === undefined ? Timezone.UTC : Timezone.from(props.timezone)).name;
    this.sshPublicKeys = [...props.sshPublicKeys];
    const settings = { ...props };
    addCheck(this, () => labSettingProblems(settings));
    this.proxmox = { auth: 'root-password', insecure: false, ...props.proxmox, endpoint: String(props.proxmox.endpoint) };
    if (typeof this.proxmox.insecure !== 'boolean') fail(this, `proxmox.insecure must be true or false, got ${JSON.stringify(this.proxmox.insecure)}`, "leave it out to verify the node's certificate");
    if (this.proxmox.insecure) addWarning(this, 'homelab:proxmox-insecure', 'proxmox.insecure is true: Terraform sends the root@pam password without checking whose certificate it talks to — trust the node\'s CA instead (docs/proxmox-preflight.md)');
    this.dataOwner = props.dataOwner ?? { uid: 1000, gid: 1000 };
    this.pinImageDigests = props.pinImageDigests ?? true;
    if (props.backend !== undefined && !(props.backend instanceof StateBackend)) fail(this, 'backend must be made with StateBackend.local(), .s3(...), .pg(...) or .http(...)', "e.g. backend: StateBackend.s3({ bucket: 'terraform-state', endpoint: 'https://minio.home.example.org:9000' })");
    this.stateBackend = props.backend ?? StateBackend.local();
    if (typeof this.pinImageDigests !== 'boolean') fail(this, `pinImageDigests must be true or false, got ${JSON.stringify(props.pinImageDigests)}`, 'leave it out to pin images by tag and digest');
    const start = props.vmIdStart ?? 200;
    const end = props.vmIdEnd ?? 999_999_999;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 100 || end < start) {
      fail(this, `vmIdStart must be an integer >= 100 (Proxmox reserves 0-99) and <= vmIdEnd, got ${JSON.stringify(start)}..${JSON.stringify(end)}`, 'leave vmIdStart and vmIdEnd out, or give integers with 100 <= vmIdStart <= vmIdEnd');
    }
    this.vmIds = new Pool<number>(this, 'VMID', function* () {
      for (let i = start; i <= end; i++) yield i;
    }, String);

    this.infra = new LabStack(this, 'infra', { description: 'Templates, bridges and pools the service stacks build on.' });

    // Safe defaults for every lab, not only Homelab: switching one off takes a reason and warns.
    const firewall = optedIn(this, 'firewall', props.firewall, 'homelab:firewall-off',
      'the Proxmox firewall is off: every port of every container is open to the LAN and to whatever the router forwards');
    this.firewall = firewall && { unreachablePorts: 'warn', ...firewall };
    this.backupSettings = optedIn(this, 'backups', props.backups, 'homelab:backups-off',
      'the lab has no default backup job: no container is backed up unless you declare a BackupJob');
    if (this.backupSettings) LabAspects.of(this).add(new DefaultBackupJobAspect(this), 'mutate');
  }

  /**
   * The lab's default nightly backup job (`<lab>/infra/nightly`), created on first call; undefined
   * when the lab opted out. Homelab calls it while it builds; other labs get it before validation
   * when they declare no BackupJob of their own.
   */
  defaultBackupJob(): BackupJob | undefined {
    if (!this.backupSettings) return undefined;
    const existing = this.infra.node.tryFindChild(DEFAULT_BACKUP_JOB_ID);
    if (existing instanceof BackupJob) return existing;
    return new BackupJob(this.infra, DEFAULT_BACKUP_JOB_ID, this.backupSettings);
  }

  registerStack(stack: LabStack): void {
    this._stacks.push(stack);
  }

  registerNode(node: ProxmoxNode): void {
    this._nodes.push(node);
  }

  registerNetwork(network: Network): void {
    this._networks.push(network);
  }

  registerContainer(container: LxcContainer): void {
    this._containers.push(container);
  }

  // The getters return copies: the lab's registries change only through its register methods.
  get stacks(): readonly LabStack[] {
    return [...this._stacks];
  }

  get nodes(): readonly ProxmoxNode[] {
    return [...this._nodes];
  }

  get networks(): readonly Network[] {
    return [...this._networks];
  }

  get containers(): readonly LxcContainer[] {
    return [...this._containers];
  }

  /** Service stacks (all but infra), in declaration order. */
  get serviceStacks(): readonly LabStack[] {
    return this._stacks.filter((s) => s !== this.infra);
  }

  /**
   * The first container (in declaration order) whose `key` equals `value`; containers use it to
   * report duplicates on themselves. Indexed once, after the tree is complete.
   */
  firstContainerWith(key: 'vmId' | 'hostname' | 'ipAddress', value: string | number): LxcContainer | undefined {
    let index = this.indexes.get(key);
    if (!index) {
      index = new Map();
      for (const c of this._containers) {
        const k = String(c[key]);
        if (!index.has(k)) index.set(k, c);
      }
      this.indexes.set(key, index);
    }
    return index.get(String(value));
  }

  private readonly indexes = new Map<string, Map<string, LxcContainer>>();

  /** The first container routing `subdomain` through SWAG (declaration order). */
  firstRouteWith(subdomain: string): LxcContainer | undefined {
    let index = this.indexes.get('route');
    if (!index) {
      index = new Map();
      for (const c of this._containers) {
        for (const ui of c.webUis) if (ui.access === 'routed' && !index.has(ui.subdomain)) index.set(ui.subdomain, c);
      }
      this.indexes.set('route', index);
    }
    return index.get(subdomain);
  }

  /** Records a soft problem on a construct of this lab (re-exported for catalog code). */
  warn(scope: IConstruct, id: string, message: string): void {
    addWarning(scope, id, message);
  }
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The lab-wide settings' problems, collected with the rest (STYLE §3, tier 2). */
function labSettingProblems(props: LabProps): { message: string; fix: string }[] {
  const out: { message: string; fix: string }[] = [];
  if (typeof props.domain !== 'string' || !DOMAIN.test(props.domain)) {
    const lower = typeof props.domain === 'string' ? props.domain.toLowerCase() : '';
    out.push({
      message: `domain must be a lowercase DNS name like 'home.example.org', got ${JSON.stringify(props.domain)}`,
      fix: DOMAIN.test(lower) ? `write it in lowercase: '${lower}'` : "give the lab's public DNS domain, e.g. 'home.example.org'",
    });
  }
  if (props.sshPublicKeys.length === 0) {
    out.push({ message: 'sshPublicKeys is empty', fix: "add the operator's public key so Ansible can reach the containers" });
  }
  props.sshPublicKeys.forEach((k, i) => {
    if (typeof k !== 'string' || k.trim() === '') {
      out.push({ message: `sshPublicKeys[${i}] is not a public key: ${JSON.stringify(k ?? null)}`, fix: 'paste one line of ~/.ssh/id_ed25519.pub (type, base64 key, comment)' });
    }
  });
  const timezoneProblem = props.timezone === undefined ? undefined : Timezone.from(props.timezone).problem;
  if (timezoneProblem) out.push(timezoneProblem);
  if (Url.from(props.proxmox.endpoint).problem) {
    out.push({ message: `proxmox.endpoint ${JSON.stringify(props.proxmox.endpoint instanceof Url ? props.proxmox.endpoint.toString() : props.proxmox.endpoint)} is not an http(s) URL`, fix: "give the API's URL, e.g. 'https://pve.home.example.org:8006/'" });
  }
  if (props.proxmox.auth !== undefined && props.proxmox.auth !== 'root-password' && props.proxmox.auth !== 'api-token') {
    out.push({ message: `proxmox.auth must be 'root-password' or 'api-token', got ${JSON.stringify(props.proxmox.auth)}`, fix: "leave it out to log in as root@pam with a password" });
  }
  const owner = props.dataOwner;
  if (owner !== undefined && !(owner && Number.isInteger(owner.uid) && Number.isInteger(owner.gid) && owner.uid >= 0 && owner.gid >= 0)) {
    out.push({ message: `dataOwner must be { uid, gid } with integers >= 0, got ${JSON.stringify(owner)}`, fix: 'give the uid/gid that owns the shared data, e.g. { uid: 1000, gid: 1000 }' });
  }
  return out;
}

/** The construct id of the default backup job: part of its Terraform address (STYLE §9). */
const DEFAULT_BACKUP_JOB_ID = 'nightly';

/**
 * The settings of a safe default, or undefined with a warning when the lab opts out with a reason.
 * A bare `false` (plain JavaScript, or a guess) is refused: opting out must say why.
 */
function optedIn<T extends object>(lab: Lab, what: 'firewall' | 'backups', given: T | OptOut | undefined, warning: string, consequence: string): T | undefined {
  if (given === undefined) return {} as T;
  if (isOptOut(given)) {
    if (typeof given.reason !== 'string' || given.reason.trim() === '') {
      fail(lab, `${what} is opted out without a reason`, `say why, e.g. ${what}: OptOut.because('<why this lab does without it>')`);
    }
    addWarning(lab, warning, `${consequence} (opted out: ${given.reason.trim()})`);
    return undefined;
  }
  if (typeof given !== 'object' || given === null) {
    fail(lab, `${what} must be settings or OptOut.because('<why>'), got ${JSON.stringify(given)}`, `leave ${what} out to keep the default, or write ${what}: OptOut.because('<why>') to switch it off`);
  }
  return given;
}

/**
 * Adds the default backup job to a lab that declares none and has a stateful container. Runs in
 * the mutate phase, once the tree is complete; it adds one BackupJob, which no other aspect reads.
 */
class DefaultBackupJobAspect {
  constructor(private readonly lab: Lab) {}

  visit(node: IConstruct): void {
    if (node !== this.lab) return;
    const declared = this.lab.node.findAll().some((c) => c instanceof BackupJob);
    if (!declared && this.lab.containers.some((c) => c.backup)) this.lab.defaultBackupJob();
  }
}
