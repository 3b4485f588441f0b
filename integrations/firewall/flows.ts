import { IConstruct } from 'constructs';
import { Connections, Peer } from '../../constructs/core/connections';
import type { Lab } from '../../constructs/core/lab';
import type { LxcContainer } from '../../constructs/core/lxc-container';
import { Port } from '../../constructs/core/port';
import {
  AppRole, hasAppRole, isHealthProber, isLogSink, isMetricsCollector, isPublicEndpoint, isReverseProxy, isVpnClient,
} from '../../constructs/core/capabilities';
import { LabAspects } from '../../lib/aspects';

/**
 * The lab's integration flows (DESIGN §5), derived from the model rather than written per container:
 * which container plays which part is read from the capabilities it declares
 * (constructs/core/capabilities.ts) when the aspect runs, never from its class name or hostname, so
 * the catalog classes need not know each other and a user's own container named `plex` or `swag`
 * gets nothing it did not declare. The tables below are the whole policy.
 */

/**
 * Which ports of a server a client role uses: 'web' = its web UI ports, 'service' = every TCP port
 * it listens on except metrics ports, or explicit ports.
 */
type PortSelector = 'web' | 'service' | readonly Port[];

/** Client → server flows between app roles, each with the reason it exists. */
export const ROLE_FLOWS: readonly { from: AppRole; to: AppRole; ports: PortSelector; why: string }[] = [
  { from: 'indexer-manager', to: 'challenge-solver', ports: 'service', why: 'Prowlarr solves Cloudflare challenges through FlareSolverr' },
  { from: 'indexer-manager', to: 'media-manager', ports: 'web', why: 'Prowlarr pushes indexers to the *arr apps' },
  { from: 'media-manager', to: 'indexer-manager', ports: 'web', why: 'the *arr apps search through Prowlarr' },
  { from: 'media-manager', to: 'download-client', ports: 'web', why: 'the *arr apps send downloads to qBittorrent' },
  { from: 'release-watcher', to: 'download-client', ports: 'web', why: 'autobrr sends releases to qBittorrent' },
  { from: 'release-watcher', to: 'media-manager', ports: 'web', why: 'autobrr pushes releases to the *arr apps' },
  { from: 'request-manager', to: 'media-manager', ports: 'web', why: 'requests go to the *arr apps' },
  { from: 'request-manager', to: 'media-server', ports: 'web', why: 'the requests app reads the Plex library' },
  { from: 'dashboard', to: 'metrics-store', ports: 'web', why: 'Grafana queries Prometheus' },
  { from: 'dashboard', to: 'log-store', ports: [Port.tcp(3100)], why: 'Grafana queries Loki' },
  { from: 'dashboard', to: 'alert-router', ports: 'web', why: 'Grafana shows Alertmanager silences' },
  { from: 'metrics-store', to: 'alert-router', ports: 'web', why: 'Prometheus sends alerts to Alertmanager' },
  { from: 'alert-router', to: 'notifier', ports: 'web', why: 'Alertmanager delivers notifications to ntfy' },
];

/** node_exporter runs on every container (a host agent, not a modelled compose port). */
export const NODE_EXPORTER_PORT = Port.tcp(9100);

/** The lab's containers that pass a capability guard, in declaration order. */
export function containersThat<T extends LxcContainer>(lab: Lab, guard: (c: LxcContainer) => c is T): T[] {
  return lab.containers.filter(guard);
}

/** The lab's containers that declare an app role. */
export function containersWithRole(lab: Lab, role: AppRole): LxcContainer[] {
  return lab.containers.filter((c) => hasAppRole(c, role));
}

function selectPorts(c: LxcContainer, sel: PortSelector): Port[] {
  if (Array.isArray(sel)) return [...(sel as readonly Port[])];
  if (sel === 'web') return unique(c.webUis.map((u) => Port.tcp(u.port)));
  const metrics = new Set(c.metricsEndpoints.map((m) => m.port));
  return [...c.listeningPorts.keys()]
    .map(parsePort)
    .filter((p) => p.protocol === 'tcp' && !metrics.has(p.port));
}

/** `8080/tcp` → Port. */
export function parsePort(key: string): Port {
  const [n, proto] = key.split('/');
  return proto === 'udp' ? Port.udp(Number(n)) : Port.tcp(Number(n));
}

function unique(ports: Port[]): Port[] {
  return ports.filter((p, i) => ports.findIndex((q) => q.equals(p)) === i);
}

/** Ports a container offers to the internet: only what a PublicEndpoint declares. */
function publicPortsOf(c: LxcContainer): readonly Port[] {
  return isPublicEndpoint(c) ? c.publicPorts : [];
}

const DERIVED = new WeakSet<Lab>();

/**
 * Adds the lab's integration flows to every container's Connections. Runs once per lab, once the
 * tree is final; user-declared connections stay as they are.
 */
export function deriveFlows(lab: Lab): void {
  if (DERIVED.has(lab)) return;
  DERIVED.add(lab);
  const all = lab.containers;
  const swag = containersThat(lab, isReverseProxy);
  const prometheus = containersThat(lab, isMetricsCollector);
  const probers = containersThat(lab, isHealthProber);
  const loki = containersThat(lab, isLogSink);

  for (const c of all) {
    const conn = Connections.of(c);
    for (const ui of c.webUis) {
      const port = Port.tcp(ui.port);
      if (ui.access === 'routed') {
        for (const s of swag) if (s !== c) conn.allowFrom(s, port, { description: `SWAG proxies ${ui.subdomain}` });
      } else {
        conn.allowFrom(Peer.network(c.network), port, { description: `LAN-only ${ui.title}${ui.reason ? ` (${ui.reason})` : ''}` });
      }
    }
    for (const p of prometheus) {
      if (p === c) continue;
      for (const m of c.metricsEndpoints) conn.allowFrom(p, Port.tcp(m.port), { description: `Prometheus scrapes ${m.job}` });
      conn.allowFrom(p, NODE_EXPORTER_PORT, { description: 'Prometheus scrapes node_exporter', requireListening: false });
    }
    for (const b of probers) {
      if (b === c) continue;
      for (const h of c.healthEndpoints) conn.allowFrom(b, Port.tcp(h.port), { description: `${b.hostname} probes ${c.hostname}` });
    }
    for (const port of publicPortsOf(c)) conn.exposeToInternet(port, `${c.hostname} is reachable from outside on ${port}`);
  }
  for (const l of loki) {
    for (const c of all) {
      if (c !== l) Connections.of(l).allowFrom(c, l.logPushPort, { description: 'log agents push to Loki', requireListening: false });
    }
  }
  for (const flow of ROLE_FLOWS) {
    for (const from of containersWithRole(lab, flow.from)) {
      for (const to of containersWithRole(lab, flow.to)) {
        if (from === to) continue;
        for (const port of selectPorts(to, flow.ports)) Connections.of(to).allowFrom(from, port, { description: flow.why });
      }
    }
  }
  // Prowlarr's indexer traffic leaves through the VPN host's proxy (QBittorrent.indexerProxyPort).
  for (const q of containersThat(lab, isVpnClient)) {
    const proxyPort = q.indexerProxyPort;
    if (!proxyPort) continue;
    for (const p of containersWithRole(lab, 'indexer-manager')) {
      Connections.of(q).allowFrom(p, proxyPort, { description: "Prowlarr's indexer proxy through the VPN" });
    }
  }
}

class FlowsAspect {
  constructor(private readonly lab: Lab) {}

  visit(node: IConstruct): void {
    if (node === this.lab) deriveFlows(this.lab);
  }
}

const REGISTERED = new WeakSet<Lab>();

/**
 * Makes the lab derive its flows (idempotent; constructs that need flows call it). The derivation
 * runs at the start of the check phase: after every mutating aspect (one may still add a metrics
 * endpoint or a web UI), before any validation reads the flows. It creates no constructs and only
 * adds Connections entries, which no mutating aspect reads.
 */
export function ensureFlowDerivation(lab: Lab): void {
  if (REGISTERED.has(lab)) return;
  REGISTERED.add(lab);
  LabAspects.of(lab).add(new FlowsAspect(lab), 'check');
}
