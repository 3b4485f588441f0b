import { IConstruct } from 'constructs';
import type { ILabAspect } from '../../lib/aspects';
import { addCheck } from '../../lib/problems';
import { Connections, LxcContainer, Port } from '../core';
import { tunnelsOf } from './rules';

/** The monitoring services whose generated configs reach into other containers. */
export interface MonitoringPeers {
  readonly blackbox?: LxcContainer;
  readonly glance?: LxcContainer;
}

/**
 * What the monitoring stack's generated configs need on every other container, set before
 * validation: the flows of its own probes that the lab's flow table does not derive (Blackbox and
 * Glance check each web UI on the app's own port, not only declared health endpoints; Prometheus,
 * log agents, node_exporter and the health endpoints are derived in integrations/firewall/flows.ts), and the
 * WireGuard interfaces node_exporter's role reports (VpnTunnelDown); and checks that every web UI
 * can be probed. Adds no constructs.
 */
export class MonitoringAgentsAspect implements ILabAspect {
  constructor(private readonly peers: () => MonitoringPeers) {}

  visit(node: IConstruct): void {
    if (!(node instanceof LxcContainer)) return;
    const { blackbox, glance } = this.peers();
    const c = node;
    for (const ui of c.webUis) {
      const port = Port.tcp(ui.port);
      if (blackbox && blackbox !== c) Connections.of(c).allowFrom(blackbox, port, { description: `Blackbox probes ${ui.title}` });
      if (glance && glance !== c) Connections.of(c).allowFrom(glance, port, { description: `Glance checks ${ui.title}` });
    }
    addCheck(c, () => c.webUis
      .filter((ui) => !/^\/[^\s]*$/.test(ui.healthPath))
      .map((ui) => ({
        message: `${ui.access === 'routed' ? 'route' : 'web UI'} '${ui.title}' on port ${ui.port} has health path '${ui.healthPath}', so Blackbox and Glance have no URL to probe`,
        fix: "give addWebUi a healthPath that starts with '/' and answers 2xx without login, e.g. '/ping'",
      })));
    const tunnels = tunnelsOf(c);
    if (tunnels.length) c.setHostVar('node_exporter_wireguard_interfaces', tunnels.map((t) => t.interfaceName).sort());
  }
}
