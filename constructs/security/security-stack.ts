import { Construct } from 'constructs';
import { LabStack, Network, ProxmoxNode, ServiceOverrides, Volume } from '../core';

/** Per-service overrides of the security stack, keyed by service name. */
export type SecurityOverrides = Readonly<Record<string, ServiceOverrides>>;

export interface SecurityStackProps {
  /** Default node of the stack's containers. */
  readonly node: ProxmoxNode;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move). @default {} */
  readonly overrides?: SecurityOverrides;
}

/** The security services of the reference homelab. */
export class SecurityStack extends LabStack {
  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, { description: 'Security services' });
    void props;
  }
}
