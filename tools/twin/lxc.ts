/**
 * The twin's LXC backend: builds a container the way Proxmox's pve-container does, with Debian's
 * `lxc` inside the twin's network namespace. Proxmox facts it follows:
 * - a container is its VMID (`/var/lib/lxc/<vmid>`), its hostname is written into the guest;
 * - unprivileged containers map container uid/gid 0..65535 to host 100000..165535;
 * - `initialization.user_account.keys` become root's authorized_keys, DNS settings /etc/resolv.conf,
 *   and the hostname goes into /etc/hostname and /etc/hosts (127.0.1.1);
 * - a bind mount whose node path does not exist is refused at create;
 * - `nesting`/`keyctl` are what Docker inside needs (nesting.conf, /proc and /sys writable).
 * What this host cannot do is reported as Skipped, never silently dropped.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodePath, TwinConfig } from './config';
import { exec } from './exec';
import { ContainerSpec, Skipped, TwinBackend } from './spec';

/** Proxmox's unprivileged mapping: container id 0 is host id 100000. */
export const ID_SHIFT = 100000;
const ID_RANGE = 65536;

const TUN = '/dev/net/tun';

export class LxcTwinBackend implements TwinBackend {
  constructor(private readonly config: TwinConfig) {}

  /** Runs an lxc-* tool in the twin's namespace against the twin's lxcpath. */
  private lxc(tool: string, args: readonly string[], allowFailure = false) {
    return exec(this.config.inNetns, [this.config.netns, tool, '-P', this.config.lxcPath, ...args], {
      allowFailure,
      timeoutMs: 120_000,
    });
  }

  private dir(vmId: number): string {
    return path.join(this.config.lxcPath, String(vmId));
  }

  async create(spec: ContainerSpec): Promise<Skipped[]> {
    const dir = this.dir(spec.vmId);
    if (fs.existsSync(path.join(dir, 'config'))) {
      throw new Error(`CT ${spec.vmId} already exists on node (twin: ${dir})`);
    }
    this.checkSpec(spec);
    const skipped: Skipped[] = [];
    const owner = spec.unprivileged ? ID_SHIFT : 0;
    fs.mkdirSync(dir, { recursive: true });
    try {
      for (const d of ['delta', 'work', 'docker', 'volumes']) {
        fs.mkdirSync(path.join(dir, d), { recursive: true });
        fs.chownSync(path.join(dir, d), owner, owner);
      }
      fs.chmodSync(path.join(dir, 'docker'), 0o710);
      await this.seedDocker(dir, owner, spec.hostname);
      this.writeGuestFiles(dir, spec, owner);
      await exec('ssh-keygen', ['-A', '-f', path.join(dir, 'delta')]);
      this.chownTree(path.join(dir, 'delta', 'etc', 'ssh'), owner, (f) => path.basename(f).startsWith('ssh_host_'));
      const lines = this.configLines(spec, dir, owner, skipped);
      fs.writeFileSync(path.join(dir, 'config'), `${lines.join('\n')}\n`);
      if (spec.started) await this.start(spec.vmId);
    } catch (err) {
      // A failed create leaves nothing behind, as a failed `pct create` does.
      await this.destroy(spec.vmId).catch(() => undefined);
      throw err;
    }
    this.record(skipped);
    return skipped;
  }

  async update(prior: ContainerSpec, next: ContainerSpec): Promise<Skipped[]> {
    this.checkSpec(next);
    const dir = this.dir(next.vmId);
    if (!fs.existsSync(path.join(dir, 'config'))) throw new Error(`CT ${next.vmId} does not exist on node (twin: ${dir})`);
    const owner = next.unprivileged ? ID_SHIFT : 0;
    const skipped: Skipped[] = [];
    this.writeGuestFiles(dir, next, owner);
    fs.writeFileSync(path.join(dir, 'config'), `${this.configLines(next, dir, owner, skipped).join('\n')}\n`);
    const running = await this.isRunning(next.vmId);
    // Limits apply live (pct set hot-plugs memory); mounts, devices and network need a restart,
    // which bpg/proxmox does for a running container.
    const needsRestart =
      JSON.stringify([prior.mounts, prior.devices, prior.network, prior.nesting, prior.keyctl]) !==
      JSON.stringify([next.mounts, next.devices, next.network, next.nesting, next.keyctl]);
    if (running && next.started && needsRestart) {
      await this.stop(next.vmId);
      await this.start(next.vmId);
    } else if (running && next.started && next.memoryMiB !== undefined && next.memoryMiB !== prior.memoryMiB) {
      await this.lxc('lxc-cgroup', ['-n', String(next.vmId), 'memory.limit_in_bytes', `${next.memoryMiB}M`], true);
    }
    if (!running && next.started) await this.start(next.vmId);
    if (running && !next.started) await this.stop(next.vmId);
    this.record(skipped);
    return skipped;
  }

  async destroy(vmId: number): Promise<void> {
    const dir = this.dir(vmId);
    if (!fs.existsSync(dir)) return;
    if (await this.isRunning(vmId)) await this.stop(vmId);
    await this.lxc('lxc-destroy', ['-n', String(vmId), '-f'], true);
    fs.rmSync(dir, { recursive: true, force: true });
  }

  async isRunning(vmId: number): Promise<boolean> {
    if (!fs.existsSync(path.join(this.dir(vmId), 'config'))) return false;
    const r = await this.lxc('lxc-info', ['-n', String(vmId), '-s', '-H'], true);
    return r.code === 0 && r.stdout.trim() === 'RUNNING';
  }

  async start(vmId: number): Promise<void> {
    const log = path.join(this.dir(vmId), 'lxc.log');
    const r = await this.lxc('lxc-start', ['-n', String(vmId), '-d', '-o', log, '-l', 'WARN'], true);
    if (r.code !== 0) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n').slice(-15).join('\n') : r.stderr;
      throw new Error(`startup for container '${vmId}' failed:\n${tail}`);
    }
    await this.lxc('lxc-wait', ['-n', String(vmId), '-s', 'RUNNING', '-t', '30']);
  }

  async stop(vmId: number): Promise<void> {
    // A clean shutdown first (systemd stops Docker and its containers), then a kill.
    const r = await this.lxc('lxc-stop', ['-n', String(vmId), '-t', '20'], true);
    if (r.code !== 0 && (await this.isRunning(vmId))) await this.lxc('lxc-stop', ['-n', String(vmId), '-k'], true);
  }

  /** Errors Proxmox itself would raise for this spec on this node. */
  private checkSpec(spec: ContainerSpec): void {
    if (spec.network && !this.config.bridges.includes(spec.network.bridge)) {
      throw new Error(`bridge '${spec.network.bridge}' does not exist on the node (it has ${this.config.bridges.join(', ')})`);
    }
    for (const m of spec.mounts) {
      if (!m.bind) continue;
      const host = nodePath(this.config, m.source);
      if (!fs.existsSync(host) || !fs.statSync(host).isDirectory()) {
        // pve-container: "mount point ... directory '<path>' does not exist" — prepare the node first.
        throw new Error(
          `unable to create CT ${spec.vmId} - mount point '${m.target}': directory '${m.source}' does not exist on the node ` +
            `(run the node preparation, ansible-playbook proxmox.yml, before terraform apply)`,
        );
      }
    }
  }

  private async seedDocker(dir: string, owner: number, hostname: string): Promise<void> {
    const seed = this.config.dockerSeedByHost?.[hostname] ?? this.config.dockerSeed;
    if (!seed || !fs.existsSync(seed)) return;
    // The seed is an image store made inside a container with the same id mapping, so its
    // ownership is already right; cp -a keeps it.
    await exec('cp', ['-a', '--reflink=auto', `${seed}/.`, path.join(dir, 'docker')]);
    fs.chownSync(path.join(dir, 'docker'), owner, owner);
  }

  /** Files pve-container writes into the guest at create, in the overlay's upper layer. */
  private writeGuestFiles(dir: string, spec: ContainerSpec, owner: number): void {
    const delta = path.join(dir, 'delta');
    const lower = spec.unprivileged ? this.config.rootfsShifted : this.config.rootfs;
    const ensureDir = (rel: string) => {
      const parts = rel.split('/').filter(Boolean);
      let cur = '';
      for (const p of parts) {
        cur = cur ? `${cur}/${p}` : p;
        const target = path.join(delta, cur);
        if (fs.existsSync(target)) continue;
        const model = path.join(lower, cur);
        const st = fs.existsSync(model) ? fs.statSync(model) : undefined;
        fs.mkdirSync(target);
        fs.chmodSync(target, st ? st.mode & 0o7777 : 0o755);
        fs.chownSync(target, st ? st.uid : owner, st ? st.gid : owner);
      }
    };
    const write = (rel: string, content: string, mode: number) => {
      ensureDir(path.dirname(rel));
      const f = path.join(delta, rel);
      fs.rmSync(f, { force: true });
      fs.writeFileSync(f, content, { mode });
      fs.chmodSync(f, mode);
      fs.chownSync(f, owner, owner);
    };
    const domain = spec.dns?.domain;
    const fqdn = domain ? `${spec.hostname}.${domain}` : spec.hostname;
    write('etc/hostname', `${spec.hostname}\n`, 0o644);
    write(
      'etc/hosts',
      `127.0.0.1 localhost.localdomain localhost\n127.0.1.1 ${fqdn} ${spec.hostname}\n\n::1 localhost ip6-localhost ip6-loopback\n`,
      0o644,
    );
    const resolv = [
      ...(domain ? [`search ${domain}`] : []),
      ...(spec.dns?.servers ?? []).map((s) => `nameserver ${s}`),
    ];
    write('etc/resolv.conf', `${resolv.join('\n')}\n`, 0o644);
    // ssh-keygen -A writes the host keys here (create); pve-container generates them per container too.
    ensureDir('etc/ssh');
    ensureDir('root');
    ensureDir('root/.ssh');
    fs.chmodSync(path.join(delta, 'root/.ssh'), 0o700);
    write('root/.ssh/authorized_keys', spec.sshKeys.map((k) => `${k}\n`).join(''), 0o600);
  }

  private chownTree(dir: string, owner: number, filter: (f: string) => boolean): void {
    if (!fs.existsSync(dir)) return;
    for (const f of fs.readdirSync(dir)) {
      const p = path.join(dir, f);
      if (filter(p)) fs.chownSync(p, owner, owner);
    }
  }

  private configLines(spec: ContainerSpec, dir: string, owner: number, skipped: Skipped[]): string[] {
    const lower = spec.unprivileged ? this.config.rootfsShifted : this.config.rootfs;
    const lines: string[] = [
      `# CT ${spec.vmId} (${spec.hostname}), written by the homelab-cdk digital twin`,
      `lxc.uts.name = ${spec.hostname}`,
      'lxc.include = /usr/share/lxc/config/debian.common.conf',
    ];
    if (spec.unprivileged) {
      lines.push(
        'lxc.include = /usr/share/lxc/config/debian.userns.conf',
        `lxc.idmap = u 0 ${ID_SHIFT} ${ID_RANGE}`,
        `lxc.idmap = g 0 ${ID_SHIFT} ${ID_RANGE}`,
      );
    }
    if (spec.nesting) lines.push('lxc.include = /usr/share/lxc/config/nesting.conf');
    // This kernel has no AppArmor; Proxmox's nesting profile cannot be loaded, so confine nothing.
    lines.push('lxc.apparmor.profile = unconfined');
    // `force`: without it systemd cannot create its cgroups under a v1 hierarchy (measured).
    lines.push(spec.nesting ? 'lxc.mount.auto = proc:rw sys:rw cgroup:rw:force' : 'lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed');
    lines.push(
      `lxc.rootfs.path = overlay:${lower}:${path.join(dir, 'delta')}`,
      // userxattr: an overlay in a user namespace; without it dpkg fails with "Invalid cross-device link".
      'lxc.rootfs.options = userxattr',
    );
    if (spec.network) {
      const n = spec.network;
      lines.push('lxc.net.0.type = veth', `lxc.net.0.link = ${n.bridge}`, `lxc.net.0.name = ${n.name}`, 'lxc.net.0.flags = up');
      lines.push(`lxc.net.0.veth.pair = veth${spec.vmId}i0`);
      if (n.macAddress) lines.push(`lxc.net.0.hwaddr = ${n.macAddress}`);
      if (n.ipv4Address && n.ipv4Address !== 'dhcp') lines.push(`lxc.net.0.ipv4.address = ${n.ipv4Address} ${broadcast(n.ipv4Address)}`);
      if (n.ipv4Gateway) lines.push(`lxc.net.0.ipv4.gateway = ${n.ipv4Gateway}`);
    } else {
      lines.push('lxc.net.0.type = empty');
    }
    if (spec.memoryMiB !== undefined) {
      lines.push(`lxc.cgroup.memory.limit_in_bytes = ${spec.memoryMiB}M`);
      if (spec.swapMiB !== undefined && fs.existsSync('/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes')) {
        lines.push(`lxc.cgroup.memory.memsw.limit_in_bytes = ${spec.memoryMiB + spec.swapMiB}M`);
      }
    }
    if (spec.cores !== undefined) {
      skipped.push({
        what: `cores=${spec.cores} on CT ${spec.vmId} (${spec.hostname})`,
        why: 'the twin host has cgroup v1, whose cpu controller cannot be delegated to nested containers here; memory limits are applied',
      });
    }
    // Docker's data root on the container's disk: a directory of the twin on ext4, because overlay2
    // cannot stack on the overlay rootfs (Docker would fall back to vfs).
    lines.push(`lxc.mount.entry = ${path.join(dir, 'docker')} var/lib/docker none bind,create=dir 0 0`);
    spec.mounts.forEach((m, i) => {
      let source: string;
      if (m.bind) {
        source = nodePath(this.config, m.source);
      } else {
        source = path.join(dir, 'volumes', `mp${i}`);
        fs.mkdirSync(source, { recursive: true });
        fs.chownSync(source, owner, owner);
      }
      const target = m.target.replace(/^\/+/, '');
      lines.push(`lxc.mount.entry = ${source} ${target} none ${m.readOnly ? 'ro,' : ''}bind,create=dir 0 0`);
    });
    for (const dev of spec.devices) {
      const node = this.deviceNode(dir, dev, owner);
      lines.push(`lxc.cgroup.devices.allow = c ${node.major}:${node.minor} rwm`);
      lines.push(`lxc.mount.entry = ${node.hostPath} ${dev.replace(/^\/+/, '')} none bind,create=file 0 0`);
      if (dev !== TUN) {
        skipped.push({
          what: `device passthrough ${dev} on CT ${spec.vmId} (${spec.hostname})`,
          why: 'no GPU on the twin host: the device node exists (so Docker can map it) but no driver answers it',
        });
      }
    }
    // keyctl: Proxmox's keyctl=1 lets the guest's keyctl() reach the kernel instead of a seccomp ENOSYS;
    // Debian's LXC seccomp profile here does not block it, so it needs no line (measured).
    return lines;
  }

  /** A character device node in the container dir standing in for the node's device. */
  private deviceNode(dir: string, dev: string, owner: number): { hostPath: string; major: number; minor: number } {
    const known: Record<string, [number, number]> = { [TUN]: [10, 200] };
    const dri = /^\/dev\/dri\/(card|renderD)(\d+)$/.exec(dev);
    const [major, minor] = known[dev] ?? (dri ? [226, Number(dri[2])] : [1, 3]);
    const hostPath = path.join(dir, `dev-${dev.replace(/^\/dev\//, '').replace(/\//g, '-')}`);
    if (!fs.existsSync(hostPath)) {
      // Node has no mknod; the tool is part of coreutils.
      fs.mkdirSync(dir, { recursive: true });
      execFileSync('mknod', ['-m', '666', hostPath, 'c', String(major), String(minor)]);
      fs.chownSync(hostPath, owner, owner);
    }
    return { hostPath, major, minor };
  }

  private record(skipped: readonly Skipped[]): void {
    if (skipped.length === 0) return;
    fs.appendFileSync(this.config.skippedLog, skipped.map((s) => `${JSON.stringify(s)}\n`).join(''));
  }
}

/** The broadcast address of a CIDR (LXC otherwise derives a wrong one from the prefix alone). */
export function broadcast(cidr: string): string {
  const [ip, prefix] = cidr.split('/');
  const bits = Number(prefix ?? 32);
  const n = ip!.split('.').reduce((a, o) => (a << 8) + Number(o), 0) >>> 0;
  const host = bits >= 32 ? 0 : (2 ** (32 - bits) - 1);
  const b = (n | host) >>> 0;
  return [24, 16, 8, 0].map((s) => (b >>> s) & 255).join('.');
}
