/**
 * The rows of a query's last statement, as the caller pulls them (Engine.query returns them): one at a time,
 * in order, and the session ends with the last row, an error, `return()` or the result being collected.
 */
import type { SqlValue } from '../api';
import type { Statement } from '../sql/tokenize';
import type { Engine } from './engine';
import type { QuerySession } from './session';

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * The rows of a query's last statement. A plain object rather than an async generator: a generator's
 * `return()` before its first `next()` never runs its `finally`, which left the connection locked for good.
 * Here `return()`, the last row, an error and being collected (FinalizationRegistry) all end the session.
 */
export class ResultRows implements AsyncIterableIterator<SqlValue[]> {
  private queue: Promise<unknown> = Promise.resolve();
  /** Calls not yet settled; while there are some, the next one waits its turn behind them. */
  private inFlight = 0;
  private finished = false;

  /** `buffered`: the statement's rows, already computed in the synchronous build (sync-route.ts). */
  constructor(private readonly engine: Engine, private readonly session: QuerySession, private readonly sql: string, private readonly statement: Statement, private readonly buffered?: { rows: SqlValue[][]; next: number }) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** Calls are served one at a time, in order (a caller may ask again before the previous answer). */
  private serial<T>(f: () => Promise<T>): Promise<T> {
    this.inFlight++;
    const p = this.queue.then(f);
    this.queue = p.then(() => this.inFlight--, () => this.inFlight--);
    return p;
  }

  next(): Promise<IteratorResult<SqlValue[]>> {
    // Nothing pending and SQLite answered without suspending for Graph: the row, without a promise chain per
    // row (they were ~4 µs of each row of a 1 216-row join served from memory, issue 11).
    if (this.inFlight === 0 && !this.finished && !this.session.ended) {
      const row = this.read();
      return Array.isArray(row) ? Promise.resolve({ done: false, value: row }) : this.serial(() => this.settle(row));
    }
    return this.serial(() => this.pull());
  }

  return(): Promise<IteratorResult<SqlValue[]>> {
    return this.serial(async () => {
      this.finished = true;
      await this.session.end();
      return DONE;
    });
  }

  private async pull(): Promise<IteratorResult<SqlValue[]>> {
    if (this.finished) return DONE;
    const s = this.session;
    if (s.ended) {
      this.finished = true;
      // Ended from outside (the connection closed): the reader learns why instead of a short result.
      return s.isCancelled ? this.failed(s.cancelledError()) : DONE;
    }
    return this.settle(this.read());
  }

  /** The next row at once, or a promise of it (or of the end, or the error) when SQLite waits for Graph. */
  private read(): ReturnType<Engine['nextRow']> {
    try {
      return this.engine.nextRow(this.session, this.sql, this.statement, this.buffered);
    } catch (e) {
      // settle() reports it, as one thrown while waiting; until it runs, the rejection is not unhandled.
      const failed = Promise.reject(e);
      failed.catch(() => undefined);
      return failed;
    }
  }

  /** The row, or the end of the rows (the session ends), of a step that may have suspended. */
  private async settle(pending: ReturnType<Engine['nextRow']>): Promise<IteratorResult<SqlValue[]>> {
    try {
      const row = await pending;
      if (row) return { done: false, value: row };
      this.finished = true;
      await this.session.end();
      return DONE;
    } catch (e) {
      return this.failed(e);
    }
  }

  private async failed(e: unknown): Promise<never> {
    this.finished = true;
    const error = this.engine.resolveError(e, this.session);
    await this.session.end();
    throw error;
  }
}
