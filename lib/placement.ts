/**
 * Deterministic placement of containers onto nodes (framework part: no model types).
 *
 * Order of decisions, each one final before the next starts:
 *   1. pinned requests (an explicit node) take their node, whatever it costs;
 *   2. recorded requests (the node a previous synth gave them, read from the placement record) keep
 *      it when it still satisfies every constraint — this is what makes placement stable: adding or
 *      resizing one service never moves another, because the others are recorded;
 *   3. the rest, in declaration order, go to the eligible node with the largest share of its RAM left
 *      (ties: the node declared first), which spreads a fresh lab over nodes of different sizes.
 * A request no node can take gets a failure naming each node with the constraint that ruled it out.
 */

/** App context key holding the previous placement record (`{ [container path]: node name }`). */
export const PLACEMENT_RECORD_CONTEXT = 'homelab-cdk:placement';

/** File in the output folder that records automatic placements (read back by the next synth). */
export const PLACEMENT_RECORD_FILE = 'placement.json';

export interface PlacementNode {
  readonly name: string;
  /** Cores the node may hand out (physical × overcommit). */
  readonly coreLimit: number;
  /** MiB of RAM the node may hand out (physical × overcommit). */
  readonly memoryLimit: number;
  readonly hasGpu: boolean;
  /** Whether a bind mount of this host path is allowed on the node (its datasets). */
  allowsPath(path: string): boolean;
}

export interface PlacementRequest {
  /** Construct path: the key of the record and of the result. */
  readonly key: string;
  readonly cores: number;
  readonly memoryMiB: number;
  readonly gpu: boolean;
  readonly bindPaths: readonly string[];
  /** Anti-affinity groups: no two members of a group share a node. */
  readonly groups: readonly string[];
  /** Only these nodes may take it (e.g. its HA nodes). @default - every node */
  readonly allowedNodes?: readonly string[];
  /** Explicit node name (pinned). */
  readonly pinned?: string;
  /** Node name a previous synth recorded. */
  readonly recorded?: string;
}

export interface PlacementResult {
  /** Node name per request key (a failed request is absent). */
  readonly nodeOf: ReadonlyMap<string, string>;
  /** How each placed request got its node. */
  readonly how: ReadonlyMap<string, 'pinned' | 'recorded' | 'placed'>;
  readonly failures: ReadonlyMap<string, { message: string; fix: string }>;
}

interface Load { cores: number; memory: number; members: Map<string, string> }

/** Why `node` cannot take `req` under the current loads, or undefined when it can. */
function ruledOut(node: PlacementNode, req: PlacementRequest, load: Load): string | undefined {
  if (req.allowedNodes && !req.allowedNodes.includes(node.name)) return 'not one of its HA nodes';
  if (req.gpu && !node.hasGpu) return 'no GPU';
  const missing = req.bindPaths.find((p) => !node.allowsPath(p));
  if (missing !== undefined) return `no dataset holding ${missing}`;
  for (const g of req.groups) {
    const other = load.members.get(g);
    if (other !== undefined) return `anti-affinity group '${g}': ${other} is there`;
  }
  if (load.cores + req.cores > node.coreLimit) return `${node.coreLimit - load.cores} of ${node.coreLimit} cores left, needs ${req.cores}`;
  if (load.memory + req.memoryMiB > node.memoryLimit) return `${node.memoryLimit - load.memory} of ${node.memoryLimit} MiB RAM left, needs ${req.memoryMiB}`;
  return undefined;
}

function take(load: Load, req: PlacementRequest): void {
  load.cores += req.cores;
  load.memory += req.memoryMiB;
  for (const g of req.groups) if (!load.members.has(g)) load.members.set(g, req.key);
}

export function planPlacement(nodes: readonly PlacementNode[], requests: readonly PlacementRequest[]): PlacementResult {
  const loads = new Map<string, Load>(nodes.map((n) => [n.name, { cores: 0, memory: 0, members: new Map() }]));
  const nodeOf = new Map<string, string>();
  const how = new Map<string, 'pinned' | 'recorded' | 'placed'>();
  const failures = new Map<string, { message: string; fix: string }>();
  // 1. Pinned: capacity and constraints of pinned containers are the node's and container's own checks.
  for (const r of requests) {
    if (r.pinned === undefined) continue;
    const load = loads.get(r.pinned);
    if (!load) continue;
    nodeOf.set(r.key, r.pinned);
    how.set(r.key, 'pinned');
    take(load, r);
  }
  // 2. Recorded, if still valid.
  for (const r of requests) {
    if (r.pinned !== undefined || r.recorded === undefined) continue;
    const node = nodes.find((n) => n.name === r.recorded);
    const load = node && loads.get(node.name);
    if (!node || !load || ruledOut(node, r, load) !== undefined) continue;
    nodeOf.set(r.key, node.name);
    how.set(r.key, 'recorded');
    take(load, r);
  }
  // 3. Automatic, in declaration order.
  for (const r of requests) {
    if (r.pinned !== undefined || nodeOf.has(r.key)) continue;
    let best: { node: PlacementNode; free: number } | undefined;
    const reasons: string[] = [];
    for (const node of nodes) {
      const load = loads.get(node.name) as Load;
      const why = ruledOut(node, r, load);
      if (why !== undefined) {
        reasons.push(`${node.name} (${why})`);
        continue;
      }
      const free = (node.memoryLimit - load.memory) / node.memoryLimit;
      if (!best || free > best.free) best = { node, free };
    }
    if (!best) {
      const needs = [`${r.cores} cores`, `${r.memoryMiB} MiB RAM`, ...(r.gpu ? ['a GPU'] : []), ...r.bindPaths.map((p) => `dataset for ${p}`), ...r.groups.map((g) => `anti-affinity '${g}'`)];
      failures.set(r.key, {
        message: `cannot be placed (needs ${needs.join(', ')}): every node is ruled out — ${reasons.join('; ') || 'the lab has no nodes'}`,
        fix: 'pin it with node: <node> after freeing room there, add capacity, a GPU or the dataset to a node, shrink it, or drop the constraint',
      });
      continue;
    }
    nodeOf.set(r.key, best.node.name);
    how.set(r.key, 'placed');
    take(loads.get(best.node.name) as Load, r);
  }
  return { nodeOf, how, failures };
}
