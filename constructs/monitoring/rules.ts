import { IConstruct } from 'constructs';
import { RuleGroup, selfHealthAlertRules, SelfHealthContext, stackAlertRules } from '../../lib/observability/alert-rules';
import { observeLab, observedStacks } from '../../integrations/observability/observe-lab';
import { PROBE_JOB } from '../../lib/observability/prometheus-config';
import { PVE_NODES_JOB } from '../../lib/observability/model';
import { Lab, LxcContainer, WireGuardTunnel } from '../core';
import { AlertRule } from './alert-rule';

/** What the generated rules depend on besides the lab's containers. */
export interface LabRuleOptions {
  /** The construct that owns the built-in rules (named in duplicate-rule errors). */
  readonly owner: IConstruct;
  /** The stack the monitoring services live in (its group gets the self-health rules). */
  readonly monitoringStack: string;
  /** Probes exist (a Blackbox exporter is wired). */
  readonly probes: boolean;
  readonly pve?: { readonly exporterHost: string; readonly exporterStack: string };
  readonly self: Omit<SelfHealthContext, 'stack' | 'pve'>;
  /** Whether a container must be in a Proxmox backup job. */
  readonly expectsBackup: (c: LxcContainer) => boolean;
}

/**
 * Every rule group of the lab: per stack the built-in rules generated from its containers, probes
 * and Proxmox guests, the monitoring stack's self-health rules, and each AlertRule a service added.
 */
export function labRuleGroups(lab: Lab, opts: LabRuleOptions): RuleGroup[] {
  const obs = observeLab(lab);
  const builtin = opts.owner.node.path;
  const pveNode = obs.proxmoxNodes[0];
  const pve = opts.pve && pveNode ? { exporterJob: 'pve', nodeAddress: pveNode.address, exporterHost: opts.pve.exporterHost, exporterStack: opts.pve.exporterStack } : undefined;
  const userRules = AlertRule.allIn(lab);
  const groups: RuleGroup[] = [];
  const names = [...observedStacks(lab), ...userRules.map((r) => r.group)].filter((n, i, all) => all.indexOf(n) === i);
  for (const stack of names) {
    const hosts = obs.hosts.filter((h) => h.stack === stack);
    const rules: RuleGroup['rules'][number][] = stackAlertRules({
      stack,
      hosts: hosts.map((h) => ({ host: h.hostname, stack: h.stack, address: h.address, vmId: h.vmId, docker: h.docker })),
      probes: opts.probes ? obs.probes.filter((p) => p.stack === stack).map((p) => ({ host: p.host, target: p.target, kind: p.kind, job: PROBE_JOB[p.module] })) : [],
      pve,
      backupVmIds: hosts.filter((h) => opts.expectsBackup(h.container)).map((h) => h.vmId),
      tunnels: hosts.flatMap((h) => tunnelsOf(h.container).map((t) => ({ host: h.hostname, stack: h.stack, address: h.address, interface: t.interfaceName }))),
    }).map((rule) => ({ rule, source: builtin }));
    if (stack === opts.monitoringStack) {
      // A cluster: every node's own API is scraped too (prometheus-config's PVE_NODES_JOB), so each node can be reported down.
      const cluster = obs.proxmoxNodes.length > 1 ? { nodeJob: PVE_NODES_JOB, nodes: obs.proxmoxNodes } : undefined;
      const selfPve = pve && pveNode ? { exporterJob: pve.exporterJob, nodeAddress: pveNode.address, nodeName: pveNode.name, exporterHost: pve.exporterHost, ...(cluster ? { cluster } : {}) } : undefined;
      rules.push(...selfHealthAlertRules({ ...opts.self, stack, pve: selfPve }).map((rule) => ({ rule, source: builtin })));
    }
    for (const r of userRules.filter((u) => u.group === stack)) rules.push({ rule: r.definition, source: r.node.path });
    groups.push({ name: stack, rules });
  }
  return groups;
}

/** WireGuard tunnels that terminate on this container (their handshakes are monitored). */
export function tunnelsOf(container: LxcContainer): WireGuardTunnel[] {
  return container.node.findAll().filter((c): c is WireGuardTunnel => c instanceof WireGuardTunnel && c.host === container);
}
