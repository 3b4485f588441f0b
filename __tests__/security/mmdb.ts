/**
 * A minimal writer of MaxMind DB files (format 2.0, IPv4 tree, 24-bit records) for tests: the real
 * nginx geoip2 module opens the file at `nginx -t` and looks clients up in it at run time, so the
 * generated geo-blocking conf is checked against a real database of our own making (the DB-IP and
 * MaxMind databases cannot be downloaded here).
 * Spec: https://maxmind.github.io/MaxMind-DB/ (search tree, data section, metadata).
 */

type Value = string | number | bigint | Value[] | { [key: string]: Value };

/** Control byte(s) for a type and payload size (types > 7 are "extended"). */
function control(type: number, size: number): Buffer {
  if (size >= 29 + 256) throw new Error(`mmdb test writer: size ${size} too large`);
  const [low, extra] = size < 29 ? [size, []] : [29, [size - 29]];
  return Buffer.from(type <= 7 ? [(type << 5) | low, ...extra] : [low, type - 7, ...extra]);
}

function uint(value: number | bigint, type: number): Buffer {
  let v = BigInt(value);
  const bytes: number[] = [];
  while (v > 0n) {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  }
  return Buffer.concat([control(type, bytes.length), Buffer.from(bytes)]);
}

/** Encodes a value; numbers become uint32 unless `types` names another type for the key. */
function encode(value: Value, types: Record<string, number> = {}, key?: string): Buffer {
  if (typeof value === 'string') {
    const b = Buffer.from(value, 'utf8');
    return Buffer.concat([control(2, b.length), b]);
  }
  if (typeof value === 'number' || typeof value === 'bigint') return uint(value, (key && types[key]) || 6);
  if (Array.isArray(value)) return Buffer.concat([control(11, value.length), ...value.map((v) => encode(v, types))]);
  const entries = Object.entries(value);
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, v]) => [encode(k), encode(v, types, k)])]);
}

/** Writes a country database: each IPv4 CIDR maps to `{ country: { iso_code } }`. */
export function countryMmdb(networks: Record<string, string>): Buffer {
  // Data section: one record per country.
  const dataOffsets = new Map<string, number>();
  const data: Buffer[] = [];
  let size = 0;
  for (const iso of new Set(Object.values(networks))) {
    const b = encode({ country: { iso_code: iso } });
    dataOffsets.set(iso, size);
    data.push(b);
    size += b.length;
  }

  // Search tree: records are node indices, 'empty' or a data offset, resolved once node_count is known.
  type Rec = { node: number } | { data: number } | 'empty';
  const nodes: [Rec, Rec][] = [['empty', 'empty']];
  for (const [cidr, iso] of Object.entries(networks)) {
    const [addr, lenText] = cidr.split('/');
    const len = Number(lenText);
    const ip = addr!.split('.').reduce((acc, o) => (acc << 8) + Number(o), 0) >>> 0;
    let node = 0;
    for (let depth = 0; depth < len; depth++) {
      const bit = (ip >>> (31 - depth)) & 1;
      if (depth === len - 1) {
        nodes[node]![bit] = { data: dataOffsets.get(iso)! };
        break;
      }
      const rec = nodes[node]![bit]!;
      if (rec !== 'empty' && 'node' in rec) {
        node = rec.node;
      } else {
        nodes.push(['empty', 'empty']);
        nodes[node]![bit] = { node: nodes.length - 1 };
        node = nodes.length - 1;
      }
    }
  }
  const nodeCount = nodes.length;
  const tree = Buffer.alloc(nodeCount * 6);
  nodes.forEach(([left, right], i) => {
    for (const [j, rec] of [left, right].entries()) {
      const v = rec === 'empty' ? nodeCount : 'node' in rec ? rec.node : nodeCount + 16 + rec.data;
      tree.writeUIntBE(v, i * 6 + j * 3, 3);
    }
  });

  const metadata = encode({
    binary_format_major_version: 2,
    binary_format_minor_version: 0,
    build_epoch: 1_700_000_000n,
    database_type: 'homelab-test-country',
    description: { en: 'Test country database written by the homelab-cdk tests' },
    ip_version: 4,
    languages: ['en'],
    node_count: nodeCount,
    record_size: 24,
  }, { binary_format_major_version: 5, binary_format_minor_version: 5, build_epoch: 9, ip_version: 5, node_count: 6, record_size: 5 });

  return Buffer.concat([tree, Buffer.alloc(16), ...data, Buffer.from('abcdef4d61784d696e642e636f6d', 'hex'), metadata]);
}
