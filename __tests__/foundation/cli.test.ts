import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTree } from '../../lib/output';
import { stylesFor } from '../../lib/term';

const REPO = resolve(__dirname, '..', '..');
const BIN = join(REPO, 'bin', 'homelab-cdk.cjs');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin as `npx homelab-cdk` does (node + the package.json bin), from `cwd`, with pipes (no TTY). */
function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const { CDKTF_OUTDIR: _cdktf, NO_COLOR: _noColor, ...inherited } = process.env;
  return run(process.execPath, [BIN, ...args], cwd, { ...inherited, ...env });
}

/** Runs any command (node with args, cdktf) from `cwd` with pipes. */
function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), 100_000);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

/** Every file and folder below `dir` with size, mtime and content hash-free identity: a write changes it. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const s = statSync(p);
      out[relative(dir, p)] = e.isDirectory() ? `dir ${s.mtimeMs}` : `${s.size} ${s.mtimeMs} ${readFileSync(p, 'utf8').length}`;
      if (e.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

/** An app file in `dir` that imports the package by absolute path (as a lab outside the repo would by relative path). */
function writeApp(dir: string, name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body.replace(/@repo/g, REPO));
  return file;
}

const SMALL = (extra = '') => `import type { App } from '@repo/lib/cdktf';
import { DockerHost, LabStack, Network, ProxmoxNode } from '@repo/constructs/core';
import { buildSmallLab } from '@repo/examples/small-lab';
export default function build(app: App): void {
  const lab = buildSmallLab(app);
  void lab; void DockerHost; void LabStack; void Network; void ProxmoxNode;
  ${extra}
}
`;

describe('homelab-cdk', () => {
  let work: string;
  let out: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'homelab-cdk-cli-'));
    out = join(work, 'synth-out');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  describe('command line', () => {
    it('prints the usage with every command and the exit codes, and each command its own --help', async () => {
      const top = await cli(['--help'], work);
      expect(top.code).toBe(0);
      for (const c of ['synth', 'check', 'list', 'graph', 'diff', 'init']) expect(top.stdout).toMatch(new RegExp(`^  ${c} `, 'm'));
      expect(top.stdout).toContain('Exit codes: 0 ok, 1 a user or model error (nothing was written), 2 a wrong command line,\n70 an internal error — a bug of homelab-cdk, please report it (stack trace with --verbose).');
      const helps = await Promise.all(['synth', 'check', 'list', 'graph', 'diff', 'init'].map((c) => cli([c, '--help'], work)));
      helps.forEach((h, i) => {
        expect(h.code).toBe(0);
        expect(h.stdout).toMatch(new RegExp(`^Usage: homelab-cdk ${['synth', 'check', 'list', 'graph', 'diff', 'init'][i]}`));
        expect(h.stdout).toContain('Exit codes:');
      });
      expect(helps[0].stdout).toContain('--strict');
      expect(readdirSync(work)).toEqual([]);
    });

    it('fails with exit code 2 on a wrong command line, naming the mistake', async () => {
      const [none, unknown, flag, format, initArgs] = await Promise.all([
        cli([], work),
        cli(['deploy'], work),
        cli(['synth', '--ouy', 'x'], work),
        cli(['graph', '--format', 'png'], work),
        cli(['init'], work),
      ]);
      expect(none.code).toBe(2);
      expect(none.stdout).toContain('Usage: homelab-cdk <command>');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain("error: unknown command 'deploy' (commands: synth, check, list, graph, diff, init)");
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain("error: synth: Unknown option '--ouy'");
      expect(flag.stderr).toContain('Run homelab-cdk synth --help for the usage.');
      expect(format.code).toBe(2);
      expect(format.stderr).toContain("error: graph: --format must be mermaid or dot, got 'png'");
      expect(initArgs.code).toBe(2);
      expect(initArgs.stderr).toContain('init: give exactly one folder');
      expect(readdirSync(work)).toEqual([]);
    });

    it('fails with exit code 1 on a missing app file and on an app without a builder', async () => {
      const noExport = writeApp(work, 'no-export.ts', `export const lab = 1;\n`);
      const [missing, bare] = await Promise.all([cli(['list', '--app', 'nope.ts'], work), cli(['synth', '--app', noExport], work)]);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('error: app file nope.ts not found');
      expect(bare.code).toBe(1);
      expect(bare.stderr).toContain('exports no lab builder — add `export default function build(app: App)');
      const here = await cli(['synth', '--app', noExport, '--out', '.'], work);
      expect(here.code).toBe(1);
      expect(here.stderr).toContain('is the current folder or holds it — synth replaces the whole folder');
      expect(existsSync(out)).toBe(false);
      rmSync(noExport);
    });

    it('colours only on a TTY, and never with NO_COLOR', () => {
      expect(stylesFor({ isTTY: true }, {}).red('x')).toBe('\u001b[31mx\u001b[39m');
      expect(stylesFor({ isTTY: true }, { NO_COLOR: '1' }).enabled).toBe(false);
      expect(stylesFor({ isTTY: false }, {}).enabled).toBe(false);
      expect(stylesFor({ isTTY: true }, { NO_COLOR: '' }).enabled).toBe(true); // no-color.org: set and not empty
    });
  });

  describe('synth, check, list, graph and diff of a lab file', () => {
    let app: string;

    beforeAll(async () => {
      app = writeApp(work, 'lab.ts', SMALL());
    });

    it('synth writes the output folder and summarizes the changes against the previous output', async () => {
      const first = await cli(['synth', '--app', app], work);
      expect(first.stderr).not.toContain('error');
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/^synth-out: wrote \d+ files\n\d+ added, 0 changed, 0 removed\n  \+ ansible\/\.ansible-lint\n/);
      expect(existsSync(join(out, 'stacks', 'media', 'cdk.tf.json'))).toBe(true);
      expect(first.stderr).toContain('warning: [homelab:unreachable-port] [homelab/media/sonarr]');
      expect(first.stdout).not.toContain('\u001b['); // not a TTY: no colours

      const again = await cli(['synth', '--app', app, '--json'], work);
      expect(again.code).toBe(0);
      const summary = JSON.parse(again.stdout);
      expect(summary).toMatchObject({ outdir: 'synth-out', added: [], changed: [], removed: [] });
      expect(summary.warnings.map((w: { id: string }) => w.id)).toContain('homelab:unreachable-port');
    });

    it('synth --strict fails on warnings and writes nothing', async () => {
      const before = snapshot(work);
      const strict = await cli(['synth', '--app', app, '--strict'], work);
      expect(strict.code).toBe(1);
      expect(strict.stderr).toContain('[homelab/media/sonarr] port 8989/tcp (Web UI + API) is open but nothing may reach it (warning homelab:unreachable-port)');
      expect(snapshot(work)).toEqual(before);
    });

    it('fails with exit code 1 on a model error and leaves the output untouched', async () => {
      const bad = writeApp(work, 'bad.ts', SMALL(`new DockerHost(lab.node.findChild('media') as LabStack, 'clash', { node: lab.infra.node.findChild('pve') as ProxmoxNode, network: lab.infra.node.findChild('lan') as Network, vmId: 211, ipAddress: '10.10.0.40' });`));
      const before = snapshot(work);
      const r = await cli(['synth', '--app', bad], work);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/error: \d+ problems? in the model \(nothing was written\):\n {2}\[homelab\/media\/(clash|sonarr)\] VMID 211 is already used/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(snapshot(work)).toEqual(before);
      rmSync(bad);
    });

    it('check type-checks and validates without writing anything', async () => {
      const before = snapshot(work);
      const ok = await cli(['check', '--app', app], work);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain(`ok: ${app} type-checks and validates (4 warnings)`);
      // A typo tsx would run unchecked: the type error is caught before the model is built.
      const typo = writeApp(work, 'typo.ts', SMALL(`const sizing: { memoryMiB: number } = { memory: 8192 };\n  void sizing;`));
      const afterTypo = snapshot(work);
      const bad = await cli(['check', '--app', typo], work);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/typo\.ts:\d+:\d+ error TS2353: Object literal may only specify known properties, and 'memory' does not exist/);
      expect(bad.stderr).toContain('error: 1 type error in');
      expect(snapshot(work)).toEqual(afterTypo);
      rmSync(typo);
      expect(Object.keys(snapshot(work))).toEqual(Object.keys(before));
    });

    it('list prints the services as a table and as JSON, writing nothing', async () => {
      const before = snapshot(work);
      const [table, json] = await Promise.all([cli(['list', '--app', app], work), cli(['list', '--app', app, '--json'], work)]);
      expect(table.code).toBe(0);
      expect(table.stdout.split('\n')[0]).toMatch(/^STACK +HOST +NODE +VMID +IP +URL +ACCESS +BACKUP +PORTS$/);
      expect(table.stdout).toMatch(/^media +sonarr +pve +211 +10\.10\.0\.21 +— +— +yes +8989\/tcp$/m);
      expect(json.code).toBe(0);
      const rows = JSON.parse(json.stdout);
      expect(rows.map((r: { host: string }) => r.host)).toEqual(['sonarr', 'prowlarr', 'vaultwarden']);
      expect(rows[2]).toEqual({ lab: 'homelab', stack: 'security', host: 'vaultwarden', node: 'pve', vmId: 232, ip: '10.10.0.32', urls: [], access: [], backup: true, ports: ['8080/tcp'] });
      expect(snapshot(work)).toEqual(before);
    });

    it('graph prints the integration diagram as mermaid and as DOT, writing nothing', async () => {
      const before = snapshot(work);
      const [mermaid, dot] = await Promise.all([cli(['graph'], REPO), cli(['graph', '--format', 'dot'], REPO)]);
      expect(mermaid.code).toBe(0);
      // The reference lab's diagram is the one in its services.md.
      const doc = readFileSync(join(REPO, 'synth-out', 'docs', 'services.md'), 'utf8');
      expect(doc).toContain(`\`\`\`mermaid\n${mermaid.stdout}\`\`\``);
      expect(mermaid.stdout).toContain('  swag -->|sonarr| sonarr');
      expect(dot.code).toBe(0);
      expect(dot.stdout).toMatch(/^digraph integrations \{\n/);
      expect(dot.stdout).toContain('  "swag" -> "sonarr" [label="sonarr"];');
      expect(dot.stdout).toContain('  "prometheus" -> "sonarr" [label="metrics", style=dashed];');
      expect(dot.stdout.trimEnd().endsWith('}')).toBe(true);
      expect(snapshot(work)).toEqual(before);
    });

    it('diff names Terraform and Ansible changes, a replaced stateful container loudly (exit code 3), and writes nothing', async () => {
      const unchanged = await cli(['diff', '--app', app], work);
      expect(unchanged.code).toBe(0);
      expect(unchanged.stdout).toContain('no file changes');
      expect(unchanged.stdout).toContain('  no resource changes');
      expect(unchanged.stdout).toContain('  no host changes');

      // Sonarr gets another VMID (Proxmox replaces the container) and a bigger memory; Prowlarr goes.
      const edited = writeApp(work, 'edited.ts', readFileSync(join(REPO, 'examples', 'small-lab.ts'), 'utf8')
        .replace(/from '\.\.\//g, "from '@repo/")
        .replace("vmId: 211, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(1)", "vmId: 212, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(2)")
        .replace(/  const prowlarrHost[\s\S]*?\n  \}\);\n/, ''));
      // The edits found their text (a renamed prop in the example must not turn this into a no-op).
      expect(readFileSync(edited, 'utf8')).toContain('vmId: 212');
      expect(readFileSync(edited, 'utf8')).not.toContain('prowlarrHost');
      const before = snapshot(work);
      // terraform is installed here (/usr/local/bin): the real plan with the offline stand-in; then
      // without terraform (TERRAFORM_BIN names a missing file), the resource-level diff. Same verdict.
      const viaPlan = await cli(['diff', '--app', edited], work);
      const viaResources = await cli(['diff', '--app', edited], work, { TERRAFORM_BIN: join(work, 'no-terraform') });
      expect(viaPlan.stdout).toContain('\nTerraform (terraform plan with the offline stand-in)\n');
      expect(viaResources.stdout).toContain(`\nTerraform (resource-level diff)\n  note: resource-level diff: terraform not found at ${join(work, 'no-terraform')}`);
      for (const diff of [viaPlan, viaResources]) {
        expect(diff.stderr).not.toContain('error');
        expect(diff.code, diff.stdout).toBe(3);
        expect(diff.stdout).toMatch(/^ {2}media: 0 to add, 2 to change, 1 to replace, 3 to remove$/m);
        expect(diff.stdout).toMatch(/^ {4}-\/\+ proxmox_virtual_environment_container\.sonarr_\w+ \(forced by vm_id\)$/m);
        expect(diff.stdout).toMatch(/^ {4}- proxmox_virtual_environment_container\.prowlarr_\w+$/m);
        expect(diff.stdout).toMatch(/^ {2}!!! STATEFUL CONTAINER homelab\/media\/sonarr WOULD BE REPLACED \(media: proxmox_virtual_environment_container\.sonarr_\w+, forced by vm_id\) — ITS VOLUMES AND DATA GO WITH IT$/m);
        expect(diff.stdout).toMatch(/^ {2}!!! STATEFUL CONTAINER homelab\/media\/prowlarr WOULD BE DESTROYED/m);
        // Named again at the very end, with the exit code.
        expect(diff.stdout.trimEnd()).toMatch(/!!! lifecycle\.prevent_destroy stops such an apply; see README "Applying the output" before opting out\. Exit code 3\.$/);
        expect(diff.stdout).toMatch(/^ {2}a converge touches \d+ hosts?: .*prowlarr/m);
        expect(diff.stdout).toMatch(/^ {2}prowlarr \(removed from the inventory\)\n {4}files: -compose\.yml/m);
      }
      const json = await cli(['diff', '--app', edited, '--json', '--resource-diff'], work);
      expect(json.code).toBe(3);
      const parsed = JSON.parse(json.stdout);
      expect(parsed.terraformSource).toBe('resource-diff');
      expect(parsed.destroysData).toEqual(['homelab/media/prowlarr', 'homelab/media/sonarr']);
      expect(parsed.ansible.find((h: { host: string }) => h.host === 'sonarr').variables).toContain('host_vars:homelab_vmid');
      expect(snapshot(work)).toEqual(before);
      rmSync(edited);
    }, 240_000);

    it('diff through the plan exits 0 for changes that keep every stateful container', async () => {
      const edited = writeApp(work, 'grown.ts', readFileSync(join(REPO, 'examples', 'small-lab.ts'), 'utf8')
        .replace(/from '\.\.\//g, "from '@repo/")
        .replace("vmId: 211, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(1)", "vmId: 211, ipAddress: '10.10.0.21', cores: 2, memory: Size.gibibytes(2)"));
      expect(readFileSync(edited, 'utf8')).toContain('memory: Size.gibibytes(2)');
      const diff = await cli(['diff', '--app', edited, '--json'], work);
      expect(diff.code, diff.stderr).toBe(0);
      const parsed = JSON.parse(diff.stdout);
      expect(parsed.terraformSource).toBe('plan');
      expect(parsed.destroysData).toEqual([]);
      expect(parsed.terraform).toEqual([expect.objectContaining({ stack: 'media', kind: 'change', constructPath: 'homelab/media/sonarr', stateful: true, attributes: ['memory'] })]);
      rmSync(edited);
    }, 240_000);
  });

  describe('your own lab', () => {
    it('init creates lab.ts and cdktf.json that synthesize as printed, and never overwrites', async () => {
      const dir = join(work, 'mylab');
      const init = await cli(['init', dir], work);
      expect(init.code).toBe(0);
      expect(init.stdout).toBe('created mylab/lab.ts\ncreated mylab/cdktf.json\nnext: npx homelab-cdk synth --app mylab/lab.ts --out mylab/synth-out\n');
      const cdktf = JSON.parse(readFileSync(join(dir, 'cdktf.json'), 'utf8'));
      expect(cdktf.app).toBe(`node ${relative(dir, BIN)} synth --app lab.ts`);
      expect(cdktf.output).toBe('synth-out');
      const check = await cli(['check', '--app', 'mylab/lab.ts'], work);
      expect(check.stderr).not.toMatch(/warning|error/); // a progress line at most (type-checking ...: 2.1 s)
      expect(check.code).toBe(0);
      const synth = await cli(['synth', '--app', 'mylab/lab.ts', '--out', 'mylab/synth-out'], work);
      expect(synth.code).toBe(0);
      // The starter lab synthesizes without a warning (a progress line with its time may appear when a step takes over a second).
      expect(synth.stderr).not.toMatch(/warning|error/i);
      expect(existsSync(join(dir, 'synth-out', 'ansible', 'inventory', 'host_vars', 'sonarr.yml'))).toBe(true);
      const again = await cli(['init', dir], work);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('mylab/lab.ts and mylab/cdktf.json already exist — init never overwrites');
    });

    it.each(readdirSync(join(REPO, 'examples')).filter((f) => f.endsWith('.ts')))('examples/%s synthesizes through the bin', async (file) => {
      const dest = mkdtempSync(join(tmpdir(), 'homelab-cdk-example-'));
      try {
        const r = await cli(['synth', '--app', join(REPO, 'examples', file), '--out', join(dest, 'out')], REPO, { HOMELAB_CDK_LAUNCH_TRACE: '1' });
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/^out: wrote \d+ files|wrote \d+ files/);
        // placement.json only where services are placed automatically (the cluster example)
        const placed = file === 'cluster-lab.ts' ? ['placement.json'] : [];
        expect(readdirSync(join(dest, 'out')).sort()).toEqual(['.generated-files', 'ansible', 'docs', 'manifest.json', ...placed, 'stacks', 'terraform.tfvars.example']);
        // examples/ is part of the build: the CLI and the lab ran precompiled, and wrote what tsx writes.
        expect(r.stderr).toMatch(/^launch: precompiled\n/);
        const viaTsx = await cli(['synth', '--app', join(REPO, 'examples', file), '--out', join(dest, 'tsx')], REPO, { HOMELAB_CDK_LAUNCH_TRACE: '1', HOMELAB_CDK_PRECOMPILED: '0' });
        expect(viaTsx.stderr).toMatch(/^launch: tsx\n/);
        const strip = (tree: Map<string, string>) => new Map([...tree].map(([p, c]) => [p, c.replace(/\.state\/(out|tsx)\//g, '.state/X/')]));
        expect(strip(readTree(join(dest, 'tsx')))).toEqual(strip(readTree(join(dest, 'out'))));
      } finally {
        rmSync(dest, { recursive: true, force: true });
      }
    });
  });

  describe('under cdktf synth', () => {
    const { TF_CLI_CONFIG_FILE: _tfrc, NO_COLOR: _nc, ...base } = process.env;
    // What cdktf sets for its app, and the variable that keeps cdktf and terraform from calling HashiCorp's checkpoint service.
    const cdktfEnv = (outdir: string) => ({ ...base, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: '1' });

    it('the app writes progress and warnings to stdout (cdktf shows stderr as [ERROR]) and an error in one write to stderr', async () => {
      const app = writeApp(work, 'self.ts', `import { runSynth } from '@repo/integrations/synth';
import build from '@repo/examples/small-lab';
runSynth(build);
`);
      const dest = join(work, 'cdktf-out');
      const ok = await run(process.execPath, ['--import', 'tsx', app], REPO, cdktfEnv(dest));
      expect(ok.code).toBe(0);
      expect(ok.stderr).toBe('');
      expect(ok.stdout).toMatch(/^synth: \d+ constructs validated\nsynth: wrote \d+ files to /);
      expect(ok.stdout).toContain('warning: [homelab:unreachable-port]');
      const bad = writeApp(work, 'self-bad.ts', `import { runSynth } from '@repo/integrations/synth';
import { Homelab } from '@repo/constructs/homelab';
runSynth((app) => { new Homelab(app, 'homelab', { domain: 'Home.example.org' }); });
`);
      const before = snapshot(dest);
      const err = await run(process.execPath, ['--import', 'tsx', bad], REPO, cdktfEnv(dest));
      expect(err.code).toBe(1);
      expect(err.stdout).toBe('');
      expect(err.stderr.match(/^error:/gm)).toHaveLength(1);
      expect(err.stderr).toContain('[homelab] domain must be a lowercase DNS name');
      expect(snapshot(dest)).toEqual(before);
      rmSync(dest, { recursive: true, force: true });
      rmSync(app);
      rmSync(bad);
    });

    it('npm run synth -- --help (main.ts with an option) refuses it with exit code 2 and writes nothing', async () => {
      const dest = join(work, 'npm-synth-out');
      // Through the launcher npm run synth uses (precompiled), and straight through tsx.
      for (const args of [['bin/run.cjs', 'main.ts', '--help'], ['--import', 'tsx', 'main.ts', '--help']]) {
        const r = await run(process.execPath, args, REPO, { ...base, CDKTF_OUTDIR: dest });
        expect(r.code).toBe(2);
        expect(r.stderr).toContain("error: this entry point takes no options, got '--help' — nothing was written. For options run npx homelab-cdk synth --help");
        expect(existsSync(dest)).toBe(false);
      }
    });

    it('cdktf synth in a folder made by init writes the lab, with none of our lines labelled [ERROR]', async () => {
      const dir = join(work, 'cdktf-lab');
      expect((await cli(['init', dir], work)).code).toBe(0);
      const r = await run(join(REPO, 'node_modules', '.bin', 'cdktf'), ['synth'], dir, { ...base, CHECKPOINT_DISABLE: '1', CI: '1' });
      expect(r.code).toBe(0);
      const all = `${r.stdout}\n${r.stderr}`;
      expect(all).not.toMatch(/\[ERROR\][^\n]*(synth|warning|wrote)/);
      expect(existsSync(join(dir, 'synth-out', 'stacks', 'media', 'cdk.tf.json'))).toBe(true);
      expect(existsSync(join(dir, 'synth-out', 'ansible', 'site.yml'))).toBe(true);

      // A model error: our app writes it once, in one chunk, and the output stays as it was.
      // cdktf 0.21 itself shows that chunk twice — live as an [ERROR] log line and again in its
      // closing "Command output on stderr" — and nothing else of ours is labelled [ERROR].
      const lab = join(dir, 'lab.ts');
      writeFileSync(lab, readFileSync(lab, 'utf8').replace("domain: 'home.example.org'", "domain: 'Home.example.org'"));
      const before = snapshot(join(dir, 'synth-out'));
      const bad = await run(join(REPO, 'node_modules', '.bin', 'cdktf'), ['synth'], dir, { ...base, CHECKPOINT_DISABLE: '1', CI: '1' });
      expect(bad.code).not.toBe(0);
      const both = `${bad.stdout}\n${bad.stderr}`;
      const problem = '[homelab] domain must be a lowercase DNS name';
      expect(both.split(problem)).toHaveLength(3);
      expect(bad.stdout).toMatch(/\[ERROR\] default - [^\n]*error: 1 problem in the model \(nothing was written\):\n {2}\[homelab\] domain must be/);
      expect(bad.stderr).toMatch(/Command output on stderr:\n\n(\S*\s*)?error: 1 problem in the model \(nothing was written\):\n {6}\[homelab\] domain must be/);
      expect(both).not.toMatch(/\[ERROR\][^\n]*(synth:|warning:|wrote)/);
      expect(both).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
      expect(snapshot(join(dir, 'synth-out'))).toEqual(before);
    }, 180_000);
  });
});
