import type { LxcContainer, WebUi } from '../core';

// Its own module: swag-proxy-conf.ts and swag-fail2ban.ts both need it; declared in either, it made
// a type-only import cycle between them.

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
