import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alloyConfig, promtailConfig } from '../../lib/observability/log-agent';
import { SynthesizedLab } from '../support/lab';
import { RefLab, synthHomelab } from './support';

let ref: RefLab;
let out: SynthesizedLab;
beforeAll(() => {
  ref = synthHomelab();
  out = ref.out;
});
afterAll(() => ref.cleanup());

describe('Loki of the reference homelab', () => {
  it('keeps 31 days of logs: compactor retention, a delete request store, tsdb v13 with a 24h index', () => {
    const loki = out.yaml('ansible/files/loki/config/loki.yml');
    expect(loki.auth_enabled).toBe(false);
    expect(loki.compactor).toEqual({
      working_directory: '/loki/compactor',
      compaction_interval: '10m',
      retention_enabled: true,
      retention_delete_delay: '2h',
      retention_delete_worker_count: 150,
      delete_request_store: 'filesystem',
    });
    expect(loki.limits_config.retention_period).toBe('744h');
    expect(loki.schema_config.configs).toEqual([{ from: '2026-01-01', store: 'tsdb', object_store: 'filesystem', schema: 'v13', index: { prefix: 'index_', period: '24h' } }]);
    expect(loki.common).toMatchObject({ path_prefix: '/loki', replication_factor: 1, ring: { kvstore: { store: 'inmemory' } }, storage: { filesystem: { chunks_directory: '/loki/chunks', rules_directory: '/loki/rules' } } });
    expect(loki.server).toMatchObject({ http_listen_port: 3100, grpc_listen_port: 9096 });
  });

  it('quotes the schema date so YAML 1.1 readers keep it a string', () => {
    expect(out.text('ansible/files/loki/config/loki.yml')).toContain("from: '2026-01-01'");
  });

  it('gives the image user (10001) its config and data directories, the same way in both roles', () => {
    const vars = out.hostVars('loki');
    expect(vars.compose_project_directories).toEqual([
      { path: 'config', owner: 10001, group: 10001, mode: '0750' },
      { path: 'data', owner: 10001, group: 10001, mode: '0750' },
    ]);
    expect(vars.monitoring_config_dirs).toEqual([{ path: 'config', owner: 10001, group: 10001, mode: '0750', exclusive: true }]);
  });
});

/** Blocks of an Alloy file as `type "label"`, after checking braces, brackets and strings balance. */
function alloyBlocks(text: string): string[] {
  const code = text.split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') depth++;
    else if (ch === '}' || ch === ']') depth--;
    if (depth < 0) throw new Error(`unbalanced close at ${i}`);
  }
  if (depth !== 0 || inString) throw new Error('unbalanced Alloy config');
  return [...code.matchAll(/^([a-z_]+(?:\.[a-z_]+)+) "([a-z_]+)" \{$/gm)].map((m) => `${m[1]} "${m[2]}"`);
}

describe('the log agents (Grafana Alloy by default)', () => {
  it('generates an Alloy config for every container, shipping the journal and, on Docker hosts, the containers', () => {
    for (const c of ref.lab.containers) {
      const text = out.text(`ansible/files/${c.hostname}/log_agent/config.alloy`);
      const docker = 'composeServices' in c;
      const journal = ['loki.write "lab"', 'loki.relabel "journal"', 'loki.source.journal "system"'];
      expect(alloyBlocks(text), c.hostname).toEqual(docker ? [...journal, 'discovery.docker "containers"', 'discovery.relabel "containers"', 'loki.source.docker "containers"'] : journal);
      expect(text, c.hostname).toContain(`host  = "${c.hostname}",\n    stack = "${c.stack.stackName}",`);
      expect(text, c.hostname).toContain('url = "http://10.10.10.35:3100/loki/api/v1/push"');
    }
    expect(ref.lab.containers.some((c) => !('composeServices' in c))).toBe(true);
  });

  it('labels streams with host, stack, service and container', () => {
    const text = out.text('ansible/files/sonarr/log_agent/config.alloy');
    expect(text).toMatch(/source_labels = \["__journal__systemd_unit"\]\n\s+target_label\s+= "service"/);
    expect(text).toMatch(/source_labels = \["__meta_docker_container_name"\]\n\s+regex\s+= "\/\(\.\*\)"\n\s+target_label\s+= "container"/);
    expect(text).toMatch(/source_labels = \["__meta_docker_container_label_com_docker_compose_service"\]\n\s+target_label\s+= "service"/);
    expect(text).toContain('relabel_rules = discovery.relabel.containers.rules');
    expect(text).toContain('forward_to    = [loki.write.lab.receiver]');
  });

  it('generates the same streams and labels for Promtail', () => {
    const p: any = promtailConfig({ hostname: 'sonarr', stack: 'media', docker: true }, 'http://10.10.10.35:3100/loki/api/v1/push');
    expect(p.clients).toEqual([{ url: 'http://10.10.10.35:3100/loki/api/v1/push', external_labels: { host: 'sonarr', stack: 'media' } }]);
    expect(p.scrape_configs.map((s: any) => s.job_name)).toEqual(['journal', 'docker']);
    expect(p.scrape_configs[0].relabel_configs).toContainEqual({ source_labels: ['__journal__systemd_unit'], target_label: 'service' });
    expect(p.scrape_configs[1].docker_sd_configs).toEqual([{ host: 'unix:///var/run/docker.sock', refresh_interval: '15s' }]);
    expect(p.scrape_configs[1].relabel_configs).toEqual([
      { source_labels: ['__meta_docker_container_name'], regex: '/(.*)', target_label: 'container' },
      { source_labels: ['__meta_docker_container_label_com_docker_compose_service'], target_label: 'service' },
      { target_label: 'job', replacement: 'docker' },
    ]);
    expect(p.server).toEqual({ http_listen_address: '127.0.0.1', http_listen_port: 9080, grpc_listen_port: 0 });
    const noDocker: any = promtailConfig({ hostname: 'fileserver', stack: 'business', docker: false }, 'http://x/loki/api/v1/push');
    expect(noDocker.scrape_configs.map((s: any) => s.job_name)).toEqual(['journal']);
    expect(alloyBlocks(alloyConfig({ hostname: 'fileserver', stack: 'business', docker: false }, 'http://x'))).not.toContain('loki.source.docker "containers"');
  });

  it('writes Promtail configs instead when the stack chooses Promtail', () => {
    const promtail = synthHomelab({ monitoring: { logAgent: 'promtail' } });
    try {
      const cfg = promtail.out.yaml('ansible/files/sonarr/log_agent/config.yml');
      expect(cfg.clients[0].external_labels).toEqual({ host: 'sonarr', stack: 'media' });
      expect(promtail.out.files.has('ansible/files/sonarr/log_agent/config.alloy')).toBe(false);
      expect(promtail.out.yaml('ansible/inventory/group_vars/all/main.yml')).toMatchObject({ log_agent_kind: 'promtail', log_agent_config_file: 'config.yml' });
      expect(promtail.out.result.warnings.map((w) => w.id)).toContain('homelab:eol-promtail');
    } finally {
      promtail.cleanup();
    }
  });
});

describe('agents in the Ansible project', () => {
  it('installs node_exporter and the log agent on every container of every stack, after Docker', () => {
    for (const stack of ['media', 'monitoring', 'security', 'business']) {
      const plays: any[] = out.yaml(`ansible/${stack}.yml`);
      const agents = plays.findIndex((p) => JSON.stringify(p.roles) === JSON.stringify(['node_exporter', 'log_agent']));
      expect(agents, stack).toBeGreaterThan(-1);
      expect(plays[agents].hosts, stack).toBe(stack);
      const docker = plays.findIndex((p) => Array.isArray(p.roles) && p.roles.includes('docker'));
      expect(agents, stack).toBeGreaterThan(docker);
    }
    expect(out.yaml('ansible/inventory/group_vars/all/main.yml')).toMatchObject({ log_agent_kind: 'alloy', log_agent_config_file: 'config.alloy' });
    for (const role of ['node_exporter', 'log_agent', 'monitoring_config']) expect(out.files.has(`ansible/roles/${role}/tasks/main.yml`), role).toBe(true);
  });

  it('installs the monitoring services\' generated configs before compose starts them', () => {
    const plays: any[] = out.yaml('ansible/monitoring.yml');
    const config = plays.findIndex((p) => JSON.stringify(p.roles) === JSON.stringify(['monitoring_config']));
    const compose = plays.findIndex((p) => Array.isArray(p.roles) && p.roles.includes('compose_project'));
    expect(config).toBeGreaterThan(-1);
    expect(config).toBeLessThan(compose);
    expect(plays[config].hosts).toBe('monitoring:&monitoring_config');
    const inv = out.yaml('ansible/inventory/hosts.yml');
    expect(Object.keys(inv.all.children.monitoring_config.hosts).sort()).toEqual(['alertmanager', 'blackbox', 'glance', 'grafana', 'loki', 'ntfy', 'prometheus', 'pve-exporter']);
  });
});
