import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { synthesize } from '../../integrations/synth';
import { StateBackend } from '../../constructs/core';
import { buildSmallLab } from '../../examples/small-lab';
import { standin, TEST_TIMEOUT_MS } from './harness';

const STACKS = ['infra', 'media', 'security'];

/** Synthesizes the small lab into `outdir` with `backend`; returns each stack's backend block. */
function backends(outdir: string, backend?: StateBackend): Record<string, Record<string, Record<string, unknown>>> {
  synthesize((app) => {
    const lab = buildSmallLab(app, backend ? { backend } : {});
    void lab;
  }, { outdir });
  return Object.fromEntries(STACKS.map((s) => [s, JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')).terraform.backend]));
}

describe('Terraform state per lab and per stack', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'homelab-cdk-state-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('two labs whose output folders share a parent get distinct local state files beside their outputs', () => {
    // GIVEN two output folders in one parent WHEN both are synthesized THEN no state path is shared.
    const paths = ['lab-a', 'lab-b'].flatMap((name) => {
      const out = join(tmp, 'shared', name);
      const b = backends(out);
      return STACKS.map((s) => resolve(out, 'stacks', s, b[s].local.path as string));
    });
    expect(new Set(paths).size).toBe(6);
    expect(paths).toContain(join(tmp, 'shared', '.state', 'lab-a', 'homelab', 'media.tfstate'));
    expect(paths).toContain(join(tmp, 'shared', '.state', 'lab-b', 'homelab', 'media.tfstate'));
    // Outside the output folders, which synth replaces.
    for (const p of paths) expect(p.startsWith(join(tmp, 'shared', '.state') + '/')).toBe(true);
  });

  it('an S3-compatible bucket (MinIO) keys each stack by lab and stack, path-style, without AWS-only checks', () => {
    const b = backends(join(tmp, 's3'), StateBackend.s3({ bucket: 'tfstate', endpoint: 'https://minio.home.example.org:9000' }));
    expect(b.media).toEqual({
      s3: {
        bucket: 'tfstate',
        key: 'homelab-cdk/homelab/media.tfstate',
        region: 'us-east-1',
        encrypt: false,
        endpoints: { s3: 'https://minio.home.example.org:9000' },
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_metadata_api_check: true,
        skip_s3_checksum: true,
      },
    });
    expect(new Set(STACKS.map((s) => b[s].s3.key)).size).toBe(3);
    expect(backends(join(tmp, 'aws'), StateBackend.s3({ bucket: 'tfstate', keyPrefix: 'labs', region: 'eu-central-1' })).infra).toEqual({
      s3: { bucket: 'tfstate', key: 'labs/homelab/infra.tfstate', region: 'eu-central-1', encrypt: true },
    });
  });

  it('PostgreSQL gets one schema per stack and no connection string (PG_CONN_STR holds the password)', () => {
    const b = backends(join(tmp, 'pg'), StateBackend.pg());
    expect(b.media).toEqual({ pg: { schema_name: 'homelab_cdk_homelab_media' } });
    expect(b.security.pg.schema_name).toBe('homelab_cdk_homelab_security');
  });

  it('fails when an HTTP state URL has no {stack} placeholder, or is not a URL', () => {
    expect(() => StateBackend.http({ address: 'https://state.example.org/homelab' })).toThrow(
      "[StateBackend] StateBackend.http address 'https://state.example.org/homelab' has no {stack} placeholder — every stack would share one state — put {stack} (and {lab}) in the URL",
    );
    expect(() => StateBackend.s3({ bucket: 'b', endpoint: 'minio:9000' })).toThrow("StateBackend.s3 endpoint 'minio:9000' is not an http(s) URL");
    expect(() => buildSmallLab(new App({ outdir: join(tmp, 'x') }), { backend: { kind: 's3' } as unknown as StateBackend })).toThrow(
      '[homelab] backend must be made with StateBackend.local(), .s3(...), .pg(...) or .http(...)',
    );
  });

  describe('terraform init accepts the backends it can reach offline', () => {
    let server: Server;
    let port: number;
    const requests: string[] = [];

    beforeAll(async () => {
      // A stand-in state server on loopback: no state yet (404), as Terraform's HTTP backend expects.
      server = createServer((req, res) => {
        requests.push(`${req.method} ${req.url}`);
        res.statusCode = 404;
        res.end();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    it('local and http', async () => {
      const tf = standin(join(tmp, 'tf'));
      const local = join(tmp, 'init-local', 'synth-out');
      backends(local);
      const l = await tf.init(join(local, 'stacks', 'media'));
      expect(l.output).toContain('Successfully configured the backend "local"');
      expect(l.code).toBe(0);

      const http = join(tmp, 'init-http', 'synth-out');
      const b = backends(http, StateBackend.http({ address: `http://127.0.0.1:${port}/state/{lab}/{stack}` }));
      expect(b.media).toEqual({ http: { address: `http://127.0.0.1:${port}/state/homelab/media` } });
      const h = await tf.init(join(http, 'stacks', 'media'));
      expect(h.output).toContain('Successfully configured the backend "http"');
      expect(h.code).toBe(0);
      expect(requests).toContain('GET /state/homelab/media');
      expect(existsSync(join(http, 'stacks', 'media', '.terraform'))).toBe(true);
    }, TEST_TIMEOUT_MS);
  });
});
