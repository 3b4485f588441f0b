import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_TOOL_MARKERS, UNIT_TESTS } from '../support/unit-tests';

const ROOT = join(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return testFiles(p);
    return e.name.endsWith('.test.ts') ? [relative(ROOT, p)] : [];
  });
}

describe('npm run test:unit', () => {
  it('lists only test files that exist', () => {
    const all = new Set(testFiles(join(ROOT, '__tests__')));
    expect(UNIT_TESTS.filter((f) => !all.has(f))).toEqual([]);
  });

  it('runs no file that uses a real tool (terraform, promtool, ansible, namespaces...)', () => {
    const offenders = UNIT_TESTS.flatMap((f) => {
      const text = readFileSync(join(ROOT, f), 'utf8');
      return REAL_TOOL_MARKERS.filter((m) => m.test(text)).map((m) => `${f}: ${m.source}`);
    });
    expect(offenders).toEqual([]);
  });
});

describe('toBePinnedTo (support matcher)', () => {
  it('accepts a version tag of the repository, with or without a digest', () => {
    expect('lscr.io/linuxserver/sonarr:4.0.20').toBePinnedTo('lscr.io/linuxserver/sonarr', /^4\./);
    expect(`ghcr.io/immich-app/postgres:14-vectorchord0.4.3@sha256:${'a'.repeat(64)}`).toBePinnedTo('ghcr.io/immich-app/postgres');
  });

  it.each([
    ['lscr.io/linuxserver/sonarr:latest', 'its tag \'latest\' is not a version'],
    ['lscr.io/linuxserver/sonarr', 'it is not <repository>:<tag>[@sha256:<digest>]'],
    ['lscr.io/linuxserver/radarr:6.4.4', 'its repository is lscr.io/linuxserver/radarr'],
    ['lscr.io/linuxserver/sonarr:3.0.10', "its tag '3.0.10' does not match /^4\\./"],
  ])('fails for %s', (image, why) => {
    expect(() => expect(image).toBePinnedTo('lscr.io/linuxserver/sonarr', /^4\./)).toThrow(why);
  });
});
