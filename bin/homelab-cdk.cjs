#!/usr/bin/env node
'use strict';
// The `homelab-cdk` command (package.json "bin"). Labs and the CLI are TypeScript, run through tsx's
// require hook, as `npm run synth` runs main.ts; the commands are in bin/cli.ts.
require('tsx/cjs/api').register();
const { main } = require('./cli.ts');

main(process.argv.slice(2)).then(
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
