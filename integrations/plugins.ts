import { PLACEMENT_RECORD_FILE } from '../lib/placement';
import type { IConstruct } from 'constructs';
import { isLab } from '../constructs/core/lab-of';
import type { Lab } from '../constructs/core/lab';
import type { ISynthPlugin } from '../lib/plugin';
import { addCheck } from '../lib/problems';
import { contributeLabAnsible } from './ansible/lab-project';
import { servicesDoc } from './docs/services-doc';
import { ensureFlowDerivation } from './firewall/flows';
import { ProxmoxFirewall } from './firewall/proxmox-firewall';
import { warnDanglingReferences } from './dangling';
import { tfvarsExample } from './terraform-vars';

/** Every Lab of the tree, outermost first (an app normally holds one). */
function labsOf(root: IConstruct): Lab[] {
  return root.node.findAll().filter(isLab);
}

/** The lab's integration flows (SWAG → routed UIs, Prometheus → metrics, ...), derived for every lab. */
export const FLOWS_PLUGIN: ISynthPlugin = {
  name: 'flows',
  attach: (root) => labsOf(root).forEach(ensureFlowDerivation),
};

/**
 * The Proxmox firewall of every lab that did not opt out (`LabProps.firewall`): on by default for
 * hand-built labs too. A lab that enabled it itself (`ProxmoxFirewall.enable`) keeps its options.
 */
export const FIREWALL_PLUGIN: ISynthPlugin = {
  name: 'firewall',
  attach: (root) => {
    for (const lab of labsOf(root)) if (lab.firewall) ProxmoxFirewall.enable(lab, lab.firewall);
  },
};

/** Warnings that name what a disabled service leaves dangling (routes without SWAG, metrics without Prometheus, ...). */
export const DANGLING_REFERENCES_PLUGIN: ISynthPlugin = {
  name: 'dangling-references',
  attach: (root) => labsOf(root).forEach(warnDanglingReferences),
};

const ONE_LAB_CHECKED = new WeakSet<IConstruct>();

/**
 * The lab-wide frame of the Ansible project: ansible.cfg, site.yml, the stack playbooks, the vault
 * example. One output folder holds one lab's project, so a second Lab in the app is a user error
 * (it crashed while writing ansible.cfg twice).
 */
export const LAB_ANSIBLE_PLUGIN: ISynthPlugin = {
  name: 'ansible-project',
  attach: (root) => {
    const [first, ...more] = labsOf(root);
    for (const lab of more) {
      if (ONE_LAB_CHECKED.has(lab)) continue;
      ONE_LAB_CHECKED.add(lab);
      addCheck(lab, () => [{
        message: `a second Lab in one app (the first is ${first!.node.path}): one output folder holds one lab's Ansible project, docs and tfvars`,
        fix: 'build each lab in its own app and output folder (its own lab file: homelab-cdk synth --app other.ts --out other-out)',
      }]);
    }
  },
  generate: (root, out) => labsOf(root).forEach((lab) => contributeLabAnsible(lab, out.ansible)),
};

/** docs/services.md and terraform.tfvars.example. */
export const LAB_DOCS_PLUGIN: ISynthPlugin = {
  name: 'docs',
  generate: (root, out) => {
    for (const lab of labsOf(root)) {
      out.files.add('terraform.tfvars.example', tfvarsExample(lab));
      out.files.add('docs/services.md', servicesDoc(lab));
    }
    // The automatic placements, read back by the next synth so placed services stay where they are.
    const placed = Object.assign({}, ...labsOf(root).map((lab) => lab.placement.record())) as Record<string, string>;
    if (Object.keys(placed).length) {
      out.files.add(PLACEMENT_RECORD_FILE, JSON.stringify({
        '//': 'Written by homelab-cdk synth: the node each automatically placed container got. Commit it; the next synth keeps these nodes. Pin a service with node: \'<node>\' to move it yourself.',
        nodes: placed,
      }, null, 2) + '\n');
    }
  },
};

/** What `npm run synth` registers with the pipeline, in order. */
export const LAB_PLUGINS: readonly ISynthPlugin[] = [FLOWS_PLUGIN, FIREWALL_PLUGIN, DANGLING_REFERENCES_PLUGIN, LAB_ANSIBLE_PLUGIN, LAB_DOCS_PLUGIN];
