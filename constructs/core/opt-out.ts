/**
 * Turns a safe default of the Lab off (the firewall, the backup job). It takes a stated reason,
 * which synth prints in a warning with a stable id, so switching protection off is never silent.
 * `firewall: OptOut.because('an upstream firewall filters this VLAN; see docs/network.md')`.
 */
export interface OptOut {
  readonly optOut: true;
  /** Why the default does not fit this lab; printed with the warning. */
  readonly reason: string;
}

export const OptOut = {
  because(reason: string): OptOut {
    return { optOut: true, reason };
  },
};

/** Whether a setting is an opt-out (also a plain `{ optOut: true, reason }` from JavaScript). */
export function isOptOut(x: unknown): x is OptOut {
  return typeof x === 'object' && x !== null && (x as { optOut?: unknown }).optOut === true;
}
