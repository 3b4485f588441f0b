import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The package's root folder (the one with package.json): where ansible-templates/ and .gen/ live.
 * Found by walking up from this module rather than a fixed `..`, because the module runs from two
 * places: lib/ through tsx, and .build/lib/ precompiled (bin/run.cjs) — .build/ has no package.json
 * and no copies of the templates, so both resolve to the same, single source of the runtime files.
 */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`homelab-cdk: no package.json above ${from}`);
  }
}
