// Seeded pseudo-random numbers. Every generator derives its own stream from (seed, label…) so that adding a
// field to one generator never shifts the values of another: same seed → same data, ids included.

/** 32-bit FNV-1a over a string; used to derive independent sub-seeds from labels. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** A new generator whose stream depends only on this seed and the labels (not on how much was drawn). */
  static derive(seed: number, ...labels: Array<string | number>): Random {
    return new Random(hash32(`${seed}:${labels.join(':')}`));
  }

  /** mulberry32: small, fast, good enough for fixtures. Returns [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < k && pool.length > 0) out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0] as T);
    return out;
  }

  /** Pareto-like long tail: mostly near `scale`, occasionally many times larger. */
  longTail(scale: number, alpha = 1.6): number {
    const u = 1 - this.next();
    return Math.floor(scale * (Math.pow(u, -1 / alpha) - 1) * 0.6);
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(Math.floor(this.next() * 10));
    return s;
  }

  /** URL-safe base64-alphabet string, like Instagram shortcodes. */
  token(n: number): string {
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(this.next() * 64)];
    return s;
  }
}
