import { Construct } from 'constructs';
import { hostFile, type AnsibleProject } from '../../lib/ansible/project';
import { RawFile } from '../../lib/generated-file';
import { fail } from '../../lib/problems';
import { CatalogDefaults, CatalogService, CatalogServiceProps } from '../core';

/** Inventory group of the hosts whose generated config the `monitoring_config` role installs. */
export const MONITORING_CONFIG_GROUP = 'monitoring_config';

/** A generated file a monitoring service mounts, relative to its compose project directory. */
export interface ConfigFile {
  /** e.g. `config/prometheus.yml`. */
  readonly path: string;
  readonly content: string;
  /** @default '0644' (a `secret` file must set a mode closed to others, e.g. '0440') */
  readonly mode?: string;
  /** @default 0 (root) */
  readonly owner?: number;
  /** @default 0 (root) */
  readonly group?: number;
  /**
   * The content holds `{{ vault_... }}` references that Ansible renders on the controller, so no
   * secret is ever in synth-out (the file is written as `<path>.j2`). @default false
   */
  readonly secret?: boolean;
  /**
   * A value the service reads verbatim (a token file): written without the generated-file marker,
   * which would become part of the value. @default false
   */
  readonly raw?: boolean;
}

/**
 * A catalog service whose containers mount configuration generated from the lab model
 * (Prometheus, Alertmanager, Loki, Grafana, ...). The files land in
 * `synth-out/ansible/files/<host>/...`; the `monitoring_config` role puts them into the compose
 * project before compose starts the service (a first deploy never starts without its config),
 * removes stale ones and restarts the service when one changes.
 */
export abstract class ConfiguredService extends CatalogService {
  protected constructor(scope: Construct, id: string, props: CatalogServiceProps, defaults: CatalogDefaults) {
    super(scope, id, props, defaults);
    this.addToGroup(MONITORING_CONFIG_GROUP);
  }

  /** The generated files, rendered once the lab is complete (every host, route and rule known). */
  protected abstract renderConfigFiles(): ConfigFile[];

  /** Extra generated files that are not deployed (e.g. rule unit tests), relative to files/<host>/. */
  protected extraFiles(): { path: string; content: string }[] {
    return [];
  }

  /** The generated config files (path → content), for tests and derived tooling. */
  configFiles(): Map<string, string> {
    return new Map(this.renderConfigFiles().map((f) => [f.path, f.content]));
  }

  contributeAnsible(project: AnsibleProject): void {
    const files = this.renderConfigFiles();
    const seen = new Set<string>();
    for (const f of files) {
      if (!/^[a-z0-9][a-z0-9._/-]*$/.test(f.path) || f.path.split('/').includes('..')) fail(this, `config file path '${f.path}' is invalid`, 'use a relative path like config/prometheus.yml');
      if (seen.has(f.path)) fail(this, `config file ${f.path} is generated twice`, 'generate each file once');
      // A file rendered with vault values must not be world-readable on the host.
      if (f.secret && !/^0?[0-7][0-7]0$/.test(f.mode ?? '0644')) {
        fail(this, `config file ${f.path} carries secrets but would be written with mode ${f.mode ?? '0644'} (readable by every user of the host)`, "give it a mode without access for others, e.g. mode '0440' with group = the service's gid");
      }
      seen.add(f.path);
    }
    // Every directory holding generated files is owned by the model: files not generated are removed.
    // A directory that is also a mount source gets exactly the owner and mode compose_project gives it
    // (the mount's owner, 0750), so the two roles never undo each other; the others are root's, 0755.
    const mounted = new Map(this.composeServices.flatMap((s) => s.projectDirectories).map((d) => [d.path, d]));
    const configDirs = [...new Set(files.flatMap((f) => parents(f.path)))].sort();
    this.setHostVar('monitoring_config_dirs', configDirs.map((path) => {
      const m = mounted.get(path);
      return m ? { path, owner: m.uid, group: m.gid, mode: '0750', exclusive: true } : { path, owner: 0, group: 0, mode: '0755', exclusive: true };
    }));
    this.setHostVar(
      'monitoring_config_files',
      [...files]
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((f) => ({ src: f.secret ? `${f.path}.j2` : f.path, dest: f.path, owner: f.owner ?? 0, group: f.group ?? 0, mode: f.mode ?? '0644', secret: f.secret ?? false })),
    );
    super.contributeAnsible(project);
    for (const f of files) {
      const path = `${f.path}${f.secret ? '.j2' : ''}`;
      if (f.raw) project.add(new RawFile(hostFile(this.hostname, path), f.content));
      else project.addHostFile(this.hostname, path, f.content);
    }
    for (const f of this.extraFiles()) project.addHostFile(this.hostname, f.path, f.content);
  }
}

/** `a/b/c.yml` → ['a', 'a/b']. */
function parents(path: string): string[] {
  const parts = path.split('/').slice(0, -1);
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'));
}
