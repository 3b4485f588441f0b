import { Construct, IConstruct } from 'constructs';
import { Address4 } from 'ip-address';
import { Allocation, Pool } from '../../lib/allocator';
import { addCheck, checkedId, fail, requireProps } from '../../lib/problems';
import { checkPropTypes, nonEmptyString } from '../../lib/prop-types';
import type { Lab } from './lab';
import { labOf } from './lab-of';
import { ipv4Problem } from './values';

export interface NetworkProps {
  /** Linux bridge on the nodes, e.g. 'vmbr0'. */
  readonly bridge: string;
  /** IPv4 network in CIDR form, e.g. '10.10.20.0/24'. */
  readonly cidr: string;
  /** Default gateway inside the network. @default - the first host address */
  readonly gateway?: string;
  /** VLAN tag on the bridge (the bridge must be VLAN-aware). @default - untagged */
  readonly vlanId?: number;
  /** DNS servers handed to containers. @default - the gateway */
  readonly dnsServers?: readonly string[];
  /** Host number (offset in the network) where automatic addresses start. @default 10 */
  readonly autoAssignFrom?: number;
}

/**
 * An IPv4 network on a bridge (optionally a VLAN) with a deterministic address plan:
 * explicit addresses are reserved first, the rest are handed out in declaration order from
 * `autoAssignFrom`, skipping the network, broadcast and gateway addresses.
 */
export class Network extends Construct {
  readonly bridge: string;
  readonly cidr: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly vlanId?: number;
  readonly dnsServers: readonly string[];
  private readonly net: Address4;
  private readonly pool: Pool<string>;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, checkedId(scope, id));
    const lab = labOf(this);
    requireProps(this, 'Network', props, ['bridge', 'cidr']);
    props = checkPropTypes(this, 'Network', props, { bridge: nonEmptyString, gateway: 'string', dnsServers: 'string[]' }, { required: ['bridge'] });
    if (typeof props.cidr !== 'string') fail(this, `cidr must be a string, got ${JSON.stringify(props.cidr)}`, "write the network as ADDRESS/PREFIX, e.g. '10.10.20.0/24'");
    let net: Address4;
    try {
      net = new Address4(props.cidr);
    } catch {
      fail(this, `invalid CIDR '${props.cidr}'`, "write the network as ADDRESS/PREFIX, e.g. '10.10.20.0/24'");
    }
    if (!props.cidr.includes('/')) fail(this, `invalid CIDR '${props.cidr}': no prefix length`, `write it as '${props.cidr}/24' (or the right prefix)`);
    if (net.subnetMask > 30) fail(this, `network ${props.cidr} is too small for containers`, 'use a prefix of /30 or shorter');
    const start = net.startAddress();
    if (start.correctForm() !== net.addressMinusSuffix) {
      fail(this, `invalid CIDR '${props.cidr}': host bits are set`, `did you mean '${start.correctForm()}/${net.subnetMask}'?`);
    }
    this.net = net;
    this.cidr = `${start.correctForm()}/${net.subnetMask}`;
    this.prefixLength = net.subnetMask;
    this.bridge = props.bridge;
    this.vlanId = props.vlanId;
    if (props.vlanId !== undefined && (!Number.isInteger(props.vlanId) || props.vlanId < 1 || props.vlanId > 4094)) {
      fail(this, `vlanId must be 1..4094, got ${props.vlanId}`, 'use a valid 802.1Q tag or leave vlanId out');
    }
    this.gateway = props.gateway ?? Address4.fromBigInt(start.bigInt() + 1n).correctForm();
    const gwProblem = ipv4Problem(this.gateway);
    if (gwProblem) fail(this, `gateway ${gwProblem}`, `give a plain address inside ${this.cidr}, e.g. '${Address4.fromBigInt(start.bigInt() + 1n).correctForm()}'`);
    if (!this.contains(this.gateway)) {
      fail(this, `gateway ${this.gateway} is not inside ${this.cidr}`, 'give a gateway address inside the network');
    }
    this.dnsServers = props.dnsServers ?? [this.gateway];
    this.dnsServers.forEach((d, i) => {
      const problem = ipv4Problem(d);
      if (problem) fail(this, `dnsServers[${i}] ${problem}`, `give plain IPv4 addresses, e.g. '${this.gateway}'`);
    });
    const from = props.autoAssignFrom;
    if (from !== undefined && (!Number.isInteger(from) || from < 1)) fail(this, `autoAssignFrom must be an integer >= 1, got ${JSON.stringify(from)}`, 'give the host number where planned addresses start, e.g. 10');
    const first = start.bigInt() + BigInt(props.autoAssignFrom ?? 10);
    const last = net.endAddress().bigInt() - 1n;
    const gw = this.gateway;
    this.pool = new Pool<string>(this, 'address', function* () {
      for (let i = first; i <= last; i++) {
        const a = Address4.fromBigInt(i).correctForm();
        if (a !== gw) yield a;
      }
    }, (a) => a);
    lab.registerNetwork(this);
    addCheck(this, () => this.checkOverlaps(lab));
  }

  /** Plans an address for `owner`; explicit ones are checked when the tree is complete. */
  allocate(owner: IConstruct, explicit?: string): Allocation<string> {
    const problem = explicit === undefined ? undefined : ipv4Problem(explicit);
    if (problem) {
      const example = typeof explicit === 'string' && Address4.isValid(explicit.split('/')[0]!) ? explicit.split('/')[0]! : this.gateway.replace(/\d+$/, '50');
      fail(owner, `ipAddress ${problem}`, `give a plain address inside ${this.cidr}, e.g. '${example}' (the prefix /${this.prefixLength} comes from the network)`);
    }
    return this.pool.request(owner, explicit);
  }

  /** The address `host` places after the network address (host 21 of 10.10.10.0/24 is 10.10.10.21). */
  hostAddress(host: number): string {
    const a = this.net.startAddress().bigInt() + BigInt(host);
    if (!Number.isInteger(host) || host < 1 || a >= this.net.endAddress().bigInt()) {
      fail(this, `host number ${host} does not fit in ${this.cidr}`, 'use a larger network or a smaller host number');
    }
    return Address4.fromBigInt(a).correctForm();
  }

  contains(address: string): boolean {
    return Address4.isValid(address) && new Address4(address).isInSubnet(this.net);
  }

  /** Why `address` cannot be used by a container here, or undefined when it can. */
  problemWith(address: string): { message: string; fix: string } | undefined {
    if (!this.contains(address)) {
      return { message: `IP ${address} is outside its network ${this.node.path} (${this.cidr})`, fix: `pick an address inside ${this.cidr}` };
    }
    if (address === this.gateway) return { message: `IP ${address} is the gateway of ${this.node.path}`, fix: 'pick another address; the gateway belongs to the router' };
    const a = new Address4(address).bigInt();
    if (a === this.net.startAddress().bigInt() || a === this.net.endAddress().bigInt()) {
      return { message: `IP ${address} is the network or broadcast address of ${this.cidr}`, fix: 'pick a host address' };
    }
    return undefined;
  }

  overlaps(other: Network): boolean {
    return this.net.isInSubnet(other.net) || other.net.isInSubnet(this.net);
  }

  private checkOverlaps(lab: Lab): { message: string; fix: string }[] {
    const earlier = lab.networks.slice(0, lab.networks.indexOf(this));
    return earlier
      .filter((o) => o.overlaps(this))
      .map((o) => ({ message: `network ${this.cidr} overlaps ${o.node.path} (${o.cidr})`, fix: 'give every network its own address range' }));
  }
}
