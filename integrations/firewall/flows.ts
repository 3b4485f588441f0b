import { IConstruct } from 'constructs';
import { Connections, Peer } from '../../constructs/core/connections';
import type { Lab } from '../../constructs/core/lab';
import type { LxcContainer } from '../../constructs/core/lxc-container';
import { Port } from '../../constructs/core/port';
import { LabAspects } from '../../lib/aspects';

/**
 * The lab's integration flows (DESIGN §5), derived from the model rather than written per container:
 * which container plays which part is looked up by class name or hostname when the aspect runs, so
 * the catalog classes need not know each other. The tables below are the whole policy.
 */
export type LabRole =
  | 'swag' | 'prometheus' | 'loki' | 'grafana' | 'alertmanager' | 'ntfy' | 'blackbox' | 'uptimekuma'
  | 'prowlarr' | 'flaresolverr' | 'arr' | 'qbittorrent' | 'autobrr' | 'requests' | 'plex' | 'rustdesk' | 'wireguard';

/** A container plays a role when its class (or a base class) or its hostname is listed. */
export const ROLE_MATCHERS: Readonly<Record<LabRole, { readonly classes: readonly string[]; readonly hostnames: readonly string[] }>> = {
  swag: { classes: ['Swag'], hostnames: ['swag'] },
  prometheus: { classes: ['Prometheus'], hostnames: ['prometheus'] },
  loki: { classes: ['Loki'], hostnames: ['loki'] },
  grafana: { classes: ['Grafana'], hostnames: ['grafana'] },
  alertmanager: { classes: ['Alertmanager'], hostnames: ['alertmanager'] },
  ntfy: { classes: ['Ntfy'], hostnames: ['ntfy'] },
  blackbox: { classes: ['BlackboxExporter', 'Blackbox'], hostnames: ['blackbox', 'blackbox-exporter'] },
  uptimekuma: { classes: ['UptimeKuma'], hostnames: ['uptime-kuma', 'uptimekuma'] },
  prowlarr: { classes: ['Prowlarr'], hostnames: ['prowlarr'] },
  flaresolverr: { classes: ['FlareSolverr'], hostnames: ['flaresolverr'] },
  arr: { classes: ['Sonarr', 'Radarr', 'Lidarr'], hostnames: ['sonarr', 'radarr', 'lidarr'] },
  qbittorrent: { classes: ['QBittorrent'], hostnames: ['qbittorrent'] },
  autobrr: { classes: ['AutoBrr'], hostnames: ['autobrr'] },
  requests: { classes: ['RequestsApp', 'Seerr', 'Overseerr'], hostnames: ['requests', 'seerr', 'overseerr'] },
  plex: { classes: ['Plex'], hostnames: ['plex'] },
  rustdesk: { classes: ['RustDesk'], hostnames: ['rustdesk'] },
  wireguard: { classes: ['WireGuardServer'], hostnames: ['wireguard'] },
};

/**
 * Which ports of a server a client role uses: 'web' = its web UI ports, 'service' = every TCP port
 * it listens on except metrics ports, or explicit ports.
 */
type PortSelector = 'web' | 'service' | readonly Port[];

/** Client → server flows between roles, each with the reason it exists. */
export const ROLE_FLOWS: readonly { from: LabRole; to: LabRole; ports: PortSelector; why: string }[] = [
  { from: 'prowlarr', to: 'flaresolverr', ports: 'service', why: 'Prowlarr solves Cloudflare challenges through FlareSolverr' },
  { from: 'prowlarr', to: 'arr', ports: 'web', why: 'Prowlarr pushes indexers to the *arr apps' },
  { from: 'arr', to: 'prowlarr', ports: 'web', why: 'the *arr apps search through Prowlarr' },
  { from: 'arr', to: 'qbittorrent', ports: 'web', why: 'the *arr apps send downloads to qBittorrent' },
  { from: 'autobrr', to: 'qbittorrent', ports: 'web', why: 'autobrr sends releases to qBittorrent' },
  { from: 'autobrr', to: 'arr', ports: 'web', why: 'autobrr pushes releases to the *arr apps' },
  { from: 'requests', to: 'arr', ports: 'web', why: 'requests go to the *arr apps' },
  { from: 'requests', to: 'plex', ports: 'web', why: 'the requests app reads the Plex library' },
  { from: 'grafana', to: 'prometheus', ports: 'web', why: 'Grafana queries Prometheus' },
  { from: 'grafana', to: 'loki', ports: [Port.tcp(3100)], why: 'Grafana queries Loki' },
  { from: 'grafana', to: 'alertmanager', ports: 'web', why: 'Grafana shows Alertmanager silences' },
  { from: 'prometheus', to: 'alertmanager', ports: 'web', why: 'Prometheus sends alerts to Alertmanager' },
  { from: 'alertmanager', to: 'ntfy', ports: 'web', why: 'Alertmanager delivers notifications to ntfy' },
];

/** node_exporter runs on every container (a host agent, not a modelled compose port). */
export const NODE_EXPORTER_PORT = Port.tcp(9100);
/** Loki's push API, where every container's log agent ships journald and Docker logs. */
export const LOKI_PUSH_PORT = Port.tcp(3100);

export function hasRole(c: LxcContainer, role: LabRole): boolean {
  const m = ROLE_MATCHERS[role];
  if (m.hostnames.includes(c.hostname)) return true;
  for (let p = Object.getPrototypeOf(c); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    if (m.classes.includes(p.constructor.name)) return true;
  }
  return false;
}

export function containersWithRole(lab: Lab, role: LabRole): LxcContainer[] {
  return lab.containers.filter((c) => hasRole(c, role));
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

/** Ports a container offers to the internet: `publicPorts` (SWAG, RustDesk, WireGuard) or Plex's remote access. */
function publicPortsOf(c: LxcContainer): readonly Port[] {
  const declared = (c as unknown as { publicPorts?: readonly Port[] }).publicPorts;
  if (Array.isArray(declared)) return declared;
  const remote = (c as unknown as { remoteAccessPort?: Port }).remoteAccessPort;
  if (remote instanceof Port) return [remote];
  if (hasRole(c, 'plex')) return [Port.tcp(32400)];
  return [];
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
  const swag = containersWithRole(lab, 'swag');
  const prometheus = containersWithRole(lab, 'prometheus');
  const probers = [...containersWithRole(lab, 'blackbox'), ...containersWithRole(lab, 'uptimekuma')];
  const loki = containersWithRole(lab, 'loki');

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
      if (c !== l) Connections.of(l).allowFrom(c, LOKI_PUSH_PORT, { description: 'log agents push to Loki', requireListening: false });
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
  for (const q of containersWithRole(lab, 'qbittorrent')) {
    const proxyPort = (q as unknown as { indexerProxyPort?: Port }).indexerProxyPort;
    if (!(proxyPort instanceof Port)) continue;
    for (const p of containersWithRole(lab, 'prowlarr')) {
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
