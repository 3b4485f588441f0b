import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { checkTerraformJson, loadProviderSchema } from '../../lib/terraform/schema-check';
import { SynthesizedLab, synthLab } from '../support/lab';

const schema = loadProviderSchema();

function stacksOf(out: SynthesizedLab): [string, any][] {
  return [...out.files.keys()].filter((p) => p.endsWith('cdk.tf.json')).sort().map((p) => [p, JSON.parse(out.text(p))]);
}

describe('Terraform JSON against the bpg/proxmox 0.111.1 schema', () => {
  let small: SynthesizedLab;
  let reference: SynthesizedLab;
  beforeAll(() => {
    small = synthLab((app) => buildSmallLab(app));
    reference = synthLab((app) => new Homelab(app, 'homelab'));
  });
  afterAll(() => {
    small.cleanup();
    reference.cleanup();
  });

  it('accepts every stack of the small lab and of the reference homelab', () => {
    for (const out of [small, reference]) {
      const stacks = stacksOf(out);
      expect(stacks.length).toBeGreaterThan(1);
      for (const [path, doc] of stacks) expect(checkTerraformJson(doc, schema), path).toEqual([]);
    }
  });

  describe('fails when', () => {
    const container = () => structuredClone(small.container('media', 'sonarr'));
    const check = (body: any) => checkTerraformJson({ resource: { proxmox_virtual_environment_container: { c: body } } }, schema);

    it('a resource type does not exist', () => {
      expect(checkTerraformJson({ resource: { proxmox_lxc: { c: {} } } }, schema)).toEqual([
        { severity: 'error', address: 'resource.proxmox_lxc.c', message: 'resource type proxmox_lxc does not exist in registry.terraform.io/bpg/proxmox 0.111.1' },
      ]);
    });

    it('an attribute is unknown', () => {
      expect(check({ ...container(), cores: 2 })).toEqual([{ severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.cores', message: 'is not an argument or block of this resource' }]);
    });

    it('an attribute has the wrong type', () => {
      expect(check({ ...container(), unprivileged: 'maybe' })).toEqual([
        { severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.unprivileged', message: 'has the wrong type: expected "bool", got "maybe"' },
      ]);
    });

    it('a required attribute is missing', () => {
      const body = container();
      delete body.node_name;
      expect(check(body)).toEqual([{ severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.node_name', message: 'is required but missing' }]);
    });

    it('a single block is repeated', () => {
      const body = container();
      body.cpu = [{ cores: 1 }, { cores: 2 }];
      expect(check(body)).toEqual([{ severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.cpu', message: 'has 2 blocks, at most 1 allowed' }]);
    });

    it('a read-only attribute is set', () => {
      expect(check({ ...container(), ipv4: { eth0: '10.0.0.1' } })).toEqual([
        { severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.ipv4', message: 'is read-only (computed by the provider) and must not be set' },
      ]);
    });

    it('a nested block has an unknown attribute', () => {
      const body = container();
      body.initialization.ip_config[0].ipv4.netmask = '255.255.255.0';
      expect(check(body)).toEqual([
        { severity: 'error', address: 'resource.proxmox_virtual_environment_container.c.initialization.ip_config[0].ipv4.netmask', message: 'is not an argument or block of this resource' },
      ]);
    });
  });
});
