/**
 * Network namespaces for the VPN tests, confined to a private mount namespace.
 *
 * A helper process (`unshare --mount ... sleep`) owns a mount namespace with a fresh tmpfs on /run:
 * the namespaces' /run/netns entries, wireguard-go's control sockets (/run/wireguard/<if>.sock) and
 * anything else a tool puts in /run stay invisible to the machine and to other test files. Files the
 * tests bind over (/etc/hosts, /etc/wireguard) are private too. Every command enters that mount
 * namespace with nsenter and, optionally, a network namespace with `ip netns exec`.
 *
 * Only namespaces created here are touched; cleanup kills exactly the processes inside them (by
 * pid, from `ip netns pids`) and then the helper, whose exit drops every mount. Commands are bounded
 * by timeouts; stand-in servers exit by themselves after 10 minutes.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isCI } from '../support/controller';

export const PROBE = path.join(__dirname, 'probe.cjs');

export interface ShResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProbeResult {
  ok: boolean;
  reply?: string;
  error?: string;
}

/** Why namespace tests cannot run here (undefined when they can); throws under CI. */
export function namespaceSkipReason(tools: readonly string[]): string | undefined {
  let reason: string | undefined;
  if (process.platform !== 'linux') reason = 'network namespaces need Linux';
  else if (process.getuid?.() !== 0) reason = 'network namespaces and nftables need root';
  else {
    const missing = tools.filter((t) => spawnSync('bash', ['-c', `PATH="$PATH:/usr/sbin:/sbin" command -v ${t}`]).status !== 0);
    if (missing.length) reason = `missing tools: ${missing.join(', ')} (apt-get install wireguard-tools wireguard-go nftables iproute2)`;
  }
  if (reason && isCI()) throw new Error(`CI=true but the namespace tests cannot run: ${reason}`);
  return reason;
}

export class NetnsLab {
  readonly dir: string;
  /** A directory first on PATH inside the lab (tool stand-ins such as resolvconf). */
  readonly binDir: string;
  private helper?: ChildProcess;
  private readonly namespaces: string[] = [];
  private readonly started: ChildProcess[] = [];

  constructor(prefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
    this.binDir = path.join(this.dir, 'bin');
    fs.mkdirSync(this.binDir);
  }

  /** Starts the private mount namespace (a tmpfs on /run inside it). */
  async start(): Promise<void> {
    const self = fs.readlinkSync('/proc/self/ns/mnt');
    // The helper outlives nothing: it exits after 15 minutes even if cleanup never runs.
    this.helper = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'sleep', '900'], { stdio: 'ignore' });
    const pid = this.helper.pid;
    if (!pid) throw new Error('could not start unshare');
    for (let i = 0; i < 200; i++) {
      try {
        if (fs.readlinkSync(`/proc/${pid}/ns/mnt`) !== self && fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'sleep') break;
      } catch {
        // not there yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    this.must('mount -t tmpfs -o mode=0755 homelab-test-run /run && mkdir -p /run/netns /run/wireguard');
  }

  private get mountNs(): string {
    if (!this.helper?.pid) throw new Error('NetnsLab not started');
    return `/proc/${this.helper.pid}/ns/mnt`;
  }

  private argv(script: string, ns?: string): string[] {
    return ['nsenter', `--mount=${this.mountNs}`, '--', ...(ns ? ['ip', 'netns', 'exec', ns] : []), 'bash', '-c', script];
  }

  private env(): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${this.binDir}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin` };
    // wireguard-go keeps stdout/stderr open when LOG_LEVEL is set, which would hang spawnSync.
    delete env.LOG_LEVEL;
    return env;
  }

  /** Runs a bash script in the lab (optionally inside network namespace `ns`). */
  sh(script: string, opts: { ns?: string; timeoutMs?: number } = {}): ShResult {
    const [cmd, ...rest] = this.argv(script, opts.ns);
    const r = spawnSync(cmd!, rest, { encoding: 'utf8', timeout: opts.timeoutMs ?? 20_000, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status ?? (r.error ? 127 : 137), stdout: r.stdout ?? '', stderr: (r.stderr ?? '') + (r.error ? `\n${r.error.message}` : '') };
  }

  /** Like sh, but throws with the output when the script fails. */
  must(script: string, opts: { ns?: string; timeoutMs?: number } = {}): string {
    const r = this.sh(script, opts);
    if (r.code !== 0) throw new Error(`command failed (${r.code})${opts.ns ? ` in ${opts.ns}` : ''}: ${script}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  }

  addNamespace(name: string): void {
    this.must(`ip netns add ${name} && ip -n ${name} link set lo up`);
    this.namespaces.push(name);
  }

  /** Starts a long-running process in `ns` and waits until it prints `readyLine`. */
  async background(ns: string, command: string, readyLine = 'ready', timeoutMs = 10_000): Promise<ChildProcess> {
    const [cmd, ...rest] = this.argv(`exec ${command}`, ns);
    const child = spawn(cmd!, rest, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    this.started.push(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${command} in ${ns} did not print '${readyLine}' within ${timeoutMs} ms:\n${out}`)), timeoutMs);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.split('\n').includes(readyLine)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`${command} in ${ns} exited with ${code}:\n${out}`));
      });
    });
    child.removeAllListeners('exit');
    return child;
  }

  /** Starts probe.cjs stand-in servers in `ns` (see probe.cjs for the specs). */
  serve(ns: string, ...specs: string[]): Promise<ChildProcess> {
    return this.background(ns, `${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} serve ${specs.join(' ')}`);
  }

  /** Runs probe.cjs in `ns`. */
  probe(ns: string, ...args: string[]): ProbeResult {
    const r = this.sh(`${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} ${args.join(' ')}`, { ns, timeoutMs: 10_000 });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    try {
      return JSON.parse(line) as ProbeResult;
    } catch {
      return { ok: false, error: `probe failed (${r.code}): ${r.stdout} ${r.stderr}`.trim() };
    }
  }

  /** Runs several probes at once (they are independent; failures cost a timeout each). */
  async probeAll(probes: Record<string, [ns: string, ...args: string[]]>): Promise<Record<string, ProbeResult>> {
    const entries = await Promise.all(
      Object.entries(probes).map(async ([name, [ns, ...args]]) => {
        const [cmd, ...rest] = this.argv(`exec ${JSON.stringify(process.execPath)} ${JSON.stringify(PROBE)} ${args.join(' ')}`, ns);
        const child = spawn(cmd!, rest, { env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await new Promise<void>((resolve) => child.on('close', () => resolve()));
        clearTimeout(timer);
        let result: ProbeResult;
        try {
          result = JSON.parse(out.trim().split('\n').pop() ?? '') as ProbeResult;
        } catch {
          result = { ok: false, error: `probe failed: ${out}` };
        }
        return [name, result] as const;
      }),
    );
    return Object.fromEntries(entries);
  }

  /** PIDs of the processes inside `ns` whose command name is `comm`. */
  pidsOf(ns: string, comm: string): number[] {
    const pids = this.sh(`ip netns pids ${ns}`).stdout.split(/\s+/).filter(Boolean).map(Number);
    return pids.filter((p) => {
      try {
        return fs.readFileSync(`/proc/${p}/comm`, 'utf8').trim() === comm;
      } catch {
        return false;
      }
    });
  }

  /** Kills everything started here and removes the namespaces; safe to call twice. */
  cleanup(): void {
    for (const c of this.started) {
      if (c.exitCode === null && c.pid) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
    if (this.helper?.pid && this.helper.exitCode === null) {
      for (const ns of this.namespaces) {
        const pids = this.sh(`ip netns pids ${ns}`, { timeoutMs: 5000 }).stdout.split(/\s+/).filter(Boolean).map(Number);
        for (const p of pids) {
          try {
            process.kill(p, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        this.sh(`ip netns del ${ns}`, { timeoutMs: 5000 });
      }
      try {
        process.kill(this.helper.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.namespaces.length = 0;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `wg genkey` / `wg pubkey` on the test machine (no network involved). */
export function wgKeyPair(): { privateKey: string; publicKey: string } {
  const priv = spawnSync('wg', ['genkey'], { encoding: 'utf8' });
  if (priv.status !== 0) throw new Error(`wg genkey failed: ${priv.stderr}`);
  const privateKey = priv.stdout.trim();
  const pub = spawnSync('wg', ['pubkey'], { input: privateKey + '\n', encoding: 'utf8' });
  if (pub.status !== 0) throw new Error(`wg pubkey failed: ${pub.stderr}`);
  return { privateKey, publicKey: pub.stdout.trim() };
}

/**
 * Renders the `{{ name }}` placeholders of a generated Jinja template the way Ansible would with
 * these variables, and refuses anything else (a loop or filter would mean the test no longer
 * exercises the file as generated).
 */
export function renderJinjaVars(template: string, vars: Record<string, string>): string {
  const out = template.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (m, name: string) => {
    if (!(name in vars)) throw new Error(`no test value for the Jinja variable ${name}`);
    return vars[name]!;
  });
  if (/\{\{|\{%|\{#/.test(out)) throw new Error(`the template has Jinja beyond plain variables:\n${out}`);
  return out;
}
