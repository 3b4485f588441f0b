/**
 * `homelab-cdk`: the command line (package.json `bin`, run as `npx homelab-cdk`).
 *
 *   synth | check | list | graph | diff | init, each with --help.
 *   Exit codes: 0 ok, 1 a user or model error (nothing was written), 2 a wrong command line,
 *   70 an internal error (a bug of homelab-cdk; the stack trace only with --verbose).
 *
 * The command output goes to stdout; warnings, errors and progress go to stderr. Colours only on a
 * TTY and never with NO_COLOR.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parseArgs, ParseArgsConfig } from 'node:util';
import { acknowledgedSummary, AcknowledgedWarning, ModelError, SynthError, formatWarning, Warning } from '../lib/problems';
import { EXIT_INTERNAL_ERROR, EXIT_USER_ERROR, formatInternalError, VERBOSE_ENV, verboseFromEnv } from '../lib/internal-error';
import { underCdktf } from '../lib/cli';
import { readTree } from '../lib/output';
import { diffAnsible, diffFiles, diffTerraform, destroysData, nodeChangeHint, FileChanges, generatedOnly, HostChanges, ResourceChange } from '../lib/output-diff';
import { step, Styles, stylesFor } from '../lib/term';
import { synthesize } from '../integrations/synth';
import { integrationDot, integrationMermaid, urls } from '../integrations/docs/services-doc';
import { REPLACE_RULES } from '../tools/tf-standin/replace-rules';
import { EXIT_STATEFUL_DESTROY } from '../tools/tf-standin/plan-review';
import { planTerraformChanges } from './diff-plan';
import { loadApp, UsageError, UserError, withModel } from './app';
import { initLab } from './init';
import { typeCheck } from './typecheck';

export const EXIT_OK = 0;
export { EXIT_INTERNAL_ERROR, EXIT_USER_ERROR };
export const EXIT_USAGE = 2;
/** `diff` only: a stateful container would be destroyed or replaced — the code `npm run plan` uses. */
export const EXIT_DATA_LOSS = EXIT_STATEFUL_DESTROY;

export interface Io {
  readonly stdout: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(s: string): unknown; readonly isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const EXIT_CODES = `Exit codes: 0 ok, 1 a user or model error (nothing was written), 2 a wrong command line,
70 an internal error — a bug of homelab-cdk, please report it (stack trace with --verbose).`;

const VERBOSE_OPTION = `  --verbose       on an internal error, print its stack trace (also ${VERBOSE_ENV}=1)`;

const APP_OPTION = '  --app FILE      the lab file (default: main.ts); it exports its builder: export default (app: App) => { ... }';

const HELP: Record<string, string> = {
  '': `Usage: homelab-cdk <command> [options]

Synthesizes a typed homelab model into Terraform JSON (bpg/proxmox) and an Ansible project.

Commands:
  synth    write the output folder (Terraform stacks, Ansible project, docs) and summarize the changes
  check    type-check the lab file and validate the model; writes nothing
  list     the services: stack, node, VMID, IP, URL, access, backup, ports
  graph    the integration diagram (mermaid, or DOT with --format dot)
  diff     what a synth would change: Terraform resources and Ansible hosts; writes nothing
  init     create a lab file and a cdktf.json in a folder

Run homelab-cdk <command> --help for its options. Every command takes --verbose.
${EXIT_CODES}
`,
  synth: `Usage: homelab-cdk synth [--app FILE] [--out DIR] [--strict] [--json]

Builds the lab, validates it, and replaces the output folder atomically (a failed synth leaves it
untouched; your own files in it, such as vault.yml and .terraform/, are kept). Prints the files
added, changed and removed against the previous output.

Options:
${APP_OPTION}
  --out DIR       the output folder (default: $CDKTF_OUTDIR, else synth-out)
  --strict        type-check the lab file first, and treat warnings as errors (acknowledged
                  warnings pass: acknowledgeWarning(scope, id, reason))
  --json          print the summary as JSON
${VERBOSE_OPTION}
  -h, --help      this help
${EXIT_CODES}
`,
  check: `Usage: homelab-cdk check [--app FILE] [--out DIR] [--strict] [--skip-types]

Type-checks the lab file and everything it imports (incremental; tsx, which runs labs, does not
check types) and validates the model: every error with its construct path and fix. Writes nothing.

Options:
${APP_OPTION}
  --out DIR       the output folder whose placement.json keeps placed services on their nodes
                  (default: $CDKTF_OUTDIR, else synth-out; read only)
  --strict        treat warnings as errors (acknowledged warnings pass)
  --skip-types    validate the model only
${VERBOSE_OPTION}
  -h, --help      this help
${EXIT_CODES}
`,
  list: `Usage: homelab-cdk list [--app FILE] [--out DIR] [--json]

The lab's services: stack, host, node, VMID, IP, URL, access, backup and the ports they listen on.
Writes nothing.

Options:
${APP_OPTION}
  --out DIR       the output folder whose placement.json keeps placed services on their nodes
                  (default: $CDKTF_OUTDIR, else synth-out; read only)
  --json          an array of objects instead of a table
${VERBOSE_OPTION}
  -h, --help      this help
${EXIT_CODES}
`,
  graph: `Usage: homelab-cdk graph [--app FILE] [--out DIR] [--format mermaid|dot]

The integration diagram (the one in docs/services.md): routes through the reverse proxy, metrics
scrapes and log shipping. Writes nothing.

Options:
${APP_OPTION}
  --out DIR       the output folder whose placement.json keeps placed services on their nodes
                  (default: $CDKTF_OUTDIR, else synth-out; read only)
  --format F      mermaid (default) or dot (Graphviz)
${VERBOSE_OPTION}
  -h, --help      this help
${EXIT_CODES}
`,
  diff: `Usage: homelab-cdk diff [--app FILE] [--out DIR] [--json] [--resource-diff]

What \`homelab-cdk synth\` would change in the output folder, without writing to it: files; Terraform
resources by stack and address (added, removed, changed, replaced — a stateful container removed or
replaced is named in capitals: its volumes go with it); Ansible changes per host (files, roles,
variables), so you know which hosts a converge touches. Synthesizes into a temporary folder.

With terraform installed (PATH or $TERRAFORM_BIN), the Terraform half is terraform's own plan: each
changed stack's previous output is fake-applied into a throw-away state with the offline stand-in
provider (nothing reaches Proxmox) and the new output planned against it, as \`npm run plan\` does.
Without terraform, or with --resource-diff, it compares the resources of the two cdk.tf.json files.

Options:
${APP_OPTION}
  --out DIR         the output folder to compare with (default: $CDKTF_OUTDIR, else synth-out)
  --json            print the changes as JSON
  --resource-diff   skip terraform: the resource-level comparison only (fast)
${VERBOSE_OPTION}
  -h, --help        this help
Exit codes: 0 ok (changes or not), 1 a user or model error, 2 a wrong command line,
${EXIT_STATEFUL_DESTROY} a stateful container would be destroyed or replaced (as \`npm run plan\`),
70 an internal error — a bug of homelab-cdk, please report it (stack trace with --verbose).
`,
  init: `Usage: homelab-cdk init <dir>

Creates <dir>/lab.ts (a one-service lab to grow) and <dir>/cdktf.json (so \`cdktf synth\` in <dir> works
too). Never overwrites. Then:
  npx homelab-cdk synth --app <dir>/lab.ts --out <dir>/synth-out

Options:
${VERBOSE_OPTION}
  -h, --help      this help
${EXIT_CODES}
`,
};

type Values = Record<string, string | boolean | undefined>;

const COMMON = { help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' } } as const;
const OPTIONS: Record<string, ParseArgsConfig['options']> = {
  synth: { ...COMMON, app: { type: 'string' }, out: { type: 'string' }, strict: { type: 'boolean' }, json: { type: 'boolean' } },
  check: { ...COMMON, app: { type: 'string' }, out: { type: 'string' }, strict: { type: 'boolean' }, 'skip-types': { type: 'boolean' } },
  list: { ...COMMON, app: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
  graph: { ...COMMON, app: { type: 'string' }, out: { type: 'string' }, format: { type: 'string' } },
  diff: { ...COMMON, app: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' }, 'resource-diff': { type: 'boolean' } },
  init: { ...COMMON },
};

function parse(command: string, args: string[]): { values: Values; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS[command], strict: true, allowPositionals: command === 'init' });
    return { values: values as Values, positionals };
  } catch (e) {
    // parseArgs' messages name the option ("Unknown option '--ouy'"); add where to look.
    throw new UsageError(`${command}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Runs the command line; resolves to the exit code. Never calls process.exit. */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const err = stylesFor(io.stderr, io.env);
  const out = stylesFor(io.stdout, io.env);
  const print = (s: string) => io.stdout.write(`${s}\n`);
  const note = (s: string) => io.stderr.write(`${s}\n`);
  // Progress and warnings: stderr, except under `cdktf synth`, which shows the app's stderr as [ERROR] lines.
  const info = underCdktf(io.env) ? print : note;
  const [command, ...args] = argv;
  // Known before parsing, so an internal error while parsing still honours it.
  const verbose = args.includes('--verbose') || verboseFromEnv(io.env);
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      const topic = command === 'help' ? args[0] ?? '' : '';
      if (!(topic in HELP)) throw new UsageError(`unknown command '${topic}'`);
      io.stdout.write(HELP[topic]);
      return command === undefined ? EXIT_USAGE : EXIT_OK;
    }
    if (!(command in OPTIONS)) throw new UsageError(`unknown command '${command}'${command.startsWith('-') ? '' : ` (commands: ${Object.keys(OPTIONS).join(', ')})`}`);
    const { values, positionals } = parse(command, args);
    if (values.help) {
      io.stdout.write(HELP[command]);
      return EXIT_OK;
    }
    const ctx: Ctx = { values, positionals, io, out, err, print, note, info, interactive: io.stderr.isTTY === true && !underCdktf(io.env) };
    return await COMMANDS[command](ctx);
  } catch (e) {
    return report(e, command, note, err, verbose);
  }
}

/** Prints an error in one write (cdktf labels each chunk of stderr with its own [ERROR] line) and returns the exit code. */
function report(e: unknown, command: string | undefined, note: (s: string) => void, err: Styles, verbose: boolean): number {
  if (e instanceof UsageError) {
    note(`${err.red('error:')} ${e.message}\nRun homelab-cdk ${command && command in OPTIONS ? `${command} ` : ''}--help for the usage.`);
    return EXIT_USAGE;
  }
  if (e instanceof SynthError) {
    note([`${err.red('error:')} ${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in the model (nothing was written):`, ...e.message.split('\n').slice(1)].join('\n'));
    return EXIT_USER_ERROR;
  }
  if (e instanceof ModelError || e instanceof UserError) {
    const cause = verbose && e.cause instanceof Error && e.cause.stack ? `\n${e.cause.stack}` : '';
    note(`${err.red('error:')} ${e.message}${cause}`);
    return EXIT_USER_ERROR;
  }
  note(`${err.red('error:')} ${formatInternalError(e, { verbose, how: '--verbose' })}`);
  return EXIT_INTERNAL_ERROR;
}

interface Ctx {
  readonly values: Values;
  readonly positionals: string[];
  readonly io: Io;
  readonly out: Styles;
  readonly err: Styles;
  readonly print: (s: string) => void;
  readonly note: (s: string) => void;
  readonly info: (s: string) => void;
  readonly interactive: boolean;
}

const appOf = (ctx: Ctx) => (ctx.values.app as string | undefined) ?? 'main.ts';
/**
 * The output folder: --out, else $CDKTF_OUTDIR (set by `cdktf synth`), else synth-out. It is replaced
 * as a whole, so the current folder, one above it, or one holding the lab file is refused.
 */
/** Where the output folder's placement.json is read from (check, list, graph write nothing). */
function recordDirOf(ctx: Ctx): string {
  return resolve((ctx.values.out as string | undefined) || ctx.io.env.CDKTF_OUTDIR || 'synth-out');
}

function outOf(ctx: Ctx): string {
  const out = resolve((ctx.values.out as string | undefined) || ctx.io.env.CDKTF_OUTDIR || 'synth-out');
  const inside = (dir: string, p: string) => p === dir || p.startsWith(`${dir}${sep}`);
  if (inside(out, process.cwd())) throw new UserError(`the output folder ${out} is the current folder or holds it — synth replaces the whole folder; give --out a folder of its own (e.g. synth-out)`);
  if (inside(out, resolve(appOf(ctx)))) throw new UserError(`the output folder ${out} holds the lab file ${appOf(ctx)} — give --out a folder of its own`);
  return out;
}
const shown = (p: string) => relative(process.cwd(), p) || '.';

/** Warnings one per line; acknowledged ones only counted, in one summary line. */
function printWarnings(ctx: Ctx, warnings: readonly Warning[], acknowledged: readonly AcknowledgedWarning[] = []): void {
  for (const w of warnings) ctx.info(`${ctx.err.yellow('warning:')} ${formatWarning(w)}`);
  const summary = acknowledgedSummary(acknowledged);
  if (summary) ctx.info(summary);
}

function checkTypes(ctx: Ctx, app: string): void {
  const diagnostics = step(`type-checking ${app}`, () => typeCheck(app), ctx.info, ctx.interactive);
  if (diagnostics.length) {
    throw new UserError(`${diagnostics.length} type error${diagnostics.length === 1 ? '' : 's'} in ${app} or what it imports:\n${diagnostics.join('\n')}`);
  }
}

function fileSummary(ctx: Ctx, changes: FileChanges, total?: number): void {
  const { added, changed, removed } = changes;
  const count = added.length + changed.length + removed.length;
  ctx.print(`${count ? `${added.length} added, ${changed.length} changed, ${removed.length} removed` : 'no file changes'}${total === undefined ? '' : ` (${total} files)`}`);
  for (const p of added) ctx.print(ctx.out.green(`  + ${p}`));
  for (const p of changed) ctx.print(ctx.out.yellow(`  ~ ${p}`));
  for (const p of removed) ctx.print(ctx.out.red(`  - ${p}`));
}

function synthCommand(ctx: Ctx): number {
  const app = appOf(ctx);
  const outdir = outOf(ctx);
  const build = step(`loading ${app}`, () => loadApp(app), ctx.info, ctx.interactive);
  if (ctx.values.strict) checkTypes(ctx, app);
  const before = existsSync(outdir) ? generatedOnly(readTree(outdir)) : new Map<string, string>();
  const result = step('synthesizing', () => synthesize(build, { outdir, strict: ctx.values.strict === true }), ctx.info, ctx.interactive);
  printWarnings(ctx, result.warnings, result.acknowledged);
  const changes = diffFiles(before, readTree(outdir));
  if (ctx.values.json) {
    ctx.print(JSON.stringify({ outdir: shown(outdir), files: result.files.length, ...changes, pruned: result.pruned, kept: result.kept, warnings: result.warnings, acknowledged: result.acknowledged }, null, 2));
  } else {
    ctx.print(`${ctx.out.bold(shown(outdir))}: wrote ${result.files.length} files`);
    fileSummary(ctx, changes);
  }
  return EXIT_OK;
}

function checkCommand(ctx: Ctx): number {
  const app = appOf(ctx);
  const build = step(`loading ${app}`, () => loadApp(app), ctx.info, ctx.interactive);
  if (!ctx.values['skip-types']) checkTypes(ctx, app);
  const { warnings, acknowledged } = step('validating', () => withModel(build, (m) => ({ warnings: m.warnings, acknowledged: m.acknowledged }), { strict: ctx.values.strict === true, placementRecordFrom: recordDirOf(ctx) }), ctx.info, ctx.interactive);
  printWarnings(ctx, warnings, acknowledged);
  const counts = [warnings.length ? `${warnings.length} warning${warnings.length === 1 ? '' : 's'}` : '', acknowledged.length ? `${acknowledged.length} acknowledged` : ''].filter(Boolean);
  ctx.print(`${ctx.out.green('ok')}: ${app} ${ctx.values['skip-types'] ? '' : 'type-checks and '}validates${counts.length ? ` (${counts.join(', ')})` : ''}`);
  return EXIT_OK;
}

interface ServiceRow {
  readonly lab: string;
  readonly stack: string;
  readonly host: string;
  readonly node: string;
  readonly vmId: number;
  readonly ip: string;
  readonly urls: readonly string[];
  readonly access: readonly string[];
  readonly backup: boolean;
  readonly ports: readonly string[];
}

function listCommand(ctx: Ctx): number {
  const build = loadApp(appOf(ctx));
  const rows = withModel(build, ({ labs, warnings, acknowledged }) => {
    printWarnings(ctx, warnings, acknowledged);
    return labs.flatMap((lab) => lab.containers.map((c): ServiceRow => ({
      lab: lab.node.id,
      stack: c.stack.stackName,
      host: c.hostname,
      node: c.proxmoxNode.nodeName,
      vmId: c.vmId,
      ip: c.ipAddress,
      urls: urls(c, lab.domain).map((u) => u.replace(/^LAN only: /, '').replace(/ \(.*\)$/, '')),
      access: c.webUis.map((ui) => ui.access),
      backup: c.backup,
      ports: [...c.listeningPorts.keys()].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b)),
    }))).sort((a, b) => a.lab.localeCompare(b.lab) || a.vmId - b.vmId);
  }, { placementRecordFrom: recordDirOf(ctx) });
  if (ctx.values.json) {
    ctx.print(JSON.stringify(rows, null, 2));
    return EXIT_OK;
  }
  const header = ['STACK', 'HOST', 'NODE', 'VMID', 'IP', 'URL', 'ACCESS', 'BACKUP', 'PORTS'];
  const table = rows.map((r) => [r.stack, r.host, r.node, String(r.vmId), r.ip, r.urls.join(' ') || '—', [...new Set(r.access)].join(',') || '—', r.backup ? 'yes' : 'no', r.ports.join(' ') || '—']);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  ctx.print(ctx.out.bold(line(header)));
  for (const row of table) ctx.print(line(row));
  return EXIT_OK;
}

function graphCommand(ctx: Ctx): number {
  const format = (ctx.values.format as string | undefined) ?? 'mermaid';
  if (format !== 'mermaid' && format !== 'dot') throw new UsageError(`graph: --format must be mermaid or dot, got '${format}'`);
  const build = loadApp(appOf(ctx));
  const lines = withModel(build, ({ labs, warnings, acknowledged }) => {
    printWarnings(ctx, warnings, acknowledged);
    return labs.flatMap((lab) => (format === 'dot' ? integrationDot(lab) : integrationMermaid(lab)));
  }, { placementRecordFrom: recordDirOf(ctx) });
  ctx.print(lines.join('\n'));
  return EXIT_OK;
}

async function diffCommand(ctx: Ctx): Promise<number> {
  const app = appOf(ctx);
  const outdir = outOf(ctx);
  const build = step(`loading ${app}`, () => loadApp(app), ctx.info, ctx.interactive);
  const scratch = mkdtempSync(join(tmpdir(), 'homelab-cdk-diff-'));
  try {
    // The same folder name: the stacks' local state paths contain it.
    const next = join(scratch, basename(outdir));
    const result = step('synthesizing into a temporary folder', () => synthesize(build, { outdir: next, placementRecordFrom: outdir }), ctx.info, ctx.interactive);
    printWarnings(ctx, result.warnings, result.acknowledged);
    const before = existsSync(outdir) ? generatedOnly(readTree(outdir)) : new Map<string, string>();
    const after = readTree(next);
    const files = diffFiles(before, after);
    const resourceDiff = diffTerraform(before, after, REPLACE_RULES);
    const planned = ctx.values['resource-diff']
      ? { source: 'resource-diff' as const, changes: resourceDiff, notes: ['resource-level diff: --resource-diff'] }
      : await stepAsync('planning the changed stacks with terraform and the offline stand-in', () => planTerraformChanges(outdir, next, resourceDiff), ctx);
    const terraform = planned.changes;
    const ansible = diffAnsible(before, after);
    const lost = terraform.filter(destroysData);
    const code = lost.length ? EXIT_DATA_LOSS : EXIT_OK;
    if (ctx.values.json) {
      ctx.print(JSON.stringify({ outdir: shown(outdir), files, terraformSource: planned.source, terraformNotes: planned.notes, terraform, ansible, destroysData: lost.map((c) => c.constructPath) }, null, 2));
      return code;
    }
    ctx.print(ctx.out.bold(`Files (${shown(outdir)})`));
    fileSummary(ctx, files);
    printTerraform(ctx, terraform, planned.source, planned.notes);
    printAnsible(ctx, ansible);
    if (lost.length) {
      // Repeated last, where nobody scrolls past it.
      ctx.print('');
      printDataLoss(ctx, lost);
    }
    return code;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** step() for a promise: the progress line on a TTY, or after a second elsewhere. */
async function stepAsync<T>(label: string, work: () => Promise<T>, ctx: Ctx): Promise<T> {
  const started = Date.now();
  if (ctx.interactive) ctx.info(`${label}...`);
  const timer = ctx.interactive ? undefined : setTimeout(() => ctx.info(`${label}...`), 1000);
  try {
    return await work();
  } finally {
    if (timer) clearTimeout(timer);
    if (Date.now() - started > 1000) ctx.info(`${label}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}

function printDataLoss(ctx: Ctx, lost: readonly ResourceChange[]): void {
  for (const c of lost) {
    const verb = c.kind === 'replace' ? 'REPLACED' : 'DESTROYED';
    ctx.print(ctx.out.red(ctx.out.bold(`  !!! STATEFUL CONTAINER ${c.constructPath} WOULD BE ${verb} (${c.stack}: ${c.address}${c.forcedBy.length ? `, forced by ${c.forcedBy.join(', ')}` : ''}) — ITS VOLUMES AND DATA GO WITH IT`)));
    for (const line of nodeChangeHint(c.forcedBy) ?? []) ctx.print(ctx.out.red(`  !!!   ${line}`));
  }
  ctx.print(ctx.out.red(`  !!! lifecycle.prevent_destroy stops such an apply; see README "Applying the output" before opting out. Exit code ${EXIT_DATA_LOSS}.`));
}

function printTerraform(ctx: Ctx, changes: readonly ResourceChange[], source: 'plan' | 'resource-diff', notes: readonly string[]): void {
  ctx.print('');
  ctx.print(ctx.out.bold(`Terraform (${source === 'plan' ? 'terraform plan with the offline stand-in' : 'resource-level diff'})`));
  for (const n of notes) ctx.print(ctx.out.dim(`  note: ${n}`));
  if (!changes.length) ctx.print('  no resource changes');
  const sign = { add: '+', remove: '-', change: '~', replace: '-/+' } as const;
  const colour = { add: ctx.out.green, remove: ctx.out.red, change: ctx.out.yellow, replace: ctx.out.red } as const;
  let stack = '';
  for (const c of changes) {
    if (c.stack !== stack) {
      stack = c.stack;
      const n = changes.filter((x) => x.stack === stack);
      const count = (k: string) => n.filter((x) => x.kind === k).length;
      ctx.print(`  ${stack}: ${count('add')} to add, ${count('change')} to change, ${count('replace')} to replace, ${count('remove')} to remove`);
    }
    const what = c.kind === 'replace' ? ` (forced by ${c.forcedBy.join(', ')})` : c.kind === 'change' ? ` (${c.attributes.join(', ')})` : '';
    ctx.print(colour[c.kind](`    ${sign[c.kind]} ${c.address}${what}`));
  }
  const lost = changes.filter(destroysData);
  if (lost.length) printDataLoss(ctx, lost);
}

function printAnsible(ctx: Ctx, hosts: readonly HostChanges[]): void {
  ctx.print('');
  ctx.print(ctx.out.bold('Ansible'));
  if (!hosts.length) {
    ctx.print('  no host changes: a converge changes nothing new');
    return;
  }
  ctx.print(`  a converge touches ${hosts.length} host${hosts.length === 1 ? '' : 's'}: ${hosts.map((h) => h.host).join(', ')}`);
  for (const h of hosts) {
    ctx.print(`  ${h.host}${h.inventory ? ` (${h.inventory === 'added' ? 'new host' : 'removed from the inventory'})` : ''}`);
    const f = h.files;
    if (f.added.length + f.changed.length + f.removed.length) {
      ctx.print(`    files: ${[...f.added.map((p) => `+${p}`), ...f.changed.map((p) => `~${p}`), ...f.removed.map((p) => `-${p}`)].join(' ')}`);
    }
    if (h.rolesAdded.length) ctx.print(`    roles added: ${h.rolesAdded.join(' ')}`);
    if (h.rolesRemoved.length) ctx.print(`    roles removed: ${h.rolesRemoved.join(' ')}`);
    if (h.rolesChanged.length) ctx.print(`    roles changed: ${h.rolesChanged.join(' ')}`);
    if (h.variables.length) ctx.print(`    variables: ${h.inventory ? `${h.variables.length} (all of the host's)` : h.variables.join(' ')}`);
  }
}

function initCommand(ctx: Ctx): number {
  if (ctx.positionals.length !== 1) throw new UsageError(`init: give exactly one folder (homelab-cdk init <dir>), got ${ctx.positionals.length}`);
  const dir = ctx.positionals[0];
  const written = initLab(dir);
  for (const f of written) ctx.print(`created ${shown(f)}`);
  const d = shown(resolve(dir));
  ctx.print(`next: npx homelab-cdk synth --app ${d}/lab.ts --out ${d}/synth-out`);
  return EXIT_OK;
}

const COMMANDS: Record<string, (ctx: Ctx) => number | Promise<number>> = {
  synth: synthCommand,
  check: checkCommand,
  list: listCommand,
  graph: graphCommand,
  diff: diffCommand,
  init: initCommand,
};
