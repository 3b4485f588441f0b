import { fail } from '../../lib/problems';
import { PLACEMENT_RECORD_CONTEXT, planPlacement, PlacementResult } from '../../lib/placement';
import type { Lab } from './lab';
import type { LxcContainer } from './lxc-container';
import type { ProxmoxNode } from './proxmox-node';
import { BindVolume } from './volume';

/** `node: 'auto'`: the lab places the container (README, "From one node to a cluster"). */
export const AUTO_PLACEMENT = 'auto';

/** Where a container runs: a node, or `'auto'` for the lab's deterministic placement. */
export type NodeChoice = ProxmoxNode | typeof AUTO_PLACEMENT;

/** How a container got its node: pinned by the user, kept from the record, or placed now. */
export type PlacementKind = 'pinned' | 'recorded' | 'placed';

/**
 * The lab's placement plan, resolved once on first read (after the tree is complete, like the VMID
 * plan). The previous result comes from the app context (`homelab-cdk:placement`, filled by synth from
 * the output folder's placement.json), so services placed before keep their node.
 */
export class LabPlacement {
  private result?: PlacementResult;
  private frozenAt = -1;

  constructor(private readonly lab: Lab) {}

  /** The container's node; a container that cannot be placed gets the first node (its failure is reported). */
  nodeOf(c: LxcContainer): ProxmoxNode {
    const name = this.resolve().nodeOf.get(c.node.path);
    return this.lab.nodes.find((n) => n.nodeName === name) ?? (this.lab.nodes[0] as ProxmoxNode);
  }

  kindOf(c: LxcContainer): PlacementKind {
    return this.resolve().how.get(c.node.path) ?? 'placed';
  }

  private groups?: Map<string, LxcContainer[]>;

  /** Members of an anti-affinity group in declaration order (indexed once, after the tree is complete). */
  membersOf(group: string): readonly LxcContainer[] {
    if (!this.groups) {
      this.resolve();
      this.groups = new Map();
      for (const c of this.lab.containers) {
        for (const g of c.antiAffinityGroups) {
          const list = this.groups.get(g) ?? [];
          list.push(c);
          this.groups.set(g, list);
        }
      }
    }
    return this.groups.get(group) ?? [];
  }

  /** The node the previous synth recorded for it, if any. */
  recordedNodeOf(c: LxcContainer): string | undefined {
    const rec = this.recordedNodes()[c.node.path];
    return typeof rec === 'string' ? rec : undefined;
  }

  private recordedNodes(): Record<string, unknown> {
    const r = this.lab.node.tryGetContext(PLACEMENT_RECORD_CONTEXT) as unknown;
    return r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>) : {};
  }

  failureOf(c: LxcContainer): { message: string; fix: string } | undefined {
    return this.resolve().failures.get(c.node.path);
  }

  /** Container path → node name of every container the lab placed (the record synth writes). */
  record(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const c of this.lab.containers) {
      if (c.pinnedNode) continue;
      const node = this.resolve().nodeOf.get(c.node.path);
      if (node !== undefined) out[c.node.path] = node;
    }
    return out;
  }

  private resolve(): PlacementResult {
    const containers = this.lab.containers;
    if (this.result) {
      if (containers.length !== this.frozenAt) {
        const late = containers[containers.length - 1] as LxcContainer;
        fail(late, `declared after the placement plan of ${this.lab.node.path} was resolved`,
          'declare every container before reading any container\'s node (read proxmoxNode at render time, not in constructors)');
      }
      return this.result;
    }
    const recorded = this.recordedNodes();
    // One node cannot separate anything: anti-affinity applies from the second node on.
    const separate = this.lab.nodes.length > 1;
    this.result = planPlacement(
      this.lab.nodes.map((n) => ({
        name: n.nodeName,
        coreLimit: n.cores * n.cpuOvercommit,
        memoryLimit: Math.floor(n.memoryMiB * n.memoryOvercommit),
        hasGpu: n.gpu !== undefined,
        allowsPath: (p: string) => n.allowsBindPath(p),
      })),
      containers.map((c) => {
        const rec = recorded[c.node.path];
        return {
          key: c.node.path,
          cores: c.cores,
          memoryMiB: c.memoryMiB,
          gpu: c.hasGpu,
          bindPaths: c.mountedVolumes.flatMap((m) => (m.volume instanceof BindVolume ? [m.volume.hostPath] : [])),
          groups: separate ? c.antiAffinityGroups : [],
          ...(c.ha?.nodes ? { allowedNodes: c.ha.nodes.map((n) => n.nodeName) } : {}),
          ...(c.pinnedNode ? { pinned: c.pinnedNode.nodeName } : {}),
          ...(typeof rec === 'string' ? { recorded: rec } : {}),
        };
      }),
    );
    this.frozenAt = containers.length;
    return this.result;
  }
}
