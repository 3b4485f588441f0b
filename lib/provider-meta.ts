/** The provider interface this project is built against (see .gen/ and scripts/generate-bindings.ts). */
export const PROVIDER_SOURCE = 'registry.terraform.io/bpg/proxmox';
export const PROVIDER_VERSION = '0.111.1';

/** Resources we generate L1 bindings for; keep in step with what constructs/ emits. */
export const USED_RESOURCES: readonly string[] = [
  'proxmox_backup_job',
  'proxmox_download_file',
  'proxmox_haresource',
  'proxmox_network_linux_bridge',
  'proxmox_network_linux_vlan',
  'proxmox_virtual_environment_cluster_firewall',
  'proxmox_virtual_environment_container',
  'proxmox_virtual_environment_file',
  'proxmox_virtual_environment_firewall_alias',
  'proxmox_virtual_environment_firewall_ipset',
  'proxmox_virtual_environment_firewall_options',
  'proxmox_virtual_environment_firewall_rules',
  'proxmox_virtual_environment_haresource',
  'proxmox_virtual_environment_harule',
  'proxmox_virtual_environment_pool',
];
