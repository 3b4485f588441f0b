/**
 * Where the twin's port checks must come from. The model gives each container a Proxmox firewall
 * (input policy DROP, one ACCEPT rule per allowed flow), and hosts with a kill switch enforce the
 * same flows themselves. A probe from the twin's gateway would then be refused for the right reason
 * (found on qbittorrent: its kill switch rejects 10.10.10.1). So a port is probed from an address the
 * model allows: the gateway when the rules let it in (or the container has no firewall), otherwise
 * from inside a container the rules name (e.g. Prometheus for :9100). A port no LAN source may open
 * (qBittorrent's 6881, reachable through the VPN tunnel only) is not probed, and the report says so.
 *
 * Reads only the synthesized Terraform JSON, like a user's `terraform apply` does.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Address4 } from 'ip-address';

/** One rule of `proxmox_virtual_environment_firewall_rules`, as the Terraform JSON spells it. */
export interface FirewallRule {
  readonly type?: string;
  readonly action?: string;
  readonly proto?: string;
  readonly dport?: string;
  readonly sport?: string;
  readonly source?: string;
  readonly dest?: string;
  readonly macro?: string;
  /** `net0`...: the rule applies to that interface only. */
  readonly iface?: string;
  /** bpg's default is true. */
  readonly enabled?: boolean;
  readonly log?: string;
  readonly security_group?: string;
  readonly comment?: string;
}

/** An ipset entry: `nomatch` excludes the address (the most specific entry wins, as in ipset hash:net). */
export interface IpsetEntry {
  readonly cidr: string;
  readonly nomatch: boolean;
}

/** The firewall of one container, as the Terraform JSON declares it. */
export interface ContainerFirewall {
  readonly enabled: boolean;
  readonly inputPolicy: string;
  readonly rules: readonly FirewallRule[];
  /** ipset name → its CIDRs (nomatch entries left out). */
  readonly ipsets: ReadonlyMap<string, readonly string[]>;
  /** Output policy (Proxmox's default: ACCEPT). */
  readonly outputPolicy?: string;
  /** ipset name → every entry, nomatch ones included (firewall-nft.ts uses these when present). */
  readonly ipsetEntries?: ReadonlyMap<string, readonly IpsetEntry[]>;
  /** Alias name (lower case) → CIDR, the container's own aliases. */
  readonly aliases?: ReadonlyMap<string, string>;
  /** The options pve-firewall reads besides enable and the policies (undefined: Proxmox's default). */
  readonly dhcp?: boolean;
  readonly ndp?: boolean;
  readonly radv?: boolean;
  readonly macfilter?: boolean;
  readonly ipfilter?: boolean;
  /**
   * `firewall` of the container's network interfaces, by interface index (net0 = 0), from the
   * container resource: Proxmox filters an interface only when it is true.
   */
  readonly nicFirewall?: ReadonlyMap<number, boolean>;
}

/** The datacenter (cluster-wide) firewall: its switch and the cluster-level ipsets and aliases. */
export interface DatacenterFirewall {
  /** undefined: the synthesized output does not manage it. */
  readonly enabled?: boolean;
  readonly ipsetEntries: ReadonlyMap<string, readonly IpsetEntry[]>;
  readonly aliases: ReadonlyMap<string, string>;
}

type Resources = Record<string, Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

function stackResources(synthOut: string): Resources[] {
  const stacksDir = path.join(synthOut, 'stacks');
  const out: Resources[] = [];
  for (const stack of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : []) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    out.push((JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {}) as Resources);
  }
  return out;
}

/** Guest-level (container or VM) resources have one of these; node- and cluster-level ones none. */
const isClusterLevel = (r: Record<string, unknown>) => r.container_id === undefined && r.vm_id === undefined && r.node_name === undefined;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const ipsetEntriesOf = (s: any): IpsetEntry[] => (s.cidr ?? []).map((c: any) => ({ cidr: String(c.name), nomatch: c.nomatch === true }));

/** Reads every stack's firewall resources, keyed by container id (VMID). */
export function readFirewalls(synthOut: string): Map<number, ContainerFirewall> {
  type Entry = {
    enabled: boolean; inputPolicy: string; outputPolicy?: string; rules: FirewallRule[]; ipsets: Map<string, string[]>;
    ipsetEntries: Map<string, IpsetEntry[]>; aliases: Map<string, string>; nicFirewall?: Map<number, boolean>;
    dhcp?: boolean; ndp?: boolean; radv?: boolean; macfilter?: boolean; ipfilter?: boolean;
  };
  const byId = new Map<number, Entry>();
  const entry = (id: number) => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { enabled: false, inputPolicy: 'ACCEPT', rules: [], ipsets: new Map(), ipsetEntries: new Map(), aliases: new Map() }));
    return e;
  };
  const nics = new Map<number, Map<number, boolean>>();
  const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
  for (const res of stackResources(synthOut)) {
    for (const o of Object.values(res.proxmox_virtual_environment_firewall_options ?? {})) {
      if (typeof o.container_id !== 'number') continue;
      const e = entry(o.container_id);
      e.enabled = o.enabled === true;
      e.inputPolicy = String(o.input_policy ?? 'DROP');
      if (o.output_policy !== undefined) e.outputPolicy = String(o.output_policy);
      for (const k of ['dhcp', 'ndp', 'radv', 'macfilter', 'ipfilter'] as const) if (bool(o[k]) !== undefined) e[k] = bool(o[k]);
    }
    for (const s of Object.values(res.proxmox_virtual_environment_firewall_ipset ?? {})) {
      if (typeof s.container_id !== 'number') continue;
      const entries = ipsetEntriesOf(s);
      entry(s.container_id).ipsets.set(String(s.name), entries.filter((x) => !x.nomatch).map((x) => x.cidr));
      entry(s.container_id).ipsetEntries.set(String(s.name), entries);
    }
    for (const a of Object.values(res.proxmox_virtual_environment_firewall_alias ?? {})) {
      if (typeof a.container_id !== 'number') continue;
      entry(a.container_id).aliases.set(String(a.name).toLowerCase(), String(a.cidr));
    }
    for (const r of Object.values(res.proxmox_virtual_environment_firewall_rules ?? {})) {
      if (typeof r.container_id !== 'number') continue;
      entry(r.container_id).rules.push(...((r.rule ?? []) as FirewallRule[]));
    }
    for (const c of Object.values(res.proxmox_virtual_environment_container ?? {})) {
      if (typeof c.vm_id !== 'number') continue;
      const m = new Map<number, boolean>();
      (c.network_interface ?? []).forEach((n: { firewall?: unknown }, i: number) => m.set(i, n.firewall === true));
      nics.set(c.vm_id, m);
    }
  }
  for (const [id, e] of byId) if (nics.has(id)) e.nicFirewall = nics.get(id);
  return byId;
}

/** Reads the datacenter firewall: `proxmox_virtual_environment_cluster_firewall` and cluster-level ipsets and aliases. */
export function readDatacenterFirewall(synthOut: string): DatacenterFirewall {
  let enabled: boolean | undefined;
  const ipsetEntries = new Map<string, IpsetEntry[]>();
  const aliases = new Map<string, string>();
  for (const res of stackResources(synthOut)) {
    for (const o of Object.values(res.proxmox_virtual_environment_cluster_firewall ?? {})) enabled = o.enabled === true;
    for (const s of Object.values(res.proxmox_virtual_environment_firewall_ipset ?? {})) {
      if (isClusterLevel(s)) ipsetEntries.set(String(s.name), ipsetEntriesOf(s));
    }
    for (const a of Object.values(res.proxmox_virtual_environment_firewall_alias ?? {})) {
      if (isClusterLevel(a)) aliases.set(String(a.name).toLowerCase(), String(a.cidr));
    }
  }
  return { enabled, ipsetEntries, aliases };
}

/** Does a Proxmox `dport` ("80", "80,443", "8000:8100") include this port? */
export function dportIncludes(dport: string, port: number): boolean {
  return dport.split(',').some((part) => {
    const [lo, hi] = part.trim().split(':').map(Number);
    return hi === undefined ? lo === port : port >= lo && port <= hi;
  });
}

function inCidr(address: string, cidr: string): boolean {
  try {
    return new Address4(address).isInSubnet(new Address4(cidr.includes('/') ? cidr : `${cidr}/32`));
  } catch {
    return false;
  }
}

/** The probe's origin: the twin's gateway (the namespace itself), a container, or none allowed. */
export type ProbeSource = { kind: 'gateway' } | { kind: 'container'; address: string } | { kind: 'none' };

/**
 * Picks where to probe `port`/tcp of a container from. `candidates` are the addresses of containers
 * the twin runs (a source must be one of them to be used).
 */
export function probeSource(fw: ContainerFirewall | undefined, port: number, gateway: string, candidates: readonly string[]): ProbeSource {
  if (!fw || !fw.enabled || fw.inputPolicy === 'ACCEPT') return { kind: 'gateway' };
  const sources: string[] = [];
  for (const r of fw.rules) {
    if ((r.type ?? 'in') !== 'in' || r.action !== 'ACCEPT' || r.macro) continue;
    if (r.proto !== undefined && r.proto !== 'tcp') continue;
    if (r.dport === undefined || !dportIncludes(r.dport, port)) continue;
    const src = r.source ?? '0.0.0.0/0';
    if (src.startsWith('+')) sources.push(...(fw.ipsets.get(src.slice(1)) ?? []));
    else sources.push(...src.split(',').map((s) => s.trim()));
  }
  if (sources.some((s) => inCidr(gateway, s))) return { kind: 'gateway' };
  for (const c of candidates) if (sources.some((s) => inCidr(c, s))) return { kind: 'container', address: c };
  return { kind: 'none' };
}
