import { Secret } from './secret';

/**
 * An environment variable's value: a literal, or a secret that Ansible writes into the compose
 * project's `.env` file on the host (mode 0600) so the value never lands in `synth-out/`.
 */
export class EnvValue {
  static of(value: string | number | boolean): EnvValue {
    // From plain JavaScript, undefined/null would otherwise be written as the string "undefined";
    // the service that uses such a value reports it (ComposeService.addEnvironment).
    return new EnvValue(value === undefined || value === null ? undefined : String(value), undefined);
  }

  static fromSecret(secret: Secret): EnvValue {
    return new EnvValue(undefined, secret);
  }

  private constructor(
    readonly literal: string | undefined,
    readonly secret: Secret | undefined,
  ) {}
}

/** Accepts plain strings for the common case. */
export type EnvInput = string | number | boolean | EnvValue;

export function toEnvValue(v: EnvInput): EnvValue {
  return v instanceof EnvValue ? v : EnvValue.of(v);
}
