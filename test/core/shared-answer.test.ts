// SharedAnswer (shared-answer.ts): the connection's account list and granted scopes, asked once for all
// queries; one query's end neither fails the others nor leaves the request running for nobody.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SharedAnswer } from '../../src/core/shared-answer';

/** A request that answers when told, and says whether it was aborted. */
function pending<T>() {
  let answer!: (v: T) => void;
  let fail!: (e: unknown) => void;
  const state = { asked: 0, aborted: 0 };
  const ask = (signal: AbortSignal) => {
    state.asked++;
    signal.addEventListener('abort', () => { state.aborted++; fail(new Error('aborted')); });
    return new Promise<T>((res, rej) => { answer = res; fail = rej; });
  };
  return { ask, state, answer: (v: T) => answer(v), fail: (e: unknown) => fail(e) };
}

describe('a connection-wide answer', () => {
  test('one request for concurrent callers; a caller that stops waiting leaves the others their answer', async () => {
    const shared = new SharedAnswer<string>(new AbortController().signal);
    const r = pending<string>();
    const first = new AbortController();
    const a = shared.get(r.ask, first.signal);
    const b = shared.get(r.ask, new AbortController().signal);
    first.abort();
    await assert.rejects(a, (e: Error & { code?: string }) => e.code === 'CANCELLED');
    r.answer('accounts');
    assert.equal(await b, 'accounts');
    assert.deepEqual(r.state, { asked: 1, aborted: 0 });
    assert.equal(await shared.get(r.ask), 'accounts', 'kept for later callers');
    assert.equal(r.state.asked, 1);
  });

  test('when every caller stops waiting, the request is aborted and the next caller asks again', async () => {
    const shared = new SharedAnswer<string>(new AbortController().signal);
    const r = pending<string>();
    const c1 = new AbortController();
    const c2 = new AbortController();
    const a = shared.get(r.ask, c1.signal);
    const b = shared.get(r.ask, c2.signal);
    c1.abort();
    assert.equal(r.state.aborted, 0, 'one caller still waits');
    c2.abort();
    await assert.rejects(a);
    await assert.rejects(b);
    assert.equal(r.state.aborted, 1);
    const again = pending<string>();
    const c = shared.get(again.ask);
    again.answer('fresh');
    assert.equal(await c, 'fresh');
  });

  test('a failure is not kept, and closing the connection aborts the request', async () => {
    const life = new AbortController();
    const shared = new SharedAnswer<string>(life.signal);
    const r = pending<string>();
    const a = shared.get(r.ask);
    r.fail(new Error('network'));
    await assert.rejects(a, /network/);
    const next = pending<string>();
    const b = shared.get(next.ask);
    assert.equal(next.state.asked, 1, 'asked again after the failure');
    life.abort();
    await assert.rejects(b);
    assert.equal(next.state.aborted, 1);
  });
});
