import { App } from '../lib/cdktf';
import { Homelab } from '../constructs/homelab';
import { Size, type ProxmoxNodeProps } from '../constructs/core';

/**
 * The reference services on a three-node cluster (README, "From one node to a cluster"):
 *
 * - every service is placed automatically (`placement: 'auto'`) by cores, RAM, GPU and datasets —
 *   Immich needs the GPU of pve1, the media services need the local /tank/data of pve1 and pve2;
 * - Immich's standby is anti-affine to Immich (the catalog puts both in the group 'immich'), so it
 *   lands on another node than the primary;
 * - four services run under Proxmox HA with their root disk on the Ceph pool every node reaches
 *   ('ceph-ct'); none of them bind-mounts node-local data, which HA refuses.
 *
 * Synth writes placement.json next to the output: commit it, and the next synth keeps every placed
 * service on its node.
 */

/** Storage every node reaches: the Ceph RBD pool for HA root disks. */
const SHARED = { sharedStorage: ['ceph-ct'] } as const;

export const CLUSTER_NODES: Record<'pve1' | 'pve2' | 'pve3', ProxmoxNodeProps> = {
  // The node with the iGPU and the big ZFS pool.
  pve1: { address: '10.10.10.2', cores: 8, memory: Size.mebibytes(32768), gpu: { renderDevice: '/dev/dri/renderD128', renderGid: 104 }, datasets: ['/tank/data'], storage: { rootfs: 'local-zfs' }, ...SHARED },
  pve2: { address: '10.10.10.3', cores: 8, memory: Size.mebibytes(32768), datasets: ['/tank/data'], storage: { rootfs: 'local-zfs' }, ...SHARED },
  // A small node without the media pool: only services without /tank/data fit here.
  pve3: { address: '10.10.10.4', cores: 4, memory: Size.mebibytes(16384), datasets: [], storage: { rootfs: 'local-zfs' }, ...SHARED },
};

/** HA on the shared Ceph pool. */
const HA = { ha: true, rootfsStorage: 'ceph-ct' } as const;

export function buildClusterLab(app: App): Homelab {
  const { pve1, ...extraNodes } = CLUSTER_NODES;
  return new Homelab(app, 'homelab', {
    node: { id: 'pve1', ...pve1 },
    extraNodes,
    placement: 'auto',
    security: { overrides: { vaultwarden: HA } },
    monitoring: { overrides: { grafana: HA, uptimeKuma: HA, ntfy: HA } },
  });
}

/** The app contract of `homelab-cdk synth --app examples/cluster-lab.ts`. */
export default function build(app: App): void {
  buildClusterLab(app);
}
