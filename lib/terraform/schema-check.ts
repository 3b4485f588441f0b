import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root';
import { PROVIDER_SOURCE, PROVIDER_VERSION } from '../provider-meta';

/** `terraform providers schema -json` shapes, the parts we read. */
interface SchemaAttribute {
  readonly type?: unknown;
  readonly nested_type?: unknown;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly deprecated?: boolean;
}
interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, { nesting_mode: string; block: SchemaBlock; min_items?: number; max_items?: number }>;
}
export interface ProviderSchema {
  readonly provider: { block: SchemaBlock };
  readonly resource_schemas: Record<string, { block: SchemaBlock }>;
}

export interface SchemaFinding {
  readonly severity: 'error' | 'warning';
  /** `resource.<type>.<name>.<attr path>` */
  readonly address: string;
  readonly message: string;
}

const META_ARGUMENTS = new Set(['//', 'count', 'for_each', 'depends_on', 'lifecycle', 'provider', 'provisioner', 'connection']);

/** The committed subset schema the L1 bindings were generated from. */
export function loadProviderSchema(path = join(PACKAGE_ROOT, '.gen', `bpg-proxmox-${PROVIDER_VERSION}.subset.schema.json`)): ProviderSchema {
  const doc = JSON.parse(readFileSync(path, 'utf8'));
  const schema = doc.provider_schemas?.[PROVIDER_SOURCE];
  if (!schema) throw new Error(`${path} has no schema for ${PROVIDER_SOURCE}`);
  return schema as ProviderSchema;
}

const isExpression = (v: unknown) => typeof v === 'string' && v.includes('${');

/** Does a JSON value fit a cty type (as in the schema JSON)? Expressions fit anything. */
function fitsType(value: unknown, type: unknown): boolean {
  if (isExpression(value)) return true;
  if (type === 'string') return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
  if (type === 'number') return typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value));
  if (type === 'bool') return typeof value === 'boolean' || value === 'true' || value === 'false';
  if (type === 'dynamic') return true;
  if (Array.isArray(type)) {
    const [kind, inner] = type as [string, unknown];
    if (kind === 'list' || kind === 'set') return Array.isArray(value) && value.every((v) => fitsType(v, inner));
    if (kind === 'map') return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => fitsType(v, inner));
    if (kind === 'object') {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
      const fields = inner as Record<string, unknown>;
      return Object.entries(value).every(([k, v]) => k in fields && fitsType(v, fields[k]));
    }
  }
  return false;
}

function checkBlock(body: Record<string, unknown>, block: SchemaBlock, address: string, out: SchemaFinding[], topLevel: boolean): void {
  const attrs = block.attributes ?? {};
  const blocks = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (topLevel && META_ARGUMENTS.has(key)) continue;
    const here = `${address}.${key}`;
    const attr = attrs[key];
    if (attr) {
      if (attr.computed && !attr.optional && !attr.required) out.push({ severity: 'error', address: here, message: 'is read-only (computed by the provider) and must not be set' });
      else if (attr.type !== undefined && !fitsType(value, attr.type)) out.push({ severity: 'error', address: here, message: `has the wrong type: expected ${JSON.stringify(attr.type)}, got ${JSON.stringify(value)}` });
      if (attr.deprecated) out.push({ severity: 'warning', address: here, message: 'is deprecated by the provider' });
      continue;
    }
    const nested = blocks[key];
    if (!nested) {
      out.push({ severity: 'error', address: here, message: 'is not an argument or block of this resource' });
      continue;
    }
    if (isExpression(value)) continue;
    const items = Array.isArray(value) ? value : [value];
    if (!Array.isArray(value) && nested.nesting_mode !== 'single' && nested.max_items !== 1) {
      out.push({ severity: 'error', address: here, message: `is a ${nested.nesting_mode} block and must be a list` });
    }
    if (nested.max_items !== undefined && items.length > nested.max_items) out.push({ severity: 'error', address: here, message: `has ${items.length} blocks, at most ${nested.max_items} allowed` });
    if (nested.min_items !== undefined && items.length < nested.min_items) out.push({ severity: 'error', address: here, message: `has ${items.length} blocks, at least ${nested.min_items} required` });
    items.forEach((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) {
        out.push({ severity: 'error', address: `${here}[${i}]`, message: 'must be an object' });
        return;
      }
      checkBlock(item as Record<string, unknown>, nested.block, Array.isArray(value) ? `${here}[${i}]` : here, out, false);
    });
  }
  for (const [name, attr] of Object.entries(attrs)) {
    if (attr.required && !(name in body)) out.push({ severity: 'error', address: `${address}.${name}`, message: 'is required but missing' });
  }
  for (const [name, nested] of Object.entries(blocks)) {
    if ((nested.min_items ?? 0) > 0 && !(name in body)) out.push({ severity: 'error', address: `${address}.${name}`, message: `block is required (at least ${nested.min_items})` });
  }
}

/**
 * Checks a synthesized cdk.tf.json against the provider schema: every resource type exists, every
 * argument and block exists with the right type and shape, required ones are present, and nothing
 * read-only is set. It is our reading of the schema; `npm run tf:check` asks real Terraform too.
 */
export function checkTerraformJson(doc: Record<string, unknown>, schema: ProviderSchema): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  const providers = (doc.provider as Record<string, unknown[]> | undefined)?.proxmox ?? [];
  providers.forEach((p, i) => checkBlock(p as Record<string, unknown>, schema.provider.block, `provider.proxmox[${i}]`, out, true));
  const resources = (doc.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const type of Object.keys(resources).sort()) {
    const rs = schema.resource_schemas[type];
    for (const name of Object.keys(resources[type]!).sort()) {
      const address = `resource.${type}.${name}`;
      if (!rs) {
        out.push({ severity: 'error', address, message: `resource type ${type} does not exist in ${PROVIDER_SOURCE} ${PROVIDER_VERSION}` });
        continue;
      }
      checkBlock(resources[type]![name]!, rs.block, address, out, true);
    }
  }
  return out;
}
