import type { Lab } from '../../constructs/core/lab';
import type { LxcContainer } from '../../constructs/core/lxc-container';

/**
 * What monitoring needs to know about a lab, read from the model once the tree is complete:
 * every host, every metrics endpoint, every probe, every web UI. The config builders in this folder
 * turn it into Prometheus, Glance and Grafana files; nothing is listed twice by hand.
 */
export interface LabObservation {
  readonly domain: string;
  readonly hosts: readonly ObservedHost[];
  readonly metrics: readonly MetricsTarget[];
  readonly probes: readonly ProbeTarget[];
  readonly webUis: readonly WebUiEntry[];
  /** Proxmox nodes (name and API address) the PVE exporter reads. */
  readonly proxmoxNodes: readonly { readonly name: string; readonly address: string }[];
}

export interface ObservedHost {
  readonly hostname: string;
  readonly address: string;
  readonly stack: string;
  readonly vmId: number;
  /** Runs a compose project (its Docker containers are logged and counted). */
  readonly docker: boolean;
  readonly container: LxcContainer;
}

/** One scrape target; targets sharing a job become one scrape config. */
export interface MetricsTarget {
  readonly job: string;
  readonly address: string;
  readonly path: string;
  readonly host: string;
  readonly stack: string;
  readonly owner: LxcContainer;
}

/** Blackbox modules the lab's probes use (see blackbox-config.ts). */
export type ProbeModule = 'http_2xx' | 'http_2xx_selfsigned' | 'tcp_connect';

/**
 * A Blackbox probe. `route`: the public URL through SWAG (TLS expiry comes from it); `internal`:
 * an app's own health URL on its LXC; `tcp`: a raw port (SMB, RustDesk).
 */
export interface ProbeTarget {
  readonly module: ProbeModule;
  readonly target: string;
  readonly kind: 'route' | 'internal' | 'tcp';
  readonly host: string;
  readonly stack: string;
  readonly owner: LxcContainer;
}

/** A web UI as dashboards list it: where users open it and where its health is checked. */
export interface WebUiEntry {
  readonly title: string;
  readonly host: string;
  readonly stack: string;
  readonly access: 'routed' | 'lan-only';
  /** `https://<subdomain>.<domain>` for routed UIs, the LXC address for LAN-only ones. */
  readonly url: string;
  /** `http://<ip>:<port><healthPath>`: answered by the app itself, without SWAG. */
  readonly checkUrl: string;
  readonly selfSigned: boolean;
}

/** node_exporter's port on every LXC (Debian's prometheus-node-exporter default). */
export const NODE_EXPORTER_PORT = 9100;
/** Where node_exporter's textfile collector reads `*.prom` files (Debian's compiled-in default). */
export const NODE_EXPORTER_TEXTFILE_DIR = '/var/lib/prometheus/node-exporter';

const byHost = <T extends { stack: string; host: string }>(a: T, b: T) => a.stack.localeCompare(b.stack) || a.host.localeCompare(b.host);

/** Reads the observation of `lab`. Call after the tree is complete (aspects, render hooks). */
export function observeLab(lab: Lab): LabObservation {
  const hosts: ObservedHost[] = lab.containers.map((c) => ({
    hostname: c.hostname,
    address: c.ipAddress,
    stack: c.stack.stackName,
    vmId: c.vmId,
    docker: 'composeServices' in c,
    container: c,
  }));
  const metrics: MetricsTarget[] = [];
  const probes: ProbeTarget[] = [];
  const webUis: WebUiEntry[] = [];
  const seenProbe = new Set<string>();
  const addProbe = (p: ProbeTarget) => {
    const key = `${p.module} ${p.target}`;
    if (seenProbe.has(key)) return;
    seenProbe.add(key);
    probes.push(p);
  };
  for (const h of hosts) {
    const c = h.container;
    const base = { host: h.hostname, stack: h.stack, owner: c };
    for (const m of c.metricsEndpoints) metrics.push({ ...base, job: m.job, address: `${h.address}:${m.port}`, path: m.path });
    for (const ui of c.webUis) {
      const checkUrl = `${ui.scheme}://${h.address}:${ui.port}${ui.healthPath}`;
      const url = ui.access === 'routed' ? `https://${ui.subdomain}.${lab.domain}` : `${ui.scheme}://${h.address}:${ui.port}`;
      webUis.push({ title: ui.title, host: h.hostname, stack: h.stack, access: ui.access, url, checkUrl, selfSigned: ui.scheme === 'https' });
      if (ui.access === 'routed') addProbe({ ...base, module: 'http_2xx', kind: 'route', target: `https://${ui.subdomain}.${lab.domain}${ui.healthPath}` });
      addProbe({ ...base, module: ui.scheme === 'https' ? 'http_2xx_selfsigned' : 'http_2xx', kind: 'internal', target: checkUrl });
    }
    for (const e of c.healthEndpoints) {
      if (e.path === undefined) addProbe({ ...base, module: 'tcp_connect', kind: 'tcp', target: `${h.address}:${e.port}` });
      else {
        const scheme = e.scheme ?? 'http';
        addProbe({ ...base, module: scheme === 'https' ? 'http_2xx_selfsigned' : 'http_2xx', kind: 'internal', target: `${scheme}://${h.address}:${e.port}${e.path}` });
      }
    }
  }
  metrics.sort((a, b) => a.job.localeCompare(b.job) || byHost(a, b) || a.address.localeCompare(b.address));
  probes.sort((a, b) => a.module.localeCompare(b.module) || byHost(a, b) || a.target.localeCompare(b.target));
  webUis.sort((a, b) => byHost(a, b) || a.title.localeCompare(b.title));
  return {
    domain: lab.domain,
    hosts: [...hosts].sort((a, b) => byHost({ stack: a.stack, host: a.hostname }, { stack: b.stack, host: b.hostname })),
    metrics,
    probes,
    webUis,
    proxmoxNodes: lab.nodes.map((n) => ({ name: n.nodeName, address: n.address })),
  };
}

/** Stacks that have at least one container, in the lab's declaration order. */
export function observedStacks(lab: Lab): string[] {
  return lab.serviceStacks.map((s) => s.stackName).filter((name) => lab.containers.some((c) => c.stack.stackName === name));
}
