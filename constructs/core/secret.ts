import { IConstruct } from 'constructs';
import { addCheck, fail } from '../../lib/problems';

export type SecretKind = 'vault' | 'terraform';

/**
 * A reference to a secret, never its value.
 * - `Secret.vault('sonarr_api_key')` becomes the Ansible variable `vault_sonarr_api_key`, which the
 *   operator keeps in an Ansible Vault file (listed in `ansible/vault.example.yml`).
 * - `Secret.terraform('proxmox_password')` becomes a sensitive Terraform variable.
 * A reference must be declared (with a description) in the lab's SecretCatalog, or synth fails.
 */
export class Secret {
  static vault(name: string): Secret {
    return new Secret('vault', name);
  }

  static terraform(name: string): Secret {
    return new Secret('terraform', name);
  }

  private constructor(
    readonly kind: SecretKind,
    readonly name: string,
  ) {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      this.problem = { message: `secret name '${name}' is invalid`, fix: 'use snake_case: [a-z][a-z0-9_]*' };
    }
  }

  /** Set when the name is invalid; reported with the path of the construct that declares or uses it. */
  readonly problem?: { message: string; fix: string };

  /** The variable that carries it: `vault_<name>` for Ansible, `<name>` for Terraform. */
  get variable(): string {
    return this.kind === 'vault' ? `vault_${this.name}` : this.name;
  }

  /** Jinja expression that reads the secret on the Ansible controller. */
  get jinja(): string {
    return `{{ ${this.variable} }}`;
  }

  get key(): string {
    return `${this.kind}:${this.name}`;
  }
}

export interface SecretDeclaration {
  readonly secret: Secret;
  readonly description: string;
  /** The construct that declared it (for messages and docs). */
  readonly declaredBy: IConstruct;
}

export interface SecretUse {
  readonly secret: Secret;
  readonly usedBy: IConstruct;
}

/**
 * Every secret the lab needs, declared with a description, and every place one is used.
 * Owned by the Lab (not a module-level registry), so two labs in one process never mix.
 */
export class SecretCatalog {
  private readonly declared = new Map<string, SecretDeclaration>();
  private readonly used: SecretUse[] = [];

  /** Declares a secret; declaring the same one twice keeps the first description. */
  declare(declaredBy: IConstruct, secret: Secret, description: string): Secret {
    if (secret.problem) fail(declaredBy, secret.problem.message, secret.problem.fix);
    if (!this.declared.has(secret.key)) this.declared.set(secret.key, { secret, description, declaredBy });
    return secret;
  }

  declareVault(declaredBy: IConstruct, name: string, description: string): Secret {
    return this.declare(declaredBy, Secret.vault(name), description);
  }

  /** Records a use; an undeclared secret fails synth with the user's path. */
  use(usedBy: IConstruct, secret: Secret): void {
    if (secret.problem) fail(usedBy, secret.problem.message, secret.problem.fix);
    this.used.push({ secret, usedBy });
    addCheck(usedBy, () =>
      this.isDeclared(secret)
        ? []
        : [{
            message: `uses the ${secret.kind} secret '${secret.name}', which is not declared`,
            fix: `declare it with lab.secrets.declare(scope, Secret.${secret.kind}('${secret.name}'), 'what it is'), or fix the name`,
          }],
    );
  }

  isDeclared(secret: Secret): boolean {
    return this.declared.has(secret.key);
  }

  /** Declarations sorted by variable name, for the generated example files. */
  declarations(kind?: SecretKind): SecretDeclaration[] {
    return [...this.declared.values()]
      .filter((d) => kind === undefined || d.secret.kind === kind)
      .sort((a, b) => a.secret.variable.localeCompare(b.secret.variable));
  }

  uses(): readonly SecretUse[] {
    return this.used;
  }
}
