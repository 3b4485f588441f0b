/**
 * What the stand-in answers, independent of gRPC: schema conversion, deprecation warnings, planning
 * with computed attributes unknown, replace-forcing paths, and the deterministic fake apply.
 */
import {
  canonical,
  containsUnknown,
  ctyEqual,
  CtyValue,
  decodeMsgpack,
  encodeMsgpack,
  fakeValue,
  isObject,
  isUnknown,
  Unknown,
} from './cty';
import { REPLACE_RULES } from './replace-rules';
import {
  CtyType,
  impliedBlockType,
  ProviderSchema,
  SchemaAttribute,
  SchemaBlock,
  SchemaWithVersion,
  STANDIN_PROVIDER_SOURCE,
  STANDIN_PROVIDER_VERSION,
} from './schema';

/** Env var that lets ApplyResourceChange fake an apply; without it the stand-in refuses to apply. */
export const FAKE_APPLY_ENV = 'HOMELAB_TF_STANDIN_FAKE_APPLY';

// ---- protocol shapes (as @grpc/proto-loader hands them over with keepCase/enums: String) ----

export interface DynamicValueMsg {
  msgpack?: Buffer | Uint8Array | null;
  json?: Buffer | Uint8Array | null;
}

export type PathStep = { attribute_name: string } | { element_key_int: number } | { element_key_string: string };

export interface DiagnosticMsg {
  severity: 'ERROR' | 'WARNING';
  summary: string;
  detail: string;
  attribute?: { steps: PathStep[] };
}

export interface SchemaMsg {
  version: number;
  block: BlockMsg;
}

interface BlockMsg {
  version: number;
  attributes: AttributeMsg[];
  block_types: NestedBlockMsg[];
  description: string;
  description_kind: 'PLAIN' | 'MARKDOWN';
  deprecated: boolean;
}

interface AttributeMsg {
  name: string;
  type: Buffer;
  nested_type?: { attributes: AttributeMsg[]; nesting: string };
  description: string;
  required: boolean;
  optional: boolean;
  computed: boolean;
  sensitive: boolean;
  description_kind: 'PLAIN' | 'MARKDOWN';
  deprecated: boolean;
  write_only: boolean;
}

interface NestedBlockMsg {
  type_name: string;
  block: BlockMsg;
  nesting: string;
  min_items: number;
  max_items: number;
}

// ---- schema → protocol ----

function kind(k: string | undefined): 'PLAIN' | 'MARKDOWN' {
  return k === 'markdown' ? 'MARKDOWN' : 'PLAIN';
}

function toAttributeMsg(name: string, a: SchemaAttribute): AttributeMsg {
  return {
    name,
    // The JSON schema already holds the cty type JSON the protocol wants; nested attributes carry none.
    type: a.nested_type ? Buffer.alloc(0) : Buffer.from(JSON.stringify(a.type)),
    nested_type: a.nested_type
      ? {
          attributes: Object.entries(a.nested_type.attributes).map(([n, x]) => toAttributeMsg(n, x)),
          nesting: a.nested_type.nesting_mode.toUpperCase(),
        }
      : undefined,
    description: a.description ?? '',
    description_kind: kind(a.description_kind),
    required: a.required ?? false,
    optional: a.optional ?? false,
    computed: a.computed ?? false,
    sensitive: a.sensitive ?? false,
    deprecated: a.deprecated ?? false,
    write_only: a.write_only ?? false,
  };
}

function toBlockMsg(b: SchemaBlock, version: number): BlockMsg {
  return {
    version,
    attributes: Object.entries(b.attributes ?? {}).map(([n, a]) => toAttributeMsg(n, a)),
    block_types: Object.entries(b.block_types ?? {}).map(([n, bt]) => ({
      type_name: n,
      block: toBlockMsg(bt.block, 0),
      nesting: bt.nesting_mode.toUpperCase(),
      min_items: bt.min_items ?? 0,
      max_items: bt.max_items ?? 0,
    })),
    description: b.description ?? '',
    description_kind: kind(b.description_kind),
    deprecated: b.deprecated ?? false,
  };
}

export function toSchemaMsg(s: SchemaWithVersion): SchemaMsg {
  return { version: s.version, block: toBlockMsg(s.block, s.version) };
}

// ---- values ----

export function decodeDynamic(v: DynamicValueMsg | null | undefined): CtyValue {
  if (!v) return null;
  if (v.msgpack && v.msgpack.length > 0) return decodeMsgpack(v.msgpack);
  if (v.json && v.json.length > 0) return JSON.parse(Buffer.from(v.json).toString('utf8')) as CtyValue;
  return null;
}

export function encodeDynamic(value: CtyValue): DynamicValueMsg {
  return { msgpack: Buffer.from(encodeMsgpack(value)) };
}

function steps(path: readonly (string | number)[]): { steps: PathStep[] } {
  return {
    steps: path.map((p) => (typeof p === 'number' ? { element_key_int: p } : { attribute_name: p })),
  };
}

function elements(value: CtyValue | undefined): CtyValue[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.values(value);
  return [];
}

// ---- deprecation warnings ----

/**
 * Warnings for deprecated attributes and blocks that the configuration sets. Terraform core does not
 * warn about these itself; the real provider's SDK does, so the stand-in has to.
 */
export function deprecationWarnings(block: SchemaBlock, config: CtyValue, what: string): DiagnosticMsg[] {
  const out: DiagnosticMsg[] = [];
  if (block.deprecated) {
    out.push({
      severity: 'WARNING',
      summary: `Deprecated ${what}`,
      detail: `${what} is marked deprecated in the ${STANDIN_PROVIDER_SOURCE} ${STANDIN_PROVIDER_VERSION} schema.${
        block.description ? ` Its description: ${JSON.stringify(block.description.trim())}` : ''
      }`,
    });
  }
  walkDeprecated(block, config, [], out);
  return out;
}

function deprecatedDetail(name: string, description: string | undefined): string {
  // The schema file carries only the flag, not the provider's deprecation message; the description
  // is the best hint at what replaces it.
  const about = description ? ` Its description: ${JSON.stringify(description.trim())}` : '';
  return `"${name}" is marked deprecated in the ${STANDIN_PROVIDER_SOURCE} ${STANDIN_PROVIDER_VERSION} schema.${about}`;
}

function walkDeprecated(block: SchemaBlock, value: CtyValue, path: (string | number)[], out: DiagnosticMsg[]): void {
  if (!isObject(value)) return;
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    if (v === null || v === undefined) continue;
    if (attr.deprecated) {
      out.push({
        severity: 'WARNING',
        summary: 'Argument is deprecated',
        detail: deprecatedDetail(name, attr.description),
        attribute: steps([...path, name]),
      });
    }
    if (attr.nested_type) {
      const nested: SchemaBlock = { attributes: attr.nested_type.attributes };
      if (attr.nested_type.nesting_mode === 'single') walkDeprecated(nested, v, [...path, name], out);
      else if (Array.isArray(v)) v.forEach((e, i) => walkDeprecated(nested, e, [...path, name, i], out));
      else for (const e of elements(v)) walkDeprecated(nested, e, [...path, name], out);
    }
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (bt.block.deprecated) {
      out.push({
        severity: 'WARNING',
        summary: 'Block is deprecated',
        detail: deprecatedDetail(name, bt.block.description),
        attribute: steps([...path, name]),
      });
    }
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') walkDeprecated(bt.block, v, [...path, name], out);
    else if (bt.nesting_mode === 'list' && Array.isArray(v)) v.forEach((e, i) => walkDeprecated(bt.block, e, [...path, name, i], out));
    // Set and map elements have no index terraform could point at; the block path is the best we can say.
    else for (const e of elements(v)) walkDeprecated(bt.block, e, [...path, name], out);
  }
}

// ---- planning ----

/**
 * The planned state: what terraform proposes, with every computed attribute that neither the config
 * nor the prior state fills left unknown ("known after apply"), and write-only attributes null (they
 * never reach state).
 */
export function planComputed(block: SchemaBlock, proposed: CtyValue): CtyValue {
  if (!isObject(proposed)) return proposed;
  const out: Record<string, CtyValue> = { ...proposed };
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = out[name] ?? null;
    if (attr.write_only) out[name] = null;
    else if (attr.computed && v === null) out[name] = Unknown.plain;
    else if (attr.nested_type && v !== null && !isUnknown(v)) {
      const nested: SchemaBlock = { attributes: attr.nested_type.attributes };
      out[name] = mapElements(attr.nested_type.nesting_mode, v, (e) => planComputed(nested, e));
    }
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const v = out[name] ?? null;
    if (v === null || isUnknown(v)) continue;
    out[name] = mapElements(bt.nesting_mode, v, (e) => planComputed(bt.block, e));
  }
  return out;
}

function mapElements(mode: string, v: CtyValue, f: (e: CtyValue) => CtyValue): CtyValue {
  if (mode === 'single' || mode === 'group') return f(v);
  if (Array.isArray(v)) return v.map(f);
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, f(e)]));
  return v;
}

function at(value: CtyValue | undefined, key: string | number): CtyValue | undefined {
  if (typeof key === 'number') return Array.isArray(value) ? value[key] : undefined;
  return isObject(value) ? value[key] : undefined;
}

/** Paths (for PlanResourceChange.requires_replace) where the planned value leaves the prior one. */
export function requiresReplace(typeName: string, prior: CtyValue, planned: CtyValue): (string | number)[][] {
  const rules = REPLACE_RULES[typeName] ?? [];
  const found: (string | number)[][] = [];
  for (const rule of rules) collect(rule.split('.'), prior, planned, [], found);
  return found;
}

function collect(
  rest: string[],
  prior: CtyValue | undefined,
  planned: CtyValue | undefined,
  path: (string | number)[],
  found: (string | number)[][],
): void {
  const [head, ...tail] = rest;
  if (head === undefined) {
    const p = prior ?? null;
    const n = planned ?? null;
    // An unknown planned value might differ from the prior one: the SDK treats that as a change.
    if (!ctyEqual(p, n) && !(p === null && n === null)) found.push(path);
    return;
  }
  if (head === '#') {
    if (isUnknown(planned)) {
      found.push(path);
      return;
    }
    const count = (v: CtyValue | undefined) => (Array.isArray(v) ? v.length : v === null || v === undefined ? 0 : 1);
    if (count(prior) !== count(planned)) found.push(path);
    return;
  }
  if (head === '*') {
    const a = Array.isArray(prior) ? prior : [];
    const b = Array.isArray(planned) ? planned : [];
    for (let i = 0; i < Math.min(a.length, b.length); i++) collect(tail, a[i], b[i], [...path, i], found);
    return;
  }
  collect(tail, at(prior, head), at(planned, head), [...path, head], found);
}

// ---- fake apply ----

/** Replaces every unknown in `value` (of cty type `type`) by a deterministic stand-in value. */
export function fillUnknowns(type: CtyType, value: CtyValue, seed: string, attrName: string): CtyValue {
  if (isUnknown(value)) return fakeValue(type, seed, attrName);
  if (value === null || typeof type === 'string') return value;
  const [k, inner] = type;
  if ((k === 'list' || k === 'set') && Array.isArray(value)) {
    return value.map((e, i) => fillUnknowns(inner as CtyType, e, `${seed}[${i}]`, attrName));
  }
  if (k === 'map' && isObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, e]) => [key, fillUnknowns(inner as CtyType, e, `${seed}[${key}]`, attrName)]));
  }
  if (k === 'object' && isObject(value)) {
    const attrs = inner as Record<string, CtyType>;
    return Object.fromEntries(
      Object.entries(value).map(([key, e]) => [key, attrs[key] ? fillUnknowns(attrs[key], e, `${seed}.${key}`, key) : e]),
    );
  }
  return value;
}

// ---- the provider ----

export interface PlanResult {
  planned: CtyValue;
  requiresReplace: (string | number)[][];
  diagnostics: DiagnosticMsg[];
}

export class StandinProvider {
  private readonly resourceTypes = new Map<string, CtyType>();

  constructor(
    readonly schema: ProviderSchema,
    private readonly options: { readonly fakeApply: boolean },
  ) {
    for (const [name, s] of Object.entries(schema.resource_schemas)) this.resourceTypes.set(name, impliedBlockType(s.block));
  }

  getProviderSchema() {
    const mapSchemas = (m: Readonly<Record<string, SchemaWithVersion>>) =>
      Object.fromEntries(Object.entries(m).map(([n, s]) => [n, toSchemaMsg(s)]));
    return {
      provider: toSchemaMsg(this.schema.provider),
      resource_schemas: mapSchemas(this.schema.resource_schemas),
      data_source_schemas: mapSchemas(this.schema.data_source_schemas),
      diagnostics: [],
      server_capabilities: { plan_destroy: false, get_provider_schema_optional: false, move_resource_state: false },
    };
  }

  validateProviderConfig(config: CtyValue): DiagnosticMsg[] {
    return deprecationWarnings({ ...this.schema.provider.block, deprecated: false }, config, 'provider configuration');
  }

  validateResourceConfig(typeName: string, config: CtyValue): DiagnosticMsg[] {
    const s = this.schema.resource_schemas[typeName];
    if (!s) return [unknownType('resource', typeName)];
    return deprecationWarnings(s.block, config, `Resource type ${typeName}`);
  }

  validateDataResourceConfig(typeName: string, config: CtyValue): DiagnosticMsg[] {
    const s = this.schema.data_source_schemas[typeName];
    if (!s) return [unknownType('data source', typeName)];
    return deprecationWarnings(s.block, config, `Data source ${typeName}`);
  }

  planResourceChange(typeName: string, prior: CtyValue, proposed: CtyValue): PlanResult {
    const s = this.schema.resource_schemas[typeName];
    if (!s) return { planned: null, requiresReplace: [], diagnostics: [unknownType('resource', typeName)] };
    // Destroy (proposed null) and wholly unknown config pass through as they are.
    if (proposed === null || isUnknown(proposed)) return { planned: proposed, requiresReplace: [], diagnostics: [] };
    const planned = planComputed(s.block, proposed);
    const replace = prior === null ? [] : requiresReplace(typeName, prior, planned);
    return { planned, requiresReplace: replace, diagnostics: [] };
  }

  applyResourceChange(typeName: string, planned: CtyValue, config: CtyValue): { newState: CtyValue; diagnostics: DiagnosticMsg[] } {
    if (planned === null) return { newState: null, diagnostics: [] };
    if (!this.options.fakeApply) {
      return {
        newState: null,
        diagnostics: [
          {
            severity: 'ERROR',
            summary: 'The bpg/proxmox stand-in does not apply',
            detail:
              'This is the offline stand-in for bpg/proxmox used by `npm run tf:check` and `npm run plan`; it never ' +
              `talks to Proxmox. Use \`npm run plan -- --apply\` to record a fake state (it sets ${FAKE_APPLY_ENV}=1).`,
          },
        ],
      };
    }
    const type = this.resourceTypes.get(typeName);
    if (!type) return { newState: null, diagnostics: [unknownType('resource', typeName)] };
    const seed = `${typeName}:${canonical(config)}`;
    return { newState: fillUnknowns(type, planned, seed, ''), diagnostics: [] };
  }

  readDataSource(typeName: string, config: CtyValue): { state: CtyValue; diagnostics: DiagnosticMsg[] } {
    const s = this.schema.data_source_schemas[typeName];
    if (!s) return { state: null, diagnostics: [unknownType('data source', typeName)] };
    const planned = planComputed(s.block, config);
    const seed = `data.${typeName}:${canonical(config)}`;
    const state = containsUnknown(planned) ? fillUnknowns(impliedBlockType(s.block), planned, seed, '') : planned;
    return { state, diagnostics: [] };
  }
}

function unknownType(what: string, typeName: string): DiagnosticMsg {
  return {
    severity: 'ERROR',
    summary: `Unknown ${what} type`,
    detail: `The stand-in's schema has no ${what} type "${typeName}".`,
  };
}

