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
    process.stderr.write(`homelab-cdk: internal error: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 70;
  },
);
