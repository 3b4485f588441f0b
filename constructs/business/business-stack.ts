import { Construct } from 'constructs';
import { fail } from '../../lib/problems';
import { LabStack, Network, planServices, NodeChoice, ServiceOptions, ServiceOverrides, Volume } from '../core';
import { FileServer, FileServerProps } from './file-server';
import { Immich, ImmichProps } from './immich';
import { ImmichBackup, ImmichBackupProps } from './immich-backup';
import { Odoo, OdooProps } from './odoo';
import { Paperless, PaperlessProps } from './paperless';
import { RcloneSync, RcloneSyncProps } from './rclone-sync';

/** The services of the business stack, as named in `overrides`. */
export const BUSINESS_SERVICES = ['immich', 'immichBackup', 'paperless', 'odoo', 'fileServer', 'googleDriveSync'] as const;
export type BusinessServiceName = (typeof BUSINESS_SERVICES)[number];

/** Per-service overrides of the business stack, keyed by service name. */
export type BusinessOverrides = Readonly<Partial<Record<BusinessServiceName, ServiceOverrides>>>;

/** The reference plan: construct id, VMID and host number in the stack's network (151/.51 ... 156/.56). */
const PLAN: Record<BusinessServiceName, { id: string; vmId: number; host: number }> = {
  immich: { id: 'immich', vmId: 151, host: 51 },
  immichBackup: { id: 'immich-backup', vmId: 152, host: 52 },
  paperless: { id: 'paperless', vmId: 153, host: 53 },
  odoo: { id: 'odoo', vmId: 154, host: 54 },
  fileServer: { id: 'fileserver', vmId: 155, host: 55 },
  googleDriveSync: { id: 'gdrive-sync', vmId: 156, host: 56 },
};

type Options<P> = ServiceOptions<P>;

export interface BusinessStackProps {
  /** Default node of the stack's containers, or `'auto'` to have each one placed. */
  readonly node: NodeChoice;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume of the lab: the file server shares and the Drive sync copies its backups/. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move, re-address). @default {} */
  readonly overrides?: BusinessOverrides;
  /** @default {} */
  readonly immich?: Options<ImmichProps>;
  /** @default {} */
  readonly immichBackup?: Omit<Options<ImmichBackupProps>, 'primary'>;
  /** @default {} */
  readonly paperless?: Options<PaperlessProps>;
  /** @default {} */
  readonly odoo?: Options<OdooProps>;
  /** @default - shares the data volume's backups/ */
  readonly fileServer?: Options<FileServerProps>;
  /** @default - copies the data volume's backups/ to Google Drive */
  readonly googleDriveSync?: Options<RcloneSyncProps>;
}

/**
 * The business services of the reference homelab, one LXC each: Immich (GPU) with a warm standby,
 * Paperless-ngx, Odoo, the Samba/Cockpit file server and the Google Drive sync.
 */
export class BusinessStack extends LabStack {
  readonly immich?: Immich;
  /** The standby of `immich`; only present when Immich is. */
  readonly immichBackup?: ImmichBackup;
  readonly paperless?: Paperless;
  readonly odoo?: Odoo;
  readonly fileServer?: FileServer;
  readonly googleDriveSync?: RcloneSync;

  constructor(scope: Construct, id: string, props: BusinessStackProps) {
    super(scope, id, { description: 'Business services: Immich (+ standby), Paperless-ngx, Odoo, file server, Google Drive sync' });
    const settings = planServices(this, props, PLAN);

    const fileServer = settings('fileServer');
    if (fileServer) this.fileServer = new FileServer(this, PLAN.fileServer.id, { data: props.data, ...props.fileServer, ...fileServer });
    const immich = settings('immich');
    // Immich's database dumps are mirrored into the data volume's backups/, which the Drive sync uploads.
    if (immich) this.immich = new Immich(this, PLAN.immich.id, { dumpExport: props.data, ...props.immich, ...immich });
    const immichBackup = settings('immichBackup');
    if (immichBackup) {
      if (this.immich) {
        this.immichBackup = new ImmichBackup(this, PLAN.immichBackup.id, { ...props.immichBackup, ...immichBackup, primary: this.immich });
      } else if (props.overrides?.immichBackup) {
        fail(this, 'immichBackup is configured, but immich is disabled: the standby needs its primary', 'enable immich or disable immichBackup (enabled: false)');
      }
    }
    const paperless = settings('paperless');
    if (paperless) this.paperless = new Paperless(this, PLAN.paperless.id, { ...props.paperless, ...paperless });
    const odoo = settings('odoo');
    if (odoo) this.odoo = new Odoo(this, PLAN.odoo.id, { ...props.odoo, ...odoo });
    const sync = settings('googleDriveSync');
    if (sync) this.googleDriveSync = new RcloneSync(this, PLAN.googleDriveSync.id, { data: props.data, ...props.googleDriveSync, ...sync });
  }
}

/** The address with host number `host` in `network` (10.10.10.0/24, 51 → 10.10.10.51). */
