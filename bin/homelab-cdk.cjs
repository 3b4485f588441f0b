#!/usr/bin/env node
'use strict';
// The `homelab-cdk` command (package.json "bin"); the commands are in bin/cli.ts.
//
// Precompiled (bin/precompile.cjs, as `npm run synth` runs) when the lab file is part of the build —
// main.ts, examples/ — so the CLI and the lab share one compiled copy of the library. A lab kept
// elsewhere imports the package's .ts sources, so then the CLI runs from source through tsx's
// require hook too: two copies of the library in one process would break its instanceof checks.
const { compiledPath, ensureBuild, isCompiledSource } = require('./precompile.cjs');

/** The --app value of the command line (default main.ts), or undefined when the command takes no app. */
function appOf(args) {
  if (!['synth', 'check', 'list', 'graph', 'diff'].includes(args[0])) return undefined;
  let app = 'main.ts';
  for (let i = 1; i < args.length; i++) {
    if (args[i] === '--app' && i + 1 < args.length) app = args[i + 1];
    else if (args[i].startsWith('--app=')) app = args[i].slice('--app='.length);
  }
  return app;
}

const args = process.argv.slice(2);
const app = appOf(args);
const precompiled = process.env.HOMELAB_CDK_PRECOMPILED !== '0' && app !== undefined && isCompiledSource(app) && ensureBuild().ok;
if (process.env.HOMELAB_CDK_LAUNCH_TRACE === '1') process.stderr.write(`launch: ${precompiled ? 'precompiled' : 'tsx'}\n`);
let cli;
if (precompiled) {
  cli = require(compiledPath('bin/cli.ts'));
} else {
  require('tsx/cjs/api').register();
  cli = require('./cli.ts');
}

cli.main(args).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // main() reports every error itself (exit 1, 2 or 70); this is the last resort, same wording.
    const verbose = process.argv.includes('--verbose') || !['', '0', 'false', undefined].includes(process.env.HOMELAB_CDK_VERBOSE);
    const line = String((e && e.message) || e).split('\n')[0];
    process.stderr.write(`homelab-cdk: internal error — please report: ${line}\n${verbose && e && e.stack ? e.stack : 'Run again with --verbose for the stack trace.'}\n`);
    process.exitCode = 70;
  },
);
