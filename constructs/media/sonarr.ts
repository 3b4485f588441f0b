import { Construct } from 'constructs';
import { Image, Port, Size, Volume } from '../core';
import { ServarrApp, ServarrAppProps } from './servarr-app';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: the newest stable linuxserver.io tag of Sonarr v4. */
export const SONARR_IMAGE = Image.of('lscr.io/linuxserver/sonarr', '4.0.20');

export interface SonarrProps extends ServarrAppProps {
  /** The lab's shared data (torrents/ and media/ on one file system), mounted at /data. */
  readonly data: Volume;
}

/** Sonarr: TV series automation; hands grabs to qBittorrent and hardlinks imports into /data/media/tv. */
export class Sonarr extends ServarrApp {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['media-manager'];
  constructor(scope: Construct, id: string, props: SonarrProps) {
    super(scope, id, props, {
      app: 'sonarr',
      title: 'Sonarr',
      image: SONARR_IMAGE,
      port: Port.tcp(8989),
      data: props.data,
      // Cover art and the series database grow with the library.
      defaults: { cores: 2, memory: Size.mebibytes(1536), disk: Size.gibibytes(16), startupOrder: 45 },
    });
  }
}
