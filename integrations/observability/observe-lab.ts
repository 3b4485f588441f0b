import { isComposeHost } from '../../constructs/core/capabilities';
import type { Lab } from '../../constructs/core/lab';
import type { LxcContainer } from '../../constructs/core/lxc-container';
import type { LabObservation, MetricsTarget, ObservedHost, ProbeTarget, WebUiEntry } from '../../lib/observability/model';

const byHost = <T extends { stack: string; host: string }>(a: T, b: T) => a.stack.localeCompare(b.stack) || a.host.localeCompare(b.host);

/** Reads the observation of `lab`. Call after the tree is complete (aspects, render hooks). */
export function observeLab(lab: Lab): LabObservation<LxcContainer> {
  const hosts: ObservedHost<LxcContainer>[] = lab.containers.map((c) => ({
    hostname: c.hostname,
    address: c.ipAddress,
    stack: c.stack.stackName,
    vmId: c.vmId,
    docker: isComposeHost(c),
    container: c,
  }));
  const metrics: MetricsTarget<LxcContainer>[] = [];
  const probes: ProbeTarget<LxcContainer>[] = [];
  const webUis: WebUiEntry[] = [];
  const seenProbe = new Set<string>();
  const addProbe = (p: ProbeTarget<LxcContainer>) => {
    const key = `${p.module} ${p.target}`;
    if (seenProbe.has(key)) return;
    seenProbe.add(key);
    probes.push(p);
  };
  for (const h of hosts) {
    const c = h.container;
    const base = { host: h.hostname, stack: h.stack, owner: c };
    for (const m of c.metricsEndpoints) metrics.push({ ...base, job: m.job, address: `${h.address}:${m.port}`, path: m.path });
    for (const ui of c.webUis) {
      const checkUrl = `${ui.scheme}://${h.address}:${ui.port}${ui.healthPath}`;
      const url = ui.access === 'routed' ? `https://${ui.subdomain}.${lab.domain}` : `${ui.scheme}://${h.address}:${ui.port}`;
      webUis.push({ title: ui.title, host: h.hostname, stack: h.stack, access: ui.access, url, checkUrl, selfSigned: ui.scheme === 'https' });
      if (ui.access === 'routed') addProbe({ ...base, module: 'http_2xx', kind: 'route', target: `https://${ui.subdomain}.${lab.domain}${ui.healthPath}` });
      addProbe({ ...base, module: ui.scheme === 'https' ? 'http_2xx_selfsigned' : 'http_2xx', kind: 'internal', target: checkUrl });
    }
    for (const e of c.healthEndpoints) {
      if (e.path === undefined) addProbe({ ...base, module: 'tcp_connect', kind: 'tcp', target: `${h.address}:${e.port}` });
      else {
        const scheme = e.scheme ?? 'http';
        addProbe({ ...base, module: scheme === 'https' ? 'http_2xx_selfsigned' : 'http_2xx', kind: 'internal', target: `${scheme}://${h.address}:${e.port}${e.path}` });
      }
    }
  }
  metrics.sort((a, b) => a.job.localeCompare(b.job) || byHost(a, b) || a.address.localeCompare(b.address));
  probes.sort((a, b) => a.module.localeCompare(b.module) || byHost(a, b) || a.target.localeCompare(b.target));
  webUis.sort((a, b) => byHost(a, b) || a.title.localeCompare(b.title));
  return {
    domain: lab.domain,
    hosts: [...hosts].sort((a, b) => byHost({ stack: a.stack, host: a.hostname }, { stack: b.stack, host: b.hostname })),
    metrics,
    probes,
    webUis,
    proxmoxNodes: lab.nodes.map((n) => ({ name: n.nodeName, address: n.address })),
  };
}

/** Stacks that have at least one container, in the lab's declaration order. */
export function observedStacks(lab: Lab): string[] {
  return lab.serviceStacks.map((s) => s.stackName).filter((name) => lab.containers.some((c) => c.stack.stackName === name));
}
