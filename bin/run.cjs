#!/usr/bin/env node
'use strict';
/**
 * Runs a TypeScript entry point of this package, precompiled when possible:
 *
 *   node bin/run.cjs main.ts [args...]      (`npm run synth`, cdktf.json's "app", `npm run bench`)
 *
 * Brings .build/ up to date (bin/precompile.cjs: a stat per source when nothing changed, a
 * transpile of the changed files otherwise) and runs the entry's compiled twin as the main module,
 * so `require.main === module` holds in it as under `node --import tsx main.ts`. Falls back to tsx
 * (the same entry from source) when the build cannot be brought up to date — a syntax error, an
 * unwritable .build/ — or HOMELAB_CDK_PRECOMPILED=0 asks for it. Output is the same either way.
 *
 * HOMELAB_CDK_LAUNCH_TRACE=1 prints which path ran on stderr ("launch: precompiled ..." or
 * "launch: tsx (...)"): for tests and for debugging, never on by default (cdktf shows stderr as ERROR).
 */
const Module = require('node:module');
const path = require('node:path');
const { compiledPath, ensureBuild, isCompiledSource } = require('./precompile.cjs');

const [entry] = process.argv.slice(2);
if (!entry) {
  process.stderr.write('usage: node bin/run.cjs <entry.ts> [args...]\n');
  process.exit(2);
}

function trace(line) {
  if (process.env.HOMELAB_CDK_LAUNCH_TRACE === '1') process.stderr.write(`launch: ${line}\n`);
}

/** Why the precompiled path is not taken, or undefined when it is. */
function whyNotPrecompiled() {
  if (process.env.HOMELAB_CDK_PRECOMPILED === '0') return 'HOMELAB_CDK_PRECOMPILED=0';
  if (!isCompiledSource(entry)) return `${entry} is not part of the build`;
  const build = ensureBuild();
  return build.ok ? undefined : `build not up to date: ${build.reason}`;
}

const reason = whyNotPrecompiled();
let main = path.resolve(entry);
if (reason === undefined) {
  main = compiledPath(entry);
  trace(`precompiled ${path.relative(process.cwd(), main)}`);
} else {
  trace(`tsx (${reason})`);
  // tsx's CommonJS hook: the package is CommonJS, and tsx's ESM loader would add a worker thread.
  require('tsx/cjs/api').register();
}
// The entry sees the argv it would see when run directly: [node, entry, ...args].
process.argv.splice(1, 2, main);
Module.runMain();
