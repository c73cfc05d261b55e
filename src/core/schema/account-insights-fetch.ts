/**
 * Insights requests that survive deprecations (GRAPH-2026 "Survive deprecations"). Meta removes metrics every
 * version, and a request naming one removed metric fails as a whole. When Graph refuses a metric (the client
 * recognises its "invalid metric" answers: src/core/graph/errors.ts), the request is sent again without it; the
 * metric is remembered for the rest of the query, reads as NULL, and the query's notes say so. When Graph's answer
 * does not say which metric it refused, the metrics are asked one at a time.
 */
import { IgsqlError } from '../errors';
import type { InsightItem } from './media-insights-common';
import type { TableContext } from './types';

/** Metrics Graph refused during a query (per query and view, and per scope), with Graph's reason. */
const refusedByQuery = new WeakMap<TableContext, Map<string, Map<string, string>>>();

/**
 * The metrics Graph refused in this query for `scope`: 'account', or a media product kind (Graph refuses some
 * media metrics for one product type only: "does not support the views metric for this media product type").
 */
export function refused(ctx: TableContext, scope: string): Map<string, string> {
  let byScope = refusedByQuery.get(ctx);
  if (!byScope) refusedByQuery.set(ctx, (byScope = new Map()));
  let m = byScope.get(scope);
  if (!m) byScope.set(scope, (m = new Map()));
  return m;
}

/** Records that Graph refused `metric` (it reads as NULL for the rest of the query) and says so in the notes. */
export function refuse(ctx: TableContext, scope: string, metric: string, e: IgsqlError, view: string): void {
  const map = refused(ctx, scope);
  if (map.has(metric)) return;
  const full = e.message.replace(/^.*?: /, '');
  const reason = full.length > 160 ? `${full.slice(0, 157)}…` : full;
  map.set(metric, reason);
  ctx.note(`Graph refused the metric ${metric} (${reason}); ${view} shows it as NULL. Graph removes metrics in new versions: see the Instagram Platform changelog.`);
}

/** The metrics of the request an invalid-metric error names (empty: Graph refused one but the answer does not say which). */
function refusedMetrics(e: unknown, asked: readonly string[]): string[] | undefined {
  if (!(e instanceof IgsqlError) || !e.details.invalidMetric) return undefined;
  const { names, index } = e.details.invalidMetric;
  const named = names ?? (index !== undefined && asked[index] !== undefined ? [asked[index]!] : []);
  return named.filter((m) => asked.includes(m));
}

/**
 * Sends `request(metrics)` for the metrics not refused yet, dropping each metric Graph refuses and trying
 * again. Returns the items Graph answered; refused metrics are left out (callers show them as NULL).
 */
export async function isolatingMetrics(
  ctx: TableContext, scope: string, metrics: readonly string[], view: string, request: (metrics: readonly string[]) => Promise<InsightItem[]>,
): Promise<InsightItem[]> {
  let asked = metrics.filter((m) => !refused(ctx, scope).has(m));
  while (asked.length) {
    try {
      return await request(asked);
    } catch (e) {
      const named = refusedMetrics(e, asked);
      if (!named) throw e;
      if (named.length) {
        for (const m of named) refuse(ctx, scope, m, e as IgsqlError, view);
      } else if (asked.length === 1) {
        refuse(ctx, scope, asked[0]!, e as IgsqlError, view);
      } else {
        // Graph did not say which: one request per metric isolates it.
        const items: InsightItem[] = [];
        for (const m of asked) items.push(...(await isolatingMetrics(ctx, scope, [m], view, request)));
        return items;
      }
      asked = asked.filter((m) => !refused(ctx, scope).has(m));
    }
  }
  return [];
}
