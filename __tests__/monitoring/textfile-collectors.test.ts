import { chmodSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TEMPLATE_ROOT } from '../../lib/templates';
import { requireTool } from '../support/controller';
import { run, scratch } from './support';

/**
 * The textfile collectors the node_exporter role installs, run for real with stand-ins for the
 * docker and wg CLIs; promtool checks that node_exporter can parse what they write.
 */
const FILES = join(TEMPLATE_ROOT, 'roles', 'node_exporter', 'files');
let tmp: ReturnType<typeof scratch>;
beforeEach(() => {
  tmp = scratch('textfile');
});
afterEach(() => tmp.cleanup());

function fakeCli(name: string, script: string): void {
  chmodSync(tmp.write(`bin/${name}`, `#!/bin/sh\n${script}\n`), 0o755);
}

function collect(script: string, args: string[]): { code: number; text: string; output: string } {
  const dir = join(tmp.dir, 'textfile');
  run('mkdir', ['-p', dir]);
  const r = run('sh', [join(FILES, script), dir, ...args], { env: { PATH: `${tmp.dir}/bin:/usr/bin:/bin` } });
  const files = readdirSync(dir);
  const prom = files.filter((f) => f.endsWith('.prom'));
  return { code: r.code, output: `${r.output}\nfiles: ${files.join(', ')}`, text: prom.length === 1 ? readFileSync(join(dir, prom[0]!), 'utf8') : '' };
}

function checkMetrics(text: string): void {
  if (requireTool('promtool')) return;
  const r = run('promtool', ['check', 'metrics'], { input: text });
  // promtool check metrics exits 1 on lint findings too; only parse errors matter for node_exporter.
  expect(r.output, r.output).not.toMatch(/error while linting|text format parsing error/i);
}

describe('homelab-docker-metrics', () => {
  it('reports running state, restarts and health of every container', () => {
    fakeCli('docker', [
      'case "$1" in',
      '  ps) printf "aaa\\nbbb\\nccc\\n" ;;',
      '  inspect) printf "/sonarr true 0 healthy\\n/exportarr true 3 none\\n/gluetun false 7 unhealthy\\n" ;;',
      'esac',
    ].join('\n'));
    const r = collect('homelab-docker-metrics', []);
    expect(r.code, r.output).toBe(0);
    const lines = r.text.split('\n').filter((l) => l && !l.startsWith('#')).sort();
    expect(lines).toEqual([
      'homelab_container_healthy{container="gluetun"} 0',
      'homelab_container_healthy{container="sonarr"} 1',
      'homelab_container_restarts_total{container="exportarr"} 3',
      'homelab_container_restarts_total{container="gluetun"} 7',
      'homelab_container_restarts_total{container="sonarr"} 0',
      'homelab_container_running{container="exportarr"} 1',
      'homelab_container_running{container="gluetun"} 0',
      'homelab_container_running{container="sonarr"} 1',
      'homelab_docker_up 1',
    ]);
    checkMetrics(r.text);
  });

  it('reports the daemon down and no containers when docker does not answer', () => {
    fakeCli('docker', 'exit 1');
    const r = collect('homelab-docker-metrics', []);
    expect(r.code, r.output).toBe(0);
    expect(r.text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['homelab_docker_up 0']);
    checkMetrics(r.text);
  });
});

describe('homelab-wireguard-metrics', () => {
  it('reports the newest handshake of each interface, and a missing interface as down', () => {
    fakeCli('wg', [
      'if [ "$2" = "wg0" ]; then printf "peerA=\\t1767225600\\npeerB=\\t1767225700\\n"; exit 0; fi',
      'echo "Unable to access interface: No such device" >&2; exit 1',
    ].join('\n'));
    const r = collect('homelab-wireguard-metrics', ['wg0', 'wg1']);
    expect(r.code, r.output).toBe(0);
    expect(r.text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'homelab_wireguard_interface_up{interface="wg0"} 1',
      'homelab_wireguard_interface_up{interface="wg1"} 0',
      'homelab_wireguard_latest_handshake_timestamp_seconds{interface="wg0"} 1767225700',
      'homelab_wireguard_latest_handshake_timestamp_seconds{interface="wg1"} 0',
    ]);
    checkMetrics(r.text);
  });
});
