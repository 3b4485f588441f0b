/**
 * cty values as terraform sends them in `DynamicValue.msgpack`, decoded into plain JS values.
 *
 * Known values map onto JSON-like values (objects, arrays, strings, numbers, booleans, null). An unknown
 * value is msgpack extension type 0; terraform 1.11 may send a *refined* unknown (extension 0x0C carrying
 * what is known about the value, e.g. "not null"). Both decode to {@link Unknown}, which keeps its raw
 * extension so that an unknown we pass through goes back with its refinements intact.
 */
import { createHash } from 'node:crypto';
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import type { CtyType } from './schema';

const EXT_UNKNOWN = 0;
const EXT_REFINED_UNKNOWN = 0x0c;

export class Unknown {
  /** A plain unknown, for the values the stand-in itself leaves to "known after apply". */
  static readonly plain = new Unknown(EXT_UNKNOWN, new Uint8Array([0]));

  constructor(
    readonly extType: number,
    readonly data: Uint8Array,
  ) {}
}

export type CtyValue = null | string | number | bigint | boolean | Unknown | CtyValue[] | { [key: string]: CtyValue };

const codec = new ExtensionCodec();
for (const extType of [EXT_UNKNOWN, EXT_REFINED_UNKNOWN]) {
  codec.register({
    type: extType,
    encode: (value: unknown) => (value instanceof Unknown && value.extType === extType ? value.data : null),
    decode: (data: Uint8Array) => new Unknown(extType, data.slice()),
  });
}

/** `useBigInt64` keeps 64-bit integers (rare, but legal in cty numbers) exact through a round trip. */
export function decodeMsgpack(bytes: Uint8Array): CtyValue {
  if (bytes.length === 0) return null;
  return decode(bytes, { extensionCodec: codec, useBigInt64: true }) as CtyValue;
}

export function encodeMsgpack(value: CtyValue): Uint8Array {
  return encode(value, { extensionCodec: codec, useBigInt64: true });
}

export function isUnknown(value: unknown): value is Unknown {
  return value instanceof Unknown;
}

export function isObject(value: CtyValue | undefined): value is { [key: string]: CtyValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

/** True when the value or anything inside it is unknown. */
export function containsUnknown(value: CtyValue): boolean {
  if (value instanceof Unknown) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Structural equality; an unknown equals nothing, not even another unknown (cty semantics). */
export function ctyEqual(a: CtyValue | undefined, b: CtyValue | undefined): boolean {
  if (a instanceof Unknown || b instanceof Unknown) return false;
  if (a === undefined || b === undefined) return a === b;
  if (a === null || b === null) return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => ctyEqual(v, b[i]));
  }
  if (isObject(a) || isObject(b)) {
    if (!isObject(a) || !isObject(b)) return false;
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!ctyEqual(a[k] ?? null, b[k] ?? null)) return false;
    return true;
  }
  // Numbers may come back as int or bigint depending on their msgpack width.
  if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
    if (typeof a === 'number' && typeof b === 'number') return a === b;
    const integral = Number.isInteger(Number(a)) && Number.isInteger(Number(b));
    return integral ? BigInt(a) === BigInt(b) : Number(a) === Number(b);
  }
  return a === b;
}

/** Stable text for hashing: sorted keys, unknowns as a marker. */
export function canonical(value: CtyValue): string {
  if (value instanceof Unknown) return '"<unknown>"';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`;
  }
  if (typeof value === 'bigint') return value.toString();
  return JSON.stringify(value);
}

export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12);
}

/**
 * A deterministic known value of the given type, standing in for what the real provider would read
 * back from Proxmox after creating the resource. Same seed, same value: a fake apply repeated on the
 * same config records the same state, and so the plan after it is stable.
 */
export function fakeValue(type: CtyType, seed: string, attrName: string): CtyValue {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return attrName === 'id' ? `standin-${shortHash(seed)}` : `standin-${attrName}-${shortHash(seed)}`;
      case 'number':
        // Proxmox guest ids live in 100..999999999; a value in the same shape keeps any follow-up sane.
        return 100000 + (parseInt(shortHash(seed).slice(0, 8), 16) % 800000);
      case 'bool':
        return false;
      default:
        // "dynamic": no type to fill in; null is the only value valid for any type.
        return null;
    }
  }
  const [kind, inner] = type;
  switch (kind) {
    case 'list':
    case 'set':
      return [];
    case 'map':
      return {};
    case 'object': {
      const out: Record<string, CtyValue> = {};
      for (const [name, t] of Object.entries(inner as Record<string, CtyType>)) out[name] = fakeValue(t, `${seed}.${name}`, name);
      return out;
    }
    case 'tuple':
      return (inner as CtyType[]).map((t, i) => fakeValue(t, `${seed}[${i}]`, attrName));
    default:
      return null;
  }
}
