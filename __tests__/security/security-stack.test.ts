import { beforeAll, describe, expect, it } from 'vitest';
import { Size } from '../../constructs/core/values';
import { Homelab } from '../../constructs/homelab';
import { RUSTDESK_IMAGE } from '../../constructs/security/rustdesk';
import { App } from '../../lib/cdktf';
import { prepare } from '../../integrations/synth';
import { composeOf, file, synthErrorOf, SynthedLab, synthHomelab, tfContainer, yamlOf } from './support';

describe('Vaultwarden', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs the pinned image on port 80 with its data in the project directory', () => {
    const vw = composeOf(synthed.files, 'vaultwarden').vaultwarden;
    expect(vw.image).toBePinnedTo('vaultwarden/server');
    expect(vw.image).toMatch(/^vaultwarden\/server:1\.\d+\.\d+$/);
    expect(vw.ports).toEqual(['80:80']);
    expect(vw.volumes).toEqual(['./data:/data']);
    expect(vw.healthcheck.test).toEqual(['CMD-SHELL', 'curl -fsS -o /dev/null http://localhost:80/alive || exit 1']);
  });

  it('knows its public URL, refuses sign-ups and reads ADMIN_TOKEN from the vault-rendered .env', () => {
    const env = composeOf(synthed.files, 'vaultwarden').vaultwarden.environment;
    expect(env.DOMAIN).toBe('https://vaultwarden.home.example.org');
    expect(env.SIGNUPS_ALLOWED).toBe('false');
    expect(env.ADMIN_TOKEN).toBe('${ADMIN_TOKEN:?ADMIN_TOKEN is written to .env by Ansible}');
    expect(file(synthed.files, 'ansible/files/vaultwarden/env.j2')).toContain("ADMIN_TOKEN='{{ vault_vaultwarden_admin_token |");
  });

  it('is routed through SWAG with websockets and probed on /alive', () => {
    const vw = synthed.lab.security.vaultwarden!;
    expect(vw.webUis).toEqual([expect.objectContaining({ port: 80, access: 'routed', subdomain: 'vaultwarden', websockets: true, unlimitedBody: false, healthPath: '/alive' })]);
    expect(vw.healthEndpoints).toEqual([{ port: 80, path: '/alive' }]);
    expect(tfContainer(synthed.files, 'security', 'vaultwarden').vm_id).toBe(143);
    expect(vw.ipAddress).toBe('10.10.10.43');
  });
});

describe('RustDesk', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs hbbs and hbbr from one pinned image on one LXC, sharing the key directory', () => {
    const svc = composeOf(synthed.files, 'rustdesk');
    expect(Object.keys(svc).sort()).toEqual(['hbbr', 'hbbs']);
    expect(svc.hbbs.image).toBePinnedTo('rustdesk/rustdesk-server');
    expect(svc.hbbr.image).toBe(RUSTDESK_IMAGE.ref);
    // hbbr's default key is empty (no key check: an open relay); `-k _` loads hbbs's key pair from /root.
    expect(svc.hbbs.command).toEqual(['hbbs', '-k', '_']);
    expect(svc.hbbr.command).toEqual(['hbbr', '-k', '_']);
    expect(svc.hbbs.volumes).toEqual(['./data:/root']);
    expect(svc.hbbr.volumes).toEqual(['./data:/root']);
    expect(svc.hbbs.depends_on).toEqual({ hbbr: { condition: 'service_started' } });
  });

  it('runs on the host network (upstream, for P2P) with 21115-21117/tcp and 21116/udp declared, no web UI and TCP health endpoints', () => {
    const svc = composeOf(synthed.files, 'rustdesk');
    for (const s of [svc.hbbs, svc.hbbr]) {
      expect(s.network_mode).toBe('host');
      expect(s.ports).toBeUndefined();
    }
    expect([...synthed.lab.security.rustdesk!.listeningPorts.keys()].sort()).toEqual(['21115/tcp', '21116/tcp', '21116/udp', '21117/tcp']);
    const rd = synthed.lab.security.rustdesk!;
    expect(rd.webUis).toEqual([]);
    expect(rd.healthEndpoints).toEqual([{ port: 21116 }, { port: 21117 }]);
    expect(rd.publicPorts.map(String).sort()).toEqual(['21115/tcp', '21116/tcp', '21116/udp', '21117/tcp']);
    expect(tfContainer(synthed.files, 'security', 'rustdesk').vm_id).toBe(144);
  });

  it('adds the web-client websocket ports 21118/21119 and the relay address when asked', () => {
    const { lab, files } = synthHomelab({ security: { rustdesk: { webClientPorts: true, relayHost: 'rustdesk.example.org' } } });
    expect([...lab.security.rustdesk!.listeningPorts.keys()]).toEqual(expect.arrayContaining(['21118/tcp', '21119/tcp']));
    expect(composeOf(files, 'rustdesk').hbbs.command).toEqual(['hbbs', '-k', '_', '-r', 'rustdesk.example.org:21117']);
  });

  it('refuses a relay host that is not a host name or address', () => {
    const err = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { security: { rustdesk: { relayHost: 'rustdesk.example.org:21117' } } });
    });
    expect(err).toContain("[homelab/security/rustdesk] relayHost 'rustdesk.example.org:21117' is not a host name or IPv4 address");
  });
});

describe('SecurityStack', () => {
  it('exposes its services with the reference plan', () => {
    const app = new App();
    const lab = new Homelab(app, 'homelab');
    prepare(app);
    const s = lab.security;
    const all = [s.swag, s.wireguard, s.vaultwarden, s.rustdesk];
    expect(all.map((x) => x?.vmId)).toEqual([141, 142, 143, 144]);
    expect(all.map((x) => x?.ipAddress)).toEqual(['10.10.10.41', '10.10.10.42', '10.10.10.43', '10.10.10.44']);
  });

  it('leaves a disabled service out, with no files for it', () => {
    const { lab, files } = synthHomelab({ security: { overrides: { vaultwarden: { enabled: false } } } });
    expect(lab.security.vaultwarden).toBeUndefined();
    expect([...files.keys()].some((p) => p.includes('vaultwarden'))).toBe(false);
    expect(yamlOf(files, 'ansible/inventory/host_vars/swag.yml').swag_proxy_confs).not.toContain('vaultwarden.subdomain.conf');
  });

  it('applies overrides: another tag, size and address', () => {
    const { files } = synthHomelab({ security: { overrides: { vaultwarden: { imageTag: '1.37.2', memory: Size.mebibytes(1024), ipAddress: '10.10.10.143' } } } });
    expect(composeOf(files, 'vaultwarden').vaultwarden.image).toBe('vaultwarden/server:1.37.2');
    const ct = tfContainer(files, 'security', 'vaultwarden');
    expect(ct.memory.dedicated).toBe(1024);
    expect(ct.initialization.ip_config[0].ipv4.address).toBe('10.10.10.143/24');
  });

  it('fails when an override names an unknown service', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { security: { overrides: { vaultwardn: { enabled: false } } as never } });
    });
    expect(message).toBe("[homelab/security] unknown service override 'vaultwardn' — use one of: rustdesk, swag, vaultwarden, wireguard");
  });

  it('fails when the SWAG DNS plugin name is not a plugin name', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { security: { swag: { dnsPlugin: 'Cloud Flare' } } });
    });
    expect(message).toBe("[homelab/security/swag] dnsPlugin 'Cloud Flare' is not a certbot plugin name — use the name SWAG's DNSPLUGIN takes, e.g. 'cloudflare'");
  });
});
