import { describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import {
  BackupJob, BindVolume, ComposeService, DockerHost, Duration, Healthcheck, Image, Ipv4Address, Lab, LabStack, Network, Port, ProxmoxNode, Schedule, Size, StorageVolume, Timezone, Url, Volume,
} from '../../constructs/core';
import { problemsOf, SSH_KEY } from '../support/lab';

const LAB = { domain: 'lab.example.net', proxmox: { endpoint: 'https://pve.lab.example.net:8006/' }, sshPublicKeys: [SSH_KEY] };

/** GIVEN a lab with one node, the LAN and a Docker host in `apps`; the parts' props come from `opts`. */
function build(app: App, opts: { timezone?: string | Timezone; nodeAddress?: string | Ipv4Address; ipAddress?: string | Ipv4Address; interval?: string | Duration } = {}) {
  const lab = new Lab(app, 'homelab', { ...LAB, ...(opts.timezone !== undefined ? { timezone: opts.timezone } : {}) });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: opts.nodeAddress ?? '10.20.0.2', cores: 16, memory: Size.mebibytes(65536) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.20.0.0/24', gateway: '10.20.0.1' });
  const apps = new LabStack(lab, 'apps', { description: 'test apps' });
  const host = new DockerHost(apps, 'web', { node, network: lan, vmId: 301, ...(opts.ipAddress !== undefined ? { ipAddress: opts.ipAddress } : {}) });
  const svc = new ComposeService(host, 'web', { image: Image.of('example/web', '1.0.0'), healthcheck: Healthcheck.http(Port.tcp(8080), '/health', opts.interval !== undefined ? { interval: opts.interval } : {}) });
  return { lab, node, host, svc };
}

describe('Timezone', () => {
  it('accepts IANA names, links and Etc/ zones', () => {
    for (const tz of ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/UTC', 'Etc/GMT+1', 'UTC']) expect(Timezone.of(tz).problem, tz).toBeUndefined();
  });

  it('is what a lab given one runs every container in, the same as the string form', () => {
    expect(build(new App(), { timezone: Timezone.of('Europe/Berlin') }).lab.timezone).toBe('Europe/Berlin');
    expect(build(new App(), { timezone: 'Europe/Berlin' }).lab.timezone).toBe('Europe/Berlin');
    expect(build(new App()).lab.timezone).toBe(Timezone.UTC.name);
  });

  it.each([['CET-1'], ['Europe/Atlantis'], ['']])('fails when the timezone is %j, in either form', (tz) => {
    const message = `[homelab] timezone ${JSON.stringify(tz)} is not an IANA time zone — use a name like 'Europe/Berlin' or 'Etc/UTC' (timedatectl list-timezones)`;
    expect(problemsOf((app) => build(app, { timezone: tz }))).toEqual([message]);
    expect(problemsOf((app) => build(app, { timezone: Timezone.of(tz) }))).toEqual([message]);
  });
});

describe('Duration', () => {
  it('writes the compose form', () => {
    expect([Duration.millis(500), Duration.seconds(30), Duration.minutes(90), Duration.hours(2), Duration.parse('1m30s')].map(String)).toEqual(['500ms', '30s', '90m', '2h', '1m30s']);
  });

  it('sets a healthcheck\'s timing in the compose file', () => {
    const { svc } = build(new App(), { interval: Duration.minutes(1) });
    expect(svc.healthcheck!.toCompose()).toMatchObject({ interval: '1m', timeout: '10s', start_period: '60s' });
  });

  it('fails when a duration is negative, fractional or malformed, naming the construct', () => {
    expect(Duration.seconds(-1).problem?.message).toBe('duration -1s is not a whole number >= 0');
    expect(Duration.parse('often').problem?.message).toBe('"often" is not a duration');
    expect(problemsOf((app) => build(app, { interval: Duration.seconds(1.5) }))).toEqual([
      '[homelab/apps/web/web] healthcheck interval: duration 1.5s is not a whole number >= 0 — give a whole number of the unit, e.g. Duration.seconds(30)',
    ]);
  });
});

describe('Ipv4Address', () => {
  it('plans a container on the address it is given, the same as the string form', () => {
    expect(build(new App(), { ipAddress: Ipv4Address.of('10.20.0.77') }).host.ipAddress).toBe('10.20.0.77');
    expect(build(new App(), { nodeAddress: Ipv4Address.of('10.20.0.3') }).node.address).toBe('10.20.0.3');
  });

  it.each([
    ['10.20.0.7/24', "'10.20.0.7/24' has a prefix length; give the address alone"],
    ['10.20.0.300', "'10.20.0.300' is not an IPv4 address"],
    ['pve.local', "'pve.local' is not an IPv4 address"],
  ])('records why %j is not an address', (text, message) => {
    expect(Ipv4Address.of(text).problem?.message).toBe(message);
  });

  it('fails when a node address has a prefix, in either form', () => {
    const message = "[homelab/infra/pve] address '10.20.0.2/24' has a prefix length; give the address alone — give the node's management IP alone, e.g. '10.10.0.2'";
    expect(problemsOf((app) => build(app, { nodeAddress: '10.20.0.2/24' }))).toEqual([message]);
    expect(problemsOf((app) => build(app, { nodeAddress: Ipv4Address.of('10.20.0.2/24') }))).toEqual([message]);
  });
});

describe('Schedule', () => {
  it.each(['02:30', '*-*-* 04:30:00', 'daily', 'Mon..Fri 22:00', 'sat,sun *-*-1..7 03:00', '*:0/15', 'Mon *-*-* 02:00:00 Europe/Berlin', '2026-12-24 18:00'])('accepts the calendar event %j', (event) => {
    expect(Schedule.calendar(event).problem).toBeUndefined();
  });

  it('writes a daily run as systemd and Proxmox read it', () => {
    expect(Schedule.daily(3, 30).expression).toBe('*-*-* 03:30:00');
  });

  it('runs a backup job on the schedule it is given', () => {
    const app = new App();
    const { lab } = build(app);
    expect(new BackupJob(lab.infra, 'weekly', { schedule: Schedule.calendar('Sun 03:00') }).schedule).toBe('Sun 03:00');
  });

  it.each([
    ['*-*-* 25:00', "'25' in time '25:00' is out of range or malformed"],
    ['often', "'often' is not a weekday list, a date, a time or a time zone"],
    ['daily; rm -rf /', "'daily;' is not a weekday list, a date, a time or a time zone"],
    ['*-13-01', "'13' in date '*-13-01' is out of range or malformed"],
  ])('fails when a backup job\'s schedule is %j (it went to Proxmox unchecked before)', (event, why) => {
    expect(problemsOf((app) => new BackupJob(build(app).lab.infra, 'nightly', { schedule: event }))).toEqual([
      `[homelab/infra/nightly] schedule ${JSON.stringify(event)} is not a systemd calendar event: ${why} — write it like '*-*-* 03:30:00', 'Mon..Fri 22:00' or 'daily', or use Schedule.daily(3, 30)`,
    ]);
  });
});

describe('Url', () => {
  it('is the endpoint Terraform talks to, the same as the string form', () => {
    const lab = new Lab(new App(), 'homelab', { ...LAB, proxmox: { endpoint: Url.of('https://10.20.0.2:8006/') } });
    expect(lab.proxmox.endpoint).toBe('https://10.20.0.2:8006/');
  });

  it.each(['pve.home.example.org:8006', 'ftp://pve/', 'https://', ''])('records that %j is not an http(s) URL', (text) => {
    expect(Url.of(text).problem?.message).toBe(`${JSON.stringify(text)} is not an http(s) URL`);
  });

  it('fails when the Proxmox endpoint is not a URL, in either form', () => {
    const message = "[homelab] proxmox.endpoint \"pve\" is not an http(s) URL — give the API's URL, e.g. 'https://pve.home.example.org:8006/'";
    expect(problemsOf((app) => new Lab(app, 'homelab', { ...LAB, proxmox: { endpoint: Url.of('pve') } }))).toEqual([message]);
    expect(problemsOf((app) => new Lab(app, 'homelab', { ...LAB, proxmox: { endpoint: 'pve' } }))).toEqual([message]);
  });
});

describe('getters return copies', () => {
  it('keeps a container\'s web UIs, health endpoints and services as declared when a caller mutates what it read', () => {
    const { host } = build(new App());
    host.addWebUi({ port: Port.tcp(8080), access: 'routed' });
    (host.webUis as unknown[]).length = 0;
    (host.healthEndpoints as unknown[]).push({ port: 1 });
    (host.composeServices as unknown[]).length = 0;
    expect(host.webUis).toHaveLength(1);
    expect(host.healthEndpoints).toEqual([]);
    expect(host.composeServices.map((s) => s.serviceKey)).toEqual(['web']);
  });
});

describe('getters of volumes, containers and the lab return copies', () => {
  it('keeps a bind volume\'s subdirectories and owner, a container\'s mounts and listening ports, and the lab\'s containers as declared', () => {
    const { lab, host } = build(new App());
    const data = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data', subdirectories: ['media/tv', 'backups'], owner: { uid: 1000, gid: 1000 } });
    host.addMount(data, '/data');
    (data.subdirectories as string[]).push('evil');
    expect(() => { (data.owner as { uid: number }).uid = 0; }).toThrow(TypeError);
    const mounts = host.mountedVolumes;
    (mounts[0] as { path: string }).path = '/elsewhere';
    (host.listeningPorts as Map<string, string>).clear();
    (lab.containers as unknown[]).length = 0;
    expect(data.subdirectories).toEqual(['backups', 'media/tv']);
    expect(data.owner).toEqual({ uid: 1000, gid: 1000 });
    expect(host.mountedVolumes.map((m) => m.path)).toEqual(['/data']);
    expect(lab.containers.map((c) => c.hostname)).toEqual(['web']);
  });
});

describe('Volume kinds', () => {
  it('are told apart by class: a bind mount has a host path, a storage volume a size in GiB', () => {
    const { lab } = build(new App());
    const bind = Volume.bindMount(lab.infra, 'data', { hostPath: '/tank/data/' });
    const vol = Volume.storage(lab.infra, 'state', { size: Size.gibibytes(32), storage: 'local-zfs' });
    expect([bind instanceof BindVolume, bind.hostPath, bind.backup]).toEqual([true, '/tank/data', false]);
    expect([vol instanceof StorageVolume, vol.sizeGiB, vol.storageId, vol.backup]).toEqual([true, 32, 'local-zfs', true]);
  });

  it.each([
    ['a relative host path', (lab: Lab) => Volume.bindMount(lab.infra, 'v', { hostPath: 'tank/data' }), '[homelab/infra/v] hostPath "tank/data" must be an absolute directory below / — use a dataset path such as \'/tank/data\''],
    ['a subdirectory leaving the host path', (lab: Lab) => Volume.bindMount(lab.infra, 'v', { hostPath: '/tank', subdirectories: ['../etc'] }), "[homelab/infra/v] subdirectory \"../etc\" must be relative and stay inside /tank — write it like 'media/tv'"],
    ['a negative owner id', (lab: Lab) => Volume.bindMount(lab.infra, 'v', { hostPath: '/tank', owner: { uid: -1, gid: 0 } }), '[homelab/infra/v] owner.uid must be a non-negative integer, got -1 — give the numeric id, e.g. { uid: 1000, gid: 1000 }'],
    ['a size as a plain number', (lab: Lab) => Volume.storage(lab.infra, 'v', { size: 32 as never }), '[homelab/infra/v] size must be a Size, got 32 — write size: Size.gibibytes(32)'],
    ['a size that is not whole GiB', (lab: Lab) => Volume.storage(lab.infra, 'v', { size: Size.mebibytes(1536) }), '[homelab/infra/v] size 1536m is not a whole number of gibibytes — give it in whole gibibytes, e.g. Size.gibibytes(8)'],
    ['a storage id with a space', (lab: Lab) => Volume.storage(lab.infra, 'v', { size: Size.gibibytes(8), storage: 'local zfs' }), '[homelab/infra/v] storage "local zfs" is not a Proxmox storage id — give the id as in the Proxmox UI, e.g. \'local-zfs\''],
  ])('fail with the fix on %s', (_name, make, message) => {
    expect(problemsOf((app) => make(build(app).lab))).toEqual([message]);
  });
});

describe('Size', () => {
  it('converts to the whole units Proxmox takes, and refuses what is not whole in them', () => {
    expect([Size.gibibytes(2).mebibytes, Size.parse('1g').gibibytes, Size.parse('512m').mebibytes, Size.parse('2048k').mebibytes]).toEqual([2048, 1, 512, 2]);
    expect([Size.parse('1536k').mebibytes, Size.mebibytes(1536).gibibytes, Size.parse('lots').mebibytes]).toEqual([undefined, undefined, undefined]);
  });

  it('writes the compose form: whole mebibytes, or a string as written', () => {
    expect([Size.mebibytes(128), Size.gibibytes(1), Size.parse('128mb')].map(String)).toEqual(['128m', '1024m', '128mb']);
  });

  it('sets a service\'s /dev/shm in the compose file', () => {
    const { host } = build(new App());
    const db = new ComposeService(host, 'db', { image: Image.of('postgres', '17.2'), shmSize: Size.mebibytes(256) });
    expect(db.toCompose()).toMatchObject({ shm_size: '256m' });
  });

  it('fails when a size is not a whole positive number or a compose size, naming the service', () => {
    expect(Size.gibibytes(0.5).problem?.message).toBe('size 0.5 gibibytes is not a whole number >= 0');
    expect(problemsOf((app) => new ComposeService(build(app).host, 'db', { image: Image.of('postgres', '17.2'), shmSize: '128 MB' }))).toEqual([
      '[homelab/apps/web/db] shmSize "128 MB" is not a size — write a number with a unit, e.g. \'128mb\' or \'1g\', or use Size.mebibytes(128)',
    ]);
  });
});

describe('Port in a healthcheck', () => {
  it('probes the port it is given', () => {
    expect(Healthcheck.http(Port.tcp(8080), '/health').httpEndpoint).toEqual({ port: 8080, path: '/health' });
    expect(Healthcheck.http(Port.tcp(8080), '/health').test.join(' ')).toContain('http://localhost:8080/health');
  });

  it('refuses a bare number (plain JavaScript), saying the call to write', () => {
    expect(Healthcheck.http(8080 as never, '/health').problems).toEqual([{ message: 'healthcheck port must be a Port, got 8080', fix: "write Healthcheck.http(Port.tcp(8080), '/health')" }]);
  });

  it('fails when an HTTP healthcheck is given a UDP port or one out of range', () => {
    expect(Healthcheck.http(Port.udp(8080), '/health').problems).toEqual([{ message: 'healthcheck port 8080/udp is UDP; an HTTP healthcheck needs a TCP port', fix: "write Healthcheck.http(Port.tcp(8080), '/health')" }]);
    expect(Healthcheck.http(Port.tcp(70000), '/health').problems).toEqual([{ message: 'healthcheck port: port 70000/tcp is out of range', fix: 'use an integer port in 1..65535' }]);
  });
});

describe('swap, a Size that may be zero', () => {
  /** A Docker host 'box' in a second stack of build()'s lab, with `props` on top. */
  const withSwap = (app: App, props: Record<string, unknown>) => {
    const { lab, node } = build(app);
    const lan = lab.node.findAll().find((c): c is Network => c instanceof Network)!;
    const more = new LabStack(lab, 'more');
    return new DockerHost(more, 'box', { node, network: lan, vmId: 302, ...props } as never);
  };

  it('turns swap off with Size.mebibytes(0), takes other sizes in MiB, and defaults to 512 MiB', () => {
    expect(withSwap(new App(), { swap: Size.mebibytes(0) }).swapMiB).toBe(0);
    expect(withSwap(new App(), { swap: Size.gibibytes(1) }).swapMiB).toBe(1024);
    expect(withSwap(new App(), {}).swapMiB).toBe(512);
  });

  it('keeps the minimum of 1 on the other sizes: zero memory or disk is refused', () => {
    expect(problemsOf((app) => withSwap(app, { memory: Size.mebibytes(0), disk: Size.gibibytes(0) }))).toEqual([
      '[homelab/more/box] memory is 0 mebibytes, below the minimum of 1 — give at least Size.mebibytes(1)',
      '[homelab/more/box] disk is 0 gibibytes, below the minimum of 1 — give at least Size.gibibytes(1)',
    ]);
  });

  it('refuses a number (plain JavaScript, or the former swapMiB), a negative size and a part of a MiB, collected, saying what to write', () => {
    expect(problemsOf((app) => {
      const { lab, node } = build(app);
      const lan = lab.node.findAll().find((c): c is Network => c instanceof Network)!;
      const more = new LabStack(lab, 'more');
      const host = (id: string, vmId: number, props: Record<string, unknown>) => new DockerHost(more, id, { node, network: lan, vmId, ...props } as never);
      host('box', 302, { swap: 256 });
      host('old', 303, { swapMiB: 0 });
      host('neg', 304, { swap: Size.mebibytes(-1) });
      host('part', 305, { swap: Size.parse('512k') });
    })).toEqual([
      '[homelab/more/box] swap must be a Size, got 256 — write swap: Size.mebibytes(256)',
      '[homelab/more/old] swapMiB is now swap, a Size — write swap: Size.mebibytes(0)',
      '[homelab/more/neg] swap: size -1 mebibytes is not a whole number >= 0 — give a whole number, e.g. Size.mebibytes(512)',
      '[homelab/more/part] swap 512k is not a whole number of mebibytes — give it in whole mebibytes, e.g. Size.mebibytes(1024)',
    ]);
  });
});

describe('hostPort, a Port of its port\'s protocol', () => {
  const publish = (app: App, hostPort: unknown, port = Port.tcp(80)) => new ComposeService(build(app).host, 'site', { image: Image.of('nginx', '1.29.3'), ports: [{ port, hostPort: hostPort as Port }] });

  it('publishes the container port on the host port', () => {
    expect(publish(new App(), Port.tcp(8081)).toCompose()).toMatchObject({ ports: ['8081:80'] });
    expect(publish(new App(), Port.udp(5353), Port.udp(53)).toCompose()).toMatchObject({ ports: ['5353:53/udp'] });
  });

  it.each([
    [8081, 'port 80/tcp: hostPort must be a Port, got 8081 — write hostPort: Port.tcp(8081)'],
    [Port.udp(8081), 'port 80/tcp: hostPort 8081/udp is UDP; it publishes 80/tcp, a TCP port — write hostPort: Port.tcp(8081)'],
    [Port.tcp(70000), 'port 80/tcp: hostPort: port 70000/tcp is out of range — use an integer port in 1..65535'],
  ])('refuses hostPort %s with one collected error', (hostPort, message) => {
    expect(problemsOf((app) => publish(app, hostPort))).toEqual([`[homelab/apps/web/site] ${message}`]);
  });
});
