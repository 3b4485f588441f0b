/**
 * The only module that imports cdktf.
 *
 * cdktf was archived upstream on 2025-12-10; its drop-in fork `cdktn` keeps the same API. Switching is a
 * change to this file (and regenerating .gen/ with the fork's generator), nothing else.
 */
export { App, Aspects, LocalBackend, TerraformOutput, TerraformStack, TerraformVariable, Token } from 'cdktf';
export type { IAspect, TerraformResource } from 'cdktf';
