import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Construct, IConstruct } from 'constructs';
import { App } from '../../lib/cdktf';
import { invokeLabAspects, LabAspects } from '../../lib/aspects';
import { addCheck, asModelError, fail, formatProblem, ModelError, runChecks } from '../../lib/problems';
import { EXIT_INTERNAL_ERROR, formatInternalError } from '../../lib/internal-error';
import { LAB_PLUGINS } from '../../integrations/plugins';
import { ComposeService, DockerHost, EnvValue, Healthcheck, Image, Lab, LxcContainer, Network, Port } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { main } from '../../bin/cli';
import { problemsOf } from '../support/lab';

// Issue 12, item 3: one error path. User mistakes are collected as `[path] message — fix`, all of
// them in one run; checks neither throw nor change the tree; anything else is an internal error.

const REPO = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'homelab-cdk-error-path-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('one synth reports every independent mistake', () => {
  it('mistakes in ten places — lab, containers, services, a network, a plugin option, a check and an aspect — all in one run', () => {
    const problems = problemsOf((app: App) => {
      const lab = buildSmallLab(app, { withSecurity: false, firewall: { datacenterFirewall: 'yes' as never } });
      const media = lab.stacks.find((s) => s.stackName === 'media')!;
      const [node, lan] = [lab.nodes[0]!, lab.networks[0]!];
      // 1. a container on the Proxmox node's address (the container's check)
      new LxcContainer(media, 'radarr', { node, network: lan, ipAddress: '10.10.0.2' });
      // 2. and 3. a service's health path and an undefined environment value (the service's checks)
      const host = new DockerHost(media, 'tools', { node, network: lan });
      new ComposeService(host, 'web', { image: Image.of('nginx', '1.29.3'), healthcheck: Healthcheck.http(Port.tcp(80), 'health') });
      new ComposeService(host, 'api', { image: Image.of('nginx', '1.29.3'), environment: { TOKEN: EnvValue.of(undefined as never) } });
      // 4. a user check that throws through fail()
      addCheck(host, () => fail(host, 'a custom rule failed', 'fix the custom rule'));
      // 5. a user check that creates a construct while validation runs
      addCheck(lab, () => {
        new Construct(lab, 'late');
        return [];
      });
      // 6. an aspect that fails with a user error
      LabAspects.of(lab).add({ visit: (c: IConstruct) => { if (c === lab) fail(lab.infra, 'an aspect found a mistake', 'fix what the aspect reports'); } }, 'check');
      // 7. firewall.datacenterFirewall: 'yes' (the firewall plugin's option, collected when it attaches)
      // 8.-10. props of a wrong type from plain JavaScript, in three constructs: collected, the construct goes on with its defaults
      new LxcContainer(media, 'sabnzbd', { node, network: lan, tags: 42, description: ['a'] } as never);
      new DockerHost(media, 'files', { node, network: lan, projectDir: 7 } as never);
      new Network(lab.infra, 'dmz', { bridge: 'vmbr1', cidr: '10.20.0.0/24', dnsServers: '10.20.0.1' } as never);
    });
    expect(problems).toEqual(expect.arrayContaining([
      "[homelab/media/radarr] IP 10.10.0.2 is the address of Proxmox node homelab/infra/pve — pick another address (or leave ipAddress out to have one planned); the node's management address belongs to the host",
      "[homelab/media/tools/web] healthcheck path \"health\" must start with '/' (a URL path without spaces or quotes) — write it like '/health'",
      '[homelab/media/tools/api] environment variable TOKEN is undefined, not a value — give TOKEN a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out',
      '[homelab/media/tools] a custom rule failed — fix the custom rule',
      "[homelab] a construct was created here while the model was being validated (checks only report; the tree is locked while they run) — create constructs in the lab builder or in a 'mutate' aspect (LabAspects.of(lab).add(aspect, 'mutate')), and return problems from checks",
      '[homelab/infra] an aspect found a mistake — fix what the aspect reports',
      '[homelab] firewall.datacenterFirewall must be true or false, got "yes" — leave it out to manage the datacenter firewall (guest firewalls need it)',
      '[homelab/media/sabnzbd] container tags must be a list of strings, got 42; description must be a string, got ["a"] — give each the type the container documents, or leave them out for the defaults (homelab-cdk check type-checks the lab file)',
      "[homelab/media/files] DockerHost projectDir must be an absolute path like '/opt/app', got 7 — give it the type the DockerHost documents, or leave it out for the default (homelab-cdk check type-checks the lab file)",
      '[homelab/infra/dmz] Network dnsServers must be a list of strings, got "10.20.0.1" — give it the type the Network documents, or leave it out for the default (homelab-cdk check type-checks the lab file)',
    ]));
    expect(problems).toHaveLength(10);
  });

  it('an error of the constructs library raised by a hook names its path: context set after children were added', () => {
    const e = asModelError(new App(), new Error('Cannot set context after children have been added: homelab'));
    expect(e).toBeInstanceOf(ModelError);
    expect(formatProblem((e as ModelError).problem)).toBe('[/] context was set after the children homelab were added — set context on the App before creating any construct (new App({ context }) or app.node.setContext first)');
    const root = new App();
    new Construct(root, 'lab');
    expect(() => root.node.findChild('lba')).toThrow();
    let thrown: unknown;
    try {
      root.node.findChild('lba');
    } catch (err) {
      thrown = asModelError(root, err);
    }
    expect((thrown as ModelError).problem.message).toBe("node.findChild('lba') found no child with that id");
  });
});

/** Everything a check could change: paths, node count, metadata, validations and key props of the containers. */
function treeState(root: IConstruct): string {
  return JSON.stringify(root.node.findAll().map((c) => {
    const lxc = c instanceof LxcContainer ? { ip: c.ipAddress, vmId: c.vmId, host: c.hostname, mem: c.memoryMiB, ports: [...c.listeningPorts.keys()], uis: c.webUis.length } : {};
    return { path: c.node.path, metadata: c.node.metadata.map((m) => [m.type, m.data]), children: c.node.children.length, ...lxc };
  }));
}

describe('checks neither throw nor change the tree', () => {
  it.each([
    ['the reference homelab', (app: App) => { new Homelab(app, 'homelab'); }],
    // Warnings that checks find (dangling routes and scrape targets) must not be recorded in the tree.
    ['a homelab without SWAG and Prometheus (warnings from checks)', (app: App) => { new Homelab(app, 'homelab', { security: { overrides: { swag: { enabled: false } } }, monitoring: { overrides: { prometheus: { enabled: false } } } }); }],
    ['the small lab with a mistake', (app: App) => { const lab = buildSmallLab(app); new Lab(app, 'other', { domain: 'x.example.org', proxmox: { endpoint: 'https://pve:8006/' }, sshPublicKeys: [], timezone: 'Mars/Base' }); void lab; }],
  ])('%s: the same tree and the same report before and after validation, run twice', (_name, build) => {
    const app = new App({ outdir: join(work, 'out'), skipValidation: true });
    build(app);
    for (const p of LAB_PLUGINS) p.attach?.(app);
    expect(invokeLabAspects(app)).toEqual([]);
    const before = treeState(app);
    const nodes = app.node.findAll().length;
    const first = runChecks(app);
    expect(treeState(app)).toBe(before);
    const second = runChecks(app);
    expect(treeState(app)).toBe(before);
    expect(app.node.findAll()).toHaveLength(nodes);
    expect(second).toEqual(first);
    // After the checks the tree is open again: rendering adds the Terraform resources.
    expect(app.node.locked).toBe(false);
  });

  it('the warnings checks return are reported once, however often validation runs', () => {
    const app = new App({ outdir: join(work, 'out2'), skipValidation: true });
    new Homelab(app, 'homelab', { security: { overrides: { swag: { enabled: false } } } });
    for (const p of LAB_PLUGINS) p.attach?.(app);
    invokeLabAspects(app);
    const ids = () => runChecks(app).warnings.map((w) => w.id);
    expect(ids()).toContain('homelab:dangling-routes');
    expect(ids().filter((id) => id === 'homelab:dangling-routes')).toHaveLength(1);
  });
});

/** Runs the CLI in this process with captured streams. */
async function cliRun(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, env });
  return { code, stdout, stderr };
}

describe('an internal error says so, with the stack trace only when asked', () => {
  // A builder that fails the way a bug of ours would: not a ModelError, thrown below the lab file's
  // own code (here in a helper module standing in for the library). A .js app: required as it is.
  const helper = join(work, 'library-stand-in.js');
  writeFileSync(helper, 'exports.render = function render(model) { return model.containers; };\n');
  const app = join(work, 'buggy.js');
  writeFileSync(app, `exports.default = function build() { return require(${JSON.stringify(helper)}).render(undefined); };\n`);

  it.each(['check', 'list', 'graph'])('homelab-cdk %s: exit 70, the one-line message, where to report, no stack trace', async (command) => {
    const args = command === 'check' ? ['check', '--skip-types'] : [command];
    const r = await cliRun([...args, '--app', app]);
    expect(r.code).toBe(EXIT_INTERNAL_ERROR);
    expect(r.stderr).toContain("error: internal error — please report: TypeError: Cannot read properties of undefined (reading 'containers')");
    expect(r.stderr).toContain("Report it to homelab-cdk's issue tracker with the command you ran and this message.");
    expect(r.stderr).toContain('Run again with --verbose for the stack trace.');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it('--verbose prints the stack trace, and so does HOMELAB_CDK_VERBOSE=1', async () => {
    for (const [args, env] of [[['check', '--skip-types', '--verbose', '--app', app], {}], [['check', '--skip-types', '--app', app], { HOMELAB_CDK_VERBOSE: '1' }]] as const) {
      const r = await cliRun([...args], env);
      expect(r.code).toBe(EXIT_INTERNAL_ERROR);
      expect(r.stderr).toContain('internal error — please report: TypeError');
      expect(r.stderr).toMatch(/^\s+at (Object\.)?render .*library-stand-in\.js/m);
    }
  });

  it('a user error stays a user error (exit 1, no "internal error"), and a valid lab passes with --verbose (the bin, as npx runs it)', () => {
    // Spawned: a .ts lab needs the bin's tsx hook, and in this process it would load a second copy of the classes.
    const bad = join(work, 'bad.ts');
    writeFileSync(bad, `import { Lab } from ${JSON.stringify(join(REPO, 'constructs', 'core'))};\nexport default function build(app: any) { new Lab(app, 'homelab', { domain: 'Home.example.org', proxmox: { endpoint: 'https://pve:8006/' }, sshPublicKeys: ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHomelabCdkExampleKeyReplaceMe x'] }); }\n`);
    const good = join(work, 'good.ts');
    writeFileSync(good, `import { buildSmallLab } from ${JSON.stringify(join(REPO, 'examples', 'small-lab'))};\nexport default function build(app: any) { buildSmallLab(app); }\n`);
    const bin = (file: string) => spawnSync(process.execPath, [join(REPO, 'bin', 'homelab-cdk.cjs'), 'check', '--skip-types', '--verbose', '--app', file], { cwd: work, env: { ...process.env, CDKTF_OUTDIR: '' }, encoding: 'utf8' });
    const r = bin(bad);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).toContain("[homelab] domain must be a lowercase DNS name like 'home.example.org'");
    expect(r.status).toBe(1);
    const ok = bin(good);
    expect(ok.stderr).not.toMatch(/error/);
    expect(ok.stdout).toContain('ok:');
    expect(ok.status).toBe(0);
  });

  it("an exception of the lab file's own code is the user's: exit 1, naming the line, the stack with --verbose", async () => {
    const lab = join(work, 'typo.js');
    writeFileSync(lab, 'exports.default = function build(app) {\n  const model = undefined;\n  return model.containers;\n};\n');
    const r = await cliRun(['check', '--skip-types', '--app', lab]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: your lab file threw TypeError: Cannot read properties of undefined (reading 'containers') (at ${lab}:3:16) — fix the lab file there; run with --verbose for the stack trace\n`);
    const v = await cliRun(['list', '--verbose', '--app', lab]);
    expect(v.code).toBe(1);
    expect(v.stderr).not.toContain('internal error');
    expect(v.stderr).toMatch(/^\s+at build .*typo\.js:3:16/m);
  });

  it('every command documents --verbose and the exit codes', async () => {
    for (const command of ['synth', 'check', 'list', 'graph', 'diff', 'init']) {
      const r = await cliRun([command, '--help']);
      expect(r.stdout, command).toContain('--verbose');
      expect(r.stdout, command).toContain('70 an internal error');
    }
  });

  it('npm run synth / cdktf synth (runSynth): the same message, the stack trace with HOMELAB_CDK_VERBOSE=1, nothing written', () => {
    const script = join(work, 'synth-main.ts');
    writeFileSync(script, `import { runSynth } from ${JSON.stringify(join(REPO, 'integrations', 'synth.ts'))};\nrunSynth(() => { throw new RangeError('a bug of ours'); });\n`);
    const outdir = join(work, 'never');
    const run = (env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO, env: { ...process.env, CDKTF_OUTDIR: outdir, ...env }, encoding: 'utf8' });
    const quiet = run({ HOMELAB_CDK_VERBOSE: '' });
    expect(quiet.status).toBe(EXIT_INTERNAL_ERROR);
    expect(quiet.stderr).toContain('internal error — please report: RangeError: a bug of ours');
    expect(quiet.stderr).toContain('Run again with HOMELAB_CDK_VERBOSE=1 for the stack trace.');
    expect(quiet.stderr).not.toMatch(/^\s+at /m);
    const verbose = run({ HOMELAB_CDK_VERBOSE: '1' });
    expect(verbose.status).toBe(EXIT_INTERNAL_ERROR);
    expect(verbose.stderr).toMatch(/^\s+at .*synth-main\.ts/m);
    expect(spawnSync('ls', [outdir]).status).not.toBe(0);
  });

  it('formats a thrown non-Error value too', () => {
    expect(formatInternalError('plain string', { verbose: false, how: '--verbose' }).split('\n')[0]).toBe('internal error — please report: plain string');
    expect(formatInternalError({ code: 7 }, { verbose: true, how: '--verbose' }).split('\n')).toEqual([
      'internal error — please report: {"code":7}',
      "This is a bug in homelab-cdk, not a mistake in your lab. Report it to homelab-cdk's issue tracker with the command you ran and this message.",
      '{"code":7}',
    ]);
  });
});
