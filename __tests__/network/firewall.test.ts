/** The Proxmox firewall derived from the model's connections (Terraform output). */
import { beforeAll, describe, expect, it } from 'vitest';
import { ComposeService, DockerHost, Image, Lab, LabStack, Network, Peer, Port, ProxmoxNode, Size } from '../../constructs/core';
import { App } from '../../lib/cdktf';
import { ContainerFirewall, DatacenterFirewall, ProxmoxFirewall, ProxmoxFirewallOptions } from '../../integrations/firewall/proxmox-firewall';
import { collectWarnings } from '../../lib/problems';
import { prepare } from '../../integrations/synth';
import { problemsOf, SynthOutput, synthReferenceLab } from './reference-output';

type Rule = { type: string; action: string; proto?: string; dport?: string; source?: string; macro?: string; comment: string };
type Resources = Record<string, Record<string, { container_id: number; rule?: Rule[]; enabled?: boolean; input_policy?: string; output_policy?: string; name?: string; cidr?: { name: string }[] }>>;

let out: SynthOutput;
const tf = (stack: string): Resources => JSON.parse(out.file(`stacks/${stack}/cdk.tf.json`)).resource as Resources;
const rulesOf = (vmId: number, stack: string): Rule[] => Object.values(tf(stack).proxmox_virtual_environment_firewall_rules ?? {}).find((r) => r.container_id === vmId)!.rule!;
const ipsetsOf = (vmId: number, stack: string) => Object.values(tf(stack).proxmox_virtual_environment_firewall_ipset ?? {}).filter((r) => r.container_id === vmId);

beforeAll(() => {
  out = synthReferenceLab();
});

describe('Proxmox firewall of the reference lab', () => {
  it('gives every container default-deny inbound, open outbound, and a rule set', () => {
    for (const c of out.lab.containers) {
      const stack = c.stack.stackName;
      const options = Object.values(tf(stack).proxmox_virtual_environment_firewall_options).filter((o) => o.container_id === c.vmId);
      expect(options, c.hostname).toEqual([expect.objectContaining({ enabled: true, input_policy: 'DROP', output_policy: 'ACCEPT', node_name: 'pve' })]);
      expect(rulesOf(c.vmId, stack).slice(0, 2), c.hostname).toEqual([
        { type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '22', source: c.network.cidr, comment: 'SSH (Ansible) from the management network' },
        { type: 'in', action: 'ACCEPT', macro: 'Ping', source: c.network.cidr, comment: 'ping from the management network' },
      ]);
    }
  });

  it('exposes to the internet only SWAG 80/443, WireGuard 51820/udp, RustDesk and Plex 32400', () => {
    const open: string[] = [];
    for (const c of out.lab.containers) {
      for (const r of rulesOf(c.vmId, c.stack.stackName)) if (r.source === undefined && r.macro === undefined) open.push(`${c.hostname} ${r.dport}/${r.proto}`);
    }
    expect(open.sort()).toEqual([
      'plex 32400/tcp',
      'rustdesk 21115/tcp', 'rustdesk 21116/tcp', 'rustdesk 21116/udp', 'rustdesk 21117/tcp',
      'swag 443/tcp', 'swag 80/tcp',
      'wireguard 51820/udp',
    ]);
  });

  it("derives the flows: SWAG and the download clients to qBittorrent's WebUI, Prometheus to node_exporter, every log agent to Loki", () => {
    const q = out.lab.media.qbittorrent!;
    const ip = (h: string) => out.lab.containers.find((c) => c.hostname === h)!.ipAddress;
    const webui = rulesOf(q.vmId, 'media').find((r) => r.dport === '8080')!;
    const set = ipsetsOf(q.vmId, 'media').find((s) => `+${s.name}` === webui.source)!;
    expect(set.cidr!.map((x) => x.name)).toEqual(expect.arrayContaining(['swag', 'sonarr', 'radarr', 'lidarr', 'autobrr'].map(ip)));
    expect(rulesOf(q.vmId, 'media').find((r) => r.dport === '6881'), 'the torrent port is for the tunnel only').toBeUndefined();
    for (const c of out.lab.containers) {
      if (c.hostname === 'prometheus') continue;
      expect(rulesOf(c.vmId, c.stack.stackName).find((r) => r.dport === '9100')?.source, c.hostname).toBe(ip('prometheus'));
    }
    const loki = out.lab.containers.find((c) => c.hostname === 'loki')!;
    const push = rulesOf(loki.vmId, 'monitoring').find((r) => r.dport === '3100')!;
    const clients = ipsetsOf(loki.vmId, 'monitoring').find((s) => `+${s.name}` === push.source)!.cidr!.map((x) => x.name);
    expect(clients).toEqual(expect.arrayContaining(out.lab.containers.filter((c) => c !== loki).map((c) => c.ipAddress)));
    const flaresolverr = out.lab.media.flaresolverr!;
    expect(rulesOf(flaresolverr.vmId, 'media').find((r) => r.dport === '8191')?.source).toContain(ip('prowlarr'));
  });
});

/** A two-container lab with the firewall on, for the policy's own tests. */
function smallLab(app: App, extra?: (host: DockerHost, other: DockerHost, lab: Lab) => void, options?: ProxmoxFirewallOptions): void {
  const lab = new Lab(app, 'lab', { domain: 'home.example.org', proxmox: { endpoint: 'https://pve:8006/' }, sshPublicKeys: ['ssh-ed25519 AAAA test'] });
  const node = new ProxmoxNode(lab.infra, 'pve', { address: '10.20.0.2', cores: 8, memory: Size.mebibytes(16384) });
  const lan = new Network(lab.infra, 'lan', { bridge: 'vmbr0', cidr: '10.20.0.0/24' });
  const stack = new LabStack(lab, 'apps');
  const app1 = new DockerHost(stack, 'app', { node, network: lan, vmId: 301, ipAddress: '10.20.0.31' });
  new ComposeService(app1, 'app', { image: Image.of('example/app', '1.0.0'), ports: [{ port: Port.tcp(8000) }, { port: Port.udp(1900), description: 'DLNA discovery' }] });
  const client = new DockerHost(stack, 'client', { node, network: lan, vmId: 302, ipAddress: '10.20.0.32' });
  new ComposeService(client, 'client', { image: Image.of('example/client', '1.0.0') });
  ProxmoxFirewall.enable(lab, options);
  extra?.(app1, client, lab);
}

describe('firewall policy', () => {
  it('turns allowFrom into a rule with the client address', () => {
    const app = new App();
    smallLab(app, (host, client) => {
      host.connections.allowFrom(client, Port.tcp(8000));
      host.connections.allowFrom(Peer.cidr('10.20.0.0/24', 'the LAN'), Port.udp(1900));
      host.connections.allowFrom(Peer.tunnel('wg0'), Port.tcp(8000));
    });
    prepare(app);
    const host = app.node.findAll().find((c): c is DockerHost => c instanceof DockerHost && c.hostname === 'app')!;
    const fw = host.node.findChild(ContainerFirewall.ID) as ContainerFirewall;
    expect(fw.rules().rules.slice(2)).toEqual([
      { type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '8000', source: '10.20.0.32', comment: 'client to 8000/tcp' },
      { type: 'in', action: 'ACCEPT', proto: 'udp', dport: '1900', source: '10.20.0.0/24', comment: 'the LAN to 1900/udp' },
    ]);
  });

  it('fails when a service opens a port nobody may reach', () => {
    expect(problemsOf((app) => smallLab(app, (host, client) => host.connections.allowFrom(client, Port.tcp(8000))))).toEqual([
      "[lab/apps/app] port 1900/udp (DLNA discovery) is open, but nothing may reach it: no SWAG route, no declared connection and no exposure uses it — declare who connects (app.connections.allowFrom(<container>, Port.udp(1900))), expose it (connections.exposeToInternet(Port.udp(1900), '<why>')), or stop publishing it",
    ]);
  });

  it('fails when an exposed port has no owner', () => {
    const problems = problemsOf((app) => smallLab(app, (host, client) => {
      host.connections.allowFrom(client, Port.tcp(8000));
      host.connections.allowFrom(client, Port.udp(1900));
      host.connections.exposeToInternet(Port.tcp(8443), 'HTTPS for the app');
    }));
    expect(problems).toEqual([
      '[lab/apps/app] exposes 8443/tcp to the internet, but no service of app listens on 8443/tcp: the exposed port has no owner — publish 8443/tcp from a service of this container, or remove the rule',
    ]);
  });

  it('fails when a connection names a container of another lab', () => {
    const problems = problemsOf((app) => {
      let stranger: DockerHost | undefined;
      smallLab(app, (_h, _c, other) => void other);
      const lab2 = new Lab(app, 'other', { domain: 'other.example.org', proxmox: { endpoint: 'https://pve2:8006/' }, sshPublicKeys: ['ssh-ed25519 AAAA test'] });
      const node = new ProxmoxNode(lab2.infra, 'pve', { address: '10.30.0.2', cores: 4, memory: Size.mebibytes(8192) });
      const lan = new Network(lab2.infra, 'lan', { bridge: 'vmbr0', cidr: '10.30.0.0/24' });
      stranger = new DockerHost(new LabStack(lab2, 'apps'), 'stranger', { node, network: lan, vmId: 401, ipAddress: '10.30.0.41' });
      const host = app.node.findAll().find((c): c is DockerHost => c instanceof DockerHost && c.hostname === 'app')!;
      const client = app.node.findAll().find((c): c is DockerHost => c instanceof DockerHost && c.hostname === 'client')!;
      host.connections.allowFrom(client, Port.udp(1900));
      host.connections.allowFrom(stranger, Port.tcp(8000));
    });
    expect(problems).toContain(
      "[lab/apps/app] allows 8000/tcp from other/apps/stranger, which is not a container of lab lab — create stranger inside this lab, or allow its address with Peer.cidr('<ip>/32', '<what it is>')",
    );
  });
});

describe('datacenter firewall (issue 10 item 16)', () => {
  type HostRules = { node_name: string; container_id?: number; vm_id?: number; rule: Rule[] };
  const infra = () => JSON.parse(out.file('stacks/infra/cdk.tf.json')).resource as Record<string, Record<string, Record<string, unknown>>>;

  it('turns the datacenter firewall on with ebtables set explicitly (bpg sends 0 for a missing one) and input policy DROP, after the host rules', () => {
    const dc = Object.entries(infra().proxmox_virtual_environment_cluster_firewall ?? {});
    expect(dc).toHaveLength(1);
    const [, options] = dc[0]!;
    expect(options).toMatchObject({ enabled: true, ebtables: true, input_policy: 'DROP', output_policy: 'ACCEPT' });
    const hostRules = Object.keys(infra().proxmox_virtual_environment_firewall_rules ?? {});
    expect(hostRules).toHaveLength(out.lab.nodes.length);
    expect(options.depends_on).toEqual(hostRules.map((k) => `proxmox_virtual_environment_firewall_rules.${k}`));
  });

  it("opens the node's 8006 and 22 to the lab's LAN and the WireGuard VPN subnet only, as node-level rules", () => {
    const rules = Object.values(infra().proxmox_virtual_environment_firewall_rules ?? {}) as unknown as HostRules[];
    const wg = out.lab.containers.find((c) => c.hostname === 'wireguard') as unknown as { vpnSubnet: string };
    const sources = [out.lab.lan.cidr, wg.vpnSubnet].join(',');
    expect(sources).toBe('10.10.10.0/24,10.10.99.0/24');
    expect(rules).toEqual([expect.objectContaining({ node_name: out.lab.pve.nodeName })]);
    expect(rules[0]!.container_id).toBeUndefined();
    expect(rules[0]!.vm_id).toBeUndefined();
    expect(rules[0]!.rule.map((r) => `${r.type} ${r.action} ${r.proto} ${r.dport} from ${r.source}`)).toEqual([
      `in ACCEPT tcp 8006 from ${sources}`,
      `in ACCEPT tcp 22 from ${sources}`,
    ]);
  });

  it("follows the model's networks and VPN subnet (no fixed addresses)", () => {
    const moved = synthReferenceLab({ security: { wireguard: { vpnSubnet: '172.30.8.0/24', peers: [{ name: 'phone', publicKey: 'ExamplePhonePublicKeyReplaceWithYourOwn0000=', address: '172.30.8.2' }] } } });
    const rules = Object.values(JSON.parse(moved.file('stacks/infra/cdk.tf.json')).resource.proxmox_virtual_environment_firewall_rules) as HostRules[];
    expect(rules[0]!.rule[0]!.source).toBe('10.10.10.0/24,172.30.8.0/24');
    const app = new App();
    smallLab(app, (host, client, lab) => {
      host.connections.allowFrom(client, Port.tcp(8000));
      host.connections.allowFrom(client, Port.udp(1900));
      new Network(lab.infra, 'iot', { bridge: 'vmbr1', cidr: '10.21.0.0/24' });
    });
    prepare(app);
    const dc = app.node.findAll().find((c): c is DatacenterFirewall => c instanceof DatacenterFirewall)!;
    expect(dc.hostRules().map((r) => r.source)).toEqual(['10.20.0.0/24,10.21.0.0/24', '10.20.0.0/24,10.21.0.0/24']);
  });

  it('opt-out: datacenterFirewall false manages nothing and warns that the guest firewalls do nothing', () => {
    const off = synthReferenceLab({ firewall: { datacenterFirewall: false } });
    const res = JSON.parse(off.file('stacks/infra/cdk.tf.json')).resource ?? {};
    expect(res.proxmox_virtual_environment_cluster_firewall).toBeUndefined();
    expect(res.proxmox_virtual_environment_firewall_rules).toBeUndefined();
    const app = new App();
    smallLab(app, (host, client) => {
      host.connections.allowFrom(client, Port.tcp(8000));
      host.connections.allowFrom(client, Port.udp(1900));
    }, { datacenterFirewall: false });
    prepare(app);
    const warnings = collectWarnings(app).filter((w) => w.id === 'homelab:datacenter-firewall-off');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/Proxmox applies no container firewall until the datacenter firewall is on/);
  });

  it.each([['no'], [0], [null], [{}]])('rejects datacenterFirewall %j with a clear error', (value) => {
    const problems = problemsOf((app) => smallLab(app, undefined, { datacenterFirewall: value as never }));
    expect(problems).toEqual([
      `[lab] firewall.datacenterFirewall must be true or false, got ${JSON.stringify(value)} — leave it out to manage the datacenter firewall (guest firewalls need it)`,
    ]);
  });
});
