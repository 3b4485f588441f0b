/**
 * The twin's host side: the sysctls and id ranges unprivileged LXC needs, the network namespace with
 * the lab's bridges, the apt repository server inside it, and a teardown that undoes all of it —
 * also from a fresh process after a crash, because every change is journaled in <root>/host-state.json
 * before it is made.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exec } from './exec';
import { spawn } from 'node:child_process';

/** Raised for the run, restored after (values measured as needed in ../shared/TESTING.md). */
export const TWIN_SYSCTLS: Readonly<Record<string, string>> = {
  // The default 128 breaks systemd in ~6 of 28 containers (all share host uid 100000).
  'fs.inotify.max_user_instances': '8192',
  // The default key quota (200) makes `docker run` fail with "disk quota exceeded" after ~66 containers.
  'kernel.keys.maxkeys': '2000',
  'kernel.keys.maxbytes': '2000000',
};

const SUBID_LINE = 'root:100000:65536';

export interface HostState {
  netns?: string;
  /** sysctl name → value before the twin changed it. */
  sysctls: Record<string, string>;
  /** /etc/subuid, /etc/subgid lines the twin appended (removed at teardown). */
  subids: string[];
  /** PIDs of processes the twin started (stopped by PID at teardown). */
  pids: { pid: number; what: string }[];
  /** lxcpaths whose containers must be stopped and cgroups removed. */
  lxcPaths: string[];
}

export class TwinHost {
  readonly stateFile: string;
  private state: HostState;

  constructor(
    readonly root: string,
    readonly inNetns: string,
  ) {
    this.stateFile = path.join(root, 'host-state.json');
    this.state = fs.existsSync(this.stateFile)
      ? (JSON.parse(fs.readFileSync(this.stateFile, 'utf8')) as HostState)
      : { sysctls: {}, subids: [], pids: [], lxcPaths: [] };
  }

  /** Whether an earlier run left something behind (teardown first). */
  get dirty(): boolean {
    const s = this.state;
    return !!s.netns || Object.keys(s.sysctls).length > 0 || s.subids.length > 0 || s.pids.length > 0 || s.lxcPaths.length > 0;
  }

  private save(): void {
    fs.mkdirSync(this.root, { recursive: true });
    fs.writeFileSync(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`);
  }

  async raiseSysctls(): Promise<void> {
    for (const [key, value] of Object.entries(TWIN_SYSCTLS)) {
      const file = `/proc/sys/${key.replace(/\./g, '/')}`;
      const before = fs.readFileSync(file, 'utf8').trim();
      if (Number(before) >= Number(value)) continue;
      if (!(key in this.state.sysctls)) this.state.sysctls[key] = before;
      this.save();
      fs.writeFileSync(file, value);
    }
  }

  addSubIds(): void {
    for (const f of ['/etc/subuid', '/etc/subgid']) {
      const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '';
      if (text.split('\n').includes(SUBID_LINE)) continue;
      // A file the twin creates is removed at teardown; an existing one gets its old text back.
      this.state.subids.push(fs.existsSync(f) ? f : `${f}#created`);
      this.save();
      fs.appendFileSync(f, `${text && !text.endsWith('\n') ? '\n' : ''}${SUBID_LINE}\n`);
    }
  }

  /** The namespace with one bridge per lab bridge; the first gets the gateway address (the twin's "router"). */
  async createNetns(netns: string, bridges: readonly { name: string; address: string }[]): Promise<void> {
    const existing = await exec('ip', ['netns', 'list'], { allowFailure: true });
    if (existing.stdout.split('\n').some((l) => l.split(' ')[0] === netns)) {
      throw new Error(`network namespace ${netns} exists already: a twin is running or was not torn down (npm run twin -- --teardown)`);
    }
    this.state.netns = netns;
    this.save();
    await exec('ip', ['netns', 'add', netns]);
    await exec('ip', ['-n', netns, 'link', 'set', 'lo', 'up']);
    for (const b of bridges) {
      await exec('ip', ['-n', netns, 'link', 'add', b.name, 'type', 'bridge']);
      await exec('ip', ['-n', netns, 'addr', 'add', b.address, 'dev', b.name]);
      await exec('ip', ['-n', netns, 'link', 'set', b.name, 'up']);
    }
  }

  registerLxcPath(lxcPath: string): void {
    if (!this.state.lxcPaths.includes(lxcPath)) this.state.lxcPaths.push(lxcPath);
    this.save();
  }

  /** Starts a long-running process inside the namespace; its PID is journaled for teardown. */
  startInNetns(what: string, args: readonly string[], logFile: string): number {
    if (!this.state.netns) throw new Error('the twin namespace does not exist yet');
    const out = fs.openSync(logFile, 'a');
    const child = spawn('ip', ['netns', 'exec', this.state.netns, ...args], { stdio: ['ignore', out, out], detached: true });
    fs.closeSync(out);
    if (!child.pid) throw new Error(`cannot start ${what}`);
    child.unref();
    this.state.pids.push({ pid: child.pid, what });
    this.save();
    return child.pid;
  }

  /** Undoes everything journaled, in reverse order; collects errors instead of stopping at the first. */
  async teardown(): Promise<string[]> {
    const errors: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void> | void) => {
      try {
        await fn();
      } catch (err) {
        errors.push(`${what}: ${(err as Error).message}`);
      }
    };
    const netns = this.state.netns;
    for (const lxcPath of [...this.state.lxcPaths].reverse()) {
      if (!netns || !fs.existsSync(lxcPath)) continue;
      for (const name of fs.readdirSync(lxcPath).sort()) {
        if (!fs.existsSync(path.join(lxcPath, name, 'config'))) continue;
        await attempt(`stop container ${name}`, async () => {
          await exec(this.inNetns, [netns, 'lxc-stop', '-P', lxcPath, '-n', name, '-k'], { allowFailure: true, timeoutMs: 60_000 });
        });
      }
    }
    for (const p of [...this.state.pids].reverse()) {
      await attempt(`stop ${p.what} (pid ${p.pid})`, () => killPid(p.pid));
    }
    this.state.pids = [];
    if (netns) {
      await attempt(`delete namespace ${netns}`, async () => {
        const r = await exec('ip', ['netns', 'pids', netns], { allowFailure: true });
        for (const pid of r.stdout.split('\n').filter(Boolean)) await killPid(Number(pid));
        await exec('ip', ['netns', 'del', netns], { allowFailure: true });
      });
      this.state.netns = undefined;
    }
    await attempt('remove leftover LXC cgroups', () => removeLxcCgroups());
    for (const lxcPath of this.state.lxcPaths) {
      await attempt(`remove ${lxcPath}`, () => fs.rmSync(lxcPath, { recursive: true, force: true }));
    }
    this.state.lxcPaths = [];
    for (const [key, before] of Object.entries(this.state.sysctls)) {
      await attempt(`restore ${key}`, () => fs.writeFileSync(`/proc/sys/${key.replace(/\./g, '/')}`, before));
    }
    this.state.sysctls = {};
    for (const entry of this.state.subids) {
      const [f, created] = entry.split('#') as [string, string | undefined];
      await attempt(`restore ${f}`, () => {
        if (!fs.existsSync(f)) return;
        const lines = fs.readFileSync(f, 'utf8').split('\n');
        const i = lines.lastIndexOf(SUBID_LINE);
        if (i >= 0) lines.splice(i, 1);
        const text = lines.join('\n');
        if (created && text.trim() === '') fs.rmSync(f);
        else fs.writeFileSync(f, text);
      });
    }
    this.state.subids = [];
    this.save();
    if (errors.length === 0) fs.rmSync(this.stateFile, { force: true });
    return errors;
  }
}

/** SIGTERM, then SIGKILL after 5 s; quiet when the process is already gone. */
export async function killPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 50 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, 'SIGKILL');
}

/** LXC leaves lxc.pivot / lxc.monitor.* / lxc.payload.* cgroups after a kill; remove the empty ones. */
function removeLxcCgroups(): void {
  const base = '/sys/fs/cgroup';
  if (!fs.existsSync(base)) return;
  const visit = (dir: string, depth: number) => {
    if (depth > 6) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = path.join(dir, e.name);
      visit(p, depth + 1);
      if (/^lxc\.(pivot|monitor\.|payload\.)/.test(e.name)) {
        try {
          fs.rmdirSync(p);
        } catch {
          /* busy or not empty: leave it */
        }
      }
    }
  };
  visit(base, 0);
}
