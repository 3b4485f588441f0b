import { beforeAll, describe, expect, it } from 'vitest';
import { withMarker } from '../../lib/generated-file';
import { IMMICH_SERVER_IMAGE } from '../../constructs/business/immich';
import { IMMICH_SYNC_HEARTBEAT_METRIC, immichRestoreDoc } from '../../constructs/business/immich-backup';
import { Port } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { composeOf, file, synthErrorOf, SynthedLab, synthHomelab, tfContainer, yamlOf } from '../security/support';

describe('Immich', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs server, machine learning, Valkey and Postgres with VectorChord, all pinned', () => {
    const svc = composeOf(synthed.files, 'immich');
    expect(Object.keys(svc).sort()).toEqual(['database', 'immich-machine-learning', 'immich-server', 'redis']);
    expect(svc['immich-server'].image).toBe('ghcr.io/immich-app/immich-server:v3.0.3');
    expect(svc['immich-machine-learning'].image).toBe('ghcr.io/immich-app/immich-machine-learning:v3.0.3-openvino');
    expect(svc.redis.image).toBePinnedTo('docker.io/valkey/valkey', /^9\.\d+\.\d+$/);
    expect(svc.database.image).toBePinnedTo('ghcr.io/immich-app/postgres', /^\d+-vectorchord[\d.]+/);
    expect(svc.database.image).toMatch(/@sha256:[0-9a-f]{64}$/);
    expect(svc.database.shm_size).toBe('128mb');
    expect(svc.database.environment.POSTGRES_INITDB_ARGS).toBe('--data-checksums');
  });

  it('passes the GPU render node to the LXC (with the render gid) and to server and ML', () => {
    const ct = tfContainer(synthed.files, 'business', 'immich');
    expect(ct.device_passthrough).toEqual([{ path: '/dev/dri/renderD128', gid: 104, mode: '0660' }]);
    const svc = composeOf(synthed.files, 'immich');
    for (const name of ['immich-server', 'immich-machine-learning']) {
      expect(svc[name].devices, name).toEqual(['/dev/dri/renderD128:/dev/dri/renderD128']);
      expect(svc[name].group_add, name).toEqual(['104']);
    }
    expect(svc.database.devices).toBeUndefined();
  });

  it('keeps the library on its own storage volume at /data', () => {
    const ct = tfContainer(synthed.files, 'business', 'immich');
    // Plus the shared data at /srv/data, where the nightly dumps are mirrored for the Drive sync (issue 10, item 8).
    expect(ct.mount_point).toEqual([
      { path: '/data', volume: 'local-lvm', size: '500G', backup: true, read_only: false },
      { path: '/srv/data', volume: '/tank/data', read_only: false, shared: false },
    ]);
    expect(composeOf(synthed.files, 'immich')['immich-server'].volumes).toEqual(['/data:/data', '/etc/localtime:/etc/localtime:ro']);
    // The database is not on the library volume: it is restored from dumps, never copied hot.
    expect(composeOf(synthed.files, 'immich').database.volumes).toEqual(['./postgres:/var/lib/postgresql/data']);
  });

  it('exposes Prometheus metrics on 8081/8082 with telemetry on', () => {
    const server = composeOf(synthed.files, 'immich')['immich-server'];
    expect(server.environment.IMMICH_TELEMETRY_INCLUDE).toBe('all');
    expect(server.ports).toEqual(['2283:2283', '8081:8081', '8082:8082']);
    expect(synthed.lab.business.immich!.metricsEndpoints.map((m) => m.port)).toEqual([8081, 8082]);
  });

  it('is routed with unlimited uploads and websockets, and probed on /api/server/ping', () => {
    const immich = synthed.lab.business.immich!;
    expect(immich.webUis).toEqual([
      expect.objectContaining({ port: 2283, access: 'routed', subdomain: 'immich', unlimitedBody: true, websockets: true, healthPath: '/api/server/ping' }),
    ]);
    expect(immich.healthEndpoints).toEqual([{ port: 2283, path: '/api/server/ping' }]);
  });

  it('starts the server after healthy database and Valkey; reads the DB password from .env', () => {
    const svc = composeOf(synthed.files, 'immich');
    expect(svc['immich-server'].depends_on).toEqual({ database: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    expect(svc['immich-server'].environment.DB_PASSWORD).toBe('${DB_PASSWORD:?DB_PASSWORD is written to .env by Ansible}');
    expect(svc.database.environment.POSTGRES_PASSWORD).toBe('${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is written to .env by Ansible}');
    expect(file(synthed.files, 'ansible/files/immich/env.j2')).toContain("DB_PASSWORD='{{ vault_immich_db_password |");
    expect(tfContainer(synthed.files, 'business', 'immich').startup.order).toBe(50);
  });
});

describe('Immich Backup (standby)', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs exactly the primary\'s Immich version, taken from the primary', () => {
    const { immich, immichBackup } = synthed.lab.business;
    expect(immichBackup!.version).toBe(immich!.version);
    expect(composeOf(synthed.files, 'immich-backup')['immich-server'].image).toBe(composeOf(synthed.files, 'immich')['immich-server'].image);
  });

  it('follows the primary when the primary is retagged', () => {
    const { files, lab } = synthHomelab({ business: { overrides: { immich: { imageTag: 'v3.0.2' } } } });
    expect(lab.business.immichBackup!.version).toBe('v3.0.2');
    expect(composeOf(files, 'immich-backup')['immich-server'].image).toBe('ghcr.io/immich-app/immich-server:v3.0.2');
    expect(composeOf(files, 'immich')['immich-machine-learning'].image).toBe('ghcr.io/immich-app/immich-machine-learning:v3.0.2-openvino');
  });

  it('fails when the standby is retagged away from the primary', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { overrides: { immichBackup: { imageTag: 'v3.0.1' } } } });
    });
    expect(message).toBe(
      `[homelab/business/immich-backup] imageTag 'v3.0.1' differs from the primary's Immich version ${IMMICH_SERVER_IMAGE.tag} — retag the primary (immich) instead; the standby always runs its version`,
    );
  });

  it('has its own database and mirrored library, no GPU, no machine learning and no metrics by default', () => {
    const svc = composeOf(synthed.files, 'immich-backup');
    expect(Object.keys(svc).sort()).toEqual(['database', 'immich-server', 'redis']);
    expect(svc['immich-server'].environment.IMMICH_MACHINE_LEARNING_ENABLED).toBe('false');
    expect(svc['immich-server'].environment.IMMICH_TELEMETRY_INCLUDE).toBeUndefined();
    expect(svc['immich-server'].ports).toEqual(['2283:2283']);
    expect(file(synthed.files, 'ansible/files/immich-backup/env.j2')).toContain("DB_PASSWORD='{{ vault_immich_backup_db_password |");
    const ct = tfContainer(synthed.files, 'business', 'immich-backup');
    expect(ct.device_passthrough).toBeUndefined();
    expect(ct.vm_id).toBe(152);
    expect(ct.mount_point).toEqual([{ path: '/data', volume: 'local-lvm', size: '500G', backup: false, read_only: false }]);
  });

  it('stays LAN-only with a reason (its database is empty until promoted)', () => {
    const ui = synthed.lab.business.immichBackup!.webUis;
    expect(ui).toEqual([expect.objectContaining({ access: 'lan-only', port: 2283 })]);
    expect(ui[0]!.reason).toMatch(/standby/);
    expect(synthed.files.has('ansible/files/swag/proxy-confs/immich-backup.subdomain.conf')).toBe(false);
  });

  it('is fed by a nightly pull over rsync/SSH that is read-only on the primary', () => {
    const plays = yamlOf<{ name: string; hosts: string; tasks?: Record<string, any>[] }[]>(synthed.files, 'ansible/business.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const steps = plays
      .filter((p) => p.tasks?.some((t) => t['ansible.builtin.include_role']?.name === 'immich_backup'))
      .map((p) => [p.hosts, p.tasks![0]!['ansible.builtin.include_role'].tasks_from]);
    expect(steps).toEqual([['immich-backup', 'keypair'], ['immich', 'authorize'], ['immich-backup', 'sync']]);
    const vars = yamlOf(synthed.files, 'ansible/inventory/host_vars/immich-backup.yml');
    expect(vars).toMatchObject({ immich_backup_primary_address: '10.10.10.51', immich_backup_target: '/data', immich_backup_on_calendar: '*-*-* 03:30:00' });
    expect(file(synthed.files, 'ansible/roles/immich_backup/tasks/authorize.yml')).toContain('restrict,command="/usr/bin/rrsync -ro {{ immich_backup_library }}"');
    // The primary's firewall lets exactly the standby in on SSH for it.
    const ssh = synthed.lab.business.immich!.connections.rulesFor(Port.tcp(22));
    expect(ssh.map((r) => r.peer.container)).toEqual([synthed.lab.business.immichBackup]);
    const script = file(synthed.files, 'ansible/roles/immich_backup/templates/immich-library-sync.sh.j2');
    expect(script).toContain('--delete');
    expect(script).toContain("grep '^immich-db-backup-'");
    expect(file(synthed.files, 'ansible/roles/immich_backup/templates/immich-library-sync.timer.j2')).toContain('OnCalendar={{ immich_backup_on_calendar }}');
  });

  it('writes a heartbeat metric after each successful sync', () => {
    expect(yamlOf(synthed.files, 'ansible/inventory/host_vars/immich-backup.yml').immich_backup_heartbeat_metric).toBe(IMMICH_SYNC_HEARTBEAT_METRIC);
    const script = file(synthed.files, 'ansible/roles/immich_backup/templates/immich-library-sync.sh.j2');
    expect(script.indexOf('{{ immich_backup_heartbeat_metric }} $(date +%s)')).toBeGreaterThan(script.lastIndexOf('rsync --archive'));
  });

  it('documents restore and failover in docs/immich-restore.md', () => {
    const doc = file(synthed.files, 'docs/immich-restore.md');
    const { immich, immichBackup } = synthed.lab.business;
    expect(doc).toBe(withMarker('docs/immich-restore.md', immichRestoreDoc(immich!, immichBackup!)));
    expect(doc).toContain('| Container | immich (VMID 151, 10.10.10.51) | immich-backup (VMID 152, 10.10.10.52) |');
    expect(doc).toContain(`| Immich version | ${immich!.version} | ${immich!.version} (always the primary's) |`);
    expect(doc).toContain('docker exec -i immich_postgres psql --dbname=postgres --username=postgres');
    expect(doc).toContain('DUMP=/data/backups/$(cat /data/.homelab-primary-dump); echo "restoring $DUMP"');
    expect(doc).toContain('DUMP=$(ls -1t /data/backups/immich-db-backup-*.sql.gz | head -n 1)');
    expect(doc).toContain('systemctl disable --now immich-library-sync.timer');
  });

  it('is left out with the primary', () => {
    const { lab, files } = synthHomelab({ business: { overrides: { immich: { enabled: false } } } });
    expect(lab.business.immich).toBeUndefined();
    expect(lab.business.immichBackup).toBeUndefined();
    expect(files.has('docs/immich-restore.md')).toBe(false);
  });
});
