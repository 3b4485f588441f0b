import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LxcContainer } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { GENERATED_LIST, listFiles, readTree } from '../../lib/output';
import { SynthError } from '../../lib/problems';
import { synthesize } from '../../integrations/synth';

const REPO = join(__dirname, '..', '..');
const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'homelab-cdk-pipe-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

function treeHash(dir: string): string {
  const h = createHash('sha256');
  for (const [p, c] of readTree(dir)) h.update(`${p}\0${c}\0`);
  return h.digest('hex');
}

const invalidLab = (app: any) => {
  const lab = buildSmallLab(app);
  new LxcContainer(lab.stacks.find((s) => s.stackName === 'media')!, 'radarr', { node: lab.nodes[0]!, network: lab.networks[0]!, vmId: 211 });
};

describe('synth pipeline', () => {
  it('is deterministic: two synths of one model are byte-identical', () => {
    const a = join(tempDir(), 'out');
    const b = join(tempDir(), 'out');
    synthesize((app) => buildSmallLab(app), { outdir: a });
    synthesize((app) => buildSmallLab(app), { outdir: b });
    expect(readTree(a)).toEqual(readTree(b));
  });

  it('writes no absolute path of the build machine and no timestamp', () => {
    const out = join(tempDir(), 'out');
    synthesize((app) => new Homelab(app, 'homelab'), { outdir: out });
    for (const [p, c] of readTree(out)) {
      expect(c, p).not.toContain(REPO);
      // The build's own temp directory (not any '/tmp/': Gotenberg's allow-list names the container's /tmp).
      expect(c, p).not.toContain(dirname(out));
      expect(c, p).not.toMatch(/20\d\d-\d\d-\d\dT\d\d:\d\d/);
    }
  });

  it('leaves the previous output byte-for-byte unchanged when synth fails', () => {
    const out = join(tempDir(), 'out');
    synthesize((app) => buildSmallLab(app), { outdir: out });
    const before = treeHash(out);
    expect(() => synthesize(invalidLab, { outdir: out })).toThrow(SynthError);
    expect(treeHash(out)).toBe(before);
    expect(listFiles(join(out, '..')).filter((p) => p.includes('staging'))).toEqual([]);
  });

  it('prunes files it generated before and keeps files the operator added', () => {
    const out = join(tempDir(), 'out');
    synthesize((app) => buildSmallLab(app), { outdir: out });
    mkdirSync(join(out, 'stacks/media/.terraform'), { recursive: true });
    writeFileSync(join(out, 'stacks/media/.terraform.lock.hcl'), 'lock');
    writeFileSync(join(out, 'ansible/inventory/group_vars/all/vault.yml'), 'vault_x: y');
    // The same lab without its security stack: those files must go, the operator's must stay.
    const result = synthesize((app) => buildSmallLab(app, { withSecurity: false }), { outdir: out });
    expect(result.pruned).toContain('ansible/files/vaultwarden/compose.yml');
    expect(existsSync(join(out, 'ansible/files/vaultwarden/compose.yml'))).toBe(false);
    expect(readFileSync(join(out, 'stacks/media/.terraform.lock.hcl'), 'utf8')).toBe('lock');
    expect(readFileSync(join(out, 'ansible/inventory/group_vars/all/vault.yml'), 'utf8')).toBe('vault_x: y');
    expect(readFileSync(join(out, GENERATED_LIST), 'utf8')).not.toContain('vault.yml');
  });
});

describe('the CLI (npm run synth)', () => {
  function runMain(outdir: string, entry = 'main.ts') {
    return spawnSync(process.execPath, ['--import', 'tsx', entry], {
      cwd: REPO,
      env: { ...process.env, CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 120_000,
    });
  }

  it('keeps the committed synth-out/ in step with main.ts (stale output fails)', () => {
    const out = join(tempDir(), 'synth-out');
    const r = runMain(out);
    expect(r.status, r.stderr).toBe(0);
    const fresh = readTree(out);
    const committed = readTree(join(REPO, 'synth-out'));
    const userFiles = (p: string) => /(^|\/)\.terraform(\/|\.lock\.hcl$)|terraform\.tfvars$|group_vars\/all\/vault\.yml$/.test(p);
    const committedGenerated = new Map([...committed].filter(([p]) => !userFiles(p)));
    expect([...committedGenerated.keys()], 'file list differs: run npm run synth and commit synth-out/').toEqual([...fresh.keys()]);
    for (const [p, c] of fresh) expect(committedGenerated.get(p), `${p} is stale: run npm run synth and commit synth-out/`).toBe(c);
  });

  it('writes the same output as npx cdktf synth', () => {
    const viaNpm = join(tempDir(), 'synth-out');
    expect(runMain(viaNpm).status).toBe(0);
    const viaCdktf = join(tempDir(), 'synth-out');
    const r = spawnSync(join(REPO, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', viaCdktf], {
      cwd: REPO,
      env: { ...process.env, CHECKPOINT_DISABLE: '1', CDKTF_DISABLE_PLUGIN_CACHE_ENV: '1', DISABLE_VERSION_CHECK: '1' },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(readTree(viaCdktf)).toEqual(readTree(viaNpm));
  }, 200_000);

  it('exits non-zero with the error list, no stack trace, and writes nothing on bad input', () => {
    const dir = tempDir();
    const out = join(dir, 'synth-out');
    const entry = join(dir, 'bad-main.ts');
    writeFileSync(entry, [
      `import { runSynth } from ${JSON.stringify(join(REPO, 'integrations/synth'))};`,
      `import { buildSmallLab } from ${JSON.stringify(join(REPO, 'examples/small-lab'))};`,
      `import { LxcContainer } from ${JSON.stringify(join(REPO, 'constructs/core'))};`,
      'runSynth((app) => {',
      '  const lab = buildSmallLab(app);',
      "  new LxcContainer(lab.stacks.find((s) => s.stackName === 'media')!, 'radarr', { node: lab.nodes[0]!, network: lab.networks[0]!, vmId: 211, ipAddress: '10.10.0.1' });",
      '});',
    ].join('\n'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', entry], { cwd: REPO, env: { ...process.env, CDKTF_OUTDIR: out }, encoding: 'utf8', timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('error: synth failed with 2 errors:');
    expect(r.stderr).toContain('[homelab/media/radarr] VMID 211 is already used by homelab/media/sonarr — ');
    expect(r.stderr).toContain('[homelab/media/radarr] IP 10.10.0.1 is the gateway of homelab/infra/lan — ');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });
});
