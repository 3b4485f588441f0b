import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSmallLab } from '../../examples/small-lab';
import { Homelab } from '../../constructs/homelab';
import { describeWithTools, runInController } from '../support/controller';
import { SynthesizedLab, synthLab } from '../support/lab';

/**
 * The generated Ansible project and compose files, judged by the tools users run: Debian 13's
 * ansible 12 (ansible-core 2.19, community.docker 4.7), ansible-lint 25, yamllint and the Compose v2 CLI.
 */
for (const [name, build] of [
  ['the small lab', (app: any) => buildSmallLab(app)],
  ['the reference homelab', (app: any) => new Homelab(app, 'homelab')],
] as const) {
  describeWithTools(['controller'], `real tools on ${name}`, () => {
    let out: SynthesizedLab;
    beforeAll(() => {
      out = synthLab(build);
    });
    afterAll(() => out.cleanup());

    it('passes ansible-playbook --syntax-check', () => {
      const r = runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', 'site.yml', '--syntax-check'], { cwd: 'ansible', timeoutMs: 180_000 });
      expect(r.code, r.output).toBe(0);
    });

    it('passes ansible-lint (production profile, offline)', () => {
      const r = runInController(out.dir, ['ansible-lint', '--offline', '--nocolor'], { cwd: 'ansible', timeoutMs: 300_000 });
      expect(r.code, r.output).toBe(0);
    });

    it('passes yamllint', () => {
      const r = runInController(out.dir, ['yamllint', '--strict', '-c', '.yamllint', '.'], { cwd: 'ansible', timeoutMs: 120_000 });
      expect(r.code, r.output).toBe(0);
    });

    it('has compose files that docker-compose v2 accepts', () => {
      const composeFiles = [...out.files.keys()].filter((p) => p.endsWith('/compose.yml'));
      expect(composeFiles.length).toBeGreaterThan(0);
      // Secrets come from the .env Ansible renders from env.j2: stand in a dummy value for each.
      const script = composeFiles
        .map((f) => {
          const dir = f.slice(0, -'/compose.yml'.length);
          return `echo "== ${f}"; ( [ -f '${dir}/env.j2' ] && sed -E 's/=.*/=dummy/' '${dir}/env.j2' | grep -v '^#' > '${dir}/.env' ); docker-compose --project-directory '${dir}' -f '${f}' config -q || exit 1`;
        })
        .join('; ');
      const r = runInController(out.dir, ['sh', '-c', script], { timeoutMs: 120_000 });
      expect(r.code, r.output).toBe(0);
    });
  });
}
