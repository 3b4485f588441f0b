import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ODOO_IMAGE_USER, ODOO_LOGINS } from '../../constructs/business/odoo';
import { Homelab } from '../../constructs/homelab';
import { describeWithTools } from '../support/controller';
import { file, synthErrorOf, SynthedLab, synthHomelab, yamlOf } from '../security/support';

/** Issue 10 items 12 (Odoo's data ownership) and 17 (database manager off, dbfilter, login jail). */
let synthed: SynthedLab;
beforeAll(() => {
  synthed = synthHomelab();
});

const odooError = (odoo: object) => synthErrorOf((app) => {
  new Homelab(app, 'homelab', { business: { odoo } });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Play = Record<string, any>;

/** The owner/mode the generated Ansible gives Odoo's directories and odoo.conf. */
function odooOwnership(files: Map<string, string>): { dirs: { path: string; owner: number; group: number; mode: string }[]; conf: { owner: string; group: string; mode: string } } {
  const dirs = yamlOf(files, 'ansible/inventory/host_vars/odoo.yml').compose_project_directories;
  const play = yamlOf<Play[]>(files, 'ansible/business.yml').find((p) => p.hosts === 'odoo' && p.tasks)!;
  const conf = play.tasks.find((t: Play) => t['ansible.builtin.template'])['ansible.builtin.template'];
  return { dirs, conf };
}

describe('Odoo data ownership (item 12)', () => {
  it('gives ./config, ./data and ./addons and odoo.conf to the odoo user of the image, 100:101', () => {
    expect(ODOO_IMAGE_USER).toEqual({ uid: 100, gid: 101 });
    const { dirs, conf } = odooOwnership(synthed.files);
    for (const path of ['addons', 'config', 'data']) expect(dirs).toContainEqual({ path, owner: 100, group: 101, mode: '0750' });
    expect(conf).toMatchObject({ owner: '100', group: '101', mode: '0600' });
    const play = yamlOf<Play[]>(synthed.files, 'ansible/business.yml').find((p) => p.hosts === 'odoo' && p.tasks)!;
    expect(play.tasks.find((t: Play) => t['ansible.builtin.file'])['ansible.builtin.file']).toMatchObject({ owner: '100', group: '101', mode: '0750' });
  });

  it('takes other ids when the image changes, and refuses ids that are not ids', () => {
    const { files } = synthHomelab({ business: { odoo: { odooUid: 1001, odooGid: 1002 } } });
    expect(odooOwnership(files).conf).toMatchObject({ owner: '1001', group: '1002' });
    expect(odooError({ odooUid: 0 })).toContain('[homelab/business/odoo] odooUid must be an integer 1..65534, got 0');
    expect(odooError({ odooGid: 1.5 })).toContain('[homelab/business/odoo] odooGid must be an integer 1..65534, got 1.5');
    expect(odooError({ odooUid: 70000 })).toContain('odooUid must be an integer 1..65534');
  });
});

/**
 * The generated owners and modes applied to real directories (as root), then Odoo's accesses made
 * as uid 100 / gid 101 with no other groups (what `USER odoo` in the image runs as): it must write
 * its data directory and read odoo.conf. The old owners (101:101) fail the same check.
 */
describeWithTools(['setpriv'], 'Odoo ownership applied to a real file system', () => {
  function accessAs(owner: { uid: number; gid: number }, dirs: { path: string; owner: number; group: number; mode: string }[], conf: { owner: string; group: string; mode: string }): { write: number; read: number } {
    const root = mkdtempSync(join(tmpdir(), 'odoo-owner-'));
    try {
      chmodSync(root, 0o755);
      for (const d of dirs) {
        mkdirSync(join(root, d.path));
        chownSync(join(root, d.path), d.owner, d.group);
        chmodSync(join(root, d.path), parseInt(d.mode, 8));
      }
      const confPath = join(root, 'config', 'odoo.conf');
      writeFileSync(confPath, '[options]\n');
      chownSync(confPath, Number(conf.owner), Number(conf.group));
      chmodSync(confPath, parseInt(conf.mode, 8));
      const as = ['--reuid', String(owner.uid), '--regid', String(owner.gid), '--clear-groups'];
      const write = spawnSync('setpriv', [...as, 'sh', '-c', `mkdir '${root}/data/sessions' && touch '${root}/data/sessions/x' '${root}/addons/y'`]).status ?? -1;
      const read = spawnSync('setpriv', [...as, 'cat', confPath]).status ?? -1;
      return { write, read };
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }

  it('lets uid 100 / gid 101 write /var/lib/odoo and read odoo.conf', () => {
    const { dirs, conf } = odooOwnership(synthed.files);
    expect(accessAs(ODOO_IMAGE_USER, dirs, conf)).toEqual({ write: 0, read: 0 });
  });

  it('fails the same accesses with the previous 101:101 owners (the check can fail)', () => {
    const { dirs, conf } = odooOwnership(synthed.files);
    const old = dirs.map((d) => ({ ...d, owner: 101, group: 101 }));
    const r = accessAs(ODOO_IMAGE_USER, old, { ...conf, owner: '101', group: '101' });
    expect(r.write).not.toBe(0);
    expect(r.read).not.toBe(0);
  });
});

describe('Odoo database manager and dbfilter (item 17)', () => {
  it('turns the database manager off and serves only the database odoo by default', () => {
    const conf = file(synthed.files, 'ansible/files/odoo/odoo.conf.j2');
    expect(conf).toMatch(/^list_db = False$/m);
    expect(conf).toMatch(/^dbfilter = \^odoo\$$/m);
    expect(conf).not.toMatch(/^db_name/m);
  });

  it('turns it on only when asked, with another dbfilter', () => {
    const { files } = synthHomelab({ business: { odoo: { databaseManager: true, dbFilter: '^%d$' } } });
    const conf = file(files, 'ansible/files/odoo/odoo.conf.j2');
    expect(conf).toMatch(/^list_db = True$/m);
    expect(conf).toMatch(/^dbfilter = \^%d\$$/m);
  });

  it('refuses a dbFilter that is empty, multi-line, not a regex or a Jinja delimiter', () => {
    expect(odooError({ dbFilter: '' })).toContain('[homelab/business/odoo] dbFilter must be a non-empty single line — ');
    expect(odooError({ dbFilter: '^odoo$\nlist_db = True' })).toContain('dbFilter must be a non-empty single line');
    expect(odooError({ dbFilter: '^(odoo$' })).toContain("dbFilter '^(odoo$' is not a regular expression");
    expect(odooError({ dbFilter: '^{{ x }}$' })).toContain('contains a Jinja delimiter');
  });
});

describe('Odoo login jail in SWAG (item 17)', () => {
  it('adds an odoo-login jail reading the Odoo vhost\'s own login log', () => {
    const jail = file(synthed.files, 'ansible/files/swag/fail2ban/jail.local');
    expect(jail).toContain('[odoo-login]\nenabled  = true\nfilter   = odoo-login\nport     = http,https\nlogpath  = /config/log/nginx/odoo.access.log\nmaxretry = 5\nfindtime = 600\nbantime  = 3600\n');
    const conf = file(synthed.files, 'ansible/files/swag/proxy-confs/odoo.subdomain.conf');
    expect(conf).toContain('access_log /config/log/nginx/odoo.access.log homelab_login_odoo;');
    expect(yamlOf(synthed.files, 'ansible/inventory/host_vars/swag.yml').swag_fail2ban_logs).toContain('log/nginx/odoo.access.log');
    expect(ODOO_LOGINS.logins).toEqual([{ path: '/web/login', method: 'POST', successStatuses: [303] }]);
  });

  it('counts every answer to POST /web/login except the 303 of a good login', () => {
    const filter = file(synthed.files, 'ansible/files/swag/fail2ban/filter.d/odoo-login.conf');
    expect(filter).toContain('failregex = ^<HOST> \\[\\] (?!(?:303) )\\d{3} POST "/web/login/?"$');
  });

  it('has no jail when the protection is turned off', () => {
    const { files } = synthHomelab({ business: { odoo: { bruteForceProtection: false } } });
    expect(files.has('ansible/files/swag/fail2ban/filter.d/odoo-login.conf')).toBe(false);
    expect(file(files, 'ansible/files/swag/fail2ban/jail.local')).not.toContain('[odoo-login]');
  });

  it('refuses successStatuses together with failureStatuses, empty, or out of range', () => {
    expect(odooError({ bruteForceProtection: { logins: [{ path: '/web/login', successStatuses: [303], failureStatuses: [401] }] } }))
      .toContain("[homelab/business/odoo] login path '/web/login' sets both failureStatuses and successStatuses — set one of them");
    expect(odooError({ bruteForceProtection: { logins: [{ path: '/web/login', successStatuses: [] }] } })).toContain("login path '/web/login' has no successStatuses");
    expect(odooError({ bruteForceProtection: { logins: [{ path: '/web/login', successStatuses: [3030] }] } })).toContain("success status 3030 of login path '/web/login' is not an HTTP status");
    expect(odooError({ bruteForceProtection: { logins: [{ path: '/web/login', method: 'DELETE', successStatuses: [303] }] } })).toContain("login method 'DELETE' of login path '/web/login' is not supported");
  });
});

/**
 * The generated filter under Debian's fail2ban-regex, against the lines SWAG's odoo vhost writes
 * for Odoo's real answers: web_login (odoo/addons/web/controllers/home.py) renders the form again
 * with "Wrong login/password" (200) on a bad password, redirects with 303 (request.redirect's
 * default in odoo/http.py) on a good one, and answers 400 to a POST without a valid CSRF token.
 */
describeWithTools(['fail2ban-regex'], 'the Odoo login filter under the real fail2ban-regex', () => {
  function failures(filter: string, lines: readonly string[]): string[] {
    const dir = mkdtempSync(join(tmpdir(), 'f2b-odoo-'));
    try {
      writeFileSync(join(dir, 'filter.conf'), filter);
      writeFileSync(join(dir, 'odoo.access.log'), `${lines.join('\n')}\n`);
      const r = spawnSync('fail2ban-regex', ['-o', 'ip', join(dir, 'odoo.access.log'), join(dir, 'filter.conf')], { encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`fail2ban-regex failed (${r.status}): ${r.stderr}${r.stdout}`);
      return r.stdout.split('\n').filter(Boolean);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const at = '[25/Nov/2026:10:15:32 +0000]';
  const lines = [
    `203.0.113.1 ${at} 200 POST "/web/login"`, // wrong password: the form again
    `203.0.113.2 ${at} 400 POST "/web/login"`, // no/expired CSRF token
    `2001:db8::3 ${at} 200 POST "/web/login/"`,
    `198.51.100.1 ${at} 303 POST "/web/login"`, // good login: redirect to /odoo
    `198.51.100.2 ${at} 200 GET "/web/login"`, // opening the form
    `198.51.100.3 ${at} 200 POST "/web/login/totp"`,
    `198.51.100.4 ${at} 200 POST "/web/session/authenticate"`,
    `198.51.100.5 ${at} 3030 POST "/web/login"`,
    `198.51.100.6 ${at} 200 POST "/web/loginx"`,
  ];

  it('bans the failed logins and nothing else', () => {
    const filter = file(synthed.files, 'ansible/files/swag/fail2ban/filter.d/odoo-login.conf');
    expect(failures(filter, lines)).toEqual(['203.0.113.1', '203.0.113.2', '2001:db8::3']);
  });

  it('would ban good logins too without the 303 exception (the check can fail)', () => {
    const filter = file(synthed.files, 'ansible/files/swag/fail2ban/filter.d/odoo-login.conf').replace('(?!(?:303) )', '');
    expect(failures(filter, lines)).toContain('198.51.100.1');
  });
});
