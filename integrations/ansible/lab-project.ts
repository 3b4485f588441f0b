import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isComposeHost } from '../../constructs/core/capabilities';
import type { Lab } from '../../constructs/core/lab';
import { TEMPLATE_ROOT } from '../../lib/templates';
import { YamlFile } from '../../lib/generated-file';
import { AnsibleProject, HOST_FILES_DIR, Play } from '../../lib/ansible/project';
import { mergeStackPlays } from '../../lib/ansible/site-plays';

/** Collections the playbooks use, with the minimum versions they were written against. */
export const REQUIRED_COLLECTIONS = [
  { name: 'community.docker', version: '>=4.0.0' },
  { name: 'community.general', version: '>=9.0.0' },
];

/**
 * The lab-wide part of the Ansible project: configuration, site.yml and one playbook per stack,
 * the Proxmox host play, shared variables and the vault example. Hosts add themselves.
 */
export function contributeLabAnsible(lab: Lab, project: AnsibleProject): void {
  project.addFile('ansible.cfg', [
    '[defaults]',
    'inventory = inventory/hosts.yml',
    'roles_path = roles',
    'interpreter_python = auto_silent',
    '# One fork per host: every container of a stack is configured at once.',
    `forks = ${Math.max(20, lab.containers.length + lab.nodes.length)}`,
    '# Facts are gathered once per host and run; the later plays of site.yml reuse them.',
    'gathering = smart',
    '',
    '[ssh_connection]',
    '# accept-new: containers are new on first run, but a changed key still stops Ansible.',
    'ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o StrictHostKeyChecking=accept-new',
    'pipelining = True',
    '',
  ].join('\n'));
  project.add(new YamlFile('requirements.yml', { collections: REQUIRED_COLLECTIONS.map((c) => ({ ...c })) }));
  project.addFile('.yamllint', readFileSync(join(TEMPLATE_ROOT, 'project', 'yamllint.yml'), 'utf8'));
  project.add(new YamlFile('.ansible-lint', { profile: 'production', offline: true, exclude_paths: ['vault.example.yml'] }));

  project.addGroupVars('all', {
    homelab_domain: lab.domain,
    homelab_timezone: lab.timezone,
    homelab_data_uid: lab.dataOwner.uid,
    homelab_data_gid: lab.dataOwner.gid,
    homelab_files_dir: `{{ playbook_dir }}/${HOST_FILES_DIR}`,
  });

  project.addFile('vault.example.yml', vaultExample(lab));

  project.useRole('proxmox_host');
  const nodePlay: Play = { name: 'Prepare the Proxmox hosts', 'ansible.builtin.import_playbook': 'proxmox.yml' };
  project.addPlaybook('proxmox', '', [
    { name: 'Prepare the Proxmox hosts for the lab', hosts: 'proxmox_hosts', gather_facts: false, roles: ['proxmox_host'] },
  ]);
  // The preflight before `terraform apply` (docs/proxmox-preflight.md): changes nothing, fails on a
  // Proxmox too old for the lab or a bind-mount source that proxmox.yml has not created yet.
  project.addPlaybook('preflight', `Run before terraform apply: ansible-playbook preflight.yml (changes nothing).`, [
    {
      name: 'Check the Proxmox hosts before terraform apply',
      hosts: 'proxmox_hosts',
      gather_facts: false,
      tasks: [{ name: 'Run the preflight checks of the proxmox_host role', 'ansible.builtin.include_role': { name: 'proxmox_host', tasks_from: 'preflight' } }],
    },
  ]);

  const stackNames: string[] = [];
  for (const stack of lab.serviceStacks) {
    const containers = lab.containers.filter((c) => c.stack === stack);
    if (containers.length === 0) continue;
    const plays: Play[] = [];
    project.useRole('base');
    plays.push({ name: `Configure the base system of the ${stack.stackName} containers`, hosts: stack.stackName, roles: ['base'] });
    if (containers.some(isComposeHost)) {
      project.useRole('docker');
      project.useRole('compose_project');
      plays.push({ name: `Run the Docker workloads of the ${stack.stackName} containers`, hosts: `${stack.stackName}:&docker_hosts`, roles: ['docker', 'compose_project'] });
    }
    project.addPlaybook(stack.stackName, '', plays);
    stackNames.push(stack.stackName);
  }
  // site.yml runs the stacks' plays lab-wide (see mergeStackPlays); each <stack>.yml stays runnable alone.
  project.addDerivedPlaybook('site', `Run: ansible-playbook site.yml (add --limit <stack> for one stack).`, () => {
    const merged = mergeStackPlays(stackNames.map((stack) => ({ stack, plays: project.playsOf(stack) })));
    const stackImports = stackNames.map((s): Play => ({ name: `Deploy the ${s} stack`, 'ansible.builtin.import_playbook': `${s}.yml` }));
    return [nodePlay, ...(merged ?? stackImports)];
  });
}

/** Wraps a comment to lines of at most `width` characters, each starting with '# '. */
function commentLines(text: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '#';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line.length > 1 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = '#';
    }
    line += ` ${word}`;
  }
  if (line.length > 1) lines.push(line);
  return lines;
}

/**
 * Every vault variable the lab needs, each with its description and declaring construct, and a
 * placeholder value: the operator copies it next to group_vars/all/main.yml and encrypts it.
 */
function vaultExample(lab: Lab): string {
  const out = [
    '---',
    '# Every secret the lab needs. Copy to inventory/group_vars/all/vault.yml (the copy is yours:',
    '# synth keeps files it did not generate), replace each CHANGE_ME, then run:',
    '# ansible-vault encrypt inventory/group_vars/all/vault.yml',
  ];
  const declarations = lab.secrets.declarations('vault');
  if (declarations.length === 0) return [...out, '{}', ''].join('\n');
  for (const d of declarations) {
    out.push('', ...commentLines(d.description), ...commentLines(`Declared by ${d.declaredBy.node.path}.`), `${d.secret.variable}: CHANGE_ME`);
  }
  return out.join('\n') + '\n';
}
