import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(__dirname, '..', '..');

/**
 * bin/run.cjs in a throw-away package (its own bin/, tsconfig.json, main.ts and lib/, the repo's
 * node_modules linked in), so the test can make its build fresh, stale and broken without touching
 * the repo's .build/. The entry prints which file ran and what the library says.
 */
describe('the launcher (bin/run.cjs): precompiled when fresh, rebuilt when stale, tsx as fallback', () => {
  let pkg: string;
  const run = (env: NodeJS.ProcessEnv = {}) => {
    const r = spawnSync(process.execPath, [join(pkg, 'bin', 'run.cjs'), 'main.ts', 'one', 'two'], {
      cwd: pkg,
      env: { ...process.env, HOMELAB_CDK_LAUNCH_TRACE: '1', HOMELAB_CDK_PRECOMPILED: undefined, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** Sets a file's mtime `s` seconds ahead: an edit the mtime check must see even within one clock tick. */
  const touchAhead = (file: string, s: number) => {
    const t = Date.now() / 1000 + s;
    utimesSync(file, t, t);
  };

  beforeAll(() => {
    pkg = mkdtempSync(join(tmpdir(), 'homelab-launcher-'));
    mkdirSync(join(pkg, 'bin'));
    mkdirSync(join(pkg, 'lib'));
    for (const f of ['run.cjs', 'precompile.cjs']) copyFileSync(join(REPO, 'bin', f), join(pkg, 'bin', f));
    copyFileSync(join(REPO, 'tsconfig.json'), join(pkg, 'tsconfig.json'));
    writeFileSync(join(pkg, 'package.json'), '{ "name": "launcher-fixture", "private": true, "type": "commonjs" }\n');
    symlinkSync(join(REPO, 'node_modules'), join(pkg, 'node_modules'));
    writeFileSync(join(pkg, 'lib', 'value.ts'), "export const value: string = 'first';\n");
    writeFileSync(join(pkg, 'main.ts'), [
      "import { value } from './lib/value';",
      'const self: string = __filename;',
      'if (require.main === module) process.stdout.write(`${JSON.stringify({ self, value, args: process.argv.slice(2) })}\\n`);',
      '',
    ].join('\n'));
  });
  afterAll(() => rmSync(pkg, { recursive: true, force: true }));

  it('builds .build/ on the first run and runs the compiled entry as the main module, with its arguments', () => {
    const r = run();
    expect(r.stderr).toBe('launch: precompiled .build/main.js\n');
    expect(JSON.parse(r.stdout)).toEqual({ self: join(pkg, '.build', 'main.js'), value: 'first', args: ['one', 'two'] });
    expect(readFileSync(join(pkg, '.build', 'lib', 'value.js'), 'utf8')).toContain('exports.value = \'first\';');
  });

  it('reuses a fresh build without compiling again', () => {
    const before = statSync(join(pkg, '.build', 'main.js'));
    const r = run();
    expect(r.stderr).toBe('launch: precompiled .build/main.js\n');
    expect(statSync(join(pkg, '.build', 'main.js')).ctimeMs).toBe(before.ctimeMs);
  });

  it('recompiles exactly the stale file after an edit, then runs precompiled with the edit', () => {
    const main = statSync(join(pkg, '.build', 'main.js'));
    writeFileSync(join(pkg, 'lib', 'value.ts'), "export const value: string = 'second';\n");
    touchAhead(join(pkg, 'lib', 'value.ts'), 2);
    const r = run();
    expect(r.stderr).toBe('launch: precompiled .build/main.js\n');
    expect(JSON.parse(r.stdout).value).toBe('second');
    expect(statSync(join(pkg, '.build', 'main.js')).ctimeMs).toBe(main.ctimeMs);
  });

  it('deletes the compiled file of a removed source, so a stale import fails as it would under tsx', () => {
    writeFileSync(join(pkg, 'lib', 'gone.ts'), 'export const gone = 1;\n');
    expect(run().code).toBe(0);
    expect(existsSync(join(pkg, '.build', 'lib', 'gone.js'))).toBe(true);
    rmSync(join(pkg, 'lib', 'gone.ts'));
    expect(run().code).toBe(0);
    expect(existsSync(join(pkg, '.build', 'lib', 'gone.js'))).toBe(false);
  });

  it('falls back to tsx when the build cannot be refreshed (here .build is a file), with the same result', () => {
    writeFileSync(join(pkg, 'lib', 'value.ts'), "export const value: string = 'third';\n");
    touchAhead(join(pkg, 'lib', 'value.ts'), 4);
    rmSync(join(pkg, '.build'), { recursive: true, force: true });
    writeFileSync(join(pkg, '.build'), 'not a folder');
    const r = run();
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^launch: tsx \(build not up to date: .*\)\n$/);
    expect(JSON.parse(r.stdout)).toEqual({ self: join(pkg, 'main.ts'), value: 'third', args: ['one', 'two'] });
    rmSync(join(pkg, '.build'));
  });

  it('falls back to tsx when a source does not compile, and tsx reports the error', () => {
    writeFileSync(join(pkg, 'lib', 'value.ts'), "export const value: string = 'fourth'\nexport const broken = (;\n");
    touchAhead(join(pkg, 'lib', 'value.ts'), 6);
    const r = run();
    expect(r.stderr).toMatch(/^launch: tsx \(build not up to date: lib\/value\.ts does not compile: Expression expected\.\)\n/);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('value.ts');
    writeFileSync(join(pkg, 'lib', 'value.ts'), "export const value: string = 'fifth';\n");
    touchAhead(join(pkg, 'lib', 'value.ts'), 8);
    const fixed = run();
    expect(fixed.stderr).toBe('launch: precompiled .build/main.js\n');
    expect(JSON.parse(fixed.stdout).value).toBe('fifth');
  });

  it('runs through tsx when HOMELAB_CDK_PRECOMPILED=0 asks for it', () => {
    const r = run({ HOMELAB_CDK_PRECOMPILED: '0' });
    expect(r.stderr).toBe('launch: tsx (HOMELAB_CDK_PRECOMPILED=0)\n');
    expect(JSON.parse(r.stdout).self).toBe(join(pkg, 'main.ts'));
  });
});
