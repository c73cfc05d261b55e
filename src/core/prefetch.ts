/**
 * Helpers of the per-query batching (DESIGN §3), whose registry and cache live in the query session
 * (engine/session.ts): the key a GET is cached under, and a bounded-concurrency runner for batch calls.
 */
export function requestKey(segments: readonly string[], params: Record<string, unknown>): string {
  let q = QUERIES.get(params);
  if (q === undefined) QUERIES.set(params, (q = queryPart(params)));
  return `${segments.join('/')}?${q}`;
}

// Params objects are built whole and not changed after; a join keys the same object once per inner row.
const QUERIES = new WeakMap<Record<string, unknown>, string>();

function queryPart(params: Record<string, unknown>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    // Code-unit order: localeCompare made this 3 % of a join's time (called per inner row); any fixed order works.
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('&');
}

/** Runs `tasks` with at most `limit` at a time; once `signal` aborts, the tasks not started yet never start. */
export async function runLimited(tasks: ReadonlyArray<() => Promise<void>>, limit: number, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length && !signal?.aborted) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
