/**
 * Which connections prove the twin's firewall (issue 11, item 5): for every ACCEPT rule of every
 * filtered container, one declared connection from a source the rule names; for every filtered
 * container, one undeclared connection to a port it opens to someone else, from a lab host the
 * rules leave out. Expectations come from `decide()` (the translation's own semantics), so a probe
 * that behaves otherwise is a finding about the ruleset or the lab, not about this plan.
 * Pure: the twin's run.ts carries the probes out.
 */
import { Address4 } from 'ip-address';
import { decide, TwinFirewall, vethName } from './firewall-nft';
import type { ContainerFirewall } from './probe-sources';

export interface FirewallHost {
  readonly name: string;
  readonly vmId: number;
  readonly address: string;
}

export interface FirewallProbe {
  /** Source host name, or 'gateway' (the twin's namespace: the controller, the LAN router). */
  readonly from: string;
  readonly fromAddress: string;
  readonly to: string;
  readonly toAddress: string;
  readonly kind: 'tcp' | 'ping';
  readonly port?: number;
  readonly expect: 'open' | 'blocked';
  /** The rule (declared) or why it is undeclared. */
  readonly why: string;
}

function inCidr(address: string, cidr: string): boolean {
  try {
    return new Address4(address).isInSubnet(new Address4(cidr.includes('/') ? cidr : `${cidr}/32`));
  } catch {
    return false;
  }
}

/** The addresses a rule's source names (CIDRs, lists, ipsets), or undefined for "anywhere". */
function sourcesOf(fw: ContainerFirewall, source: string | undefined): string[] | undefined {
  if (source === undefined || source === '') return undefined;
  const out: string[] = [];
  for (const part of source.split(',').map((s) => s.trim())) {
    if (part.startsWith('+')) out.push(...(fw.ipsets.get(part.slice(1).replace(/^(guest|dc)\//, '')) ?? []));
    else out.push(part);
  }
  return out;
}

function firstPort(dport: string): number | undefined {
  const m = /^(\d+)/.exec(dport.trim());
  return m ? Number(m[1]) : undefined;
}

/**
 * The probes for a converged twin. `gateway` is the twin namespace's address on the LAN.
 * Rules for UDP or other protocols are not probed (no generic UDP answer to tell open from blocked).
 */
export function planFirewallProbes(fw: TwinFirewall, firewalls: ReadonlyMap<number, ContainerFirewall>, hosts: readonly FirewallHost[], gateway: string): FirewallProbe[] {
  const probes: FirewallProbe[] = [];
  const filtered = new Set(fw.ports.filter((p) => p.filtered).map((p) => p.vmId));
  const byAddress = new Map(hosts.map((h) => [h.address, h]));
  for (const target of hosts) {
    const f = firewalls.get(target.vmId);
    if (!f || !filtered.has(target.vmId)) continue;
    const to = vethName(target.vmId);
    const pickSource = (cidrs: string[] | undefined): { name: string; address: string } | undefined => {
      if (cidrs === undefined || cidrs.some((c) => inCidr(gateway, c))) return { name: 'gateway', address: gateway };
      const h = hosts.find((x) => x.vmId !== target.vmId && cidrs.some((c) => inCidr(x.address, c)));
      return h ? { name: h.name, address: h.address } : undefined;
    };
    const openPorts = new Map<number, string[] | undefined>();
    for (const r of f.rules) {
      if ((r.type ?? 'in') !== 'in' || r.action !== 'ACCEPT' || r.enabled === false) continue;
      const src = pickSource(sourcesOf(f, r.source));
      if (!src) continue;
      const from = src.name === 'gateway' ? undefined : vethName(byAddress.get(src.address)!.vmId);
      if (r.macro === 'Ping') {
        probes.push({ from: src.name, fromAddress: src.address, to: target.name, toAddress: target.address, kind: 'ping', expect: 'open', why: r.comment ?? 'Ping' });
        continue;
      }
      if (r.macro || (r.proto ?? 'tcp') !== 'tcp' || r.dport === undefined) continue;
      const port = firstPort(r.dport);
      if (port === undefined) continue;
      openPorts.set(port, sourcesOf(f, r.source));
      const d = decide(fw, { from, to }, { proto: 'tcp', saddr: src.address, daddr: target.address, dport: port, sport: 40000 });
      if (d.twin !== 'accept') continue; // an earlier rule already decides otherwise: not a declared flow
      probes.push({ from: src.name, fromAddress: src.address, to: target.name, toAddress: target.address, kind: 'tcp', port, expect: 'open', why: r.comment ?? `${r.dport}/tcp` });
    }
    // One undeclared connection per container: a port it opens to someone, from a lab host it does not.
    for (const [port] of [...openPorts].sort(([a], [b]) => a - b)) {
      const outsider = hosts.find((h) => h.vmId !== target.vmId
        && decide(fw, { from: vethName(h.vmId), to }, { proto: 'tcp', saddr: h.address, daddr: target.address, dport: port, sport: 40000 }).twin === 'drop');
      if (!outsider) continue;
      probes.push({ from: outsider.name, fromAddress: outsider.address, to: target.name, toAddress: target.address, kind: 'tcp', port, expect: 'blocked', why: `no rule lets ${outsider.name} open ${port}/tcp` });
      break;
    }
  }
  return probes;
}

export interface ProbeRunner {
  /** `sh -c script` inside the named container; never throws. */
  inHost(host: string, script: string): Promise<{ code: number; stdout: string; stderr: string }>;
  /** `sh -c script` in the twin's namespace (the gateway); never throws. */
  inGateway(script: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface FirewallProbeResult extends FirewallProbe {
  readonly ok: boolean;
  readonly detail: string;
  /** A declared connection the firewall passed to a port nothing listens on (refused by the container). */
  readonly noListener?: boolean;
}

export interface FirewallSummary {
  readonly declared: number;
  readonly declaredOk: number;
  readonly undeclared: number;
  readonly undeclaredBlocked: number;
  /** Of declaredOk: passed by the firewall, refused by the container (no listener in the stand-in). */
  readonly declaredNoListener: number;
  readonly probes: readonly FirewallProbeResult[];
}

/**
 * Carries the probes out. A blocked connection must time out (the DROP policy), not be refused: a
 * refusal means the packet got through to a closed port, which proves nothing about the firewall.
 */
export async function runFirewallProbes(probes: readonly FirewallProbe[], runner: ProbeRunner): Promise<FirewallSummary> {
  const results = await Promise.all(probes.map(async (p): Promise<FirewallProbeResult> => {
    const script = p.kind === 'ping'
      ? `ping -n -c 1 -W 3 ${p.toAddress} >/dev/null`
      : `timeout 3 bash -c 'exec 3<>/dev/tcp/${p.toAddress}/${p.port}'`;
    const r = p.from === 'gateway' ? await runner.inGateway(script) : await runner.inHost(p.from, script);
    const timedOut = p.kind === 'ping' ? r.code !== 0 : r.code === 124;
    if (p.expect === 'open' && p.kind === 'tcp' && r.code !== 0 && !timedOut && /refused/i.test(r.stderr + r.stdout)) {
      // Refused: the SYN reached the container, so the firewall let it through, if nothing listens
      // there (a stand-in of a host-network service publishes no port); with a listener, the RST
      // came from elsewhere (a REJECT) and the probe fails.
      const ss = await runner.inHost(p.to, `ss -Hltn 'sport = :${p.port}'`);
      if (ss.code === 0 && ss.stdout.trim() === '') return { ...p, ok: true, noListener: true, detail: 'refused by the container itself: the firewall let it through; nothing listens there (stand-in)' };
    }
    const ok = p.expect === 'open' ? r.code === 0 : timedOut;
    const what = r.code === 0 ? 'connected' : timedOut ? 'no answer (dropped)' : `refused or failed (exit ${r.code}: ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''})`;
    return { ...p, ok, detail: what };
  }));
  const declared = results.filter((r) => r.expect === 'open');
  const undeclared = results.filter((r) => r.expect === 'blocked');
  return {
    declared: declared.length,
    declaredOk: declared.filter((r) => r.ok).length,
    undeclared: undeclared.length,
    undeclaredBlocked: undeclared.filter((r) => r.ok).length,
    declaredNoListener: declared.filter((r) => r.noListener).length,
    probes: results,
  };
}
