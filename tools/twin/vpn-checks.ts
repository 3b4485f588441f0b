/**
 * VPN egress, proven with packets (issue 11, item 4): with the stand-in internet and provider of
 * internet.ts behind the twin, a VPN client host (qBittorrent) and its Docker container reach the
 * internet only from the tunnel's exit address; the indexer proxy on it (tinyproxy, for Prowlarr)
 * goes out the same way; with the tunnel down or wireguard-go killed, nothing arrives at all, counted
 * on the internet side; and the LAN clients the model declares still reach the web port.
 * The probes read everything from the synthesized project; run.ts supplies the execution.
 */
import type { Internet, InternetCounters } from './internet';

export interface VpnProbeRunner {
  /** `sh -c script` inside the named container; never throws. */
  inHost(host: string, script: string): Promise<{ code: number; stdout: string; stderr: string }>;
}

export interface VpnClientSpec {
  /** The VPN client host (its LXC). */
  readonly host: string;
  /** Its Docker container that must egress through the tunnel (compose container_name). */
  readonly container?: string;
  /** The wg-quick interface (wg0). */
  readonly iface: string;
  /** A LAN client the model lets reach the web port, with the port. */
  readonly lanClient?: { readonly host: string; readonly address: string; readonly port: number };
  /** An HTTP proxy on the host for another LAN host (tinyproxy for Prowlarr). */
  readonly proxy?: { readonly client: string; readonly url: string };
}

export interface VpnStep {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

export interface VpnReport {
  /** Egress probes made (all states). */
  readonly probes: number;
  /** Probes that behaved as they must. */
  readonly probesOk: number;
  /** Packets that reached the internet from anything but the tunnel's exit, over all windows. */
  readonly leaked: number;
  readonly steps: readonly VpnStep[];
  readonly ok: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs the VPN checks. The tunnel is brought back up at the end whatever happened, so the rest of
 * the run (plan, destroy) sees the lab as it was.
 */
export async function runVpnChecks(internet: Internet, spec: VpnClientSpec, run: VpnProbeRunner, say: (line: string) => void): Promise<VpnReport> {
  const steps: VpnStep[] = [];
  let probes = 0;
  let probesOk = 0;
  let leaked = 0;
  const step = (what: string, ok: boolean, detail: string) => {
    steps.push({ what, ok, detail });
    say(`  integration: vpn: ${what}: ${ok ? 'ok' : 'FAILED'} (${detail})`);
  };
  const expectPeer = `peer=${internet.exitAddress}`;
  const fetchers: { what: string; script: (host: string) => string; from: string }[] = [
    { what: `${spec.host} (LXC)`, from: spec.host, script: () => `curl -fsS -m 5 ${internet.url}` },
  ];
  if (spec.container) {
    // busybox nc with an IP literal: the stand-in image's static busybox wget crashes in glibc's
    // resolver (measured: SIGSEGV, exit 139), and a real image's tools vary.
    const u = new URL(internet.url);
    const request = `printf 'GET ${u.pathname} HTTP/1.0\\r\\nHost: ${u.hostname}\\r\\n\\r\\n' | nc -w 5 ${u.hostname} ${u.port || 80} | tail -n 1`;
    fetchers.push({ what: `${spec.container} (Docker on ${spec.host})`, from: spec.host, script: () => `docker exec ${spec.container} sh -c "${request}"` });
  }
  if (spec.proxy) {
    fetchers.push({ what: `${spec.proxy.client} through the proxy on ${spec.host}`, from: spec.proxy.client, script: () => `curl -fsS -m 5 -x ${spec.proxy!.url} ${internet.url}` });
  }
  const window = async (label: string, expectThrough: boolean): Promise<InternetCounters> => {
    await internet.reset();
    for (const f of fetchers) {
      const r = await run.inHost(f.from, f.script(f.from));
      const answer = r.stdout.trim();
      // Down: no answer at all, or an error from the proxy that could not connect (curl -f fails).
      const ok = expectThrough ? r.code === 0 && answer === expectPeer : r.code !== 0 || answer === '';
      probes++;
      if (ok) probesOk++;
      step(`${label}: ${f.what}`, ok, r.code === 0 ? answer.split('\n')[0]!.slice(0, 120) || 'empty answer' : `no answer (exit ${r.code})`);
    }
    const c = await internet.counters();
    leaked += c.leaked;
    const lanRouted = Object.entries(c.routedByLanSource).filter(([, n]) => n > 0).map(([a, n]) => `${a}: ${n}`);
    const ok = c.leaked === 0 && lanRouted.length === 0 && (expectThrough ? c.exit > 0 : c.exit === 0);
    step(`${label}: packets at the internet`, ok, `from the exit ${c.exit}, leaked ${c.leaked}${lanRouted.length ? `, routed around the tunnel: ${lanRouted.join(', ')}` : ''}`);
    return c;
  };
  const lanReach = async (label: string) => {
    if (!spec.lanClient) return;
    const { host, address, port } = spec.lanClient;
    const r = await run.inHost(host, `timeout 5 bash -c 'exec 3<>/dev/tcp/${address}/${port}'`);
    step(`${label}: ${host} reaches ${spec.host}:${port}`, r.code === 0, r.code === 0 ? 'connected' : `exit ${r.code}`);
  };
  const waitForHandshake = async (seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      const t = await internet.tunnel();
      if (t && t.latestHandshake > 0) return true;
      await sleep(1000);
    }
    return false;
  };

  try {
    // The client's keepalive makes the first handshake; a restart makes one at once.
    let up = await waitForHandshake(5);
    if (!up) {
      await run.inHost(spec.host, `systemctl restart wg-quick@${spec.iface}.service`);
      up = await waitForHandshake(30);
    }
    step('tunnel handshake with the provider', up, up ? 'done' : 'none within 35 s');
    await window('tunnel up', true);
    await lanReach('tunnel up');

    const stop = await run.inHost(spec.host, `systemctl stop wg-quick@${spec.iface}.service`);
    step(`wg-quick@${spec.iface} stopped`, stop.code === 0, `exit ${stop.code}`);
    await window('tunnel down', false);
    await lanReach('tunnel down');

    const start = await run.inHost(spec.host, `systemctl start wg-quick@${spec.iface}.service`);
    step(`wg-quick@${spec.iface} started again`, start.code === 0, `exit ${start.code}`);
    // wireguard-go killed under a running wg-quick: the interface vanishes, the kill switch stays.
    const kill = await run.inHost(spec.host, `pid=$(pgrep -x wireguard-go | head -n 1); [ -n "$pid" ] && kill -9 "$pid" && echo "$pid"`);
    step('wireguard-go killed (SIGKILL, by PID)', kill.code === 0, kill.code === 0 ? `pid ${kill.stdout.trim()} in ${spec.host}` : 'no wireguard-go process');
    await sleep(1000);
    await window('wireguard-go killed', false);
  } finally {
    const restore = await run.inHost(spec.host, `systemctl restart wg-quick@${spec.iface}.service`);
    step(`wg-quick@${spec.iface} restored`, restore.code === 0, `exit ${restore.code}`);
  }
  const ok = steps.every((s) => s.ok) && leaked === 0;
  return { probes, probesOk, leaked, steps, ok };
}
