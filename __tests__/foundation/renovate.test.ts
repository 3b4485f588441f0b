import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { Image } from '../../constructs/core';
import { IMMICH_ML_REPOSITORY } from '../../constructs/business/immich-services';
import { IMMICH_SERVER_IMAGE } from '../../constructs/business/immich';

const REPO = resolve(__dirname, '..', '..');
const config = JSON.parse(readFileSync(join(REPO, 'renovate.json'), 'utf8')) as {
  customManagers: { customType: string; managerFilePatterns: string[]; matchStrings: string[]; datasourceTemplate: string }[];
};
const manager = config.customManagers[0];

/** A managerFilePatterns entry `/regex/` as a RegExp (Renovate's syntax for a regex pattern). */
const filePattern = (p: string) => {
  const m = /^\/(.*)\/$/.exec(p);
  if (!m) throw new Error(`not a /regex/ pattern: ${p}`);
  return new RegExp(m[1]);
};

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** What Renovate's regex manager extracts: every match of every matchString in every matched file. */
function extract(): { file: string; ref: string }[] {
  const files = walk(join(REPO, 'constructs')).map((f) => relative(REPO, f)).filter((f) => manager.managerFilePatterns.some((p) => filePattern(p).test(f)));
  const out: { file: string; ref: string }[] = [];
  for (const file of files.sort()) {
    const text = readFileSync(join(REPO, file), 'utf8');
    for (const s of manager.matchStrings) {
      for (const m of text.matchAll(new RegExp(s, 'g'))) {
        const g = m.groups!;
        out.push({ file, ref: `${g.depName}:${g.currentValue}${g.currentDigest ? `@${g.currentDigest}` : ''}` });
      }
    }
  }
  return out;
}

/** Every Image the catalog modules export: the pins users run. */
async function catalogImages(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const stack of ['media', 'monitoring', 'security', 'business']) {
    for (const f of readdirSync(join(REPO, 'constructs', stack)).filter((n) => n.endsWith('.ts'))) {
      const mod = (await import(join(REPO, 'constructs', stack, f))) as Record<string, unknown>;
      for (const [name, v] of Object.entries(mod)) if (v instanceof Image) out.set(v.ref, `${stack}/${f}:${name}`);
    }
  }
  return out;
}

describe('renovate.json', () => {
  it('uses Renovate regex syntax it accepts: one docker regex manager, RE2-safe (no lookaround, no backreference)', () => {
    expect(config.customManagers).toHaveLength(1);
    expect(manager).toMatchObject({ customType: 'regex', datasourceTemplate: 'docker' });
    for (const s of [...manager.matchStrings, ...manager.managerFilePatterns]) {
      expect(s).not.toMatch(/\(\?[=!<][^a-z]|\\[1-9]/); // (?= (?! (?<= (?<! and \1: RE2 refuses them
      expect(s).toMatch(/\(\?<depName>|^\//);
    }
  });

  it('finds every image the catalog pins, with no misses and no false hits', async () => {
    const found = extract();
    const catalog = await catalogImages();
    expect(catalog.size).toBeGreaterThan(30);
    // No misses: every exported pin is extracted, digest included.
    const refs = new Set(found.map((f) => f.ref));
    expect([...catalog.keys()].filter((r) => !refs.has(r))).toEqual([]);
    // No false hits: everything extracted is a pin the catalog exports (nothing from comments or fix texts).
    expect(found.filter((f) => !catalog.has(f.ref))).toEqual([]);
    expect(refs).toContain('ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23');
    expect(refs).toContain('lscr.io/linuxserver/qbittorrent:5.2.3_v2.0.14-ls473');
  });

  it("covers every image of the reference lab's compose files (Immich's ML image follows the server's pin)", () => {
    const refs = new Set(extract().map((f) => f.ref.replace(/@sha256:.*$/, '')));
    const out = join(REPO, 'synth-out', 'ansible', 'files');
    const images = readdirSync(out).flatMap((host) => {
      try {
        const compose = yaml.load(readFileSync(join(out, host, 'compose.yml'), 'utf8')) as { services: Record<string, { image: string }> };
        return Object.values(compose.services).map((s) => s.image.replace(/@sha256:.*$/, ''));
      } catch {
        return []; // a host without Docker
      }
    });
    expect(images.length).toBeGreaterThan(30);
    // Immich's ML image is not a pin of its own: its tag is the server's (with -openvino on a GPU).
    const ml = new Set([IMMICH_SERVER_IMAGE.tag, `${IMMICH_SERVER_IMAGE.tag}-openvino`].map((t) => `${IMMICH_ML_REPOSITORY}:${t}`));
    const uncovered = images.filter((i) => !refs.has(i) && !ml.has(i));
    expect(uncovered).toEqual([]);
  });

  it('leaves the model core out: its fix texts mention Image.of(...) but pin nothing', () => {
    const core = walk(join(REPO, 'constructs', 'core')).map((f) => relative(REPO, f));
    expect(core.filter((f) => manager.managerFilePatterns.some((p) => filePattern(p).test(f)))).toEqual([]);
    // The regex itself would take the fix text as a pin, which is why the file patterns exclude core/.
    const text = readFileSync(join(REPO, 'constructs', 'core', 'compose-service.ts'), 'utf8');
    expect([...text.matchAll(new RegExp(manager.matchStrings[0], 'g'))].map((m) => m[0])).toEqual(["Image.of('repository', 'tag')"]);
  });
});
