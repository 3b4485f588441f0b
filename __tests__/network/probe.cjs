#!/usr/bin/env node
/*
 * Tiny network probe and stand-in servers for the namespace tests (no dependencies, no network
 * beyond the namespaces the tests create).
 *
 *   node probe.cjs serve SPEC...          SPEC = KIND:[ADDRESS:]PORT, KIND = tcp | udp | dns (udp and tcp)
 *       UDP servers answer from the socket's address: bind one per address a client may ask
 *       (a reply from another source address would rightly be dropped by conntrack-based rules).
 *       Every server answers with the address it sees the client at ("peer=10.66.12.34"); the DNS
 *       server answers any A query with that address. Prints "ready" once every socket is bound and
 *       exits by itself after 10 minutes, so a crashed test leaves nothing running for long.
 *   node probe.cjs tcp HOST PORT [BIND]   connect, read one line
 *   node probe.cjs udp HOST PORT [BIND]   send one datagram, wait for the answer
 *   node probe.cjs dns HOST [BIND]        one A query over UDP to HOST:53
 *   node probe.cjs dnstcp HOST [BIND]     the same over TCP
 * Probes print one JSON line {"ok":true,"reply":"..."} or {"ok":false,"error":"..."} and exit 0.
 */
'use strict';
const net = require('node:net');
const dgram = require('node:dgram');

const TIMEOUT_MS = Number(process.env.PROBE_TIMEOUT_MS || 1500);
const [mode, ...args] = process.argv.slice(2);

function done(result) {
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exit(0);
}

function peerOf(addr) {
  return String(addr).replace(/^::ffff:/, '');
}

/** A DNS answer to `query` with one A record: `address`. */
function dnsAnswer(query, address) {
  // Header: copy the id, set QR + RD + RA, one question, one answer.
  const header = Buffer.from([query[0], query[1], 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0]);
  let end = 12;
  while (end < query.length && query[end] !== 0) end += query[end] + 1;
  const question = query.subarray(12, end + 5);
  const rdata = Buffer.from(address.split('.').map(Number));
  const answer = Buffer.concat([Buffer.from([0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4]), rdata]);
  return Buffer.concat([header, question, answer]);
}

function dnsQuery() {
  const id = Math.floor(Math.random() * 65535);
  const name = Buffer.concat([Buffer.from([4]), Buffer.from('leak'), Buffer.from([4]), Buffer.from('test'), Buffer.from([0])]);
  return Buffer.concat([Buffer.from([id >> 8, id & 255, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 1, 0, 1])]);
}

function dnsAddress(reply) {
  if (reply.length < 4) return undefined;
  const a = reply.subarray(reply.length - 4);
  return [...a].join('.');
}

function serve(specs) {
  let pending = 0;
  const ready = () => {
    if (--pending === 0) process.stdout.write('ready\n');
  };
  for (const spec of specs) {
    const parts = spec.split(':');
    const kind = parts[0];
    const host = parts.length === 3 ? parts[1] : '0.0.0.0';
    const p = Number(parts[parts.length - 1]);
    if (kind === 'tcp' || kind === 'dns') {
      pending++;
      const server = net.createServer((sock) => {
        const peer = peerOf(sock.remoteAddress);
        if (kind === 'tcp') {
          sock.end(`peer=${peer}\n`);
          return;
        }
        sock.once('data', (buf) => {
          const q = buf.subarray(2, 2 + buf.readUInt16BE(0));
          const a = dnsAnswer(q, peer);
          const len = Buffer.alloc(2);
          len.writeUInt16BE(a.length);
          sock.end(Buffer.concat([len, a]));
        });
        sock.on('error', () => undefined);
      });
      server.listen(p, host, ready);
    }
    if (kind === 'udp' || kind === 'dns') {
      pending++;
      const sock = dgram.createSocket('udp4');
      sock.on('message', (msg, rinfo) => {
        const reply = kind === 'dns' ? dnsAnswer(msg, rinfo.address) : Buffer.from(`peer=${rinfo.address}\n`);
        sock.send(reply, rinfo.port, rinfo.address);
      });
      sock.bind(p, host, ready);
    }
  }
  setTimeout(() => process.exit(0), 600_000);
}

function probeTcp(host, port, bind, payload, parse) {
  const sock = net.connect({ host, port: Number(port), ...(bind ? { localAddress: bind } : {}) });
  const chunks = [];
  const timer = setTimeout(() => {
    sock.destroy();
    done({ ok: false, error: 'timeout' });
  }, TIMEOUT_MS);
  sock.on('connect', () => {
    if (payload) sock.write(payload);
  });
  sock.on('data', (d) => chunks.push(d));
  sock.on('end', () => {
    clearTimeout(timer);
    done({ ok: true, reply: parse(Buffer.concat(chunks)) });
  });
  sock.on('error', (e) => {
    clearTimeout(timer);
    done({ ok: false, error: e.code || e.message });
  });
}

function probeUdp(host, port, bind, payload, parse) {
  const sock = dgram.createSocket('udp4');
  const timer = setTimeout(() => done({ ok: false, error: 'timeout' }), TIMEOUT_MS);
  sock.on('message', (msg) => {
    clearTimeout(timer);
    done({ ok: true, reply: parse(msg) });
  });
  sock.on('error', (e) => {
    clearTimeout(timer);
    done({ ok: false, error: e.code || e.message });
  });
  const send = () => sock.send(payload, Number(port), host, (e) => {
    if (e) {
      clearTimeout(timer);
      done({ ok: false, error: e.code || e.message });
    }
  });
  if (bind) sock.bind(0, bind, send);
  else send();
}

const text = (b) => b.toString('utf8').trim();

switch (mode) {
  case 'serve':
    serve(args);
    break;
  case 'tcp':
    probeTcp(args[0], args[1], args[2], undefined, text);
    break;
  case 'udp':
    probeUdp(args[0], args[1], args[2], Buffer.from('hello\n'), text);
    break;
  case 'dns':
    probeUdp(args[0], 53, args[1], dnsQuery(), (b) => `peer=${dnsAddress(b)}`);
    break;
  case 'dnstcp': {
    const q = dnsQuery();
    const len = Buffer.alloc(2);
    len.writeUInt16BE(q.length);
    probeTcp(args[0], 53, args[1], Buffer.concat([len, q]), (b) => `peer=${dnsAddress(b)}`);
    break;
  }
  default:
    process.stderr.write(`unknown mode ${mode}\n`);
    process.exit(2);
}
