import { Construct } from 'constructs';
import { hostFileSrc, type AnsibleProject } from '../../lib/ansible/project';
import { fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import { BruteForceProtection, CatalogService, CatalogServiceProps, ComposeService, EnvValue, Healthcheck, Image, Port, Secret, Size } from '../core';
import { FIRST_LOGIN_GUIDE, IFirstLoginGuide } from '../core/capabilities';

/**
 * Pinned 2026-11-25.
 * - Odoo 19 (official library image), the dated build 19.0-20260803: `odoo:19` moves nightly.
 * - PostgreSQL 16 (services.md), the 16.14 patch release.
 */
export const ODOO_IMAGE = Image.of('docker.io/library/odoo', '19.0-20260803');
export const ODOO_POSTGRES_IMAGE = Image.of('docker.io/library/postgres', '16.14');

const ODOO_PORT = 8069;

/** The database the default `dbfilter` serves: create it under this name (README, Odoo). */
export const ODOO_DEFAULT_DATABASE = 'odoo';

/**
 * The `odoo` user of the official image. The Dockerfile (github.com/odoo/docker, 19.0/Dockerfile:
 * `FROM ubuntu:noble`, `apt-get install ./odoo.deb`, `USER odoo`) does not fix the ids: the odoo
 * package's postinst creates the user with `adduser --system --group`, which on ubuntu:noble takes
 * the first free system uid, 100, and the first free system gid, 101 (100 is `users`). Reported
 * as `uid=100(odoo) gid=101(odoo)` for the same noble-based 18.0 image (odoo/odoo#183106), and
 * TrueNAS's app moved its volume owner to 100 for it (truenas/apps#1747).
 */
export const ODOO_IMAGE_USER = { uid: 100, gid: 101 } as const;

/**
 * Odoo's login form: a wrong password renders the form again (200, "Wrong login/password"), a good
 * one redirects (303: `request.redirect` defaults to 303 in odoo/http.py; web_login in
 * addons/web/controllers/home.py). So every answer but 303 to POST /web/login is a failure.
 * JSON-RPC logins (/web/session/authenticate, /xmlrpc/2/common) answer 200 either way and are
 * left to Odoo's own per-address cooldown (base.login_cooldown_after, real addresses thanks to proxy_mode).
 */
export const ODOO_LOGINS: BruteForceProtection = { logins: [{ path: '/web/login', method: 'POST', successStatuses: [303] }] };

export interface OdooProps extends CatalogServiceProps {
  /** SWAG subdomain. @default 'odoo' */
  readonly subdomain?: string;
  /**
   * Offer the database manager (/web/database, `list_db = True`), protected by the master password
   * only: it can create, copy, back up and drop every database. Turn it on only to create the
   * first database (README, Odoo), then off again. Odoo's deployment guide, "Database Manager
   * Security" (https://www.odoo.com/documentation/19.0/administration/on_premise/deploy.html),
   * advises `list_db = False` and a restrictive `dbfilter` on internet-facing servers.
   * @default false
   */
  readonly databaseManager?: boolean;
  /**
   * Regular expression of the databases Odoo serves (`dbfilter`, `%h`/`%d` expand to the host/first
   * domain label). @default '^odoo$' (ODOO_DEFAULT_DATABASE)
   */
  readonly dbFilter?: string;
  /** Ban clients that fail Odoo's login form too often (SWAG's fail2ban). false turns it off. @default ODOO_LOGINS */
  readonly bruteForceProtection?: BruteForceProtection | false;
  /** Master password of the database manager. @default Secret.vault('odoo_admin_password') */
  readonly adminPassword?: Secret;
  /** Password of Odoo's database role. @default Secret.vault('odoo_db_password') */
  readonly dbPassword?: Secret;
  /** uid of the `odoo` user of the image (owner of /var/lib/odoo, odoo.conf). @default 100 (ODOO_IMAGE_USER) */
  readonly odooUid?: number;
  /** gid of the `odoo` user of the image. @default 101 (ODOO_IMAGE_USER) */
  readonly odooGid?: number;
}

/**
 * Odoo (ERP/CRM) with its PostgreSQL. Odoo runs without workers, so HTTP and the websocket bus
 * share port 8069 and one SWAG route with websockets covers both. `odoo.conf` carries the master
 * password, so Ansible renders it from the vault before the compose project starts.
 */
export class Odoo extends CatalogService implements IFirstLoginGuide {
  readonly [FIRST_LOGIN_GUIDE] = true as const;
  readonly odoo: ComposeService;
  readonly db: ComposeService;
  readonly adminPassword: Secret;
  readonly dbPassword: Secret;
  private readonly databaseManager: boolean;
  private readonly dbFilter: string;
  private readonly odooUser: { readonly uid: number; readonly gid: number };

  constructor(scope: Construct, id: string, props: OdooProps) {
    super(scope, id, props, { cores: 2, memory: Size.gibibytes(2), disk: Size.gibibytes(16), startupOrder: 50 });
    const subdomain = props.subdomain ?? 'odoo';
    this.databaseManager = props.databaseManager ?? false;
    this.dbFilter = props.dbFilter ?? `^${ODOO_DEFAULT_DATABASE}$`;
    // One line of odoo.conf (itself a Jinja template), and a Python regular expression.
    if (this.dbFilter === '' || /[\r\n]/.test(this.dbFilter)) fail(this, 'dbFilter must be a non-empty single line', "write one regular expression, e.g. '^odoo$'");
    if (/\{[{%#]/.test(this.dbFilter)) fail(this, `dbFilter '${this.dbFilter}' contains a Jinja delimiter ({{, {% or {#)`, 'write the repetition as {2,} or [{] instead');
    try {
      new RegExp(this.dbFilter);
    } catch {
      fail(this, `dbFilter '${this.dbFilter}' is not a regular expression`, "write one regular expression, e.g. '^odoo$'");
    }
    for (const [name, value] of [['odooUid', props.odooUid], ['odooGid', props.odooGid]] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > 65534)) fail(this, `${name} must be an integer 1..65534, got ${value}`, `use the id \`docker run --rm --entrypoint id ${ODOO_IMAGE.ref} odoo\` prints`);
    }
    this.odooUser = { uid: props.odooUid ?? ODOO_IMAGE_USER.uid, gid: props.odooGid ?? ODOO_IMAGE_USER.gid };
    this.adminPassword = props.adminPassword ?? Secret.vault('odoo_admin_password');
    this.lab.secrets.declare(this, this.adminPassword, 'Master password of the Odoo database manager (admin_passwd; plain or a pbkdf2-sha512 hash).');
    this.lab.secrets.use(this, this.adminPassword);
    this.dbPassword = props.dbPassword ?? Secret.vault('odoo_db_password');
    this.lab.secrets.declare(this, this.dbPassword, `Password of the odoo role of the Odoo database on ${this.hostname}.`);
    const password = EnvValue.fromSecret(this.dbPassword);
    const owner = this.odooUser;

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
      healthcheck: Healthcheck.http(Port.tcp(ODOO_PORT), '/web/health'),
    });

    const bruteForce = props.bruteForceProtection ?? ODOO_LOGINS;
    const health = this.addHealthEndpointOf(this.odoo);
    this.addWebUi({
      port: Port.tcp(ODOO_PORT),
      access: 'routed',
      subdomain,
      websockets: true,
      healthPath: health.path,
      title: 'Odoo',
      accessLevel: 'sso',
      accessReason: 'business data and the database manager: SSO in front of its own login',
      ...(bruteForce ? { bruteForceProtection: bruteForce } : {}),
    });
  }

  /** How the first database is created (generated docs/services.md, "First login"). */
  get firstLoginNotes(): string[] {
    const subdomain = this.webUis[0]?.subdomain ?? 'odoo';
    return this.databaseManager
      ? [`the database manager is ON: create the database \`${ODOO_DEFAULT_DATABASE}\` (dbfilter \`${this.dbFilter}\`) at https://${subdomain}.${this.lab.domain}/web/database/manager with the master password (\`${this.adminPassword.variable}\`), then set databaseManager: false and deploy again.`]
      : [`the database manager is off (list_db = False). For the first database deploy once with \`databaseManager: true\`, create \`${ODOO_DEFAULT_DATABASE}\` (matching dbfilter \`${this.dbFilter}\`) at https://${subdomain}.${this.lab.domain}/web/database/manager, then turn it off again.`];
  }

  /** odoo.conf as a Jinja template (the master password is a vault reference). */
  renderConfig(): string {
    return renderTemplate('odoo/odoo.conf.hbs', {
      source: this.node.path,
      adminPassword: this.adminPassword.jinja,
      listDb: this.databaseManager ? 'True' : 'False',
      dbFilter: this.dbFilter,
    });
  }

  contributeAnsible(project: AnsibleProject): void {
    super.contributeAnsible(project);
    project.addHostFile(this.hostname, 'odoo.conf.j2', this.renderConfig());
    const uid = String(this.odooUser.uid);
    const gid = String(this.odooUser.gid);
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
          'ansible.builtin.file': { path: '{{ compose_project_dir }}/config', state: 'directory', owner: uid, group: gid, mode: '0750' },
        },
        {
          name: 'Write odoo.conf with the master password',
          'ansible.builtin.template': {
            src: hostFileSrc('odoo.conf.j2'),
            dest: '{{ compose_project_dir }}/config/odoo.conf',
            owner: uid,
            group: gid,
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
