import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { Lab, LabStack, LxcContainer, LxcContainerProps, Network, ProxmoxNode, ProxmoxNodeProps, Size, Volume } from '../../constructs/core';
import { synthesize } from '../../integrations/synth';
import { readTree } from '../../lib/output';
import { planPlacement } from '../../lib/placement';
import { SynthError } from '../../lib/problems';
import { problemsOf, SSH_KEY } from '../support/lab';

type Spec = Omit<LxcContainerProps, 'node' | 'network'> & { node?: string; data?: boolean };

/**
 * A lab with the given nodes and containers (all `node: 'auto'` unless `node` names one), one
 * stack, one network; `data` mounts the bind volume /tank/data.
 */
function cluster(nodes: Record<string, Partial<ProxmoxNodeProps>>, containers: Record<string, Spec>, sharedData = false) {
  return (app: App) => {
    const lab = new Lab(app, 'lab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve.home.example.org:8006/' }, sshPublicKeys: [SSH_KEY] });
    const made: Record<string, ProxmoxNode> = {};
    let i = 2;
    for (const [id, p] of Object.entries(nodes)) made[id] = new ProxmoxNode(lab.infra, id, { address: `10.10.0.${i++}`, cores: 8, memory: Size.mebibytes(8192), ...p });
    const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.10.0.0/24', gateway: '10.10.0.1' });
    const data = Volume.bindMount(lab.infra, 'data', { hostPath: sharedData ? '/mnt/pve/cephfs/data' : '/tank/data' });
    const apps = new LabStack(lab, 'apps', {});
    for (const [id, { node, data: mountData, ...rest }] of Object.entries(containers)) {
      const c = new LxcContainer(apps, id, { node: node ? made[node]! : 'auto', network: lan, backup: false, ...rest });
      if (mountData) c.addMount(data, '/data');
    }
  };
}

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Synthesizes into `outdir` (a fresh temp dir unless given) and returns the placement record's nodes. */
function placed(build: (app: App) => void, outdir?: string): { outdir: string; nodes: Record<string, string>; files: Map<string, string> } {
  let dir = outdir;
  if (!dir) {
    const root = mkdtempSync(join(tmpdir(), 'homelab-placement-'));
    dirs.push(root);
    dir = join(root, 'out');
  }
  synthesize(build, { outdir: dir });
  const files = readTree(dir);
  return { outdir: dir, nodes: JSON.parse(files.get('placement.json') ?? '{"nodes":{}}').nodes, files };
}

const THREE = { pve1: {}, pve2: {}, pve3: {} };
const five = (extra: Record<string, Spec> = {}): Record<string, Spec> => ({
  ...extra,
  a: { memory: Size.mebibytes(2048) }, b: { memory: Size.mebibytes(1024) }, c: { memory: Size.mebibytes(3072) }, d: { memory: Size.mebibytes(512) }, e: { memory: Size.mebibytes(1024) },
});

describe('automatic placement', () => {
  it('is deterministic: the same model gives the same nodes, spread by free RAM share', () => {
    const first = placed(cluster(THREE, five())).nodes;
    const second = placed(cluster(THREE, five())).nodes;
    expect(first).toEqual(second);
    // a → pve1 (all empty: the first node); b → pve2 and c → pve3 (all of their RAM free); d → pve2
    // (7168 of 8192 free beats pve1's 6144 and pve3's 5120); e → pve2 (6656 free, still the largest share)
    expect(first).toEqual({ 'lab/apps/a': 'pve1', 'lab/apps/b': 'pve2', 'lab/apps/c': 'pve3', 'lab/apps/d': 'pve2', 'lab/apps/e': 'pve2' });
  });

  it('is stable: adding a service before the others and resizing one moves nobody, thanks to the record', () => {
    const before = placed(cluster(THREE, five()));
    // GIVEN a new service declared first and `a` grown
    const grown = five({ first: { memory: Size.mebibytes(4096) } });
    (grown as any).a = { memory: Size.mebibytes(3072) };
    // WITHOUT the record the same model places others differently (so the record is what keeps them)
    const fresh = placed(cluster(THREE, grown)).nodes;
    const movedWithoutRecord = Object.keys(before.nodes).filter((k) => fresh[k] !== before.nodes[k]);
    expect(movedWithoutRecord.length).toBeGreaterThan(0);
    // WITH the record (synth into the same output folder) every earlier service keeps its node
    const after = placed(cluster(THREE, grown), before.outdir).nodes;
    for (const [k, node] of Object.entries(before.nodes)) expect(after[k], k).toBe(node);
    expect(after['lab/apps/first']).toBeDefined();
    // and the services doc says which were kept from the record
    expect(readFileSync(join(before.outdir, 'docs/services.md'), 'utf8')).toMatch(/\| a \| \d+ \| [\d.]+ \| pve1 \(recorded\) \|/);
  });

  it('never writes a record for a lab whose containers are all pinned', () => {
    const r = placed(cluster(THREE, { a: { node: 'pve2' } }));
    expect(r.files.has('placement.json')).toBe(false);
  });

  it('keeps anti-affine containers apart', () => {
    const nodes = placed(cluster({ pve1: {}, pve2: {} }, { app: { antiAffinity: ['pair'] }, small: {}, standby: { antiAffinity: ['pair'] } })).nodes;
    expect(nodes['lab/apps/app']).not.toBe(nodes['lab/apps/standby']);
  });

  it('fails with each node and the anti-affinity group that ruled it out', () => {
    expect(problemsOf(cluster({ pve1: {}, pve2: {} }, { a: { antiAffinity: ['trio'] }, b: { antiAffinity: ['trio'] }, c: { antiAffinity: ['trio'] } }))).toEqual([
      "[lab/apps/c] cannot be placed (needs 1 cores, 512 MiB RAM, anti-affinity 'trio'): every node is ruled out — pve1 (anti-affinity group 'trio': lab/apps/a is there); pve2 (anti-affinity group 'trio': lab/apps/b is there) — pin it with node: <node> after freeing room there, add capacity, a GPU or the dataset to a node, shrink it, or drop the constraint",
    ]);
  });

  it('refuses two pinned members of one anti-affinity group on one node', () => {
    expect(problemsOf(cluster({ pve1: {}, pve2: {} }, { immich: { node: 'pve1', antiAffinity: ['immich'] }, standby: { node: 'pve1', antiAffinity: ['immich'] } }))).toEqual([
      "[lab/apps/standby] anti-affinity group 'immich': shares node pve1 with lab/apps/immich — pin one of them to another node, or give it node: 'auto' to have it placed away from the group",
    ]);
  });

  it('refuses an anti-affinity group that is not a name', () => {
    expect(problemsOf(cluster(THREE, { a: { antiAffinity: ['1st pair'] } }))).toEqual([
      `[lab/apps/a] anti-affinity group "1st pair" is not a name — start with a letter, then letters, digits, '-' and '_', e.g. 'immich'`,
    ]);
    expect(problemsOf(cluster(THREE, { a: { antiAffinity: 'pair' as never } }))).toEqual([
      '[lab/apps/a] antiAffinity must be a list of group names, got "pair" — write antiAffinity: ["pair"]',
    ]);
  });

  it('ignores anti-affinity on a one-node lab (nothing to separate)', () => {
    expect(problemsOf(cluster({ pve1: {} }, { a: { antiAffinity: ['x'] }, b: { antiAffinity: ['x'] } }))).toEqual([]);
  });

  it('fails with the capacity each node has left', () => {
    expect(problemsOf(cluster({ pve1: { memory: Size.mebibytes(4096) }, pve2: { cores: 1, cpuOvercommit: 1 } }, { big: { memory: Size.mebibytes(3072) }, huge: { memory: Size.mebibytes(2048), cores: 2 } }))).toEqual([
      '[lab/apps/huge] cannot be placed (needs 2 cores, 2048 MiB RAM): every node is ruled out — pve1 (1024 of 4096 MiB RAM left, needs 2048); pve2 (1 of 1 cores left, needs 2) — pin it with node: <node> after freeing room there, add capacity, a GPU or the dataset to a node, shrink it, or drop the constraint',
    ]);
  });

  it('puts a GPU request on a GPU node, and fails naming the nodes without one', () => {
    const gpu = { gpu: { renderDevice: '/dev/dri/renderD128', renderGid: 104 } };
    const build = (app: App) => {
      cluster({ pve1: {}, pve2: gpu }, { a: {} })(app);
      const c = app.node.findAll().find((x) => x instanceof LxcContainer) as LxcContainer;
      c.addGpu();
    };
    expect(placed(build).nodes).toEqual({ 'lab/apps/a': 'pve2' });
    const none = (app: App) => {
      cluster({ pve1: {}, pve2: {} }, { a: {} })(app);
      (app.node.findAll().find((x) => x instanceof LxcContainer) as LxcContainer).addGpu();
    };
    expect(problemsOf(none)).toEqual([
      '[lab/apps/a] cannot be placed (needs 1 cores, 512 MiB RAM, a GPU): every node is ruled out — pve1 (no GPU); pve2 (no GPU) — pin it with node: <node> after freeing room there, add capacity, a GPU or the dataset to a node, shrink it, or drop the constraint',
    ]);
  });

  it('puts a bind mount only on a node holding its dataset, and fails naming the nodes without it', () => {
    expect(placed(cluster({ pve1: { datasets: ['/srv'] }, pve2: { datasets: ['/tank'] } }, { a: { data: true } })).nodes).toEqual({ 'lab/apps/a': 'pve2' });
    expect(problemsOf(cluster({ pve1: { datasets: ['/srv'] }, pve2: { datasets: [] } }, { a: { data: true } }))).toEqual([
      '[lab/apps/a] cannot be placed (needs 1 cores, 512 MiB RAM, dataset for /tank/data): every node is ruled out — pve1 (no dataset holding /tank/data); pve2 (no dataset holding /tank/data) — pin it with node: <node> after freeing room there, add capacity, a GPU or the dataset to a node, shrink it, or drop the constraint',
    ]);
  });

  it('warns when a recorded node no longer fits and the service moves', () => {
    const before = placed(cluster({ pve1: {}, pve2: {} }, { a: {}, b: {} }));
    expect(before.nodes).toEqual({ 'lab/apps/a': 'pve1', 'lab/apps/b': 'pve2' });
    // b now needs a GPU that only pve1 has
    const build = (app: App) => {
      cluster({ pve1: { gpu: {} }, pve2: {} }, { a: {}, b: {} })(app);
      (app.node.findAll().find((x) => x instanceof LxcContainer && x.hostname === 'b') as LxcContainer).addGpu();
    };
    const result = synthesize(build, { outdir: before.outdir });
    expect(result.warnings.map((w) => `${w.id} ${w.message}`)).toContain(
      `homelab:placement-moved placement moved it from node pve2 (recorded in placement.json) to pve1: pve2 no longer fits it or is gone — Terraform replaces the container (README, "Moving a service"); pin node: 'pve2' to keep it`,
    );
  });

  it('refuses an unreadable record instead of re-placing everything', () => {
    const before = placed(cluster(THREE, five()));
    writeFileSync(join(before.outdir, 'placement.json'), '{"nodes": ["pve1"]}');
    expect(() => synthesize(cluster(THREE, five()), { outdir: before.outdir })).toThrow(SynthError);
    expect(() => synthesize(cluster(THREE, five()), { outdir: before.outdir })).toThrow(/the placement record has no \{ "nodes"/);
  });

  it('planPlacement keeps pinned requests where they are even over capacity (the node check reports that)', () => {
    const node = (name: string) => ({ name, coreLimit: 4, memoryLimit: 1024, hasGpu: false, allowsPath: () => true });
    const r = planPlacement([node('n1'), node('n2')], [
      { key: 'p', cores: 1, memoryMiB: 4096, gpu: false, bindPaths: [], groups: [], pinned: 'n1' },
      { key: 'q', cores: 1, memoryMiB: 512, gpu: false, bindPaths: [], groups: [] },
    ]);
    expect(Object.fromEntries(r.nodeOf)).toEqual({ p: 'n1', q: 'n2' });
    expect(Object.fromEntries(r.how)).toEqual({ p: 'pinned', q: 'placed' });
  });
});

describe('HA', () => {
  const shared = { sharedStorage: ['ceph-ct'], sharedDatasets: ['/mnt/pve/cephfs'] };

  it('emits the HA resource, its node-affinity rule and the negative rule of an anti-affinity group', () => {
    const build = (app: App) => {
      cluster({ pve1: shared, pve2: shared, pve3: shared }, {
        a: { ha: true, rootfsStorage: 'ceph-ct', antiAffinity: ['pair'], vmId: 300 },
        b: { ha: true, rootfsStorage: 'ceph-ct', antiAffinity: ['pair'], vmId: 301 },
      })(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof LxcContainer)!);
      new LxcContainer(lab.stacks.find((s) => s.stackName === 'apps')!, 'c', { node: 'auto', network: lab.networks[0]!, backup: false, vmId: 302, rootfsStorage: 'ceph-ct', ha: { nodes: [lab.nodes[0]!, lab.nodes[1]!], strict: true, maxRelocate: 2 } });
    };
    const stack = JSON.parse(placed(build).files.get('stacks/apps/cdk.tf.json')!);
    const ha = Object.values(stack.resource.proxmox_virtual_environment_haresource) as any[];
    expect(ha.map((h) => [h.resource_id, h.state, h.max_restart, h.max_relocate])).toEqual([['ct:300', 'started', 1, 1], ['ct:301', 'started', 1, 1], ['ct:302', 'started', 1, 2]]);
    const rules = Object.values(stack.resource.proxmox_virtual_environment_harule) as any[];
    expect(rules.map(({ '//': _m, depends_on: _d, comment: _c, ...r }) => r)).toEqual([
      { rule: 'homelab-pair-apart', type: 'resource-affinity', affinity: 'negative', resources: ['ct:300', 'ct:301'] },
      { rule: 'homelab-c-nodes', type: 'node-affinity', resources: ['ct:302'], nodes: { pve1: 1, pve2: 1 }, strict: true },
    ]);
    // the root disk is on the shared storage
    const containers = Object.values(stack.resource.proxmox_virtual_environment_container) as any[];
    expect(containers.map((c) => c.disk.datastore_id)).toEqual(['ceph-ct', 'ceph-ct', 'ceph-ct']);
  });

  /**
   * Two service stacks, `apps` then `db` (declaration order), and HA containers put into them in
   * the given order: [stack, id, groups]. VMIDs from 300 in that order.
   */
  function twoStacks(members: [stack: 'apps' | 'db', id: string, groups: string[]][]) {
    return (app: App) => {
      cluster({ pve1: shared, pve2: shared, pve3: shared }, {})(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof Lab)!);
      const stacks = { apps: lab.stacks.find((s) => s.stackName === 'apps')!, db: new LabStack(lab, 'db', {}) };
      members.forEach(([stack, id, groups], i) => {
        new LxcContainer(stacks[stack], id, { node: 'auto', network: lab.networks[0]!, backup: false, vmId: 300 + i, rootfsStorage: 'ceph-ct', ha: true, antiAffinity: groups });
      });
    };
  }
  const rulesIn = (files: Map<string, string>, stack: string) =>
    Object.values(JSON.parse(files.get(`stacks/${stack}/cdk.tf.json`)!).resource.proxmox_virtual_environment_harule ?? {}) as any[];
  const dependenciesOf = (files: Map<string, string>) =>
    Object.fromEntries(Object.entries(JSON.parse(files.get('manifest.json')!).stacks).map(([k, v]: [string, any]) => [k, [...v.dependencies].sort()]));

  it('puts an anti-affinity rule across stacks in the later stack, which then depends on the other', () => {
    // the last member is declared in apps, but db is the later stack: the rule goes to db
    const { files } = placed(twoStacks([['db', 'pg', ['pair']], ['apps', 'web', ['pair']]]));
    expect(rulesIn(files, 'apps')).toEqual([]);
    const [rule] = rulesIn(files, 'db');
    expect(rule).toMatchObject({ rule: 'homelab-pair-apart', affinity: 'negative', resources: ['ct:300', 'ct:301'] });
    // dependsOn reaches only its own stack's HA resource; the stack dependency orders the other
    expect(rule.depends_on).toEqual([expect.stringMatching(/^proxmox_virtual_environment_haresource\.pg_Ha_/)]);
    expect(dependenciesOf(files)).toEqual({ infra: [], apps: ['lab/infra'], db: ['lab/apps', 'lab/infra'] });
  });

  it('orders stacks without a cycle when groups cross the stacks both ways', () => {
    // 'x' ends in apps, 'y' ends in db by declaration; choosing the last member's stack would make
    // apps depend on db and db on apps
    const { files } = placed(twoStacks([['db', 'x1', ['x']], ['apps', 'x2', ['x']], ['apps', 'y1', ['y']], ['db', 'y2', ['y']]]));
    expect(rulesIn(files, 'apps')).toEqual([]);
    expect(rulesIn(files, 'db').map((r) => r.rule).sort()).toEqual(['homelab-x-apart', 'homelab-y-apart']);
    expect(dependenciesOf(files)).toEqual({ infra: [], apps: ['lab/infra'], db: ['lab/apps', 'lab/infra'] });
  });

  it('refuses a group across stacks whose order the user reversed with a stack dependency', () => {
    const build = (app: App) => {
      twoStacks([['apps', 'web', ['pair']], ['db', 'pg', ['pair']]])(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof Lab)!);
      lab.stacks.find((s) => s.stackName === 'apps')!.addDependency(lab.stacks.find((s) => s.stackName === 'db')!);
    };
    expect(problemsOf(build)).toEqual([
      "[lab/db/pg] HA anti-affinity group 'pair': its rule must be applied after lab/apps/web's HA resource, but stack apps already depends on stack db — remove that stack dependency, or move the members of 'pair' into one stack",
    ]);
  });

  it('adds no stack dependency for a group inside one stack', () => {
    const { files } = placed(twoStacks([['apps', 'a', ['pair']], ['apps', 'b', ['pair']], ['db', 'c', []]]));
    expect(rulesIn(files, 'apps').map((r) => r.resources)).toEqual([['ct:300', 'ct:301']]);
    expect(dependenciesOf(files)).toEqual({ infra: [], apps: ['lab/infra'], db: ['lab/infra'] });
  });

  it('refuses an HA root disk on storage a node of its group cannot reach', () => {
    expect(problemsOf(cluster({ pve1: shared, pve2: {} }, { a: { ha: true, rootfsStorage: 'ceph-ct', node: 'pve1' } }))).toEqual([
      "[lab/apps/a] HA: its root disk is on storage 'ceph-ct', which pve2 cannot reach (not in sharedStorage), so HA could not start it there — put it on shared storage (Ceph RBD, NFS) listed in sharedStorage of every node of its HA group — e.g. rootfsStorage: 'ceph-ct' with sharedStorage: ['ceph-ct'] — or drop ha",
    ]);
    // the node's own local-lvm root disk is the common mistake
    expect(problemsOf(cluster({ pve1: shared, pve2: shared }, { a: { ha: true } }))[0]).toMatch(/^\[lab\/apps\/a\] HA: its root disk is on storage 'local-lvm', which pve1, pve2 cannot reach/);
  });

  it('refuses HA with a node-local bind mount and says how to fix it', () => {
    expect(problemsOf(cluster({ pve1: shared, pve2: shared }, { a: { ha: true, rootfsStorage: 'ceph-ct', data: true } }))).toEqual([
      '[lab/apps/a] HA with bind mount lab/infra/data (/tank/data), which is node-local on pve1, pve2: after a failover the container would start without its data — mount the data from shared storage (NFS or CephFS mounted at the same path on every node of its HA group, listed in their sharedDatasets), or drop ha',
    ]);
    // the same volume on CephFS is accepted
    expect(problemsOf(cluster({ pve1: shared, pve2: shared }, { a: { ha: true, rootfsStorage: 'ceph-ct', data: true } }, true))).toEqual([]);
  });

  it('refuses malformed HA options and a pinned node outside its HA nodes', () => {
    expect(problemsOf(cluster({ pve1: shared, pve2: shared }, { a: { ha: { maxRestart: -1 }, rootfsStorage: 'ceph-ct' } }))).toEqual([
      '[lab/apps/a] ha.maxRestart must be an integer >= 0, got -1 — leave ha.maxRestart out for 1',
    ]);
    expect(problemsOf(cluster({ pve1: shared, pve2: shared }, { a: { ha: 'yes' as never } }))).toEqual([
      '[lab/apps/a] ha must be true, false or HA options, got "yes" — write ha: true, or ha: { nodes: [pve1, pve2] }',
    ]);
    const outside = (app: App) => {
      cluster({ pve1: shared, pve2: shared, pve3: shared }, {})(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof Lab)!);
      new LxcContainer(lab.stacks[1]!, 'a', { node: lab.nodes[2]!, network: lab.networks[0]!, backup: false, rootfsStorage: 'ceph-ct', ha: { nodes: [lab.nodes[0]!, lab.nodes[1]!] } });
    };
    expect(problemsOf(outside)).toEqual(['[lab/apps/a] runs on node pve3, which is not in its HA nodes (pve1, pve2) — add pve3 to ha.nodes, or pin it to one of them']);
  });

  it('refuses a shared dataset outside the node\'s datasets', () => {
    expect(problemsOf(cluster({ pve1: { datasets: ['/tank'], sharedDatasets: ['/mnt/pve/cephfs'] } }, {}))).toEqual([
      "[lab/infra/pve1] shared dataset /mnt/pve/cephfs is not inside the node's datasets (/tank) — add '/mnt/pve/cephfs' to datasets too",
    ]);
  });

  it('checks HA storage against the HA nodes only', () => {
    const build = (app: App) => {
      cluster({ pve1: shared, pve2: shared, pve3: {} }, {})(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof Lab)!);
      new LxcContainer(lab.stacks[1]!, 'a', { node: 'auto', network: lab.networks[0]!, backup: false, rootfsStorage: 'ceph-ct', ha: { nodes: [lab.nodes[0]!, lab.nodes[1]!] } });
    };
    expect(problemsOf(build)).toEqual([]);
    // and placement keeps it on one of them, although pve3 has the most room
    const nodes = placed((app) => {
      build(app);
      const lab = Lab.of(app.node.findAll().find((x) => x instanceof Lab)!);
      new LxcContainer(lab.stacks[1]!, 'filler', { node: lab.nodes[0]!, network: lab.networks[0]!, backup: false, memory: Size.mebibytes(4096) });
      new LxcContainer(lab.stacks[1]!, 'filler2', { node: lab.nodes[1]!, network: lab.networks[0]!, backup: false, memory: Size.mebibytes(4096) });
    }).nodes;
    expect(['pve1', 'pve2']).toContain(nodes['lab/apps/a']);
  });
});
