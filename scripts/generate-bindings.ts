/**
 * Regenerates the committed bpg/proxmox L1 bindings offline.
 *
 *   npm run get -- [path/to/bpg-proxmox.schema.json]
 *
 * The Terraform registry is unreachable from where this project is built, so `cdktf get` cannot
 * download the provider. Instead we feed `terraform providers schema -json` output straight to the
 * cdktf provider generator, keep only the resources the constructs use, and commit both the
 * bindings and the subset schema they were generated from (it records the provider interface the
 * code was built against and lets the schema check run on any clone).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CodeMaker, TerraformProviderGenerator } from '@cdktf/provider-generator';
import { PROVIDER_SOURCE, PROVIDER_VERSION, USED_RESOURCES } from '../lib/provider-meta';

const { positionals } = parseArgs({ allowPositionals: true });
const root = resolve(__dirname, '..');
const schemaPath = resolve(positionals[0] ?? join(root, '..', 'shared', 'reference', `bpg-proxmox-${PROVIDER_VERSION}.schema.json`));
const outDir = join(root, '.gen');
const subsetPath = join(outDir, `bpg-proxmox-${PROVIDER_VERSION}.subset.schema.json`);

function fail(message: string): never {
  process.stderr.write(`get: ${message}\n`);
  process.exit(1);
}

if (!existsSync(schemaPath)) fail(`schema file not found: ${schemaPath} — pass the output of 'terraform providers schema -json' as the first argument`);
const full = JSON.parse(readFileSync(schemaPath, 'utf8'));
const provider = full.provider_schemas?.[PROVIDER_SOURCE];
if (!provider) fail(`${schemaPath} has no provider_schemas["${PROVIDER_SOURCE}"]`);

const missing = USED_RESOURCES.filter((r) => !provider.resource_schemas?.[r]);
if (missing.length) fail(`resources missing from the schema: ${missing.join(', ')}`);

const resourceSchemas: Record<string, unknown> = {};
for (const r of [...USED_RESOURCES].sort()) resourceSchemas[r] = provider.resource_schemas[r];
const subset = {
  format_version: full.format_version,
  provider_schemas: {
    [PROVIDER_SOURCE]: { provider: provider.provider, resource_schemas: resourceSchemas, data_source_schemas: {} },
  },
  // Pins required_providers to the exact version the bindings were built from.
  provider_versions: { [PROVIDER_SOURCE]: PROVIDER_VERSION },
};

async function main(): Promise<void> {
  rmSync(join(outDir, 'providers'), { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const code = new CodeMaker();
  const generator = new TerraformProviderGenerator(code, subset as never);
  generator.generateAll();
  await code.save(outDir);
  writeFileSync(subsetPath, JSON.stringify(subset, null, 2) + '\n');
  process.stdout.write(`get: generated ${USED_RESOURCES.length} resources of ${PROVIDER_SOURCE} ${PROVIDER_VERSION} into .gen/providers/proxmox\n`);
}

main().catch((e) => fail(String(e?.stack ?? e)));
