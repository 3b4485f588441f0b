import { Construct } from 'constructs';
import { BruteForceProtection, CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret, Size } from '../core';

/** Pinned 2026-11-25: Vaultwarden 1.37.3, the newest 1.37.x release (services.md: 1.37.x). */
export const VAULTWARDEN_IMAGE = Image.of('vaultwarden/server', '1.37.3');

/**
 * What a failed login looks like to the proxy. Vaultwarden answers a wrong password on the token
 * endpoint with 400 invalid_grant (OAuth 2), not 401, and a wrong /admin token with 401. A login
 * that waits for its second factor also gets one 400 first, so each 2FA login counts once: hence
 * 5 tries in 10 minutes, on top of Vaultwarden's own rate limit.
 */
export const VAULTWARDEN_LOGINS: BruteForceProtection = {
  logins: [
    { path: '/identity/connect/token', failureStatuses: [400, 401] },
    { path: '/admin', failureStatuses: [401] },
  ],
  maxRetry: 5,
  findTimeSeconds: 600,
  banTimeSeconds: 3600,
};

export interface VaultwardenProps extends CatalogServiceProps {
  /** SWAG subdomain of the web vault. @default 'vaultwarden' */
  readonly subdomain?: string;
  /** Let anyone with the URL create an account; invite users from /admin instead. @default false */
  readonly signupsAllowed?: boolean;
  /**
   * The /admin token: store an Argon2 PHC string (`docker run --rm -it vaultwarden/server /vaultwarden hash`).
   * @default Secret.vault('vaultwarden_admin_token')
   */
  readonly adminToken?: Secret;
}

/**
 * Vaultwarden, the Bitwarden-compatible password manager. The web vault needs HTTPS (WebCrypto), so
 * it is only used through SWAG; websocket notifications share port 80 since 1.29.
 */
export class Vaultwarden extends CatalogService {
  /** The Vaultwarden container. */
  readonly vaultwarden: ComposeService;
  readonly adminToken: Secret;

  constructor(scope: Construct, id: string, props: VaultwardenProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(8), startupOrder: 50 });
    const subdomain = props.subdomain ?? this.hostname;
    this.adminToken = props.adminToken ?? Secret.vault('vaultwarden_admin_token');
    this.lab.secrets.declare(this, this.adminToken, 'Argon2 PHC hash of the Vaultwarden /admin token (from `vaultwarden hash`).');

    this.vaultwarden = new ComposeService(this, 'vaultwarden', {
      image: this.mainImage(VAULTWARDEN_IMAGE),
      ports: [{ port: Port.tcp(80), description: 'Web vault, API and websocket notifications' }],
      environment: {
        // WebAuthn, attachments and e-mail links are built from this URL.
        DOMAIN: `https://${subdomain}.${this.lab.domain}`,
        SIGNUPS_ALLOWED: props.signupsAllowed ?? false,
        ADMIN_TOKEN: EnvValue.fromSecret(this.adminToken),
        TZ: this.lab.timezone,
      },
      mounts: [{ source: './data', target: '/data' }],
      healthcheck: Healthcheck.http(Port.tcp(80), '/alive'),
    });

    const health = this.addHealthEndpointOf(this.vaultwarden);
    this.addWebUi({
      port: Port.tcp(80),
      access: 'routed',
      subdomain,
      websockets: true,
      healthPath: health.path,
      title: 'Vaultwarden',
      accessLevel: 'public',
      accessReason: 'Bitwarden apps and browser extensions talk to it directly; master password (and 2FA) protect it, /admin stays lab-only',
      bruteForceProtection: VAULTWARDEN_LOGINS,
      // /admin (enabled by ADMIN_TOKEN) from the lab's networks only, as SWAG's sample suggests
      // (linuxserver/reverse-proxy-confs vaultwarden.subdomain.conf.sample: "if you enable admin
      // page via ADMIN_TOKEN env variable consider restricting access to LAN only" with allow/deny).
      proxy: { locations: [{ path: '/admin', labOnly: true }] },
    });
  }
}
