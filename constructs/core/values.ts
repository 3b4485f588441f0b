import { Address4 } from 'ip-address';

/**
 * Value types whose factories validate: `Timezone.of('Europe/Berlin')`, `Duration.seconds(30)`,
 * `Ipv4Address.of('10.10.0.7')`. As with Port, a factory does not throw: it has no construct path to
 * name. It records `problem`, and the construct that receives the value reports it as
 * `[path] message — fix`, collected with the other errors.
 *
 * Props that took strings before accept both forms (`timezone: 'Europe/Berlin'` or
 * `timezone: Timezone.of('Europe/Berlin')`): a string is parsed by the same factory, so there is one
 * check either way, and no existing lab breaks. New props should take the value type only.
 */
export interface ValueProblem {
  readonly message: string;
  readonly fix: string;
}

/** An IANA time zone, checked against the runtime's tz database (Intl). */
export class Timezone {
  static readonly UTC = new Timezone('Etc/UTC');

  static of(name: string): Timezone {
    return new Timezone(name);
  }

  /** A value given as a Timezone or a string. */
  static from(value: string | Timezone): Timezone {
    return value instanceof Timezone ? value : new Timezone(value);
  }

  readonly problem?: ValueProblem;

  private constructor(readonly name: string) {
    if (!isIanaTimezone(name)) {
      this.problem = { message: `timezone ${JSON.stringify(name ?? null)} is not an IANA time zone`, fix: "use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)" };
    }
  }

  toString(): string {
    return this.name;
  }
}

function isIanaTimezone(tz: unknown): boolean {
  if (typeof tz !== 'string' || tz === '') return false;
  if (tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz)) return true;
  if (!tz.startsWith('Etc/') && !tz.includes('/')) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A compose duration (Go's time.ParseDuration syntax): '30s', '1m30s', '500ms'. */
export const COMPOSE_DURATION = /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/;

/**
 * A span of time, written the way compose and Go read it: `Duration.seconds(30)` is '30s',
 * `Duration.minutes(90)` is '90m'. `Duration.parse('1m30s')` accepts the string form.
 */
export class Duration {
  static millis(n: number): Duration {
    return Duration.ofUnit(n, 'ms');
  }

  static seconds(n: number): Duration {
    return Duration.ofUnit(n, 's');
  }

  static minutes(n: number): Duration {
    return Duration.ofUnit(n, 'm');
  }

  static hours(n: number): Duration {
    return Duration.ofUnit(n, 'h');
  }

  /** A compose/Go duration string such as '30s' or '1m30s'. */
  static parse(text: string): Duration {
    const ok = typeof text === 'string' && COMPOSE_DURATION.test(text);
    return new Duration(String(text), ok ? undefined : { message: `${JSON.stringify(text ?? null)} is not a duration`, fix: "write a number with a unit, e.g. '30s' or '1m30s' (units h, m, s, ms), or use Duration.seconds(30)" });
  }

  /** A value given as a Duration or a string. */
  static from(value: string | Duration): Duration {
    return value instanceof Duration ? value : Duration.parse(value);
  }

  private static ofUnit(n: number, unit: string): Duration {
    const ok = Number.isInteger(n) && n >= 0;
    return new Duration(`${n}${unit}`, ok ? undefined : { message: `duration ${JSON.stringify(n ?? null)}${unit} is not a whole number >= 0`, fix: 'give a whole number of the unit, e.g. Duration.seconds(30)' });
  }

  private constructor(private readonly text: string, readonly problem?: ValueProblem) {}

  /** The compose/Go form, e.g. '1m30s'. */
  toString(): string {
    return this.text;
  }
}

/** An IPv4 host address without a prefix length: `Ipv4Address.of('10.10.0.7')`. */
export class Ipv4Address {
  static of(text: string): Ipv4Address {
    return new Ipv4Address(text);
  }

  /** A value given as an Ipv4Address or a string. */
  static from(value: string | Ipv4Address): Ipv4Address {
    return value instanceof Ipv4Address ? value : new Ipv4Address(value);
  }

  readonly problem?: ValueProblem;

  private constructor(private readonly text: string) {
    const problem = ipv4Problem(text);
    if (problem) this.problem = { message: problem, fix: "give the address alone, e.g. '10.10.0.7' (the network's prefix length is added where needed)" };
  }

  toString(): string {
    return this.text;
  }
}

/** Why `value` is not a plain IPv4 address (no prefix), or undefined. */
export function ipv4Problem(value: unknown): string | undefined {
  if (typeof value !== 'string') return `must be an IPv4 address string, got ${JSON.stringify(value ?? null)}`;
  if (value.includes('/')) return `'${value}' has a prefix length; give the address alone`;
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(value) || !Address4.isValid(value)) return `'${value}' is not an IPv4 address`;
  return undefined;
}
