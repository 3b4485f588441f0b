import { Construct } from 'constructs';
import { fail } from '../../lib/problems';
import { CatalogService, CatalogServiceProps, ComposeService, Image, Port, Size } from '../core';
import { FIRST_LOGIN_GUIDE, IFirstLoginGuide, IPublicEndpoint, PUBLIC_ENDPOINT } from '../core/capabilities';

/** Pinned 2026-11-25: rustdesk-server 1.1.16, the newest release (services.md). */
export const RUSTDESK_IMAGE = Image.of('rustdesk/rustdesk-server', '1.1.16');

export interface RustDeskProps extends CatalogServiceProps {
  /**
   * Publish the websocket ports of the RustDesk web client (21118/tcp hbbs, 21119/tcp hbbr).
   * @default false
   */
  readonly webClientPorts?: boolean;
  /**
   * Relay address hbbs hands to clients (`hbbs -r <host>:21117`).
   * @default - none: clients are configured with the relay address themselves
   */
  readonly relayHost?: string;
}

/**
 * The key option of both servers. `-k _` loads the key pair from the working directory (/root) or
 * generates it on first start (rustdesk-server src/common.rs: `if key == "-" || key == "_"` →
 * `gen_sk`). hbbs defaults to it already, but hbbr's default key is empty, which "intentionally
 * disables relay key validation" (docs/environment-variables.md): without `-k _` anyone can relay
 * through 21117. Both get it explicitly, so they check the same key.
 */
export const RUSTDESK_KEY_ARGS = ['-k', '_'] as const;

/**
 * The RustDesk server: hbbs (ID/rendezvous) and hbbr (relay) as two containers of one LXC sharing
 * one data directory (the key pair clients pin, and the peer database). Raw TCP/UDP, so it has no
 * web UI and no SWAG route; the router forwards 21115-21117/tcp and 21116/udp to this LXC.
 *
 * Host networking, as upstream's Docker guide runs both (doc.rustdesk.com, self-host/rustdesk-server-oss/
 * Docker: `--net=host` / `network_mode: "host"`, "which makes hbbs/hbbr see the real incoming IP
 * Address rather than the Container IP"): hole punching (P2P) needs the clients' real addresses and
 * ports, which Docker's userland proxy/NAT on published ports hides. The LXC is RustDesk's alone, and
 * its Proxmox firewall still opens only the declared ports.
 */
export class RustDesk extends CatalogService implements IPublicEndpoint, IFirstLoginGuide {
  readonly [PUBLIC_ENDPOINT] = true as const;
  readonly [FIRST_LOGIN_GUIDE] = true as const;
  /** ID/rendezvous server. */
  readonly hbbs: ComposeService;
  /** Relay server. */
  readonly hbbr: ComposeService;
  /** Ports the internet reaches RustDesk on; firewall rules read them from here. */
  readonly publicPorts: readonly Port[];
  /** Generated docs/services.md, "First login". */
  readonly firstLoginNotes: readonly string[];

  constructor(scope: Construct, id: string, props: RustDeskProps) {
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 50 });
    const image = this.mainImage(RUSTDESK_IMAGE);
    const web = props.webClientPorts ?? false;
    if (props.relayHost !== undefined && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(props.relayHost)) {
      fail(this, `relayHost '${props.relayHost}' is not a host name or IPv4 address`, "give the public name or address of this server, e.g. 'rustdesk.example.org' (the port 21117 is added)");
    }
    // Both read and write the key pair in /root: they must see the same directory.
    const data = { source: './data', target: '/root' };

    this.hbbr = new ComposeService(this, 'hbbr', {
      image,
      command: ['hbbr', ...RUSTDESK_KEY_ARGS],
      networkMode: 'host',
      ports: [
        { port: Port.tcp(21117), description: 'hbbr relay' },
        ...(web ? [{ port: Port.tcp(21119), description: 'hbbr websocket for the web client' }] : []),
      ],
      mounts: [data],
    });
    this.hbbs = new ComposeService(this, 'hbbs', {
      image,
      command: ['hbbs', ...RUSTDESK_KEY_ARGS, ...(props.relayHost ? ['-r', `${props.relayHost}:21117`] : [])],
      networkMode: 'host',
      ports: [
        { port: Port.tcp(21115), description: 'hbbs NAT type test' },
        { port: Port.tcp(21116), description: 'hbbs TCP hole punching and connections' },
        { port: Port.udp(21116), description: 'hbbs ID registration and heartbeat' },
        ...(web ? [{ port: Port.tcp(21118), description: 'hbbs websocket for the web client' }] : []),
      ],
      mounts: [data],
      dependsOn: [this.hbbr],
    });
    this.publicPorts = [...this.hbbs.ports, ...this.hbbr.ports].map((p) => p.port);
    this.firstLoginNotes = [`give clients the ID server's address and the key from \`${this.projectDir}/data/id_ed25519.pub\` (generated at first start): hbbs and hbbr refuse clients without it.`];

    // The images have no shell tools for a Docker healthcheck; Blackbox connects over TCP instead.
    this.addHealthEndpoint({ port: Port.tcp(21116) });
    this.addHealthEndpoint({ port: Port.tcp(21117) });
  }
}
