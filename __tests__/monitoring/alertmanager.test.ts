import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithTools } from '../support/controller';
import { SynthesizedLab } from '../support/lab';
import { RefLab, renderVaultTemplate, run, scratch, synthHomelab, VAULT_TEST_VALUES } from './support';

let ref: RefLab;
let out: SynthesizedLab;
let am: any;
let tmp: ReturnType<typeof scratch>;
let amPath: string;
const CONFIG = 'ansible/files/alertmanager/config';
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
  const rendered = renderVaultTemplate(out.text(`${CONFIG}/alertmanager.yml.j2`), VAULT_TEST_VALUES);
  am = yaml.load(rendered);
  tmp = scratch('alertmanager');
  amPath = tmp.write('alertmanager.yml', rendered);
});
afterAll(() => {
  tmp.cleanup();
  ref.cleanup();
});

const receiver = (name: string) => am.receivers.find((r: any) => r.name === name);

describe('alertmanager.yml of the reference homelab', () => {
  it('delivers each severity to its ntfy topic with the built-in alertmanager template, on the LAN', () => {
    for (const [sev, topic, priority] of [['critical', 'homelab-critical', 'urgent'], ['warning', 'homelab-warning', 'high'], ['info', 'homelab-info', 'low']]) {
      expect(receiver(`ntfy-${sev}`).webhook_configs, sev).toEqual([{
        url: `http://10.10.10.38:80/${topic}?template=alertmanager&priority=${priority}`,
        send_resolved: true,
        max_alerts: 20,
        http_config: { authorization: { type: 'Bearer', credentials_file: '/etc/alertmanager/secrets/ntfy-token' } },
      }]);
    }
  });

  it('routes by severity, groups per alert and stack, and sends the Watchdog to the heartbeat receiver every minute', () => {
    expect(am.route).toMatchObject({ receiver: 'ntfy-warning', group_by: ['alertname', 'stack'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
    expect(am.route.routes[0]).toEqual({ receiver: 'heartbeat', matchers: ['alertname="Watchdog"'], group_wait: '0s', group_interval: '1m', repeat_interval: '1m' });
    expect(am.route.routes.slice(1).map((r: any) => [r.matchers, r.receiver])).toEqual([
      [['severity="critical"'], 'ntfy-critical'],
      [['severity="warning"'], 'ntfy-warning'],
      [['severity="info"'], 'ntfy-info'],
    ]);
    expect(receiver('heartbeat').webhook_configs).toEqual([{ url: VAULT_TEST_VALUES.vault_alertmanager_heartbeat_url, send_resolved: false }]);
  });

  it('silences the other alerts of a down instance', () => {
    expect(am.inhibit_rules).toEqual([
      { source_matchers: ['alertname="InstanceDown"', 'job="node"'], target_matchers: ['severity=~"critical|warning|info"'], equal: ['host'] },
      { source_matchers: ['alertname="InstanceDown"'], target_matchers: ['severity=~"critical|warning|info"', 'alertname!="InstanceDown"'], equal: ['instance'] },
      { source_matchers: ['alertname="ProxmoxGuestDown"'], target_matchers: ['severity=~"critical|warning|info"', 'alertname!="ProxmoxGuestDown"'], equal: ['host'] },
    ]);
  });

  it('keeps the heartbeat URL and the ntfy token out of synth-out: Ansible renders them from the vault', () => {
    expect(out.text(`${CONFIG}/alertmanager.yml.j2`)).toContain('url: {{ vault_alertmanager_heartbeat_url | to_json }}');
    expect(out.text(`${CONFIG}/secrets/ntfy-token.j2`)).toBe('{{ vault_ntfy_alertmanager_token }}\n');
    const files = out.hostVars('alertmanager').monitoring_config_files;
    expect(files).toEqual([
      // The heartbeat URL is a secret: root-owned, readable by Alertmanager's group (nobody) only.
      { src: 'config/alertmanager.yml.j2', dest: 'config/alertmanager.yml', owner: 0, group: 65534, mode: '0440', secret: true },
      { src: 'config/secrets/ntfy-token.j2', dest: 'config/secrets/ntfy-token', owner: 0, group: 65534, mode: '0440', secret: true },
    ]);
    const vault = out.text('ansible/vault.example.yml');
    for (const v of ['vault_alertmanager_heartbeat_url', 'vault_ntfy_alertmanager_token', 'vault_ntfy_auth_users', 'vault_pve_exporter_token']) expect(vault, v).toContain(`${v}: CHANGE_ME`);
  });

  it("provisions Alertmanager's token in ntfy from the same vault variable, with write-only access to the alert topics", () => {
    const ntfy: any = yaml.load(renderVaultTemplate(out.text('ansible/files/ntfy/config/server.yml.j2'), VAULT_TEST_VALUES));
    expect(ntfy).toMatchObject({
      'base-url': 'https://ntfy.home.example.org',
      'behind-proxy': true,
      'auth-default-access': 'deny-all',
      'auth-users': VAULT_TEST_VALUES.vault_ntfy_auth_users,
      'auth-access': ['alertmanager:homelab-critical:wo', 'alertmanager:homelab-info:wo', 'alertmanager:homelab-warning:wo'],
      'auth-tokens': [`alertmanager:${VAULT_TEST_VALUES.vault_ntfy_alertmanager_token}:Alertmanager`],
      'enable-metrics': true,
    });
  });
});

describeWithTools(['amtool'], 'amtool on the generated Alertmanager config', () => {
  it('passes amtool check-config', () => {
    const r = run('amtool', ['check-config', amPath]);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toContain('4 receivers');
    expect(r.output).toContain('3 inhibit rules');
  });

  const routes: [string, string[], string][] = [
    ['a critical alert', ['alertname=InstanceDown', 'severity=critical', 'stack=media'], 'ntfy-critical'],
    ['a warning', ['alertname=DiskWillFillIn24h', 'severity=warning', 'stack=business'], 'ntfy-warning'],
    ['an info alert', ['alertname=Digest', 'severity=info'], 'ntfy-info'],
    ['the Watchdog', ['alertname=Watchdog', 'severity=none'], 'heartbeat'],
    ['a Watchdog someone marked critical', ['alertname=Watchdog', 'severity=critical'], 'heartbeat'],
    ['an alert without severity', ['alertname=Unlabelled'], 'ntfy-warning'],
  ];
  for (const [what, labels, expected] of routes) {
    it(`routes ${what} to ${expected} (amtool config routes test)`, () => {
      const r = run('amtool', ['config', 'routes', 'test', `--config.file=${amPath}`, `--verify.receivers=${expected}`, ...labels]);
      expect(r.code, r.output).toBe(0);
      expect(r.stdout.trim()).toBe(expected);
    });
  }

  it('fails a route test that expects the wrong receiver (the check can fail)', () => {
    const r = run('amtool', ['config', 'routes', 'test', `--config.file=${amPath}`, '--verify.receivers=ntfy-critical', 'alertname=Watchdog', 'severity=none']);
    expect(r.code).not.toBe(0);
  });
});
