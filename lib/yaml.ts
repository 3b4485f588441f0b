import * as yaml from 'js-yaml';

/**
 * The one YAML writer for every structured output file.
 *
 * js-yaml's compat mode quotes strings YAML 1.1 would read as something else ('yes', 'on', '0644',
 * '1e3', '~'), which is what Ansible's PyYAML needs. Keys keep insertion order on purpose: Ansible
 * readers (and ansible-lint's key-order rule) expect `name` first in a task; determinism comes from
 * building objects in a deterministic order (see sortedRecord).
 */
export function toYaml(value: unknown, opts: { documentStart?: boolean; header?: string; lineWidth?: number } = {}): string {
  const body = yaml.dump(value, {
    noRefs: true,
    // -1 never folds. Files with long prose or PromQL (alert rules) pass a width so that yamllint's
    // line-length holds: long strings are then written as folded scalars (same value when read).
    lineWidth: opts.lineWidth ?? -1,
    noCompatMode: false,
    quotingType: "'",
    sortKeys: false,
  });
  const header = opts.header ? opts.header.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n' : '';
  return `${opts.documentStart === false ? '' : '---\n'}${header}${body}`;
}

/** A copy of a record with its keys in sorted order: for maps whose order carries no meaning. */
export function sortedRecord<T>(record: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(record).sort()) out[k] = record[k] as T;
  return out;
}
