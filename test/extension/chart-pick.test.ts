// Which chart fits a result's shape, and the series it plots (time zone independent).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chartSeries, planChart, toEpoch, topCountries } from '../../src/webview/grid/chartPick';
import type { GridColumn } from '../../src/webview/grid/protocol';

const col = (name: string, kind: GridColumn['kind']): GridColumn => ({ name, kind });

describe('chart choice', () => {
  it('a time series with EndTime is a line, sorted by time', () => {
    const cols = [col('EndTime', 'datetime'), col('Value', 'number')];
    const rows = [['2026-11-03T08:00:00+0000', '30'], ['2026-11-01T08:00:00+0000', '10'], ['2026-11-02T08:00:00+0000', '20']];
    const plan = planChart(cols, rows);
    assert.equal(plan.options[0], 'line');
    const s = chartSeries(cols, rows, plan);
    assert.deepEqual(s.series[0]!.values, [10, 20, 30]);
    assert.equal(s.x[0], Date.UTC(2026, 10, 1, 8) / 1000);
  });

  it('a long-format series (Metric per row) becomes one line per metric', () => {
    const cols = [col('Metric', 'text'), col('EndTime', 'datetime'), col('Value', 'number')];
    const rows = [['reach', '2026-11-01', '5'], ['views', '2026-11-01', '50'], ['reach', '2026-11-02', '6'], ['views', '2026-11-02', '60']];
    const plan = planChart(cols, rows);
    assert.deepEqual(plan.seriesBy, [0]);
    const s = chartSeries(cols, rows, plan);
    assert.deepEqual(s.series.map((x) => [x.name, x.values]), [['reach', [5, 6]], ['views', [50, 60]]]);
  });

  it('a daily series and its total (AccountInsights without a MetricType filter) are separate lines, not one spike', () => {
    const cols = [col('Metric', 'text'), col('MetricType', 'text'), col('EndTime', 'datetime'), col('Value', 'number')];
    const rows = [
      ['reach', 'time_series', '2026-11-01T07:00:00Z', '5'], ['reach', 'time_series', '2026-11-02T08:00:00Z', '6'],
      ['reach', 'total_value', '2026-11-02T08:00:00Z', '11'],
      ['views', 'time_series', '2026-11-01T07:00:00Z', '50'], ['views', 'time_series', '2026-11-02T08:00:00Z', '60'],
    ];
    const plan = planChart(cols, rows);
    assert.deepEqual(plan.seriesBy, [0, 1]);
    const s = chartSeries(cols, rows, plan);
    assert.deepEqual(s.series.map((x) => [x.name, x.values]), [
      ['reach · time_series', [5, 6]], ['reach · total_value', [null, 11]], ['views · time_series', [50, 60]],
    ]);
  });

  it('a breakdown is bars; demographics by country are a top-countries table', () => {
    assert.equal(planChart([col('MediaType', 'text'), col('n', 'number')], [['IMAGE', '3'], ['VIDEO', '2']]).options[0], 'bar');
    const cols = [col('DimensionValue', 'text'), col('Value', 'number')];
    const rows = [['US', '50'], ['BR', '30'], ['US', '10'], ['DE', '10']];
    const plan = planChart(cols, rows);
    assert.equal(plan.options[0], 'countries');
    assert.deepEqual(topCountries(rows, plan).map((c) => [c.country, c.value, c.share]), [['US', 60, 0.6], ['BR', 30, 0.3], ['DE', 10, 0.1]]);
  });

  it('no number column, no chart', () => {
    assert.deepEqual(planChart([col('Caption', 'text')], [['a']]).options, []);
  });

  it('a time without an offset is read as UTC, whatever the host time zone', () => {
    assert.equal(toEpoch('2026-11-01'), Date.UTC(2026, 10, 1) / 1000);
    assert.equal(toEpoch('2026-11-01T08:00:00+0200'), Date.UTC(2026, 10, 1, 6) / 1000);
  });
});
