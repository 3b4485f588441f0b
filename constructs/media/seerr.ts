import { Construct } from 'constructs';
import { CatalogServiceProps, Image } from '../core';
import { RequestsApp } from './requests-app';

/**
 * Seerr, the merge of Overseerr and Jellyseerr (v3.0.0, 2026-02-14). Pinned 2026-11-25: v3.5.0,
 * the newest v3 release found in use.
 */
export const SEERR_IMAGE = Image.of('ghcr.io/seerr-team/seerr', 'v3.5.0');

export type SeerrProps = CatalogServiceProps;

/**
 * Seerr: requests for movies and series, handed to Radarr and Sonarr. It runs rootless as uid 1000
 * (no PUID/PGID), so its config directory must belong to 1000:1000; it ships no init, hence `init`.
 */
export class Seerr extends RequestsApp {
  constructor(scope: Construct, id: string, props: SeerrProps) {
    super(scope, id, props, { name: 'seerr', title: 'Seerr', image: SEERR_IMAGE, init: true });
  }
}
