import { renderTemplate } from '../../lib/templates';
import { LOGIN_LOG_FORMAT, type LoginJail } from './swag-fail2ban';
import type { SwagRoute } from './swag-route';

export { routedWebUis, type SwagRoute } from './swag-route';

/** File name SWAG's nginx.conf includes (`proxy-confs/*.subdomain.conf`). */
export function proxyConfFileName(route: SwagRoute): string {
  return `${route.ui.subdomain}.subdomain.conf`;
}

/** Lab-wide hardening every proxy conf carries. */
export interface ProxyConfHardening {
  /** Send Strict-Transport-Security on every answer. */
  readonly hsts: boolean;
  /** Answer 403 unless the geo-block conf allows the client. */
  readonly geoBlock: boolean;
  /** The route's login jail: the conf writes the access log the jail's filter reads. */
  readonly login?: LoginJail;
  /** Client ranges a `labOnly` location lets in (every LAN of the lab and the VPN subnets). */
  readonly labNetworks: readonly string[];
}

/** The SWAG proxy conf of one route (ansible-templates/swag/subdomain.conf.hbs). */
export function renderProxyConf(route: SwagRoute, domain: string, hardening: ProxyConfHardening): string {
  const { container, ui } = route;
  const login = hardening.login;
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
    hsts: hardening.hsts,
    geoBlock: hardening.geoBlock,
    login: login ? { jail: login.name, logPath: login.logPath, format: login.logFormat, layout: LOGIN_LOG_FORMAT } : undefined,
    noResponseBuffering: !ui.proxy.bufferResponses,
    noRequestBuffering: !ui.proxy.bufferRequests,
    timeoutSeconds: ui.proxy.timeoutSeconds ?? false,
    accessLevel: ui.accessLevel,
    accessReason: ui.accessReason ?? false,
    lan: ui.accessLevel === 'lan',
    sso: ui.accessLevel === 'sso',
    ssoServer: ui.accessLevel === 'sso' || ui.proxy.locations.some((l) => l.access === 'sso'),
    locations: ui.proxy.locations.map((l) => {
      const level = l.access ?? ui.accessLevel;
      return { ...l, lan: l.labOnly || level === 'lan', sso: level === 'sso', public: l.access === 'public' && ui.accessLevel !== 'public' };
    }),
    labNetworks: hardening.labNetworks,
  });
}
