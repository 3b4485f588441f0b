import { Construct } from 'constructs';
import { checkPropTypes } from '../lib/prop-types';
import { Size } from './core/values';
import {
  AUTO_PLACEMENT, BackupJob, BackupJobProps, NodeChoice, FirewallSettings, isOptOut, Lab, LabProps, Network, NetworkProps, OptOut, ProxmoxNode, ProxmoxNodeProps, Volume,
} from './core';
import { fail } from '../lib/problems';
import { BusinessStack, BusinessStackProps } from './business/business-stack';
import { IMMICH_SYNC_HEARTBEAT_METRIC } from './business/immich-backup';
import { AlertRule } from './monitoring/alert-rule';
import { MediaStack, MediaStackProps } from './media/media-stack';
import { MonitoringStack, MonitoringStackProps } from './monitoring/monitoring-stack';
import { SecurityStack, SecurityStackProps } from './security/security-stack';

type StackOptions<P> = Omit<P, 'node' | 'network' | 'data'>;

export interface HomelabProps extends Partial<Omit<LabProps, 'backups' | 'firewall'>> {
  /** The Proxmox node. @default - 'pve' at 10.10.10.2 with 16 cores, 64 GiB RAM and an Intel iGPU */
  readonly node?: ProxmoxNodeProps & { readonly id?: string };
  /**
   * More Proxmox nodes, by construct id (`<lab>/infra/<id>`). Services move onto one with an
   * override naming it: `media: { overrides: { radarr: { node: 'pve2' } } }`. A node that hosts a
   * service mounting the shared data needs the dataset too (`datasets: ['/tank/data']`).
   * @default {}
   */
  readonly extraNodes?: Readonly<Record<string, ProxmoxNodeProps>>;
  /**
   * Where the services run: `'node'` puts every service on `node` unless its override names another;
   * `'auto'` places each one over all nodes by cores, RAM, GPU, datasets and anti-affinity (README,
   * "From one node to a cluster"), recorded in placement.json. @default 'node'
   */
  readonly placement?: 'node' | 'auto';
  /** The services LAN. @default - 10.10.10.0/24 on vmbr0, gateway 10.10.10.1 */
  readonly lan?: NetworkProps;
  /** Host directory of the shared data (media, torrents, backups). @default '/tank/data' */
  readonly dataPath?: string;
  /** @default {} */
  readonly media?: StackOptions<MediaStackProps>;
  /** @default {} */
  readonly monitoring?: StackOptions<MonitoringStackProps>;
  /** @default {} */
  readonly security?: StackOptions<SecurityStackProps>;
  /** @default {} */
  readonly business?: StackOptions<BusinessStackProps>;
  /**
   * The nightly vzdump job of the stateful containers (docs/backups.md: storage and sizing), or
   * `OptOut.because('<why>')` (warned, `homelab:backups-off`).
   * @default - 02:30 to the Proxmox Backup Server storage 'pbs', keep 7 daily, 4 weekly, 6 monthly
   */
  readonly backups?: BackupJobProps | OptOut;
  /**
   * Per-container Proxmox firewalls derived from the model's connections (docs/vpn-and-firewall.md),
   * or `OptOut.because('<why>')` (warned, `homelab:firewall-off`). @default {}
   */
  readonly firewall?: FirewallSettings | OptOut;
}

/**
 * The reference homelab (../shared/reference/homelab-services-overview.md): one node, one LAN, the
 * shared /data dataset, and the media, monitoring, security and business stacks — 28 containers.
 * Every default is an example value; override what differs in your lab.
 */
export class Homelab extends Lab {
  readonly pve: ProxmoxNode;
  /** The extraNodes, by id. */
  readonly extraNodes: Readonly<Record<string, ProxmoxNode>>;
  readonly lan: Network;
  readonly data: Volume;
  readonly media: MediaStack;
  readonly monitoring: MonitoringStack;
  readonly security: SecurityStack;
  readonly business: BusinessStack;
  /** The nightly backup job; undefined when the lab opted out. */
  readonly backups?: BackupJob;

  constructor(scope: Construct, id: string, props: HomelabProps = {}) {
    super(scope, id, {
      domain: props.domain ?? 'home.example.org',
      timezone: props.timezone ?? 'Europe/Berlin',
      proxmox: props.proxmox ?? { endpoint: 'https://pve.home.example.org:8006/' },
      sshPublicKeys: props.sshPublicKeys ?? ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkExampleKeyReplaceMe operator@example'],
      vmIdStart: props.vmIdStart,
      vmIdEnd: props.vmIdEnd,
      dataOwner: props.dataOwner,
      pinImageDigests: props.pinImageDigests,
      // Not 'local' (the node's root disk): a PBS datastore deduplicates the nightly archives.
      backups: isOptOut(props.backups) ? props.backups : { storage: { kind: 'pbs', id: 'pbs' }, ...props.backups },
      // Strict: every port of the catalog has a declared flow, so an unreachable one is a mistake.
      firewall: isOptOut(props.firewall) ? props.firewall : { unreachablePorts: 'error', ...props.firewall },
    });
    props = checkPropTypes(this, 'Homelab', props, {
      node: 'object', extraNodes: 'object', lan: 'object', dataPath: 'string', media: 'object', monitoring: 'object', security: 'object', business: 'object',
      // A BackupJob's or the firewall's props, or OptOut.because(...): an object either way.
      backups: 'object', firewall: 'object',
    });
    const { id: nodeId, ...nodeProps } = props.node ?? {
      id: 'pve',
      address: '10.10.10.2',
      cores: 16,
      memory: Size.gibibytes(64),
      gpu: { renderDevice: '/dev/dri/renderD128', renderGid: 104 },
      datasets: [props.dataPath ?? '/tank/data'],
    };
    this.pve = new ProxmoxNode(this.infra, nodeId ?? 'pve', nodeProps);
    const extra: Record<string, ProxmoxNode> = {};
    for (const [id, p] of Object.entries(props.extraNodes ?? {})) extra[id] = new ProxmoxNode(this.infra, id, p);
    this.extraNodes = extra;
    this.lan = new Network(this.infra, 'lan', props.lan ?? { bridge: 'vmbr0', cidr: '10.10.10.0/24', gateway: '10.10.10.1', dnsServers: ['10.10.10.1'] });
    this.data = Volume.bindMount(this.infra, 'data', {
      hostPath: props.dataPath ?? '/tank/data',
      subdirectories: ['torrents/movies', 'torrents/music', 'torrents/tv', 'media/movies', 'media/music', 'media/tv', 'backups'],
    });
    // Created here, not before validation as in a plain Lab, so `homelab.backups` is there at once.
    this.backups = this.defaultBackupJob();
    if (props.placement !== undefined && props.placement !== 'node' && props.placement !== 'auto') {
      fail(this, `placement must be 'node' or 'auto', got ${JSON.stringify(props.placement)}`, "leave it out to put every service on the node, or write placement: 'auto'");
    }
    const node: NodeChoice = props.placement === 'auto' ? AUTO_PLACEMENT : this.pve;
    const placement = { node, network: this.lan, data: this.data };
    this.media = new MediaStack(this, 'media', { ...placement, ...props.media });
    this.monitoring = new MonitoringStack(this, 'monitoring', { ...placement, ...props.monitoring });
    this.security = new SecurityStack(this, 'security', { ...placement, ...props.security });
    this.business = new BusinessStack(this, 'business', { ...placement, ...props.business });
    // The nightly jobs report success to node_exporter's textfile collector; a stale heartbeat alerts.
    const sync = this.business.googleDriveSync;
    if (sync) AlertRule.heartbeatMissed(sync, 'HeartbeatAlert', { alert: 'GoogleDriveSyncHeartbeatMissed', metric: sync.heartbeatMetric, maxAge: '26h', what: 'The Google Drive sync (rclone)' });
    const standby = this.business.immichBackup;
    if (standby) AlertRule.heartbeatMissed(standby, 'HeartbeatAlert', { alert: 'ImmichBackupHeartbeatMissed', metric: IMMICH_SYNC_HEARTBEAT_METRIC, maxAge: '26h', what: 'The Immich backup library sync' });
  }
}
