import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const REPO = join(__dirname, '..', '..');
const DEPCRUISE = join(REPO, 'node_modules', '.bin', 'depcruise');
const SOURCES = ['main.ts', 'bin', 'lib', 'constructs', 'integrations', 'examples', 'bench', 'tools', 'scripts'];

/** dependency-cruiser's JSON result over `paths` with the project's rules. */
function cruise(paths: readonly string[]): { violations: { rule: { name: string }; from: string; to: string }[]; modules: number } {
  const r = spawnSync(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...paths], { cwd: REPO, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 << 20 });
  expect(r.error).toBeUndefined();
  const out = JSON.parse(r.stdout);
  return { violations: out.summary.violations, modules: out.summary.totalCruised };
}

describe('layers (README, Architecture: framework ← model ← integrations ← catalog)', () => {
  it('has no import cycle and no wrong-way import', () => {
    const { violations, modules } = cruise(SOURCES);
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(modules).toBeGreaterThan(100);
  });

  // GIVEN a module in each lower layer that imports a layer below it, WHEN the rules run, THEN each is named.
  it('fails when a layer imports the wrong way or modules import each other', () => {
    const dirs = ['lib/__layers_probe__', 'constructs/core/__layers_probe__', 'integrations/__layers_probe__'];
    try {
      for (const d of dirs) mkdirSync(join(REPO, d), { recursive: true });
      writeFileSync(join(REPO, 'lib/__layers_probe__/framework.ts'), "import { Lab } from '../../constructs/core/lab';\nexport const x = Lab;\n");
      writeFileSync(join(REPO, 'constructs/core/__layers_probe__/model.ts'), "import { FLOWS_PLUGIN } from '../../../integrations/plugins';\nexport const y = FLOWS_PLUGIN;\n");
      writeFileSync(join(REPO, 'integrations/__layers_probe__/policy.ts'), "import { Plex } from '../../constructs/media/plex';\nexport const z = Plex;\n");
      writeFileSync(join(REPO, 'integrations/__layers_probe__/a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
      writeFileSync(join(REPO, 'integrations/__layers_probe__/b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
      writeFileSync(join(REPO, 'integrations/__layers_probe__/c.ts'), "import type { D } from './d';\nexport interface C { d?: D }\n");
      writeFileSync(join(REPO, 'integrations/__layers_probe__/d.ts'), "import type { C } from './c';\nexport interface D { c?: C }\n");
      const names = cruise(dirs).violations.map((v) => `${v.rule.name}: ${v.from}`);
      expect(names).toEqual(expect.arrayContaining([
        'framework-imports-no-layer-below: lib/__layers_probe__/framework.ts',
        'model-imports-no-policy-or-catalog: constructs/core/__layers_probe__/model.ts',
        'integrations-import-no-catalog: integrations/__layers_probe__/policy.ts',
        'no-runtime-cycle: integrations/__layers_probe__/a.ts',
        'no-type-cycle-outside-model-core: integrations/__layers_probe__/c.ts',
      ]));
      expect(names).not.toContain('no-runtime-cycle: integrations/__layers_probe__/c.ts');
    } finally {
      for (const d of dirs) rmSync(join(REPO, d), { recursive: true, force: true });
    }
  }, 60_000);
});
