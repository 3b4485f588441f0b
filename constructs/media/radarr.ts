import { Construct } from 'constructs';
import { Image, Port, Size, Volume } from '../core';
import { ServarrApp, ServarrAppProps } from './servarr-app';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: the newest stable linuxserver.io tag of Radarr v6. */
export const RADARR_IMAGE = Image.of('lscr.io/linuxserver/radarr', '6.4.4');

export interface RadarrProps extends ServarrAppProps {
  /** The lab's shared data (torrents/ and media/ on one file system), mounted at /data. */
  readonly data: Volume;
}

/** Radarr: movie automation; hands grabs to qBittorrent and hardlinks imports into /data/media/movies. */
export class Radarr extends ServarrApp {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['media-manager'];
  constructor(scope: Construct, id: string, props: RadarrProps) {
    super(scope, id, props, {
      app: 'radarr',
      title: 'Radarr',
      image: RADARR_IMAGE,
      port: Port.tcp(7878),
      data: props.data,
      defaults: { cores: 2, memory: Size.mebibytes(1536), disk: Size.gibibytes(16), startupOrder: 45 },
    });
  }
}
