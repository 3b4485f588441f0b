/**
 * Issue 10, items 4, 11, 18 and 22: what the first `terraform apply` gets from synth — the template
 * download (https, pinned sha512, adopting an existing file), prevent_destroy on stateful containers,
 * TLS verified by default, nesting on Debian 13 containers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { Lab, LabStack, LxcContainer, Network, OsTemplate, ProxmoxNode, Size } from '../../constructs/core';
import { buildSmallLab } from '../../examples/small-lab';
import { problemsOf, RefLab, synthHomelab, synthLab } from '../support/lab';

function withMedia(add: (ctx: { lab: Lab; media: LabStack; node: ProxmoxNode; lan: Network }) => void) {
  return (app: App) => {
    const lab = buildSmallLab(app);
    add({ lab, media: lab.stacks.find((s) => s.stackName === 'media')!, node: lab.nodes[0]!, lan: lab.networks[0]! });
  };
}

describe('first apply: Terraform output of the reference lab', () => {
  let ref: RefLab;
  beforeAll(() => {
    ref = synthHomelab();
  });
  afterAll(() => ref.cleanup());

  it('downloads the Debian 13 template over https, pinned by sha512, adopting a file already on the node', () => {
    const dl = Object.values(ref.out.resources('infra', 'proxmox_download_file'));
    expect(dl).toHaveLength(1);
    expect(dl[0]).toMatchObject({
      url: 'https://download.proxmox.com/images/system/debian-13-standard_13.1-2_amd64.tar.zst',
      checksum_algorithm: 'sha512',
      // pve-manager aplinfo/aplinfo.dat (a copy of aplinfo-pve-9.dat), entry debian-13-standard 13.1-2
      checksum: '5aec4ab2ac5c16c7c8ecb87bfeeb10213abe96db6b85e2463585cea492fc861d7c390b3f9c95629bf690b95e9dfe1037207fc69c0912429605f208d5cb2621f8',
      overwrite_unmanaged: true,
      overwrite: false,
    });
  });

  it('turns nesting on for every Debian 13 container, Docker host or not', () => {
    const all = ref.out.allContainers();
    expect(all.length).toBe(28);
    for (const c of all) {
      expect(c.operating_system.template_file_id).toMatch(/debian-13-standard/);
      expect(c.features.nesting, c['//'].metadata.path).toBe(true);
    }
    expect(ref.out.container('business', 'fileserver').features).toEqual({ keyctl: false, nesting: true });
  });

  it('puts prevent_destroy on exactly the stateful containers, and marks them for npm run plan', () => {
    for (const c of ref.out.allContainers()) {
      const path = c['//'].metadata.path as string;
      const stateful = ref.lab.node.findAll().find((x) => x instanceof LxcContainer && x.resource.node.path === path) as LxcContainer;
      expect(c.lifecycle, path).toEqual(stateful.backup ? { prevent_destroy: true } : undefined);
      expect(c['//'].homelab, path).toEqual(stateful.backup ? { stateful: true } : undefined);
    }
    expect(ref.out.container('business', 'immich').lifecycle).toEqual({ prevent_destroy: true });
    expect(ref.out.container('monitoring', 'blackbox').lifecycle).toBeUndefined();
  });

  it('verifies the Proxmox API certificate by default', () => {
    for (const stack of ['infra', 'media', 'monitoring', 'security', 'business']) {
      expect(ref.out.stack(stack).variable.proxmox_insecure.default, stack).toBe(false);
    }
    expect(ref.out.result.warnings.map((w) => w.id)).not.toContain('homelab:proxmox-insecure');
  });
});

describe('first apply: options and validation', () => {
  it('opts one service out of prevent_destroy and keeps its stateful mark', () => {
    const ref = synthHomelab({ business: { overrides: { immich: { preventDestroy: false } } } });
    try {
      expect(ref.out.container('business', 'immich').lifecycle).toBeUndefined();
      expect(ref.out.container('business', 'immich')['//'].homelab).toEqual({ stateful: true });
      expect(ref.out.container('business', 'paperless').lifecycle).toEqual({ prevent_destroy: true });
    } finally {
      ref.cleanup();
    }
  });

  it('rejects a preventDestroy that is not a boolean', () => {
    expect(problemsOf(withMedia(({ media, node, lan }) => new LxcContainer(media, 'x', { node, network: lan, preventDestroy: 'no' as unknown as boolean })))).toEqual([
      '[homelab/media/x] preventDestroy must be true or false, got "no" — set preventDestroy: false to opt out, or leave it out',
    ]);
  });

  it('warns when proxmox.insecure is turned on, and rejects a non-boolean', () => {
    const out = synthLab((app) => {
      const lab = new Lab(app, 'homelab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve:8006/', insecure: true }, sshPublicKeys: ['ssh-ed25519 AAAA x'] });
      new ProxmoxNode(lab.infra, 'pve', { address: '10.0.0.2', cores: 4, memory: Size.mebibytes(8192) });
    });
    try {
      expect(out.stack('infra').variable.proxmox_insecure.default).toBe(true);
      expect(out.result.warnings.map((w) => w.id)).toContain('homelab:proxmox-insecure');
    } finally {
      out.cleanup();
    }
    expect(problemsOf((app) => new Lab(app, 'homelab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve:8006/', insecure: 'yes' as unknown as boolean }, sshPublicKeys: ['k'] }))).toEqual([
      "[homelab] proxmox.insecure must be true or false, got \"yes\" — leave it out to verify the node's certificate",
    ]);
  });

  it('validates custom template downloads: URL, file name, checksum algorithm and digits; http needs a checksum', () => {
    const custom = (p: Partial<Parameters<typeof OsTemplate.custom>[0]>) =>
      withMedia(({ media, node, lan }) => new LxcContainer(media, 'x', { node, network: lan, template: OsTemplate.custom({ osType: 'alpine', fileName: 'alpine-3.22.tar.xz', url: 'https://example.org/alpine-3.22.tar.xz', ...p }) }));
    const sha256 = 'a'.repeat(64);
    expect(problemsOf(custom({ checksum: { algorithm: 'sha256', value: sha256 } }))).toEqual([]);
    expect(problemsOf(custom({ url: 'ftp://example.org/a.tar.xz', checksum: { algorithm: 'sha256', value: sha256 } }))).toEqual([
      "[homelab/media/x] template URL 'ftp://example.org/a.tar.xz' is not an http(s) URL — give the https URL of the template file",
    ]);
    expect(problemsOf(custom({ fileName: '../a.tar.xz', checksum: { algorithm: 'sha256', value: sha256 } }))[0]).toContain("template file name '../a.tar.xz' is not a plain");
    expect(problemsOf(custom({ checksum: { algorithm: 'crc32', value: 'abcd' } }))[0]).toContain("checksum algorithm 'crc32' is not supported — use one of md5, sha1, sha224, sha256, sha384, sha512");
    expect(problemsOf(custom({ checksum: { algorithm: 'sha256', value: 'A'.repeat(64) } }))[0]).toContain('is not 64 lowercase hex digits');
    expect(problemsOf(custom({ checksum: { algorithm: 'sha512', value: sha256 } }))[0]).toContain('is not 128 lowercase hex digits');
    expect(problemsOf(custom({ url: 'http://example.org/alpine-3.22.tar.xz' }))[0]).toContain('is downloaded over plain http without a checksum');
    // https without a checksum: allowed, with a warning
    expect(problemsOf(custom({}))).toEqual([]);
    expect(OsTemplate.custom({ osType: 'alpine', fileName: 'a.tar.xz', url: 'https://e.org/a.tar.xz' }).problems().warnings[0]).toContain('has no pinned checksum');
  });

  it('warns about a Debian 13 container with nesting turned off, and leaves other templates alone', () => {
    const out = synthLab(withMedia(({ media, node, lan }) => {
      new LxcContainer(media, 'nonest', { node, network: lan, nesting: false });
      new LxcContainer(media, 'bookworm', { node, network: lan, template: OsTemplate.debian12() });
    }));
    try {
      const ids = out.result.warnings.filter((w) => w.id === 'homelab:debian13-without-nesting').map((w) => w.path);
      expect(ids).toEqual(['homelab/media/nonest']);
      expect(out.container('media', 'nonest').features.nesting).toBe(false);
      expect(out.container('media', 'bookworm').features.nesting).toBe(false);
    } finally {
      out.cleanup();
    }
  });
});
