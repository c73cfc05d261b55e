import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statementKind, Telemetry, type TelemetryReporterLike } from '../../src/extension/telemetry';

/** A reporter that records what it was asked to send. */
class FakeReporter implements TelemetryReporterLike {
  sent: Array<{ name: string; properties?: Record<string, string>; measurements?: Record<string, number> }> = [];
  sendTelemetryEvent(name: string, properties?: Record<string, string>, measurements?: Record<string, number>): void {
    this.sent.push({ name, ...(properties ? { properties } : {}), ...(measurements ? { measurements } : {}) });
  }
  dispose(): void {}
}

describe('extension telemetry', () => {
  it('sends nothing while VS Code telemetry is off, and resumes when it is turned on', () => {
    const reporter = new FakeReporter();
    let enabled = false;
    const telemetry = new Telemetry(reporter, () => enabled);
    telemetry.event('activation', {}, { activateMs: 3 });
    telemetry.event('query/run', { outcome: 'ok' }, { rows: 5 });
    assert.equal(reporter.sent.length, 0);
    enabled = true;
    telemetry.event('command', { command: 'igsql.runQuery' });
    assert.deepEqual(reporter.sent, [{ name: 'command', properties: { command: 'igsql.runQuery' }, measurements: {} }]);
  });

  it('lets only allow-listed properties with identifier-like values through', () => {
    const reporter = new FakeReporter();
    const telemetry = new Telemetry(reporter, () => true);
    telemetry.event('query/run', {
      outcome: 'error',
      errorCode: 'SQL_SYNTAX',
      sql: 'SELECT * FROM Media', // not allowed: SQL text
      accountId: '17841400000000001', // not allowed: an id
      username: 'northwind_coffee', // not allowed
      source: 'SELECT secret FROM x', // allowed name, but a value that is not an identifier
    }, { durationMs: 12.3456, rows: 5, apiCalls: Number.NaN });
    assert.deepEqual(reporter.sent, [{
      name: 'query/run',
      properties: { outcome: 'error', errorCode: 'SQL_SYNTAX' },
      measurements: { durationMs: 12.346, rows: 5 },
    }]);
  });

  it('classifies a statement by its first word only', () => {
    assert.equal(statementKind('  select * from Media'), 'select');
    assert.equal(statementKind('WITH x AS (SELECT 1) SELECT * FROM x'), 'select');
    assert.equal(statementKind('EXECUTE PublishMedia @Caption = \'hi\''), 'exec');
    assert.equal(statementKind('-- the five most liked posts\nSELECT 1'), 'select', 'a comment above the statement');
    assert.equal(statementKind('/* a; b */ DELETE FROM Comments WHERE Id = 1'), 'delete');
    assert.equal(statementKind('PRAGMA table_info(Media)'), 'other');
    assert.equal(statementKind('-- only a comment'), 'other');
  });
});
