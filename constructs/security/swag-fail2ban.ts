import type { IConstruct } from 'constructs';
import { fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import type { ResolvedBruteForceProtection, ResolvedLoginRequest } from '../core';
import type { SwagRoute } from './swag-route';

/** Where SWAG's nginx writes its logs inside the container (and in /config on the LXC). */
export const SWAG_NGINX_LOG_DIR = '/config/log/nginx';

/**
 * The nginx jails SWAG ships (linuxserver/docker-swag root/defaults/fail2ban/jail.local), with its
 * settings. Their filters come with the image: fail2ban's own nginx-http-auth and nginx-botsearch,
 * SWAG's nginx-badbots, nginx-deny and nginx-unauthorized.
 */
export const SWAG_STOCK_JAILS = {
  'nginx-http-auth': { logPath: `${SWAG_NGINX_LOG_DIR}/error.log` },
  'nginx-badbots': { logPath: `${SWAG_NGINX_LOG_DIR}/access.log`, maxRetry: 2 },
  'nginx-botsearch': { logPath: `${SWAG_NGINX_LOG_DIR}/access.log` },
  'nginx-deny': { logPath: `${SWAG_NGINX_LOG_DIR}/error.log` },
  'nginx-unauthorized': { logPath: `${SWAG_NGINX_LOG_DIR}/access.log` },
} as const;
export type SwagStockJail = keyof typeof SWAG_STOCK_JAILS;

/** One jail of the generated jail.local. */
export interface Fail2banJail {
  readonly name: string;
  /** Filter name: a file in fail2ban's filter.d (stock) or one generated next to jail.local. */
  readonly filter: string;
  readonly logPath: string;
  readonly maxRetry?: number;
  readonly findTimeSeconds?: number;
  readonly banTimeSeconds?: number;
  /** Where the jail comes from, for the comment above it. */
  readonly source: string;
}

/** A jail for the logins of one routed web UI, with the filter generated for it. */
export interface LoginJail extends Fail2banJail {
  readonly route: SwagRoute;
  readonly protection: ResolvedBruteForceProtection;
  /** nginx log_format that the UI's conf defines and its dedicated access log uses. */
  readonly logFormat: string;
}

/** fail2ban options of SWAG. */
export interface SwagFail2ban {
  /** false sets DISABLE_F2B=true (for example when CrowdSec replaces it). @default true */
  readonly enabled?: boolean;
  /** Stock jails to leave off, e.g. ['nginx-unauthorized'] when an app answers 401 to normal traffic. @default [] */
  readonly disableJails?: readonly SwagStockJail[];
  /** Ban length of the stock jails. @default 600 (SWAG's) */
  readonly banTimeSeconds?: number;
  /** Window of the stock jails. @default 600 (SWAG's) */
  readonly findTimeSeconds?: number;
  /** Failures before a ban in the stock jails. @default 5 (SWAG's) */
  readonly maxRetry?: number;
}

export interface ResolvedFail2ban {
  readonly enabled: boolean;
  readonly disableJails: readonly SwagStockJail[];
  readonly defaults: Omit<Fail2banDefaults, 'ignoreAddresses'>;
}

const DAY = 86_400;
/** Range rules of the [DEFAULT] settings: [name, value, max]; all start at 1. */
const RANGES = (o: SwagFail2ban): [string, number | undefined, number][] => [
  ['banTimeSeconds', o.banTimeSeconds, 365 * DAY],
  ['findTimeSeconds', o.findTimeSeconds, 7 * DAY],
  ['maxRetry', o.maxRetry, 100],
];

/** SWAG's own defaults (600 s ban, 600 s window, 5 failures) unless the options say otherwise. */
export function resolveFail2ban(scope: IConstruct, o: SwagFail2ban): ResolvedFail2ban {
  for (const [name, value, max] of RANGES(o)) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) fail(scope, `fail2ban.${name} must be an integer 1..${max}, got ${value}`, `pick a value in 1..${max}`);
  }
  return {
    enabled: o.enabled ?? true,
    disableJails: [...(o.disableJails ?? [])],
    defaults: { banTimeSeconds: o.banTimeSeconds ?? 600, findTimeSeconds: o.findTimeSeconds ?? 600, maxRetry: o.maxRetry ?? 5 },
  };
}

/** Settings of the [DEFAULT] section: SWAG's defaults, with the lab's networks never banned. */
export interface Fail2banDefaults {
  readonly ignoreAddresses: readonly string[];
  readonly banTimeSeconds: number;
  readonly findTimeSeconds: number;
  readonly maxRetry: number;
}

/**
 * The line layout of a login log. Only `$remote_addr`, the time, the status and the method
 * (which nginx restricts to upper-case letters) come before the one client-controlled field, and
 * nginx escapes `"` in it: a client cannot forge a line or shift the fields a filter reads, as it
 * could with the `combined` format (`$remote_user` comes from the client's Authorization header).
 */
export const LOGIN_LOG_FORMAT = `'$remote_addr [$time_local] $status $request_method "$uri"'`;

/** The jail (and filter) name of a routed UI's login protection. */
export function loginJailName(route: SwagRoute): string {
  return `${route.ui.subdomain}-login`;
}

/** The routed UIs that ask for brute-force protection, as jails. */
export function loginJails(routes: readonly SwagRoute[]): LoginJail[] {
  return routes.flatMap((route) => {
    const protection = route.ui.bruteForceProtection;
    if (!protection) return [];
    const name = loginJailName(route);
    return [{
      name,
      filter: name,
      logPath: `${SWAG_NGINX_LOG_DIR}/${route.ui.subdomain}.access.log`,
      logFormat: `homelab_login_${route.ui.subdomain.replace(/-/g, '_')}`,
      maxRetry: protection.maxRetry,
      findTimeSeconds: protection.findTimeSeconds,
      banTimeSeconds: protection.banTimeSeconds,
      source: `${route.container.node.path} (${route.ui.title})`,
      route,
      protection,
    }];
  });
}

/** The stock jails SWAG ships, minus the disabled ones. */
export function stockJails(disabled: readonly SwagStockJail[]): Fail2banJail[] {
  return (Object.keys(SWAG_STOCK_JAILS) as SwagStockJail[])
    .filter((name) => !disabled.includes(name))
    .map((name) => {
      const settings: { logPath: string; maxRetry?: number } = SWAG_STOCK_JAILS[name];
      return { name, filter: name, logPath: settings.logPath, ...(settings.maxRetry ? { maxRetry: settings.maxRetry } : {}), source: 'SWAG (shipped with the image)' };
    });
}

/** A path as a regex that matches it alone (login paths are plain URL paths, see resolveBruteForceProtection). */
function pathRegex(path: string): string {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  // nginx logs `$uri` normalised (no query string, merged slashes); a trailing slash is optional.
  return `${trimmed.replace(/[.]/g, '\\.')}${trimmed === '/' ? '' : '/?'}`;
}

/** The failregex lines of a login jail's filter, one per login request. */
export function loginFailRegexes(jail: LoginJail): string[] {
  return jail.protection.logins.map((l) => `^<HOST> \\[\\] ${statusRegex(l)} ${l.method} "${pathRegex(l.path)}"$`);
}

/** The failed statuses of one login: the listed ones, or any status but the success ones (a lookahead). */
function statusRegex(l: ResolvedLoginRequest): string {
  return l.successStatuses.length ? `(?!(?:${l.successStatuses.join('|')}) )\\d{3}` : `(?:${l.failureStatuses.join('|')})`;
}

/** fail2ban's filter.d/<jail>.conf for a login jail. */
export function renderLoginFilter(jail: LoginJail): string {
  return renderTemplate('swag/login-filter.conf.hbs', {
    source: jail.route.container.node.path,
    title: jail.route.ui.title,
    subdomain: jail.route.ui.subdomain,
    logFormat: LOGIN_LOG_FORMAT,
    logins: jail.protection.logins.map((l) => ({
      method: l.method,
      path: l.path,
      statuses: l.successStatuses.length ? `anything but ${l.successStatuses.join(', ')} (the success answers)` : l.failureStatuses.join(', '),
    })),
    failRegexes: loginFailRegexes(jail),
  });
}

/** SWAG's /config/fail2ban/jail.local. */
export function renderJailLocal(source: string, defaults: Fail2banDefaults, jails: readonly Fail2banJail[]): string {
  return renderTemplate('swag/jail.local.hbs', {
    source,
    ignoreAddresses: defaults.ignoreAddresses,
    banTime: defaults.banTimeSeconds,
    findTime: defaults.findTimeSeconds,
    maxRetry: defaults.maxRetry,
    jails: jails.map((j) => ({
      name: j.name,
      filter: j.filter,
      logPath: j.logPath,
      source: j.source,
      maxRetry: j.maxRetry,
      findTime: j.findTimeSeconds,
      banTime: j.banTimeSeconds,
    })),
  });
}
