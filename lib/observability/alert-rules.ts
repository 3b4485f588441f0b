import { NODE_EXPORTER_PORT, NODE_EXPORTER_TEXTFILE_DIR } from './model';
import { durationSeconds, expressionProblem, formatDuration, isDuration, regexAlternatives, selector } from './promql';

/** Who gets woken up: critical and warning reach the phone, info is a digest, none is the Watchdog. */
export type Severity = 'critical' | 'warning' | 'info' | 'none';
export const SEVERITIES: readonly Severity[] = ['critical', 'warning', 'info', 'none'];

/** One input series of a promtool unit test: `metric{labels}` and promtool's expanding notation. */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

/**
 * Proof that a rule does what it says: series under which it fires (with the labels the alert then
 * carries) and series under which it stays silent. Generated into promtool test files.
 */
export interface AlertRuleTest {
  /** Sample spacing of the series. @default '1m' */
  readonly interval?: string;
  /** When to evaluate, after the rule's `for`. */
  readonly evalTime: string;
  readonly firing: readonly InputSeries[];
  /** Labels of each alert expected to fire, from the series (severity and rule labels are added). */
  readonly alerts: readonly Readonly<Record<string, string>>[];
  /** Series under which no alert of this name may fire; omitted only for rules that always fire (Watchdog). */
  readonly silent?: readonly InputSeries[];
  /** More situations in which it must fire (another branch of an `or`), each tested on its own. @default [] */
  readonly alsoFiresWhen?: readonly { readonly name: string; readonly series: readonly InputSeries[]; readonly alerts: readonly Readonly<Record<string, string>>[] }[];
}

/** An alerting rule with everything a person woken by it needs. */
export interface AlertRuleDefinition {
  /** Alert name, unique within its rule group (the stack). */
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold. @default - fire at once */
  readonly for?: string;
  readonly severity: Severity;
  /** One line; may use `{{ $labels.<name> }}`. */
  readonly summary: string;
  /** What is wrong and what it affects; may use `{{ $labels.<name> }}`. */
  readonly description: string;
  /** The first thing to check or do. */
  readonly runbook: string;
  /** Extra labels (override the series' labels). @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Generated unit test. @default - none (the rule is reported as untested) */
  readonly test?: AlertRuleTest;
}

/** Rules of one stack, written to `rules/<name>.yml`; `source` names the construct behind each rule. */
export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly { readonly rule: AlertRuleDefinition; readonly source: string }[];
}

const ALERT_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Problems of a rule definition, each `{message, fix}` (the construct adds its path). */
export function ruleProblems(rule: AlertRuleDefinition): { message: string; fix: string }[] {
  const out: { message: string; fix: string }[] = [];
  if (!ALERT_NAME.test(rule.alert)) out.push({ message: `alert name '${rule.alert}' is invalid`, fix: 'use letters, digits and _ (CamelCase by convention), not starting with a digit' });
  const exprProblem = expressionProblem(rule.expr);
  if (exprProblem) out.push({ message: `alert '${rule.alert}' has an invalid expression: ${exprProblem}`, fix: 'fix the PromQL (promtool check rules on the generated file shows the full parser error)' });
  if (rule.for !== undefined && !isDuration(rule.for)) out.push({ message: `alert '${rule.alert}' has for: '${rule.for}', which is not a duration`, fix: "write it like '5m' or '1h30m'" });
  if (!SEVERITIES.includes(rule.severity)) out.push({ message: `alert '${rule.alert}' has severity '${String(rule.severity)}'`, fix: `use one of ${SEVERITIES.join(', ')}` });
  for (const [what, text] of [['summary', rule.summary], ['description', rule.description], ['runbook', rule.runbook]] as const) {
    if (!text || !text.trim()) out.push({ message: `alert '${rule.alert}' has no ${what}`, fix: `say in the ${what} what a person woken by it needs to know` });
  }
  for (const k of Object.keys(rule.labels ?? {})) {
    if (!LABEL_NAME.test(k) || k === 'severity' || k === 'alertname') out.push({ message: `alert '${rule.alert}' sets label '${k}'`, fix: 'use a valid label name other than severity and alertname (set severity with the severity prop)' });
  }
  if (rule.test && !isDuration(rule.test.evalTime)) out.push({ message: `alert '${rule.alert}' has a test evalTime '${rule.test.evalTime}'`, fix: "write it like '10m'" });
  return out;
}

/** The rules file of a group, as promtool and Prometheus read it. */
export function ruleFile(group: RuleGroup): Record<string, unknown> {
  return {
    groups: [
      {
        name: group.name,
        rules: group.rules.map(({ rule }) => ({
          alert: rule.alert,
          expr: rule.expr,
          ...(rule.for ? { for: rule.for } : {}),
          labels: { severity: rule.severity, ...sortedLabels(rule.labels ?? {}) },
          annotations: { summary: rule.summary, description: rule.description, runbook: rule.runbook },
        })),
      },
    ],
  };
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

// ---------------------------------------------------------------------------------------------
// Built-in rules generated from the model.

/** A scrape target as the rules and their tests see it. */
export interface TargetSample {
  readonly host: string;
  readonly stack: string;
  readonly address: string;
}

/** What the stack's rules are generated from. */
export interface StackRuleContext {
  readonly stack: string;
  /** Every LXC of the stack (node_exporter runs on each). */
  readonly hosts: readonly (TargetSample & { readonly vmId: number; readonly docker: boolean })[];
  /** Probes of the stack's hosts (one sample of each kind is enough for the tests). */
  readonly probes: readonly { readonly host: string; readonly target: string; readonly kind: 'route' | 'internal' | 'tcp'; readonly job: string }[];
  /** The lab scrapes the PVE exporter (guest rules need it). */
  readonly pve?: { readonly exporterJob: string; readonly nodeAddress: string; readonly exporterHost: string; readonly exporterStack: string };
  /** VMIDs of the stack that must be in a Proxmox backup job. */
  readonly backupVmIds: readonly number[];
  /** WireGuard tunnels of the stack's hosts (their handshakes are textfile metrics). @default [] */
  readonly tunnels?: readonly (TargetSample & { readonly interface: string })[];
}

const FS = [['fstype', 'tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*', '!~'], ['mountpoint', '/(dev|proc|run|sys)($|/).*', '!~']] as const;
const GIB = 1073741824;

/** A promtool series `metric{a="x", b="y"}` (spaces so long ones can fold in YAML). */
function series(metric: string, labels: Record<string, string>): string {
  return `${metric}${selector(Object.entries(labels).map(([k, v]) => [k, v] as const)).replace(/",/g, '", ')}`;
}

function nodeLabels(t: TargetSample): Record<string, string> {
  return { host: t.host, instance: `${t.address}:${NODE_EXPORTER_PORT}`, job: 'node', stack: t.stack };
}

/** Rules every stack gets: targets, probes, disks, memory, containers, Proxmox guests, backups. */
export function stackAlertRules(ctx: StackRuleContext): AlertRuleDefinition[] {
  const S = ctx.stack;
  const rules: AlertRuleDefinition[] = [];
  const first = ctx.hosts[0];
  if (!first) return rules;
  const node = nodeLabels(first);

  rules.push({
    alert: 'InstanceDown',
    expr: `up{stack="${S}",probe=""} == 0`,
    for: '3m',
    severity: 'critical',
    summary: '{{ $labels.host }}: {{ $labels.job }} at {{ $labels.instance }} is down',
    description: `Prometheus has not been able to scrape {{ $labels.instance }} (job {{ $labels.job }}) of the ${S} stack for 3 minutes. When the job is node, the whole container is unreachable and its other alerts are silenced.`,
    runbook: 'Check the container in Proxmox (pct status), then on it: systemctl status prometheus-node-exporter, or docker compose ps in /opt/homelab/{{ $labels.host }}.',
    test: {
      evalTime: '10m',
      firing: [{ series: series('up', node), values: '1 1 0x10' }],
      alerts: [node],
      silent: [{ series: series('up', node), values: '1x12' }],
    },
  });

  const probe = ctx.probes[0];
  if (probe) {
    const labels = { host: probe.host, instance: probe.target, job: probe.job, probe: probe.kind, stack: S };
    rules.push({
      alert: 'ProbeFailed',
      expr: `probe_success{stack="${S}"} == 0`,
      for: '5m',
      severity: 'critical',
      summary: '{{ $labels.host }}: {{ $labels.instance }} does not answer',
      description: `The Blackbox {{ $labels.probe }} probe of {{ $labels.instance }} (${S} stack) has failed for 5 minutes. A failing route with a healthy internal probe points at SWAG or DNS; both failing points at the app.`,
      runbook: 'Open the URL; compare the route and internal probes of {{ $labels.host }} in the Grafana probes dashboard; then docker compose logs in /opt/homelab/{{ $labels.host }}.',
      test: {
        evalTime: '10m',
        firing: [{ series: series('probe_success', labels), values: '1 1 0x10' }],
        alerts: [labels],
        silent: [{ series: series('probe_success', labels), values: '1x12' }],
      },
    });
  }

  const route = ctx.probes.find((p) => p.kind === 'route');
  if (route) {
    const labels = { host: route.host, instance: route.target, job: route.job, probe: 'route', stack: S };
    rules.push({
      alert: 'TlsCertificateExpiringSoon',
      expr: `probe_ssl_earliest_cert_expiry{stack="${S}",probe="route"} - time() < 14 * 86400`,
      for: '1h',
      severity: 'warning',
      summary: '{{ $labels.instance }}: TLS certificate expires in less than 14 days',
      description: 'SWAG renews its certificate 30 days before expiry; one that gets within 14 days means renewals have been failing for two weeks.',
      runbook: 'On the SWAG container: docker logs swag | grep -i certbot; check the DNS plugin credentials (dns-conf) and the rate limits of the CA.',
      test: {
        evalTime: '2h',
        // promtool's clock starts at 0: an expiry at day 10 is 10 days away.
        firing: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${10 * 86400}x180` }],
        alerts: [labels],
        silent: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${60 * 86400}x180` }],
      },
    });
  }

  // Internal https probes (e.g. Cockpit's self-signed certificate) expire too, and no route probe
  // covers them. Blackbox reports probe_ssl_earliest_cert_expiry for every TLS connection, verified
  // or not (insecure_skip_verify only skips the verification).
  const internalTls = ctx.probes.find((p) => p.kind === 'internal' && p.target.startsWith('https://'));
  if (internalTls) {
    const labels = { host: internalTls.host, instance: internalTls.target, job: internalTls.job, probe: 'internal', stack: S };
    rules.push({
      alert: 'InternalTlsCertificateExpiringSoon',
      expr: `probe_ssl_earliest_cert_expiry{stack="${S}",probe="internal"} - time() < 14 * 86400`,
      for: '1h',
      severity: 'warning',
      summary: '{{ $labels.instance }}: TLS certificate of an internal endpoint expires in less than 14 days',
      description: `The certificate served by {{ $labels.instance }} ({{ $labels.host }}, ${S} stack) on the LAN expires within 14 days; clients and the probe will then refuse or warn. SWAG does not renew it: the service owns it.`,
      runbook: "For Cockpit's self-signed certificate: on {{ $labels.host }} run cockpit-certificate-ensure --check, remove /etc/cockpit/ws-certs.d/0-self-signed.* and systemctl restart cockpit (a new one is made); otherwise renew the service's own certificate.",
      test: {
        evalTime: '2h',
        firing: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${3 * 86400}x180` }],
        alerts: [labels],
        silent: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${300 * 86400}x180` }],
      },
    });
  }

  const fsSel = (metric: string) => `${metric}{stack="${S}", ${FS.map(([k, v, op]) => `${k}${op}"${v}"`).join(', ')}}`;
  const fsLabels = { ...node, device: 'rpool/data/subvol-disk', fstype: 'zfs', mountpoint: '/' };
  rules.push({
    alert: 'DiskWillFillIn24h',
    expr: [
      `predict_linear(${fsSel('node_filesystem_avail_bytes')}[6h], 86400) < 0`,
      // The guards against flapping: ignore file systems still mostly empty, tiny or read-only ones.
      `and ${fsSel('node_filesystem_avail_bytes')} / ${fsSel('node_filesystem_size_bytes')} < 0.4`,
      `and ${fsSel('node_filesystem_size_bytes')} > ${GIB}`,
      `and ${fsSel('node_filesystem_readonly')} == 0`,
    ].join(' '),
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.host }}: {{ $labels.mountpoint }} will be full within 24 hours',
    description: 'At the rate of the last 6 hours the file system fills up within a day (it is over 60% used and larger than 1 GiB).',
    runbook: 'Find what grows (du -xhd1 {{ $labels.mountpoint }}; docker system df); prune, or grow the disk with pct resize and diskGiB in the model.',
    test: {
      interval: '5m',
      evalTime: '3h',
      firing: [
        // 30 GiB free on a 100 GiB disk, losing 0.5 GiB every 5 minutes.
        { series: series('node_filesystem_avail_bytes', fsLabels), values: `${30 * GIB}-${GIB / 2}x60` },
        { series: series('node_filesystem_size_bytes', fsLabels), values: `${100 * GIB}x60` },
        { series: series('node_filesystem_readonly', fsLabels), values: '0x60' },
      ],
      alerts: [fsLabels],
      silent: [
        { series: series('node_filesystem_avail_bytes', fsLabels), values: `${30 * GIB}x60` },
        { series: series('node_filesystem_size_bytes', fsLabels), values: `${100 * GIB}x60` },
        { series: series('node_filesystem_readonly', fsLabels), values: '0x60' },
      ],
    },
  });

  // A full disk that is not growing never trips the prediction above: a static threshold too.
  rules.push({
    alert: 'DiskAlmostFull',
    expr: `${fsSel('node_filesystem_avail_bytes')} / ${fsSel('node_filesystem_size_bytes')} < 0.1 and ${fsSel('node_filesystem_readonly')} == 0`,
    for: '15m',
    severity: 'critical',
    summary: '{{ $labels.host }}: {{ $labels.mountpoint }} is more than 90% full',
    description: 'Less than 10% of the file system has been free for 15 minutes, growing or not. When it is full, databases stop accepting writes and Docker cannot pull or start containers.',
    runbook: 'Find what takes the space (du -xhd1 {{ $labels.mountpoint }}; docker system df); prune, or grow the disk with pct resize and diskGiB in the model.',
    test: {
      evalTime: '20m',
      firing: [
        // 99% used and not growing: the case DiskWillFillIn24h never sees.
        { series: series('node_filesystem_avail_bytes', fsLabels), values: `${GIB}x25` },
        { series: series('node_filesystem_size_bytes', fsLabels), values: `${100 * GIB}x25` },
        { series: series('node_filesystem_readonly', fsLabels), values: '0x25' },
      ],
      alerts: [fsLabels],
      silent: [
        // 85% used: below the threshold.
        { series: series('node_filesystem_avail_bytes', fsLabels), values: `${15 * GIB}x25` },
        { series: series('node_filesystem_size_bytes', fsLabels), values: `${100 * GIB}x25` },
        { series: series('node_filesystem_readonly', fsLabels), values: '0x25' },
      ],
    },
  });

  rules.push({
    alert: 'MemoryPressure',
    expr: `node_memory_MemAvailable_bytes{stack="${S}"} / node_memory_MemTotal_bytes{stack="${S}"} < 0.1`,
    for: '15m',
    severity: 'warning',
    summary: '{{ $labels.host }}: less than 10% of its memory is available',
    description: 'The container has had less than 10% of its RAM available for 15 minutes; the kernel will start killing processes.',
    runbook: 'See which process grows (ps aux --sort=-rss | head; docker stats --no-stream), then raise memoryMiB of the service in the model.',
    test: {
      evalTime: '20m',
      firing: [
        { series: series('node_memory_MemAvailable_bytes', node), values: `${50 * 1048576}x25` },
        { series: series('node_memory_MemTotal_bytes', node), values: `${GIB}x25` },
      ],
      alerts: [node],
      silent: [
        { series: series('node_memory_MemAvailable_bytes', node), values: `${512 * 1048576}x25` },
        { series: series('node_memory_MemTotal_bytes', node), values: `${GIB}x25` },
      ],
    },
  });

  const docker = ctx.hosts.find((h) => h.docker);
  if (docker) {
    const labels = { ...nodeLabels(docker), container: docker.host };
    rules.push({
      alert: 'ContainerRestarting',
      expr: `increase(homelab_container_restarts_total{stack="${S}"}[15m]) > 2`,
      for: '5m',
      severity: 'warning',
      summary: '{{ $labels.host }}: Docker container {{ $labels.container }} keeps restarting',
      description: 'Docker restarted the container more than twice in 15 minutes (restart policy unless-stopped): it crashes on start.',
      runbook: 'docker logs --tail 100 {{ $labels.container }} on {{ $labels.host }}; check its config and the volumes it mounts.',
      test: {
        evalTime: '15m',
        firing: [{ series: series('homelab_container_restarts_total', labels), values: '0+1x20' }],
        alerts: [labels],
        silent: [{ series: series('homelab_container_restarts_total', labels), values: '3x20' }],
      },
    });
    rules.push({
      alert: 'ContainerUnhealthy',
      expr: `homelab_container_healthy{stack="${S}"} == 0`,
      for: '10m',
      severity: 'warning',
      summary: '{{ $labels.host }}: Docker container {{ $labels.container }} is unhealthy',
      description: "The container's own healthcheck has failed for 10 minutes.",
      runbook: "docker inspect {{ $labels.container }} on {{ $labels.host }}: State.Health.Log holds the failing check's output.",
      test: {
        evalTime: '15m',
        firing: [{ series: series('homelab_container_healthy', labels), values: '1 1 0x20' }],
        alerts: [labels],
        silent: [{ series: series('homelab_container_healthy', labels), values: '1x22' }],
      },
    });
  }

  const tunnel = ctx.tunnels?.[0];
  if (tunnel) {
    const labels = { ...nodeLabels(tunnel), interface: tunnel.interface };
    rules.push({
      alert: 'VpnTunnelDown',
      expr: `time() - homelab_wireguard_latest_handshake_timestamp_seconds{stack="${S}"} > 300 or homelab_wireguard_interface_up{stack="${S}"} == 0`,
      for: '2m',
      severity: 'critical',
      summary: '{{ $labels.host }}: the VPN tunnel {{ $labels.interface }} is down',
      description: 'No WireGuard handshake with the VPN provider for 5 minutes (keepalives renew it every 2), or the interface is gone. The kill switch keeps traffic from leaking, so the apps behind the tunnel are offline.',
      runbook: "On {{ $labels.host }}: wg show {{ $labels.interface }}; systemctl status wg-quick@{{ $labels.interface }}; check the provider's status page and the endpoint in the model.",
      test: {
        evalTime: '10m',
        firing: [
          // The last handshake happened at promtool's time 0, never again.
          { series: series('homelab_wireguard_latest_handshake_timestamp_seconds', labels), values: '0x12' },
          { series: series('homelab_wireguard_interface_up', labels), values: '1x12' },
        ],
        alerts: [labels],
        silent: [
          { series: series('homelab_wireguard_latest_handshake_timestamp_seconds', labels), values: '0+60x12' },
          { series: series('homelab_wireguard_interface_up', labels), values: '1x12' },
        ],
      },
    });
  }

  if (ctx.pve) {
    const pve = ctx.pve;
    const vmIds = ctx.hosts.map((h) => h.vmId);
    const pveLabels = { host: pve.exporterHost, instance: pve.nodeAddress, job: pve.exporterJob, stack: pve.exporterStack };
    const guestId = `lxc/${first.vmId}`;
    const info = { ...pveLabels, id: guestId, name: first.host, node: 'pve', tags: '', template: '0', type: 'lxc' };
    const guestAlert = { id: guestId, instance: pve.nodeAddress, job: pve.exporterJob, name: first.host, host: first.host };
    rules.push({
      alert: 'ProxmoxGuestDown',
      expr: `label_replace((pve_up{id=~"lxc/(${regexAlternatives(vmIds)})"} == 0) * on (id) group_left (name) pve_guest_info, "host", "$1", "name", "(.+)")`,
      for: '2m',
      severity: 'critical',
      summary: '{{ $labels.host }}: container {{ $labels.id }} is not running',
      description: `Proxmox reports the ${S} container {{ $labels.id }} as stopped, although the lab starts it at boot.`,
      runbook: 'pct start <vmid> on the node, then pct status and journalctl -u pve-container@<vmid> for why it stopped.',
      labels: { stack: S },
      test: {
        evalTime: '10m',
        firing: [
          { series: series('pve_up', { ...pveLabels, id: guestId }), values: '1 1 0x10' },
          { series: series('pve_guest_info', info), values: '1x12' },
        ],
        alerts: [{ ...guestAlert, stack: S }],
        silent: [
          { series: series('pve_up', { ...pveLabels, id: guestId }), values: '1x12' },
          { series: series('pve_guest_info', info), values: '1x12' },
        ],
      },
    });
    const backed = ctx.backupVmIds;
    const sample = ctx.hosts.find((h) => backed.includes(h.vmId));
    if (sample) {
      const id = `lxc/${sample.vmId}`;
      const sampleInfo = { ...info, id, name: sample.host };
      rules.push({
        alert: 'ProxmoxGuestNotBackedUp',
        expr: `label_replace(pve_not_backed_up_info{id=~"lxc/(${regexAlternatives(backed)})"} * on (id) group_left (name) pve_guest_info, "host", "$1", "name", "(.+)")`,
        for: '1h',
        severity: 'warning',
        summary: '{{ $labels.host }}: container {{ $labels.id }} is in no backup job',
        description: 'Proxmox reports the container as not covered by any backup job (pve_not_backed_up_info), so its data has no vzdump backup. This is job coverage, not proof that the last backup succeeded.',
        runbook: 'Check the backup jobs in Datacenter > Backup (the proxmox_backup_job of the infra stack); set backup: false on the container in the model if it is stateless on purpose.',
        labels: { stack: S },
        test: {
          evalTime: '2h',
          firing: [
            { series: series('pve_not_backed_up_info', { ...pveLabels, id }), values: '1x130' },
            { series: series('pve_guest_info', sampleInfo), values: '1x130' },
          ],
          alerts: [{ id, instance: pve.nodeAddress, job: pve.exporterJob, name: sample.host, host: sample.host, stack: S }],
          silent: [{ series: series('pve_guest_info', sampleInfo), values: '1x130' }],
        },
      });
    }
  }
  return rules;
}

/** Where the monitoring stack's own services are scraped, for its self-health rules. */
export interface SelfHealthContext {
  readonly stack: string;
  readonly prometheus?: TargetSample & { readonly job: string; readonly port: number };
  readonly alertmanager?: TargetSample & { readonly job: string; readonly port: number };
  readonly loki?: TargetSample & { readonly job: string; readonly port: number };
  readonly pve?: { readonly exporterJob: string; readonly nodeAddress: string; readonly nodeName: string; readonly exporterHost: string };
}

/**
 * Rules of the monitoring stack about itself: the Watchdog (always firing: the dead-man's switch),
 * Prometheus, Alertmanager and Loki health, and the Proxmox nodes.
 */
export function selfHealthAlertRules(ctx: SelfHealthContext): AlertRuleDefinition[] {
  const S = ctx.stack;
  const rules: AlertRuleDefinition[] = [
    {
      alert: 'Watchdog',
      expr: 'vector(1)',
      severity: 'none',
      summary: 'The alerting pipeline is alive',
      description: 'Always firing. Alertmanager sends it to the heartbeat receiver every minute; when the heartbeats stop, the external dead-man switch alerts that Prometheus or Alertmanager is down.',
      runbook: 'Nothing to do while it fires. If the dead-man switch alerts: check the prometheus and alertmanager containers.',
      test: { evalTime: '5m', firing: [], alerts: [{}] },
    },
  ];
  const with_ = (t: TargetSample & { job: string; port: number }) => ({ host: t.host, instance: `${t.address}:${t.port}`, job: t.job, stack: t.stack });
  if (ctx.prometheus) {
    const p = ctx.prometheus;
    const l = with_(p);
    const sel = `{job="${p.job}"}`;
    rules.push(
      {
        alert: 'PrometheusConfigReloadFailed',
        expr: `prometheus_config_last_reload_successful${sel} == 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Prometheus runs with an old configuration',
        description: 'The last configuration reload failed, so changes deployed since are not in effect.',
        runbook: 'docker logs prometheus on {{ $labels.host }} shows the error; run promtool check config on the deployed prometheus.yml.',
        test: selfTest('prometheus_config_last_reload_successful', l, '10m', '0', '1'),
      },
      {
        alert: 'PrometheusRuleEvaluationFailures',
        expr: `increase(prometheus_rule_evaluation_failures_total${sel}[5m]) > 0`,
        for: '15m',
        severity: 'warning',
        summary: 'Prometheus fails to evaluate alert rules',
        description: 'Some rules fail to evaluate: the alerts they define cannot fire.',
        runbook: 'The Prometheus UI (Status > Rule health) names the failing rule and its error.',
        test: selfTest('prometheus_rule_evaluation_failures_total', l, '20m', '0+1', '5'),
      },
      {
        alert: 'PrometheusAlertmanagerMissing',
        expr: `prometheus_notifications_alertmanagers_discovered${sel} < 1`,
        for: '10m',
        severity: 'critical',
        summary: 'Prometheus has no Alertmanager to send alerts to',
        description: 'No alert reaches anyone while Prometheus knows no Alertmanager.',
        runbook: 'Check the alerting section of prometheus.yml and that the alertmanager container answers on :9093.',
        test: selfTest('prometheus_notifications_alertmanagers_discovered', l, '15m', '0', '1'),
      },
      {
        alert: 'PrometheusNotificationsFailing',
        expr: `rate(prometheus_notifications_errors_total${sel}[5m]) > 0`,
        for: '10m',
        severity: 'critical',
        summary: 'Prometheus cannot deliver alerts to Alertmanager',
        description: 'Sending alerts to Alertmanager fails; notifications are lost.',
        runbook: 'docker logs prometheus on {{ $labels.host }}; curl Alertmanager /-/healthy from the Prometheus container.',
        test: selfTest('prometheus_notifications_errors_total', l, '20m', '0+1', '3'),
      },
    );
  }
  if (ctx.alertmanager) {
    const a = ctx.alertmanager;
    const l = with_(a);
    const sel = `{job="${a.job}"}`;
    rules.push(
      {
        alert: 'AlertmanagerConfigReloadFailed',
        expr: `alertmanager_config_last_reload_successful${sel} == 0`,
        for: '10m',
        severity: 'warning',
        summary: 'Alertmanager runs with an old configuration',
        description: 'The last configuration reload failed, so routing changes deployed since are not in effect.',
        runbook: 'docker logs alertmanager on {{ $labels.host }}; amtool check-config on the deployed alertmanager.yml.',
        test: selfTest('alertmanager_config_last_reload_successful', l, '10m', '0', '1'),
      },
      {
        alert: 'AlertmanagerNotificationsFailing',
        expr: `sum by (host, stack, instance, job, integration) (rate(alertmanager_notifications_failed_total${sel}[5m])) > 0`,
        for: '10m',
        severity: 'critical',
        summary: 'Alertmanager cannot deliver {{ $labels.integration }} notifications',
        description: 'Notifications to ntfy (or the heartbeat receiver) fail: alerts do not reach the phone.',
        runbook: 'docker logs alertmanager on {{ $labels.host }}; check the ntfy token file and that ntfy answers /v1/health.',
        test: {
          evalTime: '20m',
          firing: [{ series: series('alertmanager_notifications_failed_total', { ...l, integration: 'webhook' }), values: '0+1x25' }],
          alerts: [{ ...l, integration: 'webhook' }],
          silent: [{ series: series('alertmanager_notifications_failed_total', { ...l, integration: 'webhook' }), values: '4x25' }],
        },
      },
    );
  }
  if (ctx.loki) {
    const k = ctx.loki;
    const l = with_(k);
    const sel = `job="${k.job}"`;
    rules.push({
      alert: 'LokiRequestErrors',
      expr: `sum by (host, stack, route) (rate(loki_request_duration_seconds_count{${sel},status_code=~"5.."}[5m])) / sum by (host, stack, route) (rate(loki_request_duration_seconds_count{${sel}}[5m])) > 0.1`,
      for: '15m',
      severity: 'warning',
      summary: 'Loki fails more than 10% of {{ $labels.route }} requests',
      description: 'Log pushes or queries fail: logs of the lab may be lost or unsearchable.',
      runbook: 'docker logs loki on {{ $labels.host }}; check free space of its /loki volume (the compactor needs room).',
      test: {
        evalTime: '20m',
        firing: [
          { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '500' }), values: '0+10x25' },
          { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '204' }), values: '0+10x25' },
        ],
        alerts: [{ host: l.host, stack: l.stack, route: 'loki_api_v1_push' }],
        silent: [
          { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '500' }), values: '0x25' },
          { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '204' }), values: '0+10x25' },
        ],
      },
    });
  }
  if (ctx.pve) {
    const p = ctx.pve;
    const labels = { host: p.exporterHost, id: `node/${p.nodeName}`, instance: p.nodeAddress, job: p.exporterJob, stack: S };
    rules.push({
      alert: 'ProxmoxNodeDown',
      expr: 'pve_up{id=~"node/.+"} == 0',
      for: '2m',
      severity: 'critical',
      summary: 'Proxmox node {{ $labels.id }} is down',
      description: 'The Proxmox API reports the node as offline: every container on it is down.',
      runbook: 'Check the node console/IPMI and power; in a cluster, pvecm status on another node.',
      test: {
        evalTime: '10m',
        firing: [{ series: series('pve_up', labels), values: '1 1 0x10' }],
        alerts: [labels],
        silent: [{ series: series('pve_up', labels), values: '1x12' }],
      },
    });
  }
  return rules;
}

function selfTest(metric: string, labels: Record<string, string>, evalTime: string, bad: string, good: string): AlertRuleTest {
  const steps = Math.ceil(durationSeconds(evalTime) / 60) + 5;
  return {
    evalTime,
    firing: [{ series: series(metric, labels), values: `${bad}x${steps}` }],
    alerts: [labels],
    silent: [{ series: series(metric, labels), values: `${good}x${steps}` }],
  };
}

/**
 * A batch job's heartbeat: the job writes `<metric> <unix time>` into node_exporter's textfile
 * directory after each successful run; the alert fires when the last success is older than
 * `maxAge`, or when the metric was never written.
 */
export function heartbeatRule(props: { alert: string; metric: string; host: TargetSample; maxAge: string; what: string; severity?: Severity }): AlertRuleDefinition {
  const { host, metric } = props;
  const maxAge = durationSeconds(props.maxAge);
  const labels = nodeLabels(host);
  return {
    alert: props.alert,
    expr: `time() - max by (host) (${metric}{host="${host.host}"}) > ${maxAge} or absent(${metric}{host="${host.host}"})`,
    for: '10m',
    severity: props.severity ?? 'critical',
    summary: `${props.what} has not succeeded for ${formatDuration(maxAge)}`,
    description: `${props.what} on ${host.host} reports its last success through ${metric}; it is older than ${formatDuration(maxAge)} or was never written, so the job is failing or no longer scheduled.`,
    runbook: `On ${host.host}: systemctl list-timers, then journalctl -u for the job's service; the metric is a file in ${NODE_EXPORTER_TEXTFILE_DIR}.`,
    labels: { stack: host.stack },
    test: {
      evalTime: '20m',
      // The last success lies an hour beyond maxAge before promtool's clock starts (time 0).
      firing: [{ series: series(metric, labels), values: `-${maxAge + 3600}x30` }],
      alerts: [{ host: host.host, stack: host.stack }],
      // The job succeeds every minute: the value follows the clock.
      silent: [{ series: series(metric, labels), values: '0+60x30' }],
      alsoFiresWhen: [{ name: 'the metric was never written', series: [], alerts: [{ host: host.host, stack: host.stack }] }],
    },
  };
}
