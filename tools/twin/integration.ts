/**
 * The twin's integration checks (issue 11): what the lab's hosts do for each other once converged,
 * proven with real traffic between them. Everything here is read from the synthesized project (host
 * variables, the twin's filled-in vault), like a user's Ansible run reads it; nothing is special-cased.
 *
 * - standbySync: the Immich standby's sync unit pulls the primary's library over SSH with its
 *   `rrsync -ro` key, and the key cannot write to the primary;
 * - smbLogin: the file server's shares accept their vault user and password over SMB from the LAN,
 *   files land owned by the lab's data owner, and a wrong password is refused.
 */
import { hostFile } from '../../lib/ansible/project';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import type { ExecResult } from './exec';
import type { FirewallSummary } from './firewall-checks';
import type { VpnReport } from './vpn-checks';
import type { PhoneReport } from './phone';
import type { AlertReport, JailsReport, MetricsReport, RoutesReport } from './wiring';

export interface IntegrationHost {
  readonly name: string;
  readonly vmId: number;
  readonly address: string;
}

export interface IntegrationContext {
  readonly hosts: readonly IntegrationHost[];
  /** The twin's copy of the Ansible project (host_vars, the filled-in vault.yml). */
  readonly projectDir: string;
  /** Runs `sh -c script` inside a container; never throws. */
  attach(host: IntegrationHost, script: string): Promise<ExecResult>;
  /** Runs a command in the twin's network namespace on the host (the LAN's gateway side); never throws. */
  inNetns(command: string, args: readonly string[]): Promise<ExecResult>;
  /** A progress line. */
  say(line: string): void;
}

export interface CheckResult {
  readonly ok: boolean;
  /** Each step, in order, with what it found. */
  readonly steps: readonly string[];
}

export interface IntegrationReport {
  /** Per standby host. */
  standbySync: Record<string, CheckResult>;
  /** Per file server host and share. */
  smbLogin: Record<string, CheckResult>;
  /** Declared and undeclared connections through the twin's firewall (firewall-checks.ts). */
  firewall?: FirewallSummary;
  /** VPN egress of the VPN client host (vpn-checks.ts). */
  vpn?: VpnReport;
  /** Every SWAG route against its upstream, HTTP→HTTPS, hosts without a route (wiring.ts). */
  routes?: RoutesReport;
  /** fail2ban's jails running inside SWAG's container (wiring.ts). */
  jails?: JailsReport;
  /** Prometheus' scrape targets and blackbox probes (wiring.ts). */
  targets?: MetricsReport['targets'];
  probes?: MetricsReport['probes'];
  /** One container stopped and started: its down alert to ntfy and back (wiring.ts). */
  alert?: AlertReport;
  /**
   * Every published TCP port of every container, from the internet with the router routing it into
   * the LAN: open only where the model's firewall admits any source (run.ts internetIntoLan).
   */
  fromInternet?: {
    from: string;
    open: number;
    openOk: number;
    dropped: number;
    droppedOk: number;
    probes: { to: string; port: number; expect: 'open' | 'dropped'; ok: boolean; detail: string }[];
  };
  /** The WireGuard server's peer, dialing in from the twin's internet (phone.ts). */
  phone?: PhoneReport;
  /** Alertmanager's Watchdog at the dead-man switch on the twin's internet. */
  watchdog?: { delivered: boolean; heartbeats: number; from: string[] };
}

const last = (r: ExecResult) => (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.code}`;

function hostVars(projectDir: string, host: string): Record<string, any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const file = path.join(projectDir, 'inventory', 'host_vars', `${host}.yml`);
  return fs.existsSync(file) ? ((yaml.load(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) ?? {}) : {};
}

/** A `{{ vault_x }}` reference resolved from the twin's vault.yml. */
function resolveVault(projectDir: string, value: unknown): string | undefined {
  const m = /^\{\{\s*(vault_[a-z0-9_]+)\s*\}\}$/.exec(String(value ?? ''));
  if (!m) return typeof value === 'string' ? value : undefined;
  const vault = yaml.load(fs.readFileSync(path.join(projectDir, 'inventory', 'group_vars', 'all', 'vault.yml'), 'utf8')) as Record<string, unknown>;
  const v = vault[m[1]!];
  return v === undefined ? undefined : String(v);
}

/**
 * Standby sync: plant a library file and an Immich-named dump on the primary (what Immich itself
 * would have written), start the standby's sync unit as its timer would, and compare. Then try to
 * write to the primary with the same key: `rrsync -ro` must refuse.
 */
async function standbySync(ctx: IntegrationContext, standby: IntegrationHost, vars: Record<string, any>): Promise<CheckResult> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const steps: string[] = [];
  const primary = ctx.hosts.find((h) => h.name === vars.immich_backup_primary_host);
  if (!primary) return { ok: false, steps: [`primary ${vars.immich_backup_primary_host} is not in the twin`] };
  const token = randomBytes(8).toString('hex');
  const stamp = '20261207T000000';
  const plant = await ctx.attach(primary, [
    'set -e',
    'mkdir -p /data/backups /data/library/twin-check',
    `printf '%s\\n' '${token}' > /data/library/twin-check/photo-${token}.txt`,
    `printf 'dump\\n' | gzip > /data/backups/immich-db-backup-${stamp}-v1.sql.gz`,
  ].join('\n'));
  steps.push(plant.code === 0 ? `planted library/twin-check/photo-${token}.txt and a dump on ${primary.name}` : `planting on ${primary.name} failed: ${last(plant)}`);
  if (plant.code !== 0) return { ok: false, steps };

  const run = await ctx.attach(standby, 'systemctl start immich-library-sync.service && systemctl show -P Result immich-library-sync.service');
  const result = run.stdout.trim();
  steps.push(run.code === 0 && result === 'success' ? 'immich-library-sync.service ran: success' : `immich-library-sync.service: ${result || last(run)}`);
  if (run.code !== 0 || result !== 'success') {
    const journal = await ctx.attach(standby, 'journalctl -u immich-library-sync.service -n 5 --no-pager -o cat');
    steps.push(`journal: ${journal.stdout.trim().split('\n').join(' | ')}`);
    return { ok: false, steps };
  }
  const target = String(vars.immich_backup_target ?? '/data');
  const marker = String(vars.immich_backup_dump_marker ?? '.homelab-primary-dump');
  const seen = await ctx.attach(standby, `cat '${target}/library/twin-check/photo-${token}.txt' && cat '${target}/${marker}'`);
  const [copied, named] = seen.stdout.trim().split('\n');
  const synced = seen.code === 0 && copied === token && named === `immich-db-backup-${stamp}-v1.sql.gz`;
  steps.push(synced ? `the standby has the file and names the primary's dump ${named}` : `after the sync: ${seen.stdout.trim() || last(seen)}`);

  const key = String(vars.immich_backup_key ?? '/root/.ssh/immich_library_sync');
  const write = await ctx.attach(standby, `echo x > /tmp/twin-ro-check && rsync --rsh "ssh -i ${key} -o BatchMode=yes" /tmp/twin-ro-check root@${primary.address}:./twin-ro-check; echo "rc=$?"`);
  const refused = /rc=[1-9]/.test(write.stdout);
  steps.push(refused ? `writing to ${primary.name} with the sync key is refused (${last({ ...write, stdout: '' }) || 'rsync failed'})` : `the sync key could WRITE to ${primary.name}`);

  await ctx.attach(primary, `rm -rf /data/library/twin-check /data/backups/immich-db-backup-${stamp}-v1.sql.gz /data/twin-ro-check`);
  await ctx.attach(standby, `rm -rf '${target}/library/twin-check' /tmp/twin-ro-check`);
  return { ok: synced && refused, steps };
}

/**
 * SMB: log in from the LAN side (the twin's gateway, which the file server's firewall allows) with
 * the vault password, write and read back a file, check it is owned by the lab's data owner inside
 * the container, and check that a wrong password is refused.
 */
interface SmbShare {
  readonly name: string;
  readonly path: string;
  readonly validUsers: readonly string[];
}

/** The shares of a generated smb.conf (every section but [global] that has a path). */
export function smbShares(file: string): SmbShare[] {
  if (!fs.existsSync(file)) return [];
  const shares: { name: string; path?: string; validUsers: string[] }[] = [];
  for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      shares.push({ name: section[1]!, validUsers: [] });
      continue;
    }
    const kv = /^([a-z ]+?)\s*=\s*(.*)$/.exec(line);
    const cur = shares[shares.length - 1];
    if (!kv || !cur) continue;
    if (kv[1] === 'path') cur.path = kv[2]!;
    if (kv[1] === 'valid users') cur.validUsers = kv[2]!.split(/[\s,]+/).filter(Boolean);
  }
  return shares.flatMap((s) => (s.name !== 'global' && s.path !== undefined ? [{ name: s.name, path: s.path, validUsers: s.validUsers }] : []));
}

async function smbLogin(ctx: IntegrationContext, server: IntegrationHost, share: SmbShare, user: string, password: string, dataUser: string): Promise<CheckResult> {
  const steps: string[] = [];
  const name = `twin-smb-${randomBytes(6).toString('hex')}.txt`;
  const local = path.join(fs.mkdtempSync('/tmp/homelab-twin-smb-'), name);
  fs.writeFileSync(local, `${name}\n`);
  const unc = `//${server.address}/${share.name}`;
  const auth = fs.mkdtempSync('/tmp/homelab-twin-smbauth-');
  const authFile = path.join(auth, 'auth');
  // An authentication file keeps the password off the command line (ps).
  fs.writeFileSync(authFile, `username = ${user}\npassword = ${password}\n`, { mode: 0o600 });
  try {
    const put = await ctx.inNetns('smbclient', [unc, '-A', authFile, '-m', 'SMB3', '-c', `put ${local} ${name}; ls ${name}`]);
    const listed = put.code === 0 && put.stdout.includes(name);
    steps.push(listed ? `${user} logged in to ${unc} and wrote ${name}` : `login or write as ${user} failed: ${last(put)}`);
    const owner = await ctx.attach(server, `stat -c '%U:%G' '${share.path}/${name}'`);
    const owned = owner.code === 0 && owner.stdout.trim() === `${dataUser}:${dataUser}`;
    steps.push(owned ? `the file belongs to ${dataUser} on the share` : `owner on the share: ${owner.stdout.trim() || last(owner)}`);
    await ctx.inNetns('smbclient', [unc, '-A', authFile, '-m', 'SMB3', '-c', `del ${name}`]);

    fs.writeFileSync(authFile, `username = ${user}\npassword = not-${password}\n`, { mode: 0o600 });
    const wrong = await ctx.inNetns('smbclient', [unc, '-A', authFile, '-m', 'SMB3', '-c', 'ls']);
    const refused = wrong.code !== 0 && /LOGON_FAILURE|ACCESS_DENIED/.test(wrong.stdout + wrong.stderr);
    steps.push(refused ? 'a wrong password is refused (NT_STATUS_LOGON_FAILURE)' : `a wrong password: ${last(wrong)}`);
    return { ok: listed && owned && refused, steps };
  } finally {
    fs.rmSync(auth, { recursive: true, force: true });
    fs.rmSync(path.dirname(local), { recursive: true, force: true });
  }
}

/** Runs every integration check the synthesized project calls for. */
export async function runIntegrationChecks(ctx: IntegrationContext): Promise<IntegrationReport> {
  const report: IntegrationReport = { standbySync: {}, smbLogin: {} };
  for (const h of ctx.hosts) {
    const vars = hostVars(ctx.projectDir, h.name);
    if (vars.immich_backup_primary_host) {
      ctx.say(`  integration: standby sync on ${h.name} from ${vars.immich_backup_primary_host}`);
      report.standbySync[h.name] = await standbySync(ctx, h, vars);
    }
    const shares = smbShares(path.join(ctx.projectDir, hostFile(h.name, 'smb.conf')));
    for (const u of (vars.fileserver_users ?? []) as { name: string; password: string }[]) {
      const password = resolveVault(ctx.projectDir, u.password);
      for (const share of shares.filter((s) => s.validUsers.length === 0 || s.validUsers.includes(u.name))) {
        const key = `${h.name}:${share.name}:${u.name}`;
        ctx.say(`  integration: SMB login ${key}`);
        report.smbLogin[key] = password === undefined
          ? { ok: false, steps: [`no password for ${u.name} in the twin's vault`] }
          : await smbLogin(ctx, h, share, u.name, password, String(vars.fileserver_data_user ?? 'root'));
      }
    }
  }
  return report;
}
