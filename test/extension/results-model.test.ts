import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cell, shownStats, summary } from '../../src/extension/resultsModel';

describe('results view model', () => {
  it('turns SQL values into display strings (the webview inserts them as text)', () => {
    assert.equal(cell(null), null);
    assert.equal(cell('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
    assert.equal(cell(42), '42');
    assert.equal(cell(12345678901234567890n), '12345678901234567890');
    assert.equal(cell(new Uint8Array(3)), '<3 bytes>');
  });

  it('summarises rows, elapsed time and Graph calls', () => {
    const stats = { apiCalls: 1, pages: 1, rows: 5, retries: 0, bytes: 10, elapsedMs: 12.4, notes: ['n'] };
    const shown = shownStats(stats, 5, 12.4);
    assert.equal(summary(shown), '5 rows · 12 ms · 1 Graph call');
    assert.equal(summary({ ...shown, rows: 1, apiCalls: 3 }), '1 row · 12 ms · 3 Graph calls');
    assert.deepEqual(shown.notes, ['n']);
  });
});
