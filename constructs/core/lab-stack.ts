import { Construct, IConstruct } from 'constructs';
import { TerraformStack, TerraformVariable } from '../../lib/cdktf';
import { ProxmoxProvider } from '../../.gen/providers/proxmox/provider';
import type { Lab } from './lab';
import { labOf } from './lab-of';
import { addCheck, checkedId, fail } from '../../lib/problems';
import { checkPropTypes } from '../../lib/prop-types';

export interface LabStackProps {
  /** One-line purpose, used in generated docs. @default - none */
  readonly description?: string;
}

/**
 * A Terraform stack (its own state, provider and variables) that is also an Ansible playbook and
 * inventory group of the same name. Service groups (media, monitoring, ...) are LabStacks.
 */
export class LabStack extends TerraformStack {
  static of(scope: IConstruct): LabStack {
    for (let c: IConstruct | undefined = scope; c; c = c.node.scope) {
      if (c instanceof LabStack) return c;
    }
    fail(scope, 'is not inside a LabStack', "create containers under a stack (new LabStack(lab, 'media'))");
  }

  readonly lab: Lab;
  readonly stackName: string;
  readonly description?: string;

  constructor(scope: Construct, id: string, props: LabStackProps = {}) {
    super(scope, checkedId(scope, id));
    if (props === null) fail(this, 'the LabStack props are null', 'pass { description } or leave the props out');
    props = checkPropTypes(this, 'LabStack', props, { description: 'string' });
    if (!/^[a-z][a-z0-9_]*$/.test(id)) {
      const suggestion = id.toLowerCase().replace(/[^a-z0-9_]/g, '_').replace(/^[^a-z]+/, '');
      addCheck(this, () => [{
        message: `stack id '${id}' is not a lowercase Ansible group name ([a-z][a-z0-9_]*)`,
        fix: `rename the stack${suggestion ? `, e.g. '${suggestion}'` : ' with lowercase letters, digits and _'}`,
      }]);
    }
    this.lab = labOf(scope);
    this.stackName = id;
    this.description = props.description;

    // One state per lab and stack (LabProps.backend): by default local files beside the output folder,
    // .state/<output folder>/<lab>/<stack>.tfstate, so two labs whose output folders share a parent
    // never share one.
    this.lab.stateBackend.configure(this, this.lab.node.id, id);

    const settings = this.lab.proxmox;
    const insecure = new TerraformVariable(this, 'proxmox_insecure', {
      type: 'bool',
      default: settings.insecure,
      description: 'Skip TLS verification of the Proxmox API. Leave false and trust the node CA (docs/proxmox-preflight.md).',
    });
    if (settings.auth === 'api-token') {
      const token = new TerraformVariable(this, 'proxmox_api_token', {
        type: 'string',
        sensitive: true,
        description: 'Proxmox API token, USER@REALM!TOKENID=UUID. Bind mounts and device passthrough need root@pam instead.',
      });
      new ProxmoxProvider(this, 'proxmox', {
        endpoint: settings.endpoint,
        apiToken: token.stringValue,
        insecure: insecure.booleanValue,
        ssh: { agent: true, username: 'root' },
      });
    } else {
      const username = new TerraformVariable(this, 'proxmox_username', {
        type: 'string',
        default: 'root@pam',
        description: 'Proxmox user; bind mounts, idmap and device passthrough need root@pam.',
      });
      const password = new TerraformVariable(this, 'proxmox_password', {
        type: 'string',
        sensitive: true,
        description: 'Password of the Proxmox user (set TF_VAR_proxmox_password; never commit it).',
      });
      new ProxmoxProvider(this, 'proxmox', {
        endpoint: settings.endpoint,
        username: username.stringValue,
        password: password.stringValue,
        insecure: insecure.booleanValue,
        ssh: { agent: true, username: 'root' },
      });
    }
    if (id !== 'infra') this.addDependency(this.lab.infra);
    this.lab.registerStack(this);
  }
}
