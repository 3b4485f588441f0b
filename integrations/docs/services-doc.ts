import { BackupJob } from '../../constructs/core/backup-job';
import { isComposeHost, isFirstLoginGuide, isLogSink, isMetricsCollector, isReverseProxy } from '../../constructs/core/capabilities';
import type { Lab } from '../../constructs/core/lab';
import type { LxcContainer } from '../../constructs/core/lxc-container';
import { BindVolume, StorageVolume } from '../../constructs/core/volume';

function images(c: LxcContainer): string[] {
  return isComposeHost(c) ? c.composeServices.map((s) => s.image.ref) : [];
}

/** Where a container's web UIs are reached: its SWAG URL, or LAN-only with the address and the reason. */
export function urls(c: LxcContainer, domain: string): string[] {
  return c.webUis.map((ui) =>
    ui.access === 'routed'
      ? `https://${ui.subdomain}.${domain} (${ui.accessLevel}${ui.accessReason ? `: ${ui.accessReason}` : ''})`
      : `LAN only: ${ui.scheme}://${c.ipAddress}:${ui.port}${ui.reason ? ` (${ui.reason})` : ''}`,
  );
}

const cell = (s: string) => s.replace(/\|/g, '\\|');
const nodeId = (c: LxcContainer) => c.hostname.replace(/-/g, '_');

/**
 * The node, and for a placed container how it got there: `placed` (this synth chose it; recorded in
 * placement.json), `recorded` (kept from placement.json), plus `HA` for HA-managed ones.
 */
function nodeCell(c: LxcContainer): string {
  const notes = [...(c.pinnedNode ? [] : [c.lab.placement.kindOf(c)]), ...(c.ha ? ['HA'] : [])];
  return `${c.proxmoxNode.nodeName}${notes.length ? ` (${notes.join(', ')})` : ''}`;
}

/**
 * One row per node of a cluster: what it declares (cores and RAM; with overcommit, what placement
 * may fill) against what its containers are allocated, then the services on it. A one-node lab
 * leaves it out: every service is on that node.
 */
function nodesSection(lab: Lab): string[] {
  const out = [
    '## Nodes',
    '',
    'Declared: the node\'s `cores` and `memory`; placement fills up to declared × `cpuOvercommit` / `memoryOvercommit`. Allocated: the sum over its containers.',
    '',
    '| Node | Cores allocated / declared | RAM allocated / declared | Services |',
    '|---|---|---|---|',
  ];
  const over = (factor: number) => (factor === 1 ? '' : ` (× ${factor})`);
  for (const node of lab.nodes) {
    const on = lab.containers.filter((c) => c.proxmoxNode === node);
    const cores = on.reduce((n, c) => n + c.cores, 0);
    const ram = on.reduce((n, c) => n + c.memoryMiB, 0);
    out.push(`| ${[
      node.nodeName,
      `${cores} / ${node.cores}${over(node.cpuOvercommit)}`,
      `${ram} / ${node.memoryMiB} MiB${over(node.memoryOvercommit)}`,
      on.map((c) => `${c.hostname}${c.ha ? ' (HA)' : ''}`).sort().join(', ') || '—',
    ].map(cell).join(' | ')} |`);
  }
  out.push('');
  return out;
}

/**
 * `docs/services.md`: every container of the lab (stack, VMID, IP, URL, resources, volumes, images)
 * and a mermaid diagram of how they integrate, generated from the model so it never drifts.
 */
export function servicesDoc(lab: Lab): string {
  const out: string[] = [
    '# Services of the lab',
    '',
    `The lab of domain \`${lab.domain}\`.`,
    '',
    ...(lab.nodes.length > 1 ? [
      'Node: pinned in the model, or `placed`/`recorded` by automatic placement (placement.json keeps it there; pin it with `node` to move it — README, "From one node to a cluster"); `HA`: managed by Proxmox HA.',
      '',
    ] : []),
  ];
  if (lab.nodes.length > 1) out.push(...nodesSection(lab));
  for (const stack of lab.serviceStacks) {
    const containers = lab.containers.filter((c) => c.stack === stack);
    if (!containers.length) continue;
    out.push(`## ${stack.stackName}${stack.description ? ` — ${stack.description}` : ''}`, '');
    out.push('| Container | VMID | IP | Node | URL | Cores / RAM / disk | Volumes | Images |', '|---|---|---|---|---|---|---|---|');
    for (const c of containers) {
      const vols = c.mountedVolumes.map((m) => `${m.path} ← ${m.volume instanceof BindVolume ? m.volume.hostPath : `${(m.volume as StorageVolume).sizeGiB} GiB volume`}${m.readOnly ? ' (ro)' : ''}`);
      out.push(`| ${[
        c.hostname,
        String(c.vmId),
        c.ipAddress,
        nodeCell(c),
        urls(c, lab.domain).join('<br>') || '—',
        `${c.cores} / ${c.memoryMiB} MiB / ${c.diskGiB} GiB`,
        vols.join('<br>') || '—',
        images(c).join('<br>') || 'native packages',
      ].map(cell).join(' | ')} |`);
    }
    out.push('');
  }
  // Steps a user takes once, after the first deploy (a container offers them as `firstLoginNotes`).
  const notes = lab.containers.flatMap((c) => (isFirstLoginGuide(c) ? c.firstLoginNotes : []).map((n) => `- **${c.hostname}**: ${n}`));
  if (notes.length) out.push('## First login', '', ...notes, '');
  const jobs = lab.node.findAll().filter((c): c is BackupJob => c instanceof BackupJob);
  if (jobs.length) {
    out.push('## Backups', '');
    for (const job of jobs) {
      const r = job.retention;
      out.push(`- **${job.node.id}**: vzdump at \`${job.schedule}\`, keeping ${r.keepDaily} daily, ${r.keepWeekly} weekly and ${r.keepMonthly} monthly archives of ${job.containers().length} containers.`);
    }
    const skipped = lab.containers.filter((c) => !c.backup).map((c) => c.hostname);
    if (skipped.length) out.push(`- Not backed up (stateless): ${skipped.join(', ')}.`);
    const outside = [...new Set(jobs.flatMap((j) => j.hostPathsOutsideBackups()))];
    if (outside.length) {
      out.push(`- **Not in any vzdump archive**: Proxmox skips bind mounts, so these host directories need their own backup (ZFS snapshots, the rclone sync, or an rsync job): ${outside.map((p) => `\`${p}\``).join(', ')}.`);
    }
    out.push('');
  }
  out.push('## Integrations', '', '```mermaid', ...integrationMermaid(lab));
  out.push('```', '');
  return out.join('\n');
}

/** One node of the integration diagram: a container, drawn inside its stack. */
export interface IntegrationNode {
  readonly id: string;
  readonly label: string;
  readonly stack: string;
}

/** One arrow: `kind` is how it is drawn (requests solid, metrics and logs dotted). */
export interface IntegrationEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly kind: 'request' | 'metrics' | 'logs';
}

/** The integration diagram as data: the internet, every container by stack, routes, scrapes and logs. */
export interface IntegrationGraph {
  readonly stacks: readonly { readonly id: string; readonly nodes: readonly IntegrationNode[] }[];
  readonly edges: readonly IntegrationEdge[];
  /** The pseudo-node for "every container ships logs", when the lab has a log sink. */
  readonly allContainers?: IntegrationNode;
}

/** How the lab's services integrate, read from the model (services.md and `homelab-cdk graph` draw it). */
export function integrationGraph(lab: Lab): IntegrationGraph {
  const stacks: { id: string; nodes: IntegrationNode[] }[] = [];
  for (const stack of lab.serviceStacks) {
    const containers = lab.containers.filter((c) => c.stack === stack);
    if (!containers.length) continue;
    stacks.push({ id: stack.stackName, nodes: containers.map((c) => ({ id: nodeId(c), label: `${c.hostname}<br>${c.ipAddress}`, stack: stack.stackName })) });
  }
  // The diagram draws the first of each (the reference lab has one); found by capability, not name.
  const proxy = lab.containers.find(isReverseProxy);
  const prometheus = lab.containers.find(isMetricsCollector);
  const loki = lab.containers.find(isLogSink);
  const edges: IntegrationEdge[] = [];
  if (proxy) edges.push({ from: 'internet', to: nodeId(proxy), label: '443', kind: 'request' });
  for (const c of lab.containers) {
    for (const ui of c.webUis) if (proxy && ui.access === 'routed' && c !== proxy) edges.push({ from: nodeId(proxy), to: nodeId(c), label: ui.subdomain, kind: 'request' });
    if (prometheus && c !== prometheus && c.metricsEndpoints.length) edges.push({ from: nodeId(prometheus), to: nodeId(c), label: 'metrics', kind: 'metrics' });
  }
  const allContainers = loki ? { id: 'all_containers', label: 'every container: node_exporter + log agent', stack: '' } : undefined;
  if (loki) edges.push({ from: 'all_containers', to: nodeId(loki), label: 'logs', kind: 'logs' });
  return { stacks, edges, ...(allContainers ? { allContainers } : {}) };
}

/** The diagram's mermaid lines (`flowchart LR` … without the code fence). */
export function integrationMermaid(lab: Lab): string[] {
  const g = integrationGraph(lab);
  const out = ['flowchart LR', '  internet((Internet))'];
  for (const s of g.stacks) {
    out.push(`  subgraph ${s.id}`);
    for (const n of s.nodes) out.push(`    ${n.id}[${n.label}]`);
    out.push('  end');
  }
  for (const e of g.edges) {
    if (e.from === g.allContainers?.id) out.push(`  ${e.from}[[${g.allContainers.label}]] -.->|${e.label}| ${e.to}`);
    else out.push(`  ${e.from} ${e.kind === 'request' ? '-->' : '-.->'}|${e.label}| ${e.to}`);
  }
  return out;
}

/** The same diagram in Graphviz DOT. */
export function integrationDot(lab: Lab): string[] {
  const g = integrationGraph(lab);
  // Labels carry DOT's own \n line break, so only quotes are escaped (hostnames and ids hold no backslash).
  const q = (s: string) => `"${s.replace(/"/g, '\\"')}"`;
  const out = ['digraph integrations {', '  rankdir=LR;', '  internet [label="Internet", shape=circle];'];
  for (const s of g.stacks) {
    out.push(`  subgraph ${q(`cluster_${s.id}`)} {`, `    label=${q(s.id)};`);
    for (const n of s.nodes) out.push(`    ${q(n.id)} [label=${q(n.label.replace('<br>', '\\n'))}, shape=box];`);
    out.push('  }');
  }
  if (g.allContainers) out.push(`  ${q(g.allContainers.id)} [label=${q(g.allContainers.label)}, shape=box, peripheries=2];`);
  for (const e of g.edges) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.label)}${e.kind === 'request' ? '' : ', style=dashed'}];`);
  out.push('}');
  return out;
}
