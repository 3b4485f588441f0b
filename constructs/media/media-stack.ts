import { Construct } from 'constructs';
import { LabStack, Network, ProxmoxNode, ServiceOverrides, Volume } from '../core';

/** Per-service overrides of the media stack, keyed by service name. */
export type MediaOverrides = Readonly<Record<string, ServiceOverrides>>;

export interface MediaStackProps {
  /** Default node of the stack's containers. */
  readonly node: ProxmoxNode;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move). @default {} */
  readonly overrides?: MediaOverrides;
}

/** The media services of the reference homelab. */
export class MediaStack extends LabStack {
  constructor(scope: Construct, id: string, props: MediaStackProps) {
    super(scope, id, { description: 'Media services' });
    void props;
  }
}
