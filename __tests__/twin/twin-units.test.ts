/**
 * The twin's own logic that does not need LXC: recap parsing, the test vault, address math.
 * The twin's behaviour on real containers is checked by twin-report.test.ts (the report of
 * `npm run twin`, which .ci/run runs before npm test).
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { changedTasks, parseRecap } from '../../tools/twin/ansible';
import { broadcast } from '../../tools/twin/lxc';
import { fillVault, testSecret } from '../../tools/twin/vault';
import { dportIncludes, probeSource, readFirewalls } from '../../tools/twin/probe-sources';
import { REPO_ROOT } from '../support/controller';

const OUTPUT = `
PLAY [Deploy] ******************************************************************

TASK [docker : Install Docker from Debian's packages] **************************
ok: [sonarr]
changed: [radarr]

TASK [compose_project : Start the compose project] *****************************
changed: [radarr]
changed: [sonarr -> localhost]

RUNNING HANDLER [docker : Restart Docker] **************************************
changed: [radarr]

PLAY RECAP *********************************************************************
radarr                     : ok=12   changed=3    unreachable=0    failed=0    skipped=2    rescued=0    ignored=0
sonarr                     : ok=11   changed=1    unreachable=1    failed=2    skipped=0    rescued=0    ignored=0
`;

describe('ansible output parsing', () => {
  it('reads every host of the play recap', () => {
    const recap = parseRecap(OUTPUT);
    expect(recap.get('radarr')).toEqual({ ok: 12, changed: 3, unreachable: 0, failed: 0, skipped: 2 });
    expect(recap.get('sonarr')).toEqual({ ok: 11, changed: 1, unreachable: 1, failed: 2, skipped: 0 });
    expect(recap.size).toBe(2);
  });

  it('has no recap for output that ended before it', () => {
    expect(parseRecap('TASK [x] ***\nfatal: [a]: FAILED!').size).toBe(0);
  });

  it('names the tasks and handlers that changed, per host', () => {
    const changed = changedTasks(OUTPUT);
    expect(changed.get('radarr')).toEqual([
      "docker : Install Docker from Debian's packages",
      'compose_project : Start the compose project',
      'docker : Restart Docker',
    ]);
    expect(changed.get('sonarr')).toEqual(['compose_project : Start the compose project']);
  });
});

describe('the test vault', () => {
  const example = fs.readFileSync(path.join(REPO_ROOT, 'synth-out', 'ansible', 'vault.example.yml'), 'utf8');

  it('fills every variable of vault.example.yml, with no CHANGE_ME left', () => {
    const vault = yaml.load(fillVault(example)) as Record<string, unknown>;
    const declared = [...example.matchAll(/^(vault_[a-z0-9_]+):/gm)].map((m) => m[1]);
    expect(declared.length).toBeGreaterThan(10);
    expect(Object.keys(vault).sort()).toEqual([...declared].sort());
    for (const v of Object.values(vault)) expect(JSON.stringify(v)).not.toContain('CHANGE_ME');
  });

  it('gives formats the consumers parse: WireGuard keys of 32 bytes, hex API keys, ntfy tokens', () => {
    expect(Buffer.from(testSecret('vault_x_wireguard_private_key') as string, 'base64')).toHaveLength(32);
    expect(testSecret('vault_sonarr_api_key')).toMatch(/^[0-9a-f]{32}$/);
    expect(testSecret('vault_ntfy_alertmanager_token')).toMatch(/^tk_[a-z0-9]{29}$/);
    expect(testSecret('vault_vaultwarden_admin_token')).toMatch(/^\$argon2id\$/);
  });

  it('is random per run', () => {
    expect(fillVault(example)).not.toBe(fillVault(example));
  });

  it('refuses an example without variables', () => {
    expect(() => fillVault('---\n# nothing\n')).toThrow(/no vault_\* variable/);
  });
});

describe('address math', () => {
  it('computes the broadcast LXC must be given', () => {
    expect(broadcast('10.10.10.21/24')).toBe('10.10.10.255');
    expect(broadcast('192.168.4.7/22')).toBe('192.168.7.255');
    expect(broadcast('10.0.0.1/32')).toBe('10.0.0.1');
  });
});

describe('where the twin probes a port from (the model\'s firewall)', () => {
  const firewalls = readFirewalls(path.join(REPO_ROOT, 'synth-out'));
  const inventory = (yaml.load(fs.readFileSync(path.join(REPO_ROOT, 'synth-out/ansible/inventory/hosts.yml'), 'utf8')) as any).all.children.lxc.hosts;
  const hostVars = (name: string) => yaml.load(fs.readFileSync(path.join(REPO_ROOT, `synth-out/ansible/inventory/host_vars/${name}.yml`), 'utf8')) as any;
  const addresses = Object.keys(inventory).map((n) => hostVars(n).ansible_host as string);
  const qbt = hostVars('qbittorrent');
  const prometheus = hostVars('prometheus').ansible_host;
  const fw = firewalls.get(qbt.homelab_vmid);

  it('reads the container firewall of the reference lab from the Terraform JSON', () => {
    expect(fw).toBeDefined();
    expect(fw!.enabled).toBe(true);
    expect(fw!.inputPolicy).toBe('DROP');
  });

  it('scrapes node_exporter from Prometheus, the only source the model lets in on 9100', () => {
    expect(probeSource(fw, 9100, '10.10.10.1', addresses)).toEqual({ kind: 'container', address: prometheus });
  });

  it('uses the gateway where the management network is allowed (SSH) and a named client for the web UI', () => {
    expect(probeSource(fw, 22, '10.10.10.1', addresses)).toEqual({ kind: 'gateway' });
    const ui = probeSource(fw, 8080, '10.10.10.1', addresses);
    expect(ui.kind).toBe('container');
    expect(fw!.ipsets.get('tcp8080-clients')).toContain((ui as any).address);
  });

  it('does not probe a port only the VPN tunnel may open (6881)', () => {
    expect(probeSource(fw, 6881, '10.10.10.1', addresses)).toEqual({ kind: 'none' });
  });

  it('probes from the gateway when a container has no firewall or an ACCEPT policy', () => {
    expect(probeSource(undefined, 80, '10.10.10.1', addresses)).toEqual({ kind: 'gateway' });
    expect(probeSource({ enabled: true, inputPolicy: 'ACCEPT', rules: [], ipsets: new Map() }, 80, '10.10.10.1', [])).toEqual({ kind: 'gateway' });
  });

  it('matches Proxmox dport lists and ranges', () => {
    expect(dportIncludes('80,443', 443)).toBe(true);
    expect(dportIncludes('8000:8100', 8080)).toBe(true);
    expect(dportIncludes('8000:8100', 8101)).toBe(false);
    expect(dportIncludes('22', 2222)).toBe(false);
  });
});

describe('integration: the shares of a generated smb.conf', () => {
  it('lists every share with its path and valid users, not [global]', async () => {
    const { smbShares } = await import('../../tools/twin/integration');
    const shares = smbShares(path.join(__dirname, '..', '..', 'synth-out', 'ansible', 'files', 'fileserver', 'smb.conf'));
    expect(shares).toEqual([{ name: 'backups', path: '/srv/data/backups', validUsers: ['homelab'] }]);
  });

  it('returns nothing for a host without smb.conf', async () => {
    const { smbShares } = await import('../../tools/twin/integration');
    expect(smbShares('/nonexistent/smb.conf')).toEqual([]);
  });
});
