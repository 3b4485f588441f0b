import { describe, expect, it } from 'vitest';
import {
  BUILTIN_ALERT_NAMES, ruleProblems, SELF_HEALTH_RULES, selfHealthAlertRules, STACK_RULES, stackAlertRules,
} from '../../lib/observability/alert-rules';
import { expressionProblem } from '../../lib/observability/promql';

describe('PromQL syntax check at synth time (Prometheus\' own grammar)', () => {
  it.each([
    'up{stack="media",probe=""} == 0',
    'sum by (host, stack) (rate(loki_request_duration_seconds_count{job="loki",status_code=~"5.."}[5m])) / on () group_left sum(x) > 0.1',
    'label_replace((pve_up{id=~"lxc/(1|2)"} == 0) * on (id) group_left (name) pve_guest_info, "host", "$1", "name", "(.+)")',
    'time() - max by (host) (m{host="a"}) > 93600 or absent(m{host="a"})',
    'up{a="a } and a \\" quote"} == 0',
    'up{a=`raw \\ string`} == 0',
  ])('accepts %s', (expr) => {
    expect(expressionProblem(expr)).toBeUndefined();
  });

  it.each([
    ['', 'the expression is empty'],
    ['rate(up[5m]', 'the expression ends too early at column 12 (a closing bracket or an operand is missing)'],
    ['up{job="a" == 0', "syntax error at column 12: unexpected '=='"],
    ['sum(up)) > 1', "syntax error at column 8: unexpected ')'"],
    ['up down', "syntax error at column 4: unexpected 'down'"],
    ['rate(up[5q])', "syntax error at column 10: unexpected 'q'"],
    ['up{job="a\\"} == 0', 'string starting at column 8 is not terminated'],
  ])('fails when the expression is %j', (expr, message) => {
    expect(expressionProblem(expr)).toBe(message);
  });
});

describe('the built-in rule table', () => {
  const stack = {
    stack: 'media',
    hosts: [{ host: 'sonarr', stack: 'media', address: '10.0.0.20', vmId: 120, docker: true }],
    probes: [
      { host: 'sonarr', target: 'https://sonarr.example.org', kind: 'route' as const, job: 'blackbox-http' },
      { host: 'sonarr', target: 'https://10.0.0.20:9090', kind: 'internal' as const, job: 'blackbox-http' },
    ],
    pve: { exporterJob: 'pve', nodeAddress: '10.0.0.2', exporterHost: 'pve-exporter', exporterStack: 'monitoring' },
    backupVmIds: [120],
    tunnels: [{ host: 'sonarr', stack: 'media', address: '10.0.0.20', interface: 'wg0' }],
  };
  const self = {
    stack: 'monitoring',
    prometheus: { host: 'prometheus', stack: 'monitoring', address: '10.0.0.30', job: 'prometheus', port: 9090 },
    alertmanager: { host: 'alertmanager', stack: 'monitoring', address: '10.0.0.31', job: 'alertmanager', port: 9093 },
    loki: { host: 'loki', stack: 'monitoring', address: '10.0.0.32', job: 'loki', port: 3100 },
    pve: { exporterJob: 'pve', nodeAddress: '10.0.0.2', nodeName: 'pve', exporterHost: 'pve-exporter' },
  };

  it('is where the reserved names come from: every row, each name once', () => {
    expect(BUILTIN_ALERT_NAMES).toEqual([...STACK_RULES, ...SELF_HEALTH_RULES].map((r) => r.alert));
    expect(new Set(BUILTIN_ALERT_NAMES).size).toBe(BUILTIN_ALERT_NAMES.length);
    expect(BUILTIN_ALERT_NAMES).toEqual(expect.arrayContaining(['InstanceDown', 'DiskAlmostFull', 'InternalTlsCertificateExpiringSoon', 'Watchdog', 'ProxmoxNodeDown']));
  });

  it('gives every row, in a context where it applies, a valid rule with a fixture', () => {
    const rules = [...stackAlertRules(stack), ...selfHealthAlertRules(self)];
    expect(rules.map((r) => r.alert)).toEqual(BUILTIN_ALERT_NAMES);
    for (const r of rules) {
      expect(ruleProblems(r), r.alert).toEqual([]);
      expect(r.test?.alerts.length, r.alert).toBeGreaterThan(0);
    }
  });

  it('leaves out the rows whose sample a context lacks (no Docker, probes, tunnels, Proxmox exporter)', () => {
    const bare = { stack: 'apps', hosts: [{ ...stack.hosts[0]!, docker: false }], probes: [], backupVmIds: [] };
    expect(stackAlertRules(bare).map((r) => r.alert)).toEqual(['InstanceDown', 'DiskWillFillIn24h', 'DiskAlmostFull', 'MemoryPressure']);
    expect(stackAlertRules({ ...bare, hosts: [] })).toEqual([]);
    expect(selfHealthAlertRules({ stack: 'monitoring' }).map((r) => r.alert)).toEqual(['Watchdog']);
  });

  it('fills the context into the expression and the annotations', () => {
    const down = stackAlertRules(stack).find((r) => r.alert === 'ProxmoxGuestDown')!;
    expect(down.expr).toContain('pve_up{id=~"lxc/(120)"}');
    expect(down.description).toContain('the media container');
    expect(down.labels).toEqual({ stack: 'media' });
    expect(selfHealthAlertRules(self).find((r) => r.alert === 'PrometheusConfigReloadFailed')!.expr).toBe('prometheus_config_last_reload_successful{job="prometheus"} == 0');
  });
});
