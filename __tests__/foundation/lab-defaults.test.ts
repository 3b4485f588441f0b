/**
 * Safe defaults on any Lab (issue 12 item 5): the firewall and the backup job are on for hand-built
 * labs too; switching one off takes a reason and warns; a disabled service's dangling references
 * are named; Homelab takes extra nodes so a service can move to one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupJob, LxcContainer, OptOut, Size } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { Warning } from '../../lib/problems';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';

const types = (out: SynthesizedLab, stack: string) => Object.keys(out.stack(stack).resource ?? {}).sort();
const withId = (warnings: readonly Warning[], id: string) => warnings.filter((w) => w.id === id).map((w) => `[${w.path}] ${w.message}`);

describe('a hand-built lab (the README way)', () => {
  let out: SynthesizedLab;
  beforeAll(() => {
    out = synthLab((app) => buildSmallLab(app));
  });
  afterAll(() => out.cleanup());

  it('gets a default-deny firewall on every container and the datacenter firewall, without asking', () => {
    expect(types(out, 'media')).toEqual(expect.arrayContaining(['proxmox_virtual_environment_firewall_options', 'proxmox_virtual_environment_firewall_rules']));
    const options = Object.values(out.resources('media', 'proxmox_virtual_environment_firewall_options')) as any[];
    expect(options.map((o) => [o.container_id, o.input_policy]).sort()).toEqual([[211, 'DROP'], [215, 'DROP']]);
    expect(types(out, 'infra')).toEqual(expect.arrayContaining(['proxmox_virtual_environment_cluster_firewall']));
  });

  it('gets the nightly backup job over its stateful containers', () => {
    const jobs = Object.values(out.resources('infra', 'proxmox_backup_job')) as any[];
    expect(jobs.map((j) => [j.id, j.schedule, j.vmid])).toEqual([['homelab-nightly', '02:30', ['211', '215', '232']]]);
  });

  it('warns (does not fail) about a published port nobody may reach: the firewall keeps it closed', () => {
    expect(withId(out.result.warnings, 'homelab:unreachable-port')).toContain('[homelab/media/sonarr] port 8989/tcp (Web UI + API) is open but nothing may reach it');
  });
});

describe('opting out of a safe default', () => {
  it('takes a reason, drops the firewall and warns with the reason', () => {
    const out = synthLab((app) => buildSmallLab(app, { firewall: OptOut.because('the VLAN is filtered by the router') }));
    try {
      expect(types(out, 'media')).not.toContain('proxmox_virtual_environment_firewall_rules');
      expect(types(out, 'infra')).not.toContain('proxmox_virtual_environment_cluster_firewall');
      expect(withId(out.result.warnings, 'homelab:firewall-off')).toEqual([
        '[homelab] the Proxmox firewall is off: every port of every container is open to the LAN and to whatever the router forwards (opted out: the VLAN is filtered by the router)',
      ]);
    } finally {
      out.cleanup();
    }
  });

  it('takes a reason, drops the backup job and warns with the reason', () => {
    const out = synthLab((app) => buildSmallLab(app, { backups: OptOut.because('Proxmox is backed up by the NAS') }));
    try {
      expect(out.resources('infra', 'proxmox_backup_job')).toEqual({});
      expect(withId(out.result.warnings, 'homelab:backups-off')).toEqual([
        '[homelab] the lab has no default backup job: no container is backed up unless you declare a BackupJob (opted out: Proxmox is backed up by the NAS)',
      ]);
    } finally {
      out.cleanup();
    }
  });

  it('fails when the opt-out has no reason, or is a bare false from plain JavaScript', () => {
    expect(problemsOf((app) => buildSmallLab(app, { firewall: OptOut.because(' ') }))).toEqual([
      "[homelab] firewall is opted out without a reason — say why, e.g. firewall: OptOut.because('<why this lab does without it>')",
    ]);
    expect(problemsOf((app) => buildSmallLab(app, { backups: false as never }))).toEqual([
      "[homelab] backups must be settings or OptOut.because('<why>'), got false — leave backups out to keep the default, or write backups: OptOut.because('<why>') to switch it off",
    ]);
  });

  it('Homelab passes its opt-outs to the Lab', () => {
    const out = synthLab((app) => new Homelab(app, 'homelab', { firewall: OptOut.because('testing'), backups: OptOut.because('testing') }));
    try {
      expect(out.result.warnings.map((w) => w.id).sort()).toEqual(['homelab:backups-off', 'homelab:firewall-off']);
      expect(out.resources('infra', 'proxmox_backup_job')).toEqual({});
      expect(types(out, 'media')).not.toContain('proxmox_virtual_environment_firewall_rules');
    } finally {
      out.cleanup();
    }
  });
});

describe('the default backup job', () => {
  it('is not added when the lab declares a job of its own', () => {
    const out = synthLab((app) => {
      const lab = buildSmallLab(app);
      new BackupJob(lab.infra, 'weekly', { schedule: 'sun 03:00', storage: { kind: 'pbs', id: 'pbs' } });
    });
    try {
      expect(Object.values(out.resources('infra', 'proxmox_backup_job')).map((j: any) => j.id)).toEqual(['homelab-weekly']);
    } finally {
      out.cleanup();
    }
  });

  it('is not added (and nothing fails) when no container keeps state', () => {
    const out = synthLab((app) => {
      const lab = buildSmallLab(app);
      for (const c of lab.containers) (c as { backup: boolean }).backup = false;
    });
    try {
      expect(out.resources('infra', 'proxmox_backup_job')).toEqual({});
    } finally {
      out.cleanup();
    }
  });
});

describe('disabling a service that others reference', () => {
  const warningsOf = (build: Parameters<typeof synthLab>[0]) => {
    const out = synthLab(build);
    try {
      return out.result.warnings;
    } finally {
      out.cleanup();
    }
  };

  it('names every route left without SWAG', () => {
    const warnings = warningsOf((app) => new Homelab(app, 'homelab', { security: { overrides: { swag: { enabled: false } } } }));
    const [w] = withId(warnings, 'homelab:dangling-routes');
    expect(w).toMatch(/^\[homelab\] no reverse proxy \(SWAG\) in the lab: these routed web UIs get no proxy conf, no certificate and no route probe, and nothing outside the LAN reaches them: /);
    expect(w).toContain('homelab/media/sonarr (sonarr.home.example.org)');
    expect(w).toContain('homelab/security/vaultwarden (vaultwarden.home.example.org)');
    expect(w).toMatch(/ — enable SWAG, or mark the UIs access: 'lan-only' with a reason$/);
  });

  it('names the scrape targets, probes and datasources left without Prometheus, and the logs without Loki', () => {
    const warnings = warningsOf((app) => new Homelab(app, 'homelab', { monitoring: { overrides: { prometheus: { enabled: false }, loki: { enabled: false } } } }));
    const [metrics] = withId(warnings, 'homelab:dangling-metrics');
    expect(metrics).toContain('no metrics collector (Prometheus) in the lab');
    expect(metrics).toContain('homelab/media/sonarr (sonarr :9707/metrics)');
    expect(metrics).toContain('homelab/monitoring/blackbox (probes)');
    expect(metrics).toContain('homelab/monitoring/grafana (Prometheus datasource)');
    const [logs] = withId(warnings, 'homelab:dangling-logs');
    expect(logs).toContain('homelab/monitoring/grafana (Loki datasource)');
  });

  it('names the alerting left without Alertmanager', () => {
    const warnings = warningsOf((app) => new Homelab(app, 'homelab', { monitoring: { overrides: { alertmanager: { enabled: false } } } }));
    expect(withId(warnings, 'homelab:dangling-alerts')).toEqual([
      '[homelab] no alert router (Alertmanager) in the lab: alert rules are evaluated but no notification is ever sent: homelab/monitoring/prometheus (alerting) — enable Alertmanager (and ntfy to receive its notifications)',
    ]);
  });

  it('warns about nothing dangling in the reference lab', () => {
    const warnings = warningsOf((app) => new Homelab(app, 'homelab'));
    expect(warnings.filter((w) => w.id.startsWith('homelab:dangling-'))).toEqual([]);
  });
});

describe("README 'Customize': moving a service to another node", () => {
  let out: SynthesizedLab;
  let lab: Homelab;
  beforeAll(() => {
    out = synthLab((app) => {
      lab = new Homelab(app, 'homelab', {
        extraNodes: { pve2: { address: '10.10.10.3', cores: 8, memory: Size.mebibytes(32768), datasets: ['/tank/data'] } },
        media: { overrides: { radarr: { node: 'pve2' } } },
        business: { overrides: { immichBackup: { node: 'pve2' } } },
      });
    });
  });
  afterAll(() => out.cleanup());

  it('creates the extra node and runs the service there, the rest on the main node', () => {
    expect(lab.extraNodes.pve2!.nodeName).toBe('pve2');
    expect(out.container('media', 'radarr').node_name).toBe('pve2');
    expect(out.container('media', 'sonarr').node_name).toBe('pve');
    expect((lab.media.radarr as LxcContainer).proxmoxNode).toBe(lab.extraNodes.pve2);
  });

  it('gives the extra node the host rules of the datacenter firewall and its Ansible host', () => {
    expect(Object.keys(out.resources('infra', 'proxmox_virtual_environment_firewall_rules')).some((k) => k.includes('HostRules-pve2'))).toBe(true);
    expect(out.hostVars('pve2').ansible_host).toBe('10.10.10.3');
  });

  it('refuses Immich and its standby on one node once the lab has a second node', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { extraNodes: { pve2: { address: '10.10.10.3', cores: 8, memory: Size.mebibytes(32768), datasets: ['/tank/data'] } } }))).toEqual([
      "[homelab/business/immich-backup] anti-affinity group 'immich': shares node pve with homelab/business/immich — pin one of them to another node, or give it node: 'auto' to have it placed away from the group",
    ]);
    expect((lab.business.immichBackup as LxcContainer).proxmoxNode.nodeName).toBe('pve2');
  });

  it('fails when an override names a node the lab does not have', () => {
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { overrides: { radarr: { node: 'pve3' } } } }))).toEqual([
      "[homelab/media] overrides.radarr.node 'pve3' is not a node of the lab — use one of: 'pve', or add the node first (Homelab: extraNodes)",
    ]);
    expect(problemsOf((app) => new Homelab(app, 'homelab', { media: { overrides: { radarr: { node: 2 as never } } } }))).toEqual([
      "[homelab/media] overrides.radarr.node must be a ProxmoxNode or the id of one, got 2 — write e.g. node: 'pve'",
    ]);
  });
});
