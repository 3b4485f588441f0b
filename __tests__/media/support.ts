import { App } from '../../lib/cdktf';
import { Lab, Network, ProxmoxNode, Size, Volume } from '../../constructs/core';
import { MediaStack, MediaStackProps } from '../../constructs/media/media-stack';
import { SSH_KEY, SynthesizedLab } from '../support/lab';

export { SSH_KEY, synthHomelab } from '../support/lab';
export type { RefLab as MediaLab } from '../support/lab';

/**
 * A lab with two nodes: `pve` (with the iGPU) and `pve2` (without one), the reference LAN and the
 * shared data volume, and only a media stack. Homelab builds its node itself, so moving a service
 * to another node needs a lab built by hand.
 */
export function buildTwoNodeLab(app: App, overrides: (nodes: { pve: ProxmoxNode; pve2: ProxmoxNode }) => MediaStackProps['overrides']) {
  const lab = new Lab(app, 'homelab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve.home.example.org:8006/' }, sshPublicKeys: [SSH_KEY] });
  const pve = new ProxmoxNode(lab.infra, 'pve', { address: '10.10.10.2', cores: 16, memory: Size.mebibytes(65536), gpu: {} });
  const pve2 = new ProxmoxNode(lab.infra, 'pve2', { address: '10.10.10.3', cores: 8, memory: Size.mebibytes(32768) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.10.0/24', gateway: '10.10.10.1' });
  const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data', subdirectories: ['torrents/tv', 'media/tv'] });
  const media = new MediaStack(lab, 'media', { node: pve, network: lan, data, overrides: overrides({ pve, pve2 }) });
  return { lab, pve, pve2, media };
}

/** Terraform containers of a stack, keyed by construct path. */
export function containersByPath(out: SynthesizedLab, stack: string): Map<string, any> {
  const all = out.resources(stack, 'proxmox_virtual_environment_container');
  return new Map(Object.values(all).map((r: any) => [r['//'].metadata.path as string, r]));
}

/** Inventory host names of a group. */
export function groupHosts(out: SynthesizedLab, group: string): string[] {
  const inv = out.yaml('ansible/inventory/hosts.yml');
  return Object.keys(inv.all.children[group]?.hosts ?? {}).sort();
}
