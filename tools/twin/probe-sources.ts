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

interface FirewallRule {
  readonly type?: string;
  readonly action?: string;
  readonly proto?: string;
  readonly dport?: string;
  readonly source?: string;
  readonly macro?: string;
}

/** The inbound firewall of one container, as the Terraform JSON declares it. */
export interface ContainerFirewall {
  readonly enabled: boolean;
  readonly inputPolicy: string;
  readonly rules: readonly FirewallRule[];
  /** ipset name → its CIDRs. */
  readonly ipsets: ReadonlyMap<string, readonly string[]>;
}

/** Reads every stack's firewall resources, keyed by container id (VMID). */
export function readFirewalls(synthOut: string): Map<number, ContainerFirewall> {
  const byId = new Map<number, { enabled: boolean; inputPolicy: string; rules: FirewallRule[]; ipsets: Map<string, string[]> }>();
  const entry = (id: number) => {
    let e = byId.get(id);
    if (!e) byId.set(id, (e = { enabled: false, inputPolicy: 'ACCEPT', rules: [], ipsets: new Map() }));
    return e;
  };
  const stacksDir = path.join(synthOut, 'stacks');
  for (const stack of fs.existsSync(stacksDir) ? fs.readdirSync(stacksDir).sort() : []) {
    const file = path.join(stacksDir, stack, 'cdk.tf.json');
    if (!fs.existsSync(file)) continue;
    const res = (JSON.parse(fs.readFileSync(file, 'utf8')).resource ?? {}) as Record<string, Record<string, any>>;
    for (const o of Object.values(res.proxmox_virtual_environment_firewall_options ?? {})) {
      if (typeof o.container_id !== 'number') continue;
      const e = entry(o.container_id);
      e.enabled = o.enabled === true;
      e.inputPolicy = String(o.input_policy ?? 'DROP');
    }
    for (const s of Object.values(res.proxmox_virtual_environment_firewall_ipset ?? {})) {
      if (typeof s.container_id !== 'number') continue;
      entry(s.container_id).ipsets.set(String(s.name), (s.cidr ?? []).map((c: any) => String(c.name)));
    }
    for (const r of Object.values(res.proxmox_virtual_environment_firewall_rules ?? {})) {
      if (typeof r.container_id !== 'number') continue;
      entry(r.container_id).rules.push(...((r.rule ?? []) as FirewallRule[]));
    }
  }
  return byId;
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
