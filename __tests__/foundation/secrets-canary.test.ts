import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_LIST } from '../../lib/output';

const REPO = join(__dirname, '..', '..');
const CANARY = 'CANARY-7f3a9c-do-not-leak';

/**
 * Secrets are references, never values: with recognizable secret values everywhere an operator puts
 * them (environment, TF_VAR_*, a filled-in vault file and tfvars inside synth-out/), not one
 * generated file may contain them.
 */
describe('secret canary', () => {
  let dir: string;
  let out: string;
  let vaultVars: string[];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'homelab-cdk-canary-'));
    out = join(dir, 'synth-out');
    const first = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: REPO, env: { ...process.env, CDKTF_OUTDIR: out }, encoding: 'utf8', timeout: 120_000 });
    expect(first.status, first.stderr).toBe(0);
    // The operator fills in every secret the lab declares, inside synth-out/ as the README says.
    const example = readFileSync(join(out, 'ansible/vault.example.yml'), 'utf8');
    vaultVars = [...example.matchAll(/^(vault_\w+): CHANGE_ME$/gm)].map((m) => m[1]!);
    mkdirSync(join(out, 'ansible/inventory/group_vars/all'), { recursive: true });
    writeFileSync(join(out, 'ansible/inventory/group_vars/all/vault.yml'), vaultVars.map((v) => `${v}: ${CANARY}-${v}`).join('\n') + '\n');
    writeFileSync(join(out, 'terraform.tfvars'), `proxmox_password = "${CANARY}-tf"\n`);
    const env: Record<string, string> = { ...process.env, CDKTF_OUTDIR: out, TF_VAR_proxmox_password: `${CANARY}-env`, PROXMOX_VE_PASSWORD: `${CANARY}-env` } as Record<string, string>;
    for (const v of vaultVars) env[v.toUpperCase()] = `${CANARY}-${v}`;
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: REPO, env, encoding: 'utf8', timeout: 120_000 });
    expect(second.status, second.stderr).toBe(0);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('declares the secrets the reference lab needs', () => {
    expect(vaultVars.length).toBeGreaterThan(0);
  });

  it('writes no secret value into any generated file', () => {
    const generated = readFileSync(join(out, GENERATED_LIST), 'utf8').split('\n').filter(Boolean);
    expect(generated.length).toBeGreaterThan(20);
    const leaks = generated.filter((p) => readFileSync(join(out, p), 'utf8').includes(CANARY));
    expect(leaks).toEqual([]);
  });

  it("keeps the operator's filled-in files untouched", () => {
    expect(readFileSync(join(out, 'ansible/inventory/group_vars/all/vault.yml'), 'utf8')).toContain(CANARY);
    expect(readFileSync(join(out, 'terraform.tfvars'), 'utf8')).toContain(CANARY);
  });
});
