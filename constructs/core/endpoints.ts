import type { BruteForceProtection, ResolvedBruteForceProtection } from './brute-force';

/** A web UI of a container, and how it is reached. */
export interface WebUiProps {
  /** Port on the container's address. */
  readonly port: number;
  /** Scheme the app itself speaks. @default 'http' */
  readonly scheme?: 'http' | 'https';
  /**
   * 'routed': published through SWAG at `<subdomain>.<domain>` (and probed there).
   * 'lan-only': an admin UI that stays on the LAN on purpose (say why in `reason`).
   */
  readonly access: 'routed' | 'lan-only';
  /** Why a UI stays LAN-only; shown in generated docs. @default - none */
  readonly reason?: string;
  /** SWAG subdomain. @default - the container's hostname */
  readonly subdomain?: string;
  /** The app uses websockets (SWAG passes the Upgrade headers). @default false */
  readonly websockets?: boolean;
  /** Lift nginx's request body limit (photo/document uploads). @default false */
  readonly unlimitedBody?: boolean;
  /** Path that answers 2xx without login, for probes. @default '/' */
  readonly healthPath?: string;
  /** Human title for dashboards and docs. @default - the hostname */
  readonly title?: string;
  /** Ban clients that fail its login too often (SWAG's fail2ban; routed UIs only). @default - none */
  readonly bruteForceProtection?: BruteForceProtection;
}

export interface WebUi extends Required<Omit<WebUiProps, 'reason' | 'bruteForceProtection'>> {
  readonly reason?: string;
  readonly bruteForceProtection?: ResolvedBruteForceProtection;
}

/** A Prometheus scrape endpoint served by (a workload of) a container. */
export interface MetricsEndpointProps {
  readonly port: number;
  /** @default '/metrics' */
  readonly path?: string;
  /** Prometheus job name. @default - the container's hostname */
  readonly job?: string;
}

export type MetricsEndpoint = Required<MetricsEndpointProps>;

/** An internal health URL probed by Blackbox (http_2xx) or a raw TCP port (tcp_connect). */
export interface HealthEndpoint {
  readonly port: number;
  /** HTTP path; undefined means a TCP connect probe. */
  readonly path?: string;
  readonly scheme?: 'http' | 'https';
}
