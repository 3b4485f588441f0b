import type { IConstruct } from 'constructs';
import { fail } from '../../lib/problems';
import { toYaml } from '../../lib/yaml';
import { Image, Secret } from '../core';
import type { SwagRoute } from './swag-route';

/**
 * Pinned 2026-12-07: Authelia 4.39.26 (release PR authelia/authelia#13111, 2026-09-12), the
 * newest 4.39 release found. 4.38+ serves the `/api/authz/auth-request` endpoint the generated
 * nginx includes call.
 */
export const AUTHELIA_IMAGE = Image.of('authelia/authelia', '4.39.26');
/** Authelia's portal and API (server.address). */
export const AUTHELIA_PORT = 9091;
/** Authelia's Prometheus endpoint (telemetry.metrics.address). */
export const AUTHELIA_METRICS_PORT = 9959;
/** Authelia's /config inside its container. */
const CONFIG = '/config';

/** One factor (password) or two (password + TOTP or WebAuthn). */
export type AutheliaPolicy = 'one_factor' | 'two_factor';
const POLICIES: readonly AutheliaPolicy[] = ['one_factor', 'two_factor'];

/** Who may pass one `sso` route, and with how many factors. */
export interface AutheliaRouteRule {
  /** @default - the lab-wide `policy` */
  readonly policy?: AutheliaPolicy;
  /** Users must be in one of these groups (users_database.yml `groups`). @default - the lab-wide `groups` */
  readonly groups?: readonly string[];
}

/** SMTP for Authelia's mails (password reset, new 2FA device); the password comes from the vault. */
export interface AutheliaSmtp {
  /** e.g. 'submission://smtp.example.org:587' or 'submissions://smtp.example.org:465'. */
  readonly address: string;
  /** e.g. 'Authelia <authelia@example.org>'. */
  readonly sender: string;
  readonly username: string;
  /** @default Secret.vault('authelia_smtp_password') */
  readonly password?: Secret;
}

export interface SwagAutheliaProps {
  /** Subdomain of the login portal. @default 'auth' */
  readonly subdomain?: string;
  /** Factors every `sso` route asks for unless its rule says otherwise. @default 'two_factor' */
  readonly policy?: AutheliaPolicy;
  /** Groups every `sso` route admits unless its rule says otherwise. @default - every user of the users database */
  readonly groups?: readonly string[];
  /** Per-route rules, by subdomain (e.g. `{ requests: { policy: 'one_factor', groups: ['family'] } }`). @default - none */
  readonly routes?: Readonly<Record<string, AutheliaRouteRule>>;
  /**
   * SMTP notifier. Authelia has no ntfy notifier; without SMTP its messages (one-time codes for
   * registering a 2FA device, password resets) go to /config/notification.txt on the SWAG LXC.
   * @default - the filesystem notifier
   */
  readonly smtp?: AutheliaSmtp;
  /** Another tag of Authelia's image. @default - AUTHELIA_IMAGE's pinned tag */
  readonly imageTag?: string;
}

/** SwagAutheliaProps with defaults resolved and checked. */
export interface ResolvedAuthelia {
  readonly subdomain: string;
  readonly policy: AutheliaPolicy;
  readonly groups: readonly string[];
  readonly routes: Readonly<Record<string, Required<AutheliaRouteRule>>>;
  readonly smtp?: Required<AutheliaSmtp>;
  readonly image: Image;
  readonly sessionSecret: Secret;
  readonly storageKey: Secret;
  readonly resetJwtSecret: Secret;
  readonly usersDatabase: Secret;
}

const GROUP = /^[A-Za-z0-9_.-]{1,64}$/;
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

function checkGroups(scope: IConstruct, where: string, groups: unknown): readonly string[] {
  if (!Array.isArray(groups) || groups.some((g) => typeof g !== 'string' || !GROUP.test(g))) {
    fail(scope, `${where} must be a list of group names, got ${JSON.stringify(groups)}`, "list groups of users_database.yml, e.g. ['admins']");
  }
  return [...(groups as string[])];
}

function checkPolicy(scope: IConstruct, where: string, policy: unknown): AutheliaPolicy {
  if (!POLICIES.includes(policy as AutheliaPolicy)) fail(scope, `${where} must be 'one_factor' or 'two_factor', got ${JSON.stringify(policy)}`, "use 'two_factor' (password + TOTP/WebAuthn) or 'one_factor' (password)");
  return policy as AutheliaPolicy;
}

export function resolveAuthelia(scope: IConstruct, props: SwagAutheliaProps): ResolvedAuthelia {
  const subdomain = props.subdomain ?? 'auth';
  if (!LABEL.test(subdomain)) fail(scope, `authelia.subdomain '${subdomain}' is not a DNS label`, "use lowercase letters, digits and dashes, e.g. 'auth'");
  const policy = checkPolicy(scope, 'authelia.policy', props.policy ?? 'two_factor');
  const groups = checkGroups(scope, 'authelia.groups', props.groups ?? []);
  const routes: Record<string, Required<AutheliaRouteRule>> = {};
  for (const [sub, rule] of Object.entries(props.routes ?? {})) {
    if (!LABEL.test(sub)) fail(scope, `authelia.routes key '${sub}' is not a subdomain`, "key each rule by the route's subdomain, e.g. 'sonarr'");
    routes[sub] = {
      policy: checkPolicy(scope, `authelia.routes.${sub}.policy`, rule.policy ?? policy),
      groups: checkGroups(scope, `authelia.routes.${sub}.groups`, rule.groups ?? groups),
    };
  }
  let smtp: Required<AutheliaSmtp> | undefined;
  if (props.smtp) {
    const s = props.smtp;
    if (typeof s.address !== 'string' || !/^(smtp|submission|submissions):\/\/[A-Za-z0-9.-]+:\d{1,5}$/.test(s.address)) {
      fail(scope, `authelia.smtp.address ${JSON.stringify(s.address)} is not an Authelia SMTP address`, "write it like 'submission://smtp.example.org:587'");
    }
    for (const key of ['sender', 'username'] as const) {
      if (typeof s[key] !== 'string' || s[key].length === 0 || /["\n]/.test(s[key])) fail(scope, `authelia.smtp.${key} must be a non-empty string without quotes or newlines`, `set authelia.smtp.${key}`);
    }
    smtp = { ...s, password: s.password ?? Secret.vault('authelia_smtp_password') };
  }
  return {
    subdomain,
    policy,
    groups,
    routes,
    ...(smtp ? { smtp } : {}),
    image: props.imageTag !== undefined ? AUTHELIA_IMAGE.withTag(props.imageTag) : AUTHELIA_IMAGE,
    sessionSecret: Secret.vault('authelia_session_secret'),
    storageKey: Secret.vault('authelia_storage_encryption_key'),
    resetJwtSecret: Secret.vault('authelia_reset_password_jwt_secret'),
    usersDatabase: Secret.vault('authelia_users_database'),
  };
}

/** The routes Authelia guards: every route with `sso` on `/` or on one of its paths. */
export function ssoRoutes(routes: readonly SwagRoute[]): SwagRoute[] {
  return routes.filter((r) => r.ui.accessLevel === 'sso' || r.ui.proxy.locations.some((l) => l.access === 'sso'));
}

/**
 * Authelia's configuration.yml: no secret in it. The session secret, the storage encryption key,
 * the reset-password JWT secret and the SMTP password reach Authelia as environment variables
 * (the compose project's .env, written by Ansible from the vault); the users database is a file
 * Ansible writes from the vault. access_control denies by default and lists one rule per `sso`
 * route; `public` and `lan` routes never ask Authelia.
 */
export function autheliaConfiguration(a: ResolvedAuthelia, domain: string, routes: readonly SwagRoute[], source: string): string {
  const rules = ssoRoutes(routes).map((r) => {
    const rule = a.routes[r.ui.subdomain] ?? { policy: a.policy, groups: a.groups };
    return {
      domain: [`${r.ui.subdomain}.${domain}`],
      policy: rule.policy,
      ...(rule.groups.length > 0 ? { subject: rule.groups.map((g) => [`group:${g}`]) } : {}),
    };
  });
  const config = {
    theme: 'auto',
    server: { address: `tcp://:${AUTHELIA_PORT}/` },
    log: { level: 'info' },
    telemetry: { metrics: { enabled: true, address: `tcp://:${AUTHELIA_METRICS_PORT}/metrics` } },
    totp: { issuer: domain },
    webauthn: { display_name: `${domain} (homelab)` },
    authentication_backend: {
      // Re-read when Ansible rewrites it: adding a user needs no restart.
      file: { path: `${CONFIG}/users_database.yml`, watch: true, password: { algorithm: 'argon2' } },
    },
    access_control: { default_policy: 'deny', rules },
    session: {
      cookies: [{ domain, authelia_url: `https://${a.subdomain}.${domain}` }],
    },
    regulation: { max_retries: 5, find_time: '10m', ban_time: '30m' },
    storage: { local: { path: `${CONFIG}/db.sqlite3` } },
    notifier: a.smtp
      ? { smtp: { address: a.smtp.address, sender: a.smtp.sender, username: a.smtp.username } }
      : { filesystem: { filename: `${CONFIG}/notification.txt` } },
  };
  return toYaml(config, { header: `Model: ${source}.\nAuthelia ${a.image.tag}: secrets come from the environment (.env), users from users_database.yml.` });
}

/** The model path a generated nginx include comes from (the marker itself is added by the Ansible project). */
const MARKER = (source: string) => `# Model: ${source}.`;

/**
 * /config/nginx/authelia-server.conf (server context of an `sso` route). Same file name and
 * include point as SWAG's sample, written by the swag role so SWAG's init (which copies its
 * sample only when the file is missing) keeps it: the 4.38+ auth-request endpoint, with Authelia
 * reached by its compose service name on the project's network, as in SWAG's sample.
 */
export function autheliaServerConf(source: string): string {
  return [
    MARKER(source),
    '# Authelia >= 4.38 auth-request endpoint, asked by authelia-location.conf before every request.',
    'location = /authelia/api/authz/auth-request {',
    '    internal;',
    '    include /config/nginx/resolver.conf;',
    '    set $upstream_authelia authelia;',
    `    proxy_pass http://$upstream_authelia:${AUTHELIA_PORT}/api/authz/auth-request;`,
    '    proxy_pass_request_body off;',
    '    proxy_set_header Content-Length "";',
    '    proxy_set_header X-Original-Method $request_method;',
    '    proxy_set_header X-Original-URL $scheme://$http_host$request_uri;',
    '    proxy_set_header X-Forwarded-For $remote_addr;',
    '    proxy_set_header X-Forwarded-Proto $scheme;',
    '    proxy_set_header X-Forwarded-Host $http_host;',
    '    proxy_set_header X-Forwarded-URI $request_uri;',
    '}',
    '',
  ].join('\n');
}

/**
 * /config/nginx/authelia-location.conf (inside a location of an `sso` route): ask Authelia first;
 * 401 sends the browser to the portal URL Authelia puts in Location, 403 stays 403. No add_header
 * here: one in a location would drop the server's HSTS header.
 */
export function autheliaLocationConf(source: string): string {
  return [
    MARKER(source),
    'auth_request /authelia/api/authz/auth-request;',
    '',
    '# Who Authelia let in, passed on to the app.',
    'auth_request_set $authelia_user $upstream_http_remote_user;',
    'auth_request_set $authelia_groups $upstream_http_remote_groups;',
    'auth_request_set $authelia_name $upstream_http_remote_name;',
    'auth_request_set $authelia_email $upstream_http_remote_email;',
    'proxy_set_header Remote-User $authelia_user;',
    'proxy_set_header Remote-Groups $authelia_groups;',
    'proxy_set_header Remote-Name $authelia_name;',
    'proxy_set_header Remote-Email $authelia_email;',
    '',
    '# Not signed in: Authelia answers 401 with the portal URL (and the way back) in Location.',
    'auth_request_set $authelia_redirect $upstream_http_location;',
    'error_page 401 =302 $authelia_redirect;',
    '',
  ].join('\n');
}
