/**
 * The server half of go-plugin's automatic mutual TLS.
 *
 * Terraform hands the plugin its client certificate (PLUGIN_CLIENT_CERT) and pins whatever server
 * certificate the plugin announces in the handshake line, so a fresh self-signed certificate per start
 * is all that is needed; it never leaves loopback.
 *
 * Why the `openssl` CLI rather than an npm library: Node can make the key pair but not an X.509
 * certificate; `selfsigned`/`node-forge` would add a dependency and generate RSA keys in pure JS
 * (hundreds of ms per provider start, and terraform starts the provider several times per command).
 * Debian always ships `openssl`, and signing a P-256 certificate with it takes a few milliseconds.
 */
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface ServerCert {
  readonly certPem: string;
  readonly keyPem: string;
  /** DER bytes, base64 without padding, as go-plugin expects in the handshake line. */
  readonly handshakeBase64: string;
}

export function generateServerCert(): ServerCert {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  // Node hands a child's stdin over as a socket, which openssl cannot open as /dev/stdin: the key goes
  // through a private temp file that lives for the few milliseconds of the call.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tf-standin-tls-'));
  const keyFile = path.join(dir, 'key.pem');
  let res: SpawnSyncReturns<string>;
  try {
    fs.writeFileSync(keyFile, keyPem, { mode: 0o600 });
    res = spawnSync(
      'openssl',
      [
        'req', '-x509', '-new', '-key', keyFile, '-sha256', '-days', '1', '-subj', '/CN=localhost',
        // go-plugin's client checks the name "localhost" and, like its own certificates, wants a
        // CA-flagged certificate usable for both ends of the connection.
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-addext', 'basicConstraints=critical,CA:TRUE',
        '-addext', 'keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign',
        '-addext', 'extendedKeyUsage=serverAuth,clientAuth',
      ],
      { encoding: 'utf8' },
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (res.error || res.status !== 0) {
    const why = res.error ? res.error.message : res.stderr;
    throw new Error(
      `cannot create the stand-in's TLS certificate with openssl (${why.trim()}); install openssl or set TF_DISABLE_PLUGIN_TLS=1`,
    );
  }
  const certPem = res.stdout;
  const der = new X509Certificate(certPem).raw;
  return { certPem, keyPem, handshakeBase64: der.toString('base64').replace(/=+$/, '') };
}
