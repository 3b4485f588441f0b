/**
 * Which Docker image store each lab container starts with.
 *
 * Every container gets the stand-ins (one small busybox layer shared by all references). The real
 * images (Debian's nginx as SWAG, prometheus, alertmanager, blackbox, the ntfy recorder: assets.sh
 * images-real/, 330 MB together) go only where a compose file uses their repository: one store per
 * distinct set of real images, so the Prometheus host copies Prometheus' 200 MB and no other host does.
 */
import { hostFile, HOST_FILES_DIR } from '../../lib/ansible/project';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';

/** A line of images-real/real-list.tsv: a repository whose references get the real rootfs. */
export interface RealImage {
  readonly repository: string;
  readonly tar: string;
  /** The whole line, as import.sh reads it. */
  readonly line: string;
}

/** HOMELAB_TWIN_REAL_IMAGES: on unless '0'. */
export function realImagesOn(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.HOMELAB_TWIN_REAL_IMAGES;
  if (v === undefined || v === '' || v === '1') return true;
  if (v === '0') return false;
  throw new Error(`HOMELAB_TWIN_REAL_IMAGES must be 1 or 0, got '${v}'`);
}

export function readRealList(file: string): RealImage[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((line) => {
      const [repository, tar] = line.split('\t');
      if (!repository || !tar) throw new Error(`${file}: malformed line '${line}'`);
      return { repository, tar, line };
    });
}

/** The repository of an image reference: without its tag and digest (a registry port stays). */
export function repositoryOf(ref: string): string {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * host → the real images its compose file uses (sorted by tar name; hosts using none are absent).
 * Reads files/<host>/compose.yml of the Ansible project.
 */
export function realImagesByHost(ansibleDir: string, real: readonly RealImage[]): Map<string, RealImage[]> {
  const byRepo = new Map(real.map((r) => [r.repository, r]));
  const out = new Map<string, RealImage[]>();
  const filesDir = path.join(ansibleDir, HOST_FILES_DIR);
  if (!fs.existsSync(filesDir)) return out;
  for (const host of fs.readdirSync(filesDir).sort()) {
    const file = path.join(ansibleDir, hostFile(host, 'compose.yml'));
    if (!fs.existsSync(file)) continue;
    const doc = yaml.load(fs.readFileSync(file, 'utf8')) as { services?: Record<string, { image?: unknown }> } | null;
    const used = new Map<string, RealImage>();
    for (const svc of Object.values(doc?.services ?? {})) {
      const r = typeof svc?.image === 'string' ? byRepo.get(repositoryOf(svc.image)) : undefined;
      if (r) used.set(r.tar, r);
    }
    if (used.size > 0) out.set(host, [...used.values()].sort((a, b) => a.tar.localeCompare(b.tar)));
  }
  return out;
}

/** The name of a set of real images' store: its tar names without .tar, joined by '+'. */
export function setName(images: readonly RealImage[]): string {
  return images.map((r) => r.tar.replace(/\.tar$/, '')).join('+');
}
