/**
 * An answer a connection asks Graph once for all its queries (the token's accounts, its granted scopes). The
 * request runs under its own signal, not that of the query that happened to ask first: that query may end
 * before the answer (a LIMIT, an error, a cancel), and its end must neither fail the other queries waiting
 * for the answer nor leave the request running for nobody. Each caller waits with its own signal; when the
 * last waiter stops waiting, the request is aborted and the next caller asks again.
 */
import { IgsqlError } from './errors';

export class SharedAnswer<T> {
  private current?: { answer: Promise<T>; abort: AbortController; waiters: number; settled: boolean };

  /** @param lifetime aborted when the connection closes (the request with it). */
  constructor(private readonly lifetime: AbortSignal) {}

  /**
   * The answer: `ask` starts the request under the signal it is given, unless one is on its way or answered
   * already; `signal` (the caller's query) ends only this caller's wait.
   */
  get(ask: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const cancelled = () => new IgsqlError('CANCELLED', 'The query was cancelled.');
    if (signal?.aborted) return Promise.reject(cancelled());
    let c = this.current;
    if (!c) {
      const abort = new AbortController();
      const onClose = () => abort.abort();
      this.lifetime.addEventListener('abort', onClose, { once: true });
      const entry = { answer: ask(abort.signal), abort, waiters: 0, settled: false };
      this.current = c = entry;
      entry.answer.then(
        () => { entry.settled = true; this.lifetime.removeEventListener('abort', onClose); },
        () => {
          entry.settled = true;
          this.lifetime.removeEventListener('abort', onClose);
          if (this.current === entry) this.current = undefined; // a failure is not kept: the next caller asks again
        },
      );
    }
    const entry = c;
    entry.waiters++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(cancelled());
        if (--entry.waiters === 0 && !entry.settled) {
          if (this.current === entry) this.current = undefined;
          entry.abort.abort();
        }
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      entry.answer.then(
        (v) => { signal?.removeEventListener('abort', onAbort); entry.waiters--; resolve(v); },
        (e: unknown) => { signal?.removeEventListener('abort', onAbort); entry.waiters--; reject(e); },
      );
    });
  }
}
