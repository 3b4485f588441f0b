import { expect } from 'vitest';

/**
 * Custom matchers over synthesized output (registered for every test file by vitest's setupFiles).
 * They say what a property means for the lab, so tests assert behaviour rather than restate a
 * constant from the code under test.
 */
interface HomelabMatchers<R = unknown> {
  /**
   * A compose `image` that pins `repository` to a fixed version: a tag with a digit in it, never
   * `latest`, optionally followed by `@sha256:<digest>`; the tag also matches `tag` when given.
   */
  toBePinnedTo(repository: string, tag?: RegExp): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<T = any> extends HomelabMatchers<T> {}
}

const IMAGE = /^(?<repository>[^@\s]+):(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})(?:@sha256:[0-9a-f]{64})?$/;

expect.extend({
  toBePinnedTo(received: unknown, repository: string, tag?: RegExp) {
    const m = typeof received === 'string' ? IMAGE.exec(received) : null;
    const got = m?.groups;
    const problems = !got
      ? [`it is not <repository>:<tag>[@sha256:<digest>]`]
      : [
          ...(got.repository !== repository ? [`its repository is ${got.repository}`] : []),
          ...(got.tag === 'latest' || !/\d/.test(got.tag!) ? [`its tag '${got.tag}' is not a version`] : []),
          ...(tag && !tag.test(got.tag!) ? [`its tag '${got.tag}' does not match ${tag}`] : []),
        ];
    return {
      pass: problems.length === 0,
      message: () => this.isNot
        ? `expected ${JSON.stringify(received)} not to pin ${repository}`
        : `expected ${JSON.stringify(received)} to pin ${repository} to a version${tag ? ` matching ${tag}` : ''}, but ${problems.join(' and ')}`,
    };
  },
});
