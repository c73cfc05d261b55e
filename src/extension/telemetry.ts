/**
 * Telemetry behind the core's `TelemetrySink` shape (host-free: no `vscode` import, so it is unit-tested with a
 * fake reporter). Two guards, both here rather than trusted to callers:
 * - nothing is sent while VS Code's telemetry is off (`env.isTelemetryEnabled`, checked at every event, since
 *   the user may change the level at any time);
 * - only allow-listed property names with short enum-like values pass, so SQL text, ids, usernames, tokens or
 *   error messages can never leave, even if a caller (or the core) passes them by mistake.
 */
import type { TelemetrySink } from '../core/api';
import { tokenize } from '../core/sql/tokenize';

/** The part of `@vscode/extension-telemetry`'s TelemetryReporter we use. */
export interface TelemetryReporterLike {
  sendTelemetryEvent(name: string, properties?: Record<string, string>, measurements?: Record<string, number>): void;
  dispose(): unknown;
}

/** Property names that may be sent, and nothing else. Values must look like identifiers (see VALUE). */
export const ALLOWED_PROPERTIES: ReadonlySet<string> = new Set([
  'command', // our own command ids, e.g. igsql.runQuery
  'outcome', // ok | error | cancelled
  'errorCode', // IgsqlError code, e.g. SQL_SYNTAX
  'source', // editor | tree
  'connectionKind', // sample | custom
  'statementKind', // select | insert | update | delete | exec | other
]);
const VALUE = /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/;

export class Telemetry implements TelemetrySink {
  constructor(
    private readonly reporter: TelemetryReporterLike,
    private readonly isEnabled: () => boolean,
  ) {}

  event(name: string, properties: Record<string, string> = {}, measurements: Record<string, number> = {}): void {
    if (!this.isEnabled()) return;
    const props: Record<string, string> = {};
    for (const [k, v] of Object.entries(properties)) {
      if (ALLOWED_PROPERTIES.has(k) && typeof v === 'string' && VALUE.test(v)) props[k] = v;
    }
    const measures: Record<string, number> = {};
    for (const [k, v] of Object.entries(measurements)) {
      if (typeof v === 'number' && Number.isFinite(v)) measures[k] = Math.round(v * 1000) / 1000;
    }
    this.reporter.sendTelemetryEvent(name, props, measures);
  }

  dispose(): void {
    void this.reporter.dispose();
  }
}

/**
 * First keyword of a statement, the only thing about SQL text that telemetry may know. Comments before it are
 * skipped (the statement at the cursor keeps the comment above it), with the core's tokenizer.
 */
export function statementKind(sql: string): string {
  const first = tokenize(sql).find((t) => t.type !== 'space' && t.type !== 'comment');
  const word = first?.type === 'word' ? first.text.toLowerCase() : '';
  if (word === 'execute') return 'exec';
  return ['select', 'insert', 'update', 'delete', 'exec', 'with'].includes(word) ? (word === 'with' ? 'select' : word) : 'other';
}

/** Used when no telemetry connection string is configured: events go to the log at trace level only. */
export class LogReporter implements TelemetryReporterLike {
  constructor(private readonly trace: (line: string) => void) {}
  sendTelemetryEvent(name: string, properties?: Record<string, string>, measurements?: Record<string, number>): void {
    this.trace(`telemetry ${name} ${JSON.stringify({ ...properties, ...measurements })}`);
  }
  dispose(): void {}
}
