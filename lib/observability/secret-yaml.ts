import { toYaml } from '../yaml';

/**
 * A value that only exists on the Ansible controller: a Jinja expression over vault variables
 * (`vault_pve_exporter_token`, or `['alertmanager:' ~ vault_x]`). In a config object it stands where
 * the secret goes; `secretYaml` writes the file as a Jinja template that Ansible renders at deploy
 * time, so synth-out never holds a secret value.
 */
export class VaultRef {
  constructor(readonly expression: string) {
    if (!expression.trim() || expression.includes('}}') || expression.includes('{{')) {
      throw new Error(`VaultRef expression '${expression}' must be a bare Jinja expression (no braces)`);
    }
  }
}

/**
 * Fold width of the generated config files: long PromQL and prose become folded scalars, so the
 * files pass yamllint's (and ansible-lint's) line-length of 160.
 */
export const CONFIG_YAML_WIDTH = 120;

const SENTINEL = (i: number) => `HOMELAB_VAULT_REF_${i}_END`;

/**
 * Serializes `value` with the one YAML writer, then turns every VaultRef into
 * `{{ <expression> | to_json }}`: JSON is valid YAML, so a rendered string is quoted correctly and a
 * rendered list stays a list, whatever characters the secret holds ($ in bcrypt hashes, quotes).
 */
export function secretYaml(value: unknown, opts: { header?: string } = {}): string {
  const refs: VaultRef[] = [];
  const replace = (v: unknown): unknown => {
    if (v instanceof VaultRef) {
      refs.push(v);
      return SENTINEL(refs.length - 1);
    }
    if (Array.isArray(v)) return v.map(replace);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replace(x)]));
    return v;
  };
  const text = toYaml(replace(value), { lineWidth: CONFIG_YAML_WIDTH, ...opts });
  if (/\{\{|\{%|\{#/.test(text)) {
    throw new Error('a config rendered by Ansible must not contain Jinja markers besides its vault references');
  }
  return refs.reduce((t, ref, i) => {
    if (!t.includes(SENTINEL(i))) throw new Error(`vault reference ${ref.expression} was quoted by the YAML writer`);
    return t.replace(SENTINEL(i), `{{ ${ref.expression} | to_json }}`);
  }, text);
}
