/**
 * One result as the user sees it, in the results view, a notebook output or the console: the header line (rows,
 * row cap, account, Graph calls, the time waited, cache), a toolbar (filter, grid/chart, copy, export, image
 * export) and the grid or the chart. `post` sends requests to the extension host; `receive` takes its answers.
 */
import { ChartView } from './chart';
import { planChart, type ChartKind } from './chartPick';
import { Grid } from './grid';
import type { GridRequest, GridResponse, GridResult } from './protocol';
import { WindowedSource } from './source';

const CHART_ROWS = 5000;
const CHART_NAMES: Record<ChartKind, string> = { line: 'Line', bar: 'Bars', countries: 'Top countries' };

export class ResultView {
  readonly element = document.createElement('section');
  private readonly source: WindowedSource;
  private readonly grid: Grid;
  private chart: ChartView | undefined;
  private readonly note = document.createElement('div');

  constructor(private readonly result: GridResult, private readonly post: ((m: GridRequest) => void) | undefined) {
    this.element.className = 'ig-result';
    this.source = new WindowedSource(result, post);
    this.grid = new Grid({ columns: result.columns, source: this.source, resultId: result.resultId, post });

    const header = document.createElement('div');
    header.className = 'ig-info';
    header.setAttribute('role', 'status');
    header.append(...infoParts(result));

    const bar = document.createElement('div');
    bar.className = 'ig-toolbar';
    const filter = document.createElement('input');
    filter.type = 'search';
    filter.placeholder = 'Filter rows';
    filter.setAttribute('aria-label', 'Filter rows');
    let timer: ReturnType<typeof setTimeout> | undefined;
    filter.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => this.grid.setFilter(filter.value), 150); });
    const plan = planChart(result.columns, result.head);
    const mode = document.createElement('select');
    mode.setAttribute('aria-label', 'View');
    mode.append(new Option('Grid', 'grid'), ...plan.options.map((k) => new Option(`Chart: ${CHART_NAMES[k]}`, k)));
    mode.disabled = plan.options.length === 0;
    mode.title = plan.options.length ? 'Show as a grid or a chart' : 'No number column to chart';
    const png = button('PNG', 'Save the chart as PNG', () => this.saveImage('png'));
    const svg = button('SVG', 'Save the chart as SVG', () => this.saveImage('svg'));
    png.hidden = svg.hidden = true;
    mode.addEventListener('change', () => {
      void this.setMode(mode.value as 'grid' | ChartKind, plan);
      png.hidden = svg.hidden = mode.value === 'grid' || mode.value === 'countries';
      filter.disabled = mode.value !== 'grid';
    });
    const copy = button('Copy', 'Copy the selected rows with headers (Ctrl+C copies the cell or the rows)', () => this.grid.copy(true));
    const exp = button('Export…', 'Export the rows as shown (sorted, filtered) to CSV, Excel CSV, JSON, Markdown or a new editor', () =>
      post?.({ type: 'export', resultId: result.resultId, view: this.source.view() }));
    if (!post) copy.disabled = exp.disabled = true;
    bar.append(filter, mode, copy, exp, png, svg);

    this.note.className = 'ig-note';
    this.note.hidden = true;
    this.element.append(header, bar, this.note, this.grid.element);
    const onChange = this.source.onChange;
    this.source.onChange = () => { onChange?.(); this.showLocalNote(); };
    this.showLocalNote();
  }

  mount(): void {
    this.grid.mount();
  }

  receive(m: GridResponse): void {
    this.source.receive(m);
  }

  private showLocalNote(): void {
    const saved = this.result.head.length;
    if (this.source.local() && saved < this.result.info.rows) {
      this.note.textContent = `Showing the ${saved} saved rows of ${this.result.info.rows}: run the cell again for every row.`;
      this.note.hidden = false;
    }
  }

  private async setMode(mode: 'grid' | ChartKind, plan: ReturnType<typeof planChart>): Promise<void> {
    if (mode === 'grid') {
      this.chart?.element.remove();
      this.grid.element.hidden = false;
      return;
    }
    this.grid.element.hidden = true;
    if (!this.chart) this.chart = new ChartView(this.result.columns, plan);
    if (!this.chart.element.isConnected) this.element.append(this.chart.element);
    const rows = await this.source.all(CHART_ROWS);
    this.chart.show(mode, rows);
  }

  private saveImage(format: 'png' | 'svg'): void {
    const data = format === 'png' ? this.chart?.png() : this.chart?.svg();
    if (data) this.post?.({ type: 'saveImage', format, data, name: this.result.info.title || 'chart' });
  }

  dispose(): void {
    this.grid.dispose();
    this.chart?.dispose();
  }
}

function button(label: string, title: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.title = title;
  b.addEventListener('click', onClick);
  return b;
}

function infoParts(r: GridResult): HTMLElement[] {
  const i = r.info;
  const span = (text: string, cls = '', title = '') => {
    const s = document.createElement('span');
    s.textContent = text;
    if (cls) s.className = cls;
    if (title) s.title = title;
    return s;
  };
  const out = [span(`${i.rows.toLocaleString('en')} ${i.rows === 1 ? 'row' : 'rows'}`, 'ig-rows')];
  if (i.rowCap !== undefined) out.push(span(`stopped at the ${i.rowCap.toLocaleString('en')}-row cap`, 'ig-warn', 'Raise the igsql.results.maxRows setting to read more'));
  out.push(span(`${formatMs(i.waitedMs)} waited`, 'ig-time', 'Wall-clock time from Run to the last row'));
  out.push(span(`${i.apiCalls} Graph ${i.apiCalls === 1 ? 'call' : 'calls'}`, 'ig-calls'));
  if (i.target) out.push(span(i.target, 'ig-target', 'The account this ran on'));
  if (i.cache) out.push(span(`cache: ${i.cache}`, 'ig-cache'));
  for (const n of i.notes) out.push(span(n, 'ig-notes'));
  return out;
}

function formatMs(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${ms} ms`;
}
