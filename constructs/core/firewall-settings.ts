/**
 * The lab's per-container Proxmox firewalls, derived from the model's connections
 * (integrations/firewall/proxmox-firewall.ts applies them; docs/vpn-and-firewall.md). On by default
 * for every Lab; these settings tune it.
 */
export interface FirewallSettings {
  /** Where SSH (Ansible) and ping may come from. @default - each container's own network */
  readonly managementSources?: readonly string[];
  /**
   * What a published port nobody may reach does to synth (the firewall keeps it closed either way):
   * 'error' fails it — Homelab's policy, where every catalog port is accounted for — and 'warn'
   * records a `homelab:unreachable-port` warning, so a hand-built lab synthesizes while it grows.
   * @default 'warn' (Homelab: 'error')
   */
  readonly unreachablePorts?: 'error' | 'warn';
  /** Log level of packets the default-deny policy drops ('nolog', 'info', ...). @default 'nolog' */
  readonly logLevelIn?: string;
  /**
   * Manage the datacenter (cluster-wide) firewall: turn it on, with input policy DROP, and open the
   * node's web UI (8006/tcp) and SSH (22/tcp) to the lab's networks and the VPN subnet. Proxmox
   * applies no guest firewall while the datacenter firewall is off, so `false` leaves every
   * container open and records a `homelab:datacenter-firewall-off` warning (docs/vpn-and-firewall.md).
   * @default true
   */
  readonly datacenterFirewall?: boolean;
}
