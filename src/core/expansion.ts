/**
 * Graph field expansion chosen by the planner (issue 11): where a statement reads a child edge (Comments,
 * Replies, MediaChildren) of the objects another of its tables fetches, the outer request asks for that edge
 * inline (`comments.limit(50){…,replies.limit(50){…}}`), and each inline answer is primed in the query's cache
 * as the exact first-page request the child table would send, so the child's cursor finds it without a request.
 * https://developers.facebook.com/docs/graph-api/guides/field-expansion
 */
import { IgsqlError } from './errors';
import type { Page, Params } from './graph/client';
import { nextParams } from './graph/pager';
import { requestKey } from './prefetch';
import { fieldsFor, listedFields, pageLimit, publishedAccount } from './schema/common';
import type { Filter, KeyGroup, TableContext, TableDef } from './schema/types';
import type { QuerySession } from './engine/session';

export interface ExpansionOptions {
  /** Off with the read overlap or the `expand` connection option (only to compare). */
  enabled: boolean;
  /** The tables whose edges may be expanded. */
  tables: readonly TableDef[];
  pageSize: number;
}

/** A request for an edge's next page, for an edge whose inline answer did not fit. */
export interface EdgeRequest { segments: readonly string[]; params: Params }

export class EdgeExpansion {
  constructor(
    private readonly ctx: TableContext,
    private readonly session: QuerySession,
    private readonly o: ExpansionOptions,
  ) {}

  /**
   * The tables this statement reads whose edge hangs off objects of `group`. `chain` holds the tables whose
   * edges enclose this level of the request, so no edge nests inside itself.
   */
  private children(group: KeyGroup, chain: readonly string[]): TableDef[] {
    if (!this.o.enabled || chain.length >= 4) return [];
    return this.o.tables.filter((t) => t.edge?.of === group && this.session.tablesRead.has(t.name) && !chain.includes(t.name));
  }

  /**
   * The `fields=` of `table`'s edge: its items' fields with, inside, the expanded edges of those items. Asked
   * inline, or of a parent the query has listed (`known`), the items take what `fromParent` names from it.
   */
  private edgeFields(table: TableDef, chain: readonly string[], known = true): string {
    const e = table.edge!;
    const fields = known ? listedFields(this.ctx, table) : fieldsFor(this.ctx, table);
    return e.items ? this.nestFields(fields, e.items, [...chain, table.name]) : fields;
  }

  /** The first-page request of `table`'s edge without a LIMIT hint (Graph's largest page within Pagesize). */
  private edgeFirstPage(table: TableDef, chain: readonly string[]): Params {
    const e = table.edge!;
    return { fields: this.edgeFields(table, chain), ...(e.max ? { limit: Math.min(e.max, this.o.pageSize) } : {}) };
  }

  /** `comments.limit(50){…}`: the field that asks for `table`'s first page inline. */
  private nestedField(table: TableDef, chain: readonly string[]): string {
    const p = this.edgeFirstPage(table, chain);
    return `${table.edge!.name}${p.limit !== undefined ? `.limit(${String(p.limit)})` : ''}{${String(p.fields)}}`;
  }

  private nestFields(fields: string, group: KeyGroup, chain: readonly string[]): string {
    const nested = this.children(group, chain).map((t) => this.nestedField(t, chain));
    return nested.length ? `${fields},${nested.join(',')}` : fields;
  }

  /** `fields` of objects of `group`, with the child edges the statement reads asked inline. */
  expand(fields: string, group: KeyGroup): string {
    return this.nestFields(fields, group, []);
  }

  /**
   * The first-page request of `table`'s own edge of `parent` (its fields, nested edges inside, the LIMIT
   * hint). A parent the query has published with its account is known (an IN list publishes bare ids): the
   * request is then the one its inline answer was primed for.
   */
  edgeParams(f: Filter, table: TableDef, parent: string): Params {
    const e = table.edge;
    if (!e) throw new IgsqlError('INTERNAL', `${table.name} declares no edge.`);
    const known = publishedAccount(this.ctx, e.of, parent) !== undefined;
    const limit = e.max ? pageLimit(this.ctx, f, e.max) : undefined;
    // The same object for the same request while the plan stands (once per outer row of a join; requestKey
    // remembers each object's query string).
    const memo = `${table.name}|${String(known)}|${String(limit)}`;
    if (this.paramsVersion !== this.session.planVersion) {
      this.params.clear();
      this.paramsVersion = this.session.planVersion;
    }
    let params = this.params.get(memo);
    if (!params) this.params.set(memo, (params = { fields: this.edgeFields(table, [], known), ...(limit !== undefined ? { limit } : {}) }));
    return params;
  }

  private readonly params = new Map<string, Params>();
  private paramsVersion = -1;

  /**
   * What `items`, answered to a request whose `fields=` was `requested` (built by `expand` or `edgeParams`),
   * carry for the child tables: each object's inline edge as the answer to that edge's first-page request, as if
   * it had been fetched (Graph leaves an empty edge out: no items), nested edges inside it too, and the
   * next-page requests of the edges that did not fit (their inline `paging.next`). Only edges the request named
   * are served (an edge it did not ask for is absent, not empty). Builds no cache key but the overflowing edges':
   * the caller sends the overflow first, then primes (`prime`), so the batch the join will wait for leaves before
   * the 1 000+ keys of a page's comments and replies are made (issue 11: ~1 ms earlier, median of 24 runs).
   */
  inline(group: KeyGroup, items: ReadonlyArray<Record<string, unknown>>, requested: string, chain: readonly string[] = [], found: InlineAnswers = { pages: [], overflow: [] }): InlineAnswers {
    for (const t of this.children(group, chain)) {
      if (!requested.includes(`,${this.nestedField(t, chain)}`)) continue;
      const e = t.edge!;
      const first = this.edgeFirstPage(t, chain);
      // The items of every page of this edge, read together one level down (one call per level, not per item).
      const nested: Array<Record<string, unknown>> = [];
      for (const item of items) {
        const id = item.id;
        const inline = item[e.name] as Page<Record<string, unknown>> | undefined;
        if (typeof id !== 'string' || (inline !== undefined && (inline === null || typeof inline !== 'object' || !Array.isArray(inline.data)))) continue;
        const page: Page<Record<string, unknown>> = { data: inline?.data ?? [], ...(inline?.paging ? { paging: inline.paging } : {}) };
        const segments = [id, e.name];
        found.pages.push({ segments, params: first, page });
        if (e.items) for (const x of page.data) if (x && typeof x === 'object') nested.push(x);
        let next: Params | undefined;
        try {
          next = nextParams(page, `the ${e.name} of ${id}`);
        } catch {
          next = undefined; // the child's own pager meets the bad link
        }
        // An edge already in the cache (asked on its own, or primed before) reads its own answer's next page.
        if (next && !this.session.cached(requestKey(segments, first))) found.overflow.push({ segments, params: next });
      }
      if (e.items && nested.length) this.inline(e.items, nested, String(first.fields), [...chain, t.name], found);
    }
    return found;
  }

  /** Serves the child tables' first pages that `inline` found, except requests the cache already holds. */
  prime(pages: InlineAnswers['pages']): void {
    for (const p of pages) {
      const key = requestKey(p.segments, p.params);
      if (!this.session.cached(key)) this.session.prime(key, p.page);
    }
  }
}

/** What a page of objects carried inline for the child tables (EdgeExpansion.inline). */
export interface InlineAnswers {
  /** Each inline edge as the answer to its first-page request. */
  pages: Array<{ segments: readonly string[]; params: Params; page: Page<Record<string, unknown>> }>;
  /** The next-page requests of the edges that did not fit. */
  overflow: EdgeRequest[];
}
