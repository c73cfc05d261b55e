/**
 * Estimated Graph calls of a statement, from the plan SQLite chose (which keys each virtual table got) and
 * what is known about the connection's data (accounts, media per account, page size). The arithmetic follows
 * how the core fetches: listings page through each account, lookups by id and per-object edges are batched
 * 50 per call (Graph batch), per page of the listing that produced the ids.
 */
import type { PlanAccess, QueryPlan } from '../core/api';

/** What the estimate needs to know about the data behind a connection. */
export interface Workload {
  /** Media (feed) count of each business account read by default. */
  mediaPerAccount: number[];
  /** Rows per Graph page (the Pagesize property). */
  pageSize: number;
  /**
   * Extra comment pages per media, averaged over a sample (Graph pages comments 50 at a time; the first page
   * is batched, the rest are one call each). Undefined when not measured: comment walks are then lower bounds.
   */
  commentFollowUps?: number;
  /**
   * Share of media whose comments need a second page. The core batches those second pages with the ones of
   * the media whose first pages came in the same batch (context.ts secondPage), so they cost a call per page
   * of ids, not per media; third and later pages are one call each. Undefined: every follow-up is one call.
   */
  commentSecondPages?: number;
  /** Stories per account (live ones; stories vanish after 24 h), when known; else assumed to fit one page. */
  storiesPerAccount?: number;
}

export const BATCH = 50;

export interface AccessEstimate {
  access: PlanAccess;
  calls: number;
  /** One sentence: what this access does and how to make it cheaper. */
  message: string;
  /** Comment pages beyond the first are not counted (not measured): the real count may be higher. */
  atLeast?: boolean;
}

export interface Estimate {
  calls: number;
  atLeast: boolean;
  accesses: AccessEstimate[];
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function eqValues(a: PlanAccess, column: string): number | undefined {
  const k = a.keys.find((x) => x.op === '=' && x.column === column);
  return k ? (k.values ?? 1) : undefined;
}

/** Calls for the comment pages beyond the first, for media arriving in `pages` of ids. */
function commentFollowUpCalls(pages: number[], w: Workload): number {
  const total = pages.reduce((s, x) => s + x, 0);
  const all = total * (w.commentFollowUps ?? 0);
  if (w.commentSecondPages === undefined) return Math.round(all);
  const second = w.commentSecondPages;
  // A page of ids expecting under one overflowing media counts its expectation (a single media: its share).
  const batched = pages.reduce((s, p) => s + (p * second >= 1 ? Math.ceil((p * second) / BATCH) : p * second), 0);
  return Math.round(batched + Math.max(0, all - total * second));
}

/** Batches of ≤ 50 ids, one per page of ids (the core batches what each page publishes). */
function batches(pages: number[]): number {
  return pages.reduce((s, n) => s + Math.ceil(n / BATCH), 0);
}

function pagesOf(rows: number, pageSize: number): number[] {
  const out: number[] = [];
  for (let left = rows; left > 0; left -= pageSize) out.push(Math.min(pageSize, left));
  return out;
}

export function estimateCalls(plan: QueryPlan, w: Workload, keyHint: (table: string) => string[] = () => []): Estimate {
  const out: AccessEstimate[] = [];
  /** Rows of the outer loop, as the pages they arrive in (ids are batched per page). */
  let driver: number[] = [1];
  for (const a of plan.accesses) {
    if (a.missingKey) continue;
    const accounts = eqValues(a, 'BusinessAccountId') ?? w.mediaPerAccount.length;
    const media = eqValues(a, 'BusinessAccountId') !== undefined ? w.mediaPerAccount.slice(0, accounts) : w.mediaPerAccount;
    const hint = () => {
      const keys = keyHint(a.table).filter((k) => k !== 'BusinessAccountId');
      return keys.length ? `; filter on ${keys.join(' or ')} to use fewer` : '';
    };
    let calls: number;
    let rows: number[];
    let message: string;
    if (a.read === 'id' || a.read === 'edge') {
      const key = a.keys.find((k) => k.op === '=' && k.column !== 'BusinessAccountId' && k.column !== 'Metric' && k.column !== 'Period')!;
      const literal = key?.values;
      // Inside a join the ids come page by page from the outer table; a literal IN list is one group.
      const pages = a.inner && literal === undefined ? driver : [literal ?? 1];
      // Inline (field expansion): the outer answers hold the first pages; only overflowing edges are read.
      calls = a.inline ? 0 : Math.max(1, batches(pages)) * (a.looksUpIds && !a.inner ? 2 : 1);
      if (a.table === 'Comments' && w.commentFollowUps) calls += commentFollowUpCalls(pages, w);
      rows = pages;
      const n = pages.reduce((s, x) => s + x, 0);
      message = a.inline
        ? `reads ${a.table} inline with the ~${n} outer rows (Graph field expansion)${calls ? `, plus the pages that did not fit: ~${plural(calls, 'call')}` : ': no call of its own'}`
        : a.inner
        ? `reads ${a.table} for each of ~${n} outer rows, batched ${BATCH} per call: ~${plural(calls, 'call')}`
        : `${a.read === 'id' ? 'looks up' : 'reads'} ${a.table} by ${key?.column ?? 'key'} (${plural(n, 'value')}): ${plural(calls, 'call')}`;
    } else if (a.walks !== 'accounts') {
      const withMedia = a.walks !== 'stories';
      const withStories = a.walks === 'stories' || a.walks === 'media-and-stories';
      const stories = Array.from({ length: media.length }, () => Math.max(1, w.storiesPerAccount ?? 1));
      const mediaPages = [
        ...(withMedia ? (a.limitPushed ? [w.pageSize] : media.flatMap((m) => pagesOf(m, w.pageSize))) : []),
        ...(withStories ? stories.flatMap((n) => pagesOf(n, w.pageSize)) : []),
      ];
      calls = a.limitPushed ? 1 : mediaPages.length;
      rows = mediaPages;
      const total = media.reduce((s, m) => s + m, 0);
      if (a.walks === 'account-media') {
        const narrowed = a.keys.some((k) => k.column === 'Timestamp');
        message = a.limitPushed
          ? `reads the first page of media: 1 call`
          : `${narrowed ? 'pages through the media in the Timestamp range' : 'scans every media'} of ${plural(accounts, 'account')}: ${narrowed ? 'up to ' : ''}~${plural(calls, 'call')}${narrowed ? '' : hint()}`;
      } else {
        // Inline (field expansion): the media pages carry the first page of each media's edge.
        if (!a.inline) calls += batches(mediaPages);
        if (a.table === 'Comments' || a.walks === 'comments') calls += commentFollowUpCalls(mediaPages, w);
        if (a.walks === 'comments') calls += Math.ceil(total / BATCH);
        const what = a.walks === 'comments' ? 'comment of every media' : a.walks === 'stories' ? 'story' : a.walks === 'media-and-stories' ? 'media and story' : 'media';
        const how = a.inline ? 'inline with the media pages (Graph field expansion)' : `batched ${BATCH} per call`;
        message = `reads ${a.table} of every ${what} of ${plural(accounts, 'account')} (${total} media, ${how}): ~${plural(calls, 'call')}${hint()}`;
      }
    } else {
      calls = Math.max(1, accounts) * (a.inner ? driver.length : 1);
      rows = [accounts];
      message = `reads ${a.table} once per account (${plural(accounts, 'account')}): ${plural(calls, 'call')}`;
    }
    const atLeast = w.commentFollowUps === undefined && (a.table === 'Comments' || a.walks === 'comments');
    out.push({ access: a, calls, message, ...(atLeast ? { atLeast } : {}) });
    if (!a.inner) driver = rows;
  }
  return { calls: out.reduce((s, e) => s + e.calls, 0), atLeast: out.some((e) => e.atLeast), accesses: out };
}
