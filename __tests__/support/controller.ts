/**
 * Access to real tools for integration tests: host binaries (promtool, nginx, wg, ...) and the Debian 13
 * Ansible controller built by scripts/trixie-controller.sh.
 *
 * Policy: on a developer machine a missing tool skips the test with the reason; under CI (CI=true) it
 * fails, because .ci/run installs every tool and a silent skip there would hide a broken pipeline.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'vitest';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CONTROLLER_SCRIPT = path.join(REPO_ROOT, 'scripts', 'trixie-controller.sh');

/** Host binaries the real-tool tests use; .ci/run installs all of them. */
export const HOST_TOOLS = [
  'promtool',
  'amtool',
  'prometheus',
  'prometheus-alertmanager', // Debian's name for the Alertmanager binary
  'nginx',
  'testparm',
  'wg',
  'wg-quick',
  'wireguard-go',
  'nft',
  'ip',
  'yamllint',
  'openssl',
  'terraform',
  'unshare',
  'mmdebstrap',
] as const;
export type HostTool = (typeof HOST_TOOLS)[number];
/**
 * 'controller' stands for the whole Debian 13 rootfs (ansible, ansible-lint, yamllint, docker-compose).
 * Any other host binary name is accepted too; the literals are there for completion.
 */
export type Tool = HostTool | 'controller' | (string & {});

export function isCI(): boolean {
  const v = (process.env.CI ?? '').trim().toLowerCase();
  return v !== '' && v !== '0' && v !== 'false';
}

// sbin directories are not on every user's PATH, but nginx, nft and ip live there.
const EXTRA_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Absolute path of a host executable, or undefined. */
export function hostToolPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

export function haveHostTool(name: string): boolean {
  return hostToolPath(name) !== undefined;
}

export interface Availability {
  ok: boolean;
  /** Why it is not usable and how to fix that; undefined when ok. */
  reason?: string;
}

let controllerCache: Availability | undefined;

/** Whether the controller rootfs is built and usable here (cached per test file). */
export function controllerStatus(): Availability {
  if (controllerCache) return controllerCache;
  controllerCache = probeController();
  return controllerCache;
}

function probeController(): Availability {
  if (process.platform !== 'linux') return { ok: false, reason: 'the controller needs Linux namespaces' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'the controller needs root (mount namespaces, chroot)' };
  for (const tool of ['unshare', 'chroot', 'timeout', 'flock']) {
    if (!haveHostTool(tool)) return { ok: false, reason: `host tool ${tool} is missing` };
  }
  const r = spawnSync('bash', [CONTROLLER_SCRIPT, 'status'], { encoding: 'utf8', timeout: 10_000, stdio: 'pipe' });
  if (r.status !== 0) {
    const detail = (r.stderr || r.error?.message || '').trim();
    return { ok: false, reason: detail || 'controller rootfs missing; run: bash scripts/trixie-controller.sh build' };
  }
  return { ok: true };
}

export function controllerAvailable(): boolean {
  return controllerStatus().ok;
}

/** Skip reason for a tool, or undefined when it is available. Never throws. */
export function toolSkipReason(name: Tool): string | undefined {
  if (name === 'controller') {
    const s = controllerStatus();
    return s.ok ? undefined : `Debian 13 controller unavailable: ${s.reason}`;
  }
  return haveHostTool(name) ? undefined : `host tool '${name}' not installed (see .ci/run for the package)`;
}

/**
 * Returns undefined when every tool is available, otherwise a skip reason — except under CI, where a
 * missing tool throws so the test file fails instead of passing vacuously.
 */
export function requireTool(...names: Tool[]): string | undefined {
  const reasons = names.map(toolSkipReason).filter((r): r is string => r !== undefined);
  if (reasons.length === 0) return undefined;
  const reason = reasons.join('; ');
  if (isCI()) throw new Error(`CI=true but a required tool is missing: ${reason}`);
  return reason;
}

/**
 * describe() that runs only when the tools exist. Skipped suites carry the reason in their title, so
 * it shows in the report. Under CI a missing tool becomes one failing test in place of the suite:
 * counted as a failure by .ci/run, while the file's other suites still run (a throw at collection
 * time would fail the whole file with zero tests).
 */
export function describeWithTools(tools: Tool[], title: string, body: () => void): void {
  let reason: string | undefined;
  try {
    reason = requireTool(...tools);
  } catch (err) {
    const message = (err as Error).message;
    describe(title, () => {
      it('has the tools it needs', () => {
        throw new Error(message);
      });
    });
    return;
  }
  if (reason) describe.skip(`${title} [skipped: ${reason}]`, body);
  else describe(title, body);
}

export interface RunOptions {
  /** Wall-clock limit in ms (default 300 000). The command is killed with its whole namespace after it. */
  timeoutMs?: number;
  /** Bind the directory writable instead of an overlay whose writes are discarded. */
  rw?: boolean;
  /** Working directory relative to `dir` (default: `dir` itself, seen as /work). */
  cwd?: string;
  /** Extra environment inside the controller (it starts from an empty environment). */
  env?: Record<string, string>;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** stdout + stderr, for assertions that do not care which stream a tool used. */
  output: string;
}

/**
 * Runs argv inside the Debian 13 controller with `dir` mounted at /work (cwd), no network, and an
 * overlay so the host directory is never modified. Returns instead of throwing on a non-zero exit.
 */
export function runInController(dir: string, argv: string[], opts: RunOptions = {}): RunResult {
  if (argv.length === 0) throw new Error('runInController: empty argv');
  const timeoutMs = opts.timeoutMs ?? 300_000;
  let command = argv;
  if (opts.env && Object.keys(opts.env).length > 0) {
    command = ['env', ...Object.entries(opts.env).map(([k, v]) => `${k}=${v}`), ...command];
  }
  if (opts.cwd) {
    if (path.isAbsolute(opts.cwd) || opts.cwd.split(/[\\/]/).includes('..')) {
      throw new Error(`runInController: cwd must be relative and inside dir: ${opts.cwd}`);
    }
    command = ['sh', '-c', 'cd "$1" && shift && exec "$@"', 'sh', opts.cwd, ...command];
  }
  const args = [CONTROLLER_SCRIPT, 'run', ...(opts.rw ? ['--rw'] : []), path.resolve(dir), '--', ...command];
  const started = Date.now();
  const r = spawnSync('bash', args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, HOMELAB_CONTROLLER_TIMEOUT: String(Math.max(1, Math.ceil(timeoutMs / 1000))) },
    // The script enforces the limit itself (and cleans up); this is only a backstop if it hangs.
    timeout: timeoutMs + 20_000,
    killSignal: 'SIGTERM',
  });
  const elapsed = Date.now() - started;
  // 124: timeout(1) fired; 137: it had to KILL a command that ignored TERM.
  const backstopFired = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const timedOut = r.status === 124 || (r.status === 137 && elapsed >= timeoutMs) || backstopFired;
  const stdout = r.stdout ?? '';
  let stderr = r.stderr ?? '';
  if (r.error && !timedOut) stderr += `\n[runInController] ${r.error.message}`;
  const code = r.status ?? 128 + (r.signal ? (os.constants.signals[r.signal] ?? 0) : 0);
  return { code, stdout, stderr, timedOut, output: `${stdout}\n${stderr}` };
}
