/**
 * Which changes force the real bpg/proxmox 0.111.1 provider to destroy and recreate a resource.
 *
 * The schema file cannot tell (ForceNew / RequiresReplace live in the provider's Go code), so this is
 * a hand-kept table, read off the provider's source at tag v0.111.1 for the resources this project
 * emits. It is deliberately small and explicit: a path missing here makes the stand-in plan an
 * in-place update where the real provider would replace (see docs/terraform-standin.md).
 *
 * Path syntax: dot-separated attribute/block names; `*` steps into every element of a list block
 * (elements are paired by index, as the SDK does); a final `#` means "the number of blocks changed"
 * (an SDKv2 ForceNew list block forces replacement when blocks are added or removed).
 */
export const REPLACE_RULES: Readonly<Record<string, readonly string[]>> = {
  proxmox_virtual_environment_container: [
    'node_name',
    'vm_id',
    'unprivileged',
    'pool_id',
    'template',
    'clone.#',
    'clone.*.datastore_id',
    'clone.*.node_name',
    'clone.*.full',
    'clone.*.vm_id',
    'disk.*.datastore_id',
    'initialization.*.user_account.#',
    'initialization.*.user_account.*.keys',
    'initialization.*.user_account.*.password',
    'mount_point.#',
    'mount_point.*.volume',
    'mount_point.*.size',
    'operating_system.#',
    'operating_system.*.template_file_id',
  ],
  proxmox_download_file: [
    'node_name',
    'datastore_id',
    'content_type',
    'file_name',
    'url',
    'checksum',
    'checksum_algorithm',
    'decompression_algorithm',
  ],
  proxmox_virtual_environment_file: [
    'node_name',
    'datastore_id',
    'content_type',
    'file_mode',
    'source_file.#',
    'source_file.*.path',
    'source_file.*.file_name',
    'source_file.*.checksum',
    'source_file.*.changed',
    'source_file.*.insecure',
    'source_file.*.min_tls',
    'source_raw.#',
    'source_raw.*.data',
    'source_raw.*.file_name',
    'source_raw.*.resize',
  ],
  // Only `name`: in 0.111.1 a changed node_name on a bridge/VLAN is planned as an in-place update.
  proxmox_network_linux_bridge: ['name'],
  proxmox_network_linux_vlan: ['name'],
  proxmox_virtual_environment_pool: ['pool_id'],
  proxmox_virtual_environment_firewall_ipset: ['cidr.#', 'cidr.*.name', 'cidr.*.nomatch', 'cidr.*.comment'],
  proxmox_backup_job: ['id'],
  // HA (plugin-framework resources, fwprovider/cluster/ha/ at v0.111.1, commit b22fe919): a rule's
  // `rule` and `type` carry stringplanmodifier.RequiresReplace (resource_harule.go); its resources,
  // nodes, strict, affinity, comment and disable are updated in place (PUT on the rule).
  proxmox_virtual_environment_harule: ['rule', 'type'],
  // resource_haresource.go has no RequiresReplace and no ModifyPlan at all: even a changed
  // resource_id (a new VMID) is planned as an in-place update — which the provider then sends to the
  // HA resource of the OLD id in its state. Listed empty on purpose, so it reads as checked, not missed.
  proxmox_virtual_environment_haresource: [],
};
