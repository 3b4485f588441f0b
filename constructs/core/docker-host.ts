import { Construct } from 'constructs';
import { hostFile, type AnsibleProject } from '../../lib/ansible/project';
import { TextFile, YamlFile } from '../../lib/generated-file';
import { addCheck, addWarning, fail } from '../../lib/problems';
import { absolutePath, checkPropTypes } from '../../lib/prop-types';
import type { ComposeService } from './compose-service';
import { COMPOSE_HOST, IComposeHost } from './capabilities';
import { Port } from './port';
import { LxcContainer, LxcContainerProps } from './lxc-container';

export interface DockerHostProps extends Omit<LxcContainerProps, 'nesting' | 'keyctl'> {
  /** Where the compose project lives inside the LXC. @default '/opt/homelab/<hostname>' */
  readonly projectDir?: string;
}

/**
 * An LXC that Ansible turns into a Docker host running one compose project.
 * Docker in an unprivileged LXC needs nesting and keyctl, so both are always on.
 */
/**
 * The smallest memory a Docker host can be installed with: below it dpkg is OOM-killed unpacking
 * containerd and docker.io (xz decompression inside the container's memory limit). Measured by the
 * digital twin: 128 MiB failed ("dpkg-deb: <decompress> subprocess was killed by signal (Killed)"),
 * 256 MiB installed.
 */
export const DOCKER_HOST_MIN_MEMORY_MIB = 256;

/**
 * The memory a Docker host should have at least: what runs besides the app, plus a small app.
 * dockerd + containerd idle take about 85 MB (measured in an LXD container, dani-garcia/vaultwarden#645),
 * plus a containerd-shim per container, node_exporter (~15-20 MiB) and the log agent (Alloy,
 * ~100-150 MiB); the page cache of the app's image and logs comes on top. Below this a synth warns
 * (`homelab:docker-host-memory`); the sizing table in README.md ("Sizing") lists each service's figure and source.
 */
export const DOCKER_HOST_RECOMMENDED_MEMORY_MIB = 512;

export class DockerHost extends LxcContainer implements IComposeHost {
  /** Runs a compose project (the docker roles deploy it; its containers are logged and counted). */
  readonly [COMPOSE_HOST] = true as const;
  readonly projectDir: string;
  private readonly services: ComposeService[] = [];

  constructor(scope: Construct, id: string, props: DockerHostProps) {
    super(scope, id, { ...props, nesting: true, keyctl: true });
    props = checkPropTypes(this, 'DockerHost', props, { projectDir: absolutePath });
    this.projectDir = props.projectDir ?? `/opt/homelab/${this.hostname}`;
    this.addToGroup('docker_hosts');
    this.addTag('docker');
    addCheck(this, () => this.checkServices());
    if (this.memoryMiB >= DOCKER_HOST_MIN_MEMORY_MIB && this.memoryMiB < DOCKER_HOST_RECOMMENDED_MEMORY_MIB) {
      addWarning(this, 'homelab:docker-host-memory', `memory ${this.memoryMiB} MiB is below the ${DOCKER_HOST_RECOMMENDED_MEMORY_MIB} MiB a Docker host needs for dockerd, containerd, node_exporter and the log agent besides its app; expect OOM kills — set memory to Size.mebibytes(${DOCKER_HOST_RECOMMENDED_MEMORY_MIB}) or more`);
    }
    addCheck(this, () =>
      this.memoryMiB < DOCKER_HOST_MIN_MEMORY_MIB
        ? [
            {
              message: `memory ${this.memoryMiB} MiB is too small to install Docker (dpkg is OOM-killed unpacking containerd below ${DOCKER_HOST_MIN_MEMORY_MIB} MiB)`,
              fix: `set memory to Size.mebibytes(${DOCKER_HOST_MIN_MEMORY_MIB}) or more`,
            },
          ]
        : [],
    );
  }

  registerService(service: ComposeService): void {
    this.services.push(service);
  }

  get composeServices(): readonly ComposeService[] {
    return [...this.services];
  }

  /**
   * Declares the URL `service`'s HTTP Healthcheck probes as this container's health endpoint
   * (Blackbox probes it, Glance shows it), at the port the service is published on, and returns it
   * for addWebUi's `healthPath`: the path is written once, in the Healthcheck.
   */
  addHealthEndpointOf(service: ComposeService): { readonly port: number; readonly path: string } {
    const http = service.healthcheck?.httpEndpoint;
    if (!http) fail(this, `compose service '${service.serviceKey}' has no HTTP healthcheck to take the health endpoint from`, "give it healthcheck: Healthcheck.http(Port.tcp(port), '/path'), or call addHealthEndpoint({ port: Port.tcp(…), path }) yourself");
    if (service.networkMode === 'host') return this.addHealthEndpointAt(http.port, http.path);
    const published = service.ports.find((p) => p.port.protocol === 'tcp' && p.port.port === http.port);
    if (!published) fail(this, `compose service '${service.serviceKey}' checks its health on port ${http.port}, which it does not publish`, `add { port: Port.tcp(${http.port}) } to its ports, or call addHealthEndpoint({ port: Port.tcp(…), path }) with the published port`);
    return this.addHealthEndpointAt(published.hostPort?.port ?? http.port, http.path);
  }

  private addHealthEndpointAt(port: number, path: string): { readonly port: number; readonly path: string } {
    this.addHealthEndpoint({ port: Port.tcp(port), path });
    return { port, path };
  }

  /** The compose file as an object (services in declaration order). */
  toCompose(): Record<string, unknown> {
    const services: Record<string, unknown> = {};
    for (const s of this.services) services[s.serviceKey] = s.toCompose();
    return { services };
  }

  contributeAnsible(project: AnsibleProject): void {
    const secretLines = this.services.flatMap((s) => s.secretEnv);
    this.setHostVar('compose_project_name', this.hostname);
    this.setHostVar('compose_project_dir', this.projectDir);
    this.setHostVar('compose_project_env', secretLines.length > 0);
    const dirs = new Map<string, { path: string; owner: number; group: number; mode: string }>();
    for (const d of this.services.flatMap((s) => s.projectDirectories)) {
      if (!dirs.has(d.path)) dirs.set(d.path, { path: d.path, owner: d.uid, group: d.gid, mode: '0750' });
    }
    this.setHostVar('compose_project_directories', [...dirs.values()].sort((a, b) => a.path.localeCompare(b.path)));
    super.contributeAnsible(project);
    project.add(new YamlFile(hostFile(this.hostname, 'compose.yml'), this.toCompose(), { description: `Compose project of ${this.node.path}.` }));
    if (secretLines.length) {
      // A Jinja template: the values are vault variables resolved on the controller at deploy time.
      // Single-quoted so Compose takes them literally (an Argon2 hash is full of '$'); inner quotes escaped.
      const body = secretLines.map((l) => `${l.name}='{{ ${l.variable} | replace("'", "\\\\'") }}'`).join('\n');
      project.add(new TextFile(hostFile(this.hostname, 'env.j2'), `${body}\n`, `Secrets of the ${this.hostname} compose project; rendered by Ansible into .env (0600).`));
    }
  }

  private checkServices(): { message: string; fix: string }[] {
    const out: { message: string; fix: string }[] = [];
    const published = new Map<string, ComposeService>();
    const names = new Map<string, ComposeService>();
    for (const s of this.services) {
      const prevName = names.get(s.containerName);
      if (prevName) out.push({ message: `container name ${s.containerName} is used by both ${prevName.node.id} and ${s.node.id}`, fix: 'give each service its own containerName' });
      names.set(s.containerName, s);
      for (const p of s.ports) {
        const key = `${(p.hostPort ?? p.port).port}/${p.port.protocol}`;
        const prev = published.get(key);
        if (prev) out.push({ message: `port ${key} is published by both ${prev.node.id} and ${s.node.id}`, fix: `publish one of them on another hostPort` });
        else published.set(key, s);
      }
      for (const d of s.dependencies) {
        if (d.host !== this) out.push({ message: `service ${s.node.id} depends on ${d.node.path}, which runs on another container`, fix: 'compose depends_on works within one host; order containers with startupOrder instead' });
      }
    }
    const cycle = this.findCycle();
    if (cycle) out.push({ message: `services depend on each other in a cycle: ${cycle.join(' -> ')}`, fix: 'remove one of the dependsOn links' });
    return out;
  }

  private findCycle(): string[] | undefined {
    const state = new Map<ComposeService, 'visiting' | 'done'>();
    const stack: ComposeService[] = [];
    const visit = (s: ComposeService): string[] | undefined => {
      if (state.get(s) === 'done') return undefined;
      if (state.get(s) === 'visiting') return [...stack.slice(stack.indexOf(s)), s].map((x) => x.node.id);
      state.set(s, 'visiting');
      stack.push(s);
      for (const d of s.dependencies) {
        const c = visit(d);
        if (c) return c;
      }
      stack.pop();
      state.set(s, 'done');
      return undefined;
    };
    for (const s of this.services) {
      const c = visit(s);
      if (c) return c;
    }
    return undefined;
  }
}
