import type { IConstruct } from 'constructs';
import { fail } from '../../lib/problems';

/** HTTP methods a login request may use. */
export type LoginMethod = 'GET' | 'POST' | 'PUT' | 'PATCH';

/** One login request of a web UI, as it appears in the reverse proxy's access log. */
export interface LoginRequest {
  /** Path of the request, without query string (a trailing slash and a query string still match), e.g. '/identity/connect/token'. */
  readonly path: string;
  /** Method of the request. @default 'POST' */
  readonly method?: LoginMethod;
  /** Response statuses that mean "wrong credentials". @default [401, 403] (unless successStatuses is set) */
  readonly failureStatuses?: readonly number[];
  /**
   * For apps that answer a wrong password with the login form again (200) and a good one with a
   * redirect (Odoo: 303): the statuses of a successful login. Every other answer to the request
   * counts as a failure. Exclusive with failureStatuses. @default - none: failureStatuses decide
   */
  readonly successStatuses?: readonly number[];
}

/** A login request with its defaults resolved: exactly one of the two status lists is non-empty. */
export interface ResolvedLoginRequest {
  readonly path: string;
  readonly method: LoginMethod;
  readonly failureStatuses: readonly number[];
  readonly successStatuses: readonly number[];
}

/**
 * Ban clients that fail to log in too often. The proxy in front of the UI (SWAG) counts failed
 * answers to the login requests in its access log and bans the client address with fail2ban; the
 * app itself needs no log shipping, which is why the rule is written in HTTP terms.
 */
export interface BruteForceProtection {
  /** The login requests whose failed answers count. */
  readonly logins: readonly LoginRequest[];
  /** Failures within `findTimeSeconds` that ban the client. @default 5 */
  readonly maxRetry?: number;
  /** Window in which failures are counted. @default 600 */
  readonly findTimeSeconds?: number;
  /** How long a banned client stays banned. @default 3600 */
  readonly banTimeSeconds?: number;
}

/** BruteForceProtection with its defaults resolved. */
export interface ResolvedBruteForceProtection {
  readonly logins: readonly ResolvedLoginRequest[];
  readonly maxRetry: number;
  readonly findTimeSeconds: number;
  readonly banTimeSeconds: number;
}

const DAY = 86_400;
/** Range rules of the numeric settings: [name, value, min, max]. */
const RANGES = (p: BruteForceProtection): [string, number | undefined, number, number][] => [
  ['maxRetry', p.maxRetry, 1, 100],
  ['findTimeSeconds', p.findTimeSeconds, 10, 7 * DAY],
  ['banTimeSeconds', p.banTimeSeconds, 10, 365 * DAY],
];

/**
 * Resolves defaults and rejects what would make a broken or dangerous jail: a path that is not a
 * plain URL path (it ends up inside a fail2ban regex and an nginx log line), statuses that are not
 * errors (banning on 2xx would ban every user), nonsensical counts.
 */
export function resolveBruteForceProtection(scope: IConstruct, p: BruteForceProtection): ResolvedBruteForceProtection {
  if (p.logins.length === 0) fail(scope, 'bruteForceProtection has no logins', "name at least one login request, e.g. { path: '/login' }");
  for (const [name, value, min, max] of RANGES(p)) {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      fail(scope, `bruteForceProtection.${name} must be an integer ${min}..${max}, got ${value}`, `pick a value in ${min}..${max}`);
    }
  }
  const logins = p.logins.map((l): ResolvedLoginRequest => {
    if (!/^\/[A-Za-z0-9._~\-/]*$/.test(l.path)) {
      fail(scope, `login path '${l.path}' is not a plain URL path`, "write the path alone, starting with '/', without query string, spaces or quotes");
    }
    const method = l.method ?? 'POST';
    if (!(['GET', 'POST', 'PUT', 'PATCH'] as const).includes(method)) fail(scope, `login method '${method}' of login path '${l.path}' is not supported`, 'use GET, POST, PUT or PATCH');
    if (l.successStatuses !== undefined) {
      if (l.failureStatuses !== undefined) fail(scope, `login path '${l.path}' sets both failureStatuses and successStatuses`, 'set one of them: failureStatuses count those answers, successStatuses count every other answer');
      const successStatuses = [...l.successStatuses];
      if (successStatuses.length === 0) fail(scope, `login path '${l.path}' has no successStatuses`, 'list the statuses a successful login answers with, e.g. [303]');
      for (const s of successStatuses) {
        if (!Number.isInteger(s) || s < 100 || s > 599) fail(scope, `success status ${s} of login path '${l.path}' is not an HTTP status`, 'use statuses in 100..599');
      }
      return { path: l.path, method, failureStatuses: [], successStatuses: [...new Set(successStatuses)].sort((a, b) => a - b) };
    }
    const failureStatuses = [...(l.failureStatuses ?? [401, 403])];
    if (failureStatuses.length === 0) fail(scope, `login path '${l.path}' has no failureStatuses`, 'list the statuses a failed login answers with, e.g. [401]');
    for (const s of failureStatuses) {
      if (!Number.isInteger(s) || s < 400 || s > 599) {
        fail(scope, `failure status ${s} of login path '${l.path}' is not an HTTP error status`, 'use 4xx/5xx statuses only: counting successful answers would ban every user (an app that answers a failed login with 200 needs successStatuses instead)');
      }
    }
    return { path: l.path, method, failureStatuses: [...new Set(failureStatuses)].sort((a, b) => a - b), successStatuses: [] };
  });
  return {
    logins,
    maxRetry: p.maxRetry ?? 5,
    findTimeSeconds: p.findTimeSeconds ?? 600,
    banTimeSeconds: p.banTimeSeconds ?? 3600,
  };
}
