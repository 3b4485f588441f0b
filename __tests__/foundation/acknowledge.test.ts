import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { App } from '../../lib/cdktf';
import { formatWarning, SynthError } from '../../lib/problems';
import { prepare, synthesize } from '../../integrations/synth';
import { acknowledgeWarning, Annotations, Lab, STALE_ACKNOWLEDGEMENT } from '../../constructs/core';
import { Homelab } from '../../constructs/homelab';
import { buildSmallLab } from '../../examples/small-lab';
import { problemsOf } from '../support/lab';

// Issue 12, item 7: warnings acknowledged by id for a construct and its children, with a reason, in
// the style of aws-cdk's Annotations.of(scope).acknowledgeWarning(id, message).

const REPO = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'homelab-cdk-ack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The small lab's warnings: homelab:backups-on-root-disk (recorded while building) on infra/nightly,
 * homelab:unreachable-port (returned by the firewall's checks) on media/sonarr, media/prowlarr and security/vaultwarden. */
function report(ack: (lab: Lab) => void) {
  const app = new App({ outdir: join(work, 'out'), skipValidation: true });
  const lab = buildSmallLab(app);
  ack(lab);
  return prepare(app);
}
const short = (ws: readonly { id: string; path: string }[]) => ws.map((w) => `${w.id} ${w.path}`);
const stack = (lab: Lab, name: string) => lab.stacks.find((s) => s.stackName === name)!;

describe('acknowledgeWarning', () => {
  it('without acknowledgements every warning is printed', () => {
    const r = report(() => undefined);
    expect(short(r.warnings)).toEqual([
      'homelab:backups-on-root-disk homelab/infra/nightly',
      'homelab:unreachable-port homelab/media/sonarr',
      'homelab:unreachable-port homelab/media/prowlarr',
      'homelab:unreachable-port homelab/security/vaultwarden',
    ]);
    expect(r.acknowledged).toEqual([]);
  });

  it('acknowledges the id on the construct and everything below it, and nothing outside it', () => {
    const r = report((lab) => acknowledgeWarning(stack(lab, 'media'), 'homelab:unreachable-port', '  the media UIs are reached through the VPN only  '));
    expect(short(r.warnings)).toEqual(['homelab:backups-on-root-disk homelab/infra/nightly', 'homelab:unreachable-port homelab/security/vaultwarden']);
    expect(r.acknowledged.map((a) => [a.id, a.path, a.reason, a.acknowledgedAt])).toEqual([
      ['homelab:unreachable-port', 'homelab/media/sonarr', 'the media UIs are reached through the VPN only', 'homelab/media'],
      ['homelab:unreachable-port', 'homelab/media/prowlarr', 'the media UIs are reached through the VPN only', 'homelab/media'],
    ]);
  });

  it('acknowledges only that id: other warnings of the same construct stay', () => {
    const r = report((lab) => Annotations.of(lab).acknowledgeWarning('homelab:backups-on-root-disk', 'a USB disk is mounted on /var/lib/vz'));
    expect(short(r.warnings)).toEqual(['homelab:unreachable-port homelab/media/sonarr', 'homelab:unreachable-port homelab/media/prowlarr', 'homelab:unreachable-port homelab/security/vaultwarden']);
    expect(short(r.acknowledged)).toEqual(['homelab:backups-on-root-disk homelab/infra/nightly']);
  });

  it('the innermost acknowledgement gives the reason when two cover one warning', () => {
    const r = report((lab) => {
      acknowledgeWarning(lab, 'homelab:unreachable-port', 'lab-wide reason');
      acknowledgeWarning(stack(lab, 'media').node.findChild('sonarr'), 'homelab:unreachable-port', 'sonarr reason');
    });
    expect(r.acknowledged.map((a) => `${a.path}: ${a.reason}`)).toEqual([
      'homelab/media/sonarr: sonarr reason',
      'homelab/media/prowlarr: lab-wide reason',
      'homelab/security/vaultwarden: lab-wide reason',
    ]);
    expect(short(r.warnings)).toEqual(['homelab:backups-on-root-disk homelab/infra/nightly']);
  });

  it(`an acknowledgement that matches nothing is itself a warning, ${STALE_ACKNOWLEDGEMENT}`, () => {
    const r = report((lab) => {
      acknowledgeWarning(stack(lab, 'media'), 'homelab:privileged', 'Plex needs the GPU');
      // Right id, wrong place: the backup job is in infra, not in the security stack.
      acknowledgeWarning(stack(lab, 'security'), 'homelab:backups-on-root-disk', 'wrong scope');
    });
    expect(r.warnings.filter((w) => w.id === STALE_ACKNOWLEDGEMENT).map(formatWarning)).toEqual([
      '[homelab:stale-acknowledgement] [homelab/media] the acknowledgement of homelab:privileged ("Plex needs the GPU") matches no homelab:privileged warning here or below — remove it; the warning no longer fires',
      '[homelab:stale-acknowledgement] [homelab/security] the acknowledgement of homelab:backups-on-root-disk ("wrong scope") matches no homelab:backups-on-root-disk warning here or below — remove it; the warning no longer fires',
    ]);
    expect(short(r.warnings)).toContain('homelab:backups-on-root-disk homelab/infra/nightly');
  });

  it('acknowledges warnings that checks return too (dangling references of a Homelab without SWAG)', () => {
    const build = (ack: boolean) => {
      const app = new App({ outdir: join(work, 'out2'), skipValidation: true });
      const lab = new Homelab(app, 'homelab', { security: { overrides: { swag: { enabled: false } } } });
      if (ack) acknowledgeWarning(lab, 'homelab:dangling-routes', 'a reverse proxy outside the lab routes these');
      return prepare(app);
    };
    expect(short(build(false).warnings)).toContain('homelab:dangling-routes homelab');
    const after = build(true);
    expect(short(after.warnings)).not.toContain('homelab:dangling-routes homelab');
    expect(short(after.acknowledged)).toEqual(['homelab:dangling-routes homelab']);
  });

  it.each([
    ['an empty reason', '', "[homelab/media] acknowledgeWarning('homelab:unreachable-port') has no reason — say why homelab:unreachable-port is acceptable here, e.g. acknowledgeWarning(scope, 'homelab:unreachable-port', 'the NAS needs the bind mount')"],
    ['a blank reason', '   ', "[homelab/media] acknowledgeWarning('homelab:unreachable-port') has no reason — say why homelab:unreachable-port is acceptable here, e.g. acknowledgeWarning(scope, 'homelab:unreachable-port', 'the NAS needs the bind mount')"],
    ['no reason from plain JavaScript', undefined, "[homelab/media] acknowledgeWarning('homelab:unreachable-port') has no reason — say why homelab:unreachable-port is acceptable here, e.g. acknowledgeWarning(scope, 'homelab:unreachable-port', 'the NAS needs the bind mount')"],
    ['a reason that is no string', 42, "[homelab/media] acknowledgeWarning('homelab:unreachable-port') has no reason — say why homelab:unreachable-port is acceptable here, e.g. acknowledgeWarning(scope, 'homelab:unreachable-port', 'the NAS needs the bind mount')"],
  ])('refuses %s, and does not acknowledge', (_name, reason, expected) => {
    expect(problemsOf((app) => {
      const lab = buildSmallLab(app);
      acknowledgeWarning(stack(lab, 'media'), 'homelab:unreachable-port', reason as string);
    })).toEqual([expected]);
  });

  it.each([['', '""'], ['privileged', '"privileged"'], ['[homelab:privileged]', '"[homelab:privileged]"'], [undefined, 'null']])('refuses the id %j', (id, shown) => {
    expect(problemsOf((app) => {
      const lab = buildSmallLab(app);
      acknowledgeWarning(lab, id as string, 'a reason');
    })).toEqual([`[homelab] acknowledgeWarning: ${shown} is not a warning id — give the id printed in brackets before the warning, e.g. acknowledgeWarning(scope, 'homelab:privileged', 'why it is fine')`]);
  });
});

describe('--strict with acknowledged warnings', () => {
  const strict = (ack: (lab: Lab) => void) => {
    const outdir = join(mkdtempSync(join(work, 'strict-')), 'synth-out');
    return synthesize((app) => ack(buildSmallLab(app)), { outdir, strict: true });
  };
  const ackAll = (lab: Lab) => {
    acknowledgeWarning(lab, 'homelab:unreachable-port', 'reached over the VPN');
    acknowledgeWarning(lab.infra, 'homelab:backups-on-root-disk', 'a USB disk is mounted on /var/lib/vz');
  };

  it('fails on the warnings left, naming each', () => {
    let thrown: unknown;
    try {
      strict((lab) => acknowledgeWarning(lab, 'homelab:unreachable-port', 'reached over the VPN'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SynthError);
    expect((thrown as SynthError).problems.map((p) => p.path)).toEqual(['homelab/infra/nightly']);
  });

  it('passes when every warning is acknowledged, and returns them as acknowledged', () => {
    const result = strict(ackAll);
    expect(result.warnings).toEqual([]);
    expect(result.acknowledged).toHaveLength(4);
  });

  it('fails on a stale acknowledgement', () => {
    expect(() => strict((lab) => {
      ackAll(lab);
      acknowledgeWarning(lab, 'homelab:privileged', 'no longer true');
    })).toThrow('[homelab] the acknowledgement of homelab:privileged ("no longer true") matches no homelab:privileged warning here or below — remove it; the warning no longer fires (warning homelab:stale-acknowledgement)');
  });

  it('homelab-cdk check --strict: exit 0, the acknowledged ones counted in a summary line, not printed as warnings', () => {
    const app = join(work, 'acked.ts');
    writeFileSync(app, `import { acknowledgeWarning } from ${JSON.stringify(join(REPO, 'constructs', 'core'))};
import { buildSmallLab } from ${JSON.stringify(join(REPO, 'examples', 'small-lab'))};
export default function build(app: any) {
  const lab = buildSmallLab(app);
  acknowledgeWarning(lab, 'homelab:unreachable-port', 'reached over the VPN');
  acknowledgeWarning(lab.infra, 'homelab:backups-on-root-disk', 'a USB disk is mounted on /var/lib/vz');
}
`);
    const r = spawnSync(process.execPath, [join(REPO, 'bin', 'homelab-cdk.cjs'), 'check', '--skip-types', '--strict', '--app', app], { cwd: work, env: { ...process.env, CDKTF_OUTDIR: '' }, encoding: 'utf8' });
    expect(r.stderr).not.toContain('warning:');
    expect(r.stderr).toContain('4 warnings acknowledged (homelab:backups-on-root-disk ×1, homelab:unreachable-port ×3)');
    expect(r.stdout).toContain('validates (4 acknowledged)');
    expect(r.status).toBe(0);
  });
});
