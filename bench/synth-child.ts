/**
 * One measured synth, run by bench/synth-bench.ts in its own process so peak RSS belongs to one run.
 *
 *   synth-child.ts --kind homelab --services N --outdir DIR     a generated lab (bench/labs.ts)
 *   synth-child.ts --kind cluster --services N --outdir DIR     the same on 3 nodes, placed automatically
 *   synth-child.ts --kind reference --outdir DIR                the reference homelab (main.ts)
 *   synth-child.ts --kind bare --spec FILE --outdir DIR         the bare cdktf app replaying a spec
 *
 * Run as `node --import tsx bench/synth-child.ts` (the tsx path) or `node bin/run.cjs
 * bench/synth-child.ts` (precompiled). Prints one JSON line on stdout:
 * { files, bytes, resources, synthMs, maxRssKiB } — synthMs from building the model to the last
 * file written (the bare app's spec is read before the clock starts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { App } from '../lib/cdktf';
import { listFiles } from '../lib/output';
import { synthesize } from '../integrations/synth';
import buildReference from '../main';
import { BareSpec, buildBareApp, buildClusterBenchLab, buildGeneratedLab, writeBareFiles } from './labs';

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    services: { type: 'string' },
    spec: { type: 'string' },
    outdir: { type: 'string' },
  },
  strict: true,
});
const services = Number(values.services);
const kind = values.kind;
const usage = 'usage: synth-child.ts --kind homelab|cluster --services N | --kind reference | --kind bare --spec FILE; and --outdir DIR';
if (!values.outdir || !(kind === 'reference' || ((kind === 'homelab' || kind === 'cluster') && Number.isInteger(services) && services >= 1) || (kind === 'bare' && values.spec))) {
  throw new Error(usage);
}
const outdir = values.outdir;
const spec = kind === 'bare' ? (JSON.parse(readFileSync(values.spec!, 'utf8')) as BareSpec) : undefined;

const start = performance.now();
if (kind === 'homelab') {
  // The same pipeline `npm run synth` runs (main.ts → synthesize), on a generated model.
  synthesize((app) => void buildGeneratedLab(app, services), { outdir });
} else if (kind === 'cluster') {
  // Three nodes, every service placed automatically (bench/labs.ts, buildClusterBenchLab).
  synthesize((app) => void buildClusterBenchLab(app, services), { outdir });
} else if (kind === 'reference') {
  synthesize(buildReference, { outdir });
} else {
  const app = new App({ outdir, stackTraces: false, skipValidation: true });
  buildBareApp(app, spec!);
  app.synth();
  writeBareFiles(outdir, spec!);
}
const synthMs = performance.now() - start;
const maxRssKiB = process.resourceUsage().maxRSS; // before the counting below reads the files back

const files = listFiles(outdir);
let bytes = 0;
let resources = 0;
for (const f of files) {
  const text = readFileSync(join(outdir, f), 'utf8');
  bytes += Buffer.byteLength(text);
  if (/^stacks\/[^/]+\/cdk\.tf\.json$/.test(f)) {
    for (const byName of Object.values((JSON.parse(text) as { resource?: Record<string, object> }).resource ?? {})) resources += Object.keys(byName).length;
  }
}
process.stdout.write(`${JSON.stringify({ files: files.length, bytes, resources, synthMs, maxRssKiB })}\n`);
