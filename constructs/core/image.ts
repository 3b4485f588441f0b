/**
 * A container image pinned by tag (or digest). A bare or `latest` tag is refused: an image that
 * changes under the same name makes two synths of one model deploy different software.
 * A bad reference is reported by the construct that uses it, so the message carries its path.
 */
export class Image {
  /**
   * `Image.of('lscr.io/linuxserver/sonarr', '4.0.16')`, or with the digest upstream publishes for
   * that tag: `Image.of(repo, tag, { digest: 'sha256:...' })` gives `repo:tag@sha256:...` — Docker
   * pulls exactly that manifest, the tag stays for readers.
   */
  static of(repository: string, tag: string, opts: { readonly digest?: string } = {}): Image {
    if (typeof repository !== 'string' || typeof tag !== 'string' || (opts?.digest !== undefined && typeof opts.digest !== 'string')) return Image.wrongType(repository, tag);
    return new Image(repository, tag, opts?.digest);
  }

  /** What a plain-JavaScript caller gets for non-string parts: an image whose problem says so. */
  private static wrongType(repository: unknown, tag: unknown): Image {
    const image = new Image(String(repository), String(tag));
    (image as { problem?: { message: string; fix: string } }).problem = {
      message: `image repository and tag must be strings, got ${JSON.stringify(repository) ?? String(repository)} and ${JSON.stringify(tag) ?? String(tag)}`,
      fix: "write it like Image.of('lscr.io/linuxserver/sonarr', '4.0.16')",
    };
    return image;
  }

  /** Parses `repo:tag`, `repo:tag@sha256:...` or `repo@sha256:...`. */
  static parse(ref: string): Image {
    if (typeof ref !== 'string') return Image.wrongType(ref, undefined);
    const at = ref.indexOf('@');
    if (at > 0) {
      const name = ref.slice(0, at);
      const colon = name.lastIndexOf(':');
      if (colon > 0 && !name.slice(colon).includes('/')) return new Image(name.slice(0, colon), name.slice(colon + 1), ref.slice(at + 1));
      return new Image(name, ref.slice(at));
    }
    const colon = ref.lastIndexOf(':');
    if (colon <= 0 || ref.slice(colon).includes('/')) return new Image(ref, '');
    return new Image(ref.slice(0, colon), ref.slice(colon + 1));
  }

  /** Why this reference cannot be deployed reproducibly, if it cannot. */
  readonly problem?: { message: string; fix: string };

  private constructor(
    readonly repository: string,
    readonly tag: string,
    /** `sha256:<64 hex>` of the tag's manifest (list), when pinned by digest too. */
    readonly digest?: string,
  ) {
    if (digest !== undefined && !/^sha256:[a-f0-9]{64}$/.test(digest)) {
      this.problem = { message: `image ${repository}:${tag} has an invalid digest '${digest}'`, fix: "write it as 'sha256:' followed by 64 lower-case hex digits, as the registry or the upstream compose file shows it" };
    } else if (!/^[a-z0-9][a-z0-9._\-/:]*$/.test(repository)) {
      this.problem = { message: `image repository '${repository}' is invalid`, fix: "write it like 'lscr.io/linuxserver/sonarr'" };
    } else if (!tag || tag === 'latest') {
      this.problem = { message: `image ${repository} is not pinned (tag '${tag || '(none)'}')`, fix: `pin a version tag, e.g. Image.of('${repository}', '1.2.3')` };
    }
  }

  /** Same repository, another tag (without the digest, which belongs to the old tag): used by per-service overrides. */
  withTag(tag: string): Image {
    return new Image(this.repository, tag);
  }

  get ref(): string {
    if (this.tag.startsWith('@')) return `${this.repository}${this.tag}`;
    return `${this.repository}:${this.tag}${this.digest ? `@${this.digest}` : ''}`;
  }

  /** The reference without the digest (the tag pin alone). */
  get tagRef(): string {
    if (this.tag.startsWith('@')) return `${this.repository}${this.tag}`;
    return `${this.repository}:${this.tag}`;
  }

  toString(): string {
    return this.ref;
  }
}
