/**
 * What the nft renderer needs of an ingress rule. The model's IngressRule (constructs/core/connections.ts)
 * satisfies it; declaring it here keeps the framework free of model imports.
 */
export interface NftIngress {
  readonly port: { readonly protocol: 'tcp' | 'udp'; readonly port: number };
  /** `source`: an address or CIDR, undefined for any source (internet, tunnel). */
  readonly peer: { readonly source?: string; readonly description: string };
}

/** One nftables accept rule for new inbound connections, ready for a template. */
export interface NftAcceptRule {
  /** `ip saddr 10.10.10.41 ` / `ip saddr { a, b } ` / '' (any source). */
  readonly match: string;
  readonly protocol: 'tcp' | 'udp';
  readonly port: number;
  readonly comment: string;
}

/** A string safe inside an nft `comment "..."` (no quotes, at most 128 bytes). */
export function nftComment(text: string): string {
  const clean = text.replace(/["\\\n\r]/g, "'").replace(/\s+/g, ' ').trim();
  return clean.length > 120 ? `${clean.slice(0, 117)}...` : clean;
}

/** `a` or `{ a, b }`: nft's anonymous set syntax when there is more than one element. */
export function nftSet(items: readonly string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

/**
 * Groups ingress rules by port and protocol into one nft rule each (sources as an anonymous set),
 * sorted by protocol and port so the output is stable whatever order flows were declared in.
 * Rules without a source address (internet, tunnel) become a rule without a saddr match.
 */
export function nftAcceptRules(rules: readonly NftIngress[]): NftAcceptRule[] {
  const byPort = new Map<string, { protocol: 'tcp' | 'udp'; port: number; sources: Set<string>; any: boolean; comments: string[] }>();
  for (const r of rules) {
    const key = `${r.port.protocol}/${String(r.port.port).padStart(5, '0')}`;
    let entry = byPort.get(key);
    if (!entry) {
      entry = { protocol: r.port.protocol, port: r.port.port, sources: new Set(), any: false, comments: [] };
      byPort.set(key, entry);
    }
    const src = r.peer.source;
    if (src === undefined) entry.any = true;
    else entry.sources.add(src);
    entry.comments.push(r.peer.description);
  }
  return [...byPort.keys()].sort().map((key) => {
    const e = byPort.get(key)!;
    const sources = [...e.sources].sort(compareAddresses);
    const match = e.any ? '' : `ip saddr ${nftSet(sources)} `;
    return { match, protocol: e.protocol, port: e.port, comment: nftComment(`${[...new Set(e.comments)].sort().join(', ')} to ${e.port}/${e.protocol}`) };
  });
}

/** Orders IPv4 addresses/networks numerically (10.10.10.9 before 10.10.10.10). */
export function compareAddresses(a: string, b: string): number {
  const num = (s: string) => s.split('/')[0]!.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  return num(a) - num(b) || a.localeCompare(b);
}
