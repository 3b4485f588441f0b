import { readdirSync } from 'node:fs';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertRule } from '../../constructs/monitoring/alert-rule';
import { App } from '../../lib/cdktf';
import { collectWarnings } from '../../lib/problems';
import { describeWithTools } from '../support/controller';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';
import { buildMonitoringLab, RefLab, RULES, ruleReaders, run, scratch, synthHomelab, TESTS } from './support';

let ref: RefLab;
let out: SynthesizedLab;
const GIB = 1073741824;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref.cleanup());

const { rule } = ruleReaders(() => out);

describeWithTools(['promtool'], 'promtool on the generated rules', () => {
  it('passes promtool check rules', () => {
    const dir = `${out.dir}/${RULES}`;
    const r = run('promtool', ['check', 'rules', ...readdirSync(dir).sort()], { cwd: dir });
    expect(r.code, r.output).toBe(0);
  });

  it('passes the generated promtool unit tests: every rule fires and stays silent as it should', () => {
    const dir = `${out.dir}/${TESTS}`;
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['business.test.yml', 'media.test.yml', 'monitoring.test.yml', 'security.test.yml']);
    const r = run('sh', ['-c', files.map((f) => `promtool test rules ${f} & `).join('') + 'fail=0; for p in $(jobs -p); do wait $p || fail=1; done; exit $fail'], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.output).toBe(0);
    expect(r.output.match(/SUCCESS/g)?.length).toBe(4);
  });

  it('fails the unit tests when a rule no longer does what its test says (negative control)', () => {
    const tmp = scratch('rules-neg');
    try {
      const rules = out.yaml(`${RULES}/media.yml`);
      // A threshold typo: InstanceDown would never fire.
      rules.groups[0].rules.find((r: any) => r.alert === 'InstanceDown').expr = 'up{stack="media",probe=""} == 2';
      tmp.write('config/rules/media.yml', yaml.dump(rules));
      tmp.write('rule-tests/media.test.yml', out.text(`${TESTS}/media.test.yml`));
      const r = run('promtool', ['test', 'rules', 'media.test.yml'], { cwd: `${tmp.dir}/rule-tests` });
      expect(r.code).not.toBe(0);
      expect(r.output).toContain('media/InstanceDown fires');
    } finally {
      tmp.cleanup();
    }
  });

  it('fires DiskAlmostFull, not only the prediction, for a disk at 99% that does not grow', () => {
    const tmp = scratch('rules-diskfull');
    try {
      tmp.write('config/rules/media.yml', out.text(`${RULES}/media.yml`));
      const labels = 'host="plex", instance="10.10.10.21:9100", job="node", stack="media", device="rpool/data/subvol-121-disk-0", fstype="zfs", mountpoint="/"';
      const exp: Record<string, string> = { host: 'plex', instance: '10.10.10.21:9100', job: 'node', stack: 'media', device: 'rpool/data/subvol-121-disk-0', fstype: 'zfs', mountpoint: '/' };
      // promtool compares annotations too: the generated ones, with the labels filled in.
      const annotations = Object.fromEntries(Object.entries<string>(rule('media', 'DiskAlmostFull').annotations).map(([k, v]) => [k, v.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, l: string) => exp[l]!)]));
      tmp.write('rule-tests/full.test.yml', yaml.dump({
        rule_files: ['../config/rules/media.yml'],
        evaluation_interval: '1m',
        tests: [{
          interval: '1m',
          input_series: [
            { series: `node_filesystem_avail_bytes{${labels}}`, values: `${GIB}x200` },
            { series: `node_filesystem_size_bytes{${labels}}`, values: `${100 * GIB}x200` },
            { series: `node_filesystem_readonly{${labels}}`, values: '0x200' },
          ],
          alert_rule_test: [
            { eval_time: '10m', alertname: 'DiskAlmostFull', exp_alerts: [] },
            { eval_time: '3h', alertname: 'DiskAlmostFull', exp_alerts: [{ exp_labels: { ...exp, severity: 'critical' }, exp_annotations: annotations }] },
            { eval_time: '3h', alertname: 'DiskWillFillIn24h', exp_alerts: [] },
          ],
        }],
      }));
      const r = run('promtool', ['test', 'rules', 'full.test.yml'], { cwd: `${tmp.dir}/rule-tests` });
      expect(r.code, r.output).toBe(0);
    } finally {
      tmp.cleanup();
    }
  });

  it('rejects an invalid expression that passed the synth-time check (promtool is the full parser)', () => {
    const tmp = scratch('rules-bad');
    try {
      const path = tmp.write('bad.yml', yaml.dump({ groups: [{ name: 'x', rules: [{ alert: 'Bad', expr: 'rate(up[5m) > 0' }] }] }));
      const r = run('promtool', ['check', 'rules', path]);
      expect(r.code).not.toBe(0);
    } finally {
      tmp.cleanup();
    }
  });
});

const QUEUE_RULE = {
  alert: 'QueueStuck',
  expr: 'web_queue_length{host="web"} > 100',
  for: '10m',
  severity: 'warning' as const,
  summary: '{{ $labels.host }}: the job queue is stuck',
  description: 'More than 100 jobs have been waiting for 10 minutes.',
  runbook: 'Restart the worker: docker compose restart worker in /opt/homelab/{{ $labels.host }}.',
  test: {
    evalTime: '20m',
    firing: [{ series: 'web_queue_length{host="web",job="web",stack="apps"}', values: '500x25' }],
    alerts: [{ host: 'web', job: 'web', stack: 'apps' }],
    silent: [{ series: 'web_queue_length{host="web",job="web",stack="apps"}', values: '5x25' }],
  },
};

describe('AlertRule: services add their own rules', () => {
  it('adds a service rule to its stack\'s group, with its generated unit test', () => {
    const o = synthLab((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Queue', QUEUE_RULE) }));
    try {
      const rules = o.yaml(`${RULES}/apps.yml`).groups[0].rules;
      expect(rules.find((r: any) => r.alert === 'QueueStuck')).toEqual({
        alert: 'QueueStuck',
        expr: 'web_queue_length{host="web"} > 100',
        for: '10m',
        labels: { severity: 'warning' },
        annotations: { summary: QUEUE_RULE.summary, description: QUEUE_RULE.description, runbook: QUEUE_RULE.runbook },
      });
      const tests = o.yaml(`${TESTS}/apps.test.yml`).tests;
      expect(tests.find((t: any) => t.name === 'apps/QueueStuck fires').alert_rule_test[0].exp_alerts).toEqual([{
        exp_labels: { host: 'web', job: 'web', severity: 'warning', stack: 'apps' },
        exp_annotations: { summary: 'web: the job queue is stuck', description: QUEUE_RULE.description, runbook: 'Restart the worker: docker compose restart worker in /opt/homelab/web.' },
      }]);
      const r = run('promtool', ['test', 'rules', 'apps.test.yml'], { cwd: `${o.dir}/${TESTS}` });
      expect(r.code, r.output).toBe(0);
    } finally {
      o.cleanup();
    }
  });

  it('fails when two rules of one group share an alert name, naming both constructs', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web, smb }) => {
      new AlertRule(web, 'Queue', QUEUE_RULE);
      new AlertRule(smb, 'Queue', QUEUE_RULE);
    } }))).toEqual([
      "[homelab/apps/smb/Queue] alert 'QueueStuck' is defined twice in rule group 'apps' (first by homelab/apps/web/Queue) — give one of them another alert name",
    ]);
  });

  it('fails when a rule takes the name of a built-in rule of its group', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Down', { ...QUEUE_RULE, alert: 'InstanceDown' }) }))).toEqual([
      "[homelab/apps/web/Down] alert 'InstanceDown' is already defined in rule group 'apps' by the monitoring stack's built-in rules — give one of them another alert name",
    ]);
  });

  it('fails when a rule takes the name of any built-in rule, not only the ones its group got (DiskAlmostFull was missing from a hand-kept list)', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Full', { ...QUEUE_RULE, alert: 'DiskAlmostFull' }) }))).toEqual([
      "[homelab/apps/web/Full] alert 'DiskAlmostFull' is already defined in rule group 'apps' by the monitoring stack's built-in rules — give one of them another alert name",
    ]);
  });

  it('fails when a rule\'s expression is malformed', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Queue', { ...QUEUE_RULE, expr: 'rate(web_jobs_total[5m] > 1' }) }))).toEqual([
      "[homelab/apps/web/Queue] alert 'QueueStuck' has an invalid expression: the expression ends too early at column 28 (a closing bracket or an operand is missing) — fix the PromQL (promtool check rules on the generated file shows the full parser error)",
    ]);
  });

  it('fails when a rule has no runbook or an invalid for:', () => {
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Queue', { ...QUEUE_RULE, runbook: ' ' }) }))).toEqual([
      "[homelab/apps/web/Queue] alert 'QueueStuck' has no runbook — say in the runbook what a person woken by it needs to know",
    ]);
    expect(problemsOf((app) => buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Queue', { ...QUEUE_RULE, for: '10 minutes' }) }))).toEqual([
      "[homelab/apps/web/Queue] alert 'QueueStuck' has for: '10 minutes', which is not a duration — write it like '5m' or '1h30m'",
    ]);
  });

  it('warns with a stable id when a rule brings no test', () => {
    const app = new App({ skipValidation: true });
    buildMonitoringLab(app, { extend: ({ web }) => new AlertRule(web, 'Queue', { ...QUEUE_RULE, test: undefined }) });
    expect(collectWarnings(app).filter((w) => w.id === 'homelab:alert-rule-untested')).toEqual([
      { id: 'homelab:alert-rule-untested', path: 'homelab/apps/web/Queue', message: "alert 'QueueStuck' has no test series, so no unit test proves it fires" },
    ]);
  });

  it('builds heartbeat rules for batch jobs that also fire when the metric was never written', () => {
    const o = synthLab((app) => buildMonitoringLab(app, { extend: ({ smb }) => AlertRule.heartbeatMissed(smb, 'Backup', { alert: 'SmbBackupHeartbeatMissed', metric: 'homelab_smb_backup_last_success_timestamp_seconds', maxAge: '26h', what: 'The SMB backup' }) }));
    try {
      const r = o.yaml(`${RULES}/apps.yml`).groups[0].rules.find((x: any) => x.alert === 'SmbBackupHeartbeatMissed');
      expect(r).toMatchObject({ for: '10m', labels: { severity: 'critical', stack: 'apps' } });
      expect(r.annotations.summary).toBe('The SMB backup has not succeeded for 26h');
      expect(o.yaml(`${TESTS}/apps.test.yml`).tests.map((t: any) => t.name).filter((n: string) => n.startsWith('apps/SmbBackup'))).toEqual([
        'apps/SmbBackupHeartbeatMissed fires',
        'apps/SmbBackupHeartbeatMissed fires when the metric was never written',
        'apps/SmbBackupHeartbeatMissed stays silent',
      ]);
      const run1 = run('promtool', ['test', 'rules', 'apps.test.yml'], { cwd: `${o.dir}/${TESTS}` });
      expect(run1.code, run1.output).toBe(0);
    } finally {
      o.cleanup();
    }
  });
});
