/**
 * Issue 15 item 5: adopting a running lab. `adopt: { vmId }` emits a Terraform import block
 * (`<node>/<vmId>`, the bpg/proxmox import id) for each running container; the real terraform, with
 * the stand-in answering the import from "existing containers", plans N to import and 0 to destroy,
 * and changes in place only what differs from the model.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/cdktf';
import { ADOPT_IGNORED_CHANGES } from '../../constructs/core/lxc-container';
import { DockerHost, LabStack } from '../../constructs/core';
import { runStack, StandinTerraform } from '../../tools/tf-standin/terraform-runner';
import { REPO_ROOT } from '../../tools/tf-standin/schema';
import { buildTwoNodeLab } from '../media/support';
import { problemsOf, synthLab } from '../support/lab';
import { allOutput, CONTAINER, makeTempDir, standin, TEST_TIMEOUT_MS, writeStack } from './harness';

/** The running lab: Sonarr (VMID 105, on pve2), Radarr (106) and Prowlarr (107) exist already. */
const ADOPTED = { sonarr: 105, radarr: 106, prowlarr: 107 } as const;

function build(app: App, adopt = true) {
  return buildTwoNodeLab(app, ({ pve2 }) => ({
    sonarr: { node: pve2, ...(adopt ? { adopt: { vmId: ADOPTED.sonarr } } : { vmId: ADOPTED.sonarr }) },
    radarr: adopt ? { adopt: { vmId: ADOPTED.radarr } } : { vmId: ADOPTED.radarr },
    prowlarr: adopt ? { adopt: { vmId: ADOPTED.prowlarr } } : { vmId: ADOPTED.prowlarr },
  }));
}

describe('adopt: the model', () => {
  it('emits one import block per adopted container, with the <node>/<vmId> id, and pins the VMID', () => {
    const out = synthLab((app) => void build(app));
    try {
      const doc = out.stack('media');
      const imports = doc.import as { id: string; to: string }[];
      const address = (id: string) => {
        const [key] = Object.entries(doc.resource[CONTAINER]).find(([, r]: [string, any]) => r['//'].metadata.path.endsWith(`/${id}/Resource`))!;
        return `${CONTAINER}.${key}`;
      };
      expect(imports).toEqual(expect.arrayContaining([
        { id: 'pve2/105', to: address('sonarr') },
        { id: 'pve/106', to: address('radarr') },
        { id: 'pve/107', to: address('prowlarr') },
      ]));
      expect(imports).toHaveLength(3);
      expect(out.container('media', 'sonarr').vm_id).toBe(105);
      expect(out.container('media', 'sonarr').lifecycle.ignore_changes).toEqual([...ADOPT_IGNORED_CHANGES]);
      // Not adopted: created as before, nothing ignored.
      expect(out.container('media', 'lidarr').lifecycle.ignore_changes).toBeUndefined();
      expect(out.hostVars('sonarr').homelab_vmid).toBe(105);
    } finally {
      out.cleanup();
    }
  });

  it('synthesizes without terraform on the PATH (cdktf\'s import validation, which runs `terraform version`, is never invoked)', () => {
    const saved = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      const out = synthLab((app) => void build(app));
      try {
        expect(out.stack('media').import).toHaveLength(3);
      } finally {
        out.cleanup();
      }
    } finally {
      process.env.PATH = saved;
    }
  });

  it('keeps an adopted stateless container from being destroyed (prevent_destroy), unless the user opts out', () => {
    const out = synthLab((app) => void buildTwoNodeLab(app, () => ({ flaresolverr: { adopt: { vmId: 110 } }, prowlarr: { adopt: { vmId: 111 }, preventDestroy: false } })));
    try {
      expect(out.container('media', 'flaresolverr').lifecycle.prevent_destroy).toBe(true);
      expect(out.container('media', 'prowlarr').lifecycle.prevent_destroy).toBeUndefined();
    } finally {
      out.cleanup();
    }
    const plain = synthLab((app) => void buildTwoNodeLab(app, () => ({})));
    try {
      // The control: flaresolverr keeps no state, so without adopt nothing protects it.
      expect(plain.container('media', 'flaresolverr').lifecycle?.prevent_destroy).toBeUndefined();
    } finally {
      plain.cleanup();
    }
  });

  it('adopts a container of your own (DockerHost), not only a catalog service', () => {
    const out = synthLab((app) => {
      const { lab, pve2 } = buildTwoNodeLab(app, () => ({}));
      const tools = new LabStack(lab, 'tools', { description: 'hand-made' });
      new DockerHost(tools, 'wiki', { node: pve2, network: lab.networks[0]!, adopt: { vmId: 140 } });
    });
    try {
      const doc = out.stack('tools');
      expect(doc.import).toEqual([{ id: 'pve2/140', to: expect.stringMatching(/^proxmox_virtual_environment_container\.wiki_/) }]);
      expect(out.container('tools', 'wiki').vm_id).toBe(140);
    } finally {
      out.cleanup();
    }
  });

  it.each([
    [{ vmId: 99 }, '99'],
    [{ vmId: 1_000_000_000 }, '1000000000'],
    [{ vmId: 105.5 }, '105.5'],
    [{ vmId: '105' }, '"105"'],
    [{}, '{}'],
    [null, 'null'],
  ])('fails when adopt is %j', (adopt, shown) => {
    expect(problemsOf((app) => void buildTwoNodeLab(app, () => ({ sonarr: { adopt: adopt as never } })))).toEqual([
      `[homelab/media/sonarr] adopt.vmId must be an integer in 100..999999999 (the running container's VMID), got ${shown} — write adopt: { vmId: 105 } with the VMID \`pct list\` shows on the node`,
    ]);
  });

  it('fails when adopt.vmId differs from a pinned vmId, and accepts the same one', () => {
    expect(problemsOf((app) => void buildTwoNodeLab(app, () => ({ sonarr: { vmId: 122, adopt: { vmId: 105 } } })))).toEqual([
      '[homelab/media/sonarr] adopt.vmId 105 differs from the pinned vmId 122 — pin vmId: 105 (or leave vmId out: adopt pins it)',
    ]);
    expect(problemsOf((app) => void buildTwoNodeLab(app, () => ({ sonarr: { vmId: 105, adopt: { vmId: 105 } } })))).toEqual([]);
  });

  it('fails when two services adopt the same container', () => {
    const problems = problemsOf((app) => void buildTwoNodeLab(app, () => ({ sonarr: { adopt: { vmId: 105 } }, radarr: { adopt: { vmId: 105 } } })));
    expect(problems).toContain('[homelab/media/radarr] adopts VMID 105, which homelab/media/sonarr adopts already — adopt each running container from one service only; give the other its own adopt.vmId or drop its adopt');
  });
});

type State = { resources: { type: string; instances: { attributes: Record<string, any> }[] }[] };

describe('adopt: real terraform plan through the stand-in', () => {
  let tmp: string;
  let tf: StandinTerraform;
  let adopted: any;
  let existingFile: string;

  beforeAll(async () => {
    tmp = makeTempDir('tf-adopt');
    tf = standin(path.join(tmp, 'standin'));
    // GIVEN the running lab: the same containers, made by hand. Its state comes from a fake apply of
    // the model without import blocks, then loses what Proxmox cannot report (the template a container
    // was created from, root's initial keys) and drifts: Radarr has less RAM and no homelab tags.
    const plain = synthLab((app) => void build(app, false));
    const adoptOut = synthLab((app) => void build(app));
    try {
      adopted = adoptOut.stack('media');
      const statePath = path.join(tmp, 'running', 'terraform.tfstate');
      fs.mkdirSync(path.dirname(statePath), { recursive: true });
      const run = await runStack(tf, writeStack(path.join(tmp, 'running'), 'media', plain.stack('media')), { statePath, apply: true, skipValidate: true });
      expect(run.ok, allOutput(run)).toBe(true);
      const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as State;
      const existing: Record<string, Record<string, unknown>> = {};
      for (const r of state.resources.filter((x) => x.type === CONTAINER)) {
        const a = structuredClone(r.instances[0]!.attributes);
        if (!Object.values(ADOPTED).includes(a.vm_id)) continue;
        a.operating_system[0].template_file_id = null;
        a.initialization[0].user_account = [];
        if (a.vm_id === ADOPTED.radarr) {
          a.memory[0].dedicated = 1024;
          a.tags = ['old'];
        }
        existing[`${a.node_name}/${a.vm_id}`] = a;
      }
      expect(Object.keys(existing).sort()).toEqual(['pve/106', 'pve/107', 'pve2/105']);
      existingFile = path.join(tmp, 'existing.json');
      fs.writeFileSync(existingFile, JSON.stringify({ [CONTAINER]: existing }));
    } finally {
      plain.cleanup();
      adoptOut.cleanup();
    }
  }, TEST_TIMEOUT_MS);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(
    'plans 3 to import and 0 to destroy; only the drifted container changes, in place',
    async () => {
      // WHEN the adopting lab's first plan runs against an empty state
      const run = await runStack(tf, writeStack(path.join(tmp, 'adopt'), 'media', adopted), { existing: existingFile, skipValidate: true });
      expect(run.ok, allOutput(run)).toBe(true);
      const plan = run.results.find((r) => r.command.startsWith('terraform plan'))!.output;
      // THEN terraform's own summary line says so
      expect(plan).toMatch(/Plan: 3 to import, \d+ to add, \d+ to change, 0 to destroy\./);
      const s = run.summary!;
      const addr = (id: string) => (adopted.import as { id: string; to: string }[]).find((i) => i.id.endsWith(`/${id}`))!.to;
      expect(s.imported.sort()).toEqual([addr('105'), addr('106'), addr('107')].sort());
      expect(s.destroy).toBe(0);
      expect(s.replaced).toEqual([]);
      // Radarr's RAM and tags differ: an in-place update; Sonarr and Prowlarr match the model.
      expect(s.updated.filter((a) => a.startsWith(CONTAINER))).toEqual([addr('106')]);
      expect(plan).toMatch(/dedicated\s+= 1024 -> \d+/);
      // The containers not adopted are created as usual.
      expect(s.created.filter((a) => a.startsWith(CONTAINER))).toHaveLength(Object.keys(adopted.resource[CONTAINER]).length - 3);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails the plan without the ignored attributes: the unreadable template would replace a stateful container (prevent_destroy)',
    async () => {
      const doc = structuredClone(adopted);
      for (const r of Object.values(doc.resource[CONTAINER]) as any[]) delete r.lifecycle?.ignore_changes;
      const run = await runStack(tf, writeStack(path.join(tmp, 'no-ignore'), 'media', doc), { existing: existingFile, skipValidate: true });
      expect(run.failedPhase).toBe('plan');
      expect(allOutput(run)).toMatch(/Instance cannot be destroyed/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'npm run tf:check: fails the import offline without existing objects, and reports the imports with --existing',
    () => {
      const stacks = path.join(tmp, 'cli-stacks');
      writeStack(stacks, 'media', adopted);
      const cli = (extra: string[]) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('tools', 'tf-check.ts'), '--stacks-dir', stacks, ...extra], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 200_000 });
        return { code: r.status, out: `${r.stdout}${r.stderr}` };
      };
      const without = cli([]);
      expect(without.code, without.out).toBe(1);
      expect(without.out).toContain('Import is not supported by the stand-in');
      const withExisting = cli(['--existing', existingFile]);
      expect(withExisting.code, withExisting.out).toBe(0);
      expect(withExisting.out).toMatch(/media: 3 to import, \d+ to add, 1 to change, 0 to destroy/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'fails the plan when the adopted container does not exist',
    async () => {
      const empty = path.join(tmp, 'none.json');
      fs.writeFileSync(empty, JSON.stringify({ [CONTAINER]: {} }));
      const run = await runStack(tf, writeStack(path.join(tmp, 'missing'), 'media', adopted), { existing: empty, skipValidate: true });
      expect(run.failedPhase).toBe('plan');
      expect(allOutput(run)).toMatch(/Cannot import non-existent remote object/);
    },
    TEST_TIMEOUT_MS,
  );
});
