/**
 * A container image pinned by tag (or digest). A bare or `latest` tag is refused: an image that
 * changes under the same name makes two synths of one model deploy different software.
 * A bad reference is reported by the construct that uses it, so the message carries its path.
 */
export class Image {
  /** `Image.of('lscr.io/linuxserver/sonarr', '4.0.16')` */
  static of(repository: string, tag: string): Image {
    return new Image(repository, tag);
  }

  /** Parses `repo:tag` or `repo@sha256:...`. */
  static parse(ref: string): Image {
    const at = ref.indexOf('@');
    if (at > 0) return new Image(ref.slice(0, at), ref.slice(at));
    const colon = ref.lastIndexOf(':');
    if (colon <= 0 || ref.slice(colon).includes('/')) return new Image(ref, '');
    return new Image(ref.slice(0, colon), ref.slice(colon + 1));
  }

  /** Why this reference cannot be deployed reproducibly, if it cannot. */
  readonly problem?: { message: string; fix: string };

  private constructor(
    readonly repository: string,
    readonly tag: string,
  ) {
    if (!/^[a-z0-9][a-z0-9._\-/:]*$/.test(repository)) {
      this.problem = { message: `image repository '${repository}' is invalid`, fix: "write it like 'lscr.io/linuxserver/sonarr'" };
    } else if (!tag || tag === 'latest') {
      this.problem = { message: `image ${repository} is not pinned (tag '${tag || '(none)'}')`, fix: `pin a version tag, e.g. Image.of('${repository}', '1.2.3')` };
    }
  }

  /** Same repository, another tag: used by per-service overrides. */
  withTag(tag: string): Image {
    return new Image(this.repository, tag);
  }

  get ref(): string {
    return this.tag.startsWith('@') ? `${this.repository}${this.tag}` : `${this.repository}:${this.tag}`;
  }

  toString(): string {
    return this.ref;
  }
}
