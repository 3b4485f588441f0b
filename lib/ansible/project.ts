import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GeneratedFile, TextFile, withMarker, YamlFile } from '../generated-file';
import { TEMPLATE_ROOT } from '../templates';
import { sortedRecord } from '../yaml';

interface HostEntry {
  readonly groups: Set<string>;
  readonly vars: Record<string, unknown>;
}

/** An Ansible play as plain data (serialized by the one YAML writer). */
export type Play = Record<string, unknown>;

/**
 * The object model of the generated Ansible project. Constructs add hosts, variables, plays and
 * files; `render()` turns it into file contents. Adding the same host or file twice throws, so two
 * constructs can never silently overwrite each other's output.
 */
export class AnsibleProject {
  private readonly hosts = new Map<string, HostEntry>();
  private readonly groupVars = new Map<string, Record<string, unknown>>();
  private readonly playbooks = new Map<string, { header: string; plays: Play[] }>();
  private readonly derivedPlaybooks = new Map<string, { header: string; plays: () => Play[] }>();
  private readonly files = new Map<string, GeneratedFile>();
  private readonly roles = new Set<string>();

  addHost(name: string, groups: readonly string[], vars: Record<string, unknown>): void {
    if (this.hosts.has(name)) throw new Error(`Ansible host '${name}' is defined twice`);
    this.hosts.set(name, { groups: new Set(groups), vars });
  }

  hasHost(name: string): boolean {
    return this.hosts.has(name);
  }

  /** Hosts of a group, sorted. */
  hostsOf(group: string): string[] {
    return [...this.hosts.entries()].filter(([, h]) => h.groups.has(group)).map(([n]) => n).sort();
  }

  addGroupVars(group: string, vars: Record<string, unknown>): void {
    const existing = this.groupVars.get(group) ?? {};
    for (const k of Object.keys(vars)) {
      if (k in existing) throw new Error(`group variable '${k}' of '${group}' is set twice`);
    }
    this.groupVars.set(group, { ...existing, ...vars });
  }

  addPlaybook(name: string, header: string, plays: Play[]): void {
    if (this.playbooks.has(name) || this.derivedPlaybooks.has(name)) throw new Error(`playbook '${name}' is defined twice`);
    this.playbooks.set(name, { header, plays });
  }

  /**
   * A playbook computed from the others at render time (site.yml merges the stack playbooks), so
   * plays that constructs add later are part of it.
   */
  addDerivedPlaybook(name: string, header: string, plays: () => Play[]): void {
    if (this.playbooks.has(name) || this.derivedPlaybooks.has(name)) throw new Error(`playbook '${name}' is defined twice`);
    this.derivedPlaybooks.set(name, { header, plays });
  }

  /**
   * Appends a play, or inserts it before the first play `before` matches (e.g. a VPN kill switch
   * that must be up before the compose play starts the workloads).
   */
  addPlay(playbook: string, play: Play, opts: { before?: (existing: Play) => boolean } = {}): void {
    const pb = this.playbooks.get(playbook);
    if (!pb) throw new Error(`playbook '${playbook}' does not exist`);
    const at = opts.before ? pb.plays.findIndex(opts.before) : -1;
    if (at >= 0) pb.plays.splice(at, 0, play);
    else pb.plays.push(play);
  }

  /** The plays of a playbook so far (read-only view). */
  playsOf(playbook: string): readonly Play[] {
    return this.playbooks.get(playbook)?.plays ?? [];
  }

  /** Adds a generated file (YamlFile, TemplateFile, ...); host files are at hostFile(hostname, path). */
  add(file: GeneratedFile): void {
    if (this.files.has(file.path)) throw new Error(`Ansible file '${file.path}' is generated twice`);
    this.files.set(file.path, file);
  }

  /** Adds text built by code as a file of one host, at hostFile(hostname, path); the marker is added. */
  addHostFile(hostname: string, path: string, content: string): void {
    this.add(new TextFile(hostFile(hostname, path), content));
  }

  /** Adds text built by code; the marker is added in the file's syntax. */
  addFile(path: string, content: string): void {
    this.add(new TextFile(path, content));
  }

  /** Ships a role from ansible-templates/roles/<name> unchanged. */
  useRole(name: string): void {
    this.roles.add(name);
  }

  /** Every file of the project, keyed by path relative to the project root. */
  render(): Map<string, string> {
    const out = new Map<string, string>();
    const put = (path: string, content: string) => {
      if (out.has(path)) throw new Error(`Ansible file '${path}' is generated twice`);
      out.set(path, content);
    };
    const putFile = (f: GeneratedFile) => put(f.path, f.render());
    putFile(this.renderInventory());
    for (const name of [...this.hosts.keys()].sort()) {
      putFile(new YamlFile(`inventory/host_vars/${name}.yml`, this.hosts.get(name)!.vars));
    }
    for (const group of [...this.groupVars.keys()].sort()) {
      // group_vars/<group>/ is a directory so operators can drop their vault.yml next to main.yml.
      putFile(new YamlFile(`inventory/group_vars/${group}/main.yml`, this.groupVars.get(group)));
    }
    for (const [name, pb] of this.playbooks) putFile(new YamlFile(`${name}.yml`, pb.plays.map(withMinimalFacts), { description: pb.header }));
    for (const [name, pb] of this.derivedPlaybooks) putFile(new YamlFile(`${name}.yml`, pb.plays().map(withMinimalFacts), { description: pb.header }));
    for (const role of [...this.roles].sort()) {
      // Shipped verbatim from ansible-templates/roles, with the marker like every other output file.
      const dir = join(TEMPLATE_ROOT, 'roles', role);
      for (const file of walk(dir)) {
        const path = `roles/${role}/${relative(dir, file)}`;
        put(path, withMarker(path, readFileSync(file, 'utf8')));
      }
    }
    for (const path of [...this.files.keys()].sort()) putFile(this.files.get(path)!);
    return out;
  }

  private renderInventory(): GeneratedFile {
    const groups = new Map<string, string[]>();
    for (const [name, h] of this.hosts) {
      for (const g of h.groups) {
        const list = groups.get(g);
        if (list) list.push(name);
        else groups.set(g, [name]);
      }
    }
    const children: Record<string, unknown> = {};
    for (const g of [...groups.keys()].sort()) {
      const hosts: Record<string, null> = {};
      for (const n of groups.get(g)!.sort()) hosts[n] = null;
      children[g] = { hosts };
    }
    return new YamlFile('inventory/hosts.yml', { all: { children: sortedRecord(children) } }, { description: 'Inventory of the lab; host variables are in host_vars/.' });
  }
}

/**
 * Plays that gather facts gather the `min` subset (distribution, service and package manager, ...),
 * all the roles read. The default `all` also walks hardware, mounts and network interfaces, which on
 * a Docker host means every overlay mount and veth (the digital twin's no-op run over 28 hosts spent
 * 57 s in it). ansible.cfg's gather_subset is gone in ansible-core 2.19, hence the play keyword.
 */
function withMinimalFacts(play: Play): Play {
  if (!('hosts' in play) || play.gather_facts === false || 'gather_subset' in play) return play;
  const out: Play = {};
  for (const [k, v] of Object.entries(play)) {
    out[k] = v;
    if (k === 'hosts') out.gather_subset = ['min'];
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

/** The folder of the Ansible project that holds one sub-folder of generated files per host. */
export const HOST_FILES_DIR = 'files';

/**
 * Where a host's generated files live in the Ansible project, `files/<host>/<path>`: the one place
 * the layout is written. Tools reading a synthesized project join it to the project folder; plays
 * refer to a file with `hostFileSrc`.
 */
export function hostFile(hostname: string, path: string): string {
  checkRelative(path, `files/${hostname}/`, ` of ${hostname}`);
  return `${hostFolder(hostname)}/${path}`;
}

/** The folder of a host's generated files, `files/<host>` (see hostFile). */
export function hostFolder(hostname: string): string {
  if (!hostname || hostname.includes('/') || hostname === '..') throw new Error(`host name '${hostname}' must be one path segment`);
  return `${HOST_FILES_DIR}/${hostname}`;
}

/**
 * The same file as a play sees it on the controller: `{{ homelab_files_dir }}/{{ inventory_hostname }}/<path>`
 * (homelab_files_dir is `{{ playbook_dir }}/files`, set in group_vars/all by the lab project).
 */
export function hostFileSrc(path: string): string {
  checkRelative(path, 'the host folder');
  return `{{ homelab_files_dir }}/{{ inventory_hostname }}/${path}`;
}

function checkRelative(path: string, inside: string, of = ''): void {
  if (!path || path.startsWith('/') || path.split('/').includes('..')) throw new Error(`host file path '${path}'${of} must be relative and stay inside ${inside}`);
}
