import { Construct } from 'constructs';
import { LabStack, Network, ProxmoxNode, ServiceOverrides, Volume } from '../core';

/** Per-service overrides of the monitoring stack, keyed by service name. */
export type MonitoringOverrides = Readonly<Record<string, ServiceOverrides>>;

export interface MonitoringStackProps {
  /** Default node of the stack's containers. */
  readonly node: ProxmoxNode;
  /** Network of the stack's containers. */
  readonly network: Network;
  /** The shared data volume (media, backups) of the lab. */
  readonly data: Volume;
  /** Per-service overrides (disable, resize, retag, move). @default {} */
  readonly overrides?: MonitoringOverrides;
}

/** The monitoring services of the reference homelab. */
export class MonitoringStack extends LabStack {
  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, { description: 'Monitoring services' });
    void props;
  }
}
