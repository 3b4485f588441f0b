/**
 * An LXC OS template that Terraform downloads once per node (`proxmox_download_file`).
 * Its volume id is known at synth time (`<datastore>:vztmpl/<file>`), so containers in other stacks
 * reference it as a plain string instead of a cross-stack Terraform reference.
 */
export class OsTemplate {
  /** Debian 13 "trixie" standard template, the default for container hosts. */
  static debian13(): OsTemplate {
    return new OsTemplate('debian', 'debian-13-standard_13.1-2_amd64.tar.zst', 'http://download.proxmox.com/images/system/debian-13-standard_13.1-2_amd64.tar.zst');
  }

  /** Debian 12 "bookworm" standard template. */
  static debian12(): OsTemplate {
    return new OsTemplate('debian', 'debian-12-standard_12.12-1_amd64.tar.zst', 'http://download.proxmox.com/images/system/debian-12-standard_12.12-1_amd64.tar.zst');
  }

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
}
