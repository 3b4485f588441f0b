/**
 * The file server's shares are bind mounts of the node's datasets, so two plays set the same
 * directory: the node play (proxmox.yml) on the host path, the fileserver role on the container
 * path. The digital twin's second converge found them disagreeing (node 2775, role 0775): each run
 * flipped the setgid bit back and forth, so `changed` was never 0. Both must ask for the same mode.
 */
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import * as yaml from 'js-yaml';
import { expect, it } from 'vitest';

const OUT = join(__dirname, '..', '..', 'synth-out');
const ANSIBLE = join(OUT, 'ansible');
const load = (path: string): any => yaml.load(readFileSync(join(ANSIBLE, path), 'utf8'));

it('creates each share with the mode the node play gives the dataset behind it', () => {
  const nodeDirs = new Map<string, string>();
  for (const d of load('inventory/host_vars/pve.yml').proxmox_host_directories) nodeDirs.set(d.path, String(d.mode));
  const task = (load('roles/fileserver/tasks/main.yml') as any[]).find((t) => t.name === 'Create the shared directories');
  const roleMode = String(task['ansible.builtin.file'].mode);

  const tf = JSON.parse(readFileSync(join(OUT, 'stacks', 'business', 'cdk.tf.json'), 'utf8'));
  const ct = Object.values<any>(tf.resource.proxmox_virtual_environment_container).find((c) => c.initialization.hostname === 'fileserver');
  const shares: string[] = load('inventory/host_vars/fileserver.yml').fileserver_share_paths;
  expect(shares.length).toBeGreaterThan(0);
  for (const share of shares) {
    const mount = (ct.mount_point as any[]).find((m) => share === m.path || share.startsWith(`${m.path}/`));
    expect(mount, `${share} is not on a bind mount`).toBeDefined();
    const hostPath = posix.join(mount.volume, posix.relative(mount.path, share));
    expect(nodeDirs.get(hostPath), `the node play does not create ${hostPath}`).toBeDefined();
    expect(roleMode, `${share} (host ${hostPath})`).toBe(nodeDirs.get(hostPath));
  }
});
