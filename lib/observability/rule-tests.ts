import { AlertRuleDefinition, RuleGroup } from './alert-rules';

/**
 * promtool unit tests (`promtool test rules <file>`) generated from the rules' own test series: for
 * every rule one test where it must fire with exactly the expected labels and rendered annotations,
 * and one where it must stay silent. A rule without a test is listed in `untested`.
 */
export function ruleTestFile(group: RuleGroup, ruleFilePath: string): { file: Record<string, unknown>; untested: string[] } {
  const tests: Record<string, unknown>[] = [];
  const untested: string[] = [];
  for (const { rule } of group.rules) {
    const t = rule.test;
    if (!t) {
      untested.push(rule.alert);
      continue;
    }
    const interval = t.interval ?? '1m';
    tests.push({
      name: `${group.name}/${rule.alert} fires`,
      interval,
      input_series: t.firing.map((s) => ({ series: s.series, values: s.values })),
      alert_rule_test: [
        {
          eval_time: t.evalTime,
          alertname: rule.alert,
          exp_alerts: t.alerts.map((labels) => expectedAlert(rule, labels)),
        },
      ],
    });
    for (const c of t.alsoFiresWhen ?? []) {
      tests.push({
        name: `${group.name}/${rule.alert} fires when ${c.name}`,
        interval,
        input_series: c.series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [{ eval_time: t.evalTime, alertname: rule.alert, exp_alerts: c.alerts.map((labels) => expectedAlert(rule, labels)) }],
      });
    }
    if (t.silent) {
      tests.push({
        name: `${group.name}/${rule.alert} stays silent`,
        interval,
        input_series: t.silent.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [{ eval_time: t.evalTime, alertname: rule.alert, exp_alerts: [] }],
      });
    }
  }
  return { file: { rule_files: [ruleFilePath], evaluation_interval: '1m', tests }, untested };
}

/** The alert promtool must see: series labels overlaid with the rule's labels, annotations rendered. */
function expectedAlert(rule: AlertRuleDefinition, seriesLabels: Readonly<Record<string, string>>): Record<string, unknown> {
  const labels: Record<string, string> = { ...seriesLabels, ...(rule.labels ?? {}), severity: rule.severity };
  const sorted = Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
  return {
    exp_labels: sorted,
    exp_annotations: {
      summary: renderAnnotation(rule.summary, labels, rule.alert),
      description: renderAnnotation(rule.description, labels, rule.alert),
      runbook: renderAnnotation(rule.runbook, labels, rule.alert),
    },
  };
}

/**
 * Renders the subset of Prometheus' annotation templating the lab's rules use: `{{ $labels.x }}`.
 * Anything else cannot be predicted here, so it is refused rather than guessed.
 */
export function renderAnnotation(template: string, labels: Readonly<Record<string, string>>, alert: string): string {
  const rendered = template.replace(/\{\{\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => labels[name] ?? '<no value>');
  if (rendered.includes('{{')) {
    throw new Error(`alert '${alert}': its annotations use templating beyond {{ $labels.<name> }}, which the generated unit test cannot predict; keep annotations to label references`);
  }
  return rendered;
}
