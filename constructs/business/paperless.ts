import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret, Size } from '../core';
import { isReverseProxy } from '../core/capabilities';

/**
 * Pinned 2026-11-25.
 * - Paperless-ngx 3.0.5, the newest 3.0.x (v3 since 2026-07-22: SECRET_KEY and DBENGINE mandatory,
 *   upgrades only from 2.20.15).
 * - PostgreSQL 18 (services.md), the 18.4 patch release. The PG 18 image keeps its data below
 *   /var/lib/postgresql/<major>/, so the volume is mounted at /var/lib/postgresql.
 * - Valkey 9: the broker and, since v3, the Celery result backend.
 * - Gotenberg 8 and Tika 3 (optional): Office/e-mail conversion and text extraction.
 */
export const PAPERLESS_IMAGE = Image.of('ghcr.io/paperless-ngx/paperless-ngx', '3.0.5');
export const PAPERLESS_POSTGRES_IMAGE = Image.of('docker.io/library/postgres', '18.4');
export const PAPERLESS_VALKEY_IMAGE = Image.of('docker.io/valkey/valkey', '9.0.3');
export const GOTENBERG_IMAGE = Image.of('docker.io/gotenberg/gotenberg', '8.29.1');
export const TIKA_IMAGE = Image.of('docker.io/apache/tika', '3.3.0.0');

const PAPERLESS_PORT = 8000;

export interface PaperlessProps extends CatalogServiceProps {
  /** SWAG subdomain. @default 'paperless' */
  readonly subdomain?: string;
  /**
   * Add Tika and Gotenberg (Paperless' docker-compose.postgres-tika.yml) to ingest Office documents
   * and e-mails (.eml): Tika extracts the text, Gotenberg renders the PDF. They cost about 1 GiB of
   * memory while converting; false leaves them out. @default true
   */
  readonly officeDocuments?: boolean;
  /** OCR language(s), Tesseract codes joined by '+'. @default 'deu+eng' */
  readonly ocrLanguage?: string;
  /** Django's secret key. @default Secret.vault('paperless_secret_key') */
  readonly secretKey?: Secret;
  /** Password of the Paperless database. @default Secret.vault('paperless_db_password') */
  readonly dbPassword?: Secret;
}

/**
 * Paperless-ngx, the document archive: web server, Valkey broker and PostgreSQL, optionally Tika and
 * Gotenberg. Uploads are unlimited through SWAG (scans and PDFs get large).
 */
export class Paperless extends CatalogService {
  readonly webserver: ComposeService;
  readonly broker: ComposeService;
  readonly db: ComposeService;
  readonly tika?: ComposeService;
  readonly gotenberg?: ComposeService;
  readonly secretKey: Secret;
  readonly dbPassword: Secret;

  constructor(scope: Construct, id: string, props: PaperlessProps) {
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(3), disk: Size.gibibytes(32), startupOrder: 50 });
    const subdomain = props.subdomain ?? 'paperless';
    this.secretKey = props.secretKey ?? Secret.vault('paperless_secret_key');
    this.lab.secrets.declare(this, this.secretKey, 'Django secret key of Paperless-ngx, required since v3 (e.g. `openssl rand -base64 48`).');
    this.dbPassword = props.dbPassword ?? Secret.vault('paperless_db_password');
    this.lab.secrets.declare(this, this.dbPassword, `Password of the Paperless-ngx database on ${this.hostname}.`);
    const password = EnvValue.fromSecret(this.dbPassword);

    this.db = new ComposeService(this, 'db', {
      image: PAPERLESS_POSTGRES_IMAGE,
      environment: { POSTGRES_DB: 'paperless', POSTGRES_USER: 'paperless', POSTGRES_PASSWORD: password },
      mounts: [{ source: './pgdata', target: '/var/lib/postgresql' }],
      healthcheck: Healthcheck.command(['pg_isready', '--username', 'paperless', '--dbname', 'paperless']),
    });
    this.broker = new ComposeService(this, 'broker', {
      image: PAPERLESS_VALKEY_IMAGE,
      mounts: [{ source: './redisdata', target: '/data' }],
      healthcheck: Healthcheck.command(['valkey-cli', 'ping']),
    });
    if (props.officeDocuments ?? true) {
      this.gotenberg = new ComposeService(this, 'gotenberg', {
        image: GOTENBERG_IMAGE,
        // Paperless' own hardening: no JavaScript, only local files.
        command: ['gotenberg', '--chromium-disable-javascript=true', '--chromium-allow-list=file:///tmp/.*'],
      });
      this.tika = new ComposeService(this, 'tika', { image: TIKA_IMAGE });
    }

    const owner = this.lab.dataOwner;
    this.webserver = new ComposeService(this, 'webserver', {
      image: this.mainImage(PAPERLESS_IMAGE),
      ports: [{ port: Port.tcp(PAPERLESS_PORT), description: 'Paperless-ngx web UI and REST API' }],
      environment: {
        PAPERLESS_URL: `https://${subdomain}.${this.lab.domain}`,
        PAPERLESS_SECRET_KEY: EnvValue.fromSecret(this.secretKey),
        PAPERLESS_REDIS: `redis://${this.broker.serviceKey}:6379`,
        PAPERLESS_DBENGINE: 'postgresql',
        PAPERLESS_DBHOST: this.db.serviceKey,
        PAPERLESS_DBPASS: password,
        PAPERLESS_TIME_ZONE: this.lab.timezone,
        PAPERLESS_OCR_LANGUAGE: props.ocrLanguage ?? 'deu+eng',
        USERMAP_UID: owner.uid,
        USERMAP_GID: owner.gid,
        ...(this.tika && this.gotenberg
          ? {
              PAPERLESS_TIKA_ENABLED: 1,
              PAPERLESS_TIKA_ENDPOINT: `http://${this.tika.serviceKey}:9998`,
              PAPERLESS_TIKA_GOTENBERG_ENDPOINT: `http://${this.gotenberg.serviceKey}:3000`,
            }
          : {}),
      },
      mounts: [
        { source: './data', target: '/usr/src/paperless/data' },
        { source: './media', target: '/usr/src/paperless/media' },
        { source: './consume', target: '/usr/src/paperless/consume' },
        { source: './export', target: '/usr/src/paperless/export' },
      ],
      dependsOn: [this.db, this.broker, ...(this.tika && this.gotenberg ? [this.tika, this.gotenberg] : [])],
      // The image's HEALTHCHECK curls :8000 the same way.
      healthcheck: Healthcheck.http(Port.tcp(PAPERLESS_PORT), '/'),
    });

    this.addWebUi({ port: Port.tcp(PAPERLESS_PORT), access: 'routed', subdomain, unlimitedBody: true, title: 'Paperless-ngx', accessLevel: 'sso', accessReason: 'private documents: SSO in front of its own login' });
  }

  /**
   * The lab's reverse proxies (SWAG), from the model. Paperless reads the client address behind them
   * only from these (PAPERLESS_TRUSTED_PROXIES, docs/configuration.md: "prevent IP address spoofing
   * if you are using e.g. fail2ban"; it also sets allauth's trusted proxy count, so login rate limits
   * count each client, not SWAG for everyone).
   */
  get trustedProxies(): string[] {
    return this.lab.containers.filter((c) => c !== this && isReverseProxy(c)).map((c) => c.ipAddress).sort();
  }

  contributeAnsible(project: AnsibleProject): void {
    // Addresses are final only now (the tree is complete and allocated).
    const proxies = this.trustedProxies;
    if (proxies.length && !this.webserver.environment.has('PAPERLESS_TRUSTED_PROXIES')) this.webserver.addEnvironment('PAPERLESS_TRUSTED_PROXIES', proxies.join(','));
    super.contributeAnsible(project);
    this.addHealthEndpointOf(this.webserver);
  }
}
