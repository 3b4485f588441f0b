import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QBITTORRENT_SAVE_PATH, QBITTORRENT_TEMP_PATH } from '../../constructs/media/qbittorrent';
import { toYaml } from '../../lib/yaml';
import { describeWithTools, runInController } from '../support/controller';
import { MediaLab, synthHomelab } from './support';

/**
 * Issue 10 items 5 (save/temp paths under /data/torrents) and 13 (reverse-proxy support trusting
 * exactly SWAG's address): the settings come from the model and the qbittorrent_config role seeds
 * them into qBittorrent.conf, editing the file only while qBittorrent is stopped.
 */
let ref: MediaLab;
beforeAll(() => {
  ref = synthHomelab();
});
afterAll(() => ref?.cleanup());

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const key = (s: { section: string; option: string }) => `[${s.section}] ${s.option}`;

describe('qBittorrent settings from the model', () => {
  it('saves under /data/torrents (the shared /data, so imports hardlink), incomplete downloads beside them', () => {
    const vars = ref.out.hostVars('qbittorrent');
    expect(QBITTORRENT_SAVE_PATH).toBe('/data/torrents');
    expect(vars.qbittorrent_config_settings).toEqual(expect.arrayContaining([
      { section: 'BitTorrent', option: 'Session\\DefaultSavePath', value: '/data/torrents' },
      { section: 'BitTorrent', option: 'Session\\TempPath', value: QBITTORRENT_TEMP_PATH },
      { section: 'BitTorrent', option: 'Session\\TempPathEnabled', value: 'true' },
      // A seeded file replaces linuxserver's default, which accepts the legal notice for qbittorrent-nox.
      { section: 'LegalNotice', option: 'Accepted', value: 'true' },
    ]));
    // /data is the mount: the save path is on it, not in the container layer.
    expect(ref.out.compose('qbittorrent').services.qbittorrent.volumes).toContain('/data:/data');
    // The legacy keys that qBittorrent's migration would copy over the Session ones are kept out.
    expect(vars.qbittorrent_config_absent.map(key)).toEqual(['[Preferences] Downloads\\SavePath', '[Preferences] Downloads\\TempPath', '[Preferences] Downloads\\TempPathEnabled']);
    expect(vars.qbittorrent_config_owner).toBe(1000);
    expect(vars.qbittorrent_config_service).toBe('qbittorrent');
  });

  it("turns reverse-proxy support on and trusts exactly SWAG's address, taken from the model", () => {
    const swag = ref.lab.security.swag!;
    const settings = ref.out.hostVars('qbittorrent').qbittorrent_config_settings;
    expect(settings).toEqual(expect.arrayContaining([
      { section: 'Preferences', option: 'WebUI\\ReverseProxySupportEnabled', value: 'true' },
      { section: 'Preferences', option: 'WebUI\\TrustedReverseProxiesList', value: swag.ipAddress },
    ]));
    expect(swag.ipAddress).toBe('10.10.10.41');
  });

  it('follows SWAG to another address, and trusts no proxy without SWAG', () => {
    const moved = synthHomelab({ security: { overrides: { swag: { ipAddress: '10.10.10.99', vmId: 199 } } } });
    const none = synthHomelab({ security: { overrides: { swag: { enabled: false } } } });
    try {
      expect(moved.out.hostVars('qbittorrent').qbittorrent_config_settings).toContainEqual({ section: 'Preferences', option: 'WebUI\\TrustedReverseProxiesList', value: '10.10.10.99' });
      const vars = none.out.hostVars('qbittorrent');
      expect(vars.qbittorrent_config_settings).toContainEqual({ section: 'Preferences', option: 'WebUI\\ReverseProxySupportEnabled', value: 'false' });
      expect(vars.qbittorrent_config_absent).toContainEqual({ section: 'Preferences', option: 'WebUI\\TrustedReverseProxiesList' });
    } finally {
      moved.cleanup();
      none.cleanup();
    }
  });

  it('seeds the file before the compose play first starts qBittorrent, stopping it for later edits', () => {
    const plays: Any[] = ref.out.yaml('ansible/media.yml');
    const seed = plays.findIndex((p) => p.roles?.includes('qbittorrent_config'));
    const compose = plays.findIndex((p) => p.roles?.includes('compose_project'));
    expect(seed).toBeGreaterThan(-1);
    expect(plays[seed].hosts).toBe('qbittorrent');
    expect(seed).toBeLessThan(compose);
    const tasks: Any[] = ref.out.yaml('ansible/roles/qbittorrent_config/tasks/main.yml');
    const names = tasks.map((t) => t.name);
    const check = tasks.find((t) => t.check_mode === true);
    const stop = tasks.find((t) => t['community.docker.docker_compose_v2']);
    const write = tasks.find((t) => t['community.general.ini_file'] && !t.check_mode);
    expect(check.register).toBe('qbittorrent_config_check');
    expect(stop['community.docker.docker_compose_v2']).toMatchObject({ state: 'stopped', services: ['{{ qbittorrent_config_service }}'] });
    expect(tasks.find((t) => t['ansible.builtin.set_fact'])['ansible.builtin.set_fact']).toEqual({ qbittorrent_config_differs: '{{ qbittorrent_config_check is changed }}' });
    expect(stop.when).toEqual(['qbittorrent_config_differs | bool', 'qbittorrent_config_compose_file.stat.exists']);
    expect(write.when).toBe('qbittorrent_config_differs | bool');
    expect(write['community.general.ini_file'].mode).toBe('0640');
    expect(names.indexOf(check.name)).toBeLessThan(names.indexOf(stop.name));
    expect(names.indexOf(stop.name)).toBeLessThan(names.indexOf(write.name));
  });
});

/**
 * The role run by Debian 13's Ansible (community.general.ini_file) on a directory standing in for
 * the host: first deploy (no file), a file in the shape qBittorrent itself rewrites (nothing may
 * change), and linuxserver's default file (legacy /downloads keys replaced, other keys kept).
 */
describeWithTools(['controller'], 'the qbittorrent_config role with real Ansible', () => {
  let deploy: string;
  let conf: string;
  let runs: { code: number; output: string; file: string }[];
  const env = { ANSIBLE_FORCE_COLOR: '0', ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'default' };
  const play = ['ansible-playbook', '-i', 'inventory/hosts.yml', 'qbt-config-test.yml'];

  /** What qBittorrent writes back (QSettings: no spaces, its own keys around ours). */
  const rewritten = [
    '[BitTorrent]', 'Session\\DefaultSavePath=/data/torrents', 'Session\\Port=6881', 'Session\\TempPath=/data/torrents/incomplete', 'Session\\TempPathEnabled=true', '',
    '[LegalNotice]', 'Accepted=true', '',
    '[Meta]', 'MigrationVersion=8', '',
    '[Preferences]', 'WebUI\\Address=*', 'WebUI\\ReverseProxySupportEnabled=true', 'WebUI\\ServerDomains=*', 'WebUI\\TrustedReverseProxiesList=10.10.10.41', '',
  ].join('\n');
  /** linuxserver/docker-qbittorrent root/defaults/qBittorrent.conf. */
  const lsioDefault = [
    '[LegalNotice]', 'Accepted=true', '',
    '[Preferences]', 'Connection\\UPnP=false', 'Connection\\PortRangeMin=6881', 'Downloads\\SavePath=/downloads/', 'Downloads\\TempPath=/downloads/incomplete/', 'WebUI\\Address=*', 'WebUI\\ServerDomains=*', '',
  ].join('\n');

  beforeAll(() => {
    const ansible = join(ref.out.dir, 'ansible');
    deploy = join(ref.out.dir, 'deploy');
    mkdirSync(deploy, { recursive: true });
    conf = join(deploy, 'qbittorrent', 'config', 'qBittorrent', 'qBittorrent.conf');
    writeFileSync(join(ansible, 'qbt-config-test.yml'), toYaml([{
      name: 'Seed qBittorrent.conf into a local directory',
      hosts: 'qbittorrent',
      connection: 'local',
      gather_facts: false,
      vars: { compose_project_dir: '/work/deploy/{{ inventory_hostname }}', compose_project_name: 'qbittorrent' },
      roles: ['qbittorrent_config'],
    }]));
    const run = () => {
      const r = runInController(ref.out.dir, play, { cwd: 'ansible', rw: true, timeoutMs: 240_000, env });
      return { code: r.code, output: r.output, file: readFileSync(conf, 'utf8') };
    };
    runs = [run()];
    writeFileSync(conf, rewritten);
    runs.push(run());
    writeFileSync(conf, lsioDefault);
    runs.push(run());
  }, 900_000);

  const recap = (output: string) => {
    const m = /^qbittorrent\s*:\s*ok=(\d+)\s+changed=(\d+).*failed=(\d+)/m.exec(output);
    if (!m) throw new Error(`no recap:\n${output.slice(-3000)}`);
    return { changed: Number(m[2]), failed: Number(m[3]) };
  };

  it('writes the save paths and the trusted proxy into a fresh file, without stopping anything (nothing deployed)', () => {
    expect(runs[0]!.code, runs[0]!.output.slice(-4000)).toBe(0);
    const f = runs[0]!.file;
    expect(f).toMatch(/^\[BitTorrent\]\nSession\\DefaultSavePath=\/data\/torrents\nSession\\TempPath=\/data\/torrents\/incomplete\nSession\\TempPathEnabled=true$/m);
    expect(f).toContain('[LegalNotice]\nAccepted=true');
    expect(f).toContain('WebUI\\ReverseProxySupportEnabled=true\nWebUI\\TrustedReverseProxiesList=10.10.10.41');
    expect(runs[0]!.output).toMatch(/Stop qBittorrent[^\n]*\n+skipping: \[qbittorrent\]/);
  });

  it('changes nothing in a file qBittorrent rewrote with the same settings (idempotent)', () => {
    expect(runs[1]!.code, runs[1]!.output.slice(-4000)).toBe(0);
    expect(recap(runs[1]!.output)).toEqual({ changed: 0, failed: 0 });
    expect(runs[1]!.file).toBe(rewritten);
  });

  it("replaces linuxserver's /downloads defaults and keeps the keys it does not own", () => {
    expect(runs[2]!.code, runs[2]!.output.slice(-4000)).toBe(0);
    expect(recap(runs[2]!.output).changed).toBeGreaterThan(0);
    const f = runs[2]!.file;
    expect(f).not.toContain('/downloads');
    expect(f).toContain('Session\\DefaultSavePath=/data/torrents');
    expect(f).toContain('Connection\\UPnP=false');
    expect(f).toContain('WebUI\\Address=*');
  });
});
