/**
 * The chart view of a result: uPlot (small, canvas) for lines and bars, a plain table with share bars for top
 * countries. PNG export is uPlot's canvas; SVG export is drawn from the same data and the same scales uPlot
 * chose, as vector paths (uPlot has no SVG output of its own).
 */
import uPlot from 'uplot';
import { chartSeries, topCountries, type ChartKind, type ChartPlan } from './chartPick';
import type { GridColumn } from './protocol';

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7'];

function themeColor(el: HTMLElement, variable: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(variable).trim() || fallback;
}

export class ChartView {
  readonly element = document.createElement('div');
  private plot: uPlot | undefined;
  private data: ReturnType<typeof chartSeries> | undefined;
  private kind: ChartKind | undefined;

  constructor(private readonly columns: GridColumn[], private readonly plan: ChartPlan) {
    this.element.className = 'ig-chart';
  }

  show(kind: ChartKind, rows: (string | null)[][]): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.kind = kind;
    this.element.replaceChildren();
    this.element.dataset.kind = kind;
    if (kind === 'countries') return this.countries(rows);
    const data = chartSeries(this.columns, rows, this.plan);
    this.data = data;
    const isTime = this.plan.x >= 0 && data.x.every((v) => Number.isFinite(v)) && kind === 'line' && data.x.length > 0 && data.x[0]! > 1e8;
    const fg = themeColor(this.element, '--vscode-foreground', '#ccc');
    const grid = themeColor(this.element, '--vscode-editorWidget-border', '#444');
    const colors = PALETTE.map((v, i) => themeColor(this.element, v, FALLBACK[i]!));
    const width = Math.max(320, this.element.parentElement?.clientWidth ?? 640) - 16;
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const opts: uPlot.Options = {
      width,
      height: 300,
      scales: { x: { time: isTime } },
      axes: [
        { ...axis, ...(isTime ? {} : { values: (_u: uPlot, splits: number[]) => splits.map((i) => shortLabel(data.labels[Math.round(i)] ?? '')) }) },
        { ...axis, size: 70 }, // room for "438,665"-sized labels
      ],
      legend: { show: true },
      series: [
        { label: this.plan.x >= 0 ? this.columns[this.plan.x]!.name : '#' },
        ...data.series.map((s, i) => ({
          label: s.name,
          stroke: colors[i % colors.length]!,
          width: 2,
          ...(kind === 'bar' ? { fill: colors[i % colors.length]!, paths: uPlot.paths.bars!({ size: [0.6, 64] }), points: { show: false } } : { spanGaps: true }),
        })),
      ],
    };
    this.plot = new uPlot(opts, [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData, this.element);
  }

  private countries(rows: (string | null)[][]): void {
    const table = document.createElement('table');
    table.className = 'ig-countries';
    const head = table.createTHead().insertRow();
    for (const t of ['Country', this.columns[this.plan.y[0]!]?.name ?? 'Value', 'Share']) { const th = document.createElement('th'); th.textContent = t; head.append(th); }
    const body = table.createTBody();
    for (const c of topCountries(rows, this.plan)) {
      const tr = body.insertRow();
      tr.insertCell().textContent = c.country;
      const v = tr.insertCell();
      v.className = 'ig-number';
      v.textContent = c.value.toLocaleString('en');
      const share = tr.insertCell();
      const bar = document.createElement('div');
      bar.className = 'ig-share';
      bar.style.width = `${Math.round(c.share * 160)}px`;
      const pct = document.createElement('span');
      pct.textContent = ` ${(c.share * 100).toFixed(1)}%`;
      share.append(bar, pct);
    }
    this.element.append(table);
  }

  png(): string | undefined {
    if (this.kind === 'countries') return undefined;
    const canvas = this.plot?.ctx.canvas;
    if (!canvas) return undefined;
    // The plot canvas is transparent: paint the theme background under it so the file reads anywhere.
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const ctx = out.getContext('2d')!;
    ctx.fillStyle = themeColor(this.element, '--vscode-editor-background', '#1e1e1e');
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    return out.toDataURL('image/png');
  }

  svg(): string | undefined {
    const u = this.plot;
    const data = this.data;
    if (!u || !data) return undefined;
    const { left, top, width, height } = u.bbox;
    const ratio = devicePixelRatio || 1;
    const [L, T, W, H] = [left / ratio, top / ratio, width / ratio, height / ratio];
    const fg = themeColor(this.element, '--vscode-foreground', '#333');
    const colors = PALETTE.map((v, i) => themeColor(this.element, v, FALLBACK[i]!));
    const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
    const xPos = (v: number) => u.valToPos(v, 'x');
    const yPos = (v: number) => u.valToPos(v, 'y');
    const parts: string[] = [];
    const yMin = u.scales.y.min ?? 0;
    const yMax = u.scales.y.max ?? 1;
    for (let k = 0; k <= 4; k++) {
      const v = yMin + ((yMax - yMin) * k) / 4;
      const y = T + yPos(v);
      parts.push(`<line x1="${L}" x2="${L + W}" y1="${y}" y2="${y}" stroke="${fg}" stroke-opacity="0.2"/>`, `<text x="${L - 6}" y="${y + 4}" text-anchor="end" font-size="11" fill="${fg}">${esc(formatNumber(v))}</text>`);
    }
    const step = Math.max(1, Math.ceil(data.x.length / 8));
    for (let i = 0; i < data.x.length; i += step) {
      parts.push(`<text x="${L + xPos(data.x[i]!)}" y="${T + H + 16}" text-anchor="middle" font-size="11" fill="${fg}">${esc(shortLabel(data.labels[i] ?? ''))}</text>`);
    }
    data.series.forEach((s, si) => {
      const color = colors[si % colors.length]!;
      if (this.kind === 'bar') {
        const bw = Math.max(2, (W / Math.max(1, data.x.length)) * 0.6 / data.series.length);
        s.values.forEach((v, i) => {
          if (v === null) return;
          const x = L + xPos(data.x[i]!) - (bw * data.series.length) / 2 + si * bw;
          const y0 = T + yPos(Math.max(0, yMin));
          const y1 = T + yPos(v);
          parts.push(`<rect x="${x.toFixed(1)}" y="${Math.min(y0, y1).toFixed(1)}" width="${bw.toFixed(1)}" height="${Math.abs(y0 - y1).toFixed(1)}" fill="${color}"/>`);
        });
      } else {
        const d = s.values.map((v, i) => (v === null ? '' : `${L + xPos(data.x[i]!)},${T + yPos(v)}`)).filter(Boolean).join(' ');
        parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${d}"/>`);
      }
      parts.push(`<text x="${L + 8 + si * 140}" y="${T - 6}" font-size="12" fill="${color}">${esc(s.name)}</text>`);
    });
    const w = u.width;
    const h = u.height;
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">${parts.join('')}</svg>\n`;
  }

  dispose(): void {
    this.plot?.destroy();
  }
}

function shortLabel(s: string): string {
  const day = /^(\d{4}-\d{2}-\d{2})T00:00:00/.exec(s);
  const t = day ? day[1]! : s;
  return t.length > 14 ? `${t.slice(0, 13)}…` : t;
}

function formatNumber(v: number): string {
  return Math.abs(v) >= 1000 ? Math.round(v).toLocaleString('en') : String(Math.round(v * 100) / 100);
}
