import { Construct } from 'constructs';
import { addCheck, fail, requireProps } from '../../lib/problems';
import { DockerHost } from './docker-host';
import { AdoptOptions, HaOptions, LxcContainer, LxcContainerProps } from './lxc-container';
import type { AccessLevel, WebUi, WebUiProps } from './endpoints';
import { Image } from './image';
import { Network } from './network';
import { labOf } from './lab-of';
import { ProxmoxNode } from './proxmox-node';
import { AUTO_PLACEMENT, NodeChoice } from './placement';
import { Size } from './values';

/** What a user may change on any catalog service without re-declaring it. */
export interface ServiceOverrides {
  /** false leaves the service out of the lab. @default true */
  readonly enabled?: boolean;
  /**
   * Run on another node: the node, or the id of a node of the lab (`'pve2'`, e.g. one of Homelab's
   * `extraNodes`, which do not exist yet when you write the overrides), or `'auto'` to have it placed.
   * @default - the stack's node
   */
  readonly node?: ProxmoxNode | string;
  /** Proxmox HA (LxcContainerProps.ha). @default false */
  readonly ha?: boolean | HaOptions;
  /** Anti-affinity groups (LxcContainerProps.antiAffinity). @default - the service's own (Immich and its standby: 'immich') */
  readonly antiAffinity?: readonly string[];
  /** Storage id of the root disk, e.g. shared storage for HA. @default - the node's storage.rootfs */
  readonly rootfsStorage?: string;
  /** @default - the service's sizing default */
  readonly cores?: number;
  /** RAM, in whole MiB: `Size.gibibytes(4)`. @default - the service's sizing default (README, "Services") */
  readonly memory?: Size;
  /** Root disk, in whole GiB: `Size.gibibytes(32)`. @default - the service's sizing default (README, "Services") */
  readonly disk?: Size;
  /** Another tag of the service's main image. @default - the catalog's pinned tag */
  readonly imageTag?: string;
  /** @default - the reference plan's VMID */
  readonly vmId?: number;
  /** @default - the reference plan's address */
  readonly ipAddress?: string;
  /**
   * false lets Terraform destroy or replace this service's container (lifecycle.prevent_destroy is
   * off); see docs/proxmox-preflight.md, "Growing a volume". @default - true when the service keeps state
   */
  readonly preventDestroy?: boolean;
  /**
   * Who may reach its routed web UI through SWAG: 'public' (the app's own login), 'sso' (Authelia)
   * or 'lan' (the lab's networks only). @default - the service's safe default (README, "Access levels")
   */
  readonly access?: AccessLevel;
  /**
   * Why the service may be public although its app has a known authentication weakness (a first-run
   * admin, no login); the synth-time policy check refuses such a public UI without it.
   * @default - none
   */
  readonly publicBecause?: string;
  /**
   * Take over the service's running container (README, "Adopting a running lab"): the first plan
   * imports it instead of creating one. Pins vmId to adopt.vmId. @default - none: a new container
   */
  readonly adopt?: AdoptOptions;
}

/** The fields of ServiceOverrides: anything else in an override is a mistake (e.g. `ram` for `memory`). */
export const OVERRIDE_FIELDS: readonly (keyof ServiceOverrides)[] = ['enabled', 'node', 'cores', 'memory', 'disk', 'imageTag', 'vmId', 'ipAddress', 'preventDestroy', 'access', 'publicBecause', 'ha', 'antiAffinity', 'rootfsStorage', 'adopt'];

/** Override fields that were numbers named after their unit before they became Sizes. */
const RENAMED_SIZE_FIELDS: Readonly<Record<string, { field: 'memory' | 'disk'; unit: 'mebibytes' | 'gibibytes' }>> = {
  memoryMiB: { field: 'memory', unit: 'mebibytes' },
  diskGiB: { field: 'disk', unit: 'gibibytes' },
};

/** A Docker tag: what `repo:<tag>` may carry (the registry's grammar); `latest` is refused by Image itself. */
const DOCKER_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export interface CatalogServiceProps extends Omit<ServiceOverrides, 'enabled' | 'node'> {
  readonly node: NodeChoice;
  readonly network: Network;
}

/** Sizing and ordering defaults of one catalog service. */
export interface CatalogDefaults {
  readonly cores: number;
  readonly memory: Size;
  readonly disk: Size;
  /** Lower starts first: databases/infrastructure 10-30, apps 40-60, SWAG 90. */
  readonly startupOrder: number;
  readonly tags?: readonly string[];
  /** The service keeps state worth a vzdump backup. @default true */
  readonly backup?: boolean;
}

/** The LXC props a catalog service's placement, overrides and defaults add up to. */
function containerProps(props: CatalogServiceProps, defaults: CatalogDefaults): LxcContainerProps {
  return {
    node: props.node,
    network: props.network,
    vmId: props.vmId,
    ipAddress: props.ipAddress,
    cores: props.cores ?? defaults.cores,
    memory: props.memory ?? defaults.memory,
    disk: props.disk ?? defaults.disk,
    startupOrder: defaults.startupOrder,
    tags: defaults.tags,
    backup: defaults.backup,
    preventDestroy: props.preventDestroy,
    adopt: props.adopt,
    ha: props.ha,
    antiAffinity: props.antiAffinity,
    rootfsStorage: props.rootfsStorage,
  };
}

/**
 * A catalog service installed from Debian packages by Ansible (no Docker): same overrides as any
 * catalog service, except `imageTag`, which is refused because there is no image to retag.
 */
export abstract class NativeService extends LxcContainer {
  protected constructor(scope: Construct, id: string, props: CatalogServiceProps, defaults: CatalogDefaults & { readonly packages: string }) {
    super(scope, id, containerProps(props ?? ({} as CatalogServiceProps), defaults));
    if (props.imageTag !== undefined) {
      fail(this, `imageTag does not apply: ${defaults.packages} runs Debian packages, not a container image`, 'remove imageTag from its overrides');
    }
  }
}

/** A catalog service: one DockerHost with the service's defaults, overridable per ServiceOverrides. */
export abstract class CatalogService extends DockerHost {
  private readonly imageTagOverride?: string;
  private readonly accessOverride?: AccessLevel;
  private readonly publicBecause?: string;

  protected constructor(scope: Construct, id: string, props: CatalogServiceProps, defaults: CatalogDefaults) {
    super(scope, id, containerProps(props ?? ({} as CatalogServiceProps), defaults));
    const tag = props.imageTag;
    if (tag !== undefined && (typeof tag !== 'string' || !DOCKER_TAG.test(tag))) {
      addCheck(this, () => [{
        message: `imageTag override ${JSON.stringify(tag)} is not a pinned Docker tag`,
        fix: "give a version tag of the service's image, e.g. '1.2.3', or leave imageTag out for the catalog's pinned tag",
      }]);
    } else {
      this.imageTagOverride = tag;
    }
    if (props.access !== undefined) this.accessOverride = props.access;
    if (props.publicBecause !== undefined) this.publicBecause = props.publicBecause;
  }

  /** A routed web UI takes the user's `access` / `publicBecause` overrides over the catalog's default. */
  override addWebUi(props: WebUiProps): WebUi {
    if (props.access !== 'routed') return super.addWebUi(props);
    return super.addWebUi({
      ...props,
      ...(this.accessOverride !== undefined ? { accessLevel: this.accessOverride, accessReason: 'set in the overrides' } : {}),
      ...(this.publicBecause !== undefined ? { publicBecause: this.publicBecause } : {}),
    });
  }

  /** The main image with the user's tag override applied. */
  protected mainImage(image: Image): Image {
    return this.imageTagOverride !== undefined ? image.withTag(this.imageTagOverride) : image;
  }
}

/**
 * Checks the keys of a stack's `overrides` against its services, so a typo ('sonar') fails with
 * the list of names instead of being silently ignored.
 */
export function checkOverrideKeys(scope: Construct, overrides: Readonly<Record<string, ServiceOverrides>> | undefined, known: readonly string[]): void {
  for (const key of Object.keys(overrides ?? {})) {
    if (!known.includes(key)) fail(scope, `unknown service override '${key}'`, `use one of: ${[...known].sort().join(', ')}`);
  }
  const fields = [...OVERRIDE_FIELDS].sort();
  for (const [key, override] of Object.entries(overrides ?? {})) {
    if (override === undefined) continue;
    if (override === null || typeof override !== 'object' || Array.isArray(override)) {
      addCheck(scope, () => [{ message: `overrides.${key} must be an object, got ${JSON.stringify(override)}`, fix: `write overrides: { ${key}: { cores: 2 } } (fields: ${fields.join(', ')})` }]);
      continue;
    }
    for (const field of Object.keys(override)) {
      if ((OVERRIDE_FIELDS as readonly string[]).includes(field)) continue;
      const renamed = RENAMED_SIZE_FIELDS[field];
      if (renamed) {
        const n = (override as Record<string, unknown>)[field];
        addCheck(scope, () => [{ message: `overrides.${key}.${field} is now ${renamed.field}, a Size`, fix: `write ${renamed.field}: Size.${renamed.unit}(${typeof n === 'number' ? n : '…'})` }]);
        continue;
      }
      const lower = field.toLowerCase();
      const near = fields.find((f) => f.toLowerCase().includes(lower) || lower.includes(f.toLowerCase()));
      addCheck(scope, () => [{
        message: `overrides.${key} has an unknown field '${field}'`,
        fix: `${near ? `did you mean ${near}? ` : ''}a service override takes: ${fields.join(', ')}`,
      }]);
    }
    if (override.enabled !== undefined && typeof override.enabled !== 'boolean') {
      addCheck(scope, () => [{ message: `overrides.${key}.enabled must be true or false, got ${JSON.stringify(override.enabled)}`, fix: `set enabled: false to leave ${key} out, or drop enabled` }]);
    }
  }
}

/** Merges the stack-level placement with one service's overrides; undefined when disabled. */
export function serviceProps(
  base: { node: NodeChoice; network: Network },
  plan: { vmId?: number; ipAddress?: string },
  override: ServiceOverrides | undefined,
  resolveNode: (node: ProxmoxNode | string) => NodeChoice = (n) => n as ProxmoxNode,
): CatalogServiceProps | undefined {
  if (override?.enabled === false) return undefined;
  const { enabled: _enabled, ...rest } = override ?? {};
  // Adopting pins the running container's VMID over the reference plan's; an explicit vmId stays
  // (and must then agree, which LxcContainer checks).
  const raw = rest.adopt !== null && typeof rest.adopt === 'object' ? (rest.adopt as { vmId?: unknown }).vmId : undefined;
  const adopted = typeof raw === 'number' ? raw : undefined;
  const vmId = rest.vmId ?? adopted ?? plan.vmId;
  return { ...base, ...plan, ...rest, ...(vmId !== undefined ? { vmId } : {}), node: override?.node !== undefined ? resolveNode(override.node) : base.node };
}

/** `node` of an override: a ProxmoxNode, or the id of one of the lab's nodes (tier 1: fails at once). */
function nodeResolver(scope: Construct, what: string): (node: ProxmoxNode | string) => NodeChoice {
  return (node) => {
    if (node instanceof ProxmoxNode || node === AUTO_PLACEMENT) return node;
    const nodes = labOf(scope).nodes;
    if (typeof node !== 'string') fail(scope, `${what} must be a ProxmoxNode or the id of one, got ${JSON.stringify(node) ?? String(node)}`, `write e.g. node: '${nodes[0]?.node.id ?? 'pve2'}'`);
    const hit = nodes.find((n) => n.node.id === node);
    if (!hit) fail(scope, `${what} '${node}' is not a node of the lab`, `use one of: ${nodes.map((n) => `'${n.node.id}'`).join(', ') || '(none yet)'}, or add the node first (Homelab: extraNodes)`);
    return hit;
  };
}

/** Service-specific options of a stack member: its placement and sizing come from the stack and `overrides`. */
export type ServiceOptions<P> = Omit<P, keyof CatalogServiceProps>;

/** Where each service of a stack goes in the reference plan: its VMID and host number in the stack's network. */
export type ServicePlan<N extends string> = Readonly<Record<N, { readonly vmId: number; readonly host: number }>>;

/**
 * Resolves the placement of a stack's services: rejects unknown override keys first, then gives each
 * service the stack's node and network, its planned VMID and address, and the user's overrides —
 * or undefined when the user disabled it.
 */
export function planServices<N extends string>(
  scope: Construct,
  stack: { readonly node: NodeChoice; readonly network: Network; readonly overrides?: Readonly<Partial<Record<N, ServiceOverrides>>> },
  plan: ServicePlan<N>,
): (name: N) => CatalogServiceProps | undefined {
  requireProps(scope, 'stack', stack, ['node', 'network']);
  const overrides = stack.overrides as Readonly<Record<string, ServiceOverrides>> | undefined;
  checkOverrideKeys(scope, overrides, Object.keys(plan));
  const base = { node: stack.node, network: stack.network };
  return (name) => serviceProps(base, { vmId: plan[name].vmId, ipAddress: stack.network.hostAddress(plan[name].host) }, stack.overrides?.[name],
    nodeResolver(scope, `overrides.${name}.node`));
}
