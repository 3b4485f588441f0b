/**
 * Running the real `terraform` against the bpg/proxmox stand-in: plugin directory, isolated environment,
 * per-stack working copies, and the plan summary. Shared by tools/tf-check.ts, tools/tf-plan.ts and the
 * tests under __tests__/terraform/.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FAKE_APPLY_ENV, TWIN_ENV, TWIN_MODULE_ENV } from './provider';
import { EXISTING_ENV } from './existing';
import { HA_CLUSTER_ENV } from './ha-cluster';
import {
  loadProviderSchema,
  REPO_ROOT,
  resolveSchemaPath,
  SCHEMA_ENV,
  STANDIN_PROVIDER_SOURCE,
  STANDIN_PROVIDER_VERSION,
} from './schema';

export { StandinSchemaError } from './schema';

/** Where the CLIs keep their git-ignored working files (plugin dir, recorded fake states). */
export const TMP_DIR = path.join(REPO_ROOT, '.tmp');
export const STATE_ROOT = path.join(TMP_DIR, 'tf-state');

/** Per terraform command; generous for 2 cores, but bounded so a wedged plugin cannot hang a run. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 180_000;

export class TerraformMissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TerraformMissingError';
  }
}

/** Finds the terraform binary: explicit path, then $TERRAFORM_BIN, then $PATH. */
export function findTerraform(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const wanted = explicit ?? env.TERRAFORM_BIN;
  const isExecutable = (p: string) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return fs.statSync(p).isFile();
    } catch {
      return false;
    }
  };
  if (wanted) {
    if (isExecutable(wanted)) return path.resolve(wanted);
    throw new TerraformMissingError(`terraform not found at ${wanted} — install terraform 1.11 or fix the path`);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, 'terraform');
    if (isExecutable(candidate)) return candidate;
  }
  throw new TerraformMissingError(
    'terraform is not installed (no `terraform` on PATH) — install terraform 1.11 (e.g. /usr/local/bin/terraform) or set TERRAFORM_BIN',
  );
}

/** Path of the plugin executable inside a -plugin-dir, in terraform's unpacked layout. */
export function pluginExecutablePath(pluginDir: string): string {
  const [host, namespace, type] = STANDIN_PROVIDER_SOURCE.split('/');
  return path.join(
    pluginDir,
    host!,
    namespace!,
    type!,
    STANDIN_PROVIDER_VERSION,
    'linux_amd64',
    `terraform-provider-${type}_v${STANDIN_PROVIDER_VERSION}`,
  );
}

/**
 * Writes the plugin wrapper. It runs the TypeScript server through the repo's tsx, so it carries the
 * repo's absolute path and the node binary running us; `cd` first because node resolves `--require tsx/cjs`
 * from the working directory, and terraform starts plugins in the stack's directory. `--require tsx/cjs`
 * rather than `--import tsx`: the server is CommonJS, and tsx's ESM loader starts a worker thread that
 * costs ~0.3 s per provider start, which terraform pays 2–3 times per command.
 * The bytes depend only on those two paths, so terraform's lock hash stays stable on one checkout —
 * but differs between checkouts, which is why no lock file made with it is ever committed.
 */
export function setupPluginDir(pluginDir: string): string {
  const exe = pluginExecutablePath(pluginDir);
  fs.mkdirSync(path.dirname(exe), { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const script = [
    '#!/bin/sh',
    '# Offline stand-in for bpg/proxmox, written by tools/tf-standin/terraform-runner.ts (see docs/terraform-standin.md).',
    `cd ${q(REPO_ROOT)} || exit 1`,
    `exec ${q(process.execPath)} --require tsx/cjs tools/tf-standin/server.ts`,
    '',
  ].join('\n');
  const current = fs.existsSync(exe) ? fs.readFileSync(exe, 'utf8') : undefined;
  if (current !== script) {
    // Write-then-rename: parallel runs may set up the same directory at once.
    const tmp = `${exe}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script, { mode: 0o755 });
    fs.renameSync(tmp, exe);
  }
  return pluginDir;
}

export interface RunResult {
  readonly command: string;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved in arrival order, as a terminal would show them. */
  readonly output: string;
  readonly timedOut: boolean;
}

export interface StandinTerraformOptions {
  /** Directory for the plugin dir and the empty CLI config. */
  readonly workRoot: string;
  readonly terraformBin?: string;
  readonly schemaPath?: string;
  readonly timeoutMs?: number;
  /** Keep terraform's colours (for a terminal); tests and logs want plain text. */
  readonly color?: boolean;
}

/** Counts as terraform's "Plan: N to add, N to change, N to destroy" line counts them. */
export interface PlanSummary {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  readonly created: string[];
  readonly updated: string[];
  readonly replaced: string[];
  readonly deleted: string[];
  /** `from -> to` for resources a `moved` block re-addressed. */
  readonly moved: string[];
  /** Resources an `import` block brings under management ("N to import"), whatever else changes on them. */
  readonly imported: string[];
}

/** How the twin orchestrator runs terraform in twin mode (see docs/terraform-standin.md, "Twin mode"). */
export interface TwinCommandOptions {
  /** The twin's twin.json, handed to the plugin as HOMELAB_TF_STANDIN_TWIN (made absolute here). */
  readonly twinConfig: string;
  /** terraform's -parallelism (terraform's default is 10 concurrent operations). */
  readonly parallelism?: number;
  /** More environment for terraform and the plugin, e.g. HOMELAB_TF_STANDIN_TWIN_MODULE. */
  readonly env?: Readonly<Record<string, string>>;
  /** Bound for this command instead of the runner's default (creating real containers takes a while). */
  readonly timeoutMs?: number;
}

/** `terraform plan -detailed-exitcode` in twin mode, and what it proposes. */
export interface TwinPlanResult {
  /** The plan command; exit code 0 = no changes, 2 = changes, anything else = failed. */
  readonly result: RunResult;
  /** false when the plan is empty, true when it proposes changes, undefined when it failed. */
  readonly changes?: boolean;
  /** From `terraform show -json` of the saved plan (undefined when plan or show failed). */
  readonly summary?: PlanSummary;
  readonly show?: RunResult;
  readonly json?: unknown;
}

export function formatSummary(stack: string, s: PlanSummary): string {
  const imports = s.imported?.length ? `${s.imported.length} to import, ` : '';
  return `${stack}: ${imports}${s.add} to add, ${s.change} to change, ${s.destroy} to destroy`;
}

interface PlanJson {
  resource_changes?: Array<{
    address: string;
    previous_address?: string;
    change: { actions: string[]; importing?: { id?: string } };
  }>;
}

export function summarizePlan(plan: PlanJson): PlanSummary {
  const s = { add: 0, change: 0, destroy: 0, created: [] as string[], updated: [] as string[], replaced: [] as string[], deleted: [] as string[], moved: [] as string[], imported: [] as string[] };
  for (const rc of plan.resource_changes ?? []) {
    const a = rc.change.actions;
    if (rc.change.importing) s.imported.push(rc.address);
    if (rc.previous_address && rc.previous_address !== rc.address) s.moved.push(`${rc.previous_address} -> ${rc.address}`);
    if (a.includes('create') && a.includes('delete')) {
      s.add++;
      s.destroy++;
      s.replaced.push(rc.address);
    } else if (a.includes('create')) {
      s.add++;
      s.created.push(rc.address);
    } else if (a.includes('delete')) {
      s.destroy++;
      s.deleted.push(rc.address);
    } else if (a.includes('update')) {
      s.change++;
      s.updated.push(rc.address);
    }
  }
  return s;
}

/** A default for each type, so `terraform plan` never asks for, or gets, a real credential. */
function placeholderFor(type: unknown): unknown {
  const t = typeof type === 'string' ? type.replace(/^\$\{(.*)\}$/, '$1').trim() : 'string';
  if (t === 'number') return 0;
  if (t === 'bool') return false;
  if (/^(list|set|tuple)\b/.test(t)) return [];
  if (/^(map|object)\b/.test(t)) return {};
  return 'standin-placeholder';
}

/**
 * Copies a synthesized stack into `workDir` so that terraform's files (.terraform/, the lock file,
 * plans) never land in synth-out. cdk.tf.json is copied byte for byte, so terraform's diagnostics
 * point at the lines of the synthesized file; what must not leak out of the copy goes into extra files:
 * an override that makes the backend a local state file at `statePath` (cdktf writes a local backend
 * with an absolute path into the project), and placeholder values for variables without a default,
 * so the provider never gets, and plan never asks for, a real credential.
 */
export function prepareWorkDir(stackDir: string, workDir: string, statePath: string): void {
  const mainFile = path.join(stackDir, 'cdk.tf.json');
  if (!fs.existsSync(mainFile)) throw new Error(`${stackDir} has no cdk.tf.json — is it a cdktf stack directory?`);
  let doc: {
    terraform?: Record<string, unknown>;
    variable?: Record<string, { type?: unknown; default?: unknown }>;
  };
  try {
    doc = JSON.parse(fs.readFileSync(mainFile, 'utf8'));
  } catch (err) {
    throw new Error(`${mainFile} is not valid JSON: ${(err as Error).message}`);
  }
  if (doc.terraform?.cloud) {
    throw new Error(`${mainFile} uses a \`cloud\` block (HCP Terraform); the offline check needs a local or no backend`);
  }
  fs.mkdirSync(workDir, { recursive: true });
  fs.cpSync(stackDir, workDir, {
    recursive: true,
    filter: (src) => !/(^|\/)(\.terraform|\.terraform\.lock\.hcl|terraform\.tfstate(\.backup)?|.*\.tfplan)$/.test(src),
  });
  // An override file's backend block replaces the configuration's backend entirely.
  fs.writeFileSync(
    path.join(workDir, 'zz_standin_override.tf.json'),
    `${JSON.stringify({ terraform: { backend: { local: { path: statePath } } } }, null, 2)}\n`,
  );
  const placeholders: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(doc.variable ?? {})) {
    if (v.default === undefined) placeholders[name] = placeholderFor(v.type);
  }
  if (Object.keys(placeholders).length > 0) {
    fs.writeFileSync(path.join(workDir, 'zz-standin-placeholders.auto.tfvars.json'), `${JSON.stringify(placeholders, null, 2)}\n`);
  }
}

/** Addresses of the resources in a cdk.tf.json document that carry `lifecycle.prevent_destroy`. */
export function preventDestroyAddresses(doc: { resource?: Record<string, Record<string, { lifecycle?: { prevent_destroy?: unknown } }>> }): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries(doc.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) if (body?.lifecycle?.prevent_destroy === true) out.push(`${type}.${name}`);
  }
  return out.sort();
}

/**
 * Writes a Terraform override file into a working copy that turns `prevent_destroy` off for every
 * resource of `stackDir` carrying it (an override file's lifecycle block is merged argument by
 * argument). Only for deliberate teardowns of throw-away labs (the digital twin); a user's real lab
 * keeps the guard. Returns the addresses it released.
 */
export function releasePreventDestroy(stackDir: string, workDir: string): string[] {
  const doc = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const addresses = preventDestroyAddresses(doc);
  const resource: Record<string, Record<string, unknown>> = {};
  for (const a of addresses) {
    const [type, name] = [a.slice(0, a.indexOf('.')), a.slice(a.indexOf('.') + 1)];
    (resource[type] ??= {})[name] = { lifecycle: { prevent_destroy: false } };
  }
  const file = path.join(workDir, 'zz_release_prevent_destroy_override.tf.json');
  if (addresses.length) fs.writeFileSync(file, `${JSON.stringify({ resource }, null, 2)}\n`);
  else fs.rmSync(file, { force: true });
  return addresses;
}

/** Runs the real terraform with the stand-in, in an environment cut off from the user's terraform setup. */
export class StandinTerraform {
  static create(options: StandinTerraformOptions): StandinTerraform {
    const schemaPath = resolveSchemaPath(options.schemaPath);
    // Fail here, once and clearly, rather than in every provider start inside terraform.
    loadProviderSchema(schemaPath);
    const terraform = findTerraform(options.terraformBin);
    fs.mkdirSync(options.workRoot, { recursive: true });
    const pluginDir = setupPluginDir(path.join(options.workRoot, 'plugins'));
    const cliConfig = path.join(options.workRoot, 'empty.tfrc');
    // Empty on purpose: no credentials, mirrors or plugin caches from the user's ~/.terraformrc.
    if (!fs.existsSync(cliConfig)) fs.writeFileSync(cliConfig, '');
    return new StandinTerraform(terraform, schemaPath, pluginDir, cliConfig, options.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS, options.color ?? false);
  }

  private constructor(
    readonly terraform: string,
    readonly schemaPath: string,
    readonly pluginDir: string,
    private readonly cliConfig: string,
    private readonly timeoutMs: number,
    private readonly color: boolean,
  ) {}

  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      // Real credentials (TF_VAR_*, PROXMOX_VE_*) must not reach the stand-in, and a user's TF_CLI_ARGS,
      // TF_DATA_DIR or workspace would make the run depend on their shell.
      if (/^(TF_VAR_|TF_CLI_ARGS|PROXMOX_VE_)/.test(k)) continue;
      // The apply switches only ever come from the runner itself (apply(), the twin* methods), never
      // from the caller's shell.
      if (['TF_DATA_DIR', 'TF_WORKSPACE', 'TF_PLUGIN_CACHE_DIR', 'TF_CLI_CONFIG_FILE', 'TF_INPUT', FAKE_APPLY_ENV, TWIN_ENV, TWIN_MODULE_ENV, EXISTING_ENV, HA_CLUSTER_ENV].includes(k)) {
        continue;
      }
      env[k] = v;
    }
    return {
      ...env,
      CHECKPOINT_DISABLE: '1',
      TF_CLI_CONFIG_FILE: this.cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      [SCHEMA_ENV]: this.schemaPath,
      ...extra,
    };
  }

  run(cwd: string, args: string[], extraEnv: Readonly<Record<string, string>> = {}, timeoutMs = this.timeoutMs): Promise<RunResult> {
    const fullArgs = this.color || args.length === 0 ? args : [args[0]!, '-no-color', ...args.slice(1)];
    const command = `terraform ${fullArgs.join(' ')}`;
    return new Promise((resolve, reject) => {
      const child = spawn(this.terraform, fullArgs, { cwd, env: this.env(extraEnv), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let output = '';
      let timedOut = false;
      child.stdout.setEncoding('utf8').on('data', (d: string) => ((stdout += d), (output += d)));
      child.stderr.setEncoding('utf8').on('data', (d: string) => ((stderr += d), (output += d)));
      // SIGTERM lets terraform stop its provider; the provider also exits on its own once orphaned.
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
      }, timeoutMs);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) output += `\n${command} timed out after ${timeoutMs} ms and was stopped\n`;
        resolve({ command, code, stdout, stderr, output, timedOut });
      });
    });
  }

  init(cwd: string): Promise<RunResult> {
    return this.run(cwd, ['init', '-input=false', `-plugin-dir=${this.pluginDir}`]);
  }

  validate(cwd: string): Promise<RunResult> {
    return this.run(cwd, ['validate']);
  }

  /** `existing`: the existing-objects file that import blocks read (tools/tf-standin/existing.ts). */
  plan(cwd: string, planFile = 'standin.tfplan', existing?: string): Promise<RunResult> {
    return this.run(cwd, ['plan', '-input=false', `-out=${planFile}`], existing ? { [EXISTING_ENV]: path.resolve(existing) } : {});
  }

  async showPlan(cwd: string, planFile = 'standin.tfplan'): Promise<{ result: RunResult; summary?: PlanSummary; json?: unknown }> {
    const result = await this.run(cwd, ['show', '-json', planFile]);
    if (result.code !== 0) return { result };
    const json = JSON.parse(result.stdout) as PlanJson;
    return { result, summary: summarizePlan(json), json };
  }

  /**
   * Applies a saved plan with the stand-in's fake apply: state is recorded, nothing leaves this machine.
   * `haCluster`: the HA file shared by the stacks of one lab (tools/tf-standin/ha-cluster.ts).
   */
  apply(cwd: string, planFile = 'standin.tfplan', haCluster?: string): Promise<RunResult> {
    return this.run(cwd, ['apply', '-input=false', planFile], { [FAKE_APPLY_ENV]: '1', ...(haCluster ? { [HA_CLUSTER_ENV]: path.resolve(haCluster) } : {}) });
  }

  // ---- twin mode: containers become real LXC containers through tools/twin ----

  private twinRun(cwd: string, args: string[], o: TwinCommandOptions): Promise<RunResult> {
    if (o.parallelism !== undefined && !(Number.isInteger(o.parallelism) && o.parallelism > 0)) {
      throw new Error(`parallelism must be a positive integer, got ${o.parallelism}`);
    }
    const withParallelism = o.parallelism === undefined ? args : [...args, `-parallelism=${o.parallelism}`];
    return this.run(cwd, withParallelism, { ...o.env, [TWIN_ENV]: path.resolve(o.twinConfig) }, o.timeoutMs ?? this.timeoutMs);
  }

  /** `terraform apply -auto-approve` in twin mode: containers are created/updated/destroyed for real. */
  twinApply(cwd: string, o: TwinCommandOptions): Promise<RunResult> {
    return this.twinRun(cwd, ['apply', '-input=false', '-auto-approve'], o);
  }

  /**
   * `terraform plan -detailed-exitcode` in twin mode, saved to `planFile` and summarized from
   * `terraform show -json` — after a twin apply, `changes === false` and a 0/0/0 summary prove the
   * apply converged.
   */
  async twinPlan(cwd: string, o: TwinCommandOptions & { readonly planFile?: string }): Promise<TwinPlanResult> {
    const planFile = o.planFile ?? 'twin.tfplan';
    const result = await this.twinRun(cwd, ['plan', '-input=false', '-detailed-exitcode', `-out=${planFile}`], o);
    if (result.code !== 0 && result.code !== 2) return { result };
    const shown = await this.showPlan(cwd, planFile);
    return { result, changes: result.code === 2, summary: shown.summary, show: shown.result, json: shown.json };
  }

  /** `terraform destroy -auto-approve` in twin mode: every container of the stack is removed. */
  twinDestroy(cwd: string, o: TwinCommandOptions): Promise<RunResult> {
    return this.twinRun(cwd, ['destroy', '-input=false', '-auto-approve'], o);
  }
}

export type StackPhase = 'prepare' | 'init' | 'validate' | 'plan' | 'show' | 'apply';

export interface StackRun {
  readonly stack: string;
  readonly ok: boolean;
  /** The phase that failed, if any. */
  readonly failedPhase?: StackPhase;
  /** Every terraform command run, with its unchanged output. */
  readonly results: RunResult[];
  readonly summary?: PlanSummary;
  readonly planJson?: unknown;
  readonly workDir: string;
  readonly error?: string;
}

export interface StackRunOptions {
  /** Local state file; defaults to one inside the throw-away working copy. */
  readonly statePath?: string;
  /** Fake-apply the plan afterwards (records state at statePath). */
  readonly apply?: boolean;
  /** Skip `terraform validate` (plan validates too, but separately it gives validate's own wording). */
  readonly skipValidate?: boolean;
  /** Where to put the working copy; a fresh temp dir by default, removed unless keepWorkDir. */
  readonly workDir?: string;
  readonly keepWorkDir?: boolean;
  /** Existing objects for the stack's import blocks (HOMELAB_TF_STANDIN_EXISTING, tools/tf-standin/existing.ts). */
  readonly existing?: string;
  /** With apply: the HA file the stacks of one lab share (HOMELAB_TF_STANDIN_HA_CLUSTER, tools/tf-standin/ha-cluster.ts). */
  readonly haCluster?: string;
}

/**
 * Stack names of a synthesized output in the order cdktf deploys them (manifest.json "dependencies":
 * a stack after every stack it depends on; ties by name).
 */
export function stacksInDeployOrder(outdir: string): string[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { constructPath: string; dependencies: string[] }>;
  };
  const byPath = new Map(Object.entries(manifest.stacks).map(([name, s]) => [s.constructPath, name]));
  const order: string[] = [];
  const pending = new Set(Object.keys(manifest.stacks));
  while (pending.size) {
    const ready = [...pending].sort().find((name) => manifest.stacks[name]!.dependencies.every((d) => !pending.has(byPath.get(d) ?? '')));
    if (ready === undefined) throw new Error(`manifest.json: the stack dependencies of ${[...pending].join(', ')} form a cycle`);
    order.push(ready);
    pending.delete(ready);
  }
  return order;
}

/** init → validate → plan → show (→ apply) for one stack directory holding cdk.tf.json. */
export async function runStack(tf: StandinTerraform, stackDir: string, options: StackRunOptions = {}): Promise<StackRun> {
  const stack = path.basename(stackDir);
  const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `tf-standin-${stack}-`));
  const results: RunResult[] = [];
  const done = (r: Omit<StackRun, 'stack' | 'results' | 'workDir'>): StackRun => {
    if (!options.keepWorkDir && !options.workDir) fs.rmSync(workDir, { recursive: true, force: true });
    return { stack, results, workDir, ...r };
  };
  try {
    prepareWorkDir(stackDir, workDir, options.statePath ?? path.join(workDir, 'terraform.tfstate'));
  } catch (err) {
    return done({ ok: false, failedPhase: 'prepare', error: (err as Error).message });
  }
  const step = async (r: Promise<RunResult>): Promise<boolean> => {
    const res = await r;
    results.push(res);
    return res.code === 0;
  };
  if (!(await step(tf.init(workDir)))) return done({ ok: false, failedPhase: 'init' });
  if (!options.skipValidate && !(await step(tf.validate(workDir)))) return done({ ok: false, failedPhase: 'validate' });
  if (!(await step(tf.plan(workDir, undefined, options.existing)))) return done({ ok: false, failedPhase: 'plan' });
  const shown = await tf.showPlan(workDir);
  results.push(shown.result);
  if (!shown.summary) return done({ ok: false, failedPhase: 'show' });
  if (options.apply && !(await step(tf.apply(workDir, undefined, options.haCluster)))) {
    return done({ ok: false, failedPhase: 'apply', summary: shown.summary, planJson: shown.json });
  }
  return done({ ok: true, summary: shown.summary, planJson: shown.json });
}

/** Stack directories (those holding cdk.tf.json) under `stacksDir`, sorted by name. */
export function listStacks(stacksDir: string): string[] {
  if (!fs.existsSync(stacksDir)) return [];
  return fs
    .readdirSync(stacksDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(stacksDir, e.name, 'cdk.tf.json')))
    .map((e) => path.join(stacksDir, e.name))
    .sort();
}
