/**
 * `npm run bench`: one synth of the reference lab and of generated labs, three ways each:
 *
 *   homelab-cdk via tsx          node --import tsx bench/synth-child.ts   (what npm run synth was)
 *   homelab-cdk precompiled      node bin/run.cjs bench/synth-child.ts    (what npm run synth is)
 *   bare cdktf, precompiled      the same resources and files, from a bare cdktf app (bench/labs.ts)
 *
 * The bare app replays the homelab run's output: every stack's Terraform document (the same
 * resources — types, names, attributes — each through its generated binding in .gen/, as a
 * hand-written cdktf app would) and as many other files of the same sizes: the floor cdktf itself
 * sets for that output. The table shows each row's time against it (× bare),
 * synth milliseconds per service, and below it how that per-service time changes with size
 * (linear time means it stays flat).
 *
 *   npm run bench -- --sizes ref,280,2800 --repeat 3
 *
 * `--cluster-sizes 280` (the default) adds the three-node case: every service placed automatically
 * (anti-affinity pairs, HA on shared storage; bench/labs.ts, buildClusterBenchLab), against a bare
 * app replaying its own output.
 *
 * Each run is its own child process, so "wall" includes Node start-up and module loading as
 * `npm run synth` does, and peak RSS is per run. Both come from `/usr/bin/time -f '%e %M %U %S'`
 * (Debian package `time`) when it exists, else from the child's own clock and
 * `process.resourceUsage().maxRSS`. "cpu" (user + system, time(1) only) is steadier than wall on a
 * busy machine; "synth" is the time inside the child from building the model to the last file
 * written; `--tmp /dev/shm` writes to memory, so a disk shared with other work stops adding to
 * wall and synth times. Runs of one size are interleaved (tsx, precompiled, bare, tsx, ...) so load spikes
 * spread over all three. Output goes to temp dirs that are removed. `--cpu-prof-dir DIR` keeps a V8
 * profile of every run:
 *
 *   npm run bench -- --sizes 2800 --cpu-prof-dir /tmp/prof
 *   node --import tsx bench/profile-summary.ts /tmp/prof/precompiled-2800/*.cpuprofile
 * No assertions: numbers are for people, not for CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PACKAGE_ROOT } from '../lib/package-root';
import { bareSpecOf } from './labs';

const CHILD = join('bench', 'synth-child.ts');
const TIME = '/usr/bin/time';
/** Services of the reference homelab (constructs/homelab.ts: 28 containers). */
const REFERENCE_SERVICES = 28;

export const WAYS = ['tsx', 'precompiled', 'bare'] as const;
export type Way = (typeof WAYS)[number];
const LABEL: Record<Way, string> = { tsx: 'homelab-cdk via tsx', precompiled: 'homelab-cdk precompiled', bare: 'bare cdktf precompiled' };

export interface ChildReport {
  readonly files: number;
  readonly bytes: number;
  readonly resources: number;
  readonly synthMs: number;
  readonly maxRssKiB: number;
}

interface Measurement extends ChildReport {
  readonly wallS: number;
  /** user + system CPU seconds: steadier than wall time on a busy machine. */
  readonly cpuS?: number;
}

/** Services of a three-node lab, every one placed automatically (issue 15's scale case). */
interface ClusterSize {
  readonly cluster: number;
}

/** A size: 'ref' (the reference homelab), a number of generated services, or a three-node lab. */
type Size = 'ref' | number | ClusterSize;

const isCluster = (s: Size): s is ClusterSize => typeof s === 'object';

/** The child's arguments for one size (bare: the spec file instead). */
function childArgs(size: Size, way: Way, outdir: string, specFile?: string): string[] {
  const what = way === 'bare'
    ? ['--kind', 'bare', '--spec', specFile!]
    : size === 'ref' ? ['--kind', 'reference']
      : isCluster(size) ? ['--kind', 'cluster', '--services', String(size.cluster)]
        : ['--kind', 'homelab', '--services', String(size)];
  return [...what, '--outdir', outdir];
}

const sizeName = (s: Size) => (s === 'ref' ? 'ref' : isCluster(s) ? `cluster-${s.cluster}` : String(s));

/** Node's arguments for a way: tsx's loader, or the launcher that runs the precompiled build. */
export function nodeArgs(way: Way, args: readonly string[]): string[] {
  return way === 'tsx' ? ['--import', 'tsx', CHILD, ...args] : [join('bin', 'run.cjs'), CHILD, ...args];
}

/**
 * Runs one child; `keep` leaves its output folder for the caller (who removes it). The precompiled
 * ways run with HOMELAB_CDK_PRECOMPILED unset, the tsx way never touches the build.
 */
export function runChild(way: Way, args: readonly string[], opts: { useTime?: boolean; profDir?: string } = {}): Measurement {
  const prof = opts.profDir ? ['--cpu-prof', '--cpu-prof-dir', opts.profDir] : [];
  const node = [process.execPath, ...prof, ...nodeArgs(way, args)];
  const cmd = opts.useTime ? [TIME, '-f', '%e %M %U %S', ...node] : node;
  const { HOMELAB_CDK_PRECOMPILED: _off, ...env } = process.env;
  const started = process.hrtime.bigint();
  const res = spawnSync(cmd[0]!, cmd.slice(1), { cwd: PACKAGE_ROOT, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
  if (res.error) throw res.error;
  if (res.status !== 0) throw new Error(`${way} synth-child ${args.join(' ')} failed (exit ${res.status}):\n${res.stderr}`);
  const report = JSON.parse(res.stdout.trim().split('\n').pop()!) as ChildReport;
  let wallS = elapsedS;
  let rssKiB = report.maxRssKiB;
  let cpuS: number | undefined;
  if (opts.useTime) {
    // time(1) prints its line last on stderr.
    const m = /(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(res.stderr);
    if (!m) throw new Error(`no '%e %M %U %S' line from ${TIME} in:\n${res.stderr}`);
    wallS = Number(m[1]);
    rssKiB = Number(m[2]);
    cpuS = Number(m[3]) + Number(m[4]);
  }
  return { ...report, wallS, cpuS, maxRssKiB: rssKiB };
}

/**
 * The spec of the bare app for a size: from a homelab synth of that size (precompiled, unmeasured),
 * written to `dir/spec.json`.
 */
export function makeSpec(size: Size, dir: string): string {
  const out = join(dir, 'spec-out');
  runChild('precompiled', childArgs(size, 'precompiled', out));
  const file = join(dir, 'spec.json');
  writeFileSync(file, JSON.stringify(bareSpecOf(out)));
  rmSync(out, { recursive: true, force: true });
  return file;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: 'ref,280,2800' },
      'cluster-sizes': { type: 'string', default: '280' },
      repeat: { type: 'string', default: '1' },
      'cpu-prof-dir': { type: 'string' },
      tmp: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench -- [--sizes ref,280,2800] [--cluster-sizes 280] [--repeat N] [--tmp DIR] [--cpu-prof-dir DIR]\n' +
      '  --cluster-sizes: sizes of the 3-node case, every service placed automatically (\'\' to skip)\n' +
      '  --tmp: where the runs write (default: the OS temp dir); /dev/shm takes a busy disk out of the wall times\n' +
      '  --sizes: ref (the reference homelab) and/or numbers of generated services\n' +
      '  --cpu-prof-dir: write a V8 CPU profile of every run to DIR/<way>-<size>/ (summarize with bench/profile-summary.ts)\n');
    return;
  }
  const sizes: Size[] = values.sizes.split(',').map((s) => (s.trim() === 'ref' ? 'ref' : Number(s.trim().replace(/_/g, ''))));
  const clusterSizes = values['cluster-sizes'].split(',').filter((s) => s.trim() !== '').map((s) => Number(s.trim().replace(/_/g, '')));
  if (clusterSizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--cluster-sizes must be positive integers, got '${values['cluster-sizes']}'`);
  const repeat = Number(values.repeat);
  if (sizes.some((n) => n !== 'ref' && (!Number.isInteger(n) || (n as number) < 1))) throw new Error(`--sizes must be ref or positive integers, got '${values.sizes}'`);
  sizes.push(...clusterSizes.map((cluster) => ({ cluster })));
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);

  const useTime = existsSync(TIME);
  process.stderr.write(`bench: sizes ${sizes.map(sizeName).join(', ')}, repeat ${repeat} (median), ` +
    `measured with ${useTime ? `${TIME} -f '%e %M %U %S'` : 'the child\'s own clock and resourceUsage().maxRSS (install Debian package `time` for /usr/bin/time)'}\n`);

  const rows: Row[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(values.tmp ?? tmpdir(), `homelab-bench-${sizeName(size)}-`));
    try {
      const spec = makeSpec(size, dir);
      const runs: Record<Way, Measurement[]> = { tsx: [], precompiled: [], bare: [] };
      for (let r = 0; r < repeat; r++) {
        for (const way of WAYS) {
          const out = join(dir, `out-${way}`);
          const profDir = values['cpu-prof-dir'] ? join(values['cpu-prof-dir'], `${way}-${sizeName(size)}`) : undefined;
          const m = runChild(way, childArgs(size, way, out, spec), { useTime, profDir });
          rmSync(out, { recursive: true, force: true });
          process.stderr.write(`  ${sizeName(size)} ${way}: run ${r + 1}/${repeat} ${m.wallS.toFixed(2)} s${m.cpuS !== undefined ? ` (cpu ${m.cpuS.toFixed(2)} s)` : ''}, synth ${(m.synthMs / 1000).toFixed(2)} s, ${(m.maxRssKiB / 1024).toFixed(0)} MiB, ${m.files} files\n`);
          runs[way].push(m);
        }
      }
      for (const way of WAYS) rows.push({ size, way, m: medianOf(runs[way]) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  process.stdout.write(table(rows));
  process.stdout.write(linearity(rows));
}

interface Row {
  readonly size: Size;
  readonly way: Way;
  readonly m: Measurement;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function medianOf(runs: readonly Measurement[]): Measurement {
  return {
    ...runs[0]!,
    wallS: median(runs.map((x) => x.wallS)),
    cpuS: runs[0]!.cpuS === undefined ? undefined : median(runs.map((x) => x.cpuS!)),
    synthMs: median(runs.map((x) => x.synthMs)),
    maxRssKiB: median(runs.map((x) => x.maxRssKiB)),
  };
}

const servicesOf = (size: Size) => (size === 'ref' ? REFERENCE_SERVICES : isCluster(size) ? size.cluster : size);

function table(rows: readonly Row[]): string {
  const withCpu = rows.some((r) => r.m.cpuS !== undefined);
  const header = ['services', 'app', 'wall s', ...(withCpu ? ['cpu s'] : []), 'synth s', '× bare wall', ...(withCpu ? ['× bare cpu'] : []), '× bare synth', 'synth ms/service', 'peak RSS MiB', 'files', 'resources', 'MiB written'];
  const body = rows.map((r) => {
    const bare = rows.find((b) => b.size === r.size && b.way === 'bare')!.m;
    return [
      r.size === 'ref' ? `${REFERENCE_SERVICES} (ref)` : isCluster(r.size) ? `${r.size.cluster.toLocaleString('en-US')} (3 nodes, placed)` : r.size.toLocaleString('en-US'),
      LABEL[r.way],
      r.m.wallS.toFixed(2),
      ...(withCpu ? [r.m.cpuS!.toFixed(2)] : []),
      (r.m.synthMs / 1000).toFixed(2),
      (r.m.wallS / bare.wallS).toFixed(2),
      ...(withCpu ? [(r.m.cpuS! / bare.cpuS!).toFixed(2)] : []),
      (r.m.synthMs / bare.synthMs).toFixed(2),
      (r.m.synthMs / servicesOf(r.size)).toFixed(2),
      (r.m.maxRssKiB / 1024).toFixed(0),
      String(r.m.files),
      String(r.m.resources),
      (r.m.bytes / 1024 / 1024).toFixed(2),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |\n`;
  return line(header) + `|${widths.map((w, i) => (i < 2 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|\n` + body.map(line).join('');
}

/**
 * Time per service of each way across the generated sizes, and largest ÷ smallest (×1.00 = linear;
 * below 1 the fixed start-up cost is spread over more services). Synth time is wall time inside
 * the child; CPU time (time(1)) includes start-up but not the waits of a busy disk.
 */
function linearity(rows: readonly Row[]): string {
  const sizes = [...new Set(rows.map((r) => r.size))].filter((s): s is number => typeof s === 'number').sort((a, b) => a - b);
  if (sizes.length < 2) return '';
  const measures: [string, (m: Measurement) => number | undefined][] = [
    ['synth', (m) => m.synthMs],
    ['cpu', (m) => (m.cpuS === undefined ? undefined : m.cpuS * 1000)],
  ];
  const lines: string[] = [];
  for (const [name, pick] of measures) {
    for (const way of WAYS) {
      const per = sizes.map((s) => pick(rows.find((r) => r.size === s && r.way === way)!.m));
      if (per.some((p) => p === undefined)) continue;
      const ms = per.map((p, i) => p! / sizes[i]!);
      lines.push(`  ${name.padEnd(5)} ${LABEL[way].padEnd(24)} ${ms.map((p, i) => `${sizes[i]!.toLocaleString('en-US')}: ${p.toFixed(2)}`).join(', ')} ms/service → ×${(ms[ms.length - 1]! / ms[0]!).toFixed(2)} from ${sizes[0]} to ${sizes[sizes.length - 1]} services\n`);
    }
  }
  return `\nLinearity (time per service; ×1.00 = linear):\n${lines.join('')}`;
}

if (require.main === module) main();
