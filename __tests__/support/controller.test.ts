/**
 * Smoke test of the Debian 13 Ansible controller (scripts/trixie-controller.sh) and of the policy in
 * ./controller.ts. Each check has a negative twin so a controller that accepts anything cannot pass.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  describeWithTools,
  haveHostTool,
  hostToolPath,
  isCI,
  requireTool,
  runInController,
  toolSkipReason,
} from './controller';

const FIXTURE = path.join(REPO_ROOT, '__tests__', 'fixtures', 'ansible-mini');
const YAMLLINT_CONFIG = path.join(REPO_ROOT, '.yamllint');

/** A throwaway copy of the fixture plus the repo's .yamllint (ansible-lint's yaml rule reads it). */
function projectCopy(root: string, name: string, mutate?: (dir: string) => void): string {
  const dir = path.join(root, name);
  fs.cpSync(FIXTURE, dir, { recursive: true });
  fs.copyFileSync(YAMLLINT_CONFIG, path.join(dir, '.yamllint'));
  mutate?.(dir);
  return dir;
}

function edit(file: string, from: string | RegExp, to: string): void {
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(from, to);
  if (after === before) throw new Error(`fixture edit did not apply to ${file}: ${String(from)}`);
  fs.writeFileSync(file, after);
}

function mountsUnder(prefix: string): string[] {
  return fs
    .readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4] ?? '')
    .filter((mountPoint) => mountPoint.startsWith(prefix));
}

describe('tool policy', () => {
  it('finds host tools on PATH and in sbin', () => {
    expect(haveHostTool('sh')).toBe(true);
    expect(hostToolPath('sh')).toMatch(/^\/.*\/sh$/);
    expect(haveHostTool('no-such-tool-homelab-cdk')).toBe(false);
  });

  it('skips on a workstation and fails under CI when a tool is missing', () => {
    const saved = process.env.CI;
    try {
      process.env.CI = 'false';
      expect(toolSkipReason('nonexistent-tool')).toMatch(/not installed/);
      expect(requireTool('nonexistent-tool')).toMatch(/not installed/);
      process.env.CI = 'true';
      expect(isCI()).toBe(true);
      expect(() => requireTool('nonexistent-tool')).toThrow(/CI=true but a required tool is missing/);
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });
});

describeWithTools(['controller'], 'Debian 13 controller', () => {
  let tmp = '';
  let good = '';
  let removedModule = '';
  let badYaml = '';

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-controller-'));
    good = projectCopy(tmp, 'good');
    // The Compose-v1 module: removed in community.docker 4.0.0, and what Debian 12's ansible still has.
    removedModule = projectCopy(tmp, 'removed-module', (dir) =>
      edit(path.join(dir, 'site.yml'), 'community.docker.docker_compose_v2:', 'community.docker.docker_compose:'),
    );
    badYaml = projectCopy(tmp, 'bad-yaml', (dir) => {
      edit(path.join(dir, 'site.yml'), /^---\n/, '');
      edit(path.join(dir, 'site.yml'), 'become: true', 'become: yes');
    });
  });

  afterAll(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('runs ansible-core 2.19', () => {
    const r = runInController(good, ['ansible', '--version'], { timeoutMs: 60_000 });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toMatch(/^ansible \[core 2\.19\.\d+\]/);
    // The project's ansible.cfg is picked up from the working directory.
    expect(r.stdout).toContain('config file = /work/ansible.cfg');
  });

  it('ships community.docker 4.x with docker_compose_v2', () => {
    const list = runInController(good, ['ansible-galaxy', 'collection', 'list', 'community.docker'], {
      timeoutMs: 60_000,
    });
    expect(list.code, list.output).toBe(0);
    expect(list.stdout).toMatch(/community\.docker\s+4\.\d+\.\d+/);
    const doc = runInController(good, ['ansible-doc', '-t', 'module', 'community.docker.docker_compose_v2'], {
      timeoutMs: 60_000,
    });
    expect(doc.code, doc.output).toBe(0);
    expect(doc.stdout).toContain('MODULE community.docker.docker_compose_v2');
  });

  it('has ansible-lint 25.2 and Compose v2', () => {
    const lint = runInController(good, ['ansible-lint', '--version'], { timeoutMs: 60_000 });
    expect(lint.code, lint.output).toBe(0);
    expect(lint.stdout).toMatch(/ansible-lint \S*25\.2\.\d+.*ansible-core:2\.19\./);
    const compose = runInController(good, ['docker-compose', 'version'], { timeoutMs: 30_000 });
    expect(compose.code, compose.output).toBe(0);
    expect(compose.stdout).toMatch(/Docker Compose version v?2\.\d+/);
  });

  it('has no network and leaves the host directory and mounts as they were', () => {
    const before = mountsUnder('/var/cache/homelab-cdk').length;
    const r = runInController(
      good,
      ['sh', '-c', 'touch /work/written-inside && ls /work/written-inside && getent hosts deb.debian.org'],
      { timeoutMs: 30_000 },
    );
    expect(r.stdout).toContain('/work/written-inside');
    expect(r.code, 'a name resolved inside the controller: it has network').not.toBe(0);
    expect(fs.existsSync(path.join(good, 'written-inside'))).toBe(false);
    expect(mountsUnder('/var/cache/homelab-cdk').length).toBe(before);
  });

  it('stops a command at its time limit', () => {
    const started = Date.now();
    const r = runInController(good, ['sleep', '60'], { timeoutMs: 2_000 });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('passes the fixture: syntax-check, ansible-lint (production, offline), yamllint, compose config', () => {
    const syntax = runInController(good, ['ansible-playbook', 'site.yml', '--syntax-check'], { timeoutMs: 120_000 });
    expect(syntax.code, syntax.output).toBe(0);
    expect(syntax.stdout).toContain('playbook: site.yml');

    const lint = runInController(good, ['ansible-lint'], { timeoutMs: 180_000 });
    expect(lint.code, lint.output).toBe(0);
    expect(lint.output).toMatch(/Passed: 0 failure\(s\), 0 warning\(s\).*Profile 'production' was required, and it passed/);
    expect(lint.output).not.toContain('incompatible custom yamllint configuration');

    const yaml = runInController(good, ['yamllint', '-c', '.yamllint', '.'], { timeoutMs: 60_000 });
    expect(yaml.code, yaml.output).toBe(0);

    const compose = runInController(good, ['docker-compose', '-f', 'files/whoami/compose.yml', 'config', '-q'], {
      timeoutMs: 60_000,
    });
    expect(compose.code, compose.output).toBe(0);
  });

  it('rejects the removed community.docker.docker_compose module', () => {
    const syntax = runInController(removedModule, ['ansible-playbook', 'site.yml', '--syntax-check'], {
      timeoutMs: 120_000,
    });
    expect(syntax.code).not.toBe(0);
    expect(syntax.output).toMatch(/'community\.docker\.docker_compose' module has been removed/);

    const lint = runInController(removedModule, ['ansible-lint'], { timeoutMs: 180_000 });
    expect(lint.code).not.toBe(0);
    expect(lint.output).toMatch(/syntax-check\[specific\].*docker_compose' module has been removed/);
  });

  it('rejects YAML without a document start or with yes/no booleans', () => {
    const yaml = runInController(badYaml, ['yamllint', '-c', '.yamllint', 'site.yml'], { timeoutMs: 60_000 });
    expect(yaml.code).not.toBe(0);
    expect(yaml.stdout).toMatch(/error +missing document start "---" +\(document-start\)/);
    expect(yaml.stdout).toMatch(/error +truthy value should be one of \[false, true\] +\(truthy\)/);
  });

  it('rejects a compose file the v2 schema does not allow', () => {
    const dir = projectCopy(tmp, 'bad-compose', (d) =>
      edit(path.join(d, 'files', 'whoami', 'compose.yml'), 'restart: unless-stopped', 'restart_policy: sometimes'),
    );
    const r = runInController(dir, ['docker-compose', '-f', 'files/whoami/compose.yml', 'config', '-q'], {
      timeoutMs: 60_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/Additional property restart_policy is not allowed/);
  });
});

describeWithTools(['yamllint'], 'host yamllint with the repo config', () => {
  it('accepts the fixture and the config itself', () => {
    const r = runHost('yamllint', ['-c', YAMLLINT_CONFIG, FIXTURE, YAMLLINT_CONFIG]);
    expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  });
});

function runHost(cmd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
