import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { renderTemplate } from '../../lib/templates';
import { CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret } from '../core';

/**
 * Pinned 2026-11-25.
 * - Odoo 19 (official library image), the dated build 19.0-20260803: `odoo:19` moves nightly.
 * - PostgreSQL 16 (services.md), the 16.14 patch release.
 */
export const ODOO_IMAGE = Image.of('docker.io/library/odoo', '19.0-20260803');
export const ODOO_POSTGRES_IMAGE = Image.of('docker.io/library/postgres', '16.14');

const ODOO_PORT = 8069;

export interface OdooProps extends CatalogServiceProps {
  /** SWAG subdomain. @default 'odoo' */
  readonly subdomain?: string;
  /**
   * Offer the database manager (/web/database): needed to create the first database in the
   * browser, protected by the master password. Turn it off once the database exists.
   * @default true
   */
  readonly databaseManager?: boolean;
  /** Regular expression of the databases Odoo serves (`dbfilter`). @default - all */
  readonly dbFilter?: string;
  /** Master password of the database manager. @default Secret.vault('odoo_admin_password') */
  readonly adminPassword?: Secret;
  /** Password of Odoo's database role. @default Secret.vault('odoo_db_password') */
  readonly dbPassword?: Secret;
  /** uid/gid of the `odoo` user of the image (owner of /var/lib/odoo). @default 101 */
  readonly odooUid?: number;
}

/**
 * Odoo (ERP/CRM) with its PostgreSQL. Odoo runs without workers, so HTTP and the websocket bus
 * share port 8069 and one SWAG route with websockets covers both. `odoo.conf` carries the master
 * password, so Ansible renders it from the vault before the compose project starts.
 */
export class Odoo extends CatalogService {
  readonly odoo: ComposeService;
  readonly db: ComposeService;
  readonly adminPassword: Secret;
  readonly dbPassword: Secret;
  private readonly databaseManager: boolean;
  private readonly dbFilter?: string;
  private readonly odooUid: number;

  constructor(scope: Construct, id: string, props: OdooProps) {
    super(scope, id, props, { cores: 2, memoryMiB: 2048, diskGiB: 16, startupOrder: 50 });
    const subdomain = props.subdomain ?? 'odoo';
    this.databaseManager = props.databaseManager ?? true;
    this.dbFilter = props.dbFilter;
    this.odooUid = props.odooUid ?? 101;
    this.adminPassword = props.adminPassword ?? Secret.vault('odoo_admin_password');
    this.lab.secrets.declare(this, this.adminPassword, 'Master password of the Odoo database manager (admin_passwd; plain or a pbkdf2-sha512 hash).');
    this.lab.secrets.use(this, this.adminPassword);
    this.dbPassword = props.dbPassword ?? Secret.vault('odoo_db_password');
    this.lab.secrets.declare(this, this.dbPassword, `Password of the odoo role of the Odoo database on ${this.hostname}.`);
    const password = EnvValue.fromSecret(this.dbPassword);
    const owner = { uid: this.odooUid, gid: this.odooUid };

    this.db = new ComposeService(this, 'db', {
      image: ODOO_POSTGRES_IMAGE,
      environment: { POSTGRES_DB: 'postgres', POSTGRES_USER: 'odoo', POSTGRES_PASSWORD: password },
      mounts: [{ source: './pgdata', target: '/var/lib/postgresql/data' }],
      healthcheck: Healthcheck.command(['pg_isready', '--username', 'odoo', '--dbname', 'postgres']),
    });
    this.odoo = new ComposeService(this, 'odoo', {
      image: this.mainImage(ODOO_IMAGE),
      ports: [{ port: Port.tcp(ODOO_PORT), description: 'Odoo web client, API and websocket bus' }],
      environment: { HOST: this.db.serviceKey, USER: 'odoo', PASSWORD: password },
      // The image runs as the unprivileged odoo user: its directories must belong to it.
      mounts: [
        { source: './config', target: '/etc/odoo', owner },
        { source: './data', target: '/var/lib/odoo', owner },
        { source: './addons', target: '/mnt/extra-addons', owner },
      ],
      dependsOn: [this.db],
      healthcheck: Healthcheck.http(ODOO_PORT, '/web/health'),
    });

    this.addWebUi({ port: ODOO_PORT, access: 'routed', subdomain, websockets: true, healthPath: '/web/health', title: 'Odoo' });
    this.addHealthEndpoint({ port: ODOO_PORT, path: '/web/health' });
  }

  /** odoo.conf as a Jinja template (the master password is a vault reference). */
  renderConfig(): string {
    return renderTemplate('odoo/odoo.conf.hbs', {
      source: this.node.path,
      adminPassword: this.adminPassword.jinja,
      listDb: this.databaseManager ? 'True' : 'False',
      dbFilter: this.dbFilter ?? '',
    });
  }

  contributeAnsible(project: AnsibleProject): void {
    super.contributeAnsible(project);
    project.addFile(`files/${this.hostname}/odoo.conf.j2`, this.renderConfig());
    const uid = String(this.odooUid);
    // Before the Docker play, so Odoo's first start already reads the master password; later
    // changes restart it — only once the project was deployed (on the first run Docker may not
    // even be installed yet).
    project.addPlay(this.stack.stackName, {
      name: `Configure Odoo on ${this.hostname}`,
      hosts: this.hostname,
      tasks: [
        {
          name: 'Check whether the compose project was deployed before',
          'ansible.builtin.stat': { path: '{{ compose_project_dir }}/compose.yml' },
          register: 'odoo_compose_file',
        },
        {
          name: 'Create the Odoo configuration directory, owned by the odoo user of the image',
          'ansible.builtin.file': { path: '{{ compose_project_dir }}/config', state: 'directory', owner: uid, group: uid, mode: '0750' },
        },
        {
          name: 'Write odoo.conf with the master password',
          'ansible.builtin.template': {
            src: '{{ homelab_files_dir }}/{{ inventory_hostname }}/odoo.conf.j2',
            dest: '{{ compose_project_dir }}/config/odoo.conf',
            owner: uid,
            group: uid,
            mode: '0600',
          },
          no_log: true,
          notify: 'Restart Odoo',
        },
      ],
      handlers: [
        {
          name: 'Restart Odoo',
          'community.docker.docker_compose_v2': {
            project_src: '{{ compose_project_dir }}',
            project_name: '{{ compose_project_name }}',
            services: [this.odoo.serviceKey],
            state: 'restarted',
          },
          when: 'odoo_compose_file.stat.exists',
        },
      ],
    }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
  }
}
