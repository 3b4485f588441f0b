import { Construct } from 'constructs';
import { Image, Port, Size, Volume } from '../core';
import { ServarrApp, ServarrAppProps } from './servarr-app';
import { APP_ROLES, AppRole } from '../core/capabilities';

/** Pinned 2026-11-25: the newest stable linuxserver.io tag of Lidarr v3. */
export const LIDARR_IMAGE = Image.of('lscr.io/linuxserver/lidarr', '3.1.0');

export interface LidarrProps extends ServarrAppProps {
  /** The lab's shared data (torrents/ and media/ on one file system), mounted at /data. */
  readonly data: Volume;
}

/** Lidarr: music automation; hands grabs to qBittorrent and hardlinks imports into /data/media/music. */
export class Lidarr extends ServarrApp {
  /** What this app is to the apps it integrates with (integrations/firewall/flows.ts). */
  readonly [APP_ROLES]: readonly AppRole[] = ['media-manager'];
  constructor(scope: Construct, id: string, props: LidarrProps) {
    super(scope, id, props, {
      app: 'lidarr',
      title: 'Lidarr',
      image: LIDARR_IMAGE,
      port: Port.tcp(8686),
      data: props.data,
      defaults: { cores: 2, memory: Size.gibibytes(1), disk: Size.gibibytes(16), startupOrder: 45 },
    });
  }
}
