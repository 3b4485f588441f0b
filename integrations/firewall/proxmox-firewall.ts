import { Construct, IConstruct } from 'constructs';
import { VirtualEnvironmentClusterFirewall } from '../../.gen/providers/proxmox/virtual-environment-cluster-firewall';
import { VirtualEnvironmentFirewallIpset } from '../../.gen/providers/proxmox/virtual-environment-firewall-ipset';
import { VirtualEnvironmentFirewallOptions } from '../../.gen/providers/proxmox/virtual-environment-firewall-options';
import {
  VirtualEnvironmentFirewallRules,
  VirtualEnvironmentFirewallRulesRule,
} from '../../.gen/providers/proxmox/virtual-environment-firewall-rules';
import { Connections, IngressRule } from '../../constructs/core/connections';
import { Lab } from '../../constructs/core/lab';
import { LxcContainer } from '../../constructs/core/lxc-container';
import { LabAspects } from '../../lib/aspects';
import { addCheck, addWarning } from '../../lib/problems';
import { isMetricsCollector, isVpnServer } from '../../constructs/core/capabilities';
import type { FirewallSettings } from '../../constructs/core/firewall-settings';
import { containersThat, ensureFlowDerivation, parsePort } from './flows';
import { compareAddresses } from '../../lib/firewall/nft';

/** The firewall's settings; the model holds them (`LabProps.firewall`), so a Lab can carry them. */
export type ProxmoxFirewallOptions = FirewallSettings;

/** More sources than this go into an ipset instead of a comma list in the rule. */
const IPSET_THRESHOLD = 4;

/**
 * Per-container Proxmox firewall from the model: default-deny inbound (`input_policy DROP`), outbound
 * open, and one ACCEPT rule per declared or derived connection (SWAG to routed UIs, Prometheus to
 * metrics, log agents to Loki, ...), SSH and ping from the management network, and the few ports
 * exposed to the internet. Rules are filled in at render time, so they reflect the final flows.
 */
export class ContainerFirewall extends Construct {
  static readonly ID = 'Firewall';

  constructor(
    readonly container: LxcContainer,
    private readonly options: ProxmoxFirewallOptions,
  ) {
    super(container, ContainerFirewall.ID);
  }

  /** The rules as Proxmox will hold them (in order). */
  rules(): { rules: VirtualEnvironmentFirewallRulesRule[]; ipsets: { name: string; comment: string; cidrs: string[] }[] } {
    const c = this.container;
    const mgmt = (this.options.managementSources ?? [c.network.cidr]).join(',');
    const rules: VirtualEnvironmentFirewallRulesRule[] = [
      { type: 'in', action: 'ACCEPT', proto: 'tcp', dport: '22', source: mgmt, comment: 'SSH (Ansible) from the management network' },
      { type: 'in', action: 'ACCEPT', macro: 'Ping', source: mgmt, comment: 'ping from the management network' },
    ];
    const ipsets: { name: string; comment: string; cidrs: string[] }[] = [];
    for (const g of groupRules(Connections.of(c).ingress)) {
      const rule: VirtualEnvironmentFirewallRulesRule = { type: 'in', action: 'ACCEPT', proto: g.protocol, dport: String(g.port), comment: g.comment };
      if (g.sources.length > IPSET_THRESHOLD) {
        const name = `${g.protocol}${g.port}-clients`;
        ipsets.push({ name, comment: g.comment, cidrs: g.sources });
        rules.push({ ...rule, source: `+${name}` });
      } else if (g.sources.length > 0) {
        rules.push({ ...rule, source: g.sources.join(',') });
      } else {
        rules.push(rule);
      }
    }
    return { rules, ipsets };
  }

  renderTerraform(): void {
    const c = this.container;
    const { rules, ipsets } = this.rules();
    const target = { nodeName: c.proxmoxNode.nodeName, containerId: c.vmId };
    const options = new VirtualEnvironmentFirewallOptions(this, 'Options', {
      ...target,
      enabled: true,
      inputPolicy: 'DROP',
      outputPolicy: 'ACCEPT',
      logLevelIn: this.options.logLevelIn ?? 'nolog',
      dependsOn: [c.resource],
    });
    const sets = ipsets.map((s) => new VirtualEnvironmentFirewallIpset(this, `Ipset-${s.name}`, {
      ...target,
      name: s.name,
      comment: s.comment,
      cidr: s.cidrs.map((name) => ({ name })),
      dependsOn: [c.resource],
    }));
    new VirtualEnvironmentFirewallRules(this, 'Rules', { ...target, rule: rules, dependsOn: [c.resource, options, ...sets] });
  }
}

/** The node's own management ports the host rules open (everything else inbound hits input policy DROP). */
export const NODE_MANAGEMENT_PORTS: readonly { port: number; what: string }[] = [
  { port: 8006, what: 'Proxmox web UI and API' },
  { port: 22, what: 'SSH (the node play)' },
];

/**
 * The datacenter firewall and the nodes' host rules (infra stack). Proxmox filters guest traffic
 * only while the datacenter firewall is enabled: "The firewall is completely disabled by default,
 * so you need to set the enable option here" (cluster.fw `[OPTIONS]`, "cluster wide setting") —
 * pve-firewall(8), https://pve.proxmox.com/pve-docs/pve-firewall.html (Cluster Wide Setup).
 *
 * bpg/proxmox 0.111.1 `proxmox_virtual_environment_cluster_firewall` sends `enable` and `ebtables`
 * on every create/update from `d.Get`, so leaving either out sends 0 (firewall off, ebtables off):
 * both are set explicitly (proxmoxtf/resource/cluster/firewall/firewall.go, `setOptions`). Its
 * input policy defaults to DROP. Deleting the resource only drops it from the state
 * (`d.SetId("")`): the datacenter firewall stays as it was.
 *
 * With input policy DROP, Proxmox still lets its management hosts (IPSet `management`, else the
 * node's auto-detected `local_network`) reach 8006 and 22: "If you enable the firewall, all traffic
 * is blocked by default, except WebGUI(8006) and ssh(22) from your local network" (same page; its
 * "Default firewall rules" section also keeps corosync's UDP 5405-5412 open in the cluster network).
 * That covers only the node's own subnet, so the host rules (node-level
 * `proxmox_virtual_environment_firewall_rules`, `node_name` only — bpg >= 0.86.0, #2281) open
 * 8006/tcp and 22/tcp to every network of the lab and every WireGuard VPN subnet, and to nothing
 * else. The host rules are per node: in a cluster every node gets them; corosync between the
 * nodes relies on those default rules (check `pve-firewall localnet` on each node).
 */
export class DatacenterFirewall extends Construct {
  static readonly ID = 'DatacenterFirewall';

  constructor(
    scope: Construct,
    private readonly lab: Lab,
  ) {
    super(scope, DatacenterFirewall.ID);
  }

  /** Where the nodes' management ports may be reached from: the lab's networks, then the VPN subnets. */
  managementSources(): string[] {
    const vpn = containersThat(this.lab, isVpnServer).map((c) => c.vpnSubnet);
    return [...new Set([...this.lab.networks.map((n) => n.cidr), ...vpn])];
  }

  /** The host rules of every node, in order. */
  hostRules(): VirtualEnvironmentFirewallRulesRule[] {
    const source = this.managementSources().join(',');
    return NODE_MANAGEMENT_PORTS.map((p) => ({
      type: 'in', action: 'ACCEPT', proto: 'tcp', dport: String(p.port), source, comment: `${p.what} from the lab's networks and the VPN`,
    }));
  }

  renderTerraform(): void {
    const rules = this.lab.nodes.map((n) => new VirtualEnvironmentFirewallRules(this, `HostRules-${n.node.id}`, { nodeName: n.nodeName, rule: this.hostRules() }));
    // Host rules first, then the switch: the management ports are open before input policy DROP applies.
    new VirtualEnvironmentClusterFirewall(this, 'Options', {
      enabled: true,
      ebtables: true,
      inputPolicy: 'DROP',
      outputPolicy: 'ACCEPT',
      dependsOn: rules,
    });
  }
}

interface RuleGroup {
  protocol: 'tcp' | 'udp';
  port: number;
  /** Empty: from anywhere (an internet exposure). */
  sources: string[];
  comment: string;
}

/**
 * One Proxmox rule per port: sources merged, sorted by protocol and port. An internet exposure
 * makes the port open to all, so its other sources are dropped. Tunnel flows are not Proxmox's
 * business: they arrive inside the container.
 */
function groupRules(ingress: readonly IngressRule[]): RuleGroup[] {
  const groups = new Map<string, { protocol: 'tcp' | 'udp'; port: number; sources: Set<string>; any: boolean; why: Set<string> }>();
  for (const r of ingress) {
    if (r.peer.kind === 'tunnel') continue;
    const key = `${r.port.protocol}/${String(r.port.port).padStart(5, '0')}`;
    let g = groups.get(key);
    if (!g) {
      g = { protocol: r.port.protocol, port: r.port.port, sources: new Set(), any: false, why: new Set() };
      groups.set(key, g);
    }
    if (r.peer.kind === 'internet') g.any = true;
    else g.sources.add(r.peer.source!);
    g.why.add(r.peer.kind === 'internet' ? 'internet' : r.peer.description);
  }
  return [...groups.keys()].sort().map((k) => {
    const g = groups.get(k)!;
    const why = [...g.why].sort();
    const comment = `${why.length > 3 ? `${why.slice(0, 3).join(', ')} +${why.length - 3}` : why.join(', ')} to ${g.port}/${g.protocol}`;
    return { protocol: g.protocol, port: g.port, sources: g.any ? [] : [...g.sources].sort(compareAddresses), comment: comment.slice(0, 120) };
  });
}

/**
 * Listening ports no flow uses. A metrics port in a lab without a metrics collector is left out:
 * nothing is meant to reach it then, and the `homelab:dangling-metrics` warning already names it
 * (integrations/dangling.ts), so disabling Prometheus does not fail the strict policy port by port.
 */
function unreachablePorts(lab: Lab, c: LxcContainer): { port: string; purpose: string }[] {
  const ingress = Connections.of(c).ingress;
  const unscraped = lab.containers.some(isMetricsCollector) ? new Set<number>() : new Set(c.metricsEndpoints.map((m) => m.port));
  return [...c.listeningPorts.entries()]
    .filter(([key]) => !ingress.some((r) => r.port.equals(parsePort(key))))
    .filter(([key]) => !(parsePort(key).protocol === 'tcp' && unscraped.has(parsePort(key).port)))
    .map(([port, purpose]) => ({ port, purpose }));
}

class FirewallAspect {
  constructor(
    private readonly lab: Lab,
    private readonly options: ProxmoxFirewallOptions,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof LxcContainer) || !this.lab.containers.includes(node)) return;
    if (node.node.tryFindChild(ContainerFirewall.ID)) return;
    new ContainerFirewall(node, this.options);
    const mode = this.options.unreachablePorts ?? 'error';
    if (mode === 'warn') {
      // Warnings need the derived flows: record them when validations run.
      addCheck(node, () => unreachablePorts(this.lab, node).map((u) => ({ warning: 'homelab:unreachable-port', message: `port ${u.port} (${u.purpose}) is open but nothing may reach it` })));
      return;
    }
    addCheck(node, () =>
      unreachablePorts(this.lab, node).map((u) => {
        const [n, proto] = u.port.split('/');
        const call = `Port.${proto}(${n})`;
        return {
          message: `port ${u.port} (${u.purpose}) is open, but nothing may reach it: no SWAG route, no declared connection and no exposure uses it`,
          fix: `declare who connects (${node.hostname}.connections.allowFrom(<container>, ${call})), expose it (connections.exposeToInternet(${call}, '<why>')), or stop publishing it`,
        };
      }),
    );
  }
}

const ENABLED = new WeakSet<Lab>();

/**
 * Proxmox firewalls for every container of the lab, from its connections. The pipeline enables it
 * for every Lab that did not opt out (integrations/plugins.ts, with the Lab's settings); called
 * directly, before synth, its options win and `unreachablePorts` defaults to 'error'.
 */
export const ProxmoxFirewall = {
  enable(lab: Lab, options: ProxmoxFirewallOptions = {}): void {
    if (ENABLED.has(lab)) return;
    ENABLED.add(lab);
    const dc = options.datacenterFirewall;
    if (dc !== undefined && typeof dc !== 'boolean') {
      // Collected, not thrown (this runs while plugins attach); the firewall waits for valid options.
      addCheck(lab, () => [{ message: `firewall.datacenterFirewall must be true or false, got ${JSON.stringify(dc)}`, fix: 'leave it out to manage the datacenter firewall (guest firewalls need it)' }]);
      return;
    }
    if (dc === false) {
      addWarning(lab, 'homelab:datacenter-firewall-off', "firewall.datacenterFirewall is false: Proxmox applies no container firewall until the datacenter firewall is on — enable it yourself (Datacenter > Firewall > Options) and open the node's 8006/22 to your networks (docs/vpn-and-firewall.md)");
    } else {
      new DatacenterFirewall(lab.infra, lab);
    }
    ensureFlowDerivation(lab);
    LabAspects.of(lab).add(new FirewallAspect(lab, options), 'mutate');
  },

  isEnabled(lab: Lab): boolean {
    return ENABLED.has(lab);
  },
};
