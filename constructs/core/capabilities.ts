import type { IConstruct } from 'constructs';
import type { LxcContainer } from './lxc-container';
import type { Port } from './port';

/**
 * Capabilities, not names (../shared/STYLE.md §11). A container declares what it can do with a
 * symbol brand, the way aws-cdk marks a Stack (`Stack.isStack` checks `Symbol.for('@aws-cdk/core.Stack')`);
 * integration policy (integrations/: flows, firewall, docs, observation) asks for the brand and
 * never for a class name, a hostname or a property that happens to exist. A user's own DockerHost
 * named `plex`, `swag` or `prometheus` therefore gets exactly what its declared capabilities give
 * it: nothing of the catalog service of that name unless it declares the same brand.
 *
 * `Symbol.for` (not `Symbol()`): a brand must survive two copies of this library in one program.
 * Declare a brand as a class field, `readonly [REVERSE_PROXY] = true as const;`.
 */
function brandGuard<T>(brand: symbol): (x: unknown) => x is T {
  return (x: unknown): x is T => typeof x === 'object' && x !== null && (x as Record<symbol, unknown>)[brand] === true;
}

/** Runs a compose project (DockerHost): its services are logged, counted and deployed by the docker roles. */
export const COMPOSE_HOST = Symbol.for('homelab-cdk.capability.ComposeHost');
export interface IComposeHost extends LxcContainer {
  readonly [COMPOSE_HOST]: true;
  /** What policy reads of its services (structural: DockerHost's ComposeServices fit, without a type cycle). */
  readonly composeServices: readonly { readonly node: IConstruct['node']; readonly image: { readonly ref: string } }[];
}
export const isComposeHost = brandGuard<IComposeHost>(COMPOSE_HOST);

/** The lab's HTTPS entry point: proxies every routed web UI, so each routed UI accepts it (SWAG). */
export const REVERSE_PROXY = Symbol.for('homelab-cdk.capability.ReverseProxy');
export interface IReverseProxy extends LxcContainer {
  readonly [REVERSE_PROXY]: true;
}
export const isReverseProxy = brandGuard<IReverseProxy>(REVERSE_PROXY);

/**
 * Reached from the internet on `publicPorts` (the router forwards them): SWAG 80/443, WireGuard,
 * RustDesk, Plex's remote access. Nothing else is ever opened to the internet by policy.
 */
export const PUBLIC_ENDPOINT = Symbol.for('homelab-cdk.capability.PublicEndpoint');
export interface IPublicEndpoint extends LxcContainer {
  readonly [PUBLIC_ENDPOINT]: true;
  readonly publicPorts: readonly Port[];
}
export const isPublicEndpoint = brandGuard<IPublicEndpoint>(PUBLIC_ENDPOINT);

/** Scrapes every container's metrics endpoints and node_exporter (Prometheus). */
export const METRICS_COLLECTOR = Symbol.for('homelab-cdk.capability.MetricsCollector');
export interface IMetricsCollector extends LxcContainer {
  readonly [METRICS_COLLECTOR]: true;
}
export const isMetricsCollector = brandGuard<IMetricsCollector>(METRICS_COLLECTOR);

/** Receives every container's logs on `logPushPort` (Loki). */
export const LOG_SINK = Symbol.for('homelab-cdk.capability.LogSink');
export interface ILogSink extends LxcContainer {
  readonly [LOG_SINK]: true;
  readonly logPushPort: Port;
}
export const isLogSink = brandGuard<ILogSink>(LOG_SINK);

/** Probes every container's health endpoints (Blackbox exporter, Uptime Kuma). */
export const HEALTH_PROBER = Symbol.for('homelab-cdk.capability.HealthProber');
export interface IHealthProber extends LxcContainer {
  readonly [HEALTH_PROBER]: true;
}
export const isHealthProber = brandGuard<IHealthProber>(HEALTH_PROBER);

/** Terminates the lab's remote-access VPN; its client subnet may reach the nodes' management ports. */
export const VPN_SERVER = Symbol.for('homelab-cdk.capability.VpnServer');
export interface IVpnServer extends LxcContainer {
  readonly [VPN_SERVER]: true;
  readonly vpnSubnet: string;
}
export const isVpnServer = brandGuard<IVpnServer>(VPN_SERVER);

/**
 * Sends its internet traffic through a VPN tunnel, and may offer other hosts an HTTP proxy that
 * leaves through it (qBittorrent's host: Prowlarr's indexer traffic uses `indexerProxyPort`).
 */
export const VPN_CLIENT = Symbol.for('homelab-cdk.capability.VpnClient');
export interface IVpnClient extends LxcContainer {
  readonly [VPN_CLIENT]: true;
  readonly indexerProxyPort?: Port;
}
export const isVpnClient = brandGuard<IVpnClient>(VPN_CLIENT);

/** Has steps a user takes once after the first deploy (docs/services.md, "First login"). */
export const FIRST_LOGIN_GUIDE = Symbol.for('homelab-cdk.capability.FirstLoginGuide');
export interface IFirstLoginGuide extends IConstruct {
  readonly [FIRST_LOGIN_GUIDE]: true;
  readonly firstLoginNotes: readonly string[];
}
export const isFirstLoginGuide = brandGuard<IFirstLoginGuide>(FIRST_LOGIN_GUIDE);

/**
 * What an app is to the apps it integrates with: the integration flows between them
 * (integrations/firewall/flows.ts, ROLE_FLOWS) are declared between roles. A service declares its
 * roles with the APP_ROLES brand; a container without it takes part in no app-to-app flow.
 */
export type AppRole =
  | 'indexer-manager'      // Prowlarr
  | 'challenge-solver'     // FlareSolverr
  | 'media-manager'        // Sonarr, Radarr, Lidarr
  | 'download-client'      // qBittorrent
  | 'release-watcher'      // autobrr
  | 'request-manager'      // Seerr, Overseerr
  | 'media-server'         // Plex
  | 'dashboard'            // Grafana
  | 'metrics-store'        // Prometheus (queried by dashboards, sends alerts)
  | 'log-store'            // Loki (queried by dashboards)
  | 'alert-router'         // Alertmanager
  | 'notifier';            // ntfy

export const APP_ROLES = Symbol.for('homelab-cdk.capability.AppRoles');
export interface IAppRoles extends LxcContainer {
  readonly [APP_ROLES]: readonly AppRole[];
}
/** Whether `x` declares `role` (an APP_ROLES brand that lists it). */
export function hasAppRole(x: unknown, role: AppRole): x is IAppRoles {
  if (typeof x !== 'object' || x === null) return false;
  const roles = (x as Record<symbol, unknown>)[APP_ROLES];
  return Array.isArray(roles) && roles.includes(role);
}
