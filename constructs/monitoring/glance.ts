import { Construct } from 'constructs';
import { glanceConfig } from '../../lib/observability/glance-config';
import { observeLab } from '../../integrations/observability/observe-lab';
import { CONFIG_YAML_WIDTH } from '../../lib/observability/secret-yaml';
import { toYaml } from '../../lib/yaml';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';

/** Pinned 2026-11-25: v0.8.5 (2026-05-30) is the newest Glance release upstream. */
export const GLANCE_IMAGE = Image.of('glanceapp/glance', 'v0.8.5');
export const GLANCE_PORT = 8080;

export interface GlanceProps extends CatalogServiceProps {
  /** Title of the page. @default 'Homelab' */
  readonly title?: string;
}

/**
 * Glance: the lab's start page. Its monitor widget lists every web UI of the model, with the URL
 * users open and the internal health URL Glance checks. Routed (proxied: true behind SWAG).
 */
export class Glance extends ConfiguredService {
  readonly glance: ComposeService;
  readonly port = GLANCE_PORT;
  private readonly title: string;

  constructor(scope: Construct, id: string, props: GlanceProps) {
    // 256 MiB: Docker's own install needs it (DOCKER_HOST_MIN_MEMORY_MIB); Glance itself uses ~30 MiB.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 60 });
    this.title = props.title ?? 'Homelab';
    this.glance = new ComposeService(this, 'glance', {
      image: this.mainImage(GLANCE_IMAGE),
      ports: [{ port: Port.tcp(GLANCE_PORT), description: 'Glance dashboard' }],
      mounts: [{ source: './config', target: '/app/config', readOnly: true }],
      healthcheck: Healthcheck.http(Port.tcp(GLANCE_PORT), '/api/healthz', { tool: 'wget' }),
    });
    // Glance has no login here and its page maps every internal address of the lab: keep it on the LAN
    // (reach it from outside through the WireGuard server).
    const health = this.addHealthEndpointOf(this.glance);
    this.addWebUi({
      port: Port.tcp(GLANCE_PORT),
      access: 'lan-only',
      reason: 'no login: its page lists every internal address of the lab; reach it over the WireGuard VPN',
      healthPath: health.path,
      title: 'Glance',
    });
  }

  config(): Record<string, unknown> {
    return glanceConfig(observeLab(this.lab).webUis, { title: this.title });
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [{ path: 'config/glance.yml', content: toYaml(this.config(), { lineWidth: CONFIG_YAML_WIDTH }) }];
  }
}
