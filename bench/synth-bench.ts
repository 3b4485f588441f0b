/**
 * `npm run bench`: wall time, peak RSS and files written of one synth of generated labs, next to a
 * bare cdktf app emitting the same number of container L1s (the floor cdktf itself sets).
 *
 *   npm run bench -- --sizes 28,280,2800 --repeat 3
 *
 * `--cluster-sizes 280` (the default) adds the three-node case: every service placed automatically
 * (anti-affinity pairs, HA on shared storage; bench/labs.ts, buildClusterBenchLab).
 *
 * Each run is its own child process (`node --import tsx bench/synth-child.ts`), so "wall" includes
 * Node + tsx start-up like `npm run synth` does, and peak RSS is per run. Both come from
 * `/usr/bin/time -f '%e %M %U %S'` (Debian package `time`) when it exists, else from the child's own
 * clock and `process.resourceUsage().maxRSS`. "cpu" (user + system, time(1) only) is the figure to
 * compare on a busy machine; "synth" is the time inside the child from building the model to the
 * last file written (wall minus Node/tsx start-up and module loading). Output goes to temp dirs that
 * are removed after each run. `--cpu-prof-dir DIR` keeps a V8 profile of every run.
 *
 *   npm run bench -- --sizes 2800 --cpu-prof-dir /tmp/prof
 *   node --import tsx bench/profile-summary.ts /tmp/prof/homelab-2800/*.0.001.cpuprofile
 *   (the *.1.002 profile of each run is tsx's loader thread)
 * No assertions: numbers are for people, not for CI.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = resolve(__dirname, '..');
const CHILD = join(__dirname, 'synth-child.ts');
const TIME = '/usr/bin/time';

type Kind = 'homelab' | 'cluster' | 'bare';

interface Measurement {
  readonly wallS: number;
  /** user + system CPU seconds: steadier than wall time on a busy machine. */
  readonly cpuS?: number;
  readonly synthS: number;
  readonly rssMiB: number;
  readonly files: number;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      sizes: { type: 'string', default: '28,280,2800' },
      'cluster-sizes': { type: 'string', default: '280' },
      repeat: { type: 'string', default: '1' },
      'cpu-prof-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: npm run bench -- [--sizes 28,280,2800] [--cluster-sizes 280] [--repeat N] [--cpu-prof-dir DIR]\n' +
      '  --cluster-sizes: sizes of the 3-node case, every service placed automatically (\'\' to skip)\n' +
      '  --cpu-prof-dir: write a V8 CPU profile of every run to DIR/<app>-<services>/ (summarize with bench/profile-summary.ts)\n');
    return;
  }
  const sizes = values.sizes.split(',').filter((s) => s.trim() !== '').map((s) => Number(s.trim().replace(/_/g, '')));
  const clusterSizes = values['cluster-sizes'].split(',').filter((s) => s.trim() !== '').map((s) => Number(s.trim().replace(/_/g, '')));
  if (clusterSizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--cluster-sizes must be positive integers, got '${values['cluster-sizes']}'`);
  const repeat = Number(values.repeat);
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--sizes must be positive integers, got '${values.sizes}'`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got '${values.repeat}'`);

  const useTime = existsSync(TIME);
  process.stderr.write(`bench: sizes ${sizes.join(', ')}, 3-node cluster sizes ${clusterSizes.join(', ') || 'none'}, repeat ${repeat} (median), ` +
    `measured with ${useTime ? `${TIME} -f '%e %M %U %S'` : 'the child\'s own clock and resourceUsage().maxRSS (install Debian package `time` for /usr/bin/time)'}\n`);

  const rows: { services: number; kind: Kind; m: Measurement }[] = [];
  const cases: [number, Kind][] = [
    ...sizes.flatMap((n) => [[n, 'homelab'], [n, 'bare']] as [number, Kind][]),
    ...clusterSizes.map((n) => [n, 'cluster'] as [number, Kind]),
  ];
  for (const [services, only] of cases) {
    for (const kind of [only]) {
      const runs: Measurement[] = [];
      for (let r = 0; r < repeat; r++) {
        const profDir = values['cpu-prof-dir'] ? resolve(values['cpu-prof-dir'], `${kind}-${services}`) : undefined;
        const m = runOnce(kind, services, useTime, profDir);
        process.stderr.write(`  ${kind} ${services}: run ${r + 1}/${repeat} ${m.wallS.toFixed(2)} s${m.cpuS !== undefined ? ` (cpu ${m.cpuS.toFixed(2)} s)` : ''}, ${m.rssMiB.toFixed(0)} MiB, ${m.files} files\n`);
        runs.push(m);
      }
      rows.push({
        services,
        kind,
        m: {
          wallS: median(runs.map((x) => x.wallS)),
          cpuS: useTime ? median(runs.map((x) => x.cpuS!)) : undefined,
          synthS: median(runs.map((x) => x.synthS)),
          rssMiB: median(runs.map((x) => x.rssMiB)),
          files: runs[0]!.files,
        },
      });
    }
  }
  process.stdout.write(table(rows));
}

function runOnce(kind: Kind, services: number, useTime: boolean, profDir?: string): Measurement {
  const dir = mkdtempSync(join(tmpdir(), `homelab-bench-${kind}-${services}-`));
  try {
    // synthesize() stages next to outdir: keep both inside the temp dir.
    const outdir = join(dir, 'out');
    const prof = profDir ? ['--cpu-prof', '--cpu-prof-dir', profDir] : [];
    const node = [process.execPath, ...prof, '--import', 'tsx', CHILD, '--kind', kind, '--services', String(services), '--outdir', outdir];
    const cmd = useTime ? [TIME, '-f', '%e %M %U %S', ...node] : node;
    const started = process.hrtime.bigint();
    const res = spawnSync(cmd[0]!, cmd.slice(1), { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const elapsedS = Number(process.hrtime.bigint() - started) / 1e9;
    if (res.error) throw res.error;
    if (res.status !== 0) throw new Error(`${kind} synth of ${services} services failed (exit ${res.status}):\n${res.stderr}`);
    const report = JSON.parse(res.stdout.trim().split('\n').pop()!) as { files: number; synthMs: number; maxRssKiB: number };
    let wallS = elapsedS;
    let rssKiB = report.maxRssKiB;
    let cpuS: number | undefined;
    if (useTime) {
      // time(1) prints its line last on stderr.
      const m = /(\d+(?:\.\d+)?) (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*$/.exec(res.stderr);
      if (!m) throw new Error(`no '%e %M %U %S' line from ${TIME} in:\n${res.stderr}`);
      wallS = Number(m[1]);
      rssKiB = Number(m[2]);
      cpuS = Number(m[3]) + Number(m[4]);
    }
    return { wallS, cpuS, synthS: report.synthMs / 1000, rssMiB: rssKiB / 1024, files: report.files };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function table(rows: readonly { services: number; kind: Kind; m: Measurement }[]): string {
  const withCpu = rows.some((r) => r.m.cpuS !== undefined);
  const header = ['services', 'app', 'wall s', ...(withCpu ? ['cpu s'] : []), 'synth s', 'peak RSS MiB', 'files written'];
  const body = rows.map((r) => [
    r.services.toLocaleString('en-US'),
    r.kind === 'homelab' ? 'homelab-cdk' : r.kind === 'cluster' ? 'homelab-cdk, 3 nodes, placed' : 'bare cdktf',
    r.m.wallS.toFixed(2),
    ...(withCpu ? [r.m.cpuS!.toFixed(2)] : []),
    r.m.synthS.toFixed(2),
    r.m.rssMiB.toFixed(0),
    String(r.m.files),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |\n`;
  return line(header) + `|${widths.map((w, i) => (i < 2 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|')}|\n` + body.map(line).join('');
}

main();
