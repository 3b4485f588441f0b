import { Construct } from 'constructs';
import { alertmanagerConfig, alertmanagerFlags, DEFAULT_NTFY_TOPICS, NtfyTopics } from '../../lib/observability/alertmanager-config';
import { secretYaml, VaultRef } from '../../lib/observability/secret-yaml';
import { addCheck } from '../../lib/problems';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Secret, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: v0.34.0 (2026-08-16) is the newest Alertmanager release upstream. */
export const ALERTMANAGER_IMAGE = Image.of('prom/alertmanager', 'v0.34.0');
export const ALERTMANAGER_PORT = 9093;
const NOBODY = 65534;
/** Inside the container; the file is rendered by Ansible from the vault. */
export const NTFY_TOKEN_FILE = '/etc/alertmanager/secrets/ntfy-token';

export interface AlertmanagerProps extends CatalogServiceProps {
  /** ntfy topics per severity. @default DEFAULT_NTFY_TOPICS */
  readonly topics?: NtfyTopics;
  /** ntfy access token (tk_...) of the user Alertmanager publishes as. @default Secret.vault('ntfy_alertmanager_token') */
  readonly ntfyToken?: Secret;
  /** The dead-man switch URL the Watchdog is posted to. @default Secret.vault('alertmanager_heartbeat_url') */
  readonly heartbeatUrl?: Secret;
}


/**
 * Alertmanager: routes alerts by severity to ntfy topics, the Watchdog to a dead-man switch.
 * LAN-only on purpose: it has no login, and its UI and API let anyone create silences — routed
 * through SWAG, anyone on the internet could mute the lab's alerting.
 */
export class Alertmanager extends ConfiguredService {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['alert-router'];
  readonly alertmanager: ComposeService;
  readonly port = ALERTMANAGER_PORT;
  readonly job = 'alertmanager';
  readonly topics: NtfyTopics;
  readonly ntfyToken: Secret;
  readonly heartbeatUrl: Secret;
  private ntfy?: () => string;

  constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 20 });
    this.topics = props.topics ?? DEFAULT_NTFY_TOPICS;
    this.ntfyToken = props.ntfyToken ?? Secret.vault('ntfy_alertmanager_token');
    this.heartbeatUrl = props.heartbeatUrl ?? Secret.vault('alertmanager_heartbeat_url');
    this.lab.secrets.declare(this, this.ntfyToken, 'ntfy access token (tk_ followed by 29 characters, e.g. `ntfy token add --label=alertmanager alertmanager` or any random tk_ string): Alertmanager publishes with it, ntfy provisions it for its user alertmanager.');
    this.lab.secrets.declare(this, this.heartbeatUrl, "URL of the dead-man switch the Watchdog alert is posted to every minute, e.g. an Uptime Kuma push monitor's URL (https://uptime-kuma.<domain>/api/push/<token>) or a healthchecks.io ping URL.");
    this.lab.secrets.use(this, this.ntfyToken);
    this.lab.secrets.use(this, this.heartbeatUrl);
    this.alertmanager = new ComposeService(this, 'alertmanager', {
      image: this.mainImage(ALERTMANAGER_IMAGE),
      // Links in notifications point here; the planned address is known now, the allocated one only at render time.
      command: alertmanagerFlags(`http://${props.ipAddress ?? this.hostname}:${ALERTMANAGER_PORT}`),
      ports: [{ port: Port.tcp(ALERTMANAGER_PORT), description: 'Alertmanager UI, API (Prometheus sends alerts here) and /metrics' }],
      // The image runs as nobody.
      mounts: [
        { source: './config', target: '/etc/alertmanager', readOnly: true, owner: { uid: NOBODY, gid: NOBODY } },
        { source: './data', target: '/alertmanager', owner: { uid: NOBODY, gid: NOBODY } },
      ],
      healthcheck: Healthcheck.http(Port.tcp(ALERTMANAGER_PORT), '/-/healthy', { tool: 'wget' }),
    });
    this.addWebUi({
      port: Port.tcp(ALERTMANAGER_PORT),
      access: 'lan-only',
      reason: 'no login: anyone reaching the UI or API can silence every alert of the lab',
      healthPath: '/-/healthy',
      title: 'Alertmanager',
    });
    this.addMetricsEndpoint({ port: Port.tcp(ALERTMANAGER_PORT), job: this.job });
    addCheck(this, () => (this.ntfy ? [] : [{ message: 'Alertmanager has no ntfy server to deliver alerts to', fix: 'enable ntfy in the monitoring stack, or call alertmanager.deliverTo(...)' }]));
  }

  /** Delivers to the ntfy server at this base URL (`http://ip:port`). */
  deliverTo(ntfyBaseUrl: () => string): void {
    this.ntfy = ntfyBaseUrl;
  }

  /** alertmanager.yml; the heartbeat URL is a vault reference rendered by Ansible. */
  config(): Record<string, unknown> {
    return alertmanagerConfig({
      ntfyUrl: this.ntfy?.() ?? 'http://ntfy.invalid',
      topics: this.topics,
      ntfyTokenFile: NTFY_TOKEN_FILE,
      heartbeatUrl: new VaultRef(this.heartbeatUrl.variable),
    });
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [
      // Both carry secrets (the heartbeat URL, the ntfy token): readable by the image's user
      // (nobody, 65534:65534 in prom/alertmanager) only through its group, by no one else on the host.
      { path: 'config/alertmanager.yml', content: secretYaml(this.config()), secret: true, mode: '0440', owner: 0, group: NOBODY },
      { path: 'config/secrets/ntfy-token', content: `${this.ntfyToken.jinja}\n`, secret: true, raw: true, mode: '0440', owner: 0, group: NOBODY },
    ];
  }

}
