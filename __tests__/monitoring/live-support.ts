import { ChildProcess, spawn } from 'node:child_process';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * Pieces of the live round-trip test: loopback stand-ins for scrape targets, an HTTP sink in place
 * of ntfy, and real Prometheus/Alertmanager processes that are killed by PID (never by name).
 */

/** A free TCP port on 127.0.0.1 (the port is released before use; the race is harmless on a test box). */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A scrape target stand-in that can be stopped and started again on the same port. */
export class StandIn {
  private server?: Server;
  port = 0;

  constructor(private readonly body: string = '# TYPE homelab_standin gauge\nhomelab_standin 1\n') {}

  async start(port = this.port): Promise<this> {
    const server = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(this.body);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  /** Stops listening and drops Prometheus' keep-alive connections, so the next scrape fails. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }
}

export interface SinkRequest {
  readonly path: string;
  readonly query: URLSearchParams;
  readonly authorization?: string;
  readonly body: any;
  readonly at: number;
}

/** Records every webhook Alertmanager sends (in place of ntfy and the dead-man switch). */
export class Sink {
  readonly requests: SinkRequest[] = [];
  private server?: Server;
  port = 0;

  async start(): Promise<this> {
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://sink');
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = Buffer.concat(chunks).toString('utf8');
        }
        this.requests.push({ path: url.pathname, query: url.searchParams, authorization: req.headers.authorization, body, at: Date.now() });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Alerts of all notifications so far, each with the notification's path and status. */
  alerts(): { path: string; status: string; labels: Record<string, string>; authorization?: string; at: number }[] {
    return this.requests.flatMap((r) => (Array.isArray(r.body?.alerts) ? r.body.alerts.map((a: any) => ({ path: r.path, status: a.status, labels: a.labels, authorization: r.authorization, at: r.at })) : []));
  }
}

const running = new Set<ChildProcess>();
// A worker that ends without running afterAll (a hook timeout, an interrupt) must not leave
// Prometheus or Alertmanager behind: kill what this file started, by PID, on the way out.
process.once('exit', () => {
  for (const c of running) if (c.pid !== undefined && c.exitCode === null && c.signalCode === null) process.kill(c.pid, 'SIGKILL');
});

/** A process this test started; stop() signals only its PID. */
export class Proc {
  private readonly child: ChildProcess;
  output = '';

  constructor(readonly name: string, cmd: string, args: string[]) {
    this.child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(this.child);
    this.child.once('exit', () => running.delete(this.child));
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  async stop(): Promise<void> {
    if (this.exited || this.child.pid === undefined) return;
    const done = new Promise<void>((r) => this.child.once('exit', () => r()));
    process.kill(this.child.pid, 'SIGTERM');
    const timer = setTimeout(() => {
      if (!this.exited && this.child.pid !== undefined) process.kill(this.child.pid, 'SIGKILL');
    }, 5000);
    await done;
    clearTimeout(timer);
  }
}

/** Polls `check` until it returns a value, failing after `timeoutMs` with `what` and a diagnostic. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, diagnose: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${diagnose()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** GET a JSON document, or undefined while the server is not up. */
export async function getJson(url: string): Promise<any> {
  try {
    const res = await fetch(url);
    return res.ok ? await res.json() : undefined;
  } catch {
    return undefined;
  }
}
