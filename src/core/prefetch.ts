/**
 * The per-query prefetch registry (DESIGN §3). SQLite asks a virtual table for one key at a time (each IN
 * value, each outer row of a join); batching is therefore ours. Listings publish the ids of each page they
 * fetched (and the engine publishes literal IN lists); a request keyed by one of those ids is sent for the
 * whole published set at once, and the answers wait in the query's cache. Every GET of a query goes through
 * the same cache, so an identical request is sent once per query.
 */
import type { KeyGroup, KnownAttrs } from './schema/types';

/** At most this many peers are fetched ahead for one lookup (a bound on wasted calls if SQLite stops early). */
export const PREFETCH_WINDOW = 200;

export class Prefetch {
  private readonly sets = new Map<string, readonly string[]>();
  private readonly attrs = new Map<string, KnownAttrs>();
  /** Request key → its answer (a settled or pending promise). */
  readonly cache = new Map<string, Promise<unknown>>();

  publish(group: KeyGroup, items: ReadonlyArray<{ id: string } & KnownAttrs>): void {
    const ids = [...new Set(items.map((i) => i.id).filter((id) => typeof id === 'string' && id))];
    for (const item of items) {
      const key = `${group}:${item.id}`;
      this.attrs.set(key, { ...this.attrs.get(key), ...item });
      if (ids.length > 1 || !this.sets.has(key)) this.sets.set(key, ids);
    }
  }

  lookup(group: KeyGroup, id: string): KnownAttrs | undefined {
    return this.attrs.get(`${group}:${id}`);
  }

  /** The ids published together with `id` (at most PREFETCH_WINDOW of them, from `id` on). */
  peers(group: KeyGroup, id: string): readonly string[] {
    const set = this.sets.get(`${group}:${id}`);
    if (!set) return [id];
    // SQLite may ask in another order than published (it sorts IN lists): small sets go whole.
    if (set.length <= PREFETCH_WINDOW) return set;
    const at = set.indexOf(id);
    return set.slice(Math.max(0, at), Math.max(0, at) + PREFETCH_WINDOW);
  }

  /** Stores a pending answer; a rejection nobody awaits must not crash the process. */
  store<T>(key: string, p: Promise<T>): Promise<T> {
    p.catch(() => undefined);
    this.cache.set(key, p);
    return p;
  }
}

export function requestKey(segments: readonly string[], params: Record<string, unknown>): string {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
  return `${segments.join('/')}?${q}`;
}

/** Runs `tasks` with at most `limit` at a time. */
export async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
