import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOCKER_HOST_MIN_MEMORY_MIB, DOCKER_HOST_RECOMMENDED_MEMORY_MIB, DockerHost, Size } from '../../constructs/core';
import { Homelab, HomelabProps } from '../../constructs/homelab';
import { App } from '../../lib/cdktf';
import { collectProblems, collectWarnings } from '../../lib/problems';
import { prepare } from '../../integrations/synth';
import { REPO_ROOT } from '../support/controller';
import { synthHomelab } from '../support/lab';

/** Issue 10 item 10: a memory floor per Docker host (error), a recommended floor (warning), documented sizes. */
function build(props?: HomelabProps) {
  const app = new App();
  const lab = new Homelab(app, 'homelab', props);
  prepare(app);
  return { lab, warnings: collectWarnings(app), problems: collectProblems(app) };
}

describe('Docker host memory', () => {
  it('sizes every Docker host of the reference lab at the recommended floor or above, without warnings', () => {
    const { lab, warnings } = build();
    expect(DOCKER_HOST_RECOMMENDED_MEMORY_MIB).toBe(512);
    const hosts = lab.containers.filter((c): c is DockerHost => c instanceof DockerHost);
    expect(hosts.length).toBeGreaterThan(20);
    for (const h of hosts) expect(h.memoryMiB, h.hostname).toBeGreaterThanOrEqual(DOCKER_HOST_RECOMMENDED_MEMORY_MIB);
    expect(warnings.filter((w) => w.id === 'homelab:docker-host-memory')).toEqual([]);
  });

  it('warns between the install floor and the recommended floor, naming the container', () => {
    const { warnings, problems } = build({ monitoring: { overrides: { glance: { memory: Size.mebibytes(384) } } } });
    expect(problems).toEqual([]);
    expect(warnings.filter((w) => w.id === 'homelab:docker-host-memory')).toEqual([{
      id: 'homelab:docker-host-memory',
      path: 'homelab/monitoring/glance',
      message: 'memory 384 MiB is below the 512 MiB a Docker host needs for dockerd, containerd, node_exporter and the log agent besides its app; expect OOM kills — set memory to Size.mebibytes(512) or more',
    }]);
    expect(build({ monitoring: { overrides: { glance: { memory: Size.mebibytes(512) } } } }).warnings.filter((w) => w.id === 'homelab:docker-host-memory')).toEqual([]);
  });

  it('keeps below the install floor an error, not a warning', () => {
    const app = new App();
    new Homelab(app, 'homelab', { monitoring: { overrides: { glance: { memory: Size.mebibytes(128) } } } });
    expect(() => prepare(app)).toThrow(`[homelab/monitoring/glance] memory 128 MiB is too small to install Docker (dpkg is OOM-killed unpacking containerd below ${DOCKER_HOST_MIN_MEMORY_MIB} MiB)`);
    expect(collectWarnings(app).filter((w) => w.id === 'homelab:docker-host-memory')).toEqual([]);
  });

  it("documents every catalog container's memory, with its source, in README's sizing table", () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Sizing'), readme.indexOf('### First logins'));
    const rows = new Map<string, string>();
    for (const line of section.split('\n')) {
      const m = /^\| ([a-z, -]+) \| (\d+) \| (.+) \|$/.exec(line);
      if (m) for (const name of m[1]!.split(', ')) rows.set(name, `${m[2]}|${m[3]}`);
    }
    const { lab } = build();
    for (const c of lab.containers) {
      const row = rows.get(c.hostname);
      expect(row, `${c.hostname} is missing from README's sizing table`).toBeDefined();
      expect(Number(row!.split('|')[0]), c.hostname).toBe(c.memoryMiB);
      expect(row!.split('|')[1], c.hostname).toMatch(/\[(doc|issue|est)\]|no Docker/);
    }
  });
});

describe('First login notes in the generated docs', () => {
  it('tells how to claim Plex, create the Odoo database and find the RustDesk key', () => {
    const ref = synthHomelab();
    try {
      const doc = ref.out.text('docs/services.md');
      const section = doc.slice(doc.indexOf('## First login'), doc.indexOf('## Backups'));
      expect(section).toContain('- **plex**: claim the server through an SSH tunnel (Plex offers the setup to localhost only): `ssh -L 32400:127.0.0.1:32400 root@10.10.10.21`');
      expect(section).toContain('- **odoo**: the database manager is off (list_db = False).');
      expect(section).toContain('`/opt/homelab/rustdesk/data/id_ed25519.pub`');
    } finally {
      ref.cleanup();
    }
  });
});
