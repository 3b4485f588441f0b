import type { Play } from './project';

/** One stack's playbook: its name is also the inventory group of its containers. */
export interface StackPlays {
  readonly stack: string;
  readonly plays: readonly Play[];
}

/**
 * Merges the stacks' playbooks into one lab-wide play list for site.yml.
 *
 * Why: run one stack after the other and at most one stack's hosts work at once. The twin measured
 * the reference lab's first converge at 1,820 s that way, because the controller then waits on the
 * slowest host of each small play in turn. A play that every stack runs in the same form (the base
 * system, Docker and the compose project, the monitoring agents) becomes one play over all stacks,
 * so all containers install their packages at the same time.
 *
 * Order is kept: each stack's plays stay in their order (a kill switch before the workloads, the
 * monitoring config before its compose project), so the result is a topological order of the
 * stacks' sequences, and among the plays that are ready the one declared first goes first.
 * Plays specific to one stack or host (`tasks`, `vars`, `handlers`, a hostname) are never merged.
 *
 * Returns undefined when two stacks order their common plays differently (a cycle); site.yml then
 * imports the stack playbooks one after the other, as before.
 */
export function mergeStackPlays(stacks: readonly StackPlays[]): Play[] | undefined {
  interface Node { readonly key: string; readonly order: number; readonly members: { stack: string; play: Play; suffix: string }[] }
  const nodes = new Map<string, Node>();
  const edges = new Map<string, Set<string>>();
  const indegree = new Map<string, number>();
  let order = 0;
  let unique = 0;

  for (const { stack, plays } of stacks) {
    let previous: string | undefined;
    for (const play of plays) {
      const suffix = stackPatternSuffix(play, stack);
      const key = suffix === undefined ? `#${unique++}` : JSON.stringify([play.roles, suffix]);
      let node = nodes.get(key);
      if (!node) {
        node = { key, order: order++, members: [] };
        nodes.set(key, node);
        edges.set(key, new Set());
        indegree.set(key, 0);
      }
      node.members.push({ stack, play, suffix: suffix ?? '' });
      if (previous !== undefined && previous !== key && !edges.get(previous)!.has(key)) {
        edges.get(previous)!.add(key);
        indegree.set(key, indegree.get(key)! + 1);
      }
      previous = key;
    }
  }

  const ready = [...nodes.values()].filter((n) => indegree.get(n.key) === 0);
  const out: Play[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => a.order - b.order);
    const node = ready.shift()!;
    out.push(mergedPlay(node.members));
    for (const next of edges.get(node.key)!) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(nodes.get(next)!);
    }
  }
  return out.length === nodes.size ? out : undefined;
}

/**
 * For a play that only applies roles to its own stack's group (optionally narrowed, e.g.
 * `media:&docker_hosts`), the narrowing part (`:&docker_hosts`); otherwise undefined.
 */
function stackPatternSuffix(play: Play, stack: string): string | undefined {
  const keys = Object.keys(play).filter((k) => k !== 'name' && k !== 'hosts' && k !== 'roles');
  if (keys.length > 0 || !Array.isArray(play.roles) || typeof play.hosts !== 'string') return undefined;
  if (play.hosts === stack) return '';
  if (play.hosts.startsWith(`${stack}:&`) && !play.hosts.slice(stack.length + 2).includes(':')) return play.hosts.slice(stack.length);
  return undefined;
}

function mergedPlay(members: readonly { stack: string; play: Play; suffix: string }[]): Play {
  const first = members[0].play;
  if (members.length === 1) return first;
  const stacks = members.map((m) => m.stack);
  // "… of the media containers" → "… of all containers"; names that do not follow that form list the stacks.
  const needle = `the ${members[0].stack} containers`;
  const name = typeof first.name === 'string' && first.name.includes(needle)
    ? first.name.replace(needle, 'all containers')
    : `${String(first.name)} (stacks ${stacks.join(', ')})`;
  return { name, hosts: `${stacks.join(':')}${members[0].suffix}`, roles: first.roles };
}
