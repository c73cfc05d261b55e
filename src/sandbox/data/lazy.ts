// On-demand generation of the world (issue 11: a sandbox starts in a few milliseconds, and a query waits only
// for the part of the world it reads).
//
// Ids are Graph-like 17-digit strings that end in a sequence number shared by the whole world, and fans get
// their id where they first comment: an object's id depends on everything generated before it. So the world
// is not generated per object but as one fixed sequence of steps (one feed media with its children and
// comments, one account's stories, one account's tags), always in the same order and each from its own seeded
// stream; a read runs the steps up to the one that makes its answer complete. Which steps ran never changes
// what a step produces, so answers do not depend on the order of requests, and the state after the last step
// is the world generated at once, as before (test/sandbox/lazy-world.test.ts compares the two).

/** The world's generation: a sequence of steps, run as far as reads need. */
export class Progress {
  private steps?: Iterator<string | undefined>;
  private running = false;
  private readonly marks = new Set<string>();

  constructor(steps: Iterator<string | undefined>) {
    this.steps = steps;
  }

  get done(): boolean {
    return !this.steps;
  }

  /**
   * Runs steps until `until()` holds or none is left. A no-op inside a step: the generator reads the world it is
   * building (and allocates ids) through the same accessors as the routes.
   */
  advance(until: () => boolean): void {
    if (this.running || !this.steps) return;
    this.running = true;
    try {
      while (!until()) {
        const r = this.steps.next();
        if (r.done) {
          this.steps = undefined;
          return;
        }
        if (r.value) this.marks.add(r.value);
      }
    } finally {
      this.running = false;
    }
  }

  hasMark(mark: string): boolean {
    return this.marks.has(mark);
  }

  /** Runs steps until the one that yields `mark` (e.g. "media:<ig user id>": that account's feed is complete). */
  reach(mark: string): void {
    this.advance(() => this.marks.has(mark));
  }

  complete(): void {
    this.advance(() => false);
  }
}

/** The sequence number at the end of a generated id (world.nextId), or undefined for another shape. */
export function seqOf(id: string): number | undefined {
  return /^\d{17}$/.test(id) ? Number(id.slice(10)) : undefined;
}

/**
 * A Map of generated objects by id (media, comments). Looking up an id not generated yet runs the steps up to
 * its sequence number; listing the whole map (nothing in the sandbox does) generates everything first.
 */
export class LazyMap<V> extends Map<string, V> {
  private progress?: Progress;
  private seq?: () => number;

  /** Set once the world's steps exist (Map's constructor cannot take them: it runs before field initialisers). */
  bind(progress: Progress, seq: () => number): this {
    this.progress = progress;
    this.seq = seq;
    return this;
  }

  private reach(id: string): void {
    const p = this.progress;
    if (!p || p.done || super.has(id)) return;
    const s = seqOf(id);
    if (s !== undefined) p.advance(() => this.seq!() >= s);
  }

  override get(id: string): V | undefined {
    this.reach(id);
    return super.get(id);
  }

  override has(id: string): boolean {
    this.reach(id);
    return super.has(id);
  }

  override keys(): MapIterator<string> {
    this.progress?.complete();
    return super.keys();
  }

  override values(): MapIterator<V> {
    this.progress?.complete();
    return super.values();
  }

  override entries(): MapIterator<[string, V]> {
    this.progress?.complete();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.progress?.complete();
    super.forEach(fn, thisArg);
  }
}
// `size` is an accessor on Map.prototype (TypeScript types it as a property, so it cannot be overridden in the class).
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
Object.defineProperty(LazyMap.prototype, 'size', {
  get(this: LazyMap<unknown>) {
    (this as unknown as { progress?: Progress }).progress?.complete();
    return mapSize.call(this);
  },
});

/**
 * Makes `obj[key]` (an id list such as an account's media) run the steps up to `mark` before it is read or
 * replaced, so whoever reads it sees the complete list.
 */
export function lazyList<T extends object>(obj: T, key: keyof T & string, progress: Progress, mark: string): void {
  let value = obj[key];
  Object.defineProperty(obj, key, {
    enumerable: true,
    configurable: true,
    get() {
      progress.reach(mark);
      return value;
    },
    set(v) {
      progress.reach(mark);
      value = v;
    },
  });
}
