import { describe, expect, it } from 'vitest';
import { hostFile } from '../../lib/ansible/project';
import { GENERATED_MARKER } from '../../lib/generated-file';
import { synthHomelab } from '../support/lab';

describe('host files: one layout, files/<host>/<path>', () => {
  it('places a host\'s file under its own directory', () => {
    expect(hostFile('sonarr', 'compose.yml')).toBe('files/sonarr/compose.yml');
    expect(hostFile('swag', 'fail2ban/filter.d/vaultwarden.conf')).toBe('files/swag/fail2ban/filter.d/vaultwarden.conf');
  });

  it.each(['', '/etc/passwd', '../plex/compose.yml', 'config/../../x'])('fails when the path %j would leave the host\'s directory', (path) => {
    expect(() => hostFile('sonarr', path)).toThrow(`host file path '${path}' of sonarr must be relative and stay inside files/sonarr/`);
  });

  it('is where the reference lab writes every per-host file: each files/<dir>/ is an inventory host', () => {
    const ref = synthHomelab();
    try {
      const inventory = ref.out.yaml('ansible/inventory/hosts.yml');
      const hosts = new Set<string>();
      const walk = (g: any) => {
        for (const h of Object.keys(g?.hosts ?? {})) hosts.add(h);
        for (const c of Object.values(g?.children ?? {})) walk(c);
      };
      walk(inventory.all);
      const dirs = new Set([...ref.out.files.keys()].filter((p) => p.startsWith('ansible/files/')).map((p) => p.split('/')[2]!));
      expect([...dirs].filter((d) => !hosts.has(d))).toEqual([]);
      expect(ref.out.text('ansible/files/prometheus/config/prometheus.yml')).toContain(GENERATED_MARKER);
    } finally {
      ref.cleanup();
    }
  });
});
