/**
 * The twin's firewall probe plan (tools/twin/firewall-checks.ts), on the reference lab's synthesized
 * firewall: declared connections the rules accept, undeclared ones they drop. The twin carries the
 * plan out with real packets (report.integration.firewall, read by twin-report.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFirewallProbes, runFirewallProbes } from '../../tools/twin/firewall-checks';
import { decide, translateFirewalls, vethName } from '../../tools/twin/firewall-nft';
import { readDatacenterFirewall, readFirewalls } from '../../tools/twin/probe-sources';
import { REPO_ROOT } from '../support/controller';

const GATEWAY = '10.10.10.1';
const synthOut = path.join(REPO_ROOT, 'synth-out');
const firewalls = readFirewalls(synthOut);
const hosts: { name: string; vmId: number; address: string }[] = [];
for (const stack of fs.readdirSync(path.join(synthOut, 'stacks'))) {
  const res = JSON.parse(fs.readFileSync(path.join(synthOut, 'stacks', stack, 'cdk.tf.json'), 'utf8')).resource ?? {};
  for (const c of Object.values(res.proxmox_virtual_environment_container ?? {}) as any[]) { // eslint-disable-line @typescript-eslint/no-explicit-any
    hosts.push({ name: c.initialization.hostname, vmId: c.vm_id, address: String(c.initialization.ip_config[0].ipv4.address).split('/')[0]! });
  }
}
const fw = translateFirewalls({ firewalls, datacenter: readDatacenterFirewall(synthOut), ports: new Map(hosts.map((h) => [h.vmId, vethName(h.vmId)])) });
const plan = planFirewallProbes(fw, firewalls, hosts, GATEWAY);
const byName = new Map(hosts.map((h) => [h.name, h]));

describe('firewall probe plan for the reference lab', () => {
  it('probes every filtered container: a declared connection to each, and an undeclared one to each that opens a TCP port to someone', () => {
    expect(hosts).toHaveLength(28);
    const declaredTo = new Set(plan.filter((p) => p.expect === 'open').map((p) => p.to));
    expect([...declaredTo].sort()).toEqual(hosts.map((h) => h.name).sort());
    const undeclaredTo = new Set(plan.filter((p) => p.expect === 'blocked').map((p) => p.to));
    expect(undeclaredTo.size).toBeGreaterThanOrEqual(20);
  });

  it('expects open only what the translated rules accept, and blocked only what they drop', () => {
    for (const p of plan.filter((x) => x.kind === 'tcp')) {
      const from = p.from === 'gateway' ? undefined : vethName(byName.get(p.from)!.vmId);
      const d = decide(fw, { from, to: vethName(byName.get(p.to)!.vmId) }, { proto: 'tcp', saddr: p.fromAddress, daddr: p.toAddress, dport: p.port, sport: 40000 });
      expect(d.twin, `${p.from} -> ${p.to}:${p.port}`).toBe(p.expect === 'open' ? 'accept' : 'drop');
    }
  });

  it('takes SSH from the gateway (the controller) and metrics from Prometheus, as the rules name them', () => {
    expect(plan).toContainEqual(expect.objectContaining({ from: 'gateway', to: 'sonarr', port: 22, expect: 'open' }));
    expect(plan).toContainEqual(expect.objectContaining({ from: 'prometheus', to: 'sonarr', port: 9100, expect: 'open' }));
  });

  it('finds no outsider for a port open to the whole LAN, and none for a container without a firewall', () => {
    const open = new Map([[999, { enabled: true, inputPolicy: 'DROP', rules: [{ type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '80', source: '10.10.10.0/24' }], ipsets: new Map() }]]) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    const small = [{ name: 'web', vmId: 999, address: '10.10.10.9' }, { name: 'other', vmId: 998, address: '10.10.10.8' }];
    const t = translateFirewalls({ firewalls: open, ports: new Map(small.map((h) => [h.vmId, vethName(h.vmId)])) });
    const p = planFirewallProbes(t, open, small, GATEWAY);
    expect(p).toEqual([expect.objectContaining({ from: 'gateway', to: 'web', port: 80, expect: 'open' })]);
  });
});

describe('runFirewallProbes', () => {
  const probe = (expect: 'open' | 'blocked') => ({ from: 'a', fromAddress: '10.0.0.1', to: 'b', toAddress: '10.0.0.2', kind: 'tcp' as const, port: 80, expect, why: 'test' });
  const runner = (code: number) => ({ inHost: async () => ({ code, stdout: '', stderr: code === 1 ? 'Connection refused' : '' }), inGateway: async () => ({ code, stdout: '', stderr: '' }) });

  it('counts a blocked connection only when it times out; a refusal proves nothing about the firewall', async () => {
    expect((await runFirewallProbes([probe('blocked')], runner(124))).undeclaredBlocked).toBe(1);
    const refused = await runFirewallProbes([probe('blocked')], runner(1));
    expect(refused.undeclaredBlocked).toBe(0);
    expect(refused.probes[0]!.detail).toMatch(/refused/);
  });

  it('counts a refused declared connection as passed by the firewall only when nothing listens on the target port', async () => {
    const refusedWith = (listener: string) => ({
      inHost: async (_h: string, script: string) => (script.startsWith('ss ') ? { code: 0, stdout: listener, stderr: '' } : { code: 1, stdout: '', stderr: 'Connection refused' }),
      inGateway: async () => ({ code: 1, stdout: '', stderr: 'Connection refused' }),
    });
    const none = await runFirewallProbes([probe('open')], refusedWith(''));
    expect(none.declaredOk).toBe(1);
    expect(none.declaredNoListener).toBe(1);
    // Something listens, yet the connection was refused: a REJECT, not a pass.
    const rejected = await runFirewallProbes([probe('open')], refusedWith('LISTEN 0 128 0.0.0.0:80 0.0.0.0:*'));
    expect(rejected.declaredOk).toBe(0);
  });

  it('counts a declared connection only when it connects', async () => {
    expect((await runFirewallProbes([probe('open')], runner(0))).declaredOk).toBe(1);
    expect((await runFirewallProbes([probe('open')], runner(124))).declaredOk).toBe(0);
  });
});
