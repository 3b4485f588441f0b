import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildSmallLab } from '../../examples/small-lab';
import { describeWithTools, runInController } from '../support/controller';
import { SynthesizedLab, synthLab } from '../support/lab';

/**
 * A secret reaches the container byte for byte: Ansible renders env.j2 with the vault value, and
 * Compose v2 reads the .env literally even when the value is an Argon2 hash full of '$' and quotes.
 */
describeWithTools(['controller'], 'secrets through .env into compose', () => {
  let out: SynthesizedLab;
  beforeAll(() => {
    out = synthLab((app) => buildSmallLab(app));
  });
  afterAll(() => out.cleanup());

  it('passes a value with $, quotes and backslashes through unchanged', () => {
    const secret = String.raw`$argon2id$v=19$m=65540,t=3,p=4$it's"a\test`;
    writeFileSync(join(out.dir, 'secret.json'), JSON.stringify({ vault_vaultwarden_admin_token: secret }));
    // Render with Jinja2 as Ansible's template module does, then ask Compose what the container gets.
    const script = [
      'cd ansible/files/vaultwarden',
      `python3 -c 'import json,jinja2,sys; v=json.load(open("/work/secret.json")); sys.stdout.write(jinja2.Template(open("env.j2").read(), keep_trailing_newline=True).render(**v))' > .env`,
      'docker-compose -f compose.yml config --format json',
    ].join(' && ');
    const r = runInController(out.dir, ['sh', '-c', script], { timeoutMs: 60_000 });
    expect(r.code, r.output).toBe(0);
    // `config` prints a reusable file, so it writes each literal '$' as '$$'.
    expect(JSON.parse(r.stdout).services.vaultwarden.environment.ADMIN_TOKEN).toBe(secret.replace(/\$/g, '$$$$'));
  });
});
