import { NODE_EXPORTER_PORT, NODE_EXPORTER_TEXTFILE_DIR, PVE_NODE_LABEL } from './model';
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
// What the built-in rules are generated from.

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

// ---------------------------------------------------------------------------------------------
// The built-in rules, as a table: one object per rule with its expression, its annotations and the
// promtool fixture that proves it. The rule files, the generated unit tests and the list of names a
// service's own rule may not reuse (BUILTIN_ALERT_NAMES) all read this table.

/** A text of a built-in rule: fixed, or made from the context (the stack's name). */
type Text<C> = string | ((ctx: C) => string);

/**
 * One built-in alerting rule. `sample` picks what its test fixture is built from (a host, a probe, a
 * tunnel); when the context has none, the rule does not apply (a stack without Docker hosts gets no
 * container rules).
 */
export interface BuiltinRule<C, S = unknown> {
  readonly alert: string;
  readonly sample: (ctx: C) => S | undefined;
  readonly expr: (ctx: C) => string;
  /** @default - fire at once */
  readonly for?: string;
  readonly severity: Severity;
  readonly summary: Text<C>;
  readonly description: Text<C>;
  readonly runbook: Text<C>;
  /** @default - none */
  readonly labels?: (ctx: C) => Record<string, string>;
  readonly test: (ctx: C, sample: S) => AlertRuleTest;
}

/** Keeps each row's sample type for its own `test` while the table holds rows of any sample. */
function builtin<C, S>(rule: BuiltinRule<C, S>): BuiltinRule<C> {
  return rule as unknown as BuiltinRule<C>;
}

/** The rule definitions of a table that apply to `ctx`, in table order. */
function instantiate<C>(table: readonly BuiltinRule<C>[], ctx: C): AlertRuleDefinition[] {
  const text = (t: Text<C>) => (typeof t === 'function' ? t(ctx) : t);
  return table.flatMap((r) => {
    const sample = r.sample(ctx);
    if (sample === undefined) return [];
    return [{
      alert: r.alert,
      expr: r.expr(ctx),
      ...(r.for ? { for: r.for } : {}),
      severity: r.severity,
      summary: text(r.summary),
      description: text(r.description),
      runbook: text(r.runbook),
      ...(r.labels ? { labels: r.labels(ctx) } : {}),
      test: r.test(ctx, sample),
    }];
  });
}

/** A stack's context once it is known to have a first host (every stack rule is tested on it). */
export type StackCtx = StackRuleContext & { readonly first: StackRuleContext['hosts'][number] };
type Probe = StackRuleContext['probes'][number];

/** The fixture of a rule that fires when `metric` drops to 0 after two good samples and stays silent at 1. */
function dropsToZero(metric: string, labels: Record<string, string>): AlertRuleTest {
  return {
    evalTime: '10m',
    firing: [{ series: series(metric, labels), values: '1 1 0x10' }],
    alerts: [labels],
    silent: [{ series: series(metric, labels), values: '1x12' }],
  };
}

function probeLabels(ctx: StackCtx, p: Probe, kind: string = p.kind): Record<string, string> {
  return { host: p.host, instance: p.target, job: p.job, probe: kind, stack: ctx.stack };
}

/** The fixture of a certificate-expiry rule: fires with `firingDays` left, silent with `silentDays`. */
function certExpiry(labels: Record<string, string>, firingDays: number, silentDays: number): AlertRuleTest {
  return {
    evalTime: '2h',
    // promtool's clock starts at 0: an expiry at day 10 is 10 days away.
    firing: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${firingDays * 86400}x180` }],
    alerts: [labels],
    silent: [{ series: series('probe_ssl_earliest_cert_expiry', labels), values: `${silentDays * 86400}x180` }],
  };
}

const fsSel = (ctx: StackCtx, metric: string) => `${metric}{stack="${ctx.stack}", ${FS.map(([k, v, op]) => `${k}${op}"${v}"`).join(', ')}}`;
const fsLabels = (ctx: StackCtx) => ({ ...nodeLabels(ctx.first), device: 'rpool/data/subvol-disk', fstype: 'zfs', mountpoint: '/' });

/** The file system series of a disk test: `avail` free of `size` bytes, writable, `steps` samples. */
function filesystem(labels: Record<string, string>, avail: string, size: number, steps: number): InputSeries[] {
  return [
    { series: series('node_filesystem_avail_bytes', labels), values: avail },
    { series: series('node_filesystem_size_bytes', labels), values: `${size}x${steps}` },
    { series: series('node_filesystem_readonly', labels), values: `0x${steps}` },
  ];
}

/** The Proxmox exporter's labels and a guest's pve_guest_info labels, for the guest rules. */
function pveSeries(ctx: StackCtx, pve: NonNullable<StackRuleContext['pve']>) {
  const pveLabels = { host: pve.exporterHost, instance: pve.nodeAddress, job: pve.exporterJob, stack: pve.exporterStack };
  const guestId = `lxc/${ctx.first.vmId}`;
  const info = { ...pveLabels, id: guestId, name: ctx.first.host, node: 'pve', tags: '', template: '0', type: 'lxc' };
  return { pveLabels, guestId, info };
}

/** Rules every stack gets: targets, probes, disks, memory, containers, Proxmox guests, backups. */
export const STACK_RULES: readonly BuiltinRule<StackCtx>[] = [
  builtin({
    alert: 'InstanceDown',
    sample: (ctx: StackCtx) => ctx.first,
    expr: (ctx) => `up{stack="${ctx.stack}",probe=""} == 0`,
    for: '3m',
    severity: 'critical',
    summary: '{{ $labels.host }}: {{ $labels.job }} at {{ $labels.instance }} is down',
    description: (ctx) => `Prometheus has not been able to scrape {{ $labels.instance }} (job {{ $labels.job }}) of the ${ctx.stack} stack for 3 minutes. When the job is node, the whole container is unreachable and its other alerts are silenced.`,
    runbook: 'Check the container in Proxmox (pct status), then on it: systemctl status prometheus-node-exporter, or docker compose ps in /opt/homelab/{{ $labels.host }}.',
    test: (_, host) => dropsToZero('up', nodeLabels(host)),
  }),
  builtin({
    alert: 'ProbeFailed',
    sample: (ctx: StackCtx) => ctx.probes[0],
    expr: (ctx) => `probe_success{stack="${ctx.stack}"} == 0`,
    for: '5m',
    severity: 'critical',
    summary: '{{ $labels.host }}: {{ $labels.instance }} does not answer',
    description: (ctx) => `The Blackbox {{ $labels.probe }} probe of {{ $labels.instance }} (${ctx.stack} stack) has failed for 5 minutes. A failing route with a healthy internal probe points at SWAG or DNS; both failing points at the app.`,
    runbook: 'Open the URL; compare the route and internal probes of {{ $labels.host }} in the Grafana probes dashboard; then docker compose logs in /opt/homelab/{{ $labels.host }}.',
    test: (ctx, probe) => dropsToZero('probe_success', probeLabels(ctx, probe)),
  }),
  builtin({
    alert: 'TlsCertificateExpiringSoon',
    sample: (ctx: StackCtx) => ctx.probes.find((p) => p.kind === 'route'),
    expr: (ctx) => `probe_ssl_earliest_cert_expiry{stack="${ctx.stack}",probe="route"} - time() < 14 * 86400`,
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.instance }}: TLS certificate expires in less than 14 days',
    description: 'SWAG renews its certificate 30 days before expiry; one that gets within 14 days means renewals have been failing for two weeks.',
    runbook: 'On the SWAG container: docker logs swag | grep -i certbot; check the DNS plugin credentials (dns-conf) and the rate limits of the CA.',
    test: (ctx, route) => certExpiry(probeLabels(ctx, route, 'route'), 10, 60),
  }),
  // Internal https probes (e.g. Cockpit's self-signed certificate) expire too, and no route probe
  // covers them. Blackbox reports probe_ssl_earliest_cert_expiry for every TLS connection, verified
  // or not (insecure_skip_verify only skips the verification).
  builtin({
    alert: 'InternalTlsCertificateExpiringSoon',
    sample: (ctx: StackCtx) => ctx.probes.find((p) => p.kind === 'internal' && p.target.startsWith('https://')),
    expr: (ctx) => `probe_ssl_earliest_cert_expiry{stack="${ctx.stack}",probe="internal"} - time() < 14 * 86400`,
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.instance }}: TLS certificate of an internal endpoint expires in less than 14 days',
    description: (ctx) => `The certificate served by {{ $labels.instance }} ({{ $labels.host }}, ${ctx.stack} stack) on the LAN expires within 14 days; clients and the probe will then refuse or warn. SWAG does not renew it: the service owns it.`,
    runbook: "For Cockpit's self-signed certificate: on {{ $labels.host }} run cockpit-certificate-ensure --check, remove /etc/cockpit/ws-certs.d/0-self-signed.* and systemctl restart cockpit (a new one is made); otherwise renew the service's own certificate.",
    test: (ctx, probe) => certExpiry(probeLabels(ctx, probe, 'internal'), 3, 300),
  }),
  builtin({
    alert: 'DiskWillFillIn24h',
    sample: (ctx: StackCtx) => ctx.first,
    expr: (ctx) => [
      `predict_linear(${fsSel(ctx, 'node_filesystem_avail_bytes')}[6h], 86400) < 0`,
      // The guards against flapping: ignore file systems still mostly empty, tiny or read-only ones.
      `and ${fsSel(ctx, 'node_filesystem_avail_bytes')} / ${fsSel(ctx, 'node_filesystem_size_bytes')} < 0.4`,
      `and ${fsSel(ctx, 'node_filesystem_size_bytes')} > ${GIB}`,
      `and ${fsSel(ctx, 'node_filesystem_readonly')} == 0`,
    ].join(' '),
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.host }}: {{ $labels.mountpoint }} will be full within 24 hours',
    description: 'At the rate of the last 6 hours the file system fills up within a day (it is over 60% used and larger than 1 GiB).',
    runbook: 'Find what grows (du -xhd1 {{ $labels.mountpoint }}; docker system df); prune, or grow the disk with pct resize and diskGiB in the model.',
    test: (ctx) => ({
      interval: '5m',
      evalTime: '3h',
      // 30 GiB free on a 100 GiB disk, losing 0.5 GiB every 5 minutes.
      firing: filesystem(fsLabels(ctx), `${30 * GIB}-${GIB / 2}x60`, 100 * GIB, 60),
      alerts: [fsLabels(ctx)],
      silent: filesystem(fsLabels(ctx), `${30 * GIB}x60`, 100 * GIB, 60),
    }),
  }),
  // A full disk that is not growing never trips the prediction above: a static threshold too.
  builtin({
    alert: 'DiskAlmostFull',
    sample: (ctx: StackCtx) => ctx.first,
    expr: (ctx) => `${fsSel(ctx, 'node_filesystem_avail_bytes')} / ${fsSel(ctx, 'node_filesystem_size_bytes')} < 0.1 and ${fsSel(ctx, 'node_filesystem_readonly')} == 0`,
    for: '15m',
    severity: 'critical',
    summary: '{{ $labels.host }}: {{ $labels.mountpoint }} is more than 90% full',
    description: 'Less than 10% of the file system has been free for 15 minutes, growing or not. When it is full, databases stop accepting writes and Docker cannot pull or start containers.',
    runbook: 'Find what takes the space (du -xhd1 {{ $labels.mountpoint }}; docker system df); prune, or grow the disk with pct resize and diskGiB in the model.',
    test: (ctx) => ({
      evalTime: '20m',
      // 99% used and not growing: the case DiskWillFillIn24h never sees.
      firing: filesystem(fsLabels(ctx), `${GIB}x25`, 100 * GIB, 25),
      alerts: [fsLabels(ctx)],
      // 85% used: below the threshold.
      silent: filesystem(fsLabels(ctx), `${15 * GIB}x25`, 100 * GIB, 25),
    }),
  }),
  builtin({
    alert: 'MemoryPressure',
    sample: (ctx: StackCtx) => ctx.first,
    expr: (ctx) => `node_memory_MemAvailable_bytes{stack="${ctx.stack}"} / node_memory_MemTotal_bytes{stack="${ctx.stack}"} < 0.1`,
    for: '15m',
    severity: 'warning',
    summary: '{{ $labels.host }}: less than 10% of its memory is available',
    description: 'The container has had less than 10% of its RAM available for 15 minutes; the kernel will start killing processes.',
    runbook: 'See which process grows (ps aux --sort=-rss | head; docker stats --no-stream), then raise memoryMiB of the service in the model.',
    test: (_, host) => {
      const node = nodeLabels(host);
      const memory = (availableBytes: number) => [
        { series: series('node_memory_MemAvailable_bytes', node), values: `${availableBytes}x25` },
        { series: series('node_memory_MemTotal_bytes', node), values: `${GIB}x25` },
      ];
      return { evalTime: '20m', firing: memory(50 * 1048576), alerts: [node], silent: memory(512 * 1048576) };
    },
  }),
  builtin({
    alert: 'ContainerRestarting',
    sample: (ctx: StackCtx) => ctx.hosts.find((h) => h.docker),
    expr: (ctx) => `increase(homelab_container_restarts_total{stack="${ctx.stack}"}[15m]) > 2`,
    for: '5m',
    severity: 'warning',
    summary: '{{ $labels.host }}: Docker container {{ $labels.container }} keeps restarting',
    description: 'Docker restarted the container more than twice in 15 minutes (restart policy unless-stopped): it crashes on start.',
    runbook: 'docker logs --tail 100 {{ $labels.container }} on {{ $labels.host }}; check its config and the volumes it mounts.',
    test: (_, docker) => {
      const labels = { ...nodeLabels(docker), container: docker.host };
      return {
        evalTime: '15m',
        firing: [{ series: series('homelab_container_restarts_total', labels), values: '0+1x20' }],
        alerts: [labels],
        silent: [{ series: series('homelab_container_restarts_total', labels), values: '3x20' }],
      };
    },
  }),
  builtin({
    alert: 'ContainerUnhealthy',
    sample: (ctx: StackCtx) => ctx.hosts.find((h) => h.docker),
    expr: (ctx) => `homelab_container_healthy{stack="${ctx.stack}"} == 0`,
    for: '10m',
    severity: 'warning',
    summary: '{{ $labels.host }}: Docker container {{ $labels.container }} is unhealthy',
    description: "The container's own healthcheck has failed for 10 minutes.",
    runbook: "docker inspect {{ $labels.container }} on {{ $labels.host }}: State.Health.Log holds the failing check's output.",
    test: (_, docker) => {
      const labels = { ...nodeLabels(docker), container: docker.host };
      return {
        evalTime: '15m',
        firing: [{ series: series('homelab_container_healthy', labels), values: '1 1 0x20' }],
        alerts: [labels],
        silent: [{ series: series('homelab_container_healthy', labels), values: '1x22' }],
      };
    },
  }),
  builtin({
    alert: 'VpnTunnelDown',
    sample: (ctx: StackCtx) => ctx.tunnels?.[0],
    expr: (ctx) => `time() - homelab_wireguard_latest_handshake_timestamp_seconds{stack="${ctx.stack}"} > 300 or homelab_wireguard_interface_up{stack="${ctx.stack}"} == 0`,
    for: '2m',
    severity: 'critical',
    summary: '{{ $labels.host }}: the VPN tunnel {{ $labels.interface }} is down',
    description: 'No WireGuard handshake with the VPN provider for 5 minutes (keepalives renew it every 2), or the interface is gone. The kill switch keeps traffic from leaking, so the apps behind the tunnel are offline.',
    runbook: "On {{ $labels.host }}: wg show {{ $labels.interface }}; systemctl status wg-quick@{{ $labels.interface }}; check the provider's status page and the endpoint in the model.",
    test: (_, tunnel) => {
      const labels = { ...nodeLabels(tunnel), interface: tunnel.interface };
      const handshakes = (values: string) => [
        { series: series('homelab_wireguard_latest_handshake_timestamp_seconds', labels), values },
        { series: series('homelab_wireguard_interface_up', labels), values: '1x12' },
      ];
      // Firing: the last handshake happened at promtool's time 0, never again.
      return { evalTime: '10m', firing: handshakes('0x12'), alerts: [labels], silent: handshakes('0+60x12') };
    },
  }),
  builtin({
    alert: 'ProxmoxGuestDown',
    sample: (ctx: StackCtx) => ctx.pve,
    expr: (ctx) => `label_replace((pve_up{id=~"lxc/(${regexAlternatives(ctx.hosts.map((h) => h.vmId))})"} == 0) * on (id) group_left (name) pve_guest_info, "host", "$1", "name", "(.+)")`,
    for: '2m',
    severity: 'critical',
    summary: '{{ $labels.host }}: container {{ $labels.id }} is not running',
    description: (ctx) => `Proxmox reports the ${ctx.stack} container {{ $labels.id }} as stopped, although the lab starts it at boot.`,
    runbook: 'pct start <vmid> on the node, then pct status and journalctl -u pve-container@<vmid> for why it stopped.',
    labels: (ctx) => ({ stack: ctx.stack }),
    test: (ctx, pve) => {
      const { pveLabels, guestId, info } = pveSeries(ctx, pve);
      const guest = (up: string) => [
        { series: series('pve_up', { ...pveLabels, id: guestId }), values: up },
        { series: series('pve_guest_info', info), values: '1x12' },
      ];
      return {
        evalTime: '10m',
        firing: guest('1 1 0x10'),
        alerts: [{ id: guestId, instance: pve.nodeAddress, job: pve.exporterJob, name: ctx.first.host, host: ctx.first.host, stack: ctx.stack }],
        silent: guest('1x12'),
      };
    },
  }),
  builtin({
    alert: 'ProxmoxGuestNotBackedUp',
    sample: (ctx: StackCtx) => {
      const host = ctx.hosts.find((h) => ctx.backupVmIds.includes(h.vmId));
      return ctx.pve && host ? { pve: ctx.pve, host } : undefined;
    },
    expr: (ctx) => `label_replace(pve_not_backed_up_info{id=~"lxc/(${regexAlternatives(ctx.backupVmIds)})"} * on (id) group_left (name) pve_guest_info, "host", "$1", "name", "(.+)")`,
    for: '1h',
    severity: 'warning',
    summary: '{{ $labels.host }}: container {{ $labels.id }} is in no backup job',
    description: 'Proxmox reports the container as not covered by any backup job (pve_not_backed_up_info), so its data has no vzdump backup. This is job coverage, not proof that the last backup succeeded.',
    runbook: 'Check the backup jobs in Datacenter > Backup (the proxmox_backup_job of the infra stack); set backup: false on the container in the model if it is stateless on purpose.',
    labels: (ctx) => ({ stack: ctx.stack }),
    test: (ctx, { pve, host }) => {
      const { pveLabels, info } = pveSeries(ctx, pve);
      const id = `lxc/${host.vmId}`;
      const sampleInfo = { ...info, id, name: host.host };
      return {
        evalTime: '2h',
        firing: [
          { series: series('pve_not_backed_up_info', { ...pveLabels, id }), values: '1x130' },
          { series: series('pve_guest_info', sampleInfo), values: '1x130' },
        ],
        alerts: [{ id, instance: pve.nodeAddress, job: pve.exporterJob, name: host.host, host: host.host, stack: ctx.stack }],
        silent: [{ series: series('pve_guest_info', sampleInfo), values: '1x130' }],
      };
    },
  }),
];

/** The built-in rules of a stack (none for a stack without containers). */
export function stackAlertRules(ctx: StackRuleContext): AlertRuleDefinition[] {
  const first = ctx.hosts[0];
  return first ? instantiate(STACK_RULES, { ...ctx, first }) : [];
}

/** Where the monitoring stack's own services are scraped, for its self-health rules. */
export interface SelfHealthContext {
  readonly stack: string;
  readonly prometheus?: TargetSample & { readonly job: string; readonly port: number };
  readonly alertmanager?: TargetSample & { readonly job: string; readonly port: number };
  readonly loki?: TargetSample & { readonly job: string; readonly port: number };
  readonly pve?: {
    readonly exporterJob: string;
    /** The first node (its cluster view feeds `pve_up`). */
    readonly nodeAddress: string;
    readonly nodeName: string;
    readonly exporterHost: string;
    /**
     * A cluster: the job that scrapes every node's own API (PVE_NODES_JOB), and all nodes. Then a node
     * whose API cannot be read counts as down too: with the first node down, no cluster view is left.
     */
    readonly cluster?: { readonly nodeJob: string; readonly nodes: readonly { readonly name: string; readonly address: string }[] };
  };
}

type ScrapedService = TargetSample & { readonly job: string; readonly port: number };

function serviceLabels(t: ScrapedService): Record<string, string> {
  return { host: t.host, instance: `${t.address}:${t.port}`, job: t.job, stack: t.stack };
}

/**
 * A rule on one metric of a monitoring service (`{job="<its job>"}`), tested with the metric held
 * at `bad` (fires by `evalTime`) and at `good` (silent).
 */
function serviceRule(
  service: (ctx: SelfHealthContext) => ScrapedService | undefined,
  rule: Omit<BuiltinRule<SelfHealthContext, ScrapedService>, 'sample' | 'expr' | 'test'> & {
    readonly expr: (selector: string) => string;
    readonly metric: string;
    readonly evalTime: string;
    readonly bad: string;
    readonly good: string;
  },
): BuiltinRule<SelfHealthContext> {
  const { metric, evalTime, bad, good, expr, ...rest } = rule;
  return builtin({
    ...rest,
    sample: service,
    expr: (ctx) => expr(`{job="${service(ctx)!.job}"}`),
    test: (_, s) => selfTest(metric, serviceLabels(s), evalTime, bad, good),
  });
}

const prometheusOf = (ctx: SelfHealthContext) => ctx.prometheus;
const alertmanagerOf = (ctx: SelfHealthContext) => ctx.alertmanager;

/**
 * Rules of the monitoring stack about itself: the Watchdog (always firing: the dead-man's switch),
 * Prometheus, Alertmanager and Loki health, and the Proxmox nodes.
 */
export const SELF_HEALTH_RULES: readonly BuiltinRule<SelfHealthContext>[] = [
  builtin({
    alert: 'Watchdog',
    sample: (ctx: SelfHealthContext) => ctx,
    expr: () => 'vector(1)',
    severity: 'none',
    summary: 'The alerting pipeline is alive',
    description: 'Always firing. Alertmanager sends it to the heartbeat receiver every minute; when the heartbeats stop, the external dead-man switch alerts that Prometheus or Alertmanager is down.',
    runbook: 'Nothing to do while it fires. If the dead-man switch alerts: check the prometheus and alertmanager containers.',
    test: () => ({ evalTime: '5m', firing: [], alerts: [{}] }),
  }),
  serviceRule(prometheusOf, {
    alert: 'PrometheusConfigReloadFailed',
    metric: 'prometheus_config_last_reload_successful',
    expr: (sel) => `prometheus_config_last_reload_successful${sel} == 0`,
    for: '10m',
    severity: 'warning',
    summary: 'Prometheus runs with an old configuration',
    description: 'The last configuration reload failed, so changes deployed since are not in effect.',
    runbook: 'docker logs prometheus on {{ $labels.host }} shows the error; run promtool check config on the deployed prometheus.yml.',
    evalTime: '10m', bad: '0', good: '1',
  }),
  serviceRule(prometheusOf, {
    alert: 'PrometheusRuleEvaluationFailures',
    metric: 'prometheus_rule_evaluation_failures_total',
    expr: (sel) => `increase(prometheus_rule_evaluation_failures_total${sel}[5m]) > 0`,
    for: '15m',
    severity: 'warning',
    summary: 'Prometheus fails to evaluate alert rules',
    description: 'Some rules fail to evaluate: the alerts they define cannot fire.',
    runbook: 'The Prometheus UI (Status > Rule health) names the failing rule and its error.',
    evalTime: '20m', bad: '0+1', good: '5',
  }),
  serviceRule(prometheusOf, {
    alert: 'PrometheusAlertmanagerMissing',
    metric: 'prometheus_notifications_alertmanagers_discovered',
    expr: (sel) => `prometheus_notifications_alertmanagers_discovered${sel} < 1`,
    for: '10m',
    severity: 'critical',
    summary: 'Prometheus has no Alertmanager to send alerts to',
    description: 'No alert reaches anyone while Prometheus knows no Alertmanager.',
    runbook: 'Check the alerting section of prometheus.yml and that the alertmanager container answers on :9093.',
    evalTime: '15m', bad: '0', good: '1',
  }),
  serviceRule(prometheusOf, {
    alert: 'PrometheusNotificationsFailing',
    metric: 'prometheus_notifications_errors_total',
    expr: (sel) => `rate(prometheus_notifications_errors_total${sel}[5m]) > 0`,
    for: '10m',
    severity: 'critical',
    summary: 'Prometheus cannot deliver alerts to Alertmanager',
    description: 'Sending alerts to Alertmanager fails; notifications are lost.',
    runbook: 'docker logs prometheus on {{ $labels.host }}; curl Alertmanager /-/healthy from the Prometheus container.',
    evalTime: '20m', bad: '0+1', good: '3',
  }),
  serviceRule(alertmanagerOf, {
    alert: 'AlertmanagerConfigReloadFailed',
    metric: 'alertmanager_config_last_reload_successful',
    expr: (sel) => `alertmanager_config_last_reload_successful${sel} == 0`,
    for: '10m',
    severity: 'warning',
    summary: 'Alertmanager runs with an old configuration',
    description: 'The last configuration reload failed, so routing changes deployed since are not in effect.',
    runbook: 'docker logs alertmanager on {{ $labels.host }}; amtool check-config on the deployed alertmanager.yml.',
    evalTime: '10m', bad: '0', good: '1',
  }),
  builtin({
    alert: 'AlertmanagerNotificationsFailing',
    sample: alertmanagerOf,
    expr: (ctx) => `sum by (host, stack, instance, job, integration) (rate(alertmanager_notifications_failed_total{job="${ctx.alertmanager!.job}"}[5m])) > 0`,
    for: '10m',
    severity: 'critical',
    summary: 'Alertmanager cannot deliver {{ $labels.integration }} notifications',
    description: 'Notifications to ntfy (or the heartbeat receiver) fail: alerts do not reach the phone.',
    runbook: 'docker logs alertmanager on {{ $labels.host }}; check the ntfy token file and that ntfy answers /v1/health.',
    test: (_, a) => {
      const labels = { ...serviceLabels(a), integration: 'webhook' };
      return {
        evalTime: '20m',
        firing: [{ series: series('alertmanager_notifications_failed_total', labels), values: '0+1x25' }],
        alerts: [labels],
        silent: [{ series: series('alertmanager_notifications_failed_total', labels), values: '4x25' }],
      };
    },
  }),
  builtin({
    alert: 'LokiRequestErrors',
    sample: (ctx: SelfHealthContext) => ctx.loki,
    expr: (ctx) => {
      const sel = `job="${ctx.loki!.job}"`;
      return `sum by (host, stack, route) (rate(loki_request_duration_seconds_count{${sel},status_code=~"5.."}[5m])) / sum by (host, stack, route) (rate(loki_request_duration_seconds_count{${sel}}[5m])) > 0.1`;
    },
    for: '15m',
    severity: 'warning',
    summary: 'Loki fails more than 10% of {{ $labels.route }} requests',
    description: 'Log pushes or queries fail: logs of the lab may be lost or unsearchable.',
    runbook: 'docker logs loki on {{ $labels.host }}; check free space of its /loki volume (the compactor needs room).',
    test: (_, loki) => {
      const l = serviceLabels(loki);
      const requests = (errors: string) => [
        { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '500' }), values: errors },
        { series: series('loki_request_duration_seconds_count', { ...l, route: 'loki_api_v1_push', status_code: '204' }), values: '0+10x25' },
      ];
      return { evalTime: '20m', firing: requests('0+10x25'), alerts: [{ host: l.host, stack: l.stack, route: 'loki_api_v1_push' }], silent: requests('0x25') };
    },
  }),
  builtin({
    alert: 'ProxmoxNodeDown',
    sample: (ctx: SelfHealthContext) => ctx.pve,
    expr: (ctx) => {
      const c = ctx.pve?.cluster;
      // The node's scrape target carries its name (PVE_NODE_LABEL), which becomes the alert's `id`.
      return c ? `pve_up{id=~"node/.+"} == 0 or label_replace(up{job="${c.nodeJob}"} == 0, "id", "node/$1", "${PVE_NODE_LABEL}", "(.+)")` : 'pve_up{id=~"node/.+"} == 0';
    },
    for: '2m',
    severity: 'critical',
    summary: 'Proxmox node {{ $labels.id }} is down',
    description: (ctx) => ctx.pve?.cluster
      ? "The Proxmox API reports the node as offline, or the PVE exporter cannot read the node's own API: every container on it is down or unwatched."
      : 'The Proxmox API reports the node as offline: every container on it is down.',
    runbook: 'Check the node console/IPMI and power; in a cluster, pvecm status on another node.',
    test: (ctx, p) => {
      const labels = (n: { name: string; address: string }) => ({ host: p.exporterHost, id: `node/${n.name}`, instance: p.nodeAddress, job: p.exporterJob, stack: ctx.stack });
      const base = dropsToZero('pve_up', labels({ name: p.nodeName, address: p.nodeAddress }));
      const c = p.cluster;
      if (!c) return base;
      const all = c.nodes;
      const up = (n: { name: string; address: string }) => ({ host: p.exporterHost, instance: n.address, job: c.nodeJob, [PVE_NODE_LABEL]: n.name, stack: ctx.stack });
      const healthy = (except?: string) => all.filter((n) => n.name !== except).map((n) => ({ series: series('up', up(n)), values: '1x12' }));
      return {
        ...base,
        alsoFiresWhen: [
          // Every node, as the cluster view (from the first node) reports it offline.
          ...all.filter((n) => n.name !== p.nodeName).map((n) => ({ name: `the cluster reports ${n.name} offline`, series: [{ series: series('pve_up', labels(n)), values: '1 1 0x10' }, ...healthy()], alerts: [labels(n)] })),
          // Every node, as its own API stops answering (the first node's included: then no pve_up is left).
          ...all.map((n) => ({ name: `the API of ${n.name} cannot be read`, series: [{ series: series('up', up(n)), values: '1 1 0x10' }, ...healthy(n.name)], alerts: [{ ...up(n), id: `node/${n.name}` }] })),
        ],
        silent: [...base.silent!, ...healthy()],
      };
    },
  }),
];

/** The monitoring stack's rules about itself. */
export function selfHealthAlertRules(ctx: SelfHealthContext): AlertRuleDefinition[] {
  return instantiate(SELF_HEALTH_RULES, ctx);
}

/**
 * Alert names the monitoring stack generates itself, from the tables above; a service's own rule may
 * not reuse them (one name, one meaning, one runbook).
 */
export const BUILTIN_ALERT_NAMES: readonly string[] = [...STACK_RULES, ...SELF_HEALTH_RULES].map((r) => r.alert);

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
