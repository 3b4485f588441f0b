import { Construct } from 'constructs';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addCheck, fail } from '../../lib/problems';
import { renderTemplate } from '../../lib/templates';
import { CatalogServiceProps, NativeService, Peer, Port, Secret, Size, Volume } from '../core';

/** One SMB share. */
export interface FileShare {
  /** Name clients see (`\\fileserver\<name>`). */
  readonly name: string;
  /** Directory inside the container; it must lie in a mounted volume. */
  readonly path: string;
  /** @default false */
  readonly readOnly?: boolean;
  /** Samba users (or `@group`s) allowed to connect. @default - every user of the file server */
  readonly validUsers?: readonly string[];
}

export interface FileServerProps extends CatalogServiceProps {
  /** The lab's shared data, mounted at `/srv/data`. @default - none */
  readonly data?: Volume;
  /** More volumes to share, each at its path. @default [] */
  readonly mounts?: readonly { readonly volume: Volume; readonly path: string; readonly readOnly?: boolean }[];
  /** @default - one share 'backups' of `/srv/data/backups` when `data` is given, else none */
  readonly shares?: readonly FileShare[];
  /**
   * Samba accounts; each one's password is the vault secret `fileserver_<user>_password`.
   * @default ['homelab']
   */
  readonly users?: readonly string[];
  /** SMB workgroup. @default 'WORKGROUP' */
  readonly workgroup?: string;
  /**
   * Cockpit's administrator: a login user in the sudo group whose password hash is the vault secret
   * `fileserver_admin_password_hash` (root may not log in to Cockpit, the Samba users have no shell).
   * @default 'admin'
   */
  readonly adminUser?: string;
}

/** Where the lab's data volume appears in the file server. */
export const FILE_SERVER_DATA_PATH = '/srv/data';
/** Local user and group that own files written through the shares (uid/gid = the lab's data owner). */
export const FILE_SERVER_DATA_USER = 'homelab-data';
const SHARE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;
const USER_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const RESERVED_SHARES = ['global', 'homes', 'printers', 'print$', 'ipc$'];
/** Names the administrator may not take: root is in Cockpit's disallowed-users, the rest are Debian system accounts. */
const RESERVED_USERS = ['root', FILE_SERVER_DATA_USER, 'daemon', 'bin', 'sys', 'nobody', 'www-data', 'sudo'];

/**
 * The file server: Samba and Cockpit installed natively (no Docker) by the `fileserver` Ansible
 * role. `smb.conf` is generated from the shares of the model; Cockpit (9090, HTTPS) is an admin UI
 * and stays on the LAN.
 */
export class FileServer extends NativeService {
  readonly shares: readonly FileShare[];
  readonly users: readonly string[];
  readonly workgroup: string;
  /** Vault secret of each Samba user's password, by user name. */
  readonly userPasswords: ReadonlyMap<string, Secret>;
  /** Cockpit's administrator (a sudoer with a login shell). */
  readonly adminUser: string;
  /** Vault secret: the crypt(3) hash of the administrator's password. */
  readonly adminPasswordHash: Secret;

  constructor(scope: Construct, id: string, props: FileServerProps) {
    // Infrastructure: shares are up before the apps that may write to them.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(8), startupOrder: 30, packages: 'the file server' });
    if (props.data) this.addMount(props.data, FILE_SERVER_DATA_PATH);
    for (const m of props.mounts ?? []) this.addMount(m.volume, m.path, { readOnly: m.readOnly });

    this.workgroup = props.workgroup ?? 'WORKGROUP';
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,14}$/.test(this.workgroup)) fail(this, `workgroup '${this.workgroup}' is not a NetBIOS name`, 'use up to 15 letters, digits, - and _');
    this.users = [...(props.users ?? ['homelab'])];
    if (this.users.length === 0) fail(this, 'a file server needs at least one Samba user', "keep the default ['homelab'] or name your users");
    const passwords = new Map<string, Secret>();
    for (const user of this.users) {
      if (!USER_NAME.test(user)) fail(this, `Samba user '${user}' is not a valid user name`, 'use lowercase letters, digits, - and _ (max 32)');
      if (passwords.has(user)) fail(this, `Samba user '${user}' is listed twice`, 'list each user once');
      const secret = Secret.vault(`fileserver_${user.replace(/-/g, '_')}_password`);
      this.lab.secrets.declare(this, secret, `Samba password of the user '${user}' on the file server ${this.hostname}.`);
      this.lab.secrets.use(this, secret);
      passwords.set(user, secret);
    }
    this.userPasswords = passwords;

    this.adminUser = props.adminUser ?? 'admin';
    if (typeof this.adminUser !== 'string' || !USER_NAME.test(this.adminUser)) fail(this, `adminUser '${String(this.adminUser)}' is not a valid user name`, 'use lowercase letters, digits, - and _ (max 32)');
    else if (RESERVED_USERS.includes(this.adminUser)) fail(this, `adminUser '${this.adminUser}' is reserved`, `pick another name: ${RESERVED_USERS.join(', ')} cannot log in to Cockpit or are system accounts`);
    else if (this.users.includes(this.adminUser)) fail(this, `adminUser '${this.adminUser}' is also a Samba user`, 'give the administrator its own name: Samba users get no shell or Unix password');
    this.adminPasswordHash = Secret.vault('fileserver_admin_password_hash');
    this.lab.secrets.declare(this, this.adminPasswordHash, `Crypt hash (not the password) of the Cockpit administrator '${this.adminUser}' on the file server ${this.hostname}: the output of \`openssl passwd -6\`.`);
    this.lab.secrets.use(this, this.adminPasswordHash);

    this.shares = [...(props.shares ?? (props.data ? [{ name: 'backups', path: `${FILE_SERVER_DATA_PATH}/backups` }] : []))];
    const names = new Set<string>();
    for (const s of this.shares) {
      if (!SHARE_NAME.test(s.name) || RESERVED_SHARES.includes(s.name.toLowerCase())) fail(this, `share name '${s.name}' is not allowed`, `use letters, digits, -, _ and . (not ${RESERVED_SHARES.join(', ')})`);
      if (names.has(s.name.toLowerCase())) fail(this, `share '${s.name}' is defined twice`, 'give each share its own name (names are case-insensitive)');
      names.add(s.name.toLowerCase());
      if (!s.path.startsWith('/') || s.path.split('/').includes('..')) fail(this, `share '${s.name}' has path '${s.path}', which is not an absolute path`, `use a directory below a mounted volume, e.g. '${FILE_SERVER_DATA_PATH}/backups'`);
      for (const u of s.validUsers ?? []) {
        if (!u.startsWith('@') && !this.users.includes(u)) fail(this, `share '${s.name}' allows user '${u}', who is not a user of this file server`, `add '${u}' to users or use one of: ${this.users.join(', ')}`);
      }
    }

    this.declarePort(Port.tcp(445), 'SMB file sharing');
    this.declarePort(Port.tcp(9090), 'Cockpit web administration (HTTPS)');
    this.addWebUi({
      port: Port.tcp(9090),
      scheme: 'https',
      access: 'lan-only',
      reason: 'server administration (Cockpit): admin UIs stay off the internet; use it from the LAN or through the VPN',
      subdomain: 'cockpit',
      title: 'Cockpit (file server)',
    });
    this.addHealthEndpoint({ port: Port.tcp(445) });
    // SMB clients are on the LAN (and reach it through the VPN server, which masquerades into it).
    this.connections.allowFrom(Peer.network(this.network), Port.tcp(445), { description: 'SMB clients on the LAN' });
    this.addToGroup('fileservers');
    addCheck(this, () => this.checkSharePaths());
  }

  /** smb.conf for the shares of the model (ansible-templates/samba/smb.conf.hbs). */
  renderSmbConf(): string {
    return renderTemplate('samba/smb.conf.hbs', {
      source: this.node.path,
      hostname: this.hostname,
      workgroup: this.workgroup,
      dataUser: FILE_SERVER_DATA_USER,
      dataGroup: FILE_SERVER_DATA_USER,
      shares: this.shares.map((s) => ({
        name: s.name,
        path: s.path,
        readOnly: s.readOnly ?? false,
        validUsers: [...(s.validUsers ?? this.users)],
      })),
    });
  }

  contributeAnsible(project: AnsibleProject): void {
    this.setHostVar('fileserver_users', this.users.map((name) => ({ name, password: this.userPasswords.get(name)!.jinja })));
    this.setHostVar('fileserver_share_paths', this.shares.map((s) => s.path));
    this.setHostVar('fileserver_data_user', FILE_SERVER_DATA_USER);
    this.setHostVar('fileserver_admin_user', this.adminUser);
    this.setHostVar('fileserver_admin_password_hash', this.adminPasswordHash.jinja);
    super.contributeAnsible(project);
    project.addHostFile(this.hostname, 'smb.conf', this.renderSmbConf());
    project.useRole('fileserver');
    project.addPlay(this.stack.stackName, { name: `Set up Samba and Cockpit on ${this.hostname}`, hosts: this.hostname, roles: ['fileserver'] });
  }

  private checkSharePaths(): { message: string; fix: string }[] {
    const mounted = this.mountedVolumes.map((m) => m.path);
    return this.shares
      .filter((s) => !mounted.some((m) => s.path === m || s.path.startsWith(`${m}/`)))
      .map((s) => ({
        message: `share '${s.name}' (${s.path}) is not inside a mounted volume${mounted.length ? ` (mounted: ${mounted.join(', ')})` : ''}`,
        fix: 'mount the volume that holds it (data or mounts) or fix the share path',
      }));
  }
}
