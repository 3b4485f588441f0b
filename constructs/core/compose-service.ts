import { Construct } from 'constructs';
import { addCheck, checkedId, fail, requireProps } from '../../lib/problems';
import { absolutePath, checkPropTypes, either, instanceOf, isObject, listOf, nonEmptyString, oneOf } from '../../lib/prop-types';
import { DockerHost } from './docker-host';
import { EnvInput, EnvValue, toEnvValue } from './env-value';
import { Healthcheck } from './healthcheck';
import { Image } from './image';
import { labOf } from './lab-of';
import { Port } from './port';
import { Volume } from './volume';
import { Size } from './values';

/** A port the service listens on, published on the container host's address. */
export interface ServicePort {
  readonly port: Port;
  /** Port on the LXC's address, of the same protocol as `port`: `Port.tcp(8080)`. @default - same as the container port */
  readonly hostPort?: Port;
  /** What the port is for, shown in generated docs. @default - none */
  readonly description?: string;
}

/** A directory or volume mounted into the service. */
export interface ServiceMount {
  /**
   * A lab Volume (mounted into the LXC automatically, at `hostPath` or its default path), or a
   * path inside the LXC; relative paths live in the compose project directory (backed up with it).
   */
  readonly source: Volume | string;
  /** Path inside the Docker container. */
  readonly target: string;
  /** Where a Volume appears inside the LXC. @default - same as target */
  readonly lxcPath?: string;
  /** @default false */
  readonly readOnly?: boolean;
  /**
   * Owner of a relative source directory, created by Ansible before the project starts (Docker
   * would create it as root, which rootless images cannot write).
   * @default - the service's `user` when it is numeric uid:gid, else its PUID:PGID environment
   * (linuxserver.io images chown their volumes to it), else root
   */
  readonly owner?: { readonly uid: number; readonly gid: number };
}

export interface ComposeServiceProps {
  /** Image pinned by tag. */
  readonly image: Image;
  /** Docker container name. @default - the construct id, lowercased */
  readonly containerName?: string;
  /** @default - the image's command */
  readonly command?: readonly string[];
  /** @default [] */
  readonly ports?: readonly ServicePort[];
  /** Literal values or `EnvValue.fromSecret(...)`. @default {} */
  readonly environment?: Readonly<Record<string, EnvInput>>;
  /** @default [] */
  readonly mounts?: readonly ServiceMount[];
  /** Host devices, e.g. '/dev/dri/renderD128'. @default [] */
  readonly devices?: readonly string[];
  /** @default - none (the image's own HEALTHCHECK, if any) */
  readonly healthcheck?: Healthcheck;
  /** @default 'unless-stopped' */
  readonly restart?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  /** Services of the same host that must be up (healthy, when they have a healthcheck) first. @default [] */
  readonly dependsOn?: readonly ComposeService[];
  /** Linux capabilities to add. @default [] */
  readonly capAdd?: readonly string[];
  /** 'host' shares the LXC's network stack. @default - the project's bridge network */
  readonly networkMode?: 'host' | 'bridge';
  /** Run as this user (uid:gid). @default - the image's user */
  readonly user?: string;
  /** Extra groups (names or gids) of the container's processes, e.g. the GPU render gid. @default [] */
  readonly groupAdd?: readonly (string | number)[];
  /** Run Docker's tiny init as PID 1 (images without their own init that spawn children). @default false */
  readonly init?: boolean;
  /** Size of /dev/shm, e.g. Size.mebibytes(128) or '128mb' (PostgreSQL's parallel workers need more than Docker's 64 MB). @default - Docker's 64 MB */
  readonly shmSize?: string | Size;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One Docker container of a DockerHost's compose project. */
export class ComposeService extends Construct {
  readonly host: DockerHost;
  readonly image: Image;
  readonly containerName: string;
  readonly ports: readonly ServicePort[];
  readonly healthcheck?: Healthcheck;
  private readonly props: ComposeServiceProps;
  private readonly env = new Map<string, EnvValue>();
  private readonly mounts: ServiceMount[] = [];
  private readonly deps: ComposeService[] = [];
  private readonly deviceList: string[];

  constructor(scope: DockerHost, id: string, props: ComposeServiceProps) {
    super(scope, checkedId(scope, id));
    if (!(scope instanceof DockerHost)) fail(this, 'a compose service must be created inside a DockerHost', "create it with new ComposeService(host, 'name', {...}) where host is a DockerHost");
    this.host = scope;
    this.props = requireProps(this, 'ComposeService', props, ['image']);
    if (!(props.image instanceof Image)) fail(this, `image must be an Image, got ${JSON.stringify(props.image)}`, "write image: Image.of('repository', 'tag')");
    if (props.image.problem) fail(this, props.image.problem.message, props.image.problem.fix);
    this.props = props = checkPropTypes(this, 'ComposeService', props, {
      containerName: 'string', command: 'string[]', ports: listOf('a list of { port: Port.tcp(n), description }', (p) => isObject(p) && (p as ServicePort).port instanceof Port),
      environment: 'object', mounts: listOf("a list of { source, target: '/path' }", (m) => isObject(m) && typeof (m as ServiceMount).target === 'string'),
      devices: 'string[]', healthcheck: instanceOf("a Healthcheck (Healthcheck.http(Port.tcp(port), '/path') or Healthcheck.command([...]))", Healthcheck),
      restart: oneOf('no', 'always', 'on-failure', 'unless-stopped'), dependsOn: listOf('a list of ComposeServices', (d) => d instanceof ComposeService), capAdd: 'string[]', networkMode: oneOf('host', 'bridge'), user: nonEmptyString,
      groupAdd: listOf('a list of group names or ids', (g) => typeof g === 'string' || typeof g === 'number'), init: 'boolean', shmSize: either('string', instanceOf('a Size', Size)),
    });
    for (const p of props.ports ?? []) checkPropTypes(this, `port ${p.port}`, p, { description: 'string' }, { collect: false });
    for (const m of props.mounts ?? []) {
      checkPropTypes(this, `mount ${m.target}`, m, { source: either(nonEmptyString, instanceOf('a Volume', Volume)), lxcPath: absolutePath, readOnly: 'boolean', owner: 'object' }, { collect: false });
    }
    this.image = props.image;
    this.containerName = props.containerName ?? id.toLowerCase();
    if (!/^[a-z0-9][a-z0-9_.-]*$/.test(this.containerName)) fail(this, `container name '${this.containerName}' is invalid`, 'use lowercase letters, digits, -, _ and .');
    for (const p of props.ports ?? []) if (p.port.problem) fail(this, p.port.problem.message, p.port.problem.fix);
    // A wrong hostPort is collected and left out (the container port stands in), so nothing downstream
    // sees a number where a Port belongs.
    this.ports = (props.ports ?? []).map((p) => {
      if (p.hostPort === undefined) return p;
      const checked = Port.check(p.hostPort, 'hostPort', p.port.protocol, `it publishes ${p.port}, a ${p.port.protocol.toUpperCase()} port`);
      if ('value' in checked) return p;
      addCheck(this, () => [{ message: `port ${p.port}: ${checked.problem.message}`, fix: checked.problem.fix }]);
      return { port: p.port, ...(p.description !== undefined ? { description: p.description } : {}) };
    });
    this.healthcheck = props.healthcheck;
    if (props.healthcheck !== undefined && !(props.healthcheck instanceof Healthcheck)) fail(this, `healthcheck must be a Healthcheck, got ${JSON.stringify(props.healthcheck)}`, "use Healthcheck.http(Port.tcp(port), '/path') or Healthcheck.command([...])");
    const healthProblems = props.healthcheck?.problems ?? [];
    if (healthProblems.length) addCheck(this, () => [...healthProblems]);
    const shmProblem = props.shmSize === undefined ? undefined : Size.from(props.shmSize).problem;
    if (shmProblem) addCheck(this, () => [{ message: `shmSize ${shmProblem.message}`, fix: shmProblem.fix }]);
    for (const p of this.ports) scope.declarePort(p.hostPort ?? p.port, p.description ?? `${id} ${p.port}`);
    this.deviceList = [...(props.devices ?? [])];
    for (const [k, v] of Object.entries(props.environment ?? {})) this.addEnvironment(k, v);
    for (const m of props.mounts ?? []) this.addMount(m);
    for (const d of props.dependsOn ?? []) this.addDependency(d);
    scope.registerService(this);
  }

  addEnvironment(name: string, value: EnvInput): void {
    if (!ENV_NAME.test(name)) fail(this, `environment variable name '${name}' is invalid`, 'use letters, digits and _ (not starting with a digit)');
    if (this.env.has(name)) fail(this, `environment variable ${name} is set twice`, 'set each variable once');
    const ok = (value instanceof EnvValue && (value.secret !== undefined || value.literal !== undefined)) || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    if (!ok) {
      const got = value === undefined || value instanceof EnvValue ? 'undefined' : typeof value === 'number' ? String(value) : JSON.stringify(value) ?? typeof value;
      addCheck(this, () => [{
        message: `environment variable ${name} is ${got}, not a value`,
        fix: `give ${name} a string, number or boolean (or EnvValue.fromSecret(...)), or leave the variable out`,
      }]);
      return;
    }
    const v = toEnvValue(value);
    if (v.secret) this.host.lab.secrets.use(this, v.secret);
    this.env.set(name, v);
  }

  addMount(mount: ServiceMount): void {
    checkPropTypes(this, 'mount', mount, { target: 'string' }, { collect: false });
    if (mount.target === undefined) fail(this, 'a mount has no target', "give the path inside the container, e.g. { source: './config', target: '/config' }");
    if (!mount.target.startsWith('/')) fail(this, `mount target '${mount.target}' must be absolute`, "use a container path like '/config'");
    if (this.mounts.some((m) => m.target === mount.target)) fail(this, `two mounts target ${mount.target}`, 'mount one source per target path');
    if (mount.source instanceof Volume) this.host.addMount(mount.source, mount.lxcPath ?? mount.target);
    this.mounts.push(mount);
  }

  addDependency(other: ComposeService): void {
    if (!this.deps.includes(other)) this.deps.push(other);
  }

  addDevice(path: string): void {
    if (!this.deviceList.includes(path)) this.deviceList.push(path);
  }

  get environment(): ReadonlyMap<string, EnvValue> {
    return this.env;
  }

  /** The service's network: 'host' shares the LXC's network stack (no port mapping). @default 'bridge' */
  get networkMode(): 'host' | 'bridge' {
    return this.props.networkMode ?? 'bridge';
  }

  get dependencies(): readonly ComposeService[] {
    return [...this.deps];
  }

  get devices(): readonly string[] {
    return [...this.deviceList];
  }

  get serviceMounts(): readonly ServiceMount[] {
    return [...this.mounts];
  }

  /** Directories (relative to the project dir) this service mounts, with the owner they need. */
  get projectDirectories(): { path: string; uid: number; gid: number }[] {
    const m = /^(\d+):(\d+)$/.exec(this.props.user ?? '');
    // linuxserver.io images chown their volumes to abc = PUID:PGID at every start (init-adduser's
    // `lsiown abc:abc /config`); a directory declared root-owned would flip back and forth between that
    // init and Ansible, so every converge would report a change (found by the digital twin).
    const puid = /^\d+$/.exec(this.env.get('PUID')?.literal ?? '');
    const pgid = /^\d+$/.exec(this.env.get('PGID')?.literal ?? '');
    const fallback = m
      ? { uid: Number(m[1]), gid: Number(m[2]) }
      : puid && pgid
        ? { uid: Number(puid[0]), gid: Number(pgid[0]) }
        : { uid: 0, gid: 0 };
    return this.mounts
      .filter((x): x is ServiceMount & { source: string } => typeof x.source === 'string' && x.source.startsWith('./'))
      .map((x) => ({ path: x.source.slice(2).replace(/\/+$/, ''), ...(x.owner ?? fallback) }));
  }

  /** The compose service key: the construct id, which is unique within the host. */
  get serviceKey(): string {
    return this.node.id.toLowerCase();
  }

  /** Names of variables that come from the project's `.env` (secrets). */
  get secretEnv(): { name: string; jinja: string; variable: string }[] {
    return [...this.env.entries()]
      .filter(([, v]) => v.secret)
      .map(([name, v]) => ({ name, jinja: v.secret!.jinja, variable: v.secret!.variable }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The service's entry in compose.yml. Secrets appear as `${NAME}` read from `.env`. */
  toCompose(): Record<string, unknown> {
    const svc: Record<string, unknown> = {
      image: labOf(this).pinImageDigests ? this.image.ref : this.image.tagRef,
      container_name: this.containerName,
      restart: this.props.restart ?? 'unless-stopped',
    };
    if (this.props.command) svc.command = [...this.props.command];
    if (this.props.user) svc.user = this.props.user;
    if (this.props.init) svc.init = true;
    if (this.props.groupAdd?.length) svc.group_add = this.props.groupAdd.map(String);
    if (this.props.shmSize !== undefined) svc.shm_size = String(this.props.shmSize);
    if (this.props.networkMode) svc.network_mode = this.props.networkMode;
    if (this.env.size) {
      const env: Record<string, string> = {};
      for (const name of [...this.env.keys()].sort()) {
        const v = this.env.get(name)!;
        // Compose interpolates $: a literal dollar must be doubled.
        // Compose names the variable in its error ("required variable X is missing a value: ..."); a
        // long name (Authelia's) is not repeated in the message, so the line stays within yamllint's 160.
        const message = name.length > 40 ? 'written to .env by Ansible' : `${name} is written to .env by Ansible`;
        env[name] = v.secret ? `\${${name}:?${message}}` : (v.literal as string).replace(/\$/g, '$$$$');
      }
      svc.environment = env;
    }
    if (this.ports.length && this.props.networkMode !== 'host') {
      svc.ports = this.ports.map((p) => `${(p.hostPort ?? p.port).port}:${p.port.port}${p.port.protocol === 'udp' ? '/udp' : ''}`);
    }
    if (this.mounts.length) {
      svc.volumes = this.mounts.map((m) => {
        const src = m.source instanceof Volume ? (m.lxcPath ?? m.target) : m.source;
        return `${src}:${m.target}${m.readOnly ? ':ro' : ''}`;
      });
    }
    if (this.deviceList.length) svc.devices = this.deviceList.map((d) => `${d}:${d}`);
    if (this.props.capAdd?.length) svc.cap_add = [...this.props.capAdd].sort();
    if (this.healthcheck) svc.healthcheck = this.healthcheck.toCompose();
    if (this.deps.length) {
      const deps: Record<string, { condition: string }> = {};
      for (const d of [...this.deps].sort((a, b) => a.serviceKey.localeCompare(b.serviceKey))) {
        deps[d.serviceKey] = { condition: d.healthcheck ? 'service_healthy' : 'service_started' };
      }
      svc.depends_on = deps;
    }
    // Bounded json-file logs: a chatty container must not fill a small LXC disk.
    svc.logging = { driver: 'json-file', options: { 'max-size': '10m', 'max-file': '3' } };
    return svc;
  }
}
