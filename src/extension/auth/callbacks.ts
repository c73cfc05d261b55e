/**
 * Callbacks that reach the UriHandler (`<uriScheme>://igsql.instagram-sql/auth-callback?code=…&state=…`),
 * handed to the sign-in waiting for that state. A callback nobody waits for (stale, foreign or replayed) is
 * dropped and logged without its query (it may carry a code).
 */
import { IgsqlError } from '../../core/errors';

export class AuthCallbacks {
  private readonly waiting = new Map<string, (query: string) => void>();

  constructor(private readonly warn: (line: string) => void) {}

  /** Resolves with the callback's query string when one arrives with this state. */
  waitFor(state: string, signal: AbortSignal): Promise<string> {
    return new Promise((resolve, reject) => {
      if (signal.aborted) return reject(new IgsqlError('CANCELLED', 'The sign-in was cancelled.'));
      this.waiting.set(state, (q) => { this.waiting.delete(state); resolve(q); });
      signal.addEventListener('abort', () => { this.waiting.delete(state); reject(new IgsqlError('CANCELLED', 'The sign-in was cancelled.')); }, { once: true });
    });
  }

  forget(state: string): void {
    this.waiting.delete(state);
  }

  /** The UriHandler's part: true when a sign-in took the callback. */
  deliver(query: string): boolean {
    const state = new URLSearchParams(query).get('state') ?? '';
    const take = this.waiting.get(state);
    if (!take) {
      this.warn('A sign-in callback arrived that no sign-in in this window is waiting for (stale, replayed or from elsewhere): ignored.');
      return false;
    }
    take(query);
    return true;
  }
}
