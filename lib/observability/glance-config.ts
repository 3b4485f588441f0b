import { WebUiEntry } from './model';

/**
 * glance.yml: one page whose monitor widget lists every web UI of the lab — the URL users open
 * (the route through SWAG, or the LAN address of a LAN-only UI) and the check URL Glance polls on
 * the app's own LXC, so a broken proxy and a broken app are told apart.
 */
export function glanceConfig(webUis: readonly WebUiEntry[], opts: { title?: string } = {}): Record<string, unknown> {
  return {
    server: { host: '0.0.0.0', port: 8080, proxied: true },
    pages: [
      {
        name: opts.title ?? 'Homelab',
        columns: [
          {
            size: 'full',
            widgets: [
              {
                type: 'monitor',
                title: 'Services',
                cache: '1m',
                sites: webUis.map((ui) => ({
                  title: ui.access === 'routed' ? ui.title : `${ui.title} (LAN)`,
                  url: ui.url,
                  'check-url': ui.checkUrl,
                  ...(ui.selfSigned ? { 'allow-insecure': true } : {}),
                })),
              },
            ],
          },
        ],
      },
    ],
  };
}
