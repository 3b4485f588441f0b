import type { IConstruct } from 'constructs';
import { HttpBackend, LocalBackend, PgBackend, S3Backend, TerraformStack } from '../../lib/cdktf';
import { OUTDIR_NAME_CONTEXT } from '../../lib/output';
import { ModelError, pathOf } from '../../lib/problems';

/** An S3-compatible bucket (AWS S3, MinIO, Garage, Ceph RGW). Credentials come from the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), never from the model. */
export interface S3StateProps {
  readonly bucket: string;
  /** Key of each stack's state: `<keyPrefix>/<lab>/<stack>.tfstate`. @default 'homelab-cdk' */
  readonly keyPrefix?: string;
  /** @default 'us-east-1' (MinIO ignores it) */
  readonly region?: string;
  /**
   * The endpoint of an S3-compatible server, e.g. `https://minio.home.example.org:9000`. Given, the
   * backend uses path-style URLs and skips the AWS-only checks (account id, region, credentials
   * validation, metadata API, checksums). @default - AWS S3
   */
  readonly endpoint?: string;
}

/** A PostgreSQL database: one schema per stack. The connection string comes from PG_CONN_STR (it holds a password). */
export interface PgStateProps {
  /** Schema of each stack's state: `<schemaPrefix>_<lab>_<stack>` (non-alphanumerics become _). @default 'homelab_cdk' */
  readonly schemaPrefix?: string;
}

/** Terraform's HTTP backend (GitLab, Gitea, a state server). Credentials from TF_HTTP_USERNAME / TF_HTTP_PASSWORD. */
export interface HttpStateProps {
  /** State URL with `{lab}` and `{stack}` placeholders, e.g. `https://gitlab.example.org/api/v4/projects/7/terraform/state/{lab}-{stack}`. */
  readonly address: string;
  /** Lock URL, with the same placeholders. @default - no locking */
  readonly lockAddress?: string;
  /** Unlock URL, with the same placeholders. @default - the lock address */
  readonly unlockAddress?: string;
}

type BackendSpec =
  | { readonly kind: 'local' }
  | { readonly kind: 's3'; readonly props: S3StateProps }
  | { readonly kind: 'pg'; readonly props: PgStateProps }
  | { readonly kind: 'http'; readonly props: HttpStateProps };

const misuse = (scope: IConstruct | undefined, message: string, fix: string) => new ModelError({ path: scope ? pathOf(scope) : 'StateBackend', message, fix });

/**
 * Where the lab's stacks keep their Terraform state: one state per stack, named by the lab and the
 * stack, so no two stacks and no two labs share one. `LabProps.backend`.
 */
export class StateBackend {
  /**
   * Local files in `.state/<output folder>/<lab>/<stack>.tfstate` beside the output folder (outside
   * it, since synth replaces it; git-ignored, since state holds secrets).
   */
  static local(): StateBackend {
    return new StateBackend({ kind: 'local' });
  }

  static s3(props: S3StateProps): StateBackend {
    if (typeof props?.bucket !== 'string' || !props.bucket) throw misuse(undefined, 'StateBackend.s3 needs a bucket', "StateBackend.s3({ bucket: 'terraform-state' })");
    if (props.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(props.endpoint)) throw misuse(undefined, `StateBackend.s3 endpoint '${props.endpoint}' is not an http(s) URL`, "write it like 'https://minio.home.example.org:9000'");
    return new StateBackend({ kind: 's3', props });
  }

  static pg(props: PgStateProps = {}): StateBackend {
    return new StateBackend({ kind: 'pg', props });
  }

  static http(props: HttpStateProps): StateBackend {
    for (const [name, url] of Object.entries({ address: props?.address, lockAddress: props?.lockAddress, unlockAddress: props?.unlockAddress })) {
      if (url === undefined && name !== 'address') continue;
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw misuse(undefined, `StateBackend.http ${name} must be an http(s) URL, got ${JSON.stringify(url)}`, "e.g. 'https://state.example.org/{lab}/{stack}'");
      if (!url.includes('{stack}')) throw misuse(undefined, `StateBackend.http ${name} '${url}' has no {stack} placeholder — every stack would share one state`, 'put {stack} (and {lab}) in the URL');
    }
    return new StateBackend({ kind: 'http', props });
  }

  private constructor(private readonly spec: BackendSpec) {}

  get kind(): BackendSpec['kind'] {
    return this.spec.kind;
  }

  /** Configures `stack`'s backend; `labId` and the stack's id name its state. */
  configure(stack: TerraformStack, labId: string, stackId: string): void {
    const spec = this.spec;
    switch (spec.kind) {
      case 'local': {
        const outdirName = (stack.node.tryGetContext(OUTDIR_NAME_CONTEXT) as string | undefined) ?? 'synth-out';
        new LocalBackend(stack, { path: `../../../.state/${outdirName}/${labId}/${stackId}.tfstate` });
        return;
      }
      case 's3': {
        const p = spec.props;
        const compatible = p.endpoint !== undefined;
        new S3Backend(stack, {
          bucket: p.bucket,
          key: `${p.keyPrefix ?? 'homelab-cdk'}/${labId}/${stackId}.tfstate`,
          region: p.region ?? 'us-east-1',
          encrypt: !compatible,
          ...(compatible
            ? {
              endpoints: { s3: p.endpoint },
              usePathStyle: true,
              skipCredentialsValidation: true,
              skipRegionValidation: true,
              skipRequestingAccountId: true,
              skipMetadataApiCheck: true,
              skipS3Checksum: true,
            }
            : {}),
        });
        return;
      }
      case 'pg': {
        const schema = `${spec.props.schemaPrefix ?? 'homelab_cdk'}_${labId}_${stackId}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
        // conn_str is left to PG_CONN_STR: it holds the password. cdktf's type asks for it; Terraform does not.
        new PgBackend(stack, { schemaName: schema } as ConstructorParameters<typeof PgBackend>[1]);
        return;
      }
      case 'http': {
        const fill = (u: string | undefined) => u?.replace(/\{lab\}/g, labId).replace(/\{stack\}/g, stackId);
        const p = spec.props;
        new HttpBackend(stack, {
          address: fill(p.address)!,
          ...(p.lockAddress ? { lockAddress: fill(p.lockAddress), unlockAddress: fill(p.unlockAddress ?? p.lockAddress) } : {}),
        });
        return;
      }
    }
  }
}
