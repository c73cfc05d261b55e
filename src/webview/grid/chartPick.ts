/**
 * Which chart fits a result (host-free, so it is unit-tested in Node): a line for a time series (a datetime
 * column such as EndTime and numbers), bars for a breakdown (a label column and a number, few rows), and a
 * table of top countries for audience demographics (country codes, or a Dimension/DimensionValue breakdown
 * by country). The user can switch between whatever `options` lists.
 */
import type { GridColumn } from './protocol';

export type ChartKind = 'line' | 'bar' | 'countries';

export interface ChartPlan {
  /** Best fit first; empty when no chart fits (no number column). */
  options: ChartKind[];
  /** Label / x column. */
  x: number;
  /** Number columns to plot (at most 4). */
  y: number[];
  /**
   * For 'line': the text columns whose values together split rows into series (e.g. Metric, and MetricType
   * when a result mixes a daily time series with its total: each gets its own line, never one line through both).
   */
  seriesBy?: number[];
}

const TIME_NAME = /^(EndTime|Date|Day|Time|Timestamp|CreatedTime|Period)$/i;
const COUNTRY_NAME = /country/i;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const BREAKDOWN_MAX = 60;

export function planChart(columns: GridColumn[], rows: (string | null)[][]): ChartPlan {
  const numbers = columns.map((c, i) => (c.kind === 'number' ? i : -1)).filter((i) => i >= 0);
  const none: ChartPlan = { options: [], x: 0, y: [] };
  if (!numbers.length) return none;
  const time = columns.findIndex((c) => c.kind === 'datetime' || (TIME_NAME.test(c.name) && c.kind !== 'number'));
  const labels = columns.map((c, i) => (c.kind === 'text' || c.kind === 'boolean' ? i : -1)).filter((i) => i >= 0);
  const y = numbers.filter((i) => !/^(Id|.*Id)$/.test(columns[i]!.name)).slice(0, 4);
  const values = y.length ? y : numbers.slice(0, 1);
  if (time >= 0) {
    // A long-format series (one row per metric and day) becomes one line per metric; every low-cardinality
    // label that varies takes part in the split, so two kinds of rows never share one line.
    const seriesBy = labels.filter((i) => { const d = distinct(rows, i); return d > 1 && d <= 8; });
    return { options: ['line', 'bar'], x: time, y: values, ...(seriesBy.length ? { seriesBy } : {}) };
  }
  const countryCol = columns.findIndex((c, i) => COUNTRY_NAME.test(c.name) && c.kind !== 'number' || (c.kind === 'text' && isCountryColumn(rows, i)));
  if (countryCol >= 0) return { options: ['countries', 'bar'], x: countryCol, y: values.slice(0, 1) };
  const label = labels[0];
  if (label !== undefined && rows.length <= BREAKDOWN_MAX) return { options: ['bar', 'line'], x: label, y: values };
  return { options: ['line', 'bar'], x: label ?? -1, y: values };
}

function distinct(rows: (string | null)[][], i: number): number {
  const s = new Set<string | null>();
  for (const r of rows) { s.add(r[i] ?? null); if (s.size > 50) break; }
  return s.size;
}

function isCountryColumn(rows: (string | null)[][], i: number): boolean {
  let n = 0;
  for (const r of rows.slice(0, 200)) {
    const v = r[i];
    if (v === null || v === undefined) continue;
    if (!COUNTRY_CODE.test(v)) return false;
    n++;
  }
  return n >= 3;
}

/** Series for a line/bar chart: x values (epoch seconds for time, else row index) and one array per series. */
export function chartSeries(columns: GridColumn[], rows: (string | null)[][], plan: ChartPlan): { x: number[]; labels: string[]; series: Array<{ name: string; values: Array<number | null> }> } {
  const isTime = plan.x >= 0 && (columns[plan.x]!.kind === 'datetime' || TIME_NAME.test(columns[plan.x]!.name));
  const num = (v: string | null | undefined) => (v === null || v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));
  if (plan.seriesBy?.length && isTime) {
    const by = plan.seriesBy;
    const nameOf = (r: (string | null)[]) => by.map((i) => r[i] ?? 'NULL').join(' · ');
    const keys = [...new Set(rows.map((r) => r[plan.x] ?? ''))].sort();
    const names = [...new Set(rows.map(nameOf))];
    const at = new Map(keys.map((k, i) => [k, i]));
    const index = new Map(names.map((n, i) => [n, i]));
    const series = names.map((name) => ({ name, values: keys.map((): number | null => null) }));
    for (const r of rows) series[index.get(nameOf(r))!]!.values[at.get(r[plan.x] ?? '')!] = num(r[plan.y[0]!]);
    return { x: keys.map(toEpoch), labels: keys, series };
  }
  let ordered = rows;
  if (isTime) ordered = [...rows].sort((a, b) => ((a[plan.x] ?? '') < (b[plan.x] ?? '') ? -1 : (a[plan.x] ?? '') > (b[plan.x] ?? '') ? 1 : 0));
  const labels = ordered.map((r, i) => (plan.x >= 0 ? r[plan.x] ?? 'NULL' : String(i + 1)));
  return {
    x: isTime ? ordered.map((r) => toEpoch(r[plan.x] ?? '')) : ordered.map((_, i) => i),
    labels,
    series: plan.y.map((c) => ({ name: columns[c]!.name, values: ordered.map((r) => num(r[c])) })),
  };
}

/** ISO text → seconds since the epoch, read as UTC when it has no offset (never the host's time zone). */
export function toEpoch(v: string): number {
  const iso = /[zZ]|[+-]\d{2}:?\d{2}$/.test(v) ? v : `${v.replace(' ', 'T')}${v.length <= 10 ? 'T00:00:00' : ''}Z`;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t / 1000 : NaN;
}

/** Top countries: summed value per country, largest first. */
export function topCountries(rows: (string | null)[][], plan: ChartPlan, limit = 15): Array<{ country: string; value: number; share: number }> {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const c = r[plan.x] ?? 'NULL';
    sums.set(c, (sums.get(c) ?? 0) + (Number(r[plan.y[0]!]) || 0));
  }
  const total = [...sums.values()].reduce((a, b) => a + b, 0) || 1;
  return [...sums].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, limit).map(([country, value]) => ({ country, value, share: value / total }));
}
