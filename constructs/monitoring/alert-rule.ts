import { Construct, IConstruct } from 'constructs';
import {
  AlertRuleDefinition, AlertRuleTest, BUILTIN_ALERT_NAMES, heartbeatRule, ruleProblems, Severity,
} from '../../lib/observability/alert-rules';
import { addCheck, addWarning, fail, requireProps } from '../../lib/problems';
import { isDuration } from '../../lib/observability/promql';
import { checkPropTypes, nonEmptyString } from '../../lib/prop-types';
import { LabStack, LxcContainer } from '../core';

export type AlertRuleProps = AlertRuleDefinition;

/**
 * Alert names the monitoring stack generates into every stack's rule group itself; a service's own
 * rule may not reuse them (one name, one meaning, one runbook). Read from the built-in rule tables.
 */
export const BUILTIN_ALERTS: readonly string[] = BUILTIN_ALERT_NAMES;

/**
 * An alerting rule a service brings along (L2). It joins the rule group of its stack
 * (`rules/<stack>.yml` on Prometheus), next to the rules the monitoring stack generates for every
 * stack; its `test` becomes a generated promtool unit test. Add it under the construct it is about:
 *
 * ```ts
 * new AlertRule(immich, 'QueueStuck', { alert: 'ImmichJobQueueStuck', expr: '...', severity: 'warning', ... });
 * AlertRule.heartbeatMissed(rclone, 'SyncHeartbeat', { metric: 'homelab_rclone_last_success_timestamp_seconds', maxAge: '26h', what: 'Google Drive sync' });
 * ```
 */
export class AlertRule extends Construct {
  /** Every AlertRule below `scope`, in tree order. */
  static allIn(scope: IConstruct): AlertRule[] {
    return scope.node.findAll().filter((c): c is AlertRule => c instanceof AlertRule);
  }

  /**
   * A batch job's success heartbeat went missing: the job writes `<metric> <unix time>` into
   * node_exporter's textfile directory after each successful run (see NODE_EXPORTER_TEXTFILE_DIR).
   */
  static heartbeatMissed(host: LxcContainer, id: string, props: { metric: string; maxAge: string; what: string; alert?: string; severity?: Severity }): AlertRule {
    requireProps(host, `heartbeat alert ${id}`, props, ['metric', 'maxAge', 'what']);
    props = checkPropTypes(host, `heartbeat alert ${id}`, props, {
      metric: { is: (v) => typeof v === 'string' && /^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(v), expected: "a Prometheus metric name like 'homelab_rclone_last_success_timestamp_seconds'" },
      what: nonEmptyString, alert: { is: (v) => typeof v === 'string' && /^[a-zA-Z_][a-zA-Z0-9_]*$/.test(v), expected: "an alert name like 'SyncHeartbeat'" }, severity: 'string',
    }, { required: ['metric', 'what'] });
    if (typeof props?.maxAge !== 'string' || !isDuration(props.maxAge)) {
      fail(host, `heartbeat alert ${id}: maxAge ${JSON.stringify(props?.maxAge ?? null)} is not a Prometheus duration`, "write it like '26h' or '1d12h' (units ms, s, m, h, d, w, y)");
    }
    // Built lazily: the host's planned address is only known once every container is declared.
    return new AlertRule(host, id, () => heartbeatRule({
      alert: props.alert ?? 'HeartbeatMissed',
      metric: props.metric,
      maxAge: props.maxAge,
      what: props.what,
      severity: props.severity,
      host: { host: host.hostname, stack: host.stack.stackName, address: host.ipAddress },
    }), props.alert ?? 'HeartbeatMissed');
  }

  /** The rule group (the stack's name). */
  readonly group: string;
  private readonly source: AlertRuleProps | (() => AlertRuleProps);
  private resolved?: AlertRuleDefinition;
  private readonly alertName: string;

  /**
   * `props` may be a function when the rule depends on planned values (addresses); it is then
   * called once the tree is complete and checked like any other rule.
   */
  constructor(scope: Construct, id: string, props: AlertRuleProps | (() => AlertRuleProps), alertName?: string) {
    super(scope, id);
    this.source = props;
    this.group = LabStack.of(this).stackName;
    if (typeof props === 'function') {
      this.alertName = alertName ?? id;
      addCheck(this, () => {
        const def = this.definition;
        const problems = ruleProblems(def);
        if (problems.length) return problems;
        if (def.test) checkTestAnnotations(this, def);
        return [];
      });
    } else {
      this.alertName = props.alert;
      const problems = ruleProblems(props);
      if (problems.length) fail(this, problems[0]!.message, problems[0]!.fix);
      if (!props.test) addWarning(this, 'homelab:alert-rule-untested', `alert '${props.alert}' has no test series, so no unit test proves it fires`);
      else checkTestAnnotations(this, props);
    }
    addCheck(this, () => this.checkUnique());
  }

  get definition(): AlertRuleDefinition {
    this.resolved ??= { ...(typeof this.source === 'function' ? this.source() : this.source) };
    return this.resolved;
  }

  get alert(): string {
    return this.alertName;
  }

  private checkUnique(): { message: string; fix: string }[] {
    const fix = 'give one of them another alert name';
    if (BUILTIN_ALERTS.includes(this.alert)) {
      return [{ message: `alert '${this.alert}' is already defined in rule group '${this.group}' by the monitoring stack's built-in rules`, fix }];
    }
    const root = this.node.root;
    const first = AlertRule.allIn(root).find((r) => r.group === this.group && r.alert === this.alert);
    if (first && first !== this) return [{ message: `alert '${this.alert}' is defined twice in rule group '${this.group}' (first by ${first.node.path})`, fix }];
    return [];
  }
}

function checkTestAnnotations(scope: AlertRule, props: AlertRuleDefinition & { test?: AlertRuleTest }): void {
  for (const text of [props.summary, props.description, props.runbook]) {
    if (text.replace(/\{\{\s*\$labels\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}/g, '').includes('{{')) {
      fail(scope, `alert '${props.alert}' has a test, but its annotations use templating other than {{ $labels.<name> }}`, 'keep annotations to label references so the generated unit test can predict them, or drop the test');
    }
  }
}
