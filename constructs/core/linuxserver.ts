import type { ComposeServiceProps } from './compose-service';
import type { Lab } from './lab';

/**
 * A linuxserver.io image's service, with the conventions every such image shares written once:
 * - `PUID`/`PGID`: the lab's data owner. lsio's init runs the app as that user and chowns /config to
 *   it, so files the apps write into the shared /data stay writable for each other;
 * - `TZ`: the lab's timezone;
 * - the app's state in `./config`, mounted on `/config`.
 *
 * `props` are the image's own settings: its environment comes after (and may override) these, its
 * mounts after /config.
 *
 * ```ts
 * new ComposeService(this, 'sonarr', linuxServer(this.lab, { image: SONARR_IMAGE, environment: { UMASK: '002' } }));
 * ```
 */
export function linuxServer(lab: Pick<Lab, 'dataOwner' | 'timezone'>, props: ComposeServiceProps): ComposeServiceProps {
  return {
    ...props,
    environment: { PUID: lab.dataOwner.uid, PGID: lab.dataOwner.gid, TZ: lab.timezone, ...props.environment },
    mounts: [{ source: './config', target: '/config' }, ...(props.mounts ?? [])],
  };
}
