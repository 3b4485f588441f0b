import type { VaultRef } from './secret-yaml';

/** ntfy topics per severity. */
export interface NtfyTopics {
  readonly critical: string;
  readonly warning: string;
  readonly info: string;
}

export const DEFAULT_NTFY_TOPICS: NtfyTopics = { critical: 'homelab-critical', warning: 'homelab-warning', info: 'homelab-info' };

export interface AlertmanagerConfigProps {
  /** ntfy's base URL as Alertmanager reaches it, e.g. `http://10.10.10.38`. */
  readonly ntfyUrl: string;
  /** @default DEFAULT_NTFY_TOPICS */
  readonly topics?: NtfyTopics;
  /** File with ntfy's access token (`tk_...`), read by Alertmanager for the Bearer header. */
  readonly ntfyTokenFile: string;
  /**
   * URL the Watchdog is posted to every minute (a dead-man switch such as an Uptime Kuma push
   * monitor or healthchecks.io): a value, or a VaultRef that Ansible renders (serialize with secretYaml).
   */
  readonly heartbeatUrl: string | VaultRef;
  /** @default '30s' */
  readonly groupWait?: string;
  /** @default '5m' */
  readonly groupInterval?: string;
  /** @default '4h' */
  readonly repeatInterval?: string;
}

/** Receiver names, used by the routing tests. */
export const RECEIVERS = { critical: 'ntfy-critical', warning: 'ntfy-warning', info: 'ntfy-info', heartbeat: 'heartbeat' } as const;

// ntfy's priority names; the phone app maps urgent to a persistent, sounding notification.
const PRIORITY: Record<keyof NtfyTopics, string> = { critical: 'urgent', warning: 'high', info: 'low' };

/**
 * alertmanager.yml: routes by severity to ntfy topics through ntfy's built-in `alertmanager`
 * template (ntfy >= 2.14; no bridge container), grouped per alert and stack, resolved notifications
 * on, the Watchdog to the heartbeat receiver, and inhibitions so one dead container sends one alert.
 */
export function alertmanagerConfig(p: AlertmanagerConfigProps): Record<string, unknown> {
  const topics = p.topics ?? DEFAULT_NTFY_TOPICS;
  const ntfy = (severity: keyof NtfyTopics) => ({
    name: RECEIVERS[severity],
    webhook_configs: [
      {
        url: `${p.ntfyUrl.replace(/\/$/, '')}/${topics[severity]}?template=alertmanager&priority=${PRIORITY[severity]}`,
        send_resolved: true,
        max_alerts: 20,
        http_config: { authorization: { type: 'Bearer', credentials_file: p.ntfyTokenFile } },
      },
    ],
  });
  const everyAlert = 'severity=~"critical|warning|info"';
  return {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: RECEIVERS.warning,
      group_by: ['alertname', 'stack'],
      group_wait: p.groupWait ?? '30s',
      group_interval: p.groupInterval ?? '5m',
      repeat_interval: p.repeatInterval ?? '4h',
      routes: [
        // First and final: the Watchdog must never reach a phone, only the dead-man switch.
        { receiver: RECEIVERS.heartbeat, matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' },
        { receiver: RECEIVERS.critical, matchers: ['severity="critical"'], repeat_interval: '1h' },
        { receiver: RECEIVERS.warning, matchers: ['severity="warning"'] },
        { receiver: RECEIVERS.info, matchers: ['severity="info"'], repeat_interval: '24h' },
      ],
    },
    inhibit_rules: [
      // A container whose node_exporter is down is down: its probes, disk, container alerts are noise.
      { source_matchers: ['alertname="InstanceDown"', 'job="node"'], target_matchers: [everyAlert], equal: ['host'] },
      // Any other target down silences the other alerts of that very target.
      { source_matchers: ['alertname="InstanceDown"'], target_matchers: [everyAlert, 'alertname!="InstanceDown"'], equal: ['instance'] },
      // A stopped container (Proxmox says so) explains every alert of its host.
      { source_matchers: ['alertname="ProxmoxGuestDown"'], target_matchers: [everyAlert, 'alertname!="ProxmoxGuestDown"'], equal: ['host'] },
    ],
    receivers: [
      ntfy('critical'),
      ntfy('warning'),
      ntfy('info'),
      { name: RECEIVERS.heartbeat, webhook_configs: [{ url: p.heartbeatUrl, send_resolved: false }] },
    ],
  };
}

/** Alertmanager's command line in the container. */
export function alertmanagerFlags(externalUrl: string): string[] {
  return ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager', `--web.external-url=${externalUrl}`];
}
