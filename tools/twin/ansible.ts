/** Running the generated playbooks from the Debian 13 controller inside the twin, and reading their recap. */
import * as path from 'node:path';
import { exec, ExecResult } from './exec';

export interface HostRecap {
  readonly ok: number;
  readonly changed: number;
  readonly unreachable: number;
  readonly failed: number;
  readonly skipped: number;
}

/** Per-host counts of the PLAY RECAP of ansible's default callback. */
export function parseRecap(output: string): Map<string, HostRecap> {
  const recap = new Map<string, HostRecap>();
  const start = output.lastIndexOf('PLAY RECAP');
  if (start < 0) return recap;
  const re = /^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/gm;
  for (const m of output.slice(start).matchAll(re)) {
    recap.set(m[1]!, { ok: +m[2]!, changed: +m[3]!, unreachable: +m[4]!, failed: +m[5]!, skipped: +m[6]! });
  }
  return recap;
}

/** `host → [task names]` that reported changed (the default callback's `changed: [host]` lines). */
export function changedTasks(output: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let task = '';
  for (const line of output.split('\n')) {
    const t = /^(?:TASK|RUNNING HANDLER) \[(.+)\] \*+/.exec(line);
    if (t) {
      task = t[1]!;
      continue;
    }
    const c = /^changed: \[([^\]]+?)(?: -> [^\]]+)?\]/.exec(line);
    if (c) {
      const list = out.get(c[1]!) ?? [];
      if (!list.includes(task)) list.push(task);
      out.set(c[1]!, list);
    }
  }
  return out;
}

export interface ControllerOptions {
  readonly repoRoot: string;
  readonly netns: string;
  /** The twin's copy of synth-out/ansible: mounted at /work in the controller. */
  readonly projectDir: string;
  readonly timeoutS: number;
  readonly onOutput?: (chunk: string) => void;
}

/**
 * Runs a command in the controller with the project at /work, in the twin's namespace. The project is
 * the twin's own copy, mounted read-write: what a run leaves on the controller (the WireGuard client
 * configs the server role fetches) must still be there for the next run, as in a user's checkout.
 */
export function runInController(opts: ControllerOptions, argv: readonly string[], env: Record<string, string> = {}): Promise<ExecResult> {
  const script = path.join(opts.repoRoot, 'scripts', 'trixie-controller.sh');
  const envArgs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return exec('bash', [script, 'run', '--rw', opts.projectDir, '--', 'env', ...envArgs, ...argv], {
    env: { ...process.env, HOMELAB_CONTROLLER_NETNS: opts.netns, HOMELAB_CONTROLLER_TIMEOUT: String(opts.timeoutS) },
    allowFailure: true,
    onOutput: opts.onOutput,
  });
}
