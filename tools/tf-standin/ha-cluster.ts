/**
 * The cluster's HA configuration (/etc/pve/ha/resources.cfg) as the stand-in's fake apply sees it:
 * a JSON file shared by every stack applied with it, so the order of separate Terraform stacks can
 * be tested. Fake-applied haresources are recorded there; an harule naming a resource that is not
 * there is refused, as the provider documents for `resources` at v0.111.1 ("The resources must
 * already be managed by HA"). Without the file nothing is checked.
 */
import * as fs from 'node:fs';
import type { CtyValue } from './cty';

/** Env var with the path of that JSON file (`{ "resources": ["ct:131", ...] }`). */
export const HA_CLUSTER_ENV = 'HOMELAB_TF_STANDIN_HA_CLUSTER';

const HA_RESOURCE = 'proxmox_virtual_environment_haresource';
const HA_RULE = 'proxmox_virtual_environment_harule';

function read(file: string): Set<string> {
  if (!fs.existsSync(file)) return new Set();
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { resources?: unknown };
  return new Set(Array.isArray(doc.resources) ? doc.resources.filter((r): r is string => typeof r === 'string') : []);
}

function write(file: string, resources: Set<string>): void {
  // Write-then-rename: a reader (the next stack's plugin) never sees half a file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ resources: [...resources].sort() }, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

const field = (v: CtyValue, key: string): CtyValue | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, CtyValue>)[key] : undefined);

/**
 * Carries one fake apply into the HA file. Returns the error Proxmox would answer with, or
 * undefined when the change goes through (and is recorded).
 */
export function applyToHaCluster(file: string, typeName: string, prior: CtyValue, planned: CtyValue): string | undefined {
  if (typeName === HA_RESOURCE) {
    const resources = read(file);
    const before = field(prior, 'resource_id');
    const after = field(planned, 'resource_id');
    if (typeof before === 'string') resources.delete(before);
    if (typeof after === 'string') resources.add(after);
    write(file, resources);
    return undefined;
  }
  if (typeName === HA_RULE && planned !== null) {
    const known = read(file);
    const wanted = field(planned, 'resources');
    const missing = (Array.isArray(wanted) ? wanted : []).filter((r): r is string => typeof r === 'string' && !known.has(r));
    if (missing.length) return `HA rule '${String(field(planned, 'rule'))}' names ${missing.join(', ')}, which HA does not manage (no such HA resource)`;
  }
  return undefined;
}
