import { hasAppRole, isHealthProber, isLogSink, isMetricsCollector, isReverseProxy } from '../constructs/core/capabilities';
import type { Lab } from '../constructs/core/lab';
import type { LxcContainer } from '../constructs/core/lxc-container';
import { addCheck } from '../lib/problems';

/**
 * What a disabled service leaves dangling, named. Routes, scrape targets, probes and Grafana's
 * datasources point at a capability (a reverse proxy, a metrics collector, a log store); when the
 * lab has none — `swag: { enabled: false }`, or a hand-built lab without one — those references
 * would be rendered into nothing without a word. Each becomes one warning with a stable id on the
 * lab that lists the referencing constructs, so the user can grep for it and decide.
 *
 * Warnings, not errors: a lab may run without SWAG on purpose (LAN and VPN only). (Alertmanager
 * without ntfy already fails: Alertmanager checks that itself.) Recorded when validations run, so
 * they see the final tree (a service may be added after another).
 */
export interface DanglingReference {
  /** Stable warning id. */
  readonly id: string;
  /** What the lab lacks, e.g. 'no reverse proxy (SWAG)'. */
  readonly missing: string;
  /** What the references now do. */
  readonly consequence: string;
  /** The referencing constructs, with the detail that dangles (`homelab/media/sonarr (sonarr.<domain>)`). */
  readonly references: readonly string[];
  /** What to do about it. */
  readonly fix: string;
}

const some = (lab: Lab, guard: (c: LxcContainer) => boolean): boolean => lab.containers.some(guard);

/** The lab's dangling references, in a fixed order (empty for the reference lab). */
export function danglingReferences(lab: Lab): DanglingReference[] {
  const out: DanglingReference[] = [];
  if (!some(lab, isReverseProxy)) {
    const routes = lab.containers.flatMap((c) => c.webUis.filter((ui) => ui.access === 'routed').map((ui) => `${c.node.path} (${ui.subdomain}.${lab.domain})`));
    if (routes.length) {
      out.push({
        id: 'homelab:dangling-routes',
        missing: 'no reverse proxy (SWAG)',
        consequence: 'these routed web UIs get no proxy conf, no certificate and no route probe, and nothing outside the LAN reaches them',
        references: routes,
        fix: "enable SWAG, or mark the UIs access: 'lan-only' with a reason",
      });
    }
  }
  if (!some(lab, isMetricsCollector)) {
    const targets = lab.containers.flatMap((c) => c.metricsEndpoints.map((m) => `${c.node.path} (${m.job} :${m.port}${m.path})`));
    const probers = lab.containers.filter(isHealthProber).map((c) => `${c.node.path} (probes)`);
    const dashboards = lab.containers.filter((c) => hasAppRole(c, 'dashboard')).map((c) => `${c.node.path} (Prometheus datasource)`);
    const refs = [...targets, ...probers, ...dashboards];
    if (refs.length) {
      out.push({
        id: 'homelab:dangling-metrics',
        missing: 'no metrics collector (Prometheus)',
        consequence: 'these metrics endpoints are never scraped, the probes never run, no alert fires, and dashboards have no Prometheus datasource',
        references: refs,
        fix: 'enable Prometheus, or drop the endpoints you do not want scraped',
      });
    }
  }
  if (!some(lab, isLogSink)) {
    const dashboards = lab.containers.filter((c) => hasAppRole(c, 'dashboard')).map((c) => `${c.node.path} (Loki datasource)`);
    const collectors = lab.containers.filter(isMetricsCollector).map((c) => `${c.node.path} (log agents on every container)`);
    const refs = [...collectors, ...dashboards];
    if (refs.length) {
      out.push({
        id: 'homelab:dangling-logs',
        missing: 'no log store (Loki)',
        consequence: 'no log agent is installed, so container logs stay on each host, and dashboards have no Loki datasource',
        references: refs,
        fix: 'enable Loki, or accept that logs stay on each host',
      });
    }
  }
  if (!lab.containers.some((c) => hasAppRole(c, 'alert-router'))) {
    const senders = lab.containers.filter(isMetricsCollector).map((c) => `${c.node.path} (alerting)`);
    if (senders.length) {
      out.push({
        id: 'homelab:dangling-alerts',
        missing: 'no alert router (Alertmanager)',
        consequence: 'alert rules are evaluated but no notification is ever sent',
        references: senders,
        fix: 'enable Alertmanager (and ntfy to receive its notifications)',
      });
    }
  }
  return out;
}

/** Records each dangling reference as a warning on the lab once validations run. */
export function warnDanglingReferences(lab: Lab): void {
  if (REGISTERED.has(lab)) return;
  REGISTERED.add(lab);
  addCheck(lab, () => danglingReferences(lab).map((d) => ({ warning: d.id, message: `${d.missing} in the lab: ${d.consequence}: ${d.references.join(', ')} — ${d.fix}` })));
}

const REGISTERED = new WeakSet<Lab>();
