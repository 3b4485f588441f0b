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
import { conformToBlock, EXISTING_ENV, ExistingObjects } from './existing';
import { applyToHaCluster } from './ha-cluster';
import type { ContainerSpec, Skipped, TwinBackend } from '../twin/spec';
import { CONTAINER_TYPE, containerSpecFromState, describeContainer, TwinMappingError, validateForTwin, vmIdOf } from './twin-mapping';
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

/**
 * Env var selecting twin mode: the path of the twin's `twin.json`. ApplyResourceChange then creates,
 * updates and destroys containers through the twin backend (real LXC containers) and fakes the apply
 * of every other resource type, as FAKE_APPLY_ENV does.
 */
export const TWIN_ENV = 'HOMELAB_TF_STANDIN_TWIN';

/** Env var naming the module that exports `loadTwinBackend` (default: tools/twin/backend). */
export const TWIN_MODULE_ENV = 'HOMELAB_TF_STANDIN_TWIN_MODULE';

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

export interface ApplyResult {
  newState: CtyValue;
  diagnostics: DiagnosticMsg[];
}

/** What ImportResourceState answers: the imported object's state, or why there is none. */
export interface ImportResult {
  readonly state?: CtyValue;
  readonly diagnostics: DiagnosticMsg[];
}

export interface StandinProviderOptions {
  /** Record a fake state on apply (HOMELAB_TF_STANDIN_FAKE_APPLY=1); without it, and without a twin, apply is refused. */
  readonly fakeApply: boolean;
  /**
   * Twin mode (HOMELAB_TF_STANDIN_TWIN): containers are created, updated and destroyed through this
   * backend; every other resource type gets the fake apply, whatever `fakeApply` says.
   */
  readonly twin?: TwinBackend;
  /** Objects that "already exist" for import (HOMELAB_TF_STANDIN_EXISTING); without them, import is refused. */
  readonly existing?: ExistingObjects;
  /** The shared HA file (HOMELAB_TF_STANDIN_HA_CLUSTER, tools/tf-standin/ha-cluster.ts); without it HA rules are not checked. */
  readonly haCluster?: string;
}

export class StandinProvider {
  private readonly resourceTypes = new Map<string, CtyType>();

  constructor(
    readonly schema: ProviderSchema,
    private readonly options: StandinProviderOptions,
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

  /**
   * Create (prior null), update (both set) or destroy (planned null). Terraform splits a replacement
   * into a destroy and a create (or the other way round with create_before_destroy).
   */
  async applyResourceChange(typeName: string, prior: CtyValue, planned: CtyValue, config: CtyValue): Promise<ApplyResult> {
    const twin = this.options.twin;
    if (twin && typeName === CONTAINER_TYPE) return this.applyTwin(twin, prior, planned, config);
    if (this.options.haCluster && (this.options.fakeApply || twin)) {
      const refused = applyToHaCluster(this.options.haCluster, typeName, prior, planned);
      if (refused) return { newState: prior, diagnostics: [{ severity: 'ERROR', summary: `Error creating HA rule: ${refused}`, detail: refused }] };
    }
    if (planned === null) return { newState: null, diagnostics: [] };
    if (!this.options.fakeApply && !twin) {
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
    return this.fakeState(typeName, planned, config);
  }

  /** The fake apply: the planned state with every unknown filled deterministically from the config. */
  private fakeState(typeName: string, planned: CtyValue, config: CtyValue): ApplyResult {
    const type = this.resourceTypes.get(typeName);
    if (!type) return { newState: null, diagnostics: [unknownType('resource', typeName)] };
    const seed = `${typeName}:${canonical(config)}`;
    return { newState: fillUnknowns(type, planned, seed, ''), diagnostics: [] };
  }

  /**
   * A container change carried out by the twin. On any error the prior state is returned, so terraform
   * keeps what it had (nothing for a failed create, the old container for a failed update or destroy)
   * and the next plan proposes the change again. Terraform records the state a failed apply returns
   * as it is, without checking it against the plan.
   */
  private async applyTwin(twin: TwinBackend, prior: CtyValue, planned: CtyValue, config: CtyValue): Promise<ApplyResult> {
    if (planned === null) {
      const vmId = vmIdOf(prior);
      const name = containerName(prior);
      // A container recorded without a known id was never created by anything: nothing to remove.
      if (vmId === undefined) return { newState: null, diagnostics: [] };
      try {
        await twin.destroy(vmId);
      } catch (err) {
        return { newState: prior, diagnostics: [twinFailure('destroy', name, err)] };
      }
      return { newState: null, diagnostics: [] };
    }

    const action = prior === null ? 'create' : 'update';
    let next: ContainerSpec;
    let before: ContainerSpec | undefined;
    try {
      next = containerSpecFromState(planned);
      before = prior === null ? undefined : containerSpecFromState(prior);
    } catch (err) {
      if (!(err instanceof TwinMappingError)) throw err;
      return {
        newState: prior,
        diagnostics: [{ severity: 'ERROR', summary: `twin: cannot ${action} container ${containerName(planned)}: ${err.message}`, detail: err.message }],
      };
    }
    const problems = validateForTwin(next);
    if (problems.length > 0) {
      return {
        newState: prior,
        diagnostics: problems.map((p) => ({
          severity: 'ERROR' as const,
          summary: `twin: Proxmox refuses to ${action} container ${describeContainer(next)}: ${p}`,
          detail:
            `The Proxmox API answers this with "400 Parameter verification failed." (${p}); the twin fails the ` +
            `${action} the same way instead of building a container Proxmox would not.`,
        })),
      };
    }

    let skipped: Skipped[];
    try {
      skipped = before === undefined ? await twin.create(next) : await twin.update(before, next);
    } catch (err) {
      return { newState: prior, diagnostics: [twinFailure(action, describeContainer(next), err)] };
    }
    const applied = this.fakeState(CONTAINER_TYPE, planned, config);
    return { newState: applied.newState, diagnostics: [...applied.diagnostics, ...skipped.map((s) => skippedWarning(next, s))] };
  }

  /**
   * An import: the object recorded under `id` in the existing-objects file, completed to the schema.
   * ReadResource then passes it through, and the plan compares it with the configuration.
   */
  importResourceState(typeName: string, id: string): ImportResult {
    const s = this.schema.resource_schemas[typeName];
    if (!s) return { diagnostics: [unknownType('resource', typeName)] };
    if (!this.options.existing) {
      return {
        diagnostics: [{
          severity: 'ERROR',
          summary: 'Import is not supported by the stand-in',
          detail: `The offline bpg/proxmox stand-in cannot look up ${typeName} in a real Proxmox; give it existing objects (${EXISTING_ENV}) or import with the real provider.`,
        }],
      };
    }
    const found = this.options.existing[typeName]?.[id];
    if (!found) {
      // The real provider's read finds no container and reports the object as gone.
      return { diagnostics: [{ severity: 'ERROR', summary: 'Cannot import non-existent remote object', detail: `No ${typeName} with id "${id}" exists (stand-in: not in ${EXISTING_ENV}).` }] };
    }
    return { state: conformToBlock(s.block, { ...found, id: found.id ?? id.split('/').pop() }), diagnostics: [] };
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

/** `hostname (vm_id N)` as far as the value tells, for diagnostics about a value that may not map. */
function containerName(value: CtyValue): string {
  try {
    return describeContainer(containerSpecFromState(value));
  } catch {
    const init = isObject(value) && Array.isArray(value.initialization) ? value.initialization[0] : undefined;
    const hostname = isObject(init) && typeof init.hostname === 'string' ? init.hostname : '(no hostname)';
    return `${hostname} (vm_id not known)`;
  }
}

function twinFailure(action: string, container: string, err: unknown): DiagnosticMsg {
  const message = err instanceof Error ? err.message : String(err);
  const firstLine = message.split('\n', 1)[0] ?? '';
  return {
    severity: 'ERROR',
    summary: `twin: ${action} of container ${container} failed: ${firstLine}`,
    detail: message,
  };
}

/** Something the twin could not do like Proxmox: a warning, so terraform prints it and the apply goes on. */
function skippedWarning(spec: ContainerSpec, s: Skipped): DiagnosticMsg {
  return {
    severity: 'WARNING',
    summary: `twin: ${s.what} skipped — ${s.why}`,
    detail: `Container ${describeContainer(spec)}: the twin could not do this the way Proxmox does and went on without it.`,
  };
}

function unknownType(what: string, typeName: string): DiagnosticMsg {
  return {
    severity: 'ERROR',
    summary: `Unknown ${what} type`,
    detail: `The stand-in's schema has no ${what} type "${typeName}".`,
  };
}

