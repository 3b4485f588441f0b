/**
 * Issue 10 item 28: Debian's nftables.service loads /etc/nftables.conf, which starts with
 * `flush ruleset` (and its ExecStop is `nft flush ruleset`; trixie's nftables 1.1.3-1): started by
 * anyone, it would wipe the kill switch or the VPN server's forwarding table. The roles that load
 * their own rulesets mask it, and the play fails if the mask is not in place.
 */
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthReferenceLab, SynthOutput } from './reference-output';

type Task = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let out: SynthOutput;
beforeAll(() => {
  out = synthReferenceLab();
});

describe.each([
  ['wireguard_client', 'homelab-nft@killswitch.service'],
  ['wireguard_server', 'homelab-nft@wireguard-server.service'],
])('the %s role masks nftables.service', (role, rulesetUnit) => {
  const tasks = () => yaml.load(out.file(`ansible/roles/${role}/tasks/main.yml`)) as Task[];
  const index = (pred: (t: Task) => boolean) => tasks().findIndex(pred);

  it('masks the unit before it loads its own ruleset', () => {
    const mask = index((t) => t['ansible.builtin.systemd_service']?.name === 'nftables.service');
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(tasks()[mask]!['ansible.builtin.systemd_service']).toEqual({ name: 'nftables.service', masked: true });
    const load = index((t) => t['ansible.builtin.systemd_service']?.name === rulesetUnit && t['ansible.builtin.systemd_service']?.state === 'started');
    expect(load).toBeGreaterThan(mask);
  });

  it('fails the play when the mask is not in place (systemctl is-enabled must say masked)', () => {
    const checkAt = index((t) => JSON.stringify(t['ansible.builtin.command']?.argv) === JSON.stringify(['systemctl', 'is-enabled', 'nftables.service']));
    expect(checkAt, 'a task running systemctl is-enabled nftables.service').toBeGreaterThanOrEqual(0);
    const check = tasks()[checkAt]!;
    expect(check.changed_when).toBe(false);
    expect(check.failed_when).toBe(`${check.register as string}.stdout | trim != 'masked'`);
    expect(checkAt).toBeGreaterThan(index((t) => t['ansible.builtin.systemd_service']?.name === 'nftables.service'));
  });

  it('keeps the ruleset unit free of a flush: it only loads its own table', () => {
    const unit = out.file(`ansible/roles/${role}/files/homelab-nft@.service`);
    const directives = unit.split('\n').filter((l) => !l.startsWith('#')).join('\n');
    expect(directives).toMatch(/^ExecStart=\/usr\/sbin\/nft -f \/etc\/homelab\/nftables\/%i\.nft$/m);
    expect(directives).not.toMatch(/flush/);
    expect(directives).not.toMatch(/^ExecStop=/m);
  });
});
