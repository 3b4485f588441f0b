/**
 * "Existing objects" for the stand-in's import: what a real Proxmox would hand the provider when
 * `terraform plan` meets an `import` block (README, "Adopting a running lab").
 *
 * The file named by HOMELAB_TF_STANDIN_EXISTING holds, per resource type, the objects by import id,
 * each in the shape of its state (attribute names as in `terraform show -json`):
 *   { "proxmox_virtual_environment_container": { "pve/105": { "vm_id": 105, "node_name": "pve", ... } } }
 * Attributes left out are filled in as the schema says (null, or no blocks), as a provider's read
 * leaves what Proxmox did not report. An id that is not in the file fails the import the way the
 * real provider does when the container is not there.
 */
import * as fs from 'node:fs';
import type { CtyValue } from './cty';
import type { SchemaBlock } from './schema';

/** Env var with the path of the existing-objects file; without it, import fails as before. */
export const EXISTING_ENV = 'HOMELAB_TF_STANDIN_EXISTING';

export type ExistingObjects = Readonly<Record<string, Readonly<Record<string, Record<string, unknown>>>>>;

export function readExisting(file: string): ExistingObjects {
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file}: expected { "<resource type>": { "<import id>": { ...state } } }`);
  return parsed as ExistingObjects;
}

/**
 * `value` completed to the block's shape: every attribute present (null when absent), list and set
 * blocks as arrays (empty when absent), nested values completed the same way.
 */
export function conformToBlock(block: SchemaBlock, value: Record<string, unknown>): CtyValue {
  const out: Record<string, CtyValue> = {};
  for (const [name, attr] of Object.entries(block.attributes ?? {})) {
    const v = value[name];
    if (v === undefined || v === null) out[name] = null;
    else if (attr.nested_type) {
      const nested: SchemaBlock = { attributes: attr.nested_type.attributes };
      const each = (e: unknown) => conformToBlock(nested, (e ?? {}) as Record<string, unknown>);
      out[name] = attr.nested_type.nesting_mode === 'single' ? each(v) : Array.isArray(v) ? v.map(each) : (v as CtyValue);
    } else out[name] = v as CtyValue;
  }
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const v = value[name];
    const each = (e: unknown) => conformToBlock(bt.block, (e ?? {}) as Record<string, unknown>);
    if (bt.nesting_mode === 'single' || bt.nesting_mode === 'group') out[name] = v === undefined || v === null ? null : each(v);
    else if (bt.nesting_mode === 'map') out[name] = v === undefined || v === null ? {} : Object.fromEntries(Object.entries(v as object).map(([k, e]) => [k, each(e)]));
    else out[name] = Array.isArray(v) ? v.map(each) : [];
  }
  return out;
}
