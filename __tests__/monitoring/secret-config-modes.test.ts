import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Construct } from 'constructs';
import { ComposeService, Image, LabStack, Size } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { ConfigFile, ConfiguredService } from '../../constructs/monitoring/configured-service';
import { describeWithTools } from '../support/controller';
import { SynthesizedLab } from '../support/lab';
import { synthErrorOf } from '../security/support';
import { RefLab, synthHomelab } from './support';

/** Issue 10 item 19: generated config files that carry vault values are not world-readable. */
let ref: RefLab;
let out: SynthesizedLab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref?.cleanup());

type Installed = { src: string; dest: string; owner: number; group: number; mode: string; secret: boolean };
const MONITORING = ['prometheus', 'alertmanager', 'loki', 'grafana', 'ntfy', 'pve-exporter', 'blackbox', 'glance'];

describe('secret-bearing config files', () => {
  it('writes alertmanager.yml (heartbeat URL) 0440 root:nobody, like its ntfy token', () => {
    const files: Installed[] = out.hostVars('alertmanager').monitoring_config_files;
    expect(files.find((f) => f.dest === 'config/alertmanager.yml')).toEqual({ src: 'config/alertmanager.yml.j2', dest: 'config/alertmanager.yml', owner: 0, group: 65534, mode: '0440', secret: true });
  });

  it('leaves no secret file of any monitoring service readable by others', () => {
    let secrets = 0;
    for (const host of MONITORING) {
      const files: Installed[] = out.files.has(`ansible/inventory/host_vars/${host}.yml`) ? out.hostVars(host).monitoring_config_files ?? [] : [];
      for (const f of files.filter((x) => x.secret)) {
        secrets++;
        expect(f.mode, `${host}/${f.dest}`).toMatch(/^0[0-7][0-7]0$/);
      }
    }
    expect(secrets).toBeGreaterThanOrEqual(4); // alertmanager.yml, ntfy-token, ntfy server.yml, pve.yml
  });

  it('fails synth for a secret file left at the world-readable default, naming the service', () => {
    class Leaky extends ConfiguredService {
      constructor(scope: Construct, id: string, lab: Homelab, file: Partial<ConfigFile>) {
        super(scope, id, { node: lab.pve, network: lab.lan, vmId: 190, ipAddress: '10.10.10.90' }, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 50 });
        new ComposeService(this, 'leaky', { image: Image.of('docker.io/example/leaky', '1.0.0') });
        this.file = { path: 'config/leaky.yml', content: 'token: {{ vault_x }}\n', secret: true, ...file };
      }
      private readonly file: ConfigFile;
      protected renderConfigFiles(): ConfigFile[] {
        return [this.file];
      }
    }
    const build = (file: Partial<ConfigFile>) => synthErrorOf((app) => {
      const lab = new Homelab(app, 'homelab');
      const extra = new LabStack(lab, 'extra');
      new Leaky(extra, 'leaky', lab, file);
    });
    expect(build({})).toContain('[homelab/extra/leaky] config file config/leaky.yml carries secrets but would be written with mode 0644 (readable by every user of the host)');
    expect(build({ mode: '0604' })).toContain('would be written with mode 0604');
    expect(build({ mode: '0640' })).not.toContain('carries secrets');
  });
});

/** The installed owner/mode on a real file system: nobody (Alertmanager) reads it, another user does not. */
describeWithTools(['setpriv'], 'alertmanager.yml permissions on a real file system', () => {
  function readAs(mode: string, owner: number, group: number, uid: number, gid: number): number {
    const dir = mkdtempSync(join(tmpdir(), 'am-mode-'));
    try {
      chmodSync(dir, 0o755);
      const f = join(dir, 'alertmanager.yml');
      writeFileSync(f, 'receivers: []\n');
      chownSync(f, owner, group);
      chmodSync(f, parseInt(mode, 8));
      return spawnSync('setpriv', ['--reuid', String(uid), '--regid', String(gid), '--clear-groups', 'cat', f]).status ?? -1;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('is readable by nobody:nogroup and not by uid 1000', () => {
    const f: Installed = out.hostVars('alertmanager').monitoring_config_files.find((x: Installed) => x.dest === 'config/alertmanager.yml');
    expect(readAs(f.mode, f.owner, f.group, 65534, 65534)).toBe(0);
    expect(readAs(f.mode, f.owner, f.group, 1000, 1000)).not.toBe(0);
  });

  it('was readable by uid 1000 with the old 0644 root:root (the check can fail)', () => {
    expect(readAs('0644', 0, 0, 1000, 1000)).toBe(0);
  });
});
