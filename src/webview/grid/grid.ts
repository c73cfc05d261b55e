/**
 * The virtualised results grid (browser side). @tanstack/virtual-core decides which rows are on screen; only
 * those ~40 rows exist in the DOM, filled from the RowSource (windows pulled from the extension host). Every
 * value goes in with textContent; links are set only for http(s) URLs. Colours are VS Code theme variables.
 */
import { Virtualizer, elementScroll, observeElementOffset, observeElementRect } from '@tanstack/virtual-core';
import type { GridColumn, GridRequest, SortSpec } from './protocol';
import type { RowSource } from './source';

const ROW_H = 22;
const NUM_W = 56;
const MEDIA_URL = /\.(jpe?g|png|gif|webp)(\?|$)|cdninstagram|fbcdn|scontent|\/media\//i;

export interface GridOptions {
  columns: GridColumn[];
  source: RowSource;
  resultId: string;
  post: ((m: GridRequest) => void) | undefined;
}

export class Grid {
  readonly element = document.createElement('div');
  private readonly headRow = document.createElement('div');
  private readonly scroll = document.createElement('div');
  private readonly body = document.createElement('div');
  private readonly tip = document.createElement('img');
  private readonly widths: number[];
  private readonly virtualizer: Virtualizer<HTMLDivElement, HTMLDivElement>;
  private selected = new Set<number>();
  private anchor = -1;
  private cell: { row: number; col: number } | undefined;
  private frame = 0;
  private unmount: (() => void) | undefined;

  constructor(private readonly o: GridOptions) {
    this.element.className = 'ig-grid';
    this.headRow.className = 'ig-head';
    this.scroll.className = 'ig-scroll';
    this.scroll.tabIndex = 0;
    this.scroll.setAttribute('role', 'grid');
    this.scroll.setAttribute('aria-rowcount', String(o.source.total()));
    this.body.className = 'ig-body';
    this.tip.className = 'ig-thumb';
    this.tip.hidden = true;
    this.tip.alt = '';
    this.tip.addEventListener('error', () => { this.tip.hidden = true; });
    this.scroll.append(this.headRow, this.body);
    this.element.append(this.scroll, this.tip);
    const sample = o.source.rows(0, Math.min(50, o.source.total()));
    this.widths = o.columns.map((c, i) => {
      // ~8 px a character in the editor font; the header is bold and may carry a sort arrow.
      const longest = Math.max(c.name.length + 3, ...sample.map((r) => Math.min(60, r?.[i]?.length ?? 4)));
      return Math.max(60, Math.min(c.kind === 'number' ? 160 : 360, Math.round(longest * 8 + 16)));
    });
    this.buildHeader();
    this.virtualizer = new Virtualizer<HTMLDivElement, HTMLDivElement>({
      count: o.source.total(),
      getScrollElement: () => this.scroll,
      estimateSize: () => ROW_H,
      overscan: 12,
      scrollPaddingStart: ROW_H,
      paddingStart: ROW_H, // the sticky header row sits above the first data row
      scrollToFn: elementScroll,
      observeElementRect,
      observeElementOffset,
      onChange: () => this.schedule(),
    });
    o.source.onChange = () => {
      this.virtualizer.setOptions({ ...this.virtualizer.options, count: o.source.total() });
      this.scroll.setAttribute('aria-rowcount', String(o.source.total()));
      this.invalidate();
    };
    this.scroll.addEventListener('keydown', (e) => this.onKey(e));
    this.body.addEventListener('mousedown', (e) => this.onClick(e));
    this.body.addEventListener('mouseover', (e) => this.onHover(e));
    this.body.addEventListener('mouseleave', () => { this.tip.hidden = true; });
  }

  /** Call once the element is in the document. */
  mount(): void {
    this.unmount = this.virtualizer._didMount();
    this.virtualizer._willUpdate();
    this.render();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = 0; this.render(); });
  }

  private totalWidth(): number {
    return NUM_W + this.widths.reduce((a, b) => a + b, 0);
  }

  private buildHeader(): void {
    this.headRow.replaceChildren();
    this.headRow.style.width = `${this.totalWidth()}px`;
    const corner = document.createElement('div');
    corner.className = 'ig-cell ig-num';
    corner.textContent = '#';
    this.headRow.append(corner);
    const sort = this.o.source.view().sort;
    this.o.columns.forEach((c, i) => {
      const h = document.createElement('div');
      h.className = `ig-cell ig-h ig-${c.kind}`;
      h.setAttribute('role', 'columnheader');
      h.style.width = `${this.widths[i]}px`;
      const label = document.createElement('span');
      label.textContent = c.name;
      h.title = `${c.name} (${c.kind}): click to sort`;
      h.append(label);
      if (sort?.column === i) {
        const arrow = document.createElement('span');
        arrow.className = 'ig-sort';
        arrow.textContent = sort.dir === 'asc' ? ' ▲' : ' ▼';
        h.setAttribute('aria-sort', sort.dir === 'asc' ? 'ascending' : 'descending');
        h.append(arrow);
      }
      h.addEventListener('click', (e) => { if (!(e.target as HTMLElement).classList.contains('ig-resize')) this.toggleSort(i); });
      const grip = document.createElement('div');
      grip.className = 'ig-resize';
      grip.addEventListener('pointerdown', (e) => this.resize(e, i));
      h.append(grip);
      this.headRow.append(h);
    });
  }

  private toggleSort(column: number): void {
    const cur = this.o.source.view().sort;
    const next: SortSpec | undefined = cur?.column !== column ? { column, dir: 'asc' } : cur.dir === 'asc' ? { column, dir: 'desc' } : undefined;
    const view = { ...this.o.source.view() };
    if (next) view.sort = next; else delete view.sort;
    this.selected.clear();
    this.cell = undefined;
    this.o.source.setView(view);
    this.buildHeader();
  }

  setFilter(text: string): void {
    const view = { ...this.o.source.view() };
    if (text.trim()) view.filter = text.trim(); else delete view.filter;
    this.selected.clear();
    this.cell = undefined;
    this.o.source.setView(view);
    this.scroll.scrollTop = 0;
  }

  private resize(e: PointerEvent, i: number): void {
    e.preventDefault();
    e.stopPropagation();
    const grip = e.target as HTMLElement;
    grip.setPointerCapture(e.pointerId);
    const x0 = e.clientX;
    const w0 = this.widths[i]!;
    const move = (ev: PointerEvent) => {
      this.widths[i] = Math.max(40, w0 + ev.clientX - x0);
      this.buildHeader();
      this.invalidate();
    };
    const up = () => { grip.removeEventListener('pointermove', move); grip.removeEventListener('pointerup', up); };
    grip.addEventListener('pointermove', move);
    grip.addEventListener('pointerup', up);
  }

  /**
   * Rows on screen are kept by index and reused while they stay on screen: a scroll step only builds the rows
   * that came into view (measured in bench/grid.ts: rebuilding all ~60 rows every frame cost most of the frame).
   * `version` changes whenever what a row shows may change (data, view, selection, widths).
   */
  private rowEls = new Map<number, HTMLDivElement>();
  private version = 0;

  private invalidate(): void {
    this.version++;
    this.schedule();
  }

  private render(): void {
    const items = this.virtualizer.getVirtualItems();
    this.body.style.height = `${this.virtualizer.getTotalSize() - ROW_H}px`;
    this.body.style.width = `${this.totalWidth()}px`;
    const keep = new Map<number, HTMLDivElement>();
    if (items.length) {
      const first = items[0]!.index;
      const rows = this.o.source.rows(first, items[items.length - 1]!.index + 1);
      for (const item of items) {
        const row = rows[item.index - first];
        let tr = this.rowEls.get(item.index);
        if (!tr || tr.dataset.version !== String(this.version) || (tr.dataset.loaded !== '1' && row)) {
          const fresh = this.buildRow(item.index, row);
          if (tr) tr.replaceWith(fresh); else this.body.append(fresh);
          tr = fresh;
        }
        tr.style.transform = `translateY(${item.start - ROW_H}px)`;
        keep.set(item.index, tr);
      }
    }
    for (const [i, el] of this.rowEls) if (!keep.has(i)) el.remove();
    this.rowEls = keep;
  }

  private buildRow(index: number, row: (string | null)[] | undefined): HTMLDivElement {
    const tr = document.createElement('div');
    tr.className = `ig-row${this.selected.has(index) ? ' ig-selected' : ''}`;
    tr.setAttribute('role', 'row');
    tr.setAttribute('aria-rowindex', String(index + 1));
    tr.dataset.row = String(index);
    tr.dataset.version = String(this.version);
    tr.dataset.loaded = row ? '1' : '0';
    const num = document.createElement('div');
    num.className = 'ig-cell ig-num';
    num.textContent = String(index + 1);
    tr.append(num);
    this.o.columns.forEach((c, ci) => {
      const td = document.createElement('div');
      td.className = `ig-cell ig-${c.kind}`;
      td.setAttribute('role', 'gridcell');
      td.style.width = `${this.widths[ci]}px`;
      td.dataset.col = String(ci);
      if (this.cell?.row === index && this.cell.col === ci) td.classList.add('ig-focus');
      const v = row ? row[ci] ?? null : undefined;
      if (v === undefined) { td.classList.add('ig-loading'); td.textContent = '…'; }
      else if (v === null) { td.classList.add('ig-null'); td.textContent = 'NULL'; }
      else if (c.kind === 'url' && /^https?:\/\//i.test(v)) {
        const a = document.createElement('a');
        a.href = v; // http(s) only: checked above
        a.textContent = v;
        td.append(a);
      } else {
        td.textContent = v.length > 500 ? `${v.slice(0, 499)}…` : v;
        if (v.length > 40) td.title = v.length > 2000 ? `${v.slice(0, 1999)}…` : v;
      }
      tr.append(td);
    });
    return tr;
  }

  private rowAt(e: MouseEvent): { row: number; col: number } | undefined {
    const td = (e.target as HTMLElement).closest('.ig-cell') as HTMLElement | null;
    const tr = td?.closest('.ig-row') as HTMLElement | null;
    if (!td || !tr) return undefined;
    return { row: Number(tr.dataset.row), col: td.dataset.col === undefined ? -1 : Number(td.dataset.col) };
  }

  private onClick(e: MouseEvent): void {
    const at = this.rowAt(e);
    if (!at || (e.target as HTMLElement).tagName === 'A') return;
    if (at.col === -1 || e.shiftKey || e.ctrlKey || e.metaKey) {
      // Row selection: the row-number column, or with modifiers.
      if (e.shiftKey && this.anchor >= 0) {
        const [a, b] = this.anchor < at.row ? [this.anchor, at.row] : [at.row, this.anchor];
        for (let i = a; i <= b; i++) this.selected.add(i);
      } else if (e.ctrlKey || e.metaKey) {
        if (this.selected.has(at.row)) this.selected.delete(at.row); else this.selected.add(at.row);
        this.anchor = at.row;
      } else {
        this.selected = new Set([at.row]);
        this.anchor = at.row;
      }
      this.cell = undefined;
    } else {
      this.selected.clear();
      this.cell = at;
      this.anchor = at.row;
    }
    this.scroll.focus();
    this.invalidate();
  }

  private onKey(e: KeyboardEvent): void {
    const mod = e.ctrlKey || e.metaKey;
    if (mod && e.key.toLowerCase() === 'c') { e.preventDefault(); this.copy(e.shiftKey); }
    else if (mod && e.key.toLowerCase() === 'a') {
      e.preventDefault();
      this.selected = new Set(Array.from({ length: this.o.source.total() }, (_, i) => i));
      this.invalidate();
    }
  }

  /** Copies the focused cell, or the selected rows with a header line (`headers` forces it for a cell too). */
  copy(headers = false): void {
    if (!this.o.post) return;
    const view = this.o.source.view();
    if (this.selected.size) this.o.post({ type: 'copy', resultId: this.o.resultId, view, rows: [...this.selected], headers: true });
    else if (this.cell) this.o.post({ type: 'copy', resultId: this.o.resultId, view, rows: [this.cell.row], columns: [this.cell.col], headers });
  }

  selection(): number[] {
    return [...this.selected];
  }

  private onHover(e: MouseEvent): void {
    const a = (e.target as HTMLElement).closest('a');
    if (!a || !MEDIA_URL.test(a.href)) { this.tip.hidden = true; return; }
    if (this.tip.src !== a.href) this.tip.src = a.href;
    const box = this.element.getBoundingClientRect();
    this.tip.style.left = `${Math.min(e.clientX - box.left + 12, box.width - 170)}px`;
    this.tip.style.top = `${e.clientY - box.top + 12}px`;
    this.tip.hidden = false;
  }

  dispose(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.unmount?.(); // the scroll and resize observers
  }
}
