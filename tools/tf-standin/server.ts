/**
 * Entry point of the bpg/proxmox stand-in: a Terraform provider plugin (protocol 6 over gRPC, go-plugin
 * handshake) that serves the provider schema from a file and plans/fakes changes without any network
 * but loopback. Terraform starts it through the wrapper that terraform-runner.ts writes; running it by
 * hand only prints a notice, as go-plugin servers do.
 */
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { CtyValue } from './cty';
import {
  decodeDynamic,
  DiagnosticMsg,
  DynamicValueMsg,
  encodeDynamic,
  FAKE_APPLY_ENV,
  StandinProvider,
  TWIN_ENV,
} from './provider';
import { EXISTING_ENV, readExisting } from './existing';
import { HA_CLUSTER_ENV } from './ha-cluster';
import { loadProviderSchema, resolveSchemaPath } from './schema';
import { generateServerCert } from './tls';
import { lazyTwinBackend, loadTwinBackendModule, twinModulePath } from './twin-loader';

const MAGIC_COOKIE_KEY = 'TF_PLUGIN_MAGIC_COOKIE';
const MAGIC_COOKIE_VALUE = 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2';
const CORE_PROTOCOL_VERSION = 1;
const APP_PROTOCOL_VERSION = 6;

type Handler<Req, Res> = (call: { request: Req }, callback: (err: grpc.ServiceError | null, res?: Res) => void) => void;

function log(message: string): void {
  // go-plugin forwards the plugin's stderr into terraform's log (TF_LOG=debug shows it).
  process.stderr.write(`[tf-standin] ${message}\n`);
}

/**
 * Wraps a handler, synchronous or async, so that an unexpected exception or rejection reaches terraform
 * as an error, not a hang.
 */
function unary<Req, Res>(name: string, f: (req: Req) => Res | Promise<Res>): Handler<Req, Res> {
  return (call, callback) => {
    const fail = (err: unknown) => {
      log(`${name} failed: ${(err as Error).stack ?? String(err)}`);
      callback({ name: 'Error', message: `stand-in ${name}: ${(err as Error).message}`, code: grpc.status.INTERNAL, details: (err as Error).message, metadata: new grpc.Metadata() });
    };
    let res: Res | Promise<Res>;
    try {
      res = f(call.request);
    } catch (err) {
      fail(err);
      return;
    }
    if (res instanceof Promise) res.then((r) => callback(null, r), fail);
    else callback(null, res);
  };
}

function pathSteps(paths: (string | number)[][]) {
  return paths.map((p) => ({
    steps: p.map((s) => (typeof s === 'number' ? { element_key_int: s } : { attribute_name: s })),
  }));
}

function providerService(load: () => StandinProvider) {
  // A schema that cannot be served becomes an error diagnostic on GetProviderSchema: terraform prints
  // those verbatim, while a plugin that dies before the handshake yields only "plugin exited".
  let provider: StandinProvider | undefined;
  let loadError: string | undefined;
  try {
    provider = load();
  } catch (err) {
    loadError = (err as Error).message;
  }
  const loadDiag = (): DiagnosticMsg[] => [{ severity: 'ERROR', summary: 'bpg/proxmox stand-in cannot serve its schema', detail: loadError ?? '' }];
  const p = (): StandinProvider => {
    if (!provider) throw new Error(loadError);
    return provider;
  };

  type TypedReq = { type_name: string; config?: DynamicValueMsg };
  return {
    GetProviderSchema: unary('GetProviderSchema', () => (provider ? provider.getProviderSchema() : { diagnostics: loadDiag() })),
    GetFunctions: unary('GetFunctions', () => ({ functions: {}, diagnostics: [] })),
    GetResourceIdentitySchemas: unary('GetResourceIdentitySchemas', () => ({ identity_schemas: {}, diagnostics: [] })),
    ValidateProviderConfig: unary('ValidateProviderConfig', (req: { config?: DynamicValueMsg }) => ({
      diagnostics: provider ? provider.validateProviderConfig(decodeDynamic(req.config)) : loadDiag(),
    })),
    ValidateResourceConfig: unary('ValidateResourceConfig', (req: TypedReq) => ({
      diagnostics: p().validateResourceConfig(req.type_name, decodeDynamic(req.config)),
    })),
    ValidateDataResourceConfig: unary('ValidateDataResourceConfig', (req: TypedReq) => ({
      diagnostics: p().validateDataResourceConfig(req.type_name, decodeDynamic(req.config)),
    })),
    ConfigureProvider: unary('ConfigureProvider', () => ({ diagnostics: provider ? [] : loadDiag() })),
    // The state was written by this same schema (or by the real provider at the same version): pass the
    // stored JSON through untouched instead of pretending to know the provider's state migrations.
    UpgradeResourceState: unary('UpgradeResourceState', (req: { raw_state?: { json?: Buffer } }) => {
      const json = req.raw_state?.json;
      if (!json || json.length === 0) {
        return {
          diagnostics: [{ severity: 'ERROR', summary: 'Unsupported state format', detail: 'The stand-in only reads JSON state (terraform 0.12 and later).' }],
        };
      }
      return { upgraded_state: { json }, diagnostics: [] };
    }),
    // Nothing real to refresh from: the recorded state is the truth.
    ReadResource: unary('ReadResource', (req: { current_state?: DynamicValueMsg; private?: Buffer }) => ({
      new_state: req.current_state,
      private: req.private,
      diagnostics: [],
    })),
    PlanResourceChange: unary(
      'PlanResourceChange',
      (req: TypedReq & { prior_state?: DynamicValueMsg; proposed_new_state?: DynamicValueMsg; prior_private?: Buffer }) => {
        const res = p().planResourceChange(req.type_name, decodeDynamic(req.prior_state), decodeDynamic(req.proposed_new_state));
        return {
          planned_state: encodeDynamic(res.planned),
          requires_replace: pathSteps(res.requiresReplace),
          planned_private: req.prior_private,
          diagnostics: res.diagnostics,
        };
      },
    ),
    ApplyResourceChange: unary(
      'ApplyResourceChange',
      async (req: TypedReq & { prior_state?: DynamicValueMsg; planned_state?: DynamicValueMsg; planned_private?: Buffer }) => {
        const res = await p().applyResourceChange(
          req.type_name,
          decodeDynamic(req.prior_state),
          decodeDynamic(req.planned_state),
          decodeDynamic(req.config),
        );
        return { new_state: encodeDynamic(res.newState as CtyValue), private: req.planned_private, diagnostics: res.diagnostics };
      },
    ),
    ImportResourceState: unary('ImportResourceState', (req: { type_name: string; id: string }) => {
      const res = p().importResourceState(req.type_name, req.id);
      return {
        imported_resources: res.state === undefined ? [] : [{ type_name: req.type_name, state: encodeDynamic(res.state), private: Buffer.alloc(0) }],
        diagnostics: res.diagnostics,
      };
    }),
    ReadDataSource: unary('ReadDataSource', (req: TypedReq) => {
      const res = p().readDataSource(req.type_name, decodeDynamic(req.config));
      return { state: encodeDynamic(res.state), diagnostics: res.diagnostics };
    }),
    StopProvider: unary('StopProvider', () => ({ Error: '' })),
  };
}

async function main(): Promise<void> {
  if (process.env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    process.stderr.write(
      'This is the offline stand-in for the Terraform provider bpg/proxmox 0.111.1; terraform starts it.\n' +
        'Use `npm run tf:check` or `npm run plan` (see docs/terraform-standin.md).\n',
    );
    process.exit(1);
  }
  const versions = (process.env.PLUGIN_PROTOCOL_VERSIONS ?? String(APP_PROTOCOL_VERSION)).split(',');
  if (!versions.includes(String(APP_PROTOCOL_VERSION))) {
    process.stderr.write(`terraform offers plugin protocol versions ${versions.join(',')}; the stand-in speaks only ${APP_PROTOCOL_VERSION}\n`);
    process.exit(1);
  }

  const protoDir = path.join(__dirname, 'proto');
  const def = protoLoader.loadSync(['tfplugin6.proto', 'go-plugin.proto', 'health.proto'], {
    includeDirs: [protoDir],
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  // proto-loader returns untyped service constructors; the shape is fixed by the .proto files above.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const pkg = grpc.loadPackageDefinition(def) as any;

  const server = new grpc.Server({
    // The full reference schema (115 resources, 91 data sources) is larger than gRPC's 4 MiB default.
    'grpc.max_send_message_length': 256 * 1024 * 1024,
    'grpc.max_receive_message_length': 256 * 1024 * 1024,
  });
  const openStreams = new Set<grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>>();

  const shutdown = () => {
    for (const s of openStreams) s.end();
    server.forceShutdown();
    process.exit(0);
  };

  const schemaPath = resolveSchemaPath();
  // Twin mode: containers become real LXC containers through tools/twin (loaded on first use); every
  // other resource gets the fake apply.
  const twinConfig = process.env[TWIN_ENV];
  const twin = twinConfig ? lazyTwinBackend(() => loadTwinBackendModule(twinModulePath(), twinConfig)) : undefined;
  server.addService(
    pkg.tfplugin6.Provider.service,
    providerService(() => new StandinProvider(loadProviderSchema(schemaPath), {
      fakeApply: process.env[FAKE_APPLY_ENV] === '1' || !!twin,
      twin,
      ...(process.env[EXISTING_ENV] ? { existing: readExisting(process.env[EXISTING_ENV]!) } : {}),
      ...(process.env[HA_CLUSTER_ENV] ? { haCluster: process.env[HA_CLUSTER_ENV] } : {}),
    })),
  );
  server.addService(pkg.grpc.health.v1.Health.service, {
    Check: unary('Health.Check', () => ({ status: 'SERVING' })),
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      openStreams.add(call);
      call.write({ status: 'SERVING' });
    },
  });
  server.addService(pkg.plugin.GRPCController.service, {
    Shutdown: (_call: unknown, callback: (err: null, res: object) => void) => {
      callback(null, {});
      // Let the reply leave before the process goes; terraform waits up to 2 s for the exit otherwise.
      setImmediate(shutdown);
    },
  });
  server.addService(pkg.plugin.GRPCStdio.service, {
    StreamStdio: (call: grpc.ServerWritableStream<unknown, unknown>) => {
      openStreams.add(call);
    },
  });
  server.addService(pkg.plugin.GRPCBroker.service, {
    StartStream: (call: grpc.ServerDuplexStream<unknown, unknown>) => {
      openStreams.add(call);
      call.on('end', () => call.end());
      call.on('error', () => undefined);
    },
  });

  const clientCert = process.env.PLUGIN_CLIENT_CERT;
  const useTls = !!clientCert && process.env.TF_DISABLE_PLUGIN_TLS !== '1';
  const cert = useTls ? generateServerCert() : undefined;
  const creds = cert
    ? grpc.ServerCredentials.createSsl(Buffer.from(clientCert!), [{ cert_chain: Buffer.from(cert.certPem), private_key: Buffer.from(cert.keyPem) }], true)
    : grpc.ServerCredentials.createInsecure();

  const port = await new Promise<number>((resolve, reject) =>
    // Loopback only: the stand-in must never be reachable from, or reach, anything else.
    server.bindAsync('127.0.0.1:0', creds, (err, p) => (err ? reject(err) : resolve(p))),
  );

  const fields = [CORE_PROTOCOL_VERSION, APP_PROTOCOL_VERSION, 'tcp', `127.0.0.1:${port}`, 'grpc'];
  if (cert) fields.push(cert.handshakeBase64);
  process.stdout.write(`${fields.join('|')}\n`);

  // If terraform dies without calling Shutdown (killed by a test timeout, Ctrl-C), go with it rather
  // than linger as an orphan holding a port.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) shutdown();
  }, 500).unref();
  process.on('SIGTERM', shutdown);
  // Ctrl-C reaches the whole process group; like go-plugin servers, leave the stop to terraform, which
  // finishes its graceful shutdown and then calls Shutdown.
  process.on('SIGINT', () => undefined);
}

main().catch((err) => {
  log(`fatal: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
