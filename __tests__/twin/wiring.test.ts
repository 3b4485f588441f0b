/**
 * What the twin expects of the lab's wiring, read from the synthesized reference project
 * (tools/twin/wiring.ts, docker-seed.ts). The live results are asserted by twin-report.test.ts.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as yaml from 'js-yaml';
import { alertNotifications, deliveryOf, enabledJails, nodeTargets, readPrometheus, readProxySite, ruleOf, seconds } from '../../tools/twin/wiring';
import { readRealList, realImagesByHost, realImagesOn, repositoryOf, setName } from '../../tools/twin/docker-seed';
import { testSecret } from '../../tools/twin/vault';
import { parsePhoneConfig } from '../../tools/twin/phone';
import { INTERNET_ADDRESSES } from '../../tools/twin/internet';
import { REPO_ROOT } from '../support/controller';

const PROJECT = path.join(REPO_ROOT, 'synth-out', 'ansible');
const hostVars = (h: string) => yaml.load(fs.readFileSync(path.join(PROJECT, 'inventory', 'host_vars', `${h}.yml`), 'utf8')) as Record<string, unknown>;
const amText = () => fs.readFileSync(path.join(PROJECT, 'files', 'alertmanager', 'config', 'alertmanager.yml.j2'), 'utf8');

describe('SWAG routes as the twin reads them', () => {
  const site = readProxySite(PROJECT)!;

  it('finds SWAG, its domain and one route per proxy conf, each to an inventory host', () => {
    expect(site.swagHost).toBe('swag');
    expect(site.domain).toBe('home.example.org');
    const confs = fs.readdirSync(path.join(PROJECT, 'files', 'swag', 'proxy-confs')).filter((f) => f.endsWith('.conf'));
    expect(site.routes).toHaveLength(confs.length);
    const addresses = new Set(fs.readdirSync(path.join(PROJECT, 'inventory', 'host_vars')).map((f) => hostVars(f.replace(/\.yml$/, '')).ansible_host));
    for (const r of site.routes) {
      expect(r.host).toMatch(new RegExp(`^[a-z0-9-]+\\.home\\.example\\.org$`));
      expect(addresses.has(r.upstream.address), `${r.name} → ${r.upstream.address}`).toBe(true);
    }
  });

  it('asks each route at its blackbox probe path', () => {
    const immich = site.routes.find((r) => r.name === 'immich')!;
    expect(immich.path).toBe('/api/server/ping');
    expect(immich.upstream).toEqual({ proto: 'http', address: hostVars('immich').ansible_host, port: 2283 });
  });

  it('knows which compose services may answer for each route (a route is named for its host, not its service)', () => {
    const byName = new Map(site.routes.map((r) => [r.name, r]));
    expect(byName.get('requests')!.services).toContain('seerr');
    expect(byName.get('paperless')!.services).toContain('webserver');
    expect(byName.get('paperless')!.services).not.toContain('seerr');
  });

  it('refuses a proxy conf without an upstream', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wiring-'));
    fs.mkdirSync(path.join(dir, 'files', 'swag', 'proxy-confs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'files', 'swag', 'compose.yml'), 'services:\n  swag:\n    image: x\n    environment:\n      URL: Example.ORG\n');
    fs.writeFileSync(path.join(dir, 'files', 'swag', 'proxy-confs', 'a.subdomain.conf'), 'server { server_name a.*; }\n');
    expect(() => readProxySite(dir)).toThrow(/a\.subdomain\.conf: no server_name <name>\.\* or upstream/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

it('expects every jail jail.local enables, not [DEFAULT] nor a disabled one', () => {
  const jails = enabledJails(PROJECT, 'swag');
  const text = fs.readFileSync(path.join(PROJECT, 'files', 'swag', 'fail2ban', 'jail.local'), 'utf8');
  expect(jails).toContain('nginx-http-auth');
  expect(jails).toContain('vaultwarden-login');
  expect(jails).not.toContain('DEFAULT');
  expect(jails).toHaveLength((text.match(/^enabled\s*=\s*true/gm) ?? []).length);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jails-'));
  fs.mkdirSync(path.join(dir, 'files', 'swag', 'fail2ban'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'files', 'swag', 'fail2ban', 'jail.local'), '[DEFAULT]\nenabled = true\n[a]\nenabled = false\n[b]\nenabled  = true\n');
  expect(enabledJails(dir, 'swag')).toEqual(['b']);
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('alert delivery as alertmanager.yml routes it', () => {
  it('sends each severity to its ntfy topic and priority', () => {
    expect(deliveryOf(amText(), { alertname: 'InstanceDown', severity: 'critical' })).toMatchObject({ receiver: 'ntfy-critical', topic: 'homelab-critical', priority: 5 });
    expect(deliveryOf(amText(), { alertname: 'X', severity: 'warning' })).toMatchObject({ receiver: 'ntfy-warning', topic: 'homelab-warning', priority: 4 });
    expect(deliveryOf(amText(), { alertname: 'X', severity: 'info' })).toMatchObject({ receiver: 'ntfy-info', topic: 'homelab-info', priority: 2 });
  });

  it('falls back to the root receiver when no child route matches', () => {
    expect(deliveryOf(amText(), { alertname: 'X', severity: 'none' }).receiver).toBe('ntfy-warning');
  });

  it('reads the down alert of a host\'s stack and its for: duration', () => {
    const targets = nodeTargets(PROJECT);
    expect(targets.size).toBe(fs.readdirSync(path.join(PROJECT, 'inventory', 'host_vars')).length - 1); // all but the Proxmox node
    const { stack } = targets.get('autobrr')!;
    expect(stack).toBe('media');
    const rule = ruleOf(PROJECT, stack, 'InstanceDown');
    expect(rule.labels.severity).toBe('critical');
    expect(seconds(rule.for)).toBe(180);
    expect(() => ruleOf(PROJECT, stack, 'NoSuchAlert')).toThrow(/no alert NoSuchAlert/);
  });

  it('finds Prometheus and its published port', () => {
    expect(readPrometheus(PROJECT)).toEqual({ host: 'prometheus', port: 9090 });
  });

  it('reads Prometheus durations', () => {
    expect(seconds('1h30m')).toBe(5400);
    expect(seconds('30s')).toBe(30);
    expect(seconds('0s')).toBe(0);
  });

  it('tells firing from resolved notifications of one host in the recorder\'s records', () => {
    const webhook = (status: string, host: string) => JSON.stringify({ status, alerts: [{ status, labels: { alertname: 'InstanceDown', host } }] });
    const records = [
      { time: 1, topic: 'homelab-critical', status: 200, priority: 5, message: webhook('firing', 'autobrr') },
      { time: 2, topic: 'homelab-critical', status: 200, priority: 5, message: webhook('firing', 'sonarr') },
      { time: 3, topic: 'homelab-critical', status: 200, priority: 5, message: 'not json' },
      { time: 4, topic: 'homelab-critical', status: 200, priority: 5, message: webhook('resolved', 'autobrr') },
    ];
    expect(alertNotifications(records, 'InstanceDown', 'autobrr').map((n) => [n.status, n.record.time])).toEqual([['firing', 1], ['resolved', 4]]);
  });
});

describe('real images per host', () => {
  it('strips tags and digests, not registry ports', () => {
    expect(repositoryOf('lscr.io/linuxserver/swag:5.8.0-ls487')).toBe('lscr.io/linuxserver/swag');
    expect(repositoryOf('localhost:5000/team/app')).toBe('localhost:5000/team/app');
    expect(repositoryOf('localhost:5000/team/app:1.2@sha256:abc')).toBe('localhost:5000/team/app');
    expect(repositoryOf('prom/prometheus@sha256:abc')).toBe('prom/prometheus');
  });

  it('gives each host only the real images its compose file uses', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seed-'));
    const list = path.join(dir, 'real-list.tsv');
    fs.writeFileSync(list, [
      '# repository\ttar',
      'lscr.io/linuxserver/swag\tswag.tar\t-',
      'prom/prometheus\tprometheus.tar\t-',
      'prom/alertmanager\talertmanager.tar\t-',
      'prom/blackbox-exporter\tblackbox.tar\t-',
      'binwiederhier/ntfy\tntfy.tar\t-',
    ].join('\n'));
    const byHost = realImagesByHost(PROJECT, readRealList(list));
    expect(Object.fromEntries([...byHost].map(([h, imgs]) => [h, setName(imgs)]))).toEqual({
      alertmanager: 'alertmanager',
      blackbox: 'blackbox',
      ntfy: 'ntfy',
      prometheus: 'prometheus',
      swag: 'swag',
    });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is on unless HOMELAB_TWIN_REAL_IMAGES=0, and refuses other values', () => {
    expect(realImagesOn({})).toBe(true);
    expect(realImagesOn({ HOMELAB_TWIN_REAL_IMAGES: '1' })).toBe(true);
    expect(realImagesOn({ HOMELAB_TWIN_REAL_IMAGES: '0' })).toBe(false);
    expect(() => realImagesOn({ HOMELAB_TWIN_REAL_IMAGES: 'yes' })).toThrow(/must be 1 or 0, got 'yes'/);
  });
});

it('gives Alertmanager\'s heartbeat the twin internet\'s dead-man switch', () => {
  expect(testSecret('vault_alertmanager_heartbeat_url')).toMatch(new RegExp(`^http://${INTERNET_ADDRESSES.deadman.replace(/\./g, '\\.')}:80/ping/[A-Za-z0-9]{12}$`));
});

describe('the phone peer\'s client config', () => {
  it('reads the generated client config of the reference lab\'s example peer', () => {
    const text = fs.readFileSync(path.join(PROJECT, 'files', 'wireguard', 'wireguard', 'clients', 'laptop.conf.j2'), 'utf8');
    expect(parsePhoneConfig(text)).toEqual({ address: '10.10.99.2', allowedIps: ['10.10.10.0/24', '10.10.99.0/24'], endpointPort: 51820, keepalive: 25 });
  });

  it('refuses a config without an endpoint port', () => {
    expect(() => parsePhoneConfig('[Interface]\nAddress = 10.0.0.2/32\n[Peer]\nEndpoint = vpn.example.org\nAllowedIPs = 10.0.0.0/24\n')).toThrow(/Endpoint 'vpn\.example\.org' has no port/);
    expect(() => parsePhoneConfig('[Interface]\n')).toThrow(/no Address, Endpoint or AllowedIPs/);
  });
});
