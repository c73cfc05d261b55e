/**
 * The journal of a query's writes: what was sent, what was applied, what is unknown. A write is never sent twice
 * (the Graph client does not retry it); when a query stops half-way — cancelled, or a later row failed — the
 * journal is what lets the error say how many rows were written and which write's outcome nobody knows.
 */
import { IgsqlError } from '../errors';

export interface JournalEntry {
  /** "comment 1789…", as the schema names the object written. */
  what: string;
  state: 'sent' | 'applied' | 'failed' | 'unknown';
}

export class WriteJournal {
  readonly entries: JournalEntry[] = [];

  get applied(): number {
    return this.entries.filter((e) => e.state === 'applied').length;
  }

  /**
   * Sends one write. `isCancelled` is read right before sending: a cancelled query sends nothing more. A
   * write that was handed to the network and then cancelled may have been applied: the client reports it as
   * WRITE_UNKNOWN_OUTCOME, and so does the journal.
   */
  async write<T>(what: string, isCancelled: () => IgsqlError | undefined, send: () => Promise<T>): Promise<T> {
    const stop = isCancelled();
    if (stop) throw stop;
    const entry: JournalEntry = { what, state: 'sent' };
    this.entries.push(entry);
    try {
      const out = await send();
      entry.state = 'applied';
      return out;
    } catch (e) {
      const unknown = e instanceof IgsqlError && e.code === 'WRITE_UNKNOWN_OUTCOME';
      // The client checks the signal again before the request leaves: a CANCELLED from it was never sent.
      entry.state = unknown ? 'unknown' : 'failed';
      throw e;
    }
  }

  /**
   * The query's error with what the journal knows added: how many rows were written before it stopped and
   * which write has an unknown outcome. Returned unchanged when the query wrote nothing.
   */
  explain(error: IgsqlError): IgsqlError {
    const applied = this.applied;
    const unknown = this.entries.filter((e) => e.state === 'unknown');
    if (!this.entries.length || (applied === 0 && !unknown.length) || error.details.written !== undefined) return error;
    const parts: string[] = [];
    const stopped = error.code === 'CANCELLED' ? 'the cancel' : 'that';
    parts.push(`${applied} row${applied === 1 ? ' was' : 's were'} written before ${stopped}`);
    if (unknown.length && error.code !== 'WRITE_UNKNOWN_OUTCOME') parts.push(`the outcome of the write to ${unknown.map((u) => u.what).join(', ')} is unknown`);
    const message = `${error.message.replace(/\.?$/, '.')} ${parts.join('; ')}.`;
    return new IgsqlError(error.code, message, { ...error.details, written: applied }, { cause: error });
  }
}
