import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CtyValue, decodeMsgpack, encodeMsgpack, isUnknown, Unknown } from '../../tools/tf-standin/cty';
import { fillUnknowns, planComputed, requiresReplace, StandinProvider } from '../../tools/tf-standin/provider';
import { REPLACE_RULES } from '../../tools/tf-standin/replace-rules';
import { impliedBlockType, loadProviderSchema, ProviderSchema, DEFAULT_SCHEMA_PATH, StandinSchemaError } from '../../tools/tf-standin/schema';
import { summarizePlan } from '../../tools/tf-standin/terraform-runner';
import { CONTAINER, makeTempDir } from './harness';

describe('cty msgpack', () => {
  it('decodes terraform\'s unknown value (ext 0) and encodes it back byte for byte', () => {
    const bytes = Uint8Array.from([0x81, 0xa2, 0x69, 0x64, 0xd4, 0x00, 0x00]); // {"id": <unknown>}
    const v = decodeMsgpack(bytes) as { id: CtyValue };
    expect(isUnknown(v.id)).toBe(true);
    expect(Buffer.from(encodeMsgpack(v)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps a refined unknown (ext 0x0C) with its refinements', () => {
    const bytes = Uint8Array.from([0xd5, 0x0c, 0x81, 0x01]); // ext 12 with a 2-byte payload
    const v = decodeMsgpack(bytes);
    expect(v).toBeInstanceOf(Unknown);
    expect((v as Unknown).extType).toBe(0x0c);
    expect(Buffer.from(encodeMsgpack(v)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe('stand-in provider logic', () => {
  const schema: ProviderSchema = loadProviderSchema(DEFAULT_SCHEMA_PATH);
  const ct = schema.resource_schemas[CONTAINER]!.block;

  it('plans computed attributes left empty as unknown, in nested blocks too', () => {
    const planned = planComputed(ct, { node_name: 'pve1', id: null, vm_id: 131, network_interface: [{ name: 'eth0', mac_address: null }] }) as Record<
      string,
      unknown
    >;
    expect(isUnknown(planned.id)).toBe(true);
    expect(planned.vm_id).toBe(131);
    expect(isUnknown((planned.network_interface as Record<string, unknown>[])[0]!.mac_address)).toBe(true);
  });

  it('names the replace-forcing paths from the explicit table, and only those', () => {
    const prior = { node_name: 'pve1', unprivileged: true, mount_point: [{ volume: '/a' }, { volume: '/b' }], cpu: [{ cores: 2 }] };
    const planned = { node_name: 'pve1', unprivileged: false, mount_point: [{ volume: '/a' }, { volume: '/c' }], cpu: [{ cores: 4 }] };
    expect(requiresReplace(CONTAINER, prior, planned)).toEqual([['unprivileged'], ['mount_point', 1, 'volume']]);
    expect(requiresReplace(CONTAINER, prior, { ...prior, mount_point: [{ volume: '/a' }] })).toEqual([['mount_point']]);
    expect(requiresReplace('proxmox_network_linux_bridge', { node_name: 'a', name: 'vmbr1' }, { node_name: 'b', name: 'vmbr1' })).toEqual([]);
  });

  it('replaces an HA rule only for a new rule id or type, and never an HA resource (bpg/proxmox 0.111.1)', () => {
    const rule = { rule: 'homelab-dns-apart', type: 'resource-affinity', affinity: 'negative', resources: ['ct:120', 'ct:121'], comment: 'a', disable: false, strict: false, nodes: null };
    expect(requiresReplace('proxmox_virtual_environment_harule', rule, { ...rule, rule: 'homelab-dns2-apart' })).toEqual([['rule']]);
    expect(requiresReplace('proxmox_virtual_environment_harule', rule, { ...rule, type: 'node-affinity', affinity: null, nodes: { pve1: 1 } })).toEqual([['type']]);
    // members, affinity, nodes, strictness, comment and disable are updated in place
    const inPlace = { ...rule, resources: ['ct:120', 'ct:121', 'ct:122'], affinity: 'positive', comment: 'b', disable: true, strict: true, nodes: { pve2: 1 } };
    expect(requiresReplace('proxmox_virtual_environment_harule', rule, inPlace)).toEqual([]);
    const ha = { id: 'ct:131', resource_id: 'ct:131', state: 'started', type: 'ct', comment: 'a', group: null, failback: null, max_restart: 1, max_relocate: 1 };
    const everything = { ...ha, resource_id: 'ct:140', state: 'stopped', comment: 'b', group: 'g1', failback: true, max_restart: 3, max_relocate: 2 };
    expect(requiresReplace('proxmox_virtual_environment_haresource', ha, everything)).toEqual([]);
    // both are in the table on purpose (an empty entry means "read at the tag, nothing forces a new one")
    expect(Object.keys(REPLACE_RULES)).toEqual(expect.arrayContaining(['proxmox_virtual_environment_harule', 'proxmox_virtual_environment_haresource']));
    // and every listed path names an attribute of the pinned schema
    for (const type of ['proxmox_virtual_environment_harule', 'proxmox_virtual_environment_haresource']) {
      const names = Object.keys(schema.resource_schemas[type]!.block.attributes ?? {});
      for (const r of REPLACE_RULES[type]!) expect(names, `${type}.${r}`).toContain(r);
    }
  });

  it('fills unknowns deterministically on a fake apply', () => {
    const type = impliedBlockType(ct);
    const planned = { id: Unknown.plain, vm_id: Unknown.plain, ipv4: Unknown.plain, node_name: 'pve1' };
    const a = fillUnknowns(type, planned, 'seed', '') as Record<string, unknown>;
    const b = fillUnknowns(type, planned, 'seed', '') as Record<string, unknown>;
    expect(a).toEqual(b);
    expect(a.id).toMatch(/^standin-[0-9a-f]{12}$/);
    expect(typeof a.vm_id).toBe('number');
    expect(a.ipv4).toEqual({});
    expect(a.node_name).toBe('pve1');
  });

  it('refuses to apply unless the fake apply is switched on', async () => {
    const p = new StandinProvider(schema, { fakeApply: false });
    const res = await p.applyResourceChange(CONTAINER, null, { node_name: 'pve1' }, { node_name: 'pve1' });
    expect(res.diagnostics[0]).toMatchObject({ severity: 'ERROR', summary: 'The bpg/proxmox stand-in does not apply' });
  });

  it('serves a nested attribute with an empty type and its nesting mode', () => {
    const p = new StandinProvider(schema, { fakeApply: false });
    const res = p.getProviderSchema();
    const backup = res.resource_schemas.proxmox_backup_job!.block.attributes.find((a) => a.name === 'fleecing')!;
    expect(backup.nested_type?.nesting).toBe('SINGLE');
    expect(backup.type.length).toBe(0);
  });
});

describe('schema file checks', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = makeTempDir('tf-schema');
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('fails when the schema file is missing', () => {
    expect(() => loadProviderSchema(path.join(tmp, 'nope.json'))).toThrow(StandinSchemaError);
    expect(() => loadProviderSchema(path.join(tmp, 'nope.json'))).toThrow(/nope\.json cannot be read \(ENOENT\)/);
  });

  it('fails when the schema file is for another provider version', () => {
    const doc = JSON.parse(fs.readFileSync(DEFAULT_SCHEMA_PATH, 'utf8'));
    doc.provider_versions = { 'registry.terraform.io/bpg/proxmox': '0.99.0' };
    const file = path.join(tmp, 'old.json');
    fs.writeFileSync(file, JSON.stringify(doc));
    expect(() => loadProviderSchema(file)).toThrow(/is for registry\.terraform\.io\/bpg\/proxmox 0\.99\.0, but the stand-in serves 0\.111\.1/);
  });

  it('fails when the schema file is for another provider', () => {
    const file = path.join(tmp, 'other.json');
    fs.writeFileSync(file, JSON.stringify({ format_version: '1.0', provider_schemas: { 'registry.terraform.io/telmate/proxmox': {} } }));
    expect(() => loadProviderSchema(file)).toThrow(/has no schema for registry\.terraform\.io\/bpg\/proxmox \(found: registry\.terraform\.io\/telmate\/proxmox\)/);
  });
});

describe('plan summary', () => {
  it('counts a replacement as one add and one destroy, like terraform', () => {
    const s = summarizePlan({
      resource_changes: [
        { address: 'a.x', change: { actions: ['create'] } },
        { address: 'a.y', change: { actions: ['delete', 'create'] } },
        { address: 'a.z', change: { actions: ['update'] } },
        { address: 'a.w', change: { actions: ['no-op'] }, previous_address: 'a.v' },
      ],
    });
    expect(s).toMatchObject({ add: 2, change: 1, destroy: 1, replaced: ['a.y'], moved: ['a.v -> a.w'] });
  });
});

describe('stand-in import (existing objects)', () => {
  const schema: ProviderSchema = loadProviderSchema(DEFAULT_SCHEMA_PATH);
  const existing = { [CONTAINER]: { 'pve/105': { vm_id: 105, node_name: 'pve', memory: [{ dedicated: 1024 }] } } };

  it('answers an import with the recorded object, completed to the schema', () => {
    const p = new StandinProvider(schema, { fakeApply: false, existing });
    const r = p.importResourceState(CONTAINER, 'pve/105');
    expect(r.diagnostics).toEqual([]);
    const state = r.state as Record<string, any>;
    expect(state).toMatchObject({ vm_id: 105, node_name: 'pve', id: '105', description: null, mount_point: [], operating_system: [] });
    // Every attribute and block of the schema is there (terraform rejects an object of another shape).
    const block = schema.resource_schemas[CONTAINER]!.block;
    expect(Object.keys(state).sort()).toEqual([...Object.keys(block.attributes ?? {}), ...Object.keys(block.block_types ?? {})].sort());
    expect(Object.keys(state.memory[0]).sort()).toEqual(Object.keys(block.block_types!.memory!.block.attributes!).sort());
    expect(state.memory[0].dedicated).toBe(1024);
  });

  it('fails an import of an id that does not exist, and refuses import without existing objects', () => {
    const p = new StandinProvider(schema, { fakeApply: false, existing });
    expect(p.importResourceState(CONTAINER, 'pve/999').diagnostics[0]!.summary).toBe('Cannot import non-existent remote object');
    expect(new StandinProvider(schema, { fakeApply: false }).importResourceState(CONTAINER, 'pve/105').diagnostics[0]!.summary).toBe('Import is not supported by the stand-in');
  });

  it('counts imports in the plan summary', () => {
    const s = summarizePlan({ resource_changes: [
      { address: 'a.x', change: { actions: ['no-op'], importing: { id: 'pve/105' } } },
      { address: 'a.y', change: { actions: ['update'], importing: { id: 'pve/106' } } },
      { address: 'a.z', change: { actions: ['create'] } },
    ] } as never);
    expect(s.imported).toEqual(['a.x', 'a.y']);
    expect(s).toMatchObject({ add: 1, change: 1, destroy: 0 });
  });
});
