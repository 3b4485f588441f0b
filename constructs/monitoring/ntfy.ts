import { Construct } from 'constructs';
import { DEFAULT_NTFY_TOPICS, NtfyTopics } from '../../lib/observability/alertmanager-config';
import { secretYaml, VaultRef } from '../../lib/observability/secret-yaml';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Secret, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { APP_ROLES, AppRole } from '../core/capabilities';

/**
 * Pinned 2026-11-25: v2.14.0 — the release that brought the built-in `alertmanager` message template
 * and declarative users/ACLs/tokens (auth-users, auth-access, auth-tokens), both relied on here.
 */
export const NTFY_IMAGE = Image.of('binwiederhier/ntfy', 'v2.14.0');
export const NTFY_PORT = 80;

export interface NtfyProps extends CatalogServiceProps {
  /** @default 'ntfy' */
  readonly subdomain?: string;
  /** Topics Alertmanager may publish to (write-only for its user). @default DEFAULT_NTFY_TOPICS */
  readonly alertTopics?: NtfyTopics;
  /** @default Secret.vault('ntfy_auth_users') */
  readonly users?: Secret;
}

/**
 * ntfy: the lab's push notification server and Alertmanager's receiver. Routed (its own subdomain:
 * ntfy cannot live under a path) with websockets for the web app and phones. Private: anonymous
 * access is denied; users and the ACL are provisioned from the config, Alertmanager's token from the
 * same vault variable Alertmanager uses.
 */
export class Ntfy extends ConfiguredService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['notifier'];
  readonly ntfy: ComposeService;
  readonly port = NTFY_PORT;
  readonly job = 'ntfy';
  readonly baseUrl: string;
  readonly users: Secret;
  private readonly alertTopics: NtfyTopics;
  private alertmanagerToken?: Secret;

  constructor(scope: Construct, id: string, props: NtfyProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 20 });
    const subdomain = props.subdomain ?? 'ntfy';
    this.baseUrl = `https://${subdomain}.${this.lab.domain}`;
    this.alertTopics = props.alertTopics ?? DEFAULT_NTFY_TOPICS;
    this.users = props.users ?? Secret.vault('ntfy_auth_users');
    this.lab.secrets.declare(this, this.users, "ntfy users as a YAML list of 'name:bcrypt-hash:role' entries (hash with `ntfy user hash`), e.g. your own admin user and 'alertmanager:<hash>:user' for Alertmanager's token.");
    this.lab.secrets.use(this, this.users);
    this.ntfy = new ComposeService(this, 'ntfy', {
      image: this.mainImage(NTFY_IMAGE),
      command: ['serve'],
      ports: [{ port: Port.tcp(NTFY_PORT), description: 'ntfy HTTP API, web app, websockets and /metrics' }],
      environment: { TZ: this.lab.timezone },
      mounts: [
        { source: './config', target: '/etc/ntfy', readOnly: true },
        { source: './cache', target: '/var/cache/ntfy' },
        { source: './lib', target: '/var/lib/ntfy' },
      ],
      healthcheck: Healthcheck.http(Port.tcp(NTFY_PORT), '/v1/health', { tool: 'wget' }),
    });
    const health = this.addHealthEndpointOf(this.ntfy);
    this.addWebUi({
      port: Port.tcp(NTFY_PORT),
      access: 'routed',
      subdomain,
      websockets: true,
      healthPath: health.path,
      title: 'ntfy',
      accessLevel: 'public',
      accessReason: "phones subscribe with the ntfy app, which cannot follow a login redirect; ntfy's own access control guards the topics",
      // ntfy's nginx example (https://docs.ntfy.sh/config/#nginxapache2caddy): `proxy_buffering off`
      // so subscriptions (JSON/SSE streams) reach clients at once, and `proxy_request_buffering off`
      // so a streamed publish reaches ntfy as it is sent.
      proxy: { bufferResponses: false, bufferRequests: false },
    });
    this.addMetricsEndpoint({ port: Port.tcp(NTFY_PORT), job: this.job });
  }

  /** ntfy as Alertmanager reaches it: on the LAN, so alerts do not depend on SWAG, which they watch. */
  get internalUrl(): string {
    return `http://${this.ipAddress}:${NTFY_PORT}`;
  }

  /** Provisions Alertmanager's access token (the same vault variable Alertmanager reads). */
  acceptAlertsWith(token: Secret): void {
    this.lab.secrets.use(this, token);
    this.alertmanagerToken = token;
  }

  /** server.yml; users and the token are vault references rendered by Ansible. */
  config(): Record<string, unknown> {
    const topics = [...new Set(Object.values(this.alertTopics))].sort();
    return {
      'base-url': this.baseUrl,
      'listen-http': `:${NTFY_PORT}`,
      'behind-proxy': true,
      'cache-file': '/var/cache/ntfy/cache.db',
      'cache-duration': '72h',
      'auth-file': '/var/lib/ntfy/user.db',
      'auth-default-access': 'deny-all',
      'auth-users': new VaultRef(this.users.variable),
      'auth-access': topics.map((t) => `alertmanager:${t}:wo`),
      ...(this.alertmanagerToken ? { 'auth-tokens': new VaultRef(`['alertmanager:' ~ ${this.alertmanagerToken.variable} ~ ':Alertmanager']`) } : {}),
      'enable-metrics': true,
      // Instant delivery to iOS goes through ntfy.sh's push relay (only a poll request leaves the lab).
      'upstream-base-url': 'https://ntfy.sh',
    };
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [{ path: 'config/server.yml', content: secretYaml(this.config(), { header: 'ntfy server config; rendered by Ansible with users and tokens from the vault.' }), secret: true, mode: '0600' }];
  }
}
