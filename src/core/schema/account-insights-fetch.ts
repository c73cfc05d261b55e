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

/** Metrics Graph refused during a query (one set per query and view), with Graph's reason. */
const refusedByQuery = new WeakMap<TableContext, Map<string, string>>();

export function refused(ctx: TableContext): Map<string, string> {
  let m = refusedByQuery.get(ctx);
  if (!m) refusedByQuery.set(ctx, (m = new Map()));
  return m;
}

function refuse(ctx: TableContext, metric: string, e: IgsqlError, view: string): void {
  const map = refused(ctx);
  if (map.has(metric)) return;
  const full = e.message.replace(/^.*?: /, '');
  const reason = full.length > 160 ? `${full.slice(0, 157)}…` : full;
  map.set(metric, reason);
  ctx.note(`Graph refused the metric ${metric} (${reason}); ${view} shows it as NULL. Graph removes metrics in new versions: see the Instagram Platform changelog.`);
}

/** The metric an invalid-metric error names, when it can be told from the request's list. */
function refusedMetric(e: unknown, asked: readonly string[]): { metric?: string } | undefined {
  if (!(e instanceof IgsqlError) || !e.details.invalidMetric) return undefined;
  const { name, index } = e.details.invalidMetric;
  const metric = name ?? (index !== undefined ? asked[index] : undefined);
  return { metric: metric !== undefined && asked.includes(metric) ? metric : undefined };
}

/**
 * Sends `request(metrics)` for the metrics not refused yet, dropping each metric Graph refuses and trying
 * again. Returns the items Graph answered; refused metrics are left out (callers show them as NULL).
 */
export async function isolatingMetrics(
  ctx: TableContext, metrics: readonly string[], view: string, request: (metrics: readonly string[]) => Promise<InsightItem[]>,
): Promise<InsightItem[]> {
  let asked = metrics.filter((m) => !refused(ctx).has(m));
  while (asked.length) {
    try {
      return await request(asked);
    } catch (e) {
      const r = refusedMetric(e, asked);
      if (!r) throw e;
      if (r.metric) {
        refuse(ctx, r.metric, e as IgsqlError, view);
      } else if (asked.length === 1) {
        refuse(ctx, asked[0]!, e as IgsqlError, view);
      } else {
        // Graph did not say which: one request per metric isolates it.
        const items: InsightItem[] = [];
        for (const m of asked) items.push(...(await isolatingMetrics(ctx, [m], view, request)));
        return items;
      }
      asked = asked.filter((m) => !refused(ctx).has(m));
    }
  }
  return [];
}
