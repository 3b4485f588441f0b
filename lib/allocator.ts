import { IConstruct } from 'constructs';
import { fail, pathOf } from './problems';

/** A value handed out by a pool; `value` resolves the pool the first time it is read. */
export interface Allocation<V> {
  readonly owner: IConstruct;
  readonly explicit: boolean;
  readonly value: V;
}

/**
 * Hands out unique values (VMIDs, addresses) deterministically: explicit requests are reserved
 * first, then automatic ones take free candidates in declaration order. Resolution is lazy and
 * happens once, so an explicit request declared after an automatic one still wins its value.
 */
export class Pool<V> {
  private readonly requests: { owner: IConstruct; explicit?: V }[] = [];
  private resolved?: Map<IConstruct, V>;

  constructor(
    private readonly scope: IConstruct,
    private readonly what: string,
    private readonly candidates: () => Iterable<V>,
    private readonly key: (v: V) => string,
  ) {}

  request(owner: IConstruct, explicit?: V): Allocation<V> {
    if (this.resolved) {
      fail(owner, `${this.what} requested after the ${this.what} plan of ${pathOf(this.scope)} was resolved`,
        `declare every container before reading any planned ${this.what} (read them at render time, not in constructors)`);
    }
    this.requests.push({ owner, explicit });
    const pool = this;
    return {
      owner,
      explicit: explicit !== undefined,
      get value(): V {
        return pool.resolve().get(owner) as V;
      },
    };
  }

  /** Every request with its value, in declaration order. */
  entries(): { owner: IConstruct; value: V; explicit: boolean }[] {
    const r = this.resolve();
    return this.requests.map((q) => ({ owner: q.owner, value: r.get(q.owner) as V, explicit: q.explicit !== undefined }));
  }

  private resolve(): Map<IConstruct, V> {
    if (this.resolved) return this.resolved;
    const taken = new Set(this.requests.filter((q) => q.explicit !== undefined).map((q) => this.key(q.explicit as V)));
    const out = new Map<IConstruct, V>();
    const it = this.candidates()[Symbol.iterator]();
    for (const q of this.requests) {
      if (q.explicit !== undefined) {
        out.set(q.owner, q.explicit);
        continue;
      }
      let next = it.next();
      while (!next.done && taken.has(this.key(next.value))) next = it.next();
      if (next.done) {
        fail(q.owner, `the ${this.what} plan of ${pathOf(this.scope)} has no free ${this.what} left`,
          `widen the range of ${pathOf(this.scope)} or give this container an explicit ${this.what}`);
      }
      taken.add(this.key(next.value));
      out.set(q.owner, next.value);
    }
    this.resolved = out;
    return out;
  }
}
