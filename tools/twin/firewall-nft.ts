/**
 * The twin's Proxmox firewall: the per-container firewall resources of the synthesized Terraform JSON
 * (read by probe-sources.ts) translated to one nftables ruleset that filters each container's
 * host-side veth the way pve-firewall filters a guest's interface. One job: resources in, ruleset
 * text out, plus `decide()`, the same semantics evaluated in TypeScript for one packet (what the
 * unit tests and the twin's expectations use; the live test checks that nft agrees with it).
 *
 * Semantics (pve-firewall, src/PVE/Firewall.pm of proxmox/pve-firewall, read at commit 6f1311f3):
 * - PVEFW-FORWARD first drops conntrack INVALID and accepts RELATED,ESTABLISHED
 *   (`ruleset_chain_add_conn_filters`), before any guest chain.
 * - A guest interface is filtered when the datacenter firewall is on, the guest's firewall option
 *   `enable` is 1 and the interface has `firewall=1`; otherwise it is left alone (here: no rule at
 *   all; Proxmox would still drop INVALID packets in PVEFW-FORWARD).
 * - Traffic from a guest runs its OUT chain, then traffic to a guest its IN chain
 *   (`generate_tap_rules_direction`): an OUT ACCEPT only sets a mark and lets the packet go on to
 *   the destination's IN chain; DROP and REJECT are final.
 * - A chain is: DHCP allowed (unless the `dhcp` option is 0; IN udp 67→68, OUT 68→67, DHCPv6
 *   547→546 / 546→547), on OUT router advertisements dropped unless `radv`, NDP allowed unless
 *   `ndp` is 0 (`ruleset_create_vm_chain`, `ruleset_chain_add_ndp`); then the rules of that
 *   direction in order, first match wins, skipping disabled rules and rules for another `iface`
 *   (`ruleset_generate_vm_rules`); then the policy (`ruleset_add_chain_policy`): ACCEPT; DROP =
 *   PVEFW-Drop then DROP; REJECT = PVEFW-Reject then PVEFW-reject. Defaults: policy_in DROP,
 *   policy_out ACCEPT.
 * - IN chains sit behind FWBR-IN's smurf filter: new packets from 224.0.0.0/4 or 255.255.255.255
 *   are dropped (`PVEFW-smurfs`; the "broadcast source" of `addrtype` is only approximated by
 *   255.255.255.255).
 * - PVEFW-Drop / PVEFW-Reject ($pve_std_chains_conf): broadcast/multicast destinations dropped,
 *   ICMP fragmentation-needed and time-exceeded accepted (ICMPv6 destination-unreachable,
 *   time-exceeded, packet-too-big; tcp/43 rejected for IPv6), SMB ports dropped (Drop) or rejected
 *   (Reject), UPnP 1900/udp dropped, new TCP without SYN dropped, DNS replies (udp sport 53)
 *   dropped. PVEFW-reject: broadcast destinations, multicast sources and ICMP are dropped, TCP gets
 *   a reset, UDP icmp port-unreachable, anything else icmp host-prohibited (ICMPv6: port-unreachable
 *   / admin-prohibited).
 * - Rule fields: `proto` (name or number), `dport`/`sport` ("22", "80,443", "8000:8100"; ICMP
 *   types in `dport` for icmp/icmpv6), `source`/`dest` as addresses, CIDRs, comma lists, ranges
 *   "a-b", `+ipset` / `+guest/name` / `+dc/name` (guest first, then datacenter, like
 *   `ipt_gen_src_or_dst_match`), aliases `name` / `guest/name` / `dc/name`; `macro` expanded like
 *   `$apply_macro` (the rule's own fields fill the macro's PARAMs; the IPv6 variant of Ping is
 *   icmpv6 echo-request). ipset `nomatch` entries: the most specific entry wins (ipset hash:net).
 * Not implemented (reported in `notes` when a firewall asks for them): MAC filter and IP filter
 * (anti-spoofing, `macfilter`/`ipfilter`), security groups, IPS, logging, port names from
 * /etc/services, address-type "broadcast" beyond 255.255.255.255 and link-layer broadcast.
 * Unknown macros, unknown ICMP types and unsupported fields throw.
 *
 * Why two tables, `table bridge homelab_twin_fw` and `table inet homelab_twin_fw` (measured on this
 * machine: Linux 6.18, nftables 1.0.6, Debian 12):
 * - The bridge family sees which veth a frame comes in on and goes out of, for bridged frames and
 *   for frames the namespace itself sends (its gateway address, routed traffic), so it is where the
 *   per-interface chains belong. But this kernel has CONFIG_NF_CONNTRACK_BRIDGE unset and
 *   CONFIG_NFT_BRIDGE_REJECT unset: a bridge-family `ct state` rule fails to load ("Protocol
 *   error") and so does `reject` ("No such file or directory").
 * - br_netfilter is built in (CONFIG_BRIDGE_NETFILTER=y) and a new namespace starts with
 *   net.bridge.bridge-nf-call-iptables = 1 (and -ip6tables): bridged IP packets run through the
 *   inet hooks, where conntrack and `reject` work — pve-firewall relies on the same
 *   (`enable_bridge_firewall`). But there the interfaces are the bridge (`oifname "vmbr0"`, measured),
 *   not the veth, and frames the namespace sends into the bridge never pass an inet hook after
 *   the bridge has chosen their port.
 * So the inet table writes the conntrack state into three bits of the packet mark (prerouting,
 * after conntrack, for everything that enters — bridged packets included through br_netfilter;
 * output, for what the namespace sends), the bridge table decides per veth with those bits, and a
 * REJECT decided in the bridge is carried out by the inet table's forward/input hooks (which run
 * after the bridge's forward/input chains for the same packet). A packet the bridge table sees
 * without the "tracked" bit (br_netfilter off) is dropped and counted: the firewall fails closed.
 * Deviation: a REJECT of a packet the namespace itself sends (gateway → container, or routed in
 * from another namespace) can only be dropped — no inet hook follows the bridge's output hook.
 */
import { Address4, Address6 } from 'ip-address';
import { ContainerFirewall, DatacenterFirewall, FirewallRule, IpsetEntry } from './probe-sources';

export const TABLE = 'homelab_twin_fw';

/** Bits of the packet mark the two tables share (the rest of the mark is left alone). */
export const MARK = { tracked: 0x10000, established: 0x20000, invalid: 0x40000, reject: 0x80000, mask: 0xf0000 } as const;

/** The sysctls of the bridge's namespace the ruleset needs (the default in a new namespace here). */
export const REQUIRED_SYSCTLS: Readonly<Record<string, string>> = {
  'net.bridge.bridge-nf-call-iptables': '1',
  'net.bridge.bridge-nf-call-ip6tables': '1',
};

/** The host-side veth of a container's interface netN: Proxmox's name, which the twin's lxc.ts uses too. */
export function vethName(vmId: number, net = 0): string {
  return `veth${vmId}i${net}`;
}

export type Family = 4 | 6;
export type Verdict = 'accept' | 'continue' | 'drop' | 'reject';

interface Range {
  readonly lo: bigint;
  readonly hi: bigint;
}

interface PortRange {
  readonly lo: number;
  readonly hi: number;
}

/** What one translated rule matches; every field present must match. */
export interface Match {
  readonly family?: Family;
  /** Normalized: 'tcp', 'udp', 'icmp', 'icmpv6', another name, or a number as a string. */
  readonly proto?: string;
  readonly dport?: readonly PortRange[];
  readonly sport?: readonly PortRange[];
  readonly icmp?: { readonly type: number; readonly code?: number; readonly name: string };
  readonly saddr?: { readonly ranges: readonly Range[]; readonly label: string };
  readonly daddr?: { readonly ranges: readonly Range[]; readonly label: string };
  /** Link-layer broadcast or multicast frames (PVEFW-DropBroadcast's addrtype, approximated). */
  readonly linkBroadcast?: true;
  /** A TCP packet of a new connection without SYN (or with FIN/RST/ACK). */
  readonly tcpNotSyn?: true;
}

export interface TranslatedRule {
  readonly match: Match;
  readonly verdict: Verdict;
  readonly comment: string;
}

export interface PortStatus {
  readonly vmId: number;
  readonly iface: string;
  readonly filtered: boolean;
  /** Why the port is (not) filtered. */
  readonly reason: string;
}

export interface TwinFirewall {
  /** The ruleset for `nft -f` (replaces both tables atomically). */
  readonly text: string;
  readonly ports: readonly PortStatus[];
  /** iface → its chains (filtered ports only). */
  readonly chains: ReadonlyMap<string, { readonly in: readonly TranslatedRule[]; readonly out: readonly TranslatedRule[] }>;
  /** Options or fields the translation does not enforce, per container. */
  readonly notes: readonly string[];
}

export interface TranslateInput {
  /** From readFirewalls(synthOut). */
  readonly firewalls: ReadonlyMap<number, ContainerFirewall>;
  /** From readDatacenterFirewall(synthOut); without it the datacenter firewall counts as on. */
  readonly datacenter?: DatacenterFirewall;
  /** VMID → host-side veth of the container (net0, or netN when the name ends in iN). */
  readonly ports: ReadonlyMap<number, string>;
}

/** The ruleset text that removes both tables (and succeeds when they do not exist). */
export function deleteRulesetText(): string {
  return `table bridge ${TABLE}\ndelete table bridge ${TABLE}\ntable inet ${TABLE}\ndelete table inet ${TABLE}\n`;
}

// ---------------------------------------------------------------------------------------------
// Macros: pve-firewall's $pve_fw_macros (IPv4 and both) and $pve_ipv6fw_macros (IPv6 overrides),
// src/PVE/Firewall.pm. Only the entries below; any other macro name throws.
type MacroEntry = { proto: string; dport?: string; sport?: string };
const MACROS: Record<string, { v4: MacroEntry[]; v6?: MacroEntry[] }> = {
  Ping: { v4: [{ proto: 'icmp', dport: 'echo-request' }], v6: [{ proto: 'icmpv6', dport: 'echo-request' }] },
  SSH: { v4: [{ proto: 'tcp', dport: '22' }] },
  HTTP: { v4: [{ proto: 'tcp', dport: '80' }] },
  HTTPS: { v4: [{ proto: 'tcp', dport: '443' }] },
  Web: { v4: [{ proto: 'tcp', dport: '80' }, { proto: 'tcp', dport: '443' }] },
  DNS: { v4: [{ proto: 'udp', dport: '53' }, { proto: 'tcp', dport: '53' }] },
  NTP: { v4: [{ proto: 'udp', dport: '123' }] },
  SMTP: { v4: [{ proto: 'tcp', dport: '25' }] },
  IMAP: { v4: [{ proto: 'tcp', dport: '143' }] },
  IMAPS: { v4: [{ proto: 'tcp', dport: '993' }] },
  MySQL: { v4: [{ proto: 'tcp', dport: '3306' }] },
  PostgreSQL: { v4: [{ proto: 'tcp', dport: '5432' }] },
  Rsync: { v4: [{ proto: 'tcp', dport: '873' }] },
  Telnet: { v4: [{ proto: 'tcp', dport: '23' }] },
  DHCPfwd: { v4: [{ proto: 'udp', dport: '67:68', sport: '67:68' }] },
  SMB: {
    v4: [
      { proto: 'udp', dport: '135,445' },
      { proto: 'udp', dport: '137:139' },
      { proto: 'udp', dport: '1024:65535', sport: '137' },
      { proto: 'tcp', dport: '135,139,445' },
    ],
  },
};

// ICMP type names pve-firewall accepts in `dport` (iptables' names) → type and code.
const ICMP4: Record<string, { type: number; code?: number }> = {
  'echo-reply': { type: 0 }, 'destination-unreachable': { type: 3 }, 'network-unreachable': { type: 3, code: 0 },
  'host-unreachable': { type: 3, code: 1 }, 'protocol-unreachable': { type: 3, code: 2 }, 'port-unreachable': { type: 3, code: 3 },
  'fragmentation-needed': { type: 3, code: 4 }, 'source-route-failed': { type: 3, code: 5 }, 'network-prohibited': { type: 3, code: 9 },
  'host-prohibited': { type: 3, code: 10 }, 'communication-prohibited': { type: 3, code: 13 }, 'source-quench': { type: 4 },
  redirect: { type: 5 }, 'echo-request': { type: 8 }, 'router-advertisement': { type: 9 }, 'router-solicitation': { type: 10 },
  'time-exceeded': { type: 11 }, 'ttl-zero-during-transit': { type: 11, code: 0 }, 'parameter-problem': { type: 12 },
  'timestamp-request': { type: 13 }, 'timestamp-reply': { type: 14 }, 'address-mask-request': { type: 17 }, 'address-mask-reply': { type: 18 },
};
const ICMP6: Record<string, { type: number; code?: number }> = {
  'destination-unreachable': { type: 1 }, 'no-route': { type: 1, code: 0 }, 'communication-prohibited': { type: 1, code: 1 },
  'address-unreachable': { type: 1, code: 3 }, 'port-unreachable': { type: 1, code: 4 }, 'packet-too-big': { type: 2 },
  'time-exceeded': { type: 3 }, 'parameter-problem': { type: 4 }, 'echo-request': { type: 128 }, 'echo-reply': { type: 129 },
  'router-solicitation': { type: 133 }, 'router-advertisement': { type: 134 }, 'neighbour-solicitation': { type: 135 },
  'neighbor-solicitation': { type: 135 }, 'neighbour-advertisement': { type: 136 }, 'neighbor-advertisement': { type: 136 }, redirect: { type: 137 },
};

const PROTOCOLS_WITH_PORTS = new Set(['tcp', 'udp', 'udplite', 'sctp', 'dccp', '6', '17', '136', '132', '33']);

// ---------------------------------------------------------------------------------------------
// Addresses


function parseAddress(text: string): { family: Family; range: Range } {
  const t = text.trim();
  const dash = t.indexOf('-');
  if (dash > 0) {
    const a = parseAddress(t.slice(0, dash));
    const b = parseAddress(t.slice(dash + 1));
    if (a.family !== b.family || a.range.lo > b.range.lo) throw new Error(`invalid address range '${t}'`);
    return { family: a.family, range: { lo: a.range.lo, hi: b.range.hi } };
  }
  if (Address4.isValid(t)) {
    const a = new Address4(t);
    return { family: 4, range: { lo: a.startAddress().bigInt(), hi: a.endAddress().bigInt() } };
  }
  if (Address6.isValid(t)) {
    const a = new Address6(t);
    return { family: 6, range: { lo: a.startAddress().bigInt(), hi: a.endAddress().bigInt() } };
  }
  throw new Error(`invalid IP address or CIDR '${t}'`);
}

const isIp = (t: string) => Address4.isValid(t) || Address6.isValid(t);
const isAddressText = (t: string) => isIp(t) || (t.split('-').length === 2 && t.split('-').every(isIp));

/** Disjoint, sorted, merged. */
function union(ranges: readonly Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.lo <= last.hi + 1n) out[out.length - 1] = { lo: last.lo, hi: r.hi > last.hi ? r.hi : last.hi };
    else out.push(r);
  }
  return out;
}

function subtract(ranges: readonly Range[], cut: Range): Range[] {
  const out: Range[] = [];
  for (const r of ranges) {
    if (cut.hi < r.lo || cut.lo > r.hi) {
      out.push(r);
      continue;
    }
    if (r.lo < cut.lo) out.push({ lo: r.lo, hi: cut.lo - 1n });
    if (r.hi > cut.hi) out.push({ lo: cut.hi + 1n, hi: r.hi });
  }
  return out;
}

type AddressSet = Record<Family, Range[]>;

/** An ipset's addresses: entries applied from least to most specific, so the most specific wins. */
function ipsetAddresses(entries: readonly IpsetEntry[], resolveAlias: (name: string) => string | undefined): AddressSet {
  const parsed = entries.map((e) => {
    const text = isAddressText(e.cidr) ? e.cidr : resolveAlias(e.cidr);
    if (text === undefined) throw new Error(`no such alias '${e.cidr}' in an ipset`);
    const p = parseAddress(text);
    return { ...p, size: p.range.hi - p.range.lo, nomatch: e.nomatch };
  });
  parsed.sort((a, b) => (a.size > b.size ? -1 : a.size < b.size ? 1 : 0));
  const set: AddressSet = { 4: [], 6: [] };
  for (const p of parsed) set[p.family] = p.nomatch ? subtract(set[p.family], p.range) : union([...set[p.family], p.range]);
  return set;
}

function formatAddress(family: Family, v: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 255n)).join('.');
  return Address6.fromBigInt(v).correctForm();
}

/** nft elements of a range: a CIDR when it is one, else a-b. */
function formatRange(family: Family, r: Range): string {
  const bits = family === 4 ? 32 : 128;
  const size = r.hi - r.lo + 1n;
  if (size === 1n) return formatAddress(family, r.lo);
  let prefix = -1;
  for (let p = 0; p <= bits; p++) if (1n << BigInt(bits - p) === size) prefix = p;
  if (prefix >= 0 && r.lo % size === 0n) return `${formatAddress(family, r.lo)}/${prefix}`;
  return `${formatAddress(family, r.lo)}-${formatAddress(family, r.hi)}`;
}

// ---------------------------------------------------------------------------------------------
// Ports and protocols

function parsePorts(spec: string, what: string): PortRange[] {
  return spec.split(',').map((part) => {
    const m = /^\s*(\d+)(?::(\d+))?\s*$/.exec(part);
    if (!m) throw new Error(`${what} '${spec}': only port numbers and ranges a:b are supported (no /etc/services names)`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo > 65535 || hi > 65535 || lo > hi) throw new Error(`${what} '${spec}': invalid port or range`);
    return { lo, hi };
  });
}

function normalizeProto(proto: string): string {
  const p = proto.trim().toLowerCase();
  if (p === 'ipv6-icmp' || p === '58') return 'icmpv6';
  if (p === '1') return 'icmp';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (!/^[a-z0-9-]+$/.test(p)) throw new Error(`invalid protocol '${proto}'`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Translation of one container

interface Context {
  readonly vmId: number;
  readonly fw: ContainerFirewall;
  readonly dc?: DatacenterFirewall;
}

function resolveAlias(ctx: Context, ref: string): string | undefined {
  const m = /^(guest\/|dc\/)?([A-Za-z][A-Za-z0-9_-]+)$/.exec(ref);
  if (!m) return undefined;
  const scope = m[1] ?? '';
  const name = m[2]!.toLowerCase();
  if (scope !== 'dc/' && ctx.fw.aliases?.has(name)) return ctx.fw.aliases.get(name);
  if (scope !== 'guest/' && ctx.dc?.aliases.has(name)) return ctx.dc.aliases.get(name);
  return undefined;
}

function guestIpset(fw: ContainerFirewall, name: string): readonly IpsetEntry[] | undefined {
  if (fw.ipsetEntries?.has(name)) return fw.ipsetEntries.get(name);
  const plain = fw.ipsets.get(name);
  return plain?.map((cidr) => ({ cidr, nomatch: false }));
}

/** source/dest of a rule → addresses per family, and a label for comments. */
function resolveAddresses(ctx: Context, spec: string, field: string): { set: AddressSet; label: string } {
  const s = spec.trim();
  const set = (m: AddressSet) => ({ set: m, label: s });
  if (s.startsWith('+')) {
    const m = /^\+(guest\/|dc\/|sdn\/)?([A-Za-z][A-Za-z0-9_-]+)$/.exec(s);
    if (!m) throw new Error(`VM ${ctx.vmId}: invalid ipset reference '${s}' in ${field}`);
    const scope = m[1] ?? '';
    const name = m[2]!;
    const alias = (n: string) => resolveAlias(ctx, n);
    const guest = scope === '' || scope === 'guest/' ? guestIpset(ctx.fw, name) : undefined;
    if (guest) return set(ipsetAddresses(guest, alias));
    const dc = scope === '' || scope === 'dc/' ? ctx.dc?.ipsetEntries.get(name) : undefined;
    if (dc) return set(ipsetAddresses(dc, alias));
    throw new Error(`VM ${ctx.vmId}: no such ipset '${s}' in ${field}`);
  }
  if (/^(guest\/|dc\/)?[A-Za-z][A-Za-z0-9_-]+$/.test(s) && !Address6.isValid(s)) {
    const cidr = resolveAlias(ctx, s);
    if (cidr === undefined) throw new Error(`VM ${ctx.vmId}: no such alias '${s}' in ${field}`);
    const p = parseAddress(cidr);
    const m: AddressSet = { 4: [], 6: [] };
    m[p.family].push(p.range);
    return { set: m, label: `${s} (${cidr})` };
  }
  const parts = s.split(',');
  if (parts.length > 1 && parts.some((p) => p.includes('-'))) throw new Error(`VM ${ctx.vmId}: ${field} '${s}': a range cannot be in a list`);
  const m: AddressSet = { 4: [], 6: [] };
  for (const p of parts) {
    const a = parseAddress(p);
    m[a.family].push(a.range);
  }
  if (m[4].length && m[6].length) throw new Error(`VM ${ctx.vmId}: ${field} '${s}' mixes IPv4 and IPv6 addresses`);
  return { set: { 4: union(m[4]), 6: union(m[6]) }, label: s };
}

const MACRO_NAMES = new Map(Object.keys(MACROS).map((k) => [k.toLowerCase(), k]));

/** A rule's l4 parts for one family after macro expansion ($apply_macro: the rule fills the PARAMs). */
function expandMacro(ctx: Context, rule: FirewallRule, family: Family): { proto?: string; dport?: string; sport?: string }[] {
  if (!rule.macro) return [{ proto: rule.proto, dport: rule.dport, sport: rule.sport }];
  const name = MACRO_NAMES.get(rule.macro.toLowerCase());
  if (!name) {
    throw new Error(`VM ${ctx.vmId}: unknown firewall macro '${rule.macro}' (the twin knows ${[...MACRO_NAMES.values()].join(', ')}; add it to MACROS in tools/twin/firewall-nft.ts from pve-firewall's table)`);
  }
  const m = MACROS[name]!;
  const entries = family === 6 && m.v6 ? m.v6 : m.v4;
  return entries.map((e) => {
    const out: { proto?: string; dport?: string; sport?: string } = { ...e };
    for (const k of ['proto', 'dport', 'sport'] as const) {
      const given = rule[k];
      if (given === undefined || given === '') continue;
      if (out[k] !== undefined && out[k] !== given) throw new Error(`VM ${ctx.vmId}: macro ${name} defines ${k} = '${out[k]}', the rule says '${given}'`);
      out[k] = given;
    }
    return out;
  });
}

function l4Match(ctx: Context, p: { proto?: string; dport?: string; sport?: string }, family: Family): Partial<Match> | undefined {
  if (p.proto === undefined || p.proto === '') {
    if (p.dport || p.sport) throw new Error(`VM ${ctx.vmId}: port '${p.dport ?? p.sport}' without a protocol`);
    return {};
  }
  const proto = normalizeProto(p.proto);
  if (proto === 'icmp' || proto === 'icmpv6') {
    // ip(6)tables: -p icmp in the IPv6 table, or icmpv6 in the IPv4 one, never matches.
    if ((proto === 'icmp') !== (family === 4)) return undefined;
    if (p.sport) throw new Error(`VM ${ctx.vmId}: protocol ${proto} does not have ports`);
    if (p.dport === undefined || p.dport === '' || p.dport === 'any') return { proto };
    const names = proto === 'icmp' ? ICMP4 : ICMP6;
    const t = names[p.dport] ?? (/^\d+$/.test(p.dport) ? { type: Number(p.dport) } : undefined);
    if (!t) throw new Error(`VM ${ctx.vmId}: unknown ${proto} type '${p.dport}'`);
    return { proto, icmp: { ...t, name: p.dport } };
  }
  const out: { proto: string; dport?: PortRange[]; sport?: PortRange[] } = { proto };
  if (p.dport || p.sport) {
    if (!PROTOCOLS_WITH_PORTS.has(proto)) throw new Error(`VM ${ctx.vmId}: protocol ${proto} does not have ports`);
    if (p.dport) out.dport = parsePorts(p.dport, `VM ${ctx.vmId}: dport`);
    if (p.sport) out.sport = parsePorts(p.sport, `VM ${ctx.vmId}: sport`);
  }
  return out;
}

/** One Proxmox rule → translated rules (per family, macro entries expanded); [] when it cannot match. */
function translateRule(ctx: Context, rule: FirewallRule, verdict: Verdict, comment: string): TranslatedRule[] {
  const src = rule.source ? resolveAddresses(ctx, rule.source, 'source') : undefined;
  const dst = rule.dest ? resolveAddresses(ctx, rule.dest, 'dest') : undefined;
  const perFamily: TranslatedRule[][] = [];
  for (const family of [4, 6] as const) {
    if (src && src.set[family].length === 0) continue;
    if (dst && dst.set[family].length === 0) continue;
    const rules: TranslatedRule[] = [];
    for (const p of expandMacro(ctx, rule, family)) {
      const l4 = l4Match(ctx, p, family);
      if (!l4) continue;
      const match: Match = {
        family,
        ...l4,
        ...(src ? { saddr: { ranges: src.set[family], label: src.label } } : {}),
        ...(dst ? { daddr: { ranges: dst.set[family], label: dst.label } } : {}),
      };
      rules.push({ match, verdict, comment });
    }
    perFamily.push(rules);
  }
  // A rule without addresses or ICMP is the same for both families: keep one copy, family-free.
  if (perFamily.length === 2) {
    const strip = (r: TranslatedRule) => JSON.stringify({ ...r, match: { ...r.match, family: undefined } }, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const [a, b] = perFamily as [TranslatedRule[], TranslatedRule[]];
    if (a.length === b.length && a.every((r, i) => !r.match.saddr && !r.match.daddr && !r.match.icmp && r.match.proto !== 'icmp' && strip(r) === strip(b[i]!))) {
      return a.map((r) => ({ ...r, match: { ...r.match, family: undefined } }));
    }
  }
  return perFamily.flat();
}

function rule(match: Match, verdict: Verdict, comment: string): TranslatedRule {
  return { match, verdict, comment };
}

const cidr = (text: string): Range => parseAddress(text).range;

/** PVEFW-Drop / PVEFW-Reject, then the final verdict ($pve_std_chains_conf). */
function policyRules(policy: string, accept: Verdict): TranslatedRule[] {
  if (policy === 'ACCEPT') return [rule({}, accept, 'policy ACCEPT')];
  if (policy !== 'DROP' && policy !== 'REJECT') throw new Error(`unknown firewall policy '${policy}' (ACCEPT, DROP or REJECT)`);
  const smb: Verdict = policy === 'DROP' ? 'drop' : 'reject';
  const std = policy === 'DROP' ? 'PVEFW-Drop' : 'PVEFW-Reject';
  const tcp = (ports: string): Partial<Match> => ({ proto: 'tcp', dport: parsePorts(ports, 'port') });
  const udp = (ports: string, sport?: string): Partial<Match> => ({ proto: 'udp', dport: parsePorts(ports, 'port'), ...(sport ? { sport: parsePorts(sport, 'port') } : {}) });
  return [
    rule({ family: 6, ...tcp('43') }, 'reject', `${std}: auth (IPv6)`),
    rule({ linkBroadcast: true }, 'drop', `${std}: PVEFW-DropBroadcast`),
    rule({ family: 4, daddr: { ranges: [cidr('224.0.0.0/4')], label: '224.0.0.0/4' } }, 'drop', `${std}: PVEFW-DropBroadcast`),
    rule({ family: 6, daddr: { ranges: [cidr('ff00::/8')], label: 'ff00::/8' } }, 'drop', `${std}: PVEFW-DropBroadcast`),
    rule({ family: 4, proto: 'icmp', icmp: { type: 3, code: 4, name: 'fragmentation-needed' } }, 'accept', `${std}: critical ICMP`),
    rule({ family: 4, proto: 'icmp', icmp: { type: 11, name: 'time-exceeded' } }, 'accept', `${std}: critical ICMP`),
    rule({ family: 6, proto: 'icmpv6', icmp: { type: 1, name: 'destination-unreachable' } }, 'accept', `${std}: critical ICMPv6`),
    rule({ family: 6, proto: 'icmpv6', icmp: { type: 3, name: 'time-exceeded' } }, 'accept', `${std}: critical ICMPv6`),
    rule({ family: 6, proto: 'icmpv6', icmp: { type: 2, name: 'packet-too-big' } }, 'accept', `${std}: critical ICMPv6`),
    rule(udp('135,445'), smb, `${std}: SMB`),
    rule(udp('137:139'), smb, `${std}: SMB`),
    rule(udp('1024:65535', '137'), smb, `${std}: SMB`),
    rule(tcp('135,139,445'), smb, `${std}: SMB`),
    rule(udp('1900'), 'drop', `${std}: UPnP`),
    rule({ proto: 'tcp', tcpNotSyn: true }, 'drop', `${std}: new TCP without SYN`),
    rule({ proto: 'udp', sport: parsePorts('53', 'port') }, 'drop', `${std}: DNS replies`),
    rule({}, policy === 'DROP' ? 'drop' : 'reject', `policy ${policy}`),
  ];
}

function chainRules(ctx: Context, direction: 'in' | 'out', netId: string, notes: string[]): TranslatedRule[] {
  const { fw } = ctx;
  const accept: Verdict = direction === 'in' ? 'accept' : 'continue';
  const out: TranslatedRule[] = [];
  if (direction === 'in') {
    out.push(rule({ family: 4, saddr: { ranges: [cidr('224.0.0.0/4'), cidr('255.255.255.255')], label: 'multicast/broadcast' } }, 'drop', 'PVEFW-smurfs'));
  }
  if (fw.dhcp !== false) {
    const [s4, d4, s6, d6] = direction === 'in' ? ['67', '68', '547', '546'] : ['68', '67', '546', '547'];
    out.push(rule({ family: 4, proto: 'udp', sport: parsePorts(s4, 'port'), dport: parsePorts(d4, 'port') }, accept, 'DHCP'));
    out.push(rule({ family: 6, proto: 'udp', sport: parsePorts(s6, 'port'), dport: parsePorts(d6, 'port') }, accept, 'DHCPv6'));
  }
  const icmp6 = (name: string): Match => ({ family: 6, proto: 'icmpv6', icmp: { type: ICMP6[name]!.type, name } });
  if (direction === 'out' && !fw.radv) out.push(rule(icmp6('router-advertisement'), 'drop', 'no router advertisements (radv off)'));
  if (fw.ndp !== false) {
    out.push(rule(icmp6('router-solicitation'), accept, 'NDP'));
    if (direction === 'in' || fw.radv) out.push(rule(icmp6('router-advertisement'), accept, 'NDP'));
    out.push(rule(icmp6('neighbor-solicitation'), accept, 'NDP'));
    out.push(rule(icmp6('neighbor-advertisement'), accept, 'NDP'));
  }
  fw.rules.forEach((r, i) => {
    if (r.enabled === false) return;
    if (r.iface && r.iface !== netId) return;
    if (r.security_group || r.type === 'group') throw new Error(`VM ${ctx.vmId}: rule ${i}: security groups are not supported by the twin's firewall`);
    const type = r.type ?? 'in';
    if (type !== 'in' && type !== 'out') throw new Error(`VM ${ctx.vmId}: rule ${i}: unknown type '${r.type}'`);
    if (type !== direction) return;
    const action = (r.action ?? '').toUpperCase();
    const verdict: Verdict = action === 'ACCEPT' ? accept : action === 'DROP' ? 'drop' : action === 'REJECT' ? 'reject' : (() => {
      throw new Error(`VM ${ctx.vmId}: rule ${i}: unknown action '${r.action}'`);
    })();
    if (r.log && r.log !== 'nolog') notes.push(`VM ${ctx.vmId}: rule ${i} asks for log level ${r.log}; the twin does not log`);
    const set = [r.source, r.dest].filter((x) => x?.startsWith('+')).join(' ');
    const comment = `rule ${i}: ${r.action}${r.macro ? ` ${r.macro}` : ''}${set ? ` ${set}` : ''}${r.comment ? ` (${r.comment})` : ''}`;
    out.push(...translateRule(ctx, r, verdict, comment));
  });
  const policy = (direction === 'in' ? fw.inputPolicy : fw.outputPolicy ?? 'ACCEPT').toUpperCase();
  out.push(...policyRules(policy, accept));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rendering

const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
const CLEAR = hex(~MARK.mask >>> 0);

function renderSet<T>(items: readonly T[], f: (t: T) => string): string {
  const parts = items.map(f);
  return parts.length === 1 ? parts[0]! : `{ ${parts.join(', ')} }`;
}

function renderPorts(ports: readonly PortRange[]): string {
  return renderSet(ports, (p) => (p.lo === p.hi ? String(p.lo) : `${p.lo}-${p.hi}`));
}

function sanitizeComment(text: string): string {
  return text.replace(/[^A-Za-z0-9 ,.:/+_()@<>=-]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 120);
}

function renderMatch(m: Match): string {
  const parts: string[] = [];
  const ip = m.family === 6 ? 'ip6' : 'ip';
  if (m.family && !m.saddr && !m.daddr) parts.push(`meta protocol ${ip}`);
  if (m.saddr) parts.push(`${ip} saddr ${renderSet(m.saddr.ranges, (r) => formatRange(m.family!, r))}`);
  if (m.daddr) parts.push(`${ip} daddr ${renderSet(m.daddr.ranges, (r) => formatRange(m.family!, r))}`);
  if (m.linkBroadcast) parts.push('meta pkttype { broadcast, multicast }');
  if (m.proto === 'icmp' || m.proto === 'icmpv6') {
    if (m.icmp) {
      parts.push(`${m.proto} type ${m.icmp.type}`);
      if (m.icmp.code !== undefined) parts.push(`${m.proto} code ${m.icmp.code}`);
    } else {
      parts.push(`meta l4proto ${m.proto === 'icmp' ? 'icmp' : 'ipv6-icmp'}`);
    }
  } else if (m.proto === 'tcp' || m.proto === 'udp') {
    if (!m.dport && !m.sport) parts.push(`meta l4proto ${m.proto}`);
    if (m.sport) parts.push(`${m.proto} sport ${renderPorts(m.sport)}`);
    if (m.dport) parts.push(`${m.proto} dport ${renderPorts(m.dport)}`);
  } else if (m.proto) {
    parts.push(`meta l4proto ${m.proto}`);
    if (m.sport) parts.push(`th sport ${renderPorts(m.sport)}`);
    if (m.dport) parts.push(`th dport ${renderPorts(m.dport)}`);
  }
  if (m.tcpNotSyn) parts.push('tcp flags & (fin | syn | rst | ack) != syn');
  return parts.join(' ');
}

/** The chain of one port and direction (pve-firewall names it `<iface>-IN` / `<iface>-OUT`). */
export function chainName(iface: string, direction: 'in' | 'out'): string {
  return `port_${iface.replace(/[^A-Za-z0-9]/g, '_')}_${direction}`;
}

const VERDICT_NFT: Record<Verdict, string> = { accept: 'accept', continue: 'return', drop: 'drop', reject: 'goto pvefw_reject' };

function renderChain(name: string, rules: readonly TranslatedRule[], direction: 'in' | 'out'): string {
  const lines = [
    `  chain ${name} {`,
    '    meta protocol != { ip, ip6 } accept comment "not IP (ARP...): pve-firewall filters IP only"',
    `    meta mark & ${hex(MARK.tracked)} == 0 counter drop comment "not seen by conntrack: is bridge-nf-call-iptables 1?"`,
    `    meta mark & ${hex(MARK.invalid)} != 0 drop comment "ct state invalid"`,
    `    meta mark & ${hex(MARK.established)} != 0 accept comment "ct state established,related"`,
  ];
  for (const r of rules) {
    const match = renderMatch(r.match);
    lines.push(`    ${match ? `${match} ` : ''}${VERDICT_NFT[r.verdict]} comment "${sanitizeComment(`${direction.toUpperCase()} ${r.comment}`)}"`);
  }
  lines.push('  }');
  return lines.join('\n');
}

function renderRuleset(chains: ReadonlyMap<string, { in: readonly TranslatedRule[]; out: readonly TranslatedRule[] }>): string {
  const ifaces = [...chains.keys()];
  const elements = (dir: 'in' | 'out') => (ifaces.length ? `; elements = { ${ifaces.map((i) => `"${i}" : jump ${chainName(i, dir)}`).join(', ')} }` : '');
  const rejected = `meta mark & ${hex(MARK.reject)} == ${hex(MARK.reject)}`;
  const bridge = [
    `table bridge ${TABLE} {`,
    `  map in_ports { type ifname : verdict${elements('in')}; }`,
    `  map out_ports { type ifname : verdict${elements('out')}; }`,
    '  chain prerouting {',
    '    type filter hook prerouting priority -300; policy accept;',
    `    meta mark set meta mark & ${CLEAR} comment "this table's bits start clear"`,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority -200; policy accept;',
    '    iifname vmap @out_ports',
    `    ${rejected} accept comment "the inet table rejects it"`,
    '    oifname vmap @in_ports',
    `    ${rejected} accept comment "the inet table rejects it"`,
    '  }',
    '  chain input {',
    '    type filter hook input priority -200; policy accept;',
    '    iifname vmap @out_ports',
    `    ${rejected} accept comment "the inet table rejects it"`,
    '  }',
    '  chain output {',
    '    type filter hook output priority -200; policy accept;',
    '    oifname vmap @in_ports',
    `    ${rejected} counter drop comment "sent by this namespace: no inet hook follows, REJECT becomes DROP"`,
    '  }',
    '  chain pvefw_reject {',
    '    meta pkttype { broadcast, multicast } drop',
    '    ip saddr 224.0.0.0/4 drop',
    '    meta l4proto { icmp, ipv6-icmp } drop',
    `    meta mark set meta mark | ${hex(MARK.reject)}`,
    '  }',
    ...[...chains].flatMap(([iface, c]) => [renderChain(chainName(iface, 'out'), c.out, 'out'), renderChain(chainName(iface, 'in'), c.in, 'in')]),
    '}',
  ];
  const ctBits = [
    `    meta mark set meta mark & ${CLEAR} | ${hex(MARK.tracked)}`,
    `    ct state established,related meta mark set meta mark | ${hex(MARK.established)}`,
    `    ct state invalid meta mark set meta mark | ${hex(MARK.invalid)}`,
  ];
  const inet = [
    `table inet ${TABLE} {`,
    '  chain prerouting {',
    '    type filter hook prerouting priority -150; policy accept; # after conntrack (-200)',
    ...ctBits,
    '  }',
    '  chain output {',
    '    type filter hook output priority -150; policy accept;',
    ...ctBits,
    '  }',
    '  chain forward {',
    '    type filter hook forward priority 0; policy accept;',
    `    ${rejected} goto pvefw_reject`,
    '  }',
    '  chain input {',
    '    type filter hook input priority 0; policy accept;',
    `    ${rejected} goto pvefw_reject`,
    '  }',
    '  chain pvefw_reject {',
    '    meta l4proto tcp reject with tcp reset',
    '    meta nfproto ipv4 meta l4proto udp reject with icmp type port-unreachable',
    '    meta nfproto ipv4 reject with icmp type host-prohibited',
    '    meta nfproto ipv6 meta l4proto udp reject with icmpv6 type port-unreachable',
    '    reject with icmpv6 type admin-prohibited',
    '  }',
    '}',
  ];
  return [
    '#!/usr/sbin/nft -f',
    '# The twin\'s Proxmox firewall (generated by tools/twin/firewall-nft.ts from the synthesized Terraform JSON).',
    deleteRulesetText().trimEnd(),
    ...bridge,
    ...inet,
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

/** Translates the lab's firewall resources into the twin's nftables ruleset. */
export function translateFirewalls(input: TranslateInput): TwinFirewall {
  const ports: PortStatus[] = [];
  const chains = new Map<string, { in: TranslatedRule[]; out: TranslatedRule[] }>();
  const notes: string[] = [];
  const macFiltered: number[] = [];
  for (const [vmId, iface] of [...input.ports].sort((a, b) => a[0] - b[0])) {
    if (!/^[A-Za-z0-9_.-]{1,15}$/.test(iface)) throw new Error(`VM ${vmId}: invalid interface name '${iface}'`);
    const netIndex = Number(/i(\d+)$/.exec(iface)?.[1] ?? 0);
    const fw = input.firewalls.get(vmId);
    const status = (filtered: boolean, reason: string) => ports.push({ vmId, iface, filtered, reason });
    if (input.datacenter?.enabled === false) {
      status(false, 'the datacenter firewall is off');
      continue;
    }
    if (!fw) {
      status(false, 'no firewall resources');
      continue;
    }
    if (!fw.enabled) {
      status(false, 'firewall option enabled is false');
      continue;
    }
    if (fw.nicFirewall && fw.nicFirewall.get(netIndex) !== true) {
      status(false, `net${netIndex} has no firewall=1`);
      continue;
    }
    const ctx: Context = { vmId, fw, dc: input.datacenter };
    if (fw.macfilter !== false) macFiltered.push(vmId);
    if (fw.ipfilter) notes.push(`VM ${vmId}: IP filter (ipfilter) is not enforced by the twin`);
    const netId = `net${netIndex}`;
    chains.set(iface, { in: chainRules(ctx, 'in', netId, notes), out: chainRules(ctx, 'out', netId, notes) });
    status(true, `input policy ${fw.inputPolicy}, output policy ${fw.outputPolicy ?? 'ACCEPT'}`);
  }
  if (macFiltered.length) notes.unshift(`MAC filter (macfilter, on by default) is not enforced by the twin: VMs ${macFiltered.join(', ')}`);
  return { text: renderRuleset(chains), ports, chains, notes };
}

// ---------------------------------------------------------------------------------------------
// Evaluation: the same semantics for one packet.

export interface Packet {
  readonly family?: Family;
  /** 'tcp', 'udp', 'icmp', 'icmpv6', ... */
  readonly proto: string;
  readonly saddr: string;
  readonly daddr: string;
  readonly sport?: number;
  readonly dport?: number;
  /** For icmp/icmpv6: a type name pve-firewall knows ('echo-request') or a number. */
  readonly icmpType?: string | number;
  readonly icmpCode?: number;
  /** Conntrack's view. @default 'new' */
  readonly ct?: 'new' | 'established' | 'related' | 'invalid';
  /** @default 'unicast' */
  readonly linkType?: 'unicast' | 'broadcast' | 'multicast';
  /** For TCP: is this a SYN (of a new connection)? @default true */
  readonly syn?: boolean;
}

function inRanges(ranges: readonly Range[], v: bigint): boolean {
  return ranges.some((r) => v >= r.lo && v <= r.hi);
}

function inPorts(ports: readonly PortRange[], p: number | undefined): boolean {
  return p !== undefined && ports.some((r) => p >= r.lo && p <= r.hi);
}

function matches(m: Match, p: Packet, family: Family, s: bigint, d: bigint): boolean {
  if (m.family && m.family !== family) return false;
  if (m.saddr && !inRanges(m.saddr.ranges, s)) return false;
  if (m.daddr && !inRanges(m.daddr.ranges, d)) return false;
  if (m.linkBroadcast && (p.linkType ?? 'unicast') === 'unicast') return false;
  const proto = normalizeProto(p.proto);
  if (m.proto && m.proto !== proto) return false;
  if (m.dport && !inPorts(m.dport, p.dport)) return false;
  if (m.sport && !inPorts(m.sport, p.sport)) return false;
  if (m.icmp) {
    const names = proto === 'icmp' ? ICMP4 : ICMP6;
    const t = typeof p.icmpType === 'number' ? { type: p.icmpType, code: p.icmpCode } : names[p.icmpType ?? ''];
    if (!t || t.type !== m.icmp.type) return false;
    if (m.icmp.code !== undefined && (p.icmpCode ?? t.code) !== m.icmp.code) return false;
  }
  if (m.tcpNotSyn && (proto !== 'tcp' || p.syn !== false)) return false;
  return true;
}

function runChain(rules: readonly TranslatedRule[], p: Packet): { verdict: Verdict; rule?: TranslatedRule } {
  const a = parseAddress(p.saddr);
  const b = parseAddress(p.daddr);
  const family = p.family ?? a.family;
  const ct = p.ct ?? 'new';
  if (ct === 'invalid') return { verdict: 'drop' };
  if (ct === 'established' || ct === 'related') return { verdict: 'accept' };
  for (const r of rules) if (matches(r.match, p, family, a.range.lo, b.range.lo)) return { verdict: r.verdict, rule: r };
  return { verdict: 'continue' };
}

/** PVEFW-reject: what of a REJECT is dropped instead. */
function rejectOutcome(p: Packet): 'drop' | 'reject' {
  const proto = normalizeProto(p.proto);
  if ((p.linkType ?? 'unicast') !== 'unicast') return 'drop';
  if (inRanges([cidr('224.0.0.0/4')], parseAddress(p.saddr).range.lo) && parseAddress(p.saddr).family === 4) return 'drop';
  if (proto === 'icmp' || proto === 'icmpv6') return 'drop';
  return 'reject';
}

export interface Decision {
  /** What Proxmox does. */
  readonly verdict: 'accept' | 'drop' | 'reject';
  /** What the twin's ruleset does: the same, except that a REJECT of a packet the bridge's namespace sends is a drop. */
  readonly twin: 'accept' | 'drop' | 'reject';
  /** The rule that decided (undefined: conntrack, or no firewall on the way). */
  readonly rule?: string;
  readonly chain?: string;
}

/**
 * What the firewall does with `packet` going from port `from` to port `to` (host-side interface
 * names; undefined = the bridge's namespace itself or beyond it).
 */
export function decide(fw: TwinFirewall, path: { from?: string; to?: string }, packet: Packet): Decision {
  const steps: [string, readonly TranslatedRule[]][] = [];
  const out = path.from !== undefined ? fw.chains.get(path.from)?.out : undefined;
  const inn = path.to !== undefined ? fw.chains.get(path.to)?.in : undefined;
  if (out) steps.push([chainName(path.from!, 'out'), out]);
  if (inn) steps.push([chainName(path.to!, 'in'), inn]);
  for (const [chain, rules] of steps) {
    const { verdict, rule: r } = runChain(rules, packet);
    if (verdict === 'continue') continue;
    const v = verdict === 'reject' ? rejectOutcome(packet) : verdict;
    return { verdict: v, twin: v === 'reject' && path.from === undefined ? 'drop' : v, rule: r?.comment, chain };
  }
  return { verdict: 'accept', twin: 'accept' };
}
