import { Construct } from 'constructs';
import { secretYaml, VaultRef } from '../../lib/observability/secret-yaml';
import type { AnsibleProject } from '../../lib/ansible/project';
import { addWarning, fail } from '../../lib/problems';
import { CatalogServiceProps, ComposeService, Healthcheck, Image, Port, Secret, Size } from '../core';
import { ConfigFile, ConfiguredService } from './configured-service';

/** Pinned 2026-11-25: 3.10.0 (2026-08-10) is the newest prometheus-pve-exporter release; it has pve_not_backed_up_info. */
export const PVE_EXPORTER_IMAGE = Image.of('prompve/prometheus-pve-exporter', '3.10.0');
export const PVE_EXPORTER_PORT = 9221;
/** The image's user (prometheus, uid/gid 101). */
const EXPORTER_GID = 101;
/** Where the node CA bundle is mounted; REQUESTS_CA_BUNDLE points at `pve-ca.pem` in it. */
export const PVE_EXPORTER_CA_DIR = '/etc/pve-ca';

export interface PveExporterProps extends CatalogServiceProps {
  /** Proxmox user the token belongs to (role PVEAuditor on /). @default 'prometheus@pve' */
  readonly pveUser?: string;
  /** Token id (the part after '!'); a privilege-separated token needs PVEAuditor itself. @default 'monitoring' */
  readonly tokenName?: string;
  /** The token's secret (a UUID). @default Secret.vault('pve_exporter_token') */
  readonly token?: Secret;
  /**
   * Verify the Proxmox API certificate against the node CAs that proxmox.yml fetches
   * (`pve-ca/<node>.pem`, docs/proxmox-preflight.md). `false` sends the API token to whoever answers
   * and records a `homelab:pve-exporter-insecure` warning.
   * @default true
   */
  readonly verifySsl?: boolean;
}

/**
 * prometheus-pve-exporter: reads the Proxmox API with a read-only token; Prometheus scrapes its
 * multi-target /pve endpoint once per node. LAN-only: an exporter page, and it answers with data
 * read through the token, so it is never routed.
 */
export class PveExporter extends ConfiguredService {
  readonly exporter: ComposeService;
  readonly port = PVE_EXPORTER_PORT;
  /** Job of its own /metrics (the /pve job is `pve`). */
  readonly job = 'pve-exporter';
  readonly pveUser: string;
  readonly tokenName: string;
  readonly token: Secret;
  readonly verifySsl: boolean;

  constructor(scope: Construct, id: string, props: PveExporterProps) {
    // Stateless: nothing to back up.
    super(scope, id, props, { cores: 1, memory: Size.mebibytes(512), disk: Size.gibibytes(4), startupOrder: 30, backup: false });
    this.pveUser = props.pveUser ?? 'prometheus@pve';
    if (!/^[^@\s]+@[a-z0-9-]+$/.test(this.pveUser)) fail(this, `pveUser '${this.pveUser}' is not USER@REALM`, "write it like 'prometheus@pve'");
    this.tokenName = props.tokenName ?? 'monitoring';
    if (props.verifySsl !== undefined && typeof props.verifySsl !== 'boolean') fail(this, `verifySsl must be true or false, got ${JSON.stringify(props.verifySsl)}`, "leave it out to verify the node's certificate");
    this.verifySsl = props.verifySsl ?? true;
    if (!this.verifySsl) addWarning(this, 'homelab:pve-exporter-insecure', "verifySsl is false: the PVE exporter sends its API token without checking the node's certificate — leave it on (proxmox.yml fetches the node CA it trusts)");
    this.token = props.token ?? Secret.vault('pve_exporter_token');
    this.lab.secrets.declare(this, this.token, `Secret of the Proxmox API token ${this.pveUser}!${this.tokenName} (pveum user token add ${this.pveUser} ${this.tokenName}; give the user and the token the PVEAuditor role on /).`);
    this.lab.secrets.use(this, this.token);
    this.exporter = new ComposeService(this, 'pve-exporter', {
      image: this.mainImage(PVE_EXPORTER_IMAGE),
      ports: [{ port: Port.tcp(PVE_EXPORTER_PORT), description: 'PVE exporter: /pve?target=<node> (Proxmox metrics) and its own /metrics' }],
      mounts: [
        { source: './config', target: '/etc/prometheus', readOnly: true, owner: { uid: EXPORTER_GID, gid: EXPORTER_GID } },
        // The node CAs (roles/pve_exporter_ca), outside config/ which monitoring_config prunes.
        ...(this.verifySsl ? [{ source: './ca', target: PVE_EXPORTER_CA_DIR, readOnly: true, owner: { uid: 0, gid: EXPORTER_GID } }] : []),
      ],
      // proxmoxer passes verify=True to requests, which then trusts REQUESTS_CA_BUNDLE instead of its
      // built-in bundle (requests' Session.merge_environment_settings; "This list of trusted CAs can
      // also be specified through the REQUESTS_CA_BUNDLE environment variable",
      // https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification).
      environment: this.verifySsl ? { REQUESTS_CA_BUNDLE: `${PVE_EXPORTER_CA_DIR}/pve-ca.pem` } : {},
      // The exporter does not reap its gunicorn workers' children itself.
      init: true,
      healthcheck: Healthcheck.http(Port.tcp(PVE_EXPORTER_PORT), '/metrics', { tool: 'wget' }),
    });
    this.addWebUi({
      port: Port.tcp(PVE_EXPORTER_PORT),
      access: 'lan-only',
      reason: 'an exporter page that serves Proxmox data read with an API token; only Prometheus needs it',
      healthPath: '/metrics',
      title: 'PVE exporter',
    });
    this.addMetricsEndpoint({ port: Port.tcp(PVE_EXPORTER_PORT), job: this.job });
  }

  contributeAnsible(project: AnsibleProject): void {
    if (this.verifySsl) this.setHostVar('pve_exporter_ca_group', EXPORTER_GID);
    super.contributeAnsible(project);
    if (!this.verifySsl) return;
    project.useRole('pve_exporter_ca');
    // Before the compose play starts the exporter: its first scrape already verifies the node.
    project.addPlay(this.stack.stackName, {
      name: `Install the Proxmox node CAs the PVE exporter on ${this.hostname} trusts`,
      hosts: this.hostname,
      roles: ['pve_exporter_ca'],
    }, { before: (p) => Array.isArray(p.roles) && (p.roles as unknown[]).includes('compose_project') });
  }

  get address(): string {
    return `${this.ipAddress}:${PVE_EXPORTER_PORT}`;
  }

  /** pve.yml; the token is a vault reference rendered by Ansible. */
  config(): Record<string, unknown> {
    return { default: { user: this.pveUser, token_name: this.tokenName, token_value: new VaultRef(this.token.variable), verify_ssl: this.verifySsl } };
  }

  protected renderConfigFiles(): ConfigFile[] {
    return [{
      path: 'config/pve.yml',
      content: secretYaml(this.config(), { header: 'Rendered by Ansible with the token from the vault.' }),
      secret: true,
      mode: '0440',
      owner: 0,
      group: EXPORTER_GID,
    }];
  }
}
