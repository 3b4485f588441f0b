import { renderTemplate } from '../../lib/templates';
import type { LxcContainer, WebUi } from '../core';

/** One routed web UI: the container that serves it and how. */
export interface SwagRoute {
  readonly container: LxcContainer;
  readonly ui: WebUi;
}

/**
 * Every web UI of the lab marked 'routed', sorted by subdomain. Read at render time (never in a
 * constructor): containers added later and addresses planned late are part of the answer.
 */
export function routedWebUis(containers: readonly LxcContainer[]): SwagRoute[] {
  return containers
    .flatMap((container) => container.webUis.filter((ui) => ui.access === 'routed').map((ui) => ({ container, ui })))
    .sort((a, b) => a.ui.subdomain.localeCompare(b.ui.subdomain));
}

/** File name SWAG's nginx.conf includes (`proxy-confs/*.subdomain.conf`). */
export function proxyConfFileName(route: SwagRoute): string {
  return `${route.ui.subdomain}.subdomain.conf`;
}

/** The SWAG proxy conf of one route (ansible-templates/swag/subdomain.conf.hbs). */
export function renderProxyConf(route: SwagRoute, domain: string): string {
  const { container, ui } = route;
  return renderTemplate('swag/subdomain.conf.hbs', {
    source: container.node.path,
    title: ui.title,
    domain,
    subdomain: ui.subdomain,
    address: container.ipAddress,
    port: ui.port,
    scheme: ui.scheme,
    websockets: ui.websockets,
    unlimitedBody: ui.unlimitedBody,
  });
}
