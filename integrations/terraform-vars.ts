import type { IConstruct } from 'constructs';
import { TerraformVariable } from '../lib/cdktf';

/** `terraform.tfvars.example`: every Terraform variable of every stack under `root`, secrets marked. */
export function tfvarsExample(root: IConstruct): string {
  const vars = new Map<string, TerraformVariable>();
  for (const c of root.node.findAll()) {
    if (c instanceof TerraformVariable && !vars.has(c.node.id)) vars.set(c.node.id, c);
  }
  const lines = [
    '# Terraform variables of the lab\'s stacks.',
    '# Copy to synth-out/terraform.tfvars (synth keeps it) and run terraform with -var-file=../../terraform.tfvars,',
    '# or export TF_VAR_<name>. Never commit the filled-in file.',
  ];
  for (const name of [...vars.keys()].sort()) {
    const v = vars.get(name)!;
    lines.push('', `# ${v.description ?? name}${v.sensitive ? ' (sensitive)' : ''}`);
    lines.push(v.default === undefined ? `${name} = "CHANGE_ME"` : `# ${name} = ${JSON.stringify(v.default)}`);
  }
  return lines.join('\n') + '\n';
}
