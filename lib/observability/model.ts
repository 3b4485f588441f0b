import type { IConstruct } from 'constructs';

/**
 * What monitoring needs to know about a lab, read from the model once the tree is complete:
 * every host, every metrics endpoint, every probe, every web UI. The config builders in this folder
 * turn it into Prometheus, Glance and Grafana files; nothing is listed twice by hand.
 *
 * This is the framework's side: plain data, generic over the construct that owns an entry (`C`), so
 * these builders import nothing from the model. integrations/observability/observe-lab.ts reads a
 * Lab into it.
 */
export interface LabObservation<C extends IConstruct = IConstruct> {
  readonly domain: string;
  readonly hosts: readonly ObservedHost<C>[];
  readonly metrics: readonly MetricsTarget<C>[];
  readonly probes: readonly ProbeTarget<C>[];
  readonly webUis: readonly WebUiEntry[];
  /** Proxmox nodes (name and API address) the PVE exporter reads. */
  readonly proxmoxNodes: readonly { readonly name: string; readonly address: string }[];
}

export interface ObservedHost<C extends IConstruct = IConstruct> {
  readonly hostname: string;
  readonly address: string;
  readonly stack: string;
  readonly vmId: number;
  /** Runs a compose project (its Docker containers are logged and counted). */
  readonly docker: boolean;
  readonly container: C;
}

/** One scrape target; targets sharing a job become one scrape config. */
export interface MetricsTarget<C extends IConstruct = IConstruct> {
  readonly job: string;
  readonly address: string;
  readonly path: string;
  readonly host: string;
  readonly stack: string;
  readonly owner: C;
}

/** Blackbox modules the lab's probes use (see blackbox-config.ts). */
export type ProbeModule = 'http_2xx' | 'http_2xx_selfsigned' | 'tcp_connect';

/**
 * A Blackbox probe. `route`: the public URL through SWAG (TLS expiry comes from it); `internal`:
 * an app's own health URL on its LXC; `tcp`: a raw port (SMB, RustDesk).
 */
export interface ProbeTarget<C extends IConstruct = IConstruct> {
  readonly module: ProbeModule;
  readonly target: string;
  readonly kind: 'route' | 'internal' | 'tcp';
  readonly host: string;
  readonly stack: string;
  readonly owner: C;
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

/** Target label of the per-node PVE scrape (a cluster's PVE_NODES_JOB): the node's Proxmox name. */
export const PVE_NODE_LABEL = 'pve_node';
/** The job that scrapes every node's own API in a cluster (the `pve` job reads the cluster view once). */
export const PVE_NODES_JOB = 'pve-nodes';
