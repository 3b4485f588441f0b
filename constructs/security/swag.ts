import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { fail } from '../../lib/problems';
import { CatalogService, CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Secret } from '../core';
import { proxyConfFileName, renderProxyConf, routedWebUis, SwagRoute } from './swag-proxy-conf';

/**
 * Pinned 2026-11-25: SWAG 5.8.0 (certbot 5.x), linuxserver build ls487 — an immutable build tag,
 * so a rebuild of the same SWAG version never changes a deployed lab.
 */
export const SWAG_IMAGE = Image.of('lscr.io/linuxserver/swag', '5.8.0-ls487');

export interface SwagProps extends CatalogServiceProps {
  /**
   * certbot DNS plugin for DNS-01 validation; a wildcard certificate can only be validated by DNS.
   * @default 'cloudflare'
   */
  readonly dnsPlugin?: string;
  /**
   * Key of the credential in `/config/dns-conf/<plugin>.ini` (the plugin's documentation names it).
   * @default - `dns_<plugin>_api_token` (cloudflare: dns_cloudflare_api_token)
   */
  readonly dnsCredentialKey?: string;
  /** The DNS provider's API token. @default Secret.vault('swag_dns_api_token') */
  readonly dnsApiToken?: Secret;
  /** Contact address of the ACME account (expiry mails). @default - `admin@<lab domain>` */
  readonly email?: string;
  /** Ask Let's Encrypt's staging CA (no rate limits, untrusted certificates) while testing. @default false */
  readonly staging?: boolean;
}

/**
 * SWAG (nginx + certbot + fail2ban): the lab's one HTTPS entry point. It holds a wildcard
 * certificate for the lab domain (DNS validation) and one proxy conf per routed web UI of the whole
 * lab, generated from the model and deployed into its /config volume by the `swag` Ansible role.
 */
export class Swag extends CatalogService {
  /** The SWAG container. */
  readonly swag: ComposeService;
  readonly dnsPlugin: string;
  readonly dnsCredentialKey: string;
  readonly dnsApiToken: Secret;
  /** SWAG's /config inside the LXC (proxy-confs, dns-conf, certificates, fail2ban). */
  readonly configDir: string;
  /** Ports the internet reaches SWAG on; firewall rules read them from here. */
  readonly publicPorts: readonly Port[] = [Port.tcp(80), Port.tcp(443)];

  constructor(scope: Construct, id: string, props: SwagProps) {
    // Starts last: its upstreams should answer when it begins proxying.
    super(scope, id, props, { cores: 1, memoryMiB: 512, diskGiB: 8, startupOrder: 90 });
    this.dnsPlugin = props.dnsPlugin ?? 'cloudflare';
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(this.dnsPlugin)) fail(this, `dnsPlugin '${this.dnsPlugin}' is not a certbot plugin name`, "use the name SWAG's DNSPLUGIN takes, e.g. 'cloudflare'");
    this.dnsCredentialKey = props.dnsCredentialKey ?? `dns_${this.dnsPlugin.replace(/-/g, '_')}_api_token`;
    if (!/^[a-z0-9_]+$/.test(this.dnsCredentialKey)) fail(this, `dnsCredentialKey '${this.dnsCredentialKey}' is not an ini key`, 'use the key the certbot plugin documents, e.g. dns_cloudflare_api_token');
    this.dnsApiToken = props.dnsApiToken ?? Secret.vault('swag_dns_api_token');
    this.lab.secrets.declare(this, this.dnsApiToken, `${this.dnsPlugin} API token for SWAG's DNS-01 validation (Cloudflare: Zone:DNS:Edit on the zone).`);
    this.lab.secrets.use(this, this.dnsApiToken);
    this.configDir = `${this.projectDir}/config`;

    const owner = this.lab.dataOwner;
    this.swag = new ComposeService(this, 'swag', {
      image: this.mainImage(SWAG_IMAGE),
      ports: [
        { port: Port.tcp(443), description: 'HTTPS reverse proxy for every routed web UI' },
        { port: Port.tcp(80), description: 'HTTP, redirects to HTTPS' },
      ],
      environment: {
        PUID: owner.uid,
        PGID: owner.gid,
        TZ: this.lab.timezone,
        URL: this.lab.domain,
        SUBDOMAINS: 'wildcard',
        VALIDATION: 'dns',
        DNSPLUGIN: this.dnsPlugin,
        EMAIL: props.email ?? `admin@${this.lab.domain}`,
        STAGING: props.staging ?? false,
      },
      mounts: [{ source: './config', target: '/config' }],
      // fail2ban bans through iptables inside the container.
      capAdd: ['NET_ADMIN'],
      // The HTTP server block redirects to HTTPS; curl -f accepts the 301.
      healthcheck: Healthcheck.http(80, '/'),
    });
    this.addHealthEndpoint({ port: 443 });
  }

  /** The routed web UIs of the whole lab (read when rendering, never in a constructor). */
  get routes(): SwagRoute[] {
    return routedWebUis(this.lab.containers);
  }

  /** One proxy conf per routed web UI, keyed by file name. */
  renderProxyConfs(): Map<string, string> {
    return new Map(this.routes.map((r) => [proxyConfFileName(r), renderProxyConf(r, this.lab.domain)]));
  }

  contributeAnsible(project: AnsibleProject): void {
    const confs = this.renderProxyConfs();
    this.setHostVar('swag_config_dir', this.configDir);
    this.setHostVar('swag_container', this.swag.containerName);
    this.setHostVar('swag_dns_plugin', this.dnsPlugin);
    this.setHostVar('swag_dns_credential_key', this.dnsCredentialKey);
    // A reference to the vault variable, resolved on the controller at deploy time.
    this.setHostVar('swag_dns_credential', this.dnsApiToken.jinja);
    this.setHostVar('swag_proxy_confs', [...confs.keys()]);
    super.contributeAnsible(project);
    for (const [name, content] of confs) project.addFile(`files/${this.hostname}/proxy-confs/${name}`, content);
    project.useRole('swag');
    // After the stack's Docker play: the container (and its /config tree) exists by then.
    project.addPlay(this.stack.stackName, {
      name: `Publish the routed web UIs through SWAG on ${this.hostname}`,
      hosts: this.hostname,
      roles: ['swag'],
    });
  }
}
