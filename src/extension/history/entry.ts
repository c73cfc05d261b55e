/** One run in the query history (host-free). Never a token: the SQL is redacted before it is kept. */
export interface HistoryEntry {
  sql: string;
  connection: string;
  accountId?: string;
  accountLabel?: string;
  /** Milliseconds since the epoch when the run started. */
  at: number;
  rows: number;
  apiCalls: number;
  waitedMs: number;
  outcome: 'ok' | 'error' | 'cancelled';
  errorCode?: string;
  source: 'editor' | 'tree' | 'notebook' | 'history';
}

/** Where runs are recorded; the query runner and the notebook controller depend on this only. */
export interface HistoryRecorder {
  record(entry: HistoryEntry): void;
}
