/**
 * Messages between the extension and the results webview (host-free). Values are turned into display strings
 * here, so the webview only ever receives strings and nulls and inserts them as text (never as HTML).
 */
import type { QueryStats, ResultColumn, SqlValue } from '../core/api';

export interface ShownStats { rows: number; elapsedMs: number; apiCalls: number; pages: number; notes: string[] }

export type ResultsMessage =
  | { type: 'running'; title: string; target: string }
  | { type: 'progress'; stats: ShownStats }
  | { type: 'result'; title: string; target: string; columns: ResultColumn[]; rows: (string | null)[][]; truncated: boolean; stats: ShownStats }
  | { type: 'error'; title: string; target: string; code: string; message: string; position?: string }
  | { type: 'cancelled'; title: string; target: string; stats: ShownStats };

/** Messages the webview sends back. */
export type WebviewMessage = { type: 'ready' } | { type: 'cancel' };

export function cell(value: SqlValue | boolean | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return `<${value.byteLength} bytes>`;
}

export function shownStats(stats: Readonly<QueryStats> | undefined, rows: number, elapsedMs: number): ShownStats {
  return {
    rows,
    elapsedMs: Math.round(elapsedMs),
    apiCalls: stats?.apiCalls ?? 0,
    pages: stats?.pages ?? 0,
    notes: [...(stats?.notes ?? [])],
  };
}

/** "5 rows · 120 ms · 1 Graph call", the results header and the status line in the notification. */
export function summary(s: ShownStats): string {
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${plural(s.rows, 'row', 'rows')} · ${s.elapsedMs} ms · ${plural(s.apiCalls, 'Graph call', 'Graph calls')}`;
}
