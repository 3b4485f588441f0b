import type { ProbeModule } from './model';

/**
 * blackbox.yml: the modules the lab's probes use. http_2xx follows redirects (a login page behind
 * a 302 still proves the app answers) and records TLS expiry on https targets; the self-signed
 * variant is for internal https endpoints (Cockpit) whose certificates nobody signs.
 */
export function blackboxConfig(): { modules: Record<ProbeModule, unknown> } {
  const http = { preferred_ip_protocol: 'ip4', follow_redirects: true, valid_status_codes: [] as number[] };
  return {
    modules: {
      http_2xx: { prober: 'http', timeout: '10s', http: http },
      http_2xx_selfsigned: { prober: 'http', timeout: '10s', http: { ...http, tls_config: { insecure_skip_verify: true } } },
      tcp_connect: { prober: 'tcp', timeout: '5s', tcp: { preferred_ip_protocol: 'ip4' } },
    },
  };
}
