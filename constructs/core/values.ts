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

const WEEKDAY = '(mon|tue|wed|thu|fri|sat|sun)[a-z]*';
const WEEKDAYS = new RegExp(`^${WEEKDAY}(\\.\\.${WEEKDAY})?(,${WEEKDAY}(\\.\\.${WEEKDAY})?)*$`, 'i');
const SHORTHANDS = ['minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'annually', 'quarterly', 'semiannually'];

/**
 * When a job runs, as a systemd calendar event (`OnCalendar=`), which Proxmox's backup schedules
 * read too: `Schedule.daily(2, 30)` is '*-*-* 02:30:00'; `Schedule.calendar('Mon..Fri 22:00')` takes
 * any event of the form `[weekdays] [[year-]month-day] [hour:minute[:second]]` or a shorthand
 * (daily, weekly, ...). Each field is `*`, a number, a list `1,15`, a range `1..5` or a step `*\/15`.
 */
export class Schedule {
  /** Every day at hour:minute. */
  static daily(hour: number, minute = 0): Schedule {
    const pad = (n: number) => String(n).padStart(2, '0');
    const within = (n: unknown, max: number) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;
    if (!within(hour, 23) || !within(minute, 59)) {
      // Checked here: padding would turn '' or 7.5 into a calendar event that parses.
      return new Schedule(`*-*-* ${String(hour)}:${String(minute)}:00`, {
        message: `Schedule.daily(${JSON.stringify(hour ?? null)}, ${JSON.stringify(minute ?? null)}) needs a whole hour 0–23 and minute 0–59`,
        fix: 'write it like Schedule.daily(3, 30) for 03:30',
      });
    }
    return Schedule.calendar(`*-*-* ${pad(hour)}:${pad(minute)}:00`);
  }

  static calendar(expression: string): Schedule {
    return new Schedule(expression);
  }

  /** A value given as a Schedule or a string. */
  static from(value: string | Schedule): Schedule {
    return value instanceof Schedule ? value : new Schedule(value);
  }

  readonly problem?: ValueProblem;

  private constructor(readonly expression: string, problem?: ValueProblem) {
    const why = problem ? undefined : calendarProblem(expression);
    if (problem) this.problem = problem;
    else if (why) this.problem = { message: `${JSON.stringify(expression ?? null)} is not a systemd calendar event: ${why}`, fix: "write it like '*-*-* 03:30:00', 'Mon..Fri 22:00' or 'daily', or use Schedule.daily(3, 30)" };
  }

  toString(): string {
    return this.expression;
  }
}

function calendarProblem(text: unknown): string | undefined {
  if (typeof text !== 'string' || text.trim() === '') return 'it is empty';
  if (SHORTHANDS.includes(text.trim().toLowerCase())) return undefined;
  const parts = text.trim().split(/\s+/);
  if (parts.length > 4) return 'it has more parts than [weekdays] [date] [time] [timezone]';
  let i = 0;
  if (WEEKDAYS.test(parts[i]!)) i++;
  const date = parts[i]?.includes('-') ? parts[i++] : undefined;
  const time = parts[i]?.includes(':') ? parts[i++] : undefined;
  if (i < parts.length && !(i === parts.length - 1 && Timezone.of(parts[i]!).problem === undefined)) return `'${parts[i]}' is not a weekday list, a date, a time or a time zone`;
  if (i === 0) return 'it has no weekday, date or time';
  if (date) {
    const fields = date.split('-');
    if (fields.length < 2 || fields.length > 3) return `date '${date}' is not [year-]month-day`;
    const ranges: [number, number][] = fields.length === 3 ? [[1970, 2199], [1, 12], [1, 31]] : [[1, 12], [1, 31]];
    for (const [k, f] of fields.entries()) if (!calendarField(f, ...ranges[k]!)) return `'${f}' in date '${date}' is out of range or malformed`;
  }
  if (time) {
    const fields = time.split(':');
    if (fields.length < 2 || fields.length > 3) return `time '${time}' is not hour:minute[:second]`;
    const ranges: [number, number][] = [[0, 23], [0, 59], [0, 59]];
    for (const [k, f] of fields.entries()) if (!calendarField(f, ...ranges[k]!)) return `'${f}' in time '${time}' is out of range or malformed`;
  }
  return undefined;
}

/** One field: `*`, `n`, `a..b`, `n/step` or `*\/step`, or a comma list of those, within [min, max]. */
function calendarField(field: string, min: number, max: number): boolean {
  const inRange = (s: string) => /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max;
  return field.split(',').every((item) => {
    const [base, step] = item.split('/');
    if (step !== undefined && !/^[1-9]\d*$/.test(step)) return false;
    if (base === '*') return true;
    const [a, b] = base!.split('..');
    return inRange(a!) && (b === undefined || inRange(b));
  });
}

/** An absolute http(s) URL with a host: `Url.of('https://pve.home.example.org:8006/')`. */
export class Url {
  static of(text: string): Url {
    return new Url(text);
  }

  /** A value given as a Url or a string. */
  static from(value: string | Url): Url {
    return value instanceof Url ? value : new Url(value);
  }

  readonly problem?: ValueProblem;

  private constructor(private readonly text: string) {
    if (!isHttpUrl(text)) this.problem = { message: `${JSON.stringify(text ?? null)} is not an http(s) URL`, fix: "give an absolute URL with a host, e.g. 'https://pve.home.example.org:8006/'" };
  }

  toString(): string {
    // A non-string from plain JavaScript must still print (its problem is reported where it is used).
    return typeof this.text === 'string' ? this.text : String(JSON.stringify(this.text) ?? this.text);
  }
}

function isHttpUrl(url: unknown): boolean {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A compose byte size: a number with an optional unit b, k, m, g (kb, mb, gb; 1024-based in Docker). */
export const COMPOSE_SIZE = /^\d+(b|k|kb|m|mb|g|gb)?$/i;

/**
 * An amount of memory or disk in binary units: `Size.mebibytes(128)`, `Size.gibibytes(8)`. Zero is a
 * size (`swap: Size.mebibytes(0)` turns swap off); each prop states its own minimum, which
 * Size.check enforces (memory, disks and volumes need at least 1 of their unit).
 */
export class Size {
  static mebibytes(n: number): Size {
    return Size.whole(n, 1, 'mebibytes');
  }

  static gibibytes(n: number): Size {
    return Size.whole(n, 1024, 'gibibytes');
  }

  /** A compose size string such as '128mb' or '1g', kept as written. */
  static parse(text: string): Size {
    const ok = typeof text === 'string' && COMPOSE_SIZE.test(text);
    return new Size(String(text), ok ? undefined : { message: `${JSON.stringify(text ?? null)} is not a size`, fix: "write a number with a unit, e.g. '128mb' or '1g', or use Size.mebibytes(128)" });
  }

  /** A value given as a Size or a string. */
  static from(value: string | Size): Size {
    return value instanceof Size ? value : Size.parse(value);
  }

  private static whole(n: number, mib: number, unit: string): Size {
    const ok = Number.isInteger(n) && n >= 0;
    return new Size(`${n * mib}m`, ok ? undefined : { message: `size ${JSON.stringify(n ?? null)} ${unit} is not a whole number >= 0`, fix: `give a whole number, e.g. Size.${unit}(${mib === 1 ? 512 : 8})` });
  }

  private constructor(private readonly text: string, readonly problem?: ValueProblem) {}

  /** The compose form: as written for a parsed string, else whole mebibytes ('128m'). */
  toString(): string {
    return this.text;
  }

  /** The size in whole mebibytes, or undefined when it is not a whole number of them (or invalid). */
  get mebibytes(): number | undefined {
    if (this.problem) return undefined;
    const m = /^(\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(this.text);
    if (!m) return undefined;
    const unit = (m[2] ?? 'b').toLowerCase()[0]!;
    const bytes = Number(m[1]) * { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[unit as 'b' | 'k' | 'm' | 'g'];
    return bytes % 1024 ** 2 === 0 ? bytes / 1024 ** 2 : undefined;
  }

  /** The size in whole gibibytes, or undefined when it is not a whole number of them (or invalid). */
  get gibibytes(): number | undefined {
    const mib = this.mebibytes;
    return mib !== undefined && mib % 1024 === 0 ? mib / 1024 : undefined;
  }

  /**
   * Checks a Size-typed prop (`memory`, `disk`, a volume's `size`): a Size, valid, whole in `unit`
   * (Proxmox takes memory in MiB and disks in GiB) and at least `min` of it. Returns the number in
   * that unit, or a problem naming the prop (a plain number from JavaScript included).
   */
  static check(value: unknown, prop: string, unit: 'mebibytes' | 'gibibytes', min = 1): { value: number } | { problem: ValueProblem } {
    const example = unit === 'mebibytes' ? 'Size.mebibytes(1024)' : 'Size.gibibytes(8)';
    if (!(value instanceof Size)) {
      // Echo a bare number only when it would be a valid size of this prop.
      const hint = Number.isInteger(value) && (value as number) >= min ? `Size.${unit}(${value})` : example;
      return { problem: { message: `${prop} must be a Size, got ${JSON.stringify(value ?? null)}`, fix: `write ${prop}: ${hint}` } };
    }
    if (value.problem) return { problem: { message: `${prop}: ${value.problem.message}`, fix: value.problem.fix } };
    const n = value[unit];
    if (n === undefined) return { problem: { message: `${prop} ${value} is not a whole number of ${unit}`, fix: `give it in whole ${unit}, e.g. ${example}` } };
    if (n < min) return { problem: { message: `${prop} is ${n} ${unit}, below the minimum of ${min}`, fix: `give at least Size.${unit}(${min})` } };
    return { value: n };
  }
}
