/**
 * The only module that imports cdktf.
 *
 * cdktf was archived upstream on 2025-12-10; its drop-in fork `cdktn` keeps the same API. Switching is a
 * change to this file (and regenerating .gen/ with the fork's generator), nothing else.
 */
export { App, Aspects, HttpBackend, LocalBackend, PgBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable, Token } from 'cdktf';
export type { IAspect } from 'cdktf';

/*
 * cdktf records a full, source-mapped stack trace for every token and attribute object the generated
 * bindings create, only to decorate resolution errors. On a 2,800-service lab that was half of the
 * synth time and ~140 MiB (npm run bench). Our own errors carry construct paths instead, so traces
 * are off unless HOMELAB_CDK_TOKEN_TRACES=1 asks for them while debugging a token error.
 */
if (process.env.HOMELAB_CDK_TOKEN_TRACES !== '1') {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const traces = require('cdktf/lib/tokens/private/stack-trace') as { captureStackTrace?: unknown };
    if (typeof traces.captureStackTrace === 'function') traces.captureStackTrace = () => [];
  } catch {
    // Another cdktf build (or the cdktn fork) without this module: keep its default behaviour.
  }
}
