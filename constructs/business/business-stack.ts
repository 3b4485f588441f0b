import { Construct } from 'constructs';
import { LabStack, Network, ProxmoxNode, ServiceOverrides, Volume } from '../core';

/** Per-service overrides of the business stack, keyed by service name. */
export type BusinessOverrides = Readonly<Record<string, ServiceOverrides>>;

export interface BusinessStackProps {
  /** Default node of the stack's containers. */
  readonly node: ProxmoxNode;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move). @default {} */
  readonly overrides?: BusinessOverrides;
}

/** The business services of the reference homelab. */
export class BusinessStack extends LabStack {
  constructor(scope: Construct, id: string, props: BusinessStackProps) {
    super(scope, id, { description: 'Business services' });
    void props;
  }
}
