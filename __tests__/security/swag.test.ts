import { beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, DockerHost, Healthcheck, Image, LabStack, Network, Port } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { describeWithTools } from '../support/controller';
import { composeOf, file, nginxTest, swagGeneratedMarker, synthErrorOf, SynthedLab, synthHomelab, tfContainer, yamlOf } from './support';

const CONF_DIR = 'ansible/files/swag/proxy-confs/';

function proxyConfs(files: Map<string, string>): Map<string, string> {
  return new Map([...files].filter(([p]) => p.startsWith(CONF_DIR)).map(([p, c]) => [p.slice(CONF_DIR.length), c]));
}

describe('SWAG in the reference homelab', () => {
  let synthed: SynthedLab;
  beforeAll(() => {
    synthed = synthHomelab();
  });

  it('runs the pinned SWAG image with 80/443, DNS validation of a wildcard certificate and fail2ban', () => {
    const swag = composeOf(synthed.files, 'swag').swag;
    expect(swag.image).toBePinnedTo('lscr.io/linuxserver/swag');
    expect(swag.image).toMatch(/^lscr\.io\/linuxserver\/swag:\d+\.\d+\.\d+-ls\d+$/);
    expect(swag.ports).toEqual(['443:443', '80:80']);
    expect(swag.environment).toMatchObject({
      URL: 'home.example.org',
      SUBDOMAINS: 'wildcard',
      VALIDATION: 'dns',
      DNSPLUGIN: 'cloudflare',
      EMAIL: 'admin@home.example.org',
      PUID: '1000',
      PGID: '1000',
    });
    expect(swag.cap_add).toEqual(['NET_ADMIN']);
    expect(swag.volumes).toEqual(['./config:/config']);
  });

  it('starts last (order 90) as container 141 at 10.10.10.41', () => {
    const ct = tfContainer(synthed.files, 'security', 'swag');
    expect(ct.startup.order).toBe(90);
    expect(ct.vm_id).toBe(141);
    expect(ct.initialization.ip_config[0].ipv4.address).toBe('10.10.10.41/24');
    expect(synthed.lab.security.swag!.startupOrder).toBeGreaterThan(
      Math.max(...synthed.lab.containers.filter((c) => c !== synthed.lab.security.swag).map((c) => c.startupOrder)),
    );
  });

  it('writes a proxy conf for exactly the routed web UIs of the whole lab', () => {
    const routed = synthed.lab.containers.flatMap((c) => c.webUis.filter((u) => u.access === 'routed').map((u) => `${u.subdomain}.subdomain.conf`));
    expect(routed.length).toBeGreaterThan(5);
    expect([...proxyConfs(synthed.files).keys()].sort()).toEqual([...routed].sort());
    expect(yamlOf(synthed.files, 'ansible/inventory/host_vars/swag.yml').swag_proxy_confs).toEqual([...routed].sort());
  });

  it('writes no conf for LAN-only web UIs', () => {
    const lanOnly = synthed.lab.containers.flatMap((c) => c.webUis.filter((u) => u.access === 'lan-only').map((u) => u.subdomain));
    expect(lanOnly).toEqual(expect.arrayContaining(['immich-backup', 'cockpit']));
    const confs = proxyConfs(synthed.files);
    for (const sub of lanOnly) expect(confs.has(`${sub}.subdomain.conf`)).toBe(false);
    // Neither the Immich standby nor the file server's Cockpit is an upstream of any conf.
    for (const ip of ['10.10.10.52', '10.10.10.55']) expect([...confs.values()].join('\n')).not.toContain(`set $upstream_app ${ip};`);
  });

  it('points each conf at the LXC address and port of its service', () => {
    const confs = proxyConfs(synthed.files);
    for (const c of synthed.lab.containers) {
      for (const ui of c.webUis.filter((u) => u.access === 'routed')) {
        const conf = confs.get(`${ui.subdomain}.subdomain.conf`)!;
        expect(conf).toContain(`server_name ${ui.subdomain}.*;`);
        expect(conf).toContain('include /config/nginx/ssl.conf;');
        expect(conf).toContain('include /config/nginx/proxy.conf;');
        expect(conf).toContain('include /config/nginx/resolver.conf;');
        expect(conf).toContain(`set $upstream_app ${c.ipAddress};`);
        expect(conf).toContain(`set $upstream_port ${ui.port};`);
        expect(conf).toContain(`set $upstream_proto ${ui.scheme};`);
        expect(conf).toContain('proxy_pass $upstream_proto://$upstream_app:$upstream_port;');
        // The swag role removes stale confs by this first line: it must match the role's pattern.
    expect(conf.split('\n')[0]).toMatch(swagGeneratedMarker());
      }
    }
    const vw = confs.get('vaultwarden.subdomain.conf')!;
    expect(vw).toContain('set $upstream_app 10.10.10.43;');
    expect(vw).toContain('set $upstream_port 80;');
  });

  it('lifts the body limit only for UIs that take uploads, and notes websockets where used', () => {
    const confs = proxyConfs(synthed.files);
    for (const c of synthed.lab.containers) {
      for (const ui of c.webUis.filter((u) => u.access === 'routed')) {
        const conf = confs.get(`${ui.subdomain}.subdomain.conf`)!;
        expect(conf.includes('client_max_body_size 0;'), ui.subdomain).toBe(ui.unlimitedBody);
        expect(conf.includes('$connection_upgrade'), ui.subdomain).toBe(ui.websockets);
      }
    }
    expect(confs.get('immich.subdomain.conf')).toContain('client_max_body_size 0;');
    expect(confs.get('paperless.subdomain.conf')).toContain('client_max_body_size 0;');
    expect(confs.get('vaultwarden.subdomain.conf')).not.toContain('client_max_body_size');
  });

  it('writes its configuration before the Docker play starts SWAG and checks it after (security.yml)', () => {
    const plays = yamlOf<{ name: string; hosts: string; roles?: string[]; tasks?: Record<string, any>[] }[]>(synthed.files, 'ansible/security.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const prepare = plays.findIndex((p) => p.tasks?.some((t) => t['ansible.builtin.import_role']?.name === 'swag' && t['ansible.builtin.import_role']?.tasks_from === 'prepare'));
    const docker = plays.findIndex((p) => p.roles?.includes('compose_project'));
    const verify = plays.findIndex((p) => p.roles?.includes('swag'));
    expect(prepare).toBeGreaterThanOrEqual(0);
    expect(plays[prepare]!.hosts).toBe('swag');
    expect(docker).toBeGreaterThan(prepare);
    expect(verify).toBeGreaterThan(docker);
    expect(plays[verify]!.hosts).toBe('swag');
    expect(file(synthed.files, 'ansible/roles/swag/handlers/main.yml')).toContain('argv: [nginx, -s, reload]');
  });
  it('writes the DNS token from the vault (0600, no_log), never its value', () => {
    const vars = yamlOf(synthed.files, 'ansible/inventory/host_vars/swag.yml');
    expect(vars.swag_dns_credential).toBe('{{ vault_swag_dns_api_token }}');
    expect(vars.swag_dns_credential_key).toBe('dns_cloudflare_api_token');
    expect(file(synthed.files, 'ansible/roles/swag/templates/dns-conf.ini.j2')).toContain('{{ swag_dns_credential_key }} = {{ swag_dns_credential }}');
    const tasks = yamlOf<Record<string, any>[]>(synthed.files, 'ansible/roles/swag/tasks/prepare.yml'); // eslint-disable-line @typescript-eslint/no-explicit-any
    const write = tasks.find((t) => t['ansible.builtin.template']?.src === 'dns-conf.ini.j2')!;
    expect(write['ansible.builtin.template'].mode).toBe('0600');
    expect(write.no_log).toBe(true);
    expect(yamlOf(synthed.files, 'ansible/vault.example.yml').vault_swag_dns_api_token).toBe('CHANGE_ME');
  });
});

describe('SWAG options and late routes', () => {
  it('uses another DNS plugin and its credential key when asked', () => {
    const { files } = synthHomelab({ security: { swag: { dnsPlugin: 'hetzner', email: 'ops@example.org' } } });
    expect(composeOf(files, 'swag').swag.environment).toMatchObject({ DNSPLUGIN: 'hetzner', EMAIL: 'ops@example.org' });
    expect(yamlOf(files, 'ansible/inventory/host_vars/swag.yml').swag_dns_credential_key).toBe('dns_hetzner_api_token');
  });

  it('routes a web UI declared after SWAG was constructed (routes are read at render time)', () => {
    let lab!: Homelab;
    const late = synthErrorOf((app) => {
      lab = new Homelab(app, 'homelab');
      const extra = new LabStack(lab, 'extra');
      // Its own network: this test is about SWAG reading routes late, not about the LAN's address plan.
      const dmz = new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.10.20.0/24' });
      const host = new DockerHost(extra, 'whoami', { node: lab.pve, network: dmz, ipAddress: '10.10.20.99', vmId: 199 });
      new ComposeService(host, 'whoami', {
        image: Image.of('docker.io/traefik/whoami', 'v1.11.0'),
        ports: [{ port: Port.tcp(8080) }],
        healthcheck: Healthcheck.http(Port.tcp(8080), '/health', { tool: 'wget' }),
      });
      host.addWebUi({ port: Port.tcp(8080), access: 'routed', subdomain: 'whoami' });
    });
    expect(late).toBe('');
    const confs = lab.security.swag!.renderProxyConfs();
    expect(confs.get('whoami.subdomain.conf')).toContain('set $upstream_app 10.10.20.99;');
  });

  it('fails when two services claim one subdomain', () => {
    const message = synthErrorOf((app) => {
      new Homelab(app, 'homelab', { business: { paperless: { subdomain: 'immich' } } });
    });
    expect(message).toContain(
      "[homelab/business/paperless] subdomain 'immich' is already routed to homelab/business/immich — give one of the web UIs another subdomain",
    );
  });
});

describeWithTools(['nginx', 'unshare', 'openssl'], 'generated SWAG confs under real nginx', () => {
  let confs: Map<string, string>;
  beforeAll(() => {
    confs = proxyConfs(synthHomelab().files);
  });

  it('passes `nginx -t` with every generated conf', () => {
    expect(confs.size).toBeGreaterThan(5);
    const run = nginxTest(confs);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('fails `nginx -t` on a broken conf (the check can fail)', () => {
    const broken = new Map(confs);
    broken.set('immich.subdomain.conf', confs.get('immich.subdomain.conf')!.replace('client_max_body_size 0;', 'client_max_body_size 0'));
    const run = nginxTest(broken);
    expect(run.code).not.toBe(0);
    // The missing ';' joins the next line into the directive.
    expect(run.stderr).toContain('invalid number of arguments in "client_max_body_size" directive');
  });

  it('fails `nginx -t` when a conf repeats a directive proxy.conf sets (no websocket hacks in confs)', () => {
    const broken = new Map(confs);
    broken.set('vaultwarden.subdomain.conf', confs.get('vaultwarden.subdomain.conf')!.replace('proxy_pass', 'proxy_read_timeout 3600;\n        proxy_pass'));
    const run = nginxTest(broken);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('"proxy_read_timeout" directive is duplicate');
  });
});
