/**
 * The provider schema the stand-in serves, read from the JSON that `terraform providers schema -json`
 * prints (the format of `.gen/bpg-proxmox-0.111.1.subset.schema.json` and of the full reference schema).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PACKAGE_ROOT } from '../../lib/package-root';

export const STANDIN_PROVIDER_SOURCE = 'registry.terraform.io/bpg/proxmox';
export const STANDIN_PROVIDER_VERSION = '0.111.1';

/** Repository root (the package root, also when this module runs precompiled from .build/). */
export const REPO_ROOT = PACKAGE_ROOT;

/** The schema served unless HOMELAB_TF_STANDIN_SCHEMA (or a --schema flag) names another file. */
export const DEFAULT_SCHEMA_PATH = path.join(REPO_ROOT, '.gen', `bpg-proxmox-${STANDIN_PROVIDER_VERSION}.subset.schema.json`);

/** Environment variable the plugin and the CLIs read to serve another schema file. */
export const SCHEMA_ENV = 'HOMELAB_TF_STANDIN_SCHEMA';

/** A cty type in its JSON form: "string", ["list","string"], ["object",{...}], ... */
export type CtyType = string | [string, ...unknown[]];

export interface SchemaAttribute {
  readonly type?: CtyType;
  readonly nested_type?: SchemaNestedType;
  readonly description?: string;
  readonly description_kind?: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  readonly deprecated?: boolean;
  readonly write_only?: boolean;
}

export interface SchemaNestedType {
  readonly attributes: Readonly<Record<string, SchemaAttribute>>;
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map';
}

export interface SchemaBlockType {
  readonly nesting_mode: 'single' | 'list' | 'set' | 'map' | 'group';
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface SchemaBlock {
  readonly attributes?: Readonly<Record<string, SchemaAttribute>>;
  readonly block_types?: Readonly<Record<string, SchemaBlockType>>;
  readonly description?: string;
  readonly description_kind?: string;
  readonly deprecated?: boolean;
}

export interface SchemaWithVersion {
  readonly version: number;
  readonly block: SchemaBlock;
}

export interface ProviderSchema {
  readonly provider: SchemaWithVersion;
  readonly resource_schemas: Readonly<Record<string, SchemaWithVersion>>;
  readonly data_source_schemas: Readonly<Record<string, SchemaWithVersion>>;
}

/** Thrown for a schema file the stand-in must not serve; the message says which file and why. */
export class StandinSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StandinSchemaError';
  }
}

/**
 * Reads and checks a schema file. Serving the wrong provider or version would make every check
 * below it meaningless, so anything but bpg/proxmox 0.111.1 is refused. The full reference schema has
 * no `provider_versions` entry; for it the provider address is all that can be checked.
 */
export function loadProviderSchema(file: string): ProviderSchema {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StandinSchemaError(
      `provider schema file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}) — ` +
        `run \`npm run get\` to regenerate .gen/, or point ${SCHEMA_ENV} / --schema at an existing file`,
    );
  }
  let doc: {
    provider_schemas?: Record<string, Partial<ProviderSchema>>;
    provider_versions?: Record<string, string>;
  };
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StandinSchemaError(`provider schema file ${file} is not JSON: ${(err as Error).message}`);
  }
  const schemas = doc.provider_schemas ?? {};
  const entry = schemas[STANDIN_PROVIDER_SOURCE];
  if (!entry || !entry.provider || !entry.resource_schemas) {
    const found = Object.keys(schemas).join(', ') || 'none';
    throw new StandinSchemaError(
      `provider schema file ${file} has no schema for ${STANDIN_PROVIDER_SOURCE} (found: ${found})`,
    );
  }
  const version = doc.provider_versions?.[STANDIN_PROVIDER_SOURCE];
  if (version !== undefined && version !== STANDIN_PROVIDER_VERSION) {
    throw new StandinSchemaError(
      `provider schema file ${file} is for ${STANDIN_PROVIDER_SOURCE} ${version}, but the stand-in serves ` +
        `${STANDIN_PROVIDER_VERSION} (the version lib/provider-meta.ts pins) — regenerate it with \`npm run get\``,
    );
  }
  return {
    provider: entry.provider,
    resource_schemas: entry.resource_schemas,
    data_source_schemas: entry.data_source_schemas ?? {},
  };
}

/** The schema file to serve: explicit choice first, then the environment, then the repo's subset. */
export function resolveSchemaPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = explicit ?? env[SCHEMA_ENV];
  return chosen ? path.resolve(chosen) : DEFAULT_SCHEMA_PATH;
}

/** The cty type of a block's value, as terraform encodes it in DynamicValue. */
export function impliedBlockType(block: SchemaBlock): CtyType {
  const attrs: Record<string, CtyType> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    attrs[name] = attributeType(attr);
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const inner = impliedBlockType(bt.block);
    switch (bt.nesting_mode) {
      case 'single':
      case 'group':
        attrs[name] = inner;
        break;
      case 'list':
        attrs[name] = ['list', inner];
        break;
      case 'set':
        attrs[name] = ['set', inner];
        break;
      case 'map':
        attrs[name] = ['map', inner];
        break;
    }
  }
  return ['object', attrs];
}

export function attributeType(attr: SchemaAttribute): CtyType {
  if (attr.nested_type) {
    const attrs: Record<string, CtyType> = {};
    for (const [name, a] of Object.entries(attr.nested_type.attributes)) attrs[name] = attributeType(a);
    const obj: CtyType = ['object', attrs];
    switch (attr.nested_type.nesting_mode) {
      case 'single':
        return obj;
      case 'list':
        return ['list', obj];
      case 'set':
        return ['set', obj];
      case 'map':
        return ['map', obj];
    }
  }
  if (attr.type === undefined) throw new StandinSchemaError('attribute without type or nested_type in schema');
  return attr.type;
}
