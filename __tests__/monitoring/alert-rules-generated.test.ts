import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SynthesizedLab } from '../support/lab';
import { RefLab, ruleReaders, synthHomelab, TESTS } from './support';

/** The built-in rule table rendered for the reference homelab (pure: promtool runs them in alert-rules.test.ts). */
let ref: RefLab;
let out: SynthesizedLab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref.cleanup());

const { group, rule } = ruleReaders(() => out);
const STACKS = ['media', 'monitoring', 'security', 'business'];
const EVERY_STACK = ['InstanceDown', 'ProbeFailed', 'TlsCertificateExpiringSoon', 'DiskWillFillIn24h', 'DiskAlmostFull', 'MemoryPressure', 'ContainerRestarting', 'ContainerUnhealthy', 'ProxmoxGuestDown', 'ProxmoxGuestNotBackedUp'];

describe('alert rules generated from the reference homelab', () => {
  it('writes one group per stack, each with the rules every stack gets', () => {
    for (const stack of STACKS) {
      expect(group(stack).name).toBe(stack);
      expect(group(stack).rules.map((r: any) => r.alert), stack).toEqual(expect.arrayContaining(EVERY_STACK));
    }
  });

  it('gives every rule a severity, summary, description and runbook hint', () => {
    for (const stack of STACKS) {
      for (const r of group(stack).rules) {
        expect(['critical', 'warning', 'info', 'none'], `${stack}/${r.alert}`).toContain(r.labels.severity);
        expect(Object.keys(r.annotations).sort(), `${stack}/${r.alert}`).toEqual(['description', 'runbook', 'summary']);
        for (const text of Object.values<string>(r.annotations)) expect(text.length, `${stack}/${r.alert}`).toBeGreaterThan(15);
      }
    }
  });

  it('selects each stack\'s own targets', () => {
    expect(rule('media', 'InstanceDown')).toMatchObject({ expr: 'up{stack="media",probe=""} == 0', for: '3m', labels: { severity: 'critical' } });
    expect(rule('business', 'ProbeFailed').expr).toBe('probe_success{stack="business"} == 0');
    expect(rule('security', 'TlsCertificateExpiringSoon').expr).toBe('probe_ssl_earliest_cert_expiry{stack="security",probe="route"} - time() < 14 * 86400');
  });

  it('predicts disks filling within 24h with a for: and guards against small or mostly empty file systems', () => {
    const r = rule('media', 'DiskWillFillIn24h');
    expect(r.expr).toContain('predict_linear(node_filesystem_avail_bytes{stack="media"');
    expect(r.expr).toContain('[6h], 86400) < 0');
    expect(r.expr).toContain('node_filesystem_size_bytes{stack="media", fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*", mountpoint!~"/(dev|proc|run|sys)($|/).*"} > 1073741824');
    expect(r.expr).toContain('node_filesystem_readonly{stack="media", fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.*", mountpoint!~"/(dev|proc|run|sys)($|/).*"} == 0');
    expect(r.expr).toMatch(/< 0\.4/);
    expect(r.for).toBe('1h');
  });

  it('alerts on a disk more than 90% full for 15 minutes, growing or not (issue 10 item 27)', () => {
    const r = rule('media', 'DiskAlmostFull');
    expect(r.expr).toMatch(/^node_filesystem_avail_bytes\{stack="media", fstype!~[^}]+\} \/ node_filesystem_size_bytes\{stack="media", [^}]+\} < 0\.1 and node_filesystem_readonly\{stack="media", [^}]+\} == 0$/);
    expect(r.expr).not.toContain('predict_linear');
    expect(r).toMatchObject({ for: '15m', labels: { severity: 'critical' } });
  });

  it('watches the certificate expiry of internal https probes too, where a stack has one (Cockpit)', () => {
    expect(rule('business', 'InternalTlsCertificateExpiringSoon')).toMatchObject({
      expr: 'probe_ssl_earliest_cert_expiry{stack="business",probe="internal"} - time() < 14 * 86400',
      for: '1h',
    });
    const probes = out.yaml('ansible/files/prometheus/config/prometheus.yml').scrape_configs.flatMap((j: any) => j.static_configs ?? []);
    const internalHttps = new Set(probes.filter((c: any) => c.labels?.probe === 'internal' && c.targets.some((t: string) => t.startsWith('https://'))).map((c: any) => c.labels.stack));
    expect([...internalHttps]).toEqual(['business']);
    for (const stack of STACKS) expect(group(stack).rules.some((r: any) => r.alert === 'InternalTlsCertificateExpiringSoon'), stack).toBe(internalHttps.has(stack));
  });

  it('watches the Proxmox guests of each stack by VMID, and their backup coverage', () => {
    expect(rule('media', 'ProxmoxGuestDown').expr).toContain('pve_up{id=~"lxc/(121|122|123|124|125|126|127|128|129)"} == 0');
    expect(rule('media', 'ProxmoxGuestDown').labels).toEqual({ severity: 'critical', stack: 'media' });
    const backedUp = ref.lab.containers.filter((c) => c.stack.stackName === 'business' && c.backup).map((c) => c.vmId).sort();
    expect(backedUp.length).toBeGreaterThan(0);
    expect(rule('business', 'ProxmoxGuestNotBackedUp').expr).toContain(`pve_not_backed_up_info{id=~"lxc/(${backedUp.join('|')})"}`);
    expect(rule('monitoring', 'ProxmoxNodeDown').expr).toBe('pve_up{id=~"node/.+"} == 0');
  });

  it('alerts when the VPN tunnel of the qBittorrent host is down', () => {
    const r = rule('media', 'VpnTunnelDown');
    expect(r.expr).toBe('time() - homelab_wireguard_latest_handshake_timestamp_seconds{stack="media"} > 300 or homelab_wireguard_interface_up{stack="media"} == 0');
    expect(r.labels.severity).toBe('critical');
    expect(out.hostVars('qbittorrent').node_exporter_wireguard_interfaces).toEqual(['wg0']);
    for (const stack of ['monitoring', 'security', 'business']) expect(group(stack).rules.map((x: any) => x.alert)).not.toContain('VpnTunnelDown');
  });

  it('alerts when the rclone and Immich backup heartbeats go missing', () => {
    expect(rule('business', 'GoogleDriveSyncHeartbeatMissed').expr).toBe(
      'time() - max by (host) (homelab_rclone_last_success_timestamp_seconds{host="gdrive-sync"}) > 93600 or absent(homelab_rclone_last_success_timestamp_seconds{host="gdrive-sync"})',
    );
    expect(rule('business', 'ImmichBackupHeartbeatMissed').expr).toContain('homelab_immich_library_sync_last_success_timestamp_seconds{host="immich-backup"}');
  });

  it('watches the monitoring stack itself and fires a Watchdog always', () => {
    const names = group('monitoring').rules.map((r: any) => r.alert);
    expect(names).toEqual(expect.arrayContaining([
      'Watchdog', 'PrometheusConfigReloadFailed', 'PrometheusRuleEvaluationFailures', 'PrometheusAlertmanagerMissing', 'PrometheusNotificationsFailing',
      'AlertmanagerConfigReloadFailed', 'AlertmanagerNotificationsFailing', 'LokiRequestErrors', 'ProxmoxNodeDown',
    ]));
    expect(rule('monitoring', 'Watchdog')).toMatchObject({ expr: 'vector(1)', labels: { severity: 'none' } });
    expect(rule('monitoring', 'PrometheusConfigReloadFailed').expr).toBe('prometheus_config_last_reload_successful{job="prometheus"} == 0');
    for (const stack of ['media', 'security', 'business']) expect(group(stack).rules.map((x: any) => x.alert)).not.toContain('Watchdog');
  });

  it('generates a firing and a silent unit test for every rule (the Watchdog only fires)', () => {
    for (const stack of STACKS) {
      const tests = out.yaml(`${TESTS}/${stack}.test.yml`);
      expect(tests.rule_files).toEqual([`../config/rules/${stack}.yml`]);
      const names = tests.tests.map((t: any) => t.name);
      for (const r of group(stack).rules) {
        expect(names, `${stack}/${r.alert}`).toContain(`${stack}/${r.alert} fires`);
        if (r.alert !== 'Watchdog') expect(names, `${stack}/${r.alert}`).toContain(`${stack}/${r.alert} stays silent`);
      }
      for (const t of tests.tests) {
        const [check] = t.alert_rule_test;
        if (t.name.endsWith('stays silent')) expect(check.exp_alerts, t.name).toEqual([]);
        else expect(check.exp_alerts.length, t.name).toBeGreaterThan(0);
      }
    }
  });

  it('uses the model\'s real labels in the generated test series', () => {
    const tests = out.yaml(`${TESTS}/media.test.yml`);
    const t = tests.tests.find((x: any) => x.name === 'media/InstanceDown fires');
    const host = ref.lab.containers.filter((c) => c.stack.stackName === 'media').sort((a, b) => a.hostname.localeCompare(b.hostname))[0]!;
    expect(t.input_series[0].series).toBe(`up{host="${host.hostname}", instance="${host.ipAddress}:9100", job="node", stack="media"}`);
    expect(t.alert_rule_test[0].exp_alerts[0].exp_annotations.summary).toBe(`${host.hostname}: node at ${host.ipAddress}:9100 is down`);
  });
});
