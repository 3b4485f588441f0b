import { Construct } from 'constructs';
import { addWarning } from '../../lib/problems';
import { CatalogServiceProps, Image } from '../core';
import { RequestsApp } from './requests-app';

/** Pinned 2026-11-25: 1.35.0 (2026-02-16) is Overseerr's last release before the archive. */
export const OVERSEERR_IMAGE = Image.of('sctx/overseerr', '1.35.0');

/** Stable id of the warning every Overseerr prints. */
export const ARCHIVED_OVERSEERR_WARNING = 'homelab:archived-overseerr';

export type OverseerrProps = CatalogServiceProps;

/**
 * Overseerr, kept for labs that still run it. The project was archived in February 2026 in favour
 * of Seerr, so it gets no fixes (security ones included): synth warns every time.
 */
export class Overseerr extends RequestsApp {
  constructor(scope: Construct, id: string, props: OverseerrProps) {
    super(scope, id, props, { name: 'overseerr', title: 'Overseerr', image: OVERSEERR_IMAGE, init: false });
    addWarning(
      this,
      ARCHIVED_OVERSEERR_WARNING,
      "Overseerr was archived in February 2026 and gets no more fixes — switch to Seerr (requests: 'seerr'); it migrates Overseerr's /app/config on first start (back it up first, then chown it to 1000:1000)",
    );
  }
}
