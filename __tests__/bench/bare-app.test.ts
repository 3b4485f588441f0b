import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listFiles } from '../../lib/output';
import { makeSpec, runChild } from '../../bench/synth-bench';

/** Every stack's resources: address (type.name) → body without cdktf's "//" metadata. */
function resources(outdir: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of listFiles(outdir)) {
    const stack = /^stacks\/([^/]+)\/cdk\.tf\.json$/.exec(f)?.[1];
    if (!stack) continue;
    const doc = JSON.parse(readFileSync(join(outdir, f), 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
    out[stack] = Object.fromEntries(Object.entries(doc.resource ?? {}).flatMap(([type, byName]) =>
      Object.entries(byName).map(([n, { '//': _meta, ...body }]) => [`${type}.${n}`, body])));
  }
  return out;
}

/** The bench compares like with like: the bare app writes what the homelab synth wrote. */
describe("npm run bench's bare cdktf app", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-bench-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('emits the same resources (addresses and attributes) and writes as many files, of the same sizes, as the lab it is compared with (7 generated services)', () => {
    const spec = makeSpec(7, dir);
    const lab = join(dir, 'lab');
    const bare = join(dir, 'bare');
    const labRun = runChild('precompiled', ['--kind', 'homelab', '--services', '7', '--outdir', lab]);
    const bareRun = runChild('bare', ['--kind', 'bare', '--spec', spec, '--outdir', bare]);
    expect(bareRun.files).toBe(labRun.files);
    expect(bareRun.resources).toBe(labRun.resources);
    expect(labRun.resources).toBeGreaterThan(7 * 2); // a container and its firewall per service, at least
    expect(resources(bare)).toEqual(resources(lab));
    expect(listFiles(bare)).toEqual(listFiles(lab));
    // Other files: the same sizes byte for byte; the Terraform documents within 10% (about 3% apart:
    // the bare app's resources lack homelab-cdk's "stateful" mark, and its stacks list their raw
    // overrides — the attributes themselves are equal, above).
    const sizeOf = (root: string, f: string) => readFileSync(join(root, f)).length;
    for (const f of listFiles(lab)) {
      if (f === 'manifest.json') continue; // cdktf's own, naming the stacks' construct paths
      if (f.endsWith('cdk.tf.json')) expect(Math.abs(sizeOf(bare, f) - sizeOf(lab, f)) / sizeOf(lab, f), f).toBeLessThan(0.1);
      else expect(sizeOf(bare, f), f).toBe(sizeOf(lab, f));
    }
  }, 120_000);

  it('replays the reference homelab: the same 5 stacks and resources', () => {
    const spec = makeSpec('ref', dir);
    const ref = join(dir, 'ref');
    const bare = join(dir, 'bare-ref');
    const refRun = runChild('precompiled', ['--kind', 'reference', '--outdir', ref]);
    const bareRun = runChild('bare', ['--kind', 'bare', '--spec', spec, '--outdir', bare]);
    expect(Object.keys(resources(ref)).sort()).toEqual(['business', 'infra', 'media', 'monitoring', 'security']);
    expect(resources(bare)).toEqual(resources(ref));
    expect(bareRun.files).toBe(refRun.files);
  }, 120_000);
});
