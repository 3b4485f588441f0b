import { Construct } from 'constructs';
import { LabStack, Network, planServices, NodeChoice, ServiceOptions, ServiceOverrides, Volume } from '../core';
import { RustDesk, RustDeskProps } from './rustdesk';
import { Swag, SwagProps } from './swag';
import { Vaultwarden, VaultwardenProps } from './vaultwarden';
import { WireGuardServer, WireGuardServerProps } from './wireguard-server';

/** The services of the security stack, as named in `overrides`. */
export const SECURITY_SERVICES = ['swag', 'wireguard', 'vaultwarden', 'rustdesk'] as const;
export type SecurityServiceName = (typeof SECURITY_SERVICES)[number];

/** Per-service overrides of the security stack, keyed by service name. */
export type SecurityOverrides = Readonly<Partial<Record<SecurityServiceName, ServiceOverrides>>>;

/** The reference plan: VMID and host number in the stack's network (141/.41 ... 144/.44). */
const PLAN: Record<SecurityServiceName, { vmId: number; host: number }> = {
  swag: { vmId: 141, host: 41 },
  wireguard: { vmId: 142, host: 42 },
  vaultwarden: { vmId: 143, host: 43 },
  rustdesk: { vmId: 144, host: 44 },
};

type Options<P> = ServiceOptions<P>;

export interface SecurityStackProps {
  /** Default node of the stack's containers, or `'auto'` to have each one placed. */
  readonly node: NodeChoice;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move, re-address). @default {} */
  readonly overrides?: SecurityOverrides;
  /** SWAG options: DNS plugin, ACME e-mail, staging, HSTS, fail2ban, geo-blocking, CrowdSec (docs/swag-hardening.md). @default {} */
  readonly swag?: Options<SwagProps>;
  /** WireGuard server options: peers, VPN subnet, endpoint. @default - one example peer */
  readonly wireguard?: Options<WireGuardServerProps>;
  /** Vaultwarden options. @default {} */
  readonly vaultwarden?: Options<VaultwardenProps>;
  /** RustDesk options. @default {} */
  readonly rustdesk?: Options<RustDeskProps>;
}

/**
 * The security services of the reference homelab, one LXC each: SWAG (the HTTPS entry point for
 * every routed web UI), the WireGuard remote-access server, Vaultwarden and the RustDesk server.
 */
export class SecurityStack extends LabStack {
  readonly swag?: Swag;
  readonly wireguard?: WireGuardServer;
  readonly vaultwarden?: Vaultwarden;
  readonly rustdesk?: RustDesk;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, { description: 'Security services: SWAG, WireGuard remote access, Vaultwarden and the RustDesk server' });
    const settings = planServices(this, props, PLAN);

    const swag = settings('swag');
    if (swag) this.swag = new Swag(this, 'swag', { ...props.swag, ...swag });
    const wireguard = settings('wireguard');
    if (wireguard) this.wireguard = new WireGuardServer(this, 'wireguard', { ...props.wireguard, ...wireguard });
    const vaultwarden = settings('vaultwarden');
    if (vaultwarden) this.vaultwarden = new Vaultwarden(this, 'vaultwarden', { ...props.vaultwarden, ...vaultwarden });
    const rustdesk = settings('rustdesk');
    if (rustdesk) this.rustdesk = new RustDesk(this, 'rustdesk', { ...props.rustdesk, ...rustdesk });
  }
}

/** The address with host number `host` in `network` (10.10.10.0/24, 41 → 10.10.10.41). */
