import { Construct } from 'constructs';
import { Image, Port, Size } from '../core';
import { ServarrApp, ServarrAppProps } from './servarr-app';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: the newest stable linuxserver.io tag of Prowlarr v2. */
export const PROWLARR_IMAGE = Image.of('lscr.io/linuxserver/prowlarr', '2.6.5');

export type ProwlarrProps = ServarrAppProps;

/**
 * Prowlarr: the indexer manager; pushes indexers to Sonarr, Radarr and Lidarr over their APIs and
 * uses FlareSolverr as a tagged indexer proxy. It never touches /data, so it does not mount it.
 */
export class Prowlarr extends ServarrApp {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['indexer-manager'];
  constructor(scope: Construct, id: string, props: ProwlarrProps) {
    super(scope, id, props, {
      app: 'prowlarr',
      title: 'Prowlarr',
      image: PROWLARR_IMAGE,
      port: Port.tcp(9696),
      // Before the apps it feeds.
      defaults: { cores: 2, memory: Size.gibibytes(1), disk: Size.gibibytes(8), startupOrder: 42 },
    });
  }
}
