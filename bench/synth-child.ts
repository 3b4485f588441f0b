/**
 * One measured synth, run by bench/synth-bench.ts in its own process so peak RSS belongs to one run.
 * Usage: node --import tsx bench/synth-child.ts --kind homelab|cluster|bare --services N --outdir DIR
 * Prints one JSON line on stdout: { files, synthMs, maxRssKiB }.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { App } from '../lib/cdktf';
import { listFiles } from '../lib/output';
import { synthesize } from '../integrations/synth';
import { buildBareApp, buildClusterBenchLab, buildGeneratedLab } from './labs';

const { values } = parseArgs({
  options: {
    kind: { type: 'string' },
    services: { type: 'string' },
    outdir: { type: 'string' },
  },
  strict: true,
});
const services = Number(values.services);
if (!Number.isInteger(services) || services < 1 || !values.outdir || !['homelab', 'cluster', 'bare'].includes(values.kind ?? '')) {
  throw new Error('usage: synth-child.ts --kind homelab|cluster|bare --services N --outdir DIR');
}
const outdir = values.outdir;

const start = performance.now();
if (values.kind === 'homelab') {
  // The same pipeline `npm run synth` runs (main.ts → synthesize), on a generated model.
  synthesize((app) => void buildGeneratedLab(app, services), { outdir });
} else if (values.kind === 'cluster') {
  // Three nodes, every service placed automatically (bench/labs.ts, buildClusterBenchLab).
  synthesize((app) => void buildClusterBenchLab(app, services), { outdir });
} else {
  const app = new App({ outdir, stackTraces: false, skipValidation: true });
  buildBareApp(app, services);
  app.synth();
}
const synthMs = performance.now() - start;
process.stdout.write(`${JSON.stringify({ files: listFiles(outdir).length, synthMs, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
