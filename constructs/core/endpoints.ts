import type { IConstruct } from 'constructs';
import { addCheck, fail } from '../../lib/problems';
import { Port } from './port';
import type { BruteForceProtection, ResolvedBruteForceProtection } from './brute-force';

/**
 * One extra path of a routed web UI that SWAG proxies with its own settings (an nginx prefix
 * location next to `location /`).
 */
export interface WebUiLocation {
  /** URL path prefix, e.g. '/admin' or '/library/streams/'. */
  readonly path: string;
  /**
   * Only clients from the lab's own networks (every LAN and the WireGuard VPN subnet) may open it;
   * everyone else gets 403 from SWAG (nginx allow/deny). @default false
   */
  readonly labOnly?: boolean;
  /**
   * Forward the client's request headers. Off is SWAG's Plex sample for /library/streams/: such a
   * location proxies bare (no proxy.conf, `proxy_pass_request_headers off`). @default true
   */
  readonly passRequestHeaders?: boolean;
  /**
   * Access level of this path when it differs from the route's, e.g. `'public'` for Immich's
   * `/api/` under an `sso` route: its mobile app authenticates there with its own tokens and cannot
   * follow Authelia's login redirect. @default - the route's access level
   */
  readonly access?: AccessLevel;
}

/**
 * Who may reach a routed web UI through SWAG.
 * - `public`: anyone on the internet; the app's own (strong) login protects it.
 * - `sso`: Authelia in front (SWAG's authelia-server.conf / authelia-location.conf includes).
 * - `lan`: only clients from the lab's networks (every LAN and the WireGuard subnet); 403 otherwise.
 */
export type AccessLevel = 'public' | 'sso' | 'lan';
export const ACCESS_LEVELS: readonly AccessLevel[] = ['public', 'sso', 'lan'];

/**
 * A known weakness of an app's own authentication, declared by the catalog service: such a UI may
 * be `public` only with an explicit, reasoned `publicBecause` (the synth-time policy check).
 */
export interface AuthenticationRisk {
  /** 'first-run-admin': the first visitor creates the admin account; 'no-authentication': none, or off by default. */
  readonly kind: 'first-run-admin' | 'no-authentication';
  /** What an anonymous visitor could do, in a few words (shown in the error). */
  readonly detail: string;
}

/** How SWAG proxies a routed web UI beyond its defaults (SWAG's proxy.conf). */
export interface WebUiProxyProps {
  /** Buffer the app's answers in SWAG (nginx `proxy_buffering`); off for event streams and media. @default true */
  readonly bufferResponses?: boolean;
  /** Buffer request bodies in SWAG before passing them on (nginx `proxy_request_buffering`); off for streamed publishes and uploads. @default true */
  readonly bufferRequests?: boolean;
  /**
   * Seconds SWAG waits on the app and on the client (nginx `proxy_read_timeout`,
   * `proxy_send_timeout`, `send_timeout`), 1..86400. @default - SWAG's proxy.conf: 240 s
   */
  readonly timeoutSeconds?: number;
  /** Paths with their own settings, e.g. an admin page for the lab's networks only. @default - none */
  readonly locations?: readonly WebUiLocation[];
}

/** WebUiProxyProps with defaults resolved. */
export interface WebUiProxy {
  readonly bufferResponses: boolean;
  readonly bufferRequests: boolean;
  readonly timeoutSeconds?: number;
  readonly locations: readonly (Required<Omit<WebUiLocation, 'access'>> & { readonly access?: AccessLevel })[];
}

/**
 * Resolves and validates a web UI's proxy settings: every value lands in an nginx conf, so a path
 * must be a plain URL path (no spaces, quotes, braces or regex), a timeout an integer in range.
 */
export function resolveWebUiProxy(scope: IConstruct, props: WebUiProxyProps | undefined, port: number): WebUiProxy {
  const p = props ?? {};
  const where = `web UI on port ${port}`;
  for (const key of ['bufferResponses', 'bufferRequests'] as const) {
    const v = p[key];
    if (v !== undefined && typeof v !== 'boolean') fail(scope, `${where}: proxy.${key} must be true or false, got ${JSON.stringify(v)}`, `set proxy.${key}: false to turn buffering off, or leave it out`);
  }
  const t = p.timeoutSeconds;
  if (t !== undefined && (typeof t !== 'number' || !Number.isInteger(t) || t < 1 || t > 86_400)) {
    fail(scope, `${where}: proxy.timeoutSeconds must be an integer 1..86400, got ${JSON.stringify(t)}`, 'give the seconds SWAG waits on the app, e.g. 600');
  }
  if (p.locations !== undefined && !Array.isArray(p.locations)) fail(scope, `${where}: proxy.locations must be a list`, "give a list such as [{ path: '/admin', labOnly: true }]");
  const seen = new Set<string>();
  const locations = (p.locations ?? []).map((l): WebUiProxy['locations'][number] => {
    const path = (l as WebUiLocation | undefined)?.path;
    if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(path)) {
      fail(scope, `${where}: proxy location path ${JSON.stringify(path)} is not a plain URL path`, "write the path prefix alone, starting with '/', without query string, spaces, quotes or regex, e.g. '/admin'");
    }
    if (path === '/') fail(scope, `${where}: proxy location '/' is the UI itself`, "set the UI's own settings on proxy directly and list only sub-paths in locations");
    if (seen.has(path)) fail(scope, `${where}: proxy location '${path}' is listed twice`, 'list each path once');
    seen.add(path);
    for (const key of ['labOnly', 'passRequestHeaders'] as const) {
      const v = l[key];
      if (v !== undefined && typeof v !== 'boolean') fail(scope, `${where}: proxy location '${path}' ${key} must be true or false, got ${JSON.stringify(v)}`, `set ${key} to true or false, or leave it out`);
    }
    if (l.access !== undefined && !ACCESS_LEVELS.includes(l.access)) fail(scope, `${where}: proxy location '${path}' access must be one of ${ACCESS_LEVELS.join(', ')}, got ${JSON.stringify(l.access)}`, "set access: 'public' for a path whose clients bring their own credentials, or leave it out");
    return { path, labOnly: l.labOnly ?? false, passRequestHeaders: l.passRequestHeaders ?? true, ...(l.access !== undefined ? { access: l.access } : {}) };
  });
  return {
    bufferResponses: p.bufferResponses ?? true,
    bufferRequests: p.bufferRequests ?? true,
    ...(t !== undefined ? { timeoutSeconds: t } : {}),
    locations,
  };
}

/** A web UI of a container, and how it is reached. */
export interface WebUiProps {
  /** TCP port on the container's address: `Port.tcp(8989)`. */
  readonly port: Port;
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
  /** How SWAG proxies it (routed UIs only): buffering, timeouts, extra paths. @default - SWAG's proxy.conf as is */
  readonly proxy?: WebUiProxyProps;
  /**
   * Who may reach it through SWAG (routed UIs only): 'public', 'sso' (Authelia) or 'lan'.
   * @default 'sso'
   */
  readonly accessLevel?: AccessLevel;
  /** Why the access level is what it is (the catalog documents its default with it). @default - none */
  readonly accessReason?: string;
  /** A known weakness of the app's own login (the policy check refuses it `public` without publicBecause). @default - none */
  readonly authenticationRisk?: AuthenticationRisk;
  /**
   * The operator's reasoned acknowledgement that a UI with an authenticationRisk is `public`
   * anyway (e.g. 'admin account created and first-run wizard finished on 2026-12-01').
   * @default - none: such a UI cannot be public
   */
  readonly publicBecause?: string;
}

export interface WebUi extends Required<Omit<WebUiProps, 'port' | 'reason' | 'bruteForceProtection' | 'proxy' | 'accessReason' | 'authenticationRisk' | 'publicBecause'>> {
  /** The TCP port number. */
  readonly port: number;
  readonly reason?: string;
  readonly accessReason?: string;
  readonly authenticationRisk?: AuthenticationRisk;
  readonly publicBecause?: string;
  readonly bruteForceProtection?: ResolvedBruteForceProtection;
  readonly proxy: WebUiProxy;
}

/** A Prometheus scrape endpoint served by (a workload of) a container. */
export interface MetricsEndpointProps {
  /** TCP port of the endpoint: `Port.tcp(9707)`. */
  readonly port: Port;
  /** @default '/metrics' */
  readonly path?: string;
  /** Prometheus job name. @default - the container's hostname */
  readonly job?: string;
}

/** A declared metrics endpoint, its port as a number. */
export interface MetricsEndpoint extends Required<Omit<MetricsEndpointProps, 'port'>> {
  readonly port: number;
}

/** An internal health URL probed by Blackbox (http_2xx) or a raw TCP port (tcp_connect). */
export interface HealthEndpointProps {
  /** TCP port: `Port.tcp(8123)`. */
  readonly port: Port;
  /** HTTP path. @default - none: a TCP connect probe */
  readonly path?: string;
  /** @default 'http' (with a path) */
  readonly scheme?: 'http' | 'https';
}

/** A declared health endpoint, its port as a number. */
export interface HealthEndpoint extends Omit<HealthEndpointProps, 'port'> {
  readonly port: number;
}

/** The port number of an endpoint whose port prop was a mistake (reported; nothing is rendered). */
export const INVALID_PORT = 0;

/**
 * The port number of a TCP endpoint prop (a web UI, metrics or health endpoint), with every mistake
 * collected against `scope`: not a Port (a bare number from JavaScript or an old lab), out of range,
 * or UDP. Returns INVALID_PORT while a problem is open (nothing is rendered then).
 */
export function tcpPortOf(scope: IConstruct, value: unknown, what: string): number {
  const problem = (message: string, fix: string) => {
    addCheck(scope, () => [{ message, fix }]);
    return INVALID_PORT;
  };
  if (!(value instanceof Port)) {
    return problem(`${what} port must be a Port, got ${JSON.stringify(value ?? null)}`, `write port: Port.tcp(${typeof value === 'number' ? value : '8080'})`);
  }
  if (value.problem) return problem(`${what} ${value.problem.message}`, value.problem.fix);
  if (value.protocol !== 'tcp') return problem(`${what} port ${value} is UDP; it is served over HTTP/TCP`, `use Port.tcp(${value.port})`);
  return value.port;
}

/**
 * A Port prop whose protocol the context fixes (Port.check): its number, or `fallback` with the
 * problem collected against `scope`, so one wrong port is reported with every other mistake.
 */
export function checkedPort(scope: IConstruct, value: Port | undefined, prop: string, protocol: 'tcp' | 'udp', why: string, fallback: number): number {
  if (value === undefined) return fallback;
  const checked = Port.check(value, prop, protocol, why);
  if ('value' in checked) return checked.value;
  addCheck(scope, () => [checked.problem]);
  return fallback;
}
