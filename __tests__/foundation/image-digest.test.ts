import { describe, expect, it } from 'vitest';
import { IMMICH_POSTGRES_IMAGE } from '../../constructs/business/immich-services';
import { ComposeService, DockerHost, Image, LabStack } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { synthErrorOf } from '../security/support';
import { synthHomelab } from '../support/lab';

/** Issue 10 item 23: images pinned by tag and, where upstream publishes one, by digest. */
const DIGEST = 'sha256:bcf63357191b76a916ae5eb93464d65c07511da41e3bf7a8416db519b40b1c23';

describe('Image with a digest', () => {
  it('writes repo:tag@digest, parses it back, and drops the digest with another tag', () => {
    const img = Image.of('ghcr.io/immich-app/postgres', '14-vectorchord0.4.3-pgvectors0.2.0', { digest: DIGEST });
    expect(img.ref).toBe(`ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@${DIGEST}`);
    expect(img.problem).toBeUndefined();
    const parsed = Image.parse(img.ref);
    expect([parsed.repository, parsed.tag, parsed.digest, parsed.ref]).toEqual(['ghcr.io/immich-app/postgres', '14-vectorchord0.4.3-pgvectors0.2.0', DIGEST, img.ref]);
    expect(Image.parse(`localhost:5000/x@${DIGEST}`).ref).toBe(`localhost:5000/x@${DIGEST}`);
    expect(Image.parse('localhost:5000/x:1.0').ref).toBe('localhost:5000/x:1.0');
    expect(img.withTag('15').ref).toBe('ghcr.io/immich-app/postgres:15');
  });

  it('refuses a digest that is not sha256 and 64 hex digits, naming the service', () => {
    for (const digest of ['sha256:abc', `sha512:${'a'.repeat(64)}`, `sha256:${'A'.repeat(64)}`, 'bcf63357']) {
      expect(Image.of('docker.io/library/postgres', '16', { digest }).problem?.message).toBe(`image docker.io/library/postgres:16 has an invalid digest '${digest}'`);
    }
    const err = synthErrorOf((app) => {
      const lab = new Homelab(app, 'homelab');
      const host = new DockerHost(new LabStack(lab, 'extra'), 'pg', { node: lab.pve, network: lab.lan, vmId: 190, ipAddress: '10.10.10.90' });
      new ComposeService(host, 'db', { image: Image.of('docker.io/library/postgres', '16', { digest: 'sha256:abc' }) });
    });
    expect(err).toContain("[homelab/extra/pg/db] image docker.io/library/postgres:16 has an invalid digest 'sha256:abc' — write it as 'sha256:' followed by 64 lower-case hex digits");
  });

  it("pins Immich's database by the digest of Immich's release compose file, in both Immich projects", () => {
    expect(IMMICH_POSTGRES_IMAGE.digest).toBe(DIGEST);
    const ref = synthHomelab();
    try {
      expect(ref.out.compose('immich').services.database.image).toBe(`ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0@${DIGEST}`);
      expect(ref.out.compose('immich-backup').services.database.image).toContain(`@${DIGEST}`);
    } finally {
      ref.cleanup();
    }
  });

  it('keeps only the tag pin with pinImageDigests: false (offline stand-ins, the twin), and refuses a non-boolean', () => {
    const ref = synthHomelab({ pinImageDigests: false });
    try {
      expect(ref.out.compose('immich').services.database.image).toBe('ghcr.io/immich-app/postgres:14-vectorchord0.4.3-pgvectors0.2.0');
      expect(ref.out.compose('sonarr').services.sonarr.image).toMatch(/^lscr\.io\/linuxserver\/sonarr:[0-9.]+$/);
    } finally {
      ref.cleanup();
    }
    const err = synthErrorOf((app) => void new Homelab(app, 'homelab', { pinImageDigests: 'no' as unknown as boolean }));
    expect(err).toContain('[homelab] pinImageDigests must be true or false, got "no"');
  });
});
