import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../lib/output';
import { listStacks, runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { describeWithTools, runInController } from '../support/controller';
import { allOutput, makeTempDir, standin, TEST_TIMEOUT_MS } from './harness';
import { CLUSTER_NODES } from '../../examples/cluster-lab';

/**
 * examples/cluster-lab.ts as a user runs it: synthesized through the bin, its stacks validated and
 * planned by real terraform against the offline stand-in provider, its Ansible project judged by
 * ansible-playbook --syntax-check and ansible-lint.
 */
const BIN = path.join(REPO_ROOT, 'bin', 'homelab-cdk.cjs');
const APP = path.join(REPO_ROOT, 'examples', 'cluster-lab.ts');

let tmp: string;
let outdir: string;
let synth: { status: number | null; output: string };
let files: Map<string, string>;

function runSynth(): { status: number | null; output: string } {
  const { CDKTF_OUTDIR: _o, ...env } = process.env;
  const r = spawnSync(process.execPath, [BIN, 'synth', '--app', APP, '--out', outdir], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

beforeAll(() => {
  tmp = makeTempDir('cluster-lab');
  outdir = path.join(tmp, 'synth-out');
  synth = runSynth();
  files = readTree(outdir);
}, 180_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const stackJson = (name: string) => JSON.parse(files.get(`stacks/${name}/cdk.tf.json`)!);
const resourcesOf = (type: string) =>
  [...files.keys()].filter((p) => /^stacks\/[^/]+\/cdk\.tf\.json$/.test(p)).flatMap((p) => Object.values(JSON.parse(files.get(p)!).resource?.[type] ?? {})) as any[];

describe('examples/cluster-lab.ts', () => {
  it('synthesizes through the bin', () => {
    expect(synth.status, synth.output).toBe(0);
    expect(files.has('placement.json')).toBe(true);
  });

  it('spreads the services over the three nodes, Immich and its standby apart', () => {
    const nodes: Record<string, string> = JSON.parse(files.get('placement.json')!).nodes;
    expect(Object.keys(nodes)).toHaveLength(28);
    expect(new Set(Object.values(nodes))).toEqual(new Set(['pve1', 'pve2', 'pve3']));
    expect(nodes['homelab/business/immich']).toBe('pve1'); // the only GPU node
    expect(nodes['homelab/business/immich-backup']).not.toBe(nodes['homelab/business/immich']);
    // media services mounting /tank/data never land on pve3, which has no such dataset
    const media = stackJson('media').resource.proxmox_virtual_environment_container;
    for (const c of Object.values(media) as any[]) {
      if ((c.mount_point ?? []).some((m: any) => m.volume === '/tank/data')) expect(c.node_name).not.toBe('pve3');
    }
    // and each container's node_name is its recorded node
    for (const c of resourcesOf('proxmox_virtual_environment_container')) {
      const p = c['//'].metadata.path.replace(/\/Resource$/, '');
      expect(c.node_name, p).toBe(nodes[p]);
    }
  });

  it('runs four services under HA, on the shared Ceph pool', () => {
    const ha = resourcesOf('proxmox_virtual_environment_haresource');
    expect(ha.map((h) => h.resource_id).sort()).toEqual(['ct:132', 'ct:137', 'ct:138', 'ct:143']);
    const byVmId = new Map(resourcesOf('proxmox_virtual_environment_container').map((c) => [c.vm_id, c]));
    for (const h of ha) {
      const c = byVmId.get(Number(h.resource_id.slice(3)))!;
      expect(c.disk.datastore_id).toBe('ceph-ct');
      expect(c.mount_point ?? []).toEqual([]);
    }
  });

  it('shows the node of every service in docs/services.md', () => {
    const doc = files.get('docs/services.md')!;
    const rows = doc.split('\n').filter((l) => /^\| [a-z0-9-]+ \| \d+ \|/.test(l));
    expect(rows).toHaveLength(28);
    for (const r of rows) expect(r.split(' | ')[3]).toMatch(/^pve[123] \(placed(, HA)?\)$/);
    expect(doc).toMatch(/\| grafana \| 132 \| 10\.10\.10\.32 \| pve[123] \(placed, HA\) \|/);
  });

  it('lists each node in docs/services.md: its services, cores and RAM allocated against declared', () => {
    const doc = files.get('docs/services.md')!;
    const section = doc.slice(doc.indexOf('## Nodes'), doc.indexOf('\n## ', doc.indexOf('## Nodes') + 1));
    const rows = section.split('\n').filter((l) => /^\| pve\d /.test(l)).map((l) => l.slice(2, -2).split(' | '));
    expect(rows.map((r) => r[0])).toEqual(['pve1', 'pve2', 'pve3']);
    // the expected values come from the Terraform containers and the example's node declarations
    const containers = resourcesOf('proxmox_virtual_environment_container');
    const ha = new Set(resourcesOf('proxmox_virtual_environment_haresource').map((h) => Number(h.resource_id.slice(3))));
    for (const [node, cores, ram, services] of rows) {
      const on = containers.filter((c) => c.node_name === node);
      const declared = CLUSTER_NODES[node as keyof typeof CLUSTER_NODES];
      expect(cores, node).toBe(`${on.reduce((n, c) => n + c.cpu.cores, 0)} / ${declared.cores} (× 4)`);
      expect(ram, node).toBe(`${on.reduce((n, c) => n + c.memory.dedicated, 0)} / ${declared.memory!.mebibytes} MiB`);
      expect(services!.split(', '), node).toEqual(on.map((c) => `${c.initialization.hostname}${ha.has(c.vm_id) ? ' (HA)' : ''}`).sort());
    }
    // every one of the 28 services is on exactly one row
    expect(rows.flatMap((r) => r[3]!.split(', '))).toHaveLength(28);
  });

  it('keeps every node on a second synth (the record), byte for byte', () => {
    const second = runSynth();
    expect(second.status, second.output).toBe(0);
    const again = readTree(outdir);
    expect(JSON.parse(again.get('placement.json')!)).toEqual(JSON.parse(files.get('placement.json')!));
    for (const [p, text] of files) {
      if (p === 'docs/services.md' || p === '.generated-files') continue;
      expect(again.get(p), p).toBe(text);
    }
    // the doc now says the nodes were kept from the record
    expect(again.get('docs/services.md')).toMatch(/\| immich \| 151 \| [\d.]+ \| pve1 \(recorded\) \|/);
  }, 180_000);

  it('homelab-cdk list shows the recorded nodes of the output folder', () => {
    const { CDKTF_OUTDIR: _o, ...env } = process.env;
    const r = spawnSync(process.execPath, [BIN, 'list', '--app', APP, '--out', outdir, '--json'], { cwd: REPO_ROOT, env, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const nodes: Record<string, string> = JSON.parse(files.get('placement.json')!).nodes;
    const rows = JSON.parse(r.stdout) as { host: string; node: string; stack: string }[];
    expect(rows).toHaveLength(28);
    // the catalog's construct ids are its host names
    for (const row of rows) expect(row.node, row.host).toBe(nodes[`homelab/${row.stack}/${row.host}`]);
  }, 180_000);

  describe('terraform against the stand-in', () => {
    let tf: StandinTerraform;
    beforeAll(() => {
      tf = standin(path.join(tmp, 'standin'));
    });

    it('passes validate and plan for every stack, nothing to destroy', async () => {
      const stacks = listStacks(path.join(outdir, 'stacks'));
      expect(stacks.map((s) => path.basename(s)).sort()).toEqual(['business', 'infra', 'media', 'monitoring', 'security']);
      for (const dir of stacks) {
        const run = await runStack(tf, dir);
        expect(run.failedPhase, allOutput(run)).toBeUndefined();
        expect(run.summary!.destroy).toBe(0);
        if (path.basename(dir) === 'monitoring') {
          const plan = run.results.find((r) => r.command.startsWith('terraform plan'))!.output;
          expect(plan).toContain('proxmox_virtual_environment_haresource.');
        }
      }
    }, TEST_TIMEOUT_MS * 3);
  });
});

describeWithTools(['controller'], 'examples/cluster-lab.ts with the real Ansible tools', () => {
  it('passes ansible-playbook --syntax-check', () => {
    const r = runInController(outdir, ['ansible-playbook', '-i', 'inventory/hosts.yml', 'site.yml', '--syntax-check'], { cwd: 'ansible', timeoutMs: 180_000 });
    expect(r.code, r.output).toBe(0);
  });

  it('passes ansible-lint (production profile, offline)', () => {
    const r = runInController(outdir, ['ansible-lint', '--offline', '--nocolor'], { cwd: 'ansible', timeoutMs: 300_000 });
    expect(r.code, r.output).toBe(0);
  });
});
