/**
 * Issue 10 item 1: SWAG's first start. The swag role writes the DNS credential, proxy confs, site
 * confs and fail2ban jails BEFORE the compose play starts SWAG (its init then gets the certificate
 * and nginx starts with the confs), and its handlers restart the container when nginx does not run
 * (nginx -s reload has no master to signal then). Checked on the generated playbooks and, with the
 * Debian 13 controller, by running the role's prepare tasks and its handlers for real.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeWithTools, REPO_ROOT, runInController } from '../support/controller';
import { file, SynthedLab, synthHomelab, yamlOf } from './support';

type Play = { name: string; hosts: string; roles?: string[]; tasks?: Record<string, any>[] }; // eslint-disable-line @typescript-eslint/no-explicit-any
type Task = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isPrepare = (p: Play) => p.tasks?.some((t) => t['ansible.builtin.import_role']?.name === 'swag' && t['ansible.builtin.import_role']?.tasks_from === 'prepare') ?? false;
/** A play that runs compose_project on the swag host (the stack's or the lab-wide merged one). */
const startsSwag = (p: Play) => (p.roles ?? []).includes('compose_project') && /(^|:)security(:|$)/.test(p.hosts);

describe('SWAG gets its configuration before its first start', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  for (const playbook of ['security.yml', 'site.yml']) {
    it(`${playbook}: writes SWAG's config, then starts the compose project, then checks SWAG`, () => {
      const plays = yamlOf<Play[]>(synthed.files, `ansible/${playbook}`);
      const prepare = plays.findIndex(isPrepare);
      const compose = plays.findIndex(startsSwag);
      const verify = plays.findIndex((p) => p.hosts === 'swag' && (p.roles ?? []).includes('swag'));
      expect(prepare, 'prepare play').toBeGreaterThanOrEqual(0);
      expect(plays[prepare]!.hosts).toBe('swag');
      expect(compose, 'compose play after the prepare play').toBeGreaterThan(prepare);
      expect(verify, 'verify play after the compose play').toBeGreaterThan(compose);
      // Only one compose play reaches the swag host, and none before the prepare play.
      expect(plays.filter(startsSwag)).toHaveLength(1);
    });
  }

  it('prepare.yml writes the credential and every generated file, and never talks to Docker', () => {
    const text = file(synthed.files, 'ansible/roles/swag/tasks/prepare.yml');
    const tasks = yaml.load(text) as Task[];
    expect(text).not.toMatch(/community\.docker|notify:/);
    expect(tasks.find((t) => t['ansible.builtin.template']?.src === 'dns-conf.ini.j2')).toBeDefined();
    for (const src of ['proxy-confs/{{ item }}', 'site-confs/{{ item }}', 'fail2ban/jail.local', 'fail2ban/filter.d/{{ item }}']) {
      expect(tasks.some((t) => t['ansible.builtin.copy']?.src === `{{ swag_files }}/${src}`), src).toBe(true);
    }
    const main = file(synthed.files, 'ansible/roles/swag/tasks/main.yml');
    // The old order waited for SWAG's first start before writing anything.
    expect(main).not.toContain('dns-conf.ini.j2');
    expect(main).not.toContain('{{ swag_files }}/proxy-confs');
  });
});

/** The handlers with Docker replaced by local stand-ins; conditions, order and listen stay as generated. */
function localHandlers(handlers: Task[]): Task[] {
  return handlers.map((h) => {
    const out: Task = { ...h };
    const exec = out['community.docker.docker_container_exec'];
    if (exec) {
      delete out['community.docker.docker_container_exec'];
      out['ansible.builtin.command'] = { argv: exec.argv };
    }
    if (out['community.docker.docker_compose_v2']) {
      delete out['community.docker.docker_compose_v2'];
      out['ansible.builtin.command'] = { argv: ['sh', '-c', 'echo restart >>"$SWAG_TEST_LOG"'] };
      out.changed_when = true;
    }
    return out;
  });
}

describeWithTools(['controller'], 'the swag role under real Ansible (Debian 13 controller)', () => {
  let dir: string;
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
    dir = mkdtempSync(join(tmpdir(), 'swag-first-start-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it('handlers: reload a running nginx, restart the container when nginx does not run, never twice', () => {
    const handlers = localHandlers(yaml.load(file(synthed.files, 'ansible/roles/swag/handlers/main.yml')) as Task[]);
    const defaults = yaml.load(file(synthed.files, 'ansible/roles/swag/defaults/main.yml')) as Record<string, unknown>;
    mkdirSync(join(dir, 'bin'));
    // pgrep: the twin's stand-in (`pgrep -f PATTERN`; Debian's controller has no procps).
    cpSync(join(REPO_ROOT, 'tools/twin/standin/image/usr/local/bin/pgrep'), join(dir, 'bin', 'pgrep'));
    writeFileSync(join(dir, 'bin', 'nginx'), '#!/bin/sh\necho "nginx $*" >>"$SWAG_TEST_LOG"\n', { mode: 0o755 });
    // The master process of SWAG's nginx, as far as the check can tell (its command line). In a file:
    // the test's own shell must not carry that text on its command line.
    writeFileSync(join(dir, 'bin', 'fake-nginx-master'), '#!/bin/sh\nexec sh -c "while :; do sleep 1; done" "nginx: master process /usr/sbin/nginx -e stderr"\n', { mode: 0o755 });
    const scenarios = { reload: ['Reload nginx in the SWAG container'], restart: ['Restart the SWAG container'], both: ['Reload nginx in the SWAG container', 'Restart the SWAG container'] };
    for (const [name, notify] of Object.entries(scenarios)) {
      writeFileSync(join(dir, `${name}.yml`), yaml.dump([{
        name: `Notify ${name}`, hosts: 'localhost', gather_facts: false,
        vars: { swag_nginx_running_argv: defaults.swag_nginx_running_argv, swag_container: 'swag', swag_project_dir: '/nonexistent', swag_service: 'swag' },
        handlers,
        tasks: [{ name: 'Change something', 'ansible.builtin.debug': { msg: 'changed' }, changed_when: true, notify }],
      }]));
    }
    const script = [
      'export PATH=/work/bin:$PATH',
      'for running in yes no; do for s in reload restart both; do',
      '  export SWAG_TEST_LOG=/tmp/log-$s-$running; : >"$SWAG_TEST_LOG"',
      '  if [ $running = yes ]; then fake-nginx-master & M=$!; fi',
      '  ansible-playbook -c local -i localhost, /work/$s.yml >/tmp/out-$s-$running 2>&1 || { echo "FAILED $s $running"; cat /tmp/out-$s-$running; }',
      '  if [ $running = yes ]; then kill $M; wait $M 2>/dev/null; fi',
      '  echo "== $s $running"; cat "$SWAG_TEST_LOG"',
      'done; done',
    ].join('\n');
    const r = runInController(dir, ['sh', '-c', script], { timeoutMs: 300_000 });
    expect(r.stdout, r.output).not.toContain('FAILED');
    const logs = new Map(r.stdout.split('== ').slice(1).map((block) => {
      const [head, ...lines] = block.trim().split('\n');
      return [head!, lines.filter(Boolean)];
    }));
    // nginx runs: test the config, then reload and/or restart (one restart at most).
    expect(logs.get('reload yes')).toEqual(['nginx -t', 'nginx -s reload']);
    expect(logs.get('restart yes')).toEqual(['nginx -t', 'restart']);
    expect(logs.get('both yes')).toEqual(['nginx -t', 'nginx -s reload', 'restart']);
    // nginx does not run: no reload (it would fail), a restart instead, exactly once.
    expect(logs.get('reload no')).toEqual(['restart']);
    expect(logs.get('restart no')).toEqual(['restart']);
    expect(logs.get('both no')).toEqual(['restart']);
  }, 360_000);

  it('prepare.yml writes the credential and confs with no Docker and no SWAG; later runs rewrite only what changed, for a reload', () => {
    const project = join(dir, 'project');
    for (const [path, content] of synthed.files) {
      if (!path.startsWith('ansible/roles/swag/') && !path.startsWith('ansible/files/swag/')) continue;
      const to = join(project, path.slice('ansible/'.length));
      mkdirSync(join(to, '..'), { recursive: true });
      writeFileSync(to, content);
    }
    const hostVars = yamlOf<Record<string, unknown>>(synthed.files, 'ansible/inventory/host_vars/swag.yml');
    const vars = {
      ...Object.fromEntries(Object.entries(hostVars).filter(([k]) => k.startsWith('swag_') && k !== 'swag_config_dir' && k !== 'swag_project_dir')),
      swag_project_dir: '/tmp/swag', swag_config_dir: '/tmp/swag/config', swag_dns_credential: 'test-token',
      swag_authelia_users_database: 'users:\n  alice:\n    displayname: Alice\n    password: "$argon2id$test"\n    email: alice@example.org\n    groups: [admins]\n',
      swag_owner: 0, swag_group: 0, swag_files: '/work/project/files/swag',
    };
    writeFileSync(join(project, 'play.yml'), yaml.dump([{
      name: 'Prepare', hosts: 'localhost', gather_facts: false, vars,
      tasks: [
        { name: 'Prepare', 'ansible.builtin.import_role': { name: 'swag', tasks_from: 'prepare' } },
        { name: 'Show', 'ansible.builtin.debug': { msg: 'pending reload={{ swag_pending_reload | bool }} restart={{ swag_pending_restart | bool }} credential={{ swag_pending_credential | bool }}' } },
      ],
    }]));
    writeFileSync(join(project, 'ansible.cfg'), '[defaults]\nroles_path = /work/project/roles\n');
    const script = [
      'cd /work/project',
      'run() { ansible-playbook -c local -i localhost, play.yml >/tmp/run 2>&1 || { echo FAILED; cat /tmp/run; }; grep -o "pending [^\\"]*" /tmp/run; grep -o "changed=[0-9]*" /tmp/run; }',
      'echo "== first"; run',
      'echo "== files"; cd /tmp/swag/config && find . -type f | sort; cat dns-conf/cloudflare.ini; stat -c "%a" dns-conf/cloudflare.ini; stat -c "authelia %n %a" ../authelia ../authelia/*; cd /work/project',
      // SWAG has started once (its init wrote default.conf); a changed conf is now pending for it.
      'mkdir -p /tmp/swag/config/nginx/site-confs && touch /tmp/swag/config/nginx/site-confs/default.conf',
      'echo "# operator" >>/tmp/swag/config/nginx/proxy-confs/ntfy.subdomain.conf',
      'echo "== started"; run',
    ].join('\n');
    const r = runInController(dir, ['sh', '-c', script], { timeoutMs: 600_000 });
    expect(r.stdout, r.output).not.toContain('FAILED');
    const [, first, files, started] = r.stdout.split(/^== \w+$/m);
    // First run: everything written, nothing pending (SWAG reads it all on its first start).
    expect(first).toContain('pending reload=False restart=False credential=False');
    expect(first).not.toContain('changed=0');
    for (const f of ['./dns-conf/cloudflare.ini', './nginx/proxy-confs/vaultwarden.subdomain.conf', './nginx/proxy-confs/ntfy.subdomain.conf', './fail2ban/jail.local', './fail2ban/filter.d/vaultwarden-login.conf', './log/nginx/vaultwarden.access.log']) {
      expect(files, f).toContain(`${f}\n`);
    }
    expect(files).toContain('dns_cloudflare_api_token = test-token');
    // Authelia: its includes beside proxy.conf, its configuration and the users from the vault (0600).
    for (const f of ['./nginx/authelia-server.conf', './nginx/authelia-location.conf']) expect(files, f).toContain(`${f}\n`);
    expect(files).toContain('authelia ../authelia 750\n');
    expect(files).toContain('authelia ../authelia/configuration.yml 600\n');
    expect(files).toContain('authelia ../authelia/users_database.yml 600\n');
    expect(files).toMatch(/^600$/m);
    // Second run, after SWAG's first start: only the conf edited behind Ansible's back is rewritten,
    // and the running SWAG has to reload it.
    expect(started).toContain('changed=1\n');
    expect(started).toContain('pending reload=True restart=False credential=False');
  }, 660_000);
});
