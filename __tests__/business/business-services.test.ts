import { beforeAll, describe, expect, it } from 'vitest';
import { RCLONE_HEARTBEAT_METRIC } from '../../constructs/business/rclone-sync';
import { Port } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { App } from '../../lib/cdktf';
import { prepare } from '../../integrations/synth';
import { describeWithTools } from '../support/controller';
import { composeOf, file, smbConfProblems, synthErrorOf, SynthedLab, synthHomelab, testparm, tfContainer, yamlOf } from '../security/support';

let synthed: SynthedLab;
beforeAll(() => {
  synthed = synthHomelab();
});

describe('Paperless-ngx', () => {
  it('runs the pinned v3 web server with Valkey and PostgreSQL 18 (volume at /var/lib/postgresql)', () => {
    const svc = composeOf(synthed.files, 'paperless');
    expect(Object.keys(svc).sort()).toEqual(['broker', 'db', 'gotenberg', 'tika', 'webserver']);
    expect(svc.webserver.image).toBePinnedTo('ghcr.io/paperless-ngx/paperless-ngx', /^3\.0\.\d+$/);
    expect(svc.db.image).toBePinnedTo('docker.io/library/postgres', /^18\.\d+$/);
    expect(svc.broker.image).toMatch(/valkey:9\.\d+\.\d+$/);
    expect(svc.db.volumes).toEqual(['./pgdata:/var/lib/postgresql']);
    expect(svc.webserver.ports).toEqual(['8000:8000']);
  });

  it('sets what v3 requires, secrets from .env only', () => {
    const env = composeOf(synthed.files, 'paperless').webserver.environment;
    expect(env).toMatchObject({
      PAPERLESS_DBENGINE: 'postgresql',
      PAPERLESS_DBHOST: 'db',
      PAPERLESS_REDIS: 'redis://broker:6379',
      PAPERLESS_URL: 'https://paperless.home.example.org',
      PAPERLESS_SECRET_KEY: '${PAPERLESS_SECRET_KEY:?PAPERLESS_SECRET_KEY is written to .env by Ansible}',
      PAPERLESS_DBPASS: '${PAPERLESS_DBPASS:?PAPERLESS_DBPASS is written to .env by Ansible}',
    });
    const envFile = file(synthed.files, 'ansible/files/paperless/env.j2');
    expect(envFile).toContain("PAPERLESS_SECRET_KEY='{{ vault_paperless_secret_key |");
    expect(envFile).toContain("PAPERLESS_DBPASS='{{ vault_paperless_db_password |");
  });

  it('is routed with unlimited uploads', () => {
    expect(synthed.lab.business.paperless!.webUis).toEqual([expect.objectContaining({ port: 8000, access: 'routed', subdomain: 'paperless', unlimitedBody: true })]);
    expect(file(synthed.files, 'ansible/files/swag/proxy-confs/paperless.subdomain.conf')).toContain('client_max_body_size 0;');
  });

  it('adds Tika and Gotenberg for Office documents and e-mails by default (the reference lab has them)', () => {
    const svc = composeOf(synthed.files, 'paperless');
    expect(Object.keys(svc).sort()).toEqual(['broker', 'db', 'gotenberg', 'tika', 'webserver']);
    // Paperless' own hardening of Gotenberg (docker-compose.postgres-tika.yml).
    expect(svc.gotenberg.command).toEqual(['gotenberg', '--chromium-disable-javascript=true', '--chromium-allow-list=file:///tmp/.*']);
    expect(svc.webserver.depends_on).toMatchObject({ tika: { condition: 'service_started' }, gotenberg: { condition: 'service_started' } });
    expect(svc.webserver.environment).toMatchObject({
      PAPERLESS_TIKA_ENABLED: '1',
      PAPERLESS_TIKA_ENDPOINT: 'http://tika:9998',
      PAPERLESS_TIKA_GOTENBERG_ENDPOINT: 'http://gotenberg:3000',
    });
    expect(svc.gotenberg.image).toMatch(/gotenberg:8\.\d+\.\d+$/);
  });

  it('leaves Tika and Gotenberg out when officeDocuments is false', () => {
    const { files } = synthHomelab({ business: { paperless: { officeDocuments: false } } });
    const svc = composeOf(files, 'paperless');
    expect(Object.keys(svc).sort()).toEqual(['broker', 'db', 'webserver']);
    expect(svc.webserver.environment.PAPERLESS_TIKA_ENABLED).toBeUndefined();
  });

  it("trusts exactly SWAG's address (from the model) for client addresses, and none without SWAG", () => {
    const { lab } = synthed;
    expect(composeOf(synthed.files, 'paperless').webserver.environment.PAPERLESS_TRUSTED_PROXIES).toBe(lab.security.swag!.ipAddress);
    expect(lab.security.swag!.ipAddress).toBe('10.10.10.41');
    const moved = synthHomelab({ security: { overrides: { swag: { ipAddress: '10.10.10.98', vmId: 198 } } } });
    expect(composeOf(moved.files, 'paperless').webserver.environment.PAPERLESS_TRUSTED_PROXIES).toBe('10.10.10.98');
    const none = synthHomelab({ security: { overrides: { swag: { enabled: false } } } });
    expect(composeOf(none.files, 'paperless').webserver.environment.PAPERLESS_TRUSTED_PROXIES).toBeUndefined();
  });
});

describe('Odoo', () => {
  it('runs the pinned Odoo 19 build with PostgreSQL, health on /web/health', () => {
    const svc = composeOf(synthed.files, 'odoo');
    expect(svc.odoo.image).toBePinnedTo('docker.io/library/odoo', /^19\.0-\d{8}$/);
    expect(svc.db.image).toBePinnedTo('docker.io/library/postgres', /^16\.\d+$/);
    expect(svc.odoo.environment).toEqual({ HOST: 'db', USER: 'odoo', PASSWORD: '${PASSWORD:?PASSWORD is written to .env by Ansible}' });
    expect(svc.odoo.healthcheck.test[1]).toContain('http://localhost:8069/web/health');
    expect(synthed.lab.business.odoo!.webUis).toEqual([expect.objectContaining({ port: 8069, access: 'routed', websockets: true })]);
  });

  it('renders odoo.conf with the master password as a vault reference, deployed no_log', () => {
    const conf = file(synthed.files, 'ansible/files/odoo/odoo.conf.j2');
    expect(conf).toContain('admin_passwd = {{ vault_odoo_admin_password }}');
    expect(conf).toContain('proxy_mode = True');
    const plays = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/business.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const at = plays.findIndex((p) => p.hosts === 'odoo');
    const play = plays[at]!;
    const write = play.tasks.find((t: Record<string, any>) => t['ansible.builtin.template']); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(write.no_log).toBe(true);
    expect(write['ansible.builtin.template'].mode).toBe('0600');
    expect(write['ansible.builtin.template'].owner).toBe('100');
    expect(write['ansible.builtin.template'].group).toBe('101');
    // Written before the Docker play starts Odoo; a later change restarts it once deployed.
    expect(at).toBeLessThan(plays.findIndex((p) => p.roles?.includes('compose_project')));
    expect(play.handlers[0]['community.docker.docker_compose_v2']).toMatchObject({ services: ['odoo'], state: 'restarted' });
    expect(play.handlers[0].when).toBe('odoo_compose_file.stat.exists');
  });

  it('creates its mounted directories for the odoo user of the image', () => {
    const dirs = yamlOf(synthed.files, 'ansible/inventory/host_vars/odoo.yml').compose_project_directories;
    for (const path of ['addons', 'config', 'data']) expect(dirs).toContainEqual({ path, owner: 100, group: 101, mode: '0750' });
  });
});

describe('File server', () => {
  it('is a plain LXC (no Docker), configured by the fileserver role', () => {
    const fs = synthed.lab.business.fileServer!;
    expect('composeServices' in fs).toBe(false);
    expect(synthed.files.has('ansible/files/fileserver/compose.yml')).toBe(false);
    const inventory = yamlOf(synthed.files, 'ansible/inventory/hosts.yml');
    expect(Object.keys(inventory.all.children.docker_hosts.hosts)).not.toContain('fileserver');
    const ct = tfContainer(synthed.files, 'business', 'fileserver');
    // Nesting even without Docker: systemd 257 of Debian 13 needs it (issue 10, item 22).
    expect(ct.features.nesting).toBe(true);
    expect(ct.vm_id).toBe(155);
    expect(ct.startup.order).toBe(30);
    const plays = yamlOf<{ hosts: string; roles?: string[] }[]>(synthed.files, 'ansible/business.yml');
    expect(plays.find((p) => p.roles?.includes('fileserver'))?.hosts).toBe('fileserver');
  });

  it('shares the data volume\'s backups/ by default, files owned by the data owner', () => {
    expect(tfContainer(synthed.files, 'business', 'fileserver').mount_point).toEqual([{ path: '/srv/data', volume: '/tank/data', read_only: false, shared: false }]);
    const conf = file(synthed.files, 'ansible/files/fileserver/smb.conf');
    expect(conf).toContain('[backups]\n   path = /srv/data/backups\n');
    expect(conf).toContain('valid users = homelab\n');
    expect(conf).toContain('force user = homelab-data\n');
    expect(conf).toContain('read only = no\n');
  });

  it('renders the shares of the model', () => {
    const { files } = synthHomelab({
      business: {
        fileServer: {
          users: ['alice', 'bob'],
          shares: [
            { name: 'media', path: '/srv/data/media', readOnly: true },
            { name: 'scans', path: '/srv/data/backups/scans', validUsers: ['alice'] },
          ],
        },
      },
    });
    const conf = file(files, 'ansible/files/fileserver/smb.conf');
    expect(conf).toContain('[media]\n   path = /srv/data/media\n   browseable = yes\n   read only = yes\n   valid users = alice bob\n');
    expect(conf).toContain('[scans]\n   path = /srv/data/backups/scans\n   browseable = yes\n   read only = no\n   valid users = alice\n');
    expect(conf).not.toContain('[backups]');
    const vars = yamlOf(files, 'ansible/inventory/host_vars/fileserver.yml');
    expect(vars.fileserver_users).toEqual([
      { name: 'alice', password: '{{ vault_fileserver_alice_password }}' },
      { name: 'bob', password: '{{ vault_fileserver_bob_password }}' },
    ]);
  });

  it('keeps Cockpit LAN-only with a reason, with no SWAG conf', () => {
    const ui = synthed.lab.business.fileServer!.webUis;
    expect(ui).toEqual([expect.objectContaining({ port: 9090, scheme: 'https', access: 'lan-only' })]);
    expect(ui[0]!.reason).toMatch(/admin/);
    expect(synthed.files.has('ansible/files/swag/proxy-confs/cockpit.subdomain.conf')).toBe(false);
    expect(synthed.lab.business.fileServer!.healthEndpoints).toEqual([{ port: 445 }]);
  });

  it('lets SMB clients on the LAN in on 445', () => {
    const smb = synthed.lab.business.fileServer!.connections.rulesFor(Port.tcp(445));
    expect(smb.map((r) => r.peer.source)).toContain('10.10.10.0/24');
  });

  it('sets Samba passwords from the vault without logging them', () => {
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/fileserver/tasks/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    // The password tasks live in samba_passwords.yml (run for real in fileserver-role.test.ts).
    const passwordTasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/fileserver/tasks/samba_passwords.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const add = passwordTasks.find((t) => String(t['ansible.builtin.command']?.cmd).startsWith('smbpasswd'))!;
    expect(add.no_log).toBe(true);
    expect(tasks.find((t) => t['ansible.builtin.copy']?.dest === '/etc/samba/smb.conf')!['ansible.builtin.copy'].validate).toContain('testparm');
  });

  it('fails when a share is not inside a mounted volume', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { fileServer: { shares: [{ name: 'etc', path: '/etc' }] } } });
    });
    expect(message).toContain("[homelab/business/fileserver] share 'etc' (/etc) is not inside a mounted volume (mounted: /srv/data) — mount the volume that holds it (data or mounts) or fix the share path");
  });

  it('fails when a share allows an unknown user', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { fileServer: { shares: [{ name: 'x', path: '/srv/data/x', validUsers: ['mallory'] }] } } });
    });
    expect(message).toBe("[homelab/business/fileserver] share 'x' allows user 'mallory', who is not a user of this file server — add 'mallory' to users or use one of: homelab");
  });
});

describeWithTools(['testparm'], 'generated smb.conf under real testparm', () => {
  it('passes `testparm -s` without unknown parameters', () => {
    const run = testparm(file(synthed.files, 'ansible/files/fileserver/smb.conf'));
    expect(smbConfProblems(run)).toEqual([]);
    expect(run.stderr).toContain('Loaded services file OK.');
  });

  it('reports an unknown parameter (the check can fail although testparm exits 0)', () => {
    const conf = file(synthed.files, 'ansible/files/fileserver/smb.conf').replace('   browseable = yes\n', '   browsable = yes\n   vfs objekts = fruit\n');
    const run = testparm(conf);
    expect(run.code).toBe(0);
    expect(smbConfProblems(run)).toEqual(['Unknown parameter encountered: "vfs objekts"', 'Ignoring unknown parameter "vfs objekts"']);
  });
});

describe('Google Drive sync (rclone)', () => {
  it('is a plain LXC with rclone from Debian, run by a systemd timer', () => {
    expect(synthed.files.has('ansible/files/gdrive-sync/compose.yml')).toBe(false);
    expect(file(synthed.files, 'ansible/roles/rclone_sync/tasks/main.yml')).toContain('name: rclone\n');
    const timer = file(synthed.files, 'ansible/files/gdrive-sync/rclone-sync.timer');
    expect(timer).toContain('OnCalendar=*-*-* 04:30:00');
    expect(timer).toContain('Persistent=true');
    expect(file(synthed.files, 'ansible/files/gdrive-sync/rclone-sync.service')).toContain('ExecStart=/usr/local/sbin/rclone-sync');
    const ct = tfContainer(synthed.files, 'business', 'gdrive-sync');
    expect(ct.vm_id).toBe(156);
    expect(ct.mount_point).toEqual([{ path: '/srv/data', volume: '/tank/data', read_only: true, shared: false }]);
  });

  it('syncs the shared backups to the drive, then writes the heartbeat metric', () => {
    const script = file(synthed.files, 'ansible/files/gdrive-sync/rclone-sync.sh');
    expect(script).toContain('rclone sync "/srv/data/backups" "gdrive:homelab/backups"');
    expect(script).toMatch(/^set -eu$/m);
    expect(RCLONE_HEARTBEAT_METRIC).toBe('homelab_rclone_last_success_timestamp_seconds');
    expect(script).toContain(`${RCLONE_HEARTBEAT_METRIC} $(date +%s)`);
    expect(script).toContain('mv "$tmp" "/var/lib/prometheus/node-exporter/rclone.prom"');
    expect(script.indexOf('rclone.prom')).toBeGreaterThan(script.indexOf('rclone sync'));
  });

  it('renders the OAuth token from the vault into rclone.conf (0600, no_log)', () => {
    const conf = file(synthed.files, 'ansible/files/gdrive-sync/rclone.conf.j2');
    expect(conf).toContain('[gdrive]\ntype = drive\n');
    expect(conf).toContain('token = {{ vault_rclone_gdrive_token if vault_rclone_gdrive_token is string else vault_rclone_gdrive_token | to_json }}');
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/rclone_sync/tasks/main.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const write = tasks.find((t) => t['ansible.builtin.template']?.dest === '/etc/rclone/rclone.conf')!;
    expect(write['ansible.builtin.template'].mode).toBe('0600');
    expect(write.no_log).toBe(true);
  });

  it('runs the jobs and schedule of the model', () => {
    const { files } = synthHomelab({
      business: { googleDriveSync: { mode: 'copy', schedule: 'daily', jobs: [{ source: '/srv/data/media/music', destination: 'music' }] } },
    });
    expect(file(files, 'ansible/files/gdrive-sync/rclone-sync.sh')).toContain('rclone copy "/srv/data/media/music" "gdrive:music"');
    expect(file(files, 'ansible/files/gdrive-sync/rclone-sync.timer')).toContain('OnCalendar=daily');
  });
});

describe('BusinessStack', () => {
  it('exposes its services with the reference plan', () => {
    const app = new App();
    const lab = new Homelab(app, 'homelab');
    prepare(app);
    const b = lab.business;
    const all = [b.immich, b.immichBackup, b.paperless, b.odoo, b.fileServer, b.googleDriveSync];
    expect(all.map((s) => s?.vmId)).toEqual([151, 152, 153, 154, 155, 156]);
    expect(all.map((s) => s?.ipAddress)).toEqual(['10.10.10.51', '10.10.10.52', '10.10.10.53', '10.10.10.54', '10.10.10.55', '10.10.10.56']);
  });

  it('never writes a secret value: every vault variable is a reference', () => {
    const declared = Object.keys(yamlOf(synthed.files, 'ansible/vault.example.yml'));
    for (const v of ['vault_immich_db_password', 'vault_immich_backup_db_password', 'vault_paperless_secret_key', 'vault_paperless_db_password',
      'vault_odoo_admin_password', 'vault_odoo_db_password', 'vault_fileserver_homelab_password', 'vault_rclone_gdrive_token']) {
      expect(declared).toContain(v);
    }
    const hosts = ['immich', 'immich-backup', 'paperless', 'odoo', 'fileserver', 'gdrive-sync', 'swag', 'vaultwarden', 'rustdesk'];
    const ours = (path: string) =>
      ['ansible/business.yml', 'ansible/security.yml'].includes(path) ||
      hosts.some((h) => path.startsWith(`ansible/files/${h}/`) || path === `ansible/inventory/host_vars/${h}.yml`) ||
      ['swag', 'fileserver', 'immich_backup', 'rclone_sync'].some((r) => path.startsWith(`ansible/roles/${r}/`));
    const checked = [...synthed.files].filter(([path]) => ours(path));
    expect(checked.length).toBeGreaterThan(40);
    for (const [path, content] of checked) {
      expect(content.includes('CHANGE_ME'), path).toBe(false);
      // Wherever a vault variable appears outside the example, it is inside a Jinja expression.
      for (const line of content.split('\n').filter((l) => /vault_[a-z0-9_]+/.test(l))) {
        // (An assert's fail_msg may name the variable in prose: "vault_x must be ...".)
        expect(line, `${path}: ${line}`).toMatch(/\{\{[^}]*vault_[a-z0-9_]+[^}]*\}\}|^#|hostvars|vault\.yml|^\s*vault_[a-z0-9_]+ must be /);
      }
    }
  });

  it('fails when an override names an unknown service', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { overrides: { immichbackup: { enabled: false } } as never } });
    });
    expect(message).toBe("[homelab/business] unknown service override 'immichbackup' — use one of: fileServer, googleDriveSync, immich, immichBackup, odoo, paperless");
  });

  it('fails when a native service gets an image tag', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { overrides: { fileServer: { imageTag: '4.22' } } } });
    });
    expect(message).toBe('[homelab/business/fileserver] imageTag does not apply: the file server runs Debian packages, not a container image — remove imageTag from its overrides');
  });
});
