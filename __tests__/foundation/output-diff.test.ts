import { describe, expect, it } from 'vitest';
import { destroysData, diffAnsible, diffFiles, diffTerraform, generatedOnly, matchHosts, nodeChangeHint } from '../../lib/output-diff';
import { step } from '../../lib/term';

const inventory = `all:
  children:
    media:
      hosts:
        sonarr: null
        qbittorrent: null
    docker_hosts:
      hosts:
        sonarr: null
        qbittorrent: null
        vaultwarden: null
    security:
      hosts:
        vaultwarden: null
    wireguard_clients:
      hosts:
        qbittorrent: null
`;

const groups = new Map<string, Set<string>>([
  ['all', new Set(['sonarr', 'qbittorrent', 'vaultwarden', 'pve'])],
  ['media', new Set(['sonarr', 'qbittorrent'])],
  ['security', new Set(['vaultwarden'])],
  ['wireguard_clients', new Set(['qbittorrent'])],
]);

describe('matchHosts (Ansible host patterns)', () => {
  it('unions, intersects and excludes groups and hosts as Ansible does', () => {
    expect([...matchHosts('media:security', groups)].sort()).toEqual(['qbittorrent', 'sonarr', 'vaultwarden']);
    expect([...matchHosts('media:&wireguard_clients', groups)]).toEqual(['qbittorrent']);
    expect([...matchHosts('media:!wireguard_clients', groups)]).toEqual(['sonarr']);
    expect([...matchHosts('pve', groups)]).toEqual(['pve']);
    expect([...matchHosts('nosuch', groups)]).toEqual([]);
  });
});

describe('diffFiles and generatedOnly', () => {
  it('leave out .generated-files and the operator files synth never wrote', () => {
    const before = new Map([
      ['.generated-files', 'a.txt\nb.txt\n'],
      ['a.txt', '1'],
      ['b.txt', '1'],
      ['ansible/inventory/group_vars/all/vault.yml', 'secret'],
    ]);
    const after = new Map([['.generated-files', 'a.txt\nc.txt\n'], ['a.txt', '2'], ['c.txt', '1']]);
    expect(diffFiles(generatedOnly(before), after)).toEqual({ added: ['c.txt'], changed: ['a.txt'], removed: ['b.txt'] });
  });
});

describe('diffTerraform', () => {
  const stack = (resources: object) => JSON.stringify({ resource: resources });
  const container = (over: object = {}) => ({
    '//': { metadata: { path: 'homelab/media/sonarr/Resource' }, homelab: { stateful: true } },
    node_name: 'pve',
    vm_id: 211,
    memory: { dedicated: 1024 },
    // cdk.tf.json writes a single nested block as an object: the replace rules step into it as a list.
    initialization: { hostname: 'sonarr', user_account: { keys: ['ssh-ed25519 A'] } },
    ...over,
  });
  const rules = { proxmox_virtual_environment_container: ['vm_id', 'initialization.*.user_account.*.keys'] };

  it('names an in-place change with its attributes, and a replacement with the attribute forcing it', () => {
    const before = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container() } })]]);
    const resized = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container({ memory: { dedicated: 2048 } }) } })]]);
    expect(diffTerraform(before, resized, rules)).toEqual([
      { stack: 'media', address: 'proxmox_virtual_environment_container.sonarr_A', kind: 'change', constructPath: 'homelab/media/sonarr', stateful: true, attributes: ['memory'], forcedBy: [] },
    ]);
    const rekeyed = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container({ initialization: { hostname: 'sonarr', user_account: { keys: ['ssh-ed25519 B'] } } }) } })]]);
    expect(diffTerraform(before, rekeyed, rules)[0]).toMatchObject({ kind: 'replace', forcedBy: ['initialization[*].user_account[*].keys'] });
  });

  it('flags a node change of a stateful container as data loss, with the way to move it instead', () => {
    const before = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container() } })]]);
    const moved = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container({ node_name: 'pve2' }) } })]]);
    const [change] = diffTerraform(before, moved, { proxmox_virtual_environment_container: ['node_name'] });
    expect(change).toMatchObject({ kind: 'replace', stateful: true, forcedBy: ['node_name'] });
    expect(destroysData(change!)).toBe(true);
    expect(nodeChangeHint(change!.forcedBy)?.join('\n')).toContain('`pct migrate <vmid> <node> --restart`');
    expect(nodeChangeHint(['vm_id'])).toBeUndefined();
  });

  it('ignores cdktf metadata and reports added and removed resources by stack', () => {
    const before = new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: container() } })]]);
    const moved = container();
    moved['//'] = { metadata: { path: 'homelab/media/sonarr/Resource' }, homelab: { stateful: true, note: 'x' } } as never;
    expect(diffTerraform(before, new Map([['stacks/media/cdk.tf.json', stack({ proxmox_virtual_environment_container: { sonarr_A: moved } })]]), rules)).toEqual([]);
    const gone = diffTerraform(before, new Map([['stacks/security/cdk.tf.json', stack({ x_y: { z: {} } })]]), rules);
    expect(gone.map((c) => `${c.stack} ${c.kind} ${c.address} ${c.stateful}`)).toEqual(['media remove proxmox_virtual_environment_container.sonarr_A true', 'security add x_y.z false']);
  });
});

describe('diffAnsible', () => {
  const site = (roles: string) => `- hosts: media:&docker_hosts\n  roles: [${roles}]\n- hosts: security\n  roles:\n    - role: base\n`;
  const tree = (over: Record<string, string>) => new Map(Object.entries({ 'ansible/inventory/hosts.yml': inventory, 'ansible/site.yml': site('docker'), ...over }));

  it('attributes a changed group variable to every member, a changed role to the hosts running it, and own files to their host', () => {
    const before = tree({
      'ansible/inventory/group_vars/security/main.yml': 'a: 1\nb: 2\n',
      'ansible/roles/docker/tasks/main.yml': 'old',
      'ansible/files/sonarr/compose.yml': 'old',
    });
    const after = tree({
      'ansible/inventory/group_vars/security/main.yml': 'a: 1\nb: 3\n',
      'ansible/roles/docker/tasks/main.yml': 'new',
      'ansible/files/sonarr/compose.yml': 'new',
      'ansible/site.yml': site('docker, compose_project'),
    });
    const hosts = diffAnsible(before, after);
    expect(hosts.map((h) => h.host)).toEqual(['qbittorrent', 'sonarr', 'vaultwarden']);
    expect(hosts[1]).toEqual({
      host: 'sonarr',
      files: { added: [], changed: ['compose.yml'], removed: [] },
      rolesAdded: ['compose_project'],
      rolesRemoved: [],
      rolesChanged: ['docker'],
      variables: [],
    });
    expect(hosts[2]).toMatchObject({ host: 'vaultwarden', variables: ['group_vars/security:b'], rolesChanged: [] });
  });

  it('reports nothing for identical projects', () => {
    expect(diffAnsible(tree({}), tree({}))).toEqual([]);
  });
});

describe('step (progress lines)', () => {
  it('prints a line only for a step over a second, and announces steps on a terminal', () => {
    const lines: string[] = [];
    let t = 0;
    const clock = () => t;
    step('quick', () => (t += 500), (l) => lines.push(l), false, clock);
    step('slow', () => (t += 1500), (l) => lines.push(l), false, clock);
    step('shown', () => (t += 10), (l) => lines.push(l), true, clock);
    expect(lines).toEqual(['slow: 1.5 s', 'shown…']);
  });
});
