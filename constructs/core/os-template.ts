const PROXMOX_IMAGES = 'https://download.proxmox.com/images/system';

/** Hex digits of each checksum algorithm bpg/proxmox's proxmox_download_file accepts. */
const CHECKSUM_HEX_LENGTH: Readonly<Record<string, number>> = { md5: 32, sha1: 40, sha224: 56, sha256: 64, sha384: 96, sha512: 128 };

/**
 * An LXC OS template that Terraform downloads once per node (`proxmox_download_file`).
 * Its volume id is known at synth time (`<datastore>:vztmpl/<file>`), so containers in other stacks
 * reference it as a plain string instead of a cross-stack Terraform reference.
 */
export class OsTemplate {
  /**
   * Debian 13 "trixie" standard template, the default for container hosts. Downloaded over https and
   * pinned by the sha512 Proxmox publishes in its appliance index (aplinfo-pve-9.dat, shipped as
   * pve-manager's aplinfo/aplinfo.dat: entry `debian-13-standard` 13.1-2, commits 035bf934 (2025-10-01)
   * to f4009599 (2026-04-29)). Needs pve-container >= 6.0.10 (PVE 9) / 5.3.1 (PVE 8): older ones
   * refuse Debian 13.1 with "unsupported debian version '13.1'" (the proxmox_host preflight checks).
   * Changing the file name replaces every container built from it: bump it deliberately.
   */
  static debian13(): OsTemplate {
    return new OsTemplate('debian', 'debian-13-standard_13.1-2_amd64.tar.zst', `${PROXMOX_IMAGES}/debian-13-standard_13.1-2_amd64.tar.zst`, {
      algorithm: 'sha512',
      value: '5aec4ab2ac5c16c7c8ecb87bfeeb10213abe96db6b85e2463585cea492fc861d7c390b3f9c95629bf690b95e9dfe1037207fc69c0912429605f208d5cb2621f8',
    });
  }

  /** Debian 12 "bookworm" standard template (sha512 from the same appliance index, 12.12-1). */
  static debian12(): OsTemplate {
    return new OsTemplate('debian', 'debian-12-standard_12.12-1_amd64.tar.zst', `${PROXMOX_IMAGES}/debian-12-standard_12.12-1_amd64.tar.zst`, {
      algorithm: 'sha512',
      value: '50c85eaaece677a3ebe01cc909b83872e9da2a22c29ae652838afce71e83222fdf40f6accecd7d52b180e912fc1f85ecdf7b3fc4d3027da4d865e509a9e76597',
    });
  }

  /** Any other template; pin its checksum (see `problems()` for what is checked). */
  static custom(props: { osType: string; fileName: string; url: string; checksum?: { algorithm: string; value: string } }): OsTemplate {
    return new OsTemplate(props.osType, props.fileName, props.url, props.checksum);
  }

  private constructor(
    readonly osType: string,
    readonly fileName: string,
    readonly url: string,
    readonly checksum?: { algorithm: string; value: string },
  ) {}

  /** Stable construct id of the download resource. */
  get id(): string {
    return this.fileName.replace(/\.tar\.(zst|gz|xz)$/, '').replace(/[^A-Za-z0-9-]/g, '-');
  }

  fileId(datastore: string): string {
    return `${datastore}:vztmpl/${this.fileName}`;
  }

  /**
   * Debian 13 runs systemd 257, which needs the `nesting` feature to isolate services (pve-container's
   * own description of nesting: "This is also required by systemd to isolate services"; it warns
   * "Systemd 257 detected. You may need to enable nesting."), and lxc-pve's fix for Docker's runc 1.3.3
   * relaxes AppArmor only for nesting containers (lxc-pve 6.0.5-2, Proxmox bug #7006).
   */
  get needsNesting(): boolean {
    return this.osType === 'debian' && /^debian-13-/.test(this.fileName);
  }

  /** What is wrong with this template's download (errors) and what is merely unverified (warnings). */
  problems(): { errors: { message: string; fix: string }[]; warnings: string[] } {
    const errors: { message: string; fix: string }[] = [];
    const warnings: string[] = [];
    if (!/^https?:\/\/[^\s/]+\/\S*$/.test(this.url)) errors.push({ message: `template URL '${this.url}' is not an http(s) URL`, fix: 'give the https URL of the template file' });
    if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*\.tar\.(zst|gz|xz)$/.test(this.fileName)) {
      errors.push({ message: `template file name '${this.fileName}' is not a plain .tar.zst/.tar.gz/.tar.xz file name`, fix: "use the file name Proxmox stores it under, e.g. 'debian-13-standard_13.1-2_amd64.tar.zst'" });
    }
    const c = this.checksum;
    if (c) {
      const length = CHECKSUM_HEX_LENGTH[c.algorithm];
      if (length === undefined) errors.push({ message: `checksum algorithm '${c.algorithm}' is not supported`, fix: `use one of ${Object.keys(CHECKSUM_HEX_LENGTH).join(', ')}` });
      else if (!new RegExp(`^[0-9a-f]{${length}}$`).test(c.value)) errors.push({ message: `${c.algorithm} checksum '${c.value}' is not ${length} lowercase hex digits`, fix: `copy the ${c.algorithm} sum of the file (e.g. the sha512sum line of Proxmox's aplinfo index)` });
    } else if (this.url.startsWith('http://')) {
      errors.push({ message: `template ${this.fileName} is downloaded over plain http without a checksum: nothing verifies what the node stores`, fix: 'use an https URL and pin checksum: { algorithm: \'sha512\', value: \'…\' }' });
    } else {
      warnings.push(`template ${this.fileName} has no pinned checksum: a changed file at ${this.url} would be used unnoticed — pin checksum: { algorithm: 'sha512', value: '…' }`);
    }
    return { errors, warnings };
  }
}
