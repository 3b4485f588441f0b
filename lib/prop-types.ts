import { IConstruct } from 'constructs';
import { addCheck, fail } from './problems';

/**
 * Run-time prop types for plain JavaScript (and JSON-fed labs), where the compiler checks nothing:
 * a construct states the shape of its props once, and a wrong type ends as `[path] message — fix`
 * before any code trips over it with a TypeError. Values are checked only when present
 * (`undefined` is left to the defaults and to `requireProps`); `null` is a wrong type.
 */
export type PropType =
  | 'string'
  | 'number'
  | 'boolean'
  | 'object'
  | 'string[]'
  | 'number[]'
  | 'object[]'
  | { readonly is: (v: unknown) => boolean; readonly expected: string };

/** A prop that is an instance of one of the classes (a construct, a value type). */
export function instanceOf(expected: string, ...classes: readonly { readonly prototype: object }[]): PropType {
  // Through the prototype: value types have private constructors, which `instanceof` typing refuses.
  return { is: (v) => typeof v === 'object' && v !== null && classes.some((c) => Object.prototype.isPrototypeOf.call(c.prototype, v)), expected };
}

/** A prop that is one of a few literal values (a union type only TypeScript checks otherwise). */
export function oneOf(...values: readonly (string | number | boolean)[]): PropType {
  return { is: (v) => values.includes(v as string), expected: `one of ${values.map((x) => JSON.stringify(x)).join(', ')}` };
}

/** A string that is not empty (a name, a user, a source). */
export const nonEmptyString: PropType = { is: (v) => typeof v === 'string' && v.trim() !== '', expected: 'a non-empty string' };

/** An absolute path without `..` (a directory on a host or in a container). */
export const absolutePath: PropType = {
  is: (v) => typeof v === 'string' && v.startsWith('/') && !v.split('/').includes('..'),
  expected: "an absolute path like '/opt/app'",
};

/** A prop that is either of two types (e.g. a string or a value type). */
export function either(a: PropType, b: PropType): PropType {
  return { is: (v) => matches(a, v) || matches(b, v), expected: `${describe(a)} or ${describe(b)}` };
}

/** A plain object (not null, not an array). */
export const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list whose every item passes `is` (`expected` says what the list holds, for the message). */
export function listOf(expected: string, is: (v: unknown) => boolean): PropType {
  return { expected, is: (v) => Array.isArray(v) && v.every(is) };
}

function matches(t: PropType, v: unknown): boolean {
  switch (t) {
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number';
    case 'boolean': return typeof v === 'boolean';
    case 'object': return isObject(v);
    case 'string[]': return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case 'number[]': return Array.isArray(v) && v.every((x) => typeof x === 'number');
    case 'object[]': return Array.isArray(v) && v.every(isObject);
    default: return t.is(v);
  }
}

function describe(t: PropType): string {
  switch (t) {
    case 'string': return 'a string';
    case 'number': return 'a number';
    case 'boolean': return 'true or false';
    case 'object': return 'an object';
    case 'string[]': return 'a list of strings';
    case 'number[]': return 'a list of numbers';
    case 'object[]': return 'a list of objects';
    default: return t.expected;
  }
}

/** The value as a user would write it: JSON where it can be, else its type. */
export function shown(v: unknown): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) !== Object.prototype) return `a ${v.constructor?.name ?? 'object'}`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

/**
 * Checks the props' types and reports every prop of a wrong type at once: `[path] tags must be a
 * list of strings, got 42; hostname must be a string, got 0 — ...`. `what` names the props in the
 * message ('container'). Optional props of a wrong type are collected as a problem and dropped from
 * the returned props, so the construct goes on with its defaults and the synth still reports every
 * other mistake; a wrong required prop (`opts.required`), or any with `opts.collect: false`, fails at once.
 */
export function checkPropTypes<P extends object>(
  scope: IConstruct,
  what: string,
  props: P,
  types: Readonly<Record<string, PropType>>,
  opts: { readonly required?: readonly string[]; readonly collect?: boolean } = {},
): P {
  if (props === undefined) return props;
  if (!isObject(props)) fail(scope, `the ${what} props must be an object, got ${shown(props)}`, `pass { ${Object.keys(types).slice(0, 3).join(', ')}, ... }`);
  const given = props as Record<string, unknown>;
  const wrongKeys = Object.entries(types).filter(([k, t]) => given[k] !== undefined && !matches(t, given[k])).map(([k]) => k);
  if (!wrongKeys.length) return props;
  const parts = wrongKeys.map((k) => `${k} must be ${describe(types[k]!)}, got ${shown(given[k])}`);
  const message = `${what} ${parts.join('; ')}`;
  const fix = `give ${parts.length === 1 ? 'it' : 'each'} the type the ${what} documents, or leave ${parts.length === 1 ? 'it' : 'them'} out for the default${parts.length === 1 ? '' : 's'} (homelab-cdk check type-checks the lab file)`;
  if (opts.collect === false || wrongKeys.some((k) => opts.required?.includes(k))) fail(scope, message, fix);
  addCheck(scope, () => [{ message, fix }]);
  const kept = { ...given };
  for (const k of wrongKeys) delete kept[k];
  return kept as P;
}
