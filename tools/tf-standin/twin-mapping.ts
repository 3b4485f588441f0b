/**
 * Twin mode: a `proxmox_virtual_environment_container` object value, as terraform hands it to
 * ApplyResourceChange (decoded by cty.ts: nested blocks are lists of objects, unset attributes null,
 * the resource's own computed attributes still unknown), mapped onto the twin's {@link ContainerSpec},
 * plus the checks real Proxmox (or the real provider) would fail the apply on.
 *
 * Defaults are the ones the real provider plans (bpg/terraform-provider-proxmox,
 * proxmoxtf/resource/container/container.go, the `dv*` constants and the blocks' `DefaultFunc`s): the
 * schema JSON the stand-in serves carries no defaults, so an attribute the config leaves out arrives
 * here as null, where the real provider would have planned — and sent to Proxmox — its default.
 */
import type { ContainerSpec, MountSpec } from '../twin/spec';
import { CtyValue, isObject, isUnknown } from './cty';

export const CONTAINER_TYPE = 'proxmox_virtual_environment_container';

/** bpg `dv*` defaults used below (container.go, v0.111.1). */
export const PROVIDER_DEFAULTS = {
  /** dvUnprivileged = false: a container is privileged unless the config says otherwise. */
  unprivileged: false,
  /** dvStarted = true. */
  started: true,
  /** The `memory` block's DefaultFunc and attribute defaults: dvMemoryDedicated = 512, dvMemorySwap = 0. */
  memoryMiB: 512,
  swapMiB: 0,
  /** The `cpu` block's DefaultFunc: dvCPUCores = 1. */
  cores: 1,
  /** dvFeaturesNesting = false, dvFeaturesKeyControl = false. */
  nesting: false,
  keyctl: false,
  /** dvNetworkInterfaceBridge = "vmbr0". */
  bridge: 'vmbr0',
  /** dvMountPointReadOnly = false. */
  readOnly: false,
} as const;

/** The value cannot become a ContainerSpec at all (the twin could not even name the container). */
export class TwinMappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TwinMappingError';
  }
}

// ---- reading cty values: unknown and null both read as "not set" ----

function firstBlock(value: CtyValue | undefined): Record<string, CtyValue> | undefined {
  const e = Array.isArray(value) ? value[0] : value;
  return isObject(e) ? e : undefined;
}

function blocks(value: CtyValue | undefined): Record<string, CtyValue>[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function str(value: CtyValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: CtyValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return undefined;
}

function bool(value: CtyValue | undefined): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function strings(value: CtyValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A non-empty string: the provider's string defaults are "", which it treats as "don't send". */
function nonEmpty(value: CtyValue | undefined): string | undefined {
  const s = str(value);
  return s === undefined || s === '' ? undefined : s;
}

function macAddress(value: CtyValue | undefined): string | undefined {
  const s = str(value);
  return s !== undefined && /^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$/.test(s) ? s : undefined;
}

/**
 * `vm_id` of a container value, or undefined when it is not known (left to Proxmox's next free id).
 * Used by destroy, which needs nothing else.
 */
export function vmIdOf(value: CtyValue): number | undefined {
  return isObject(value) ? num(value.vm_id) : undefined;
}

/**
 * Maps a planned (or prior) container object onto the twin's spec, applying the real provider's
 * defaults. Throws {@link TwinMappingError} only when `vm_id` is not known: the real provider then asks
 * Proxmox for the next free id (`GET /cluster/nextid`), which the twin does not model — every container
 * this project synthesizes sets it.
 */
export function containerSpecFromState(value: CtyValue): ContainerSpec {
  if (!isObject(value)) throw new TwinMappingError('the container has no value to build from');
  const vmId = num(value.vm_id);
  if (vmId === undefined) {
    throw new TwinMappingError(
      `vm_id is ${isUnknown(value.vm_id) ? 'not known until apply' : 'not set'}: the real provider would take Proxmox's next free id ` +
        '(GET /cluster/nextid), which the twin does not model — set vm_id explicitly',
    );
  }

  const init = firstBlock(value.initialization);
  const memory = firstBlock(value.memory);
  const cpu = firstBlock(value.cpu);
  const features = firstBlock(value.features);
  const nic = firstBlock(value.network_interface);
  // ip_config[i] belongs to network_interface[i] (the provider writes it into net<i>'s ip=/gw=).
  const ipv4 = firstBlock(firstBlock(init?.ip_config)?.ipv4);
  const dns = firstBlock(init?.dns);
  const user = firstBlock(init?.user_account);

  // `servers` replaced the deprecated single `server`; the provider sends `servers` when it has any.
  const servers = strings(dns?.servers);
  const legacyServer = nonEmpty(dns?.server);

  const mounts: MountSpec[] = blocks(value.mount_point).map((mp) => {
    const source = str(mp.volume) ?? '';
    return {
      source,
      target: str(mp.path) ?? '',
      readOnly: bool(mp.read_only) ?? PROVIDER_DEFAULTS.readOnly,
      // Proxmox's mp<n> volume: an absolute path is a bind mount of a node directory (or a device);
      // anything else is a storage volume, e.g. `local-lvm:8` (allocate 8 GiB) or `local-lvm:vm-127-disk-1`.
      bind: source.startsWith('/'),
    };
  });

  return {
    vmId,
    // PVE::API2::LXC create: `$conf->{hostname} ||= "CT$vmid"` — no hostname is not an error.
    hostname: nonEmpty(init?.hostname) ?? `CT${vmId}`,
    unprivileged: bool(value.unprivileged) ?? PROVIDER_DEFAULTS.unprivileged,
    memoryMiB: num(memory?.dedicated) ?? PROVIDER_DEFAULTS.memoryMiB,
    swapMiB: num(memory?.swap) ?? PROVIDER_DEFAULTS.swapMiB,
    cores: num(cpu?.cores) ?? PROVIDER_DEFAULTS.cores,
    nesting: bool(features?.nesting) ?? PROVIDER_DEFAULTS.nesting,
    keyctl: bool(features?.keyctl) ?? PROVIDER_DEFAULTS.keyctl,
    network: nic
      ? {
          bridge: nonEmpty(nic.bridge) ?? PROVIDER_DEFAULTS.bridge,
          name: str(nic.name) ?? '',
          ipv4Address: nonEmpty(ipv4?.address),
          ipv4Gateway: nonEmpty(ipv4?.gateway),
          // Computed: unknown on create unless the config sets it (Proxmox then picks one). After a
          // create the stand-in's state holds a placeholder (`standin-mac_address-…`), not a MAC: dropped.
          macAddress: macAddress(nic.mac_address),
        }
      : undefined,
    dns: dns
      ? { domain: nonEmpty(dns.domain), servers: servers.length > 0 ? servers : legacyServer ? [legacyServer] : [] }
      : undefined,
    sshKeys: strings(user?.keys),
    mounts,
    devices: blocks(value.device_passthrough)
      .map((d) => str(d.path))
      .filter((p): p is string => p !== undefined),
    // dvStarted = true. (A `template = true` container is never started; the twin makes no templates.)
    started: bool(value.started) ?? PROVIDER_DEFAULTS.started,
  };
}

// ---- what real Proxmox would refuse ----

/** PVE::JSONSchema `dns-name` (pve_verify_dns_name). */
const DNS_NAME = /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function isCidrV4(s: string): boolean {
  // PVE::JSONSchema pve_verify_cidrv4: an IPv4 address and a prefix length of 8..32.
  const m = /^(.+)\/(\d+)$/.exec(s);
  return !!m && IPV4.test(m[1]!) && Number(m[2]) > 7 && Number(m[2]) <= 32;
}

/**
 * Errors the real apply would end with for this spec, in Proxmox's own words where it has them (its
 * API answers `400 Parameter verification failed.` with `<param>: <message>`). Empty when the twin may
 * go ahead. The real provider catches the vm_id range already when validating the config; the twin
 * reports it at apply, where the stand-in first looks.
 */
export function validateForTwin(spec: ContainerSpec): string[] {
  const errors: string[] = [];
  // PVE `pve-vmid` format: /^[1-9][0-9]{2,8}$/ → "value does not look like a valid VM ID"; bpg's
  // VMIDValidator refuses the same range (100..999999999).
  if (!Number.isInteger(spec.vmId) || spec.vmId < 100 || spec.vmId > 999_999_999) {
    errors.push(`vmid: value does not look like a valid VM ID (got ${spec.vmId}; Proxmox accepts 100..999999999)`);
  }
  // PVE::LXC::Config `hostname`: format 'dns-name', maxLength 255.
  if (spec.hostname.length > 255) {
    errors.push(`hostname: value may only be 255 characters long (got ${spec.hostname.length})`);
  } else if (!DNS_NAME.test(spec.hostname)) {
    errors.push(`hostname: invalid format - value does not look like a valid DNS name (got ${JSON.stringify(spec.hostname)})`);
  }
  // net0 `ip`: format 'pve-ipv4-config' = dhcp | manual | IPv4 CIDR; `gw`: format 'ipv4'.
  const address = spec.network?.ipv4Address;
  if (address !== undefined && address !== 'dhcp' && address !== 'manual' && !isCidrV4(address)) {
    errors.push(`net0: ip: value does not look like a valid ipv4 network configuration (got ${JSON.stringify(address)})`);
  }
  const gateway = spec.network?.ipv4Gateway;
  if (gateway !== undefined && !IPV4.test(gateway)) {
    errors.push(`net0: gw: value does not look like a valid IPv4 address (got ${JSON.stringify(gateway)})`);
  }
  return errors;
}

/** How diagnostics name a container: `autobrr (vm_id 127)`. */
export function describeContainer(spec: Pick<ContainerSpec, 'hostname' | 'vmId'>): string {
  return `${spec.hostname} (vm_id ${spec.vmId})`;
}
