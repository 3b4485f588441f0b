// Runs inside the twin's network namespace (ip netns exec): TCP connects and HTTP GETs against the
// lab's addresses, all at once, each with a timeout. Input: a JSON array of probes on stdin;
// output: the same array with {ok, detail} added, as JSON on stdout. Plain Node, no dependencies.
import net from 'node:net';
import http from 'node:http';

const TIMEOUT_MS = Number(process.env.PROBE_TIMEOUT_MS ?? 5000);

function tcp(p) {
  return new Promise((resolve) => {
    const s = net.connect({ host: p.host, port: p.port });
    const done = (ok, detail) => {
      s.destroy();
      resolve({ ...p, ok, detail });
    };
    s.setTimeout(TIMEOUT_MS, () => done(false, 'timeout'));
    s.on('connect', () => done(true, 'connected'));
    s.on('error', (e) => done(false, e.code ?? e.message));
  });
}

function get(p) {
  return new Promise((resolve) => {
    const req = http.get({ host: p.host, port: p.port, path: p.path ?? '/', timeout: TIMEOUT_MS }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (body.length < 200000 ? (body += d) : undefined));
      res.on('end', () => {
        const ok = res.statusCode === 200 && (!p.expect || body.includes(p.expect));
        resolve({ ...p, ok, detail: `HTTP ${res.statusCode}${ok ? '' : `: ${body.slice(0, 120)}`}` });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ ...p, ok: false, detail: e.code ?? e.message }));
  });
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', async () => {
  const probes = JSON.parse(input);
  const results = await Promise.all(probes.map((p) => (p.kind === 'http' ? get(p) : tcp(p))));
  process.stdout.write(JSON.stringify(results));
});
