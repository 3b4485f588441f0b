import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { mergeStackPlays } from '../../lib/ansible/site-plays';

const ANSIBLE = join(__dirname, '..', '..', 'synth-out', 'ansible');
const load = (file: string): any => yaml.load(readFileSync(join(ANSIBLE, file), 'utf8'));

/** Ansible's host pattern semantics for the forms we generate: `a:b:&c` = (a ∪ b) ∩ c. */
function hostsOf(pattern: string, groups: Record<string, string[]>): Set<string> {
  let hosts = new Set<string>();
  for (const part of pattern.split(':')) {
    const members = (name: string) => groups[name] ?? [name];
    if (part.startsWith('&')) hosts = new Set(members(part.slice(1)).filter((h) => hosts.has(h)));
    else for (const h of members(part)) hosts.add(h);
  }
  return hosts;
}

/** What a play does, without its name and hosts. */
const work = (play: any) => JSON.stringify({ ...play, name: undefined, hosts: undefined });

describe('site.yml: the stacks\' plays merged lab-wide', () => {
  it('gives every host of the reference lab exactly the plays of its stack playbook, in the same order', () => {
    const inventory = load('inventory/hosts.yml').all.children as Record<string, { hosts: Record<string, null> }>;
    const groups = Object.fromEntries(Object.entries(inventory).map(([g, v]) => [g, Object.keys(v.hosts)]));
    const site = load('site.yml') as any[];
    expect(site[0]['ansible.builtin.import_playbook']).toBe('proxmox.yml');
    expect(site.some((p) => p['ansible.builtin.import_playbook'] && p['ansible.builtin.import_playbook'] !== 'proxmox.yml')).toBe(false);

    const stacks = ['media', 'monitoring', 'security', 'business'];
    let hostsChecked = 0;
    for (const stack of stacks) {
      const plays = load(`${stack}.yml`) as any[];
      for (const host of groups[stack]) {
        const fromStack = plays.filter((p) => hostsOf(p.hosts, groups).has(host)).map(work);
        const fromSite = site.slice(1).filter((p) => hostsOf(p.hosts, groups).has(host)).map(work);
        expect(fromSite, `${host}: site.yml must run the plays of ${stack}.yml in order`).toEqual(fromStack);
        expect(fromStack.length).toBeGreaterThanOrEqual(3);
        hostsChecked++;
      }
    }
    expect(hostsChecked).toBe(28);
  });

  it('runs the base, Docker and agent plays once over all stacks, so every container installs at once', () => {
    const site = load('site.yml') as any[];
    const byRoles = (roles: string[]) => site.filter((p) => JSON.stringify(p.roles) === JSON.stringify(roles));
    expect(byRoles(['base']).map((p) => p.hosts)).toEqual(['media:monitoring:security:business']);
    expect(byRoles(['docker', 'compose_project']).map((p) => p.hosts)).toEqual(['media:monitoring:security:business:&docker_hosts']);
    expect(byRoles(['node_exporter', 'log_agent']).map((p) => p.name)).toEqual(['Install the monitoring agents (node_exporter, alloy) on all containers']);
  });

  it('keeps plays with their own tasks or variables apart, even on the same hosts', () => {
    const merged = mergeStackPlays([
      { stack: 'a', plays: [{ name: 'Base of the a containers', hosts: 'a', roles: ['base'] }, { name: 'Tune a', hosts: 'a', roles: ['base'], vars: { x: 1 } }] },
      { stack: 'b', plays: [{ name: 'Base of the b containers', hosts: 'b', roles: ['base'] }, { name: 'Tune b', hosts: 'b', roles: ['base'], vars: { x: 2 } }] },
    ])!;
    expect(merged.map((p) => p.hosts)).toEqual(['a:b', 'a', 'b']);
    expect(merged[0].name).toBe('Base of all containers');
  });

  it('leaves a play that only one stack has as it was, and does not merge across different narrowing groups', () => {
    const merged = mergeStackPlays([
      { stack: 'a', plays: [{ name: 'Docker of the a containers', hosts: 'a:&docker_hosts', roles: ['docker'] }] },
      { stack: 'b', plays: [{ name: 'Docker of the b containers', hosts: 'b:&gpu_hosts', roles: ['docker'] }, { name: 'Extra', hosts: 'b', roles: ['x'] }] },
    ])!;
    expect(merged).toEqual([
      { name: 'Docker of the a containers', hosts: 'a:&docker_hosts', roles: ['docker'] },
      { name: 'Docker of the b containers', hosts: 'b:&gpu_hosts', roles: ['docker'] },
      { name: 'Extra', hosts: 'b', roles: ['x'] },
    ]);
  });

  it('keeps each stack\'s own order: a stack-specific play stays between the common plays it sits between', () => {
    const merged = mergeStackPlays([
      { stack: 'a', plays: [{ name: 'base', hosts: 'a', roles: ['base'] }, { name: 'docker', hosts: 'a', roles: ['docker'] }] },
      { stack: 'b', plays: [{ name: 'base', hosts: 'b', roles: ['base'] }, { name: 'kill switch', hosts: 'vpn', roles: ['wg'] }, { name: 'docker', hosts: 'b', roles: ['docker'] }, { name: 'swag', hosts: 'swag', roles: ['swag'] }] },
    ])!;
    expect(merged.map((p) => p.name)).toEqual(['base (stacks a, b)', 'kill switch', 'docker (stacks a, b)', 'swag']);
  });

  it('returns undefined when two stacks order their common plays differently, so site.yml imports the stacks', () => {
    expect(mergeStackPlays([
      { stack: 'a', plays: [{ name: 'x', hosts: 'a', roles: ['x'] }, { name: 'y', hosts: 'a', roles: ['y'] }] },
      { stack: 'b', plays: [{ name: 'y', hosts: 'b', roles: ['y'] }, { name: 'x', hosts: 'b', roles: ['x'] }] },
    ])).toBeUndefined();
  });
});

describe('facts: the min subset, and only facts it holds', () => {
  const playbooks = ['site.yml', 'media.yml', 'monitoring.yml', 'security.yml', 'business.yml'];

  it('gathers only the min subset in every play that gathers facts', () => {
    for (const file of playbooks) {
      for (const play of load(file) as any[]) {
        if (!play.hosts || play.gather_facts === false) continue;
        expect(play.gather_subset, `${file}: ${play.name}`).toEqual(['min']);
      }
    }
  });

  it('reads no fact outside min from the roles, playbooks or templates (services/packages come from their own modules)', () => {
    // Facts of ansible-core's min subset that the roles may read, plus the ones set by service_facts
    // and package_facts, which those roles call themselves.
    const allowed = new Set(['distribution', 'distribution_release', 'distribution_major_version', 'distribution_version',
      'os_family', 'pkg_mgr', 'service_mgr', 'architecture', 'python', 'hostname', 'fqdn', 'date_time', 'env', 'user_id',
      'services', 'packages']);
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    const text = execFileSync('grep', ['-rhoE', "ansible_facts(\\[['\"][a-z_0-9]+|\\.[a-z_0-9]+)|ansible_[a-z_0-9]+", ANSIBLE], { encoding: 'utf8' });
    const magic = new Set(['ansible_facts', 'ansible_host', 'ansible_user', 'ansible_version', 'ansible_managed', 'ansible_port', 'ansible_python_interpreter', 'ansible_check_mode', 'ansible_play_hosts', 'ansible_play_batch', 'ansible_lint']);
    const used = new Set<string>();
    for (const m of text.split('\n').filter(Boolean)) {
      const fromFacts = /^ansible_facts(?:\[['"]|\.)(.+)$/.exec(m);
      if (fromFacts) used.add(fromFacts[1]!);
      else if (!magic.has(m) && !m.startsWith('ansible_builtin')) used.add(m.replace(/^ansible_/, ''));
    }
    expect([...used].filter((f) => !allowed.has(f)).sort()).toEqual([]);
    expect(used.has('distribution_release')).toBe(true);
  });
});
