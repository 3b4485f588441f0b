/**
 * Issue 15 item 3: many nodes everywhere. A three-node lab (explicit `node` per service) gets node
 * preparation per node with each node's own bind-mount sources, the host firewall on every node,
 * the PVE exporter scraping every node and a node-down alert per node, checked with the real tools
 * already used for those files (ansible-playbook --syntax-check and ansible-lint in the Debian 13
 * controller, nft -c, promtool, terraform with the stand-in).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../lib/cdktf';
import { Homelab } from '../../constructs/homelab';
import { BindVolume, LxcContainer, ProxmoxNode, Size, Volume } from '../../constructs/core';
import { readDatacenterFirewall, readFirewalls } from '../../tools/twin/probe-sources';
import { translateFirewalls, vethName } from '../../tools/twin/firewall-nft';
import { runStack } from '../../tools/tf-standin/terraform-runner';
import { describeWithTools, runInController } from '../support/controller';
import { problemsOf, SynthesizedLab, synthLab } from '../support/lab';
import { run, scratch } from '../monitoring/support';
import { namespaceSkipReason } from './netns';
import { allOutput, makeTempDir, standin, TEST_TIMEOUT_MS, writeStack } from '../terraform/harness';

const NODES = { pve: '10.10.10.2', pve2: '10.10.10.3', pve3: '10.10.10.4' } as const;

let lab: Homelab;
function build(app: App): Homelab {
  lab = new Homelab(app, 'homelab', {
    extraNodes: {
      pve2: { address: NODES.pve2, cores: 16, memory: Size.mebibytes(65536), datasets: ['/tank/data'] },
      pve3: { address: NODES.pve3, cores: 16, memory: Size.mebibytes(65536), datasets: ['/tank/dashboards'] },
    },
    // Explicit placement: the *arr apps that share /data on pve2, stateless helpers and Grafana on pve3.
    media: { overrides: { sonarr: { node: 'pve2' }, radarr: { node: 'pve2' }, prowlarr: { node: 'pve3' }, flaresolverr: { node: 'pve3' } } },
    monitoring: { overrides: { grafana: { node: 'pve3' } } },
    // Immich's standby never shares Immich's node (anti-affinity group 'immich').
    business: { overrides: { immichBackup: { node: 'pve3' } } },
  });
  // A second dataset that only a container on pve3 mounts.
  lab.monitoring.grafana!.addMount(Volume.bindMount(lab.infra, 'dashboards', { hostPath: '/tank/dashboards', subdirectories: ['provisioned'] }), '/srv/dashboards', { readOnly: true });
  return lab;
}

let out: SynthesizedLab;
beforeAll(() => {
  out = synthLab((app) => void build(app));
});
afterAll(() => out?.cleanup());

const containersOn = (n: ProxmoxNode): LxcContainer[] => lab.containers.filter((c) => c.proxmoxNode === n);
const bindRootsOf = (cs: readonly LxcContainer[]) => [...new Set(cs.flatMap((c) => c.mountedVolumes.flatMap((m) => (m.volume instanceof BindVolume ? [m.volume.hostPath] : []))))].sort();

describe('node preparation runs per node, each with its own bind-mount sources', () => {
  it('puts every node into proxmox_hosts, at its own address, and proxmox.yml plays on that group', () => {
    const inv = out.yaml('ansible/inventory/hosts.yml');
    expect(Object.keys(inv.all.children.proxmox_hosts.hosts).sort()).toEqual(['pve', 'pve2', 'pve3']);
    for (const [name, address] of Object.entries(NODES)) expect(out.hostVars(name)).toMatchObject({ ansible_host: address, ansible_user: 'root' });
    const plays = out.yaml('ansible/proxmox.yml');
    expect(plays.map((p: any) => p.hosts)).toEqual(['proxmox_hosts']);
  });

  it("prepares on each node exactly the bind-mount sources of the containers placed on it", () => {
    const nodes = [lab.pve, lab.extraNodes.pve2!, lab.extraNodes.pve3!];
    for (const n of nodes) {
      const dirs: { path: string }[] = out.hostVars(n.nodeName).proxmox_host_directories;
      const roots = bindRootsOf(containersOn(n));
      // Every source its containers mount is prepared …
      for (const r of roots) expect(dirs.map((d) => d.path), `${n.nodeName}: ${r}`).toContain(r);
      // … and nothing else: each prepared directory lies inside one of them.
      for (const d of dirs) expect(roots.some((r) => d.path === r || d.path.startsWith(`${r}/`)), `${n.nodeName}: ${d.path}`).toBe(true);
    }
    const paths = (node: string) => out.hostVars(node).proxmox_host_directories.map((d: { path: string }) => d.path);
    // The shared data on the two nodes whose containers mount it; pve3's own dataset only on pve3.
    expect(bindRootsOf(containersOn(lab.extraNodes.pve2!))).toEqual(['/tank/data']);
    expect(bindRootsOf(containersOn(lab.extraNodes.pve3!))).toEqual(['/tank/dashboards']);
    expect(paths('pve')).toContain('/tank/data/media/tv');
    expect(paths('pve2')).toContain('/tank/data/media/tv');
    expect(paths('pve3')).toEqual(['/tank/dashboards', '/tank/dashboards/provisioned']);
    for (const n of ['pve', 'pve2']) expect(paths(n).filter((p: string) => p.startsWith('/tank/dashboards'))).toEqual([]);
    // The datasets each node checks before creating directories: only those its own containers use.
    expect(out.hostVars('pve').proxmox_host_datasets).toEqual(['/tank/data']);
    expect(out.hostVars('pve2').proxmox_host_datasets).toEqual(['/tank/data']);
    expect(out.hostVars('pve3').proxmox_host_datasets).toEqual(['/tank/dashboards']);
  });

  it("fails when a node's datasets do not hold a bind mount of a container placed on it", () => {
    const problems = problemsOf((app) => void new Homelab(app, 'homelab', {
      extraNodes: { pve2: { address: NODES.pve2, cores: 16, memory: Size.mebibytes(65536), datasets: ['/tank/other'] } },
      media: { overrides: { sonarr: { node: 'pve2' } } },
    }));
    expect(problems).toContain('[homelab/media/sonarr] bind mount homelab/infra/data (/tank/data) is outside the datasets of node pve2 (/tank/other) — put the volume under a declared dataset, or add its dataset to datasets on node pve2');
  });
});

describe('node identity', () => {
  it('fails when two nodes share a name or an address, or a node is named like a container', () => {
    const problems = problemsOf((app) => void new Homelab(app, 'homelab', {
      extraNodes: {
        pve2: { name: 'pve', address: NODES.pve2, cores: 16, memory: Size.mebibytes(65536) },
        pve3: { address: NODES.pve, cores: 16, memory: Size.mebibytes(65536) },
        plex: { address: NODES.pve3, cores: 16, memory: Size.mebibytes(65536) },
      },
      business: { overrides: { immichBackup: { node: 'pve3' } } },
    }));
    expect(problems).toEqual(expect.arrayContaining([
      "[homelab/infra/pve2] node name 'pve' is already used by homelab/infra/pve — give each node its own Proxmox name (pvesh get /nodes lists them)",
      '[homelab/infra/pve3] address 10.10.10.2 is already the address of node homelab/infra/pve — give each node its own management address (one Proxmox node, one ProxmoxNode)',
      "[homelab/infra/plex] node name 'plex' is also the hostname of container homelab/media/plex: both would be the same Ansible inventory host — rename the container (hostname) or name the node as Proxmox does",
    ]));
    expect(problems).toHaveLength(3);
  });
});

describe('backups across nodes', () => {
  const twoNodes = (second: string) => problemsOf((app) => void new Homelab(app, 'homelab', {
    backups: { storage: undefined as never },
    node: { id: 'pve', address: NODES.pve, cores: 16, memory: Size.mebibytes(65536), gpu: {}, datasets: ['/tank/data'], storage: { backups: 'backup1' } },
    extraNodes: { pve2: { address: NODES.pve2, cores: 16, memory: Size.mebibytes(65536), datasets: ['/tank/data'], storage: { backups: second } } },
    media: { overrides: { sonarr: { node: 'pve2' } } },
    business: { overrides: { immichBackup: { node: 'pve2' } } },
  }));

  it('accepts nodes that name the same backups storage', () => {
    expect(twoNodes('backup1')).toEqual([]);
  });

  it("fails when the job has no storage of its own and the nodes' backups storages differ", () => {
    const problems = twoNodes('backup2');
    expect(problems, problems.join("\n")).toContain("[homelab/infra/nightly] backs up containers on nodes whose backups storages differ (pve: 'backup1'; pve2: 'backup2'), but a backup job writes to one storage — give the job a storage every node reaches (storage: { kind: 'pbs', id: 'pbs' }), or the same storage.backups on every node");
  });
});

describeWithTools(['controller'], 'the generated Ansible of the three-node lab in the Debian 13 controller', () => {
  it('passes ansible-playbook --syntax-check (site.yml, proxmox.yml, preflight.yml) and ansible-lint on the node play', () => {
    for (const playbook of ['site.yml', 'proxmox.yml', 'preflight.yml']) {
      const syntax = runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', playbook, '--syntax-check'], { cwd: 'ansible', timeoutMs: 180_000 });
      expect(syntax.code, `${playbook}: ${syntax.output}`).toBe(0);
    }
    const lint = runInController(out.dir, ['ansible-lint', '--offline', '--nocolor', 'proxmox.yml', 'preflight.yml', 'roles/proxmox_host'], { cwd: 'ansible', timeoutMs: 300_000 });
    expect(lint.code, lint.output).toBe(0);
  }, 600_000);

  it('runs proxmox.yml on every node with its own datasets: a node whose dataset is missing stops, the others prepare theirs', () => {
    // The three nodes are the controller itself (local connection); their paths move under /work (the output folder).
    for (const n of Object.keys(NODES)) {
      const file = path.join(out.dir, 'ansible', 'inventory', 'host_vars', `${n}.yml`);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replaceAll('/tank/', '/work/tank/'));
    }
    fs.mkdirSync(path.join(out.dir, 'tank', 'data'), { recursive: true });
    const vars = path.join(out.dir, 'ansible', 'vars-local.yml');
    fs.writeFileSync(vars, 'ansible_connection: local\nansible_python_interpreter: /usr/bin/python3\nproxmox_host_check_versions: false\n');
    const env = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' };
    const play = () => runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', '-e', '@vars-local.yml', 'proxmox.yml'], { cwd: 'ansible', rw: true, timeoutMs: 300_000, env });
    const recap = (output: string, host: string) => output.match(new RegExp(`^${host}\\s*:.*failed=(\\d+)`, 'm'))?.[1];

    const first = play();
    expect(first.code, first.output).toBe(2);
    expect(first.output.replace(/\s+/g, ' ')).toContain('pve3 lacks the dataset(s) /work/tank/dashboards that its containers bind-mount from');
    expect([recap(first.output, 'pve'), recap(first.output, 'pve2'), recap(first.output, 'pve3')]).toEqual(['0', '0', '1']);
    expect(fs.existsSync(path.join(out.dir, 'tank', 'data', 'media', 'tv'))).toBe(true);
    // Nothing was made where the missing dataset should be mounted.
    expect(fs.existsSync(path.join(out.dir, 'tank', 'dashboards'))).toBe(false);

    fs.mkdirSync(path.join(out.dir, 'tank', 'dashboards'));
    const second = play();
    expect(second.code, second.output).toBe(0);
    expect(fs.statSync(path.join(out.dir, 'tank', 'dashboards', 'provisioned')).isDirectory()).toBe(true);
  }, 600_000);

  it('lists every node as a host of proxmox.yml (ansible-playbook --list-hosts)', () => {
    const r = runInController(out.dir, ['ansible-playbook', '-i', 'inventory/hosts.yml', 'proxmox.yml', '--list-hosts'], { cwd: 'ansible', timeoutMs: 180_000 });
    expect(r.code, r.output).toBe(0);
    const listed = r.output.slice(r.output.indexOf('hosts (3):') + 'hosts (3):'.length).trim().split(/\s+/);
    expect(listed.sort()).toEqual(['pve', 'pve2', 'pve3']);
  }, 300_000);
});

describe('the firewall covers every node', () => {
  it('gives every node the host rules, and every container its firewall on its own node', () => {
    const hostRules = Object.values(out.resources('infra', 'proxmox_virtual_environment_firewall_rules')) as any[];
    expect(hostRules.map((r) => r.node_name).sort()).toEqual(['pve', 'pve2', 'pve3']);
    for (const r of hostRules) {
      expect(r.container_id).toBeUndefined();
      expect(r.rule.map((x: any) => x.dport)).toEqual(['8006', '22']);
      expect(r.rule.every((x: any) => x.source === hostRules[0].rule[0].source)).toBe(true);
    }
    for (const c of lab.containers) {
      const [stack] = [c.stack.stackName];
      const fw = Object.values(out.resources(stack, 'proxmox_virtual_environment_firewall_options')).find((o: any) => o.container_id === c.vmId) as any;
      expect(fw, c.hostname).toMatchObject({ node_name: c.proxmoxNode.nodeName, input_policy: 'DROP', enabled: true });
    }
  });

  it('plans the host rules of all three nodes with the real terraform and the stand-in', async () => {
    const tmp = makeTempDir('tf-many-nodes');
    try {
      const tf = standin(path.join(tmp, 'standin'));
      const runRes = await runStack(tf, writeStack(tmp, 'infra', out.stack('infra')));
      expect(runRes.ok, allOutput(runRes)).toBe(true);
      const created = runRes.summary!.created.filter((a) => a.startsWith('proxmox_virtual_environment_firewall_rules.'));
      expect(created.map((a) => a.replace(/^.*HostRules-(\w+)_.*$/, '$1')).sort()).toEqual(['pve', 'pve2', 'pve3']);
      expect(runRes.summary!.destroy).toBe(0);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }, TEST_TIMEOUT_MS);

  const NFT_SKIP = namespaceSkipReason(['nft', 'unshare']);
  it.skipIf(NFT_SKIP !== undefined)(`translates the container firewalls of all nodes to nftables that nft -c accepts${NFT_SKIP ? ` [skipped: ${NFT_SKIP}]` : ''}`, () => {
    const firewalls = readFirewalls(out.dir);
    // Every container on every node has its firewall read back from the output.
    expect([...firewalls.keys()].sort()).toEqual(lab.containers.map((c) => c.vmId).sort());
    const t = translateFirewalls({ firewalls, datacenter: readDatacenterFirewall(out.dir), ports: new Map([...firewalls.keys()].map((id) => [id, vethName(id)])) });
    expect(t.chains.size).toBe(lab.containers.length);
    const r = spawnSync('unshare', ['--net', 'nft', '-c', '-f', '-'], { input: t.text, encoding: 'utf8', timeout: 30_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('the PVE exporter scrapes every node, and a node-down alert covers each', () => {
  const RULES = 'ansible/files/prometheus/config/rules';
  const TESTS = 'ansible/files/prometheus/rule-tests';

  it('reads the cluster view once and every node through its own API, each target named by its node', () => {
    const prom = out.yaml('ansible/files/prometheus/config/prometheus.yml');
    const job = (name: string) => prom.scrape_configs.find((j: any) => j.job_name === name);
    expect(job('pve').static_configs.map((s: any) => s.targets).flat()).toEqual([NODES.pve]);
    expect(job('pve').params).toMatchObject({ cluster: ['1'], node: ['0'] });
    expect(job('pve-nodes').params).toMatchObject({ cluster: ['0'], node: ['1'] });
    expect(job('pve-nodes').static_configs).toEqual(Object.entries(NODES).map(([name, address]) => ({
      targets: [address], labels: { host: 'pve-exporter', stack: 'monitoring', pve_node: name },
    })));
  });

  it('generates a ProxmoxNodeDown test for every node, both ways it can go down', () => {
    const tests = out.yaml(`${TESTS}/monitoring.test.yml`).tests.map((t: any) => t.name).filter((n: string) => n.includes('ProxmoxNodeDown'));
    expect(tests.sort()).toEqual([
      'monitoring/ProxmoxNodeDown fires',
      'monitoring/ProxmoxNodeDown fires when the API of pve cannot be read',
      'monitoring/ProxmoxNodeDown fires when the API of pve2 cannot be read',
      'monitoring/ProxmoxNodeDown fires when the API of pve3 cannot be read',
      'monitoring/ProxmoxNodeDown fires when the cluster reports pve2 offline',
      'monitoring/ProxmoxNodeDown fires when the cluster reports pve3 offline',
      'monitoring/ProxmoxNodeDown stays silent',
    ]);
  });

  describeWithTools(['promtool'], 'promtool', () => {
    it('passes promtool check config and the generated rule unit tests of the monitoring stack', () => {
      const cfg = run('promtool', ['check', 'config', '--syntax-only', 'prometheus.yml'], { cwd: path.join(out.dir, 'ansible/files/prometheus/config') });
      expect(cfg.code, cfg.output).toBe(0);
      const r = run('promtool', ['test', 'rules', 'monitoring.test.yml'], { cwd: path.join(out.dir, TESTS), timeoutMs: 120_000 });
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain('SUCCESS');
    });

    it('fails the node-down test of the first node when the rule only trusts the cluster view (negative control)', () => {
      const tmp = scratch('many-nodes-rules');
      try {
        const rules = out.yaml(`${RULES}/monitoring.yml`);
        const nodeDown = rules.groups[0].rules.find((r: any) => r.alert === 'ProxmoxNodeDown');
        expect(nodeDown.expr).toContain('up{job="pve-nodes"} == 0');
        nodeDown.expr = 'pve_up{id=~"node/.+"} == 0';
        tmp.write('config/rules/monitoring.yml', yaml.dump(rules));
        tmp.write('rule-tests/monitoring.test.yml', out.text(`${TESTS}/monitoring.test.yml`));
        const r = run('promtool', ['test', 'rules', 'monitoring.test.yml'], { cwd: `${tmp.dir}/rule-tests`, timeoutMs: 120_000 });
        expect(r.code).not.toBe(0);
        expect(r.output).toContain('monitoring/ProxmoxNodeDown fires when the API of pve cannot be read');
        expect(r.output).not.toContain('monitoring/ProxmoxNodeDown fires when the cluster reports pve2 offline');
      } finally {
        tmp.cleanup();
      }
    });
  });
});
