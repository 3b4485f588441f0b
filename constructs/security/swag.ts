import { Construct, IConstruct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, fail } from '../../lib/problems';
import { CatalogService, CatalogServiceProps, ComposeService, EnvInput, EnvValue, Healthcheck, Image, Lab, linuxServer, Port, Secret, Size } from '../core';
import { loginJails, LoginJail, renderJailLocal, renderLoginFilter, ResolvedFail2ban, resolveFail2ban, stockJails, SwagFail2ban } from './swag-fail2ban';
import {
  checkAddressRanges,
  dockerMods,
  renderGeoBlockConf,
  resolveCrowdSec,
  resolveGeoBlock,
  ResolvedCrowdSec,
  ResolvedGeoBlock,
  SwagCrowdSec,
  SwagGeoBlock,
} from './swag-mods';
import { proxyConfFileName, renderProxyConf, routedWebUis, SwagRoute } from './swag-proxy-conf';
import {
  AUTHELIA_METRICS_PORT,
  AUTHELIA_PORT,
  autheliaConfiguration,
  autheliaLocationConf,
  autheliaServerConf,
  ResolvedAuthelia,
  resolveAuthelia,
  ssoRoutes,
  SwagAutheliaProps,
} from './swag-authelia';
import { IPublicEndpoint, IReverseProxy, PUBLIC_ENDPOINT, REVERSE_PROXY, isVpnServer } from '../core/capabilities';

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
  /**
   * Send `Strict-Transport-Security: max-age=63072000; includeSubDomains` from every routed UI.
   * Browsers remember it for two years: turn it off only before the first deployment.
   * @default true
   */
  readonly hsts?: boolean;
  /**
   * Client ranges that fail2ban never bans and geo-blocking always lets in.
   * @default - every network of the lab (WireGuard clients arrive masqueraded from the LAN)
   */
  readonly trustedNetworks?: readonly string[];
  /** fail2ban (shipped with SWAG). @default - on, with SWAG's nginx jails and one jail per web UI with bruteForceProtection */
  readonly fail2ban?: SwagFail2ban;
  /** Let only clients from these countries reach the routed UIs (swag-dbip or swag-maxmind mod). @default - no geo-blocking */
  readonly geoBlock?: SwagGeoBlock;
  /** CrowdSec bouncer + AppSec (swag-crowdsec mod) against a CrowdSec LAPI you run. @default - no CrowdSec */
  readonly crowdsec?: SwagCrowdSec;
  /**
   * Authelia, the single sign-on in front of every `sso` route: a companion container on SWAG's
   * LXC, asked through SWAG's authelia-server.conf / authelia-location.conf includes. `false`
   * leaves it out; synth then fails while a route is `sso`.
   * @default - on: portal at auth.<domain>, two factors, every user of the users database
   */
  readonly authelia?: SwagAutheliaProps | false;
}

/** Generated site conf with the geo-blocking lookup (http context). */
export const GEOBLOCK_SITE_CONF = 'homelab-geoblock.conf';

/**
 * SWAG (nginx + certbot + fail2ban): the lab's one HTTPS entry point. It holds a wildcard
 * certificate for the lab domain (DNS validation) and one proxy conf per routed web UI of the whole
 * lab, generated from the model and deployed into its /config volume by the `swag` Ansible role.
 */
export class Swag extends CatalogService implements IReverseProxy, IPublicEndpoint {
  /** Every routed web UI of the lab accepts connections from it. */
  readonly [REVERSE_PROXY] = true as const;
  readonly [PUBLIC_ENDPOINT] = true as const;
  /** The SWAG container. */
  readonly swag: ComposeService;
  readonly dnsPlugin: string;
  readonly dnsCredentialKey: string;
  readonly dnsApiToken: Secret;
  /** SWAG's /config inside the LXC (proxy-confs, dns-conf, certificates, fail2ban). */
  readonly configDir: string;
  /** Ports the internet reaches SWAG on; firewall rules read them from here. */
  readonly publicPorts: readonly Port[] = [Port.tcp(80), Port.tcp(443)];
  readonly hsts: boolean;
  readonly fail2banEnabled: boolean;
  readonly geoBlock?: ResolvedGeoBlock;
  readonly crowdsec?: ResolvedCrowdSec;
  /** Authelia's settings; undefined when it is off. */
  readonly authelia?: ResolvedAuthelia;
  /** Authelia's container; undefined when it is off. */
  readonly autheliaService?: ComposeService;
  /** Authelia's /config inside the LXC (configuration.yml, users_database.yml, db.sqlite3). */
  readonly autheliaDir: string;
  private readonly fail2ban: ResolvedFail2ban;
  private readonly trustedNetworksOverride?: readonly string[];

  constructor(scope: Construct, id: string, props: SwagProps) {
    // Starts last: its upstreams should answer when it begins proxying.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(8), startupOrder: 90 });
    this.dnsPlugin = props.dnsPlugin ?? 'cloudflare';
    if (!/^[a-z0-9][a-z0-9_-]*$/.test(this.dnsPlugin)) fail(this, `dnsPlugin '${this.dnsPlugin}' is not a certbot plugin name`, "use the name SWAG's DNSPLUGIN takes, e.g. 'cloudflare'");
    this.dnsCredentialKey = props.dnsCredentialKey ?? `dns_${this.dnsPlugin.replace(/-/g, '_')}_api_token`;
    if (!/^[a-z0-9_]+$/.test(this.dnsCredentialKey)) fail(this, `dnsCredentialKey '${this.dnsCredentialKey}' is not an ini key`, 'use the key the certbot plugin documents, e.g. dns_cloudflare_api_token');
    this.dnsApiToken = props.dnsApiToken ?? Secret.vault('swag_dns_api_token');
    this.lab.secrets.declare(this, this.dnsApiToken, `${this.dnsPlugin} API token for SWAG's DNS-01 validation (Cloudflare: Zone:DNS:Edit on the zone).`);
    this.lab.secrets.use(this, this.dnsApiToken);
    this.configDir = `${this.projectDir}/config`;

    this.hsts = props.hsts ?? true;
    this.fail2ban = resolveFail2ban(this, props.fail2ban ?? {});
    this.fail2banEnabled = this.fail2ban.enabled;
    if (props.trustedNetworks) {
      checkAddressRanges(this, 'trustedNetworks', props.trustedNetworks);
      this.trustedNetworksOverride = [...props.trustedNetworks];
    }
    if (props.geoBlock) this.geoBlock = resolveGeoBlock(this, props.geoBlock);
    if (props.crowdsec) this.crowdsec = resolveCrowdSec(this, props.crowdsec);

    const environment: Record<string, EnvInput> = {
      URL: this.lab.domain,
      // One wildcard certificate covers every subdomain, routed later or not; only DNS-01 can
      // validate a wildcard, and it needs no port 80 from the internet.
      SUBDOMAINS: 'wildcard',
      VALIDATION: 'dns',
      DNSPLUGIN: this.dnsPlugin,
      EMAIL: props.email ?? `admin@${this.lab.domain}`,
      STAGING: props.staging ?? false,
    };
    if (!this.fail2banEnabled) environment.DISABLE_F2B = true;
    const mods = dockerMods({ geoBlock: this.geoBlock, crowdsec: this.crowdsec });
    if (mods) environment.DOCKER_MODS = mods;
    const maxmind = this.geoBlock?.database.maxmind;
    if (maxmind) {
      this.lab.secrets.declare(this, maxmind.licenseKey, 'MaxMind GeoLite2 license key for SWAG geo-blocking (swag-maxmind mod).');
      environment.MAXMINDDB_LICENSE_KEY = EnvValue.fromSecret(maxmind.licenseKey);
      environment.MAXMINDDB_USER_ID = maxmind.accountId;
    }
    if (this.crowdsec) {
      this.lab.secrets.declare(this, this.crowdsec.apiKey, 'CrowdSec bouncer API key of SWAG (`cscli bouncers add swag`).');
      environment.CROWDSEC_API_KEY = EnvValue.fromSecret(this.crowdsec.apiKey);
      environment.CROWDSEC_LAPI_URL = this.crowdsec.lapiUrl;
      if (this.crowdsec.appSecUrl) environment.CROWDSEC_APPSEC_URL = this.crowdsec.appSecUrl;
    }

    this.swag = new ComposeService(this, 'swag', linuxServer(this.lab, {
      image: this.mainImage(SWAG_IMAGE),
      ports: [
        { port: Port.tcp(443), description: 'HTTPS reverse proxy for every routed web UI' },
        { port: Port.tcp(80), description: 'HTTP, redirects to HTTPS' },
      ],
      environment,
      // fail2ban bans through iptables inside the container.
      capAdd: ['NET_ADMIN'],
      // The HTTP server block redirects to HTTPS; curl -f accepts the 301.
      healthcheck: Healthcheck.http(Port.tcp(80), '/'),
    }));
    this.addHealthEndpoint({ port: Port.tcp(443) });

    this.autheliaDir = `${this.projectDir}/authelia`;
    if (props.authelia !== false) {
      const a = resolveAuthelia(this, props.authelia ?? {});
      this.authelia = a;
      this.lab.secrets.declare(this, a.sessionSecret, "Authelia's session secret (openssl rand -hex 32); changing it signs everyone out.");
      this.lab.secrets.declare(this, a.storageKey, "Authelia's storage encryption key (openssl rand -hex 32; at least 20 characters): encrypts the TOTP and WebAuthn registrations. Never change it once users registered a device.");
      this.lab.secrets.declare(this, a.resetJwtSecret, "Authelia's reset-password JWT secret (openssl rand -hex 32).");
      this.lab.secrets.declare(this, a.usersDatabase, [
        "Authelia's users_database.yml, as text: a `users:` mapping of name -> displayname, email, groups and",
        'password, the argon2id hash (docker run --rm authelia/authelia:4.39.26 authelia crypto hash generate argon2).',
        'Every `sso` route admits the groups named in the model (README, "Access levels").',
      ].join('\n'));
      const environment: Record<string, EnvInput> = {
        TZ: this.lab.timezone,
        AUTHELIA_SESSION_SECRET: EnvValue.fromSecret(a.sessionSecret),
        AUTHELIA_STORAGE_ENCRYPTION_KEY: EnvValue.fromSecret(a.storageKey),
        AUTHELIA_IDENTITY_VALIDATION_RESET_PASSWORD_JWT_SECRET: EnvValue.fromSecret(a.resetJwtSecret),
      };
      if (a.smtp) {
        this.lab.secrets.declare(this, a.smtp.password, `Password of ${a.smtp.username} on ${a.smtp.address}, Authelia's SMTP notifier.`);
        environment.AUTHELIA_NOTIFIER_SMTP_PASSWORD = EnvValue.fromSecret(a.smtp.password);
      }
      // Service and container name 'authelia': SWAG's includes reach it by that name on the
      // compose project's network, as SWAG's own samples do.
      this.autheliaService = new ComposeService(this, 'authelia', {
        image: a.image,
        ports: [
          { port: Port.tcp(AUTHELIA_PORT), description: "Authelia's login portal and auth-request API (behind SWAG)" },
          { port: Port.tcp(AUTHELIA_METRICS_PORT), description: "Authelia's Prometheus metrics" },
        ],
        environment,
        mounts: [{ source: './authelia', target: '/config' }],
        // Alpine-based image: busybox wget, as the image's own healthcheck.sh uses.
        healthcheck: Healthcheck.http(Port.tcp(AUTHELIA_PORT), '/api/health', { tool: 'wget' }),
      });
      this.addWebUi({
        port: Port.tcp(AUTHELIA_PORT),
        access: 'routed',
        subdomain: a.subdomain,
        healthPath: '/api/health',
        title: 'Authelia',
        accessLevel: 'public',
        accessReason: 'the login portal itself: every browser sent to sign in must reach it',
      });
      this.addMetricsEndpoint({ port: Port.tcp(AUTHELIA_METRICS_PORT), job: 'authelia' });
      this.addHealthEndpoint({ port: Port.tcp(AUTHELIA_PORT), path: '/api/health' });
    } else {
      addCheck(this, () => {
        const sso = ssoRoutes(this.routes).map((r) => r.ui.subdomain);
        return sso.length === 0 ? [] : [{
          message: `Authelia is off, but ${sso.join(', ')} ${sso.length === 1 ? 'is' : 'are'} 'sso'`,
          fix: "turn Authelia on (leave swag's authelia out, or give its settings), or set those services' access to 'lan' or 'public'",
        }];
      });
    }
  }

  /** The routed web UIs of the whole lab (read when rendering, never in a constructor). */
  get routes(): SwagRoute[] {
    return routedWebUis(this.lab.containers);
  }

  /**
   * The lab's own client ranges: every LAN and the subnet of each WireGuard server. `labOnly`
   * locations of the proxy confs (Vaultwarden's /admin) let exactly these in. VPN clients usually
   * arrive masqueraded from the WireGuard LXC's LAN address; the VPN subnet is listed as well, so
   * the rule holds without masquerading too.
   */
  get labNetworks(): string[] {
    const vpn = this.lab.containers.filter(isVpnServer).map((w) => w.vpnSubnet);
    return [...new Set([...this.lab.networks.map((n) => n.cidr), ...vpn])];
  }

  /**
   * The lab's SWAG (undefined without one), for apps that must trust exactly its address as their
   * reverse proxy (X-Forwarded-For / X-Real-IP, which SWAG's proxy.conf sets). Read it at render
   * time (e.g. in contributeAnsible or a lazy value), never in a constructor: SWAG may be declared
   * after the app.
   */
  static of(scope: IConstruct): Swag | undefined {
    return Lab.of(scope).containers.find((c): c is Swag => c instanceof Swag);
  }

  /** Ranges never banned nor geo-blocked: the override, or every network of the lab. */
  get trustedNetworks(): string[] {
    return [...(this.trustedNetworksOverride ?? this.lab.networks.map((n) => n.cidr))];
  }

  /** One jail per routed UI that asks for brute-force protection (empty when fail2ban is off). */
  get loginJails(): LoginJail[] {
    return this.fail2banEnabled ? loginJails(this.routes) : [];
  }

  /** One proxy conf per routed web UI, keyed by file name. */
  renderProxyConfs(): Map<string, string> {
    const logins = new Map(this.loginJails.map((j) => [j.route.ui, j]));
    return new Map(this.routes.map((r) => [
      proxyConfFileName(r),
      renderProxyConf(r, this.lab.domain, { hsts: this.hsts, geoBlock: this.geoBlock !== undefined, login: logins.get(r.ui), labNetworks: this.labNetworks }),
    ]));
  }

  /** /config/fail2ban/jail.local; undefined when fail2ban is off. */
  renderJailLocal(): string | undefined {
    if (!this.fail2banEnabled) return undefined;
    // fail2ban also ignores its own addresses (ignoreself); loopback is listed for clarity.
    const defaults = { ...this.fail2ban.defaults, ignoreAddresses: ['127.0.0.1/8', '::1', ...this.trustedNetworks] };
    return renderJailLocal(this.node.path, defaults, [...stockJails(this.fail2ban.disableJails), ...this.loginJails]);
  }

  /** Generated fail2ban filters, keyed by file name in filter.d. */
  renderFail2banFilters(): Map<string, string> {
    return new Map(this.loginJails.map((j) => [`${j.filter}.conf`, renderLoginFilter(j)]));
  }

  /** Authelia's generated files, keyed by path under files/<host>/ (empty when Authelia is off). */
  renderAutheliaFiles(): Map<string, string> {
    if (!this.authelia) return new Map();
    const source = this.node.path;
    return new Map([
      ['authelia/configuration.yml', autheliaConfiguration(this.authelia, this.lab.domain, this.routes, source)],
      ['nginx/authelia-server.conf', autheliaServerConf(source)],
      ['nginx/authelia-location.conf', autheliaLocationConf(source)],
    ]);
  }

  /** Generated site confs (http context), keyed by file name in /config/nginx/site-confs. */
  renderSiteConfs(): Map<string, string> {
    return this.geoBlock ? new Map([[GEOBLOCK_SITE_CONF, renderGeoBlockConf(this.node.path, this.geoBlock, this.trustedNetworks)]]) : new Map();
  }

  contributeAnsible(project: AnsibleProject): void {
    const confs = this.renderProxyConfs();
    const jailLocal = this.renderJailLocal();
    const filters = this.renderFail2banFilters();
    const siteConfs = this.renderSiteConfs();
    this.setHostVar('swag_config_dir', this.configDir);
    this.setHostVar('swag_project_dir', this.projectDir);
    this.setHostVar('swag_container', this.swag.containerName);
    this.setHostVar('swag_service', this.swag.node.id);
    this.setHostVar('swag_dns_plugin', this.dnsPlugin);
    this.setHostVar('swag_dns_credential_key', this.dnsCredentialKey);
    // A reference to the vault variable, resolved on the controller at deploy time.
    this.setHostVar('swag_dns_credential', this.dnsApiToken.jinja);
    this.setHostVar('swag_proxy_confs', [...confs.keys()]);
    this.setHostVar('swag_fail2ban_enabled', this.fail2banEnabled);
    this.setHostVar('swag_fail2ban_filters', [...filters.keys()]);
    // fail2ban refuses to start a jail whose log file does not exist yet.
    this.setHostVar('swag_fail2ban_logs', this.loginJails.map((j) => j.logPath.replace(/^\/config\//, '')));
    this.setHostVar('swag_site_confs', [...siteConfs.keys()]);
    this.setHostVar('swag_geoip_database', this.geoBlock ? this.geoBlock.database.path.replace(/^\/config\//, '') : '');
    this.setHostVar('swag_crowdsec_appsec', this.crowdsec?.appSecUrl !== undefined);
    const authelia = this.renderAutheliaFiles();
    this.setHostVar('swag_authelia_enabled', this.authelia !== undefined);
    // swag_authelia_dir: the role's default, <swag_project_dir>/authelia (the compose mount ./authelia).
    if (this.authelia && this.autheliaService) {
      this.setHostVar('swag_authelia_service', this.autheliaService.node.id);
      this.setHostVar('swag_authelia_users_database', this.authelia.usersDatabase.jinja);
      this.lab.secrets.use(this, this.authelia.usersDatabase);
    }
    super.contributeAnsible(project);
    for (const [name, content] of confs) project.addHostFile(this.hostname, `proxy-confs/${name}`, content);
    if (jailLocal) project.addHostFile(this.hostname, 'fail2ban/jail.local', jailLocal);
    for (const [name, content] of filters) project.addHostFile(this.hostname, `fail2ban/filter.d/${name}`, content);
    for (const [name, content] of siteConfs) project.addHostFile(this.hostname, `site-confs/${name}`, content);
    for (const [path, content] of authelia) project.addHostFile(this.hostname, path, content);
    project.useRole('swag');
    // Before the compose play first starts SWAG: its init obtains the certificate with the DNS
    // credential and nginx starts with the generated confs. Started without them, the init finds
    // no credential, gets no certificate and never starts nginx (init-certbot-config ends in
    // `sleep infinity`), and a reload then has nothing to signal.
    project.addPlay(this.stack.stackName, {
      name: `Write SWAG's configuration on ${this.hostname} before SWAG starts`,
      hosts: this.hostname,
      tasks: [{ name: "Write the DNS credential, proxy confs and fail2ban jails into SWAG's /config", 'ansible.builtin.import_role': { name: 'swag', tasks_from: 'prepare' } }],
    }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
    // After the compose play: checks SWAG's layout, reloads or restarts it, and makes sure nginx runs.
    project.addPlay(this.stack.stackName, {
      name: `Publish the routed web UIs through SWAG on ${this.hostname}`,
      hosts: this.hostname,
      roles: ['swag'],
    });
  }
}
