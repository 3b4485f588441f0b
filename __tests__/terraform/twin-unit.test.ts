/**
 * Twin mode of the provider stand-in, without terraform: how a container value maps onto the twin's
 * ContainerSpec, what real Proxmox would refuse, and how ApplyResourceChange drives a TwinBackend.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containsUnknown, CtyValue, isObject, Unknown } from '../../tools/tf-standin/cty';
import { planComputed, StandinProvider } from '../../tools/tf-standin/provider';
import { DEFAULT_SCHEMA_PATH, loadProviderSchema, REPO_ROOT, SchemaBlock } from '../../tools/tf-standin/schema';
import { lazyTwinBackend } from '../../tools/tf-standin/twin-loader';
import { containerSpecFromState, PROVIDER_DEFAULTS, TwinMappingError, validateForTwin } from '../../tools/tf-standin/twin-mapping';
import type { ContainerSpec, Skipped, TwinBackend } from '../../tools/twin/spec';
import { CONTAINER } from './harness';

const schema = loadProviderSchema(DEFAULT_SCHEMA_PATH);
const ctBlock = schema.resource_schemas[CONTAINER]!.block;

type Json = Record<string, unknown>;

/**
 * A resource body from Terraform JSON as terraform hands it to the provider: every attribute present
 * (null when unset), every nested block a list of objects (cdktf writes a single block as an object).
 */
function toCty(block: SchemaBlock, json: Json): CtyValue {
  const out: Record<string, CtyValue> = {};
  for (const name of Object.keys(block.attributes ?? {})) out[name] = (json[name] ?? null) as CtyValue;
  for (const [name, bt] of Object.entries(block.block_types ?? {})) {
    const v = json[name];
    const items = v === undefined || v === null ? [] : Array.isArray(v) ? v : [v];
    out[name] = items.map((e) => toCty(bt.block, e as Json));
  }
  return out;
}

/** The planned state ApplyResourceChange gets for a new container: computed attributes unknown. */
function planned(body: Json): CtyValue {
  return planComputed(ctBlock, toCty(ctBlock, body));
}

const MEDIA_STACK = path.join(REPO_ROOT, 'synth-out', 'stacks', 'media', 'cdk.tf.json');
const mediaContainers = fs.existsSync(MEDIA_STACK)
  ? ((JSON.parse(fs.readFileSync(MEDIA_STACK, 'utf8')) as { resource: Record<string, Record<string, Json>> }).resource[CONTAINER] ?? {})
  : {};
const bodyOf = (hostname: string): Json =>
  Object.values(mediaContainers).find((c) => (c.initialization as Json | undefined)?.hostname === hostname)!;

describe.skipIf(Object.keys(mediaContainers).length === 0)('container value → ContainerSpec (reference lab, media stack)', () => {
  it('maps plex: address, bind mount read-only, device, keys, memory, features', () => {
    const spec = containerSpecFromState(planned(bodyOf('plex')));
    expect(spec).toMatchObject({
      vmId: 121,
      hostname: 'plex',
      unprivileged: true,
      memoryMiB: 4096,
      swapMiB: 512,
      nesting: true,
      keyctl: true,
      network: { bridge: 'vmbr0', name: 'eth0', ipv4Gateway: '10.10.10.1' },
      dns: { domain: 'home.example.org', servers: ['10.10.10.1'] },
      mounts: [{ source: '/tank/data', target: '/data', readOnly: true, bind: true }],
      devices: ['/dev/dri/renderD128'],
      started: true,
    });
    expect(spec.network!.ipv4Address).toMatch(/^10\.10\.10\.\d+\/24$/);
    // mac_address is computed and still unknown at create: the twin gets none, Proxmox would pick one
    expect(spec.network!.macAddress).toBeUndefined();
    expect(spec.sshKeys).toHaveLength(1);
    expect(spec.sshKeys[0]).toMatch(/^ssh-ed25519 /);
    expect(validateForTwin(spec)).toEqual([]);
  });

  it('maps sonarr with a writable bind mount and no devices, and every media container validates', () => {
    const spec = containerSpecFromState(planned(bodyOf('sonarr')));
    expect(spec.mounts).toEqual([{ source: '/tank/data', target: '/data', readOnly: false, bind: true }]);
    expect(spec.devices).toEqual([]);
    expect(spec.cores).toBe((bodyOf('sonarr').cpu as { cores: number }).cores);
    for (const body of Object.values(mediaContainers)) expect(validateForTwin(containerSpecFromState(planned(body))), JSON.stringify(body)).toEqual([]);
  });
});

describe('container value → ContainerSpec (provider defaults and storage volumes)', () => {
  const minimal: Json = { node_name: 'pve', vm_id: 140, initialization: { hostname: 'box' } };

  it('applies the bpg defaults for what the config leaves out', () => {
    const spec = containerSpecFromState(planned(minimal));
    expect(spec).toEqual({
      vmId: 140,
      hostname: 'box',
      unprivileged: PROVIDER_DEFAULTS.unprivileged,
      memoryMiB: 512,
      swapMiB: 0,
      cores: 1,
      nesting: false,
      keyctl: false,
      network: undefined,
      dns: undefined,
      sshKeys: [],
      mounts: [],
      devices: [],
      started: true,
    });
    expect(spec.unprivileged).toBe(false);
  });

  it('maps a storage volume as a non-bind mount and keeps started = false', () => {
    const spec = containerSpecFromState(
      planned({ ...minimal, started: false, mount_point: [{ volume: 'local-lvm:8', path: '/var/lib/app', read_only: false }], network_interface: [{ name: 'eth0' }] }),
    );
    expect(spec.mounts).toEqual([{ source: 'local-lvm:8', target: '/var/lib/app', readOnly: false, bind: false }]);
    expect(spec.started).toBe(false);
    expect(spec.network).toEqual({ bridge: 'vmbr0', name: 'eth0', ipv4Address: undefined, ipv4Gateway: undefined, macAddress: undefined });
    const withMac = planned({ ...minimal, network_interface: [{ name: 'eth0', mac_address: 'BC:24:11:00:00:7F' }] });
    expect(containerSpecFromState(withMac).network!.macAddress).toBe('BC:24:11:00:00:7F');
  });

  it('names a container without hostname CT<vmid>, as Proxmox does', () => {
    expect(containerSpecFromState(planned({ node_name: 'pve', vm_id: 150 })).hostname).toBe('CT150');
  });

  it('cannot map a container whose vm_id is left to Proxmox', () => {
    expect(() => containerSpecFromState(planned({ node_name: 'pve' }))).toThrow(TwinMappingError);
    expect(() => containerSpecFromState(planned({ node_name: 'pve' }))).toThrow(/vm_id is not known until apply/);
  });

  it('reports what Proxmox would refuse, in its words', () => {
    const base = containerSpecFromState(planned(minimal));
    expect(validateForTwin({ ...base, vmId: 99 })).toEqual([expect.stringMatching(/^vmid: value does not look like a valid VM ID/)]);
    expect(validateForTwin({ ...base, vmId: 1_000_000_000 })).toHaveLength(1);
    expect(validateForTwin({ ...base, hostname: 'media_box' })).toEqual([expect.stringMatching(/^hostname: invalid format - value does not look like a valid DNS name/)]);
    expect(validateForTwin({ ...base, hostname: 'a.b-c.example' })).toEqual([]);
    const net = { bridge: 'vmbr0', name: 'eth0' };
    expect(validateForTwin({ ...base, network: { ...net, ipv4Address: '10.0.0.5' } })).toEqual([
      expect.stringMatching(/^net0: ip: value does not look like a valid ipv4 network configuration/),
    ]);
    expect(validateForTwin({ ...base, network: { ...net, ipv4Address: 'dhcp', ipv4Gateway: '10.0.0.256' } })).toEqual([expect.stringMatching(/^net0: gw:/)]);
  });
});

// ---- ApplyResourceChange in twin mode ----

type Call = { op: 'create'; spec: ContainerSpec } | { op: 'update'; prior: ContainerSpec; next: ContainerSpec } | { op: 'destroy'; vmId: number };

class FakeTwin implements TwinBackend {
  readonly calls: Call[] = [];
  failWith?: string;
  skipped: Skipped[] = [];
  async create(spec: ContainerSpec): Promise<Skipped[]> {
    if (this.failWith) throw new Error(this.failWith);
    this.calls.push({ op: 'create', spec });
    return this.skipped;
  }
  async update(prior: ContainerSpec, next: ContainerSpec): Promise<Skipped[]> {
    if (this.failWith) throw new Error(this.failWith);
    this.calls.push({ op: 'update', prior, next });
    return this.skipped;
  }
  async destroy(vmId: number): Promise<void> {
    if (this.failWith) throw new Error(this.failWith);
    this.calls.push({ op: 'destroy', vmId });
  }
}

describe('ApplyResourceChange in twin mode', () => {
  const body: Json = {
    node_name: 'pve',
    vm_id: 127,
    unprivileged: true,
    cpu: { cores: 1 },
    memory: { dedicated: 512, swap: 512 },
    initialization: { hostname: 'autobrr', ip_config: [{ ipv4: { address: '10.10.10.27/24', gateway: '10.10.10.1' } }] },
    network_interface: [{ name: 'eth0', bridge: 'vmbr0' }],
    device_passthrough: [{ path: '/dev/net/tun' }],
  };
  const setup = () => {
    const twin = new FakeTwin();
    return { twin, provider: new StandinProvider(schema, { fakeApply: false, twin }) };
  };
  /** A create through the provider: the state terraform would record. */
  const create = async (provider: StandinProvider, b: Json = body) => (await provider.applyResourceChange(CONTAINER, null, planned(b), toCty(ctBlock, b))).newState;

  it('creates the container on add and records a fully known state', async () => {
    const { twin, provider } = setup();
    const res = await provider.applyResourceChange(CONTAINER, null, planned(body), toCty(ctBlock, body));
    expect(res.diagnostics).toEqual([]);
    expect(twin.calls).toEqual([{ op: 'create', spec: expect.objectContaining({ vmId: 127, hostname: 'autobrr', cores: 1, devices: ['/dev/net/tun'] }) }]);
    expect(containsUnknown(res.newState)).toBe(false);
    expect((res.newState as Json).vm_id).toBe(127);
  });

  it('updates in place with the prior and the next spec', async () => {
    const { twin, provider } = setup();
    const state = await create(provider);
    const changed = { ...body, cpu: { cores: 4 } };
    // terraform's proposed new state keeps the prior computed values (id, mac_address, ...)
    const next = { ...(state as Json), cpu: [{ ...((state as Json).cpu as Json[])[0], cores: 4 }] } as CtyValue;
    const res = await provider.applyResourceChange(CONTAINER, state, next, toCty(ctBlock, changed));
    expect(res.diagnostics).toEqual([]);
    expect(twin.calls[1]).toMatchObject({ op: 'update', prior: { vmId: 127, cores: 1 }, next: { vmId: 127, cores: 4 } });
    // the fake apply's placeholder for the computed MAC never reaches the backend as a MAC
    expect(((state as Json).network_interface as Json[])[0]!.mac_address).toMatch(/^standin-/);
    expect((twin.calls[1] as { next: ContainerSpec }).next.network!.macAddress).toBeUndefined();
    expect(((res.newState as Json).cpu as Json[])[0]!.cores).toBe(4);
  });

  it('destroys the container on delete', async () => {
    const { twin, provider } = setup();
    const state = await create(provider);
    const res = await provider.applyResourceChange(CONTAINER, state, null, null);
    expect(res).toEqual({ newState: null, diagnostics: [] });
    expect(twin.calls[1]).toEqual({ op: 'destroy', vmId: 127 });
  });

  it('turns a backend error into an ERROR naming the container, keeping the prior state', async () => {
    const { twin, provider } = setup();
    twin.failWith = 'lxc-start: failed to start container\nsee /var/log/lxc/127.log';
    const created = await provider.applyResourceChange(CONTAINER, null, planned(body), toCty(ctBlock, body));
    expect(created.newState).toBeNull();
    expect(created.diagnostics).toEqual([
      {
        severity: 'ERROR',
        summary: 'twin: create of container autobrr (vm_id 127) failed: lxc-start: failed to start container',
        detail: 'lxc-start: failed to start container\nsee /var/log/lxc/127.log',
      },
    ]);

    twin.failWith = undefined;
    const state = await create(provider);
    twin.failWith = 'device busy';
    const destroyed = await provider.applyResourceChange(CONTAINER, state, null, null);
    expect(destroyed.newState).toBe(state);
    expect(destroyed.diagnostics[0]).toMatchObject({ severity: 'ERROR', summary: 'twin: destroy of container autobrr (vm_id 127) failed: device busy' });
  });

  it('turns what the twin skipped into WARNINGs terraform prints', async () => {
    const { twin, provider } = setup();
    twin.skipped = [{ what: 'device /dev/net/tun', why: 'recorded, not created' }];
    const res = await provider.applyResourceChange(CONTAINER, null, planned(body), toCty(ctBlock, body));
    expect(res.diagnostics).toEqual([
      {
        severity: 'WARNING',
        summary: 'twin: device /dev/net/tun skipped — recorded, not created',
        detail: expect.stringContaining('autobrr (vm_id 127)'),
      },
    ]);
    expect(res.newState).not.toBeNull();
  });

  it('fails the apply, without calling the backend, where Proxmox would refuse the container', async () => {
    const { twin, provider } = setup();
    const bad = { ...body, vm_id: 42, initialization: { hostname: 'auto_brr' } };
    const res = await provider.applyResourceChange(CONTAINER, null, planned(bad), toCty(ctBlock, bad));
    expect(res.newState).toBeNull();
    expect(res.diagnostics.map((d) => [d.severity, d.summary])).toEqual([
      ['ERROR', expect.stringMatching(/^twin: Proxmox refuses to create container auto_brr \(vm_id 42\): vmid: value does not look like a valid VM ID/)],
      ['ERROR', expect.stringMatching(/^twin: Proxmox refuses to create container auto_brr \(vm_id 42\): hostname: invalid format/)],
    ]);
    const noId = { ...body, vm_id: undefined };
    const res2 = await provider.applyResourceChange(CONTAINER, null, planned(noId), toCty(ctBlock, noId));
    expect(res2.diagnostics[0]!.summary).toMatch(/^twin: cannot create container autobrr \(vm_id not known\): vm_id is not known until apply/);
    expect(twin.calls).toEqual([]);
  });

  it('fakes the apply of every other resource type', async () => {
    const { twin, provider } = setup();
    const pool = { pool_id: 'media', comment: null };
    const res = await provider.applyResourceChange('proxmox_virtual_environment_pool', null, { ...pool, id: Unknown.plain }, pool);
    expect(res.diagnostics).toEqual([]);
    expect(isObject(res.newState) && res.newState.id).toMatch(/^standin-/);
    expect(twin.calls).toEqual([]);
  });
});

describe('lazy twin backend', () => {
  it('loads once for concurrent calls, and retries after a failed load', async () => {
    const twin = new FakeTwin();
    let loads = 0;
    let fail = true;
    const lazy = lazyTwinBackend(async () => {
      loads++;
      if (fail) throw new Error('cannot read the twin configuration /x/twin.json');
      return twin;
    });
    await expect(lazy.destroy(1)).rejects.toThrow(/twin configuration/);
    fail = false;
    await Promise.all([lazy.destroy(2), lazy.destroy(3)]);
    expect(loads).toBe(2);
    expect(twin.calls).toEqual([
      { op: 'destroy', vmId: 2 },
      { op: 'destroy', vmId: 3 },
    ]);
  });
});
