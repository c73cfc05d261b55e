// Recognising Graph's "invalid metric" answers (in addition to the sandbox tests): the messages below are the
// wordings Graph has sent, as reported in public issue threads and the insights references.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { invalidBreakdownOf, invalidMetricOf, mapGraphError } from '../../src/core/graph/errors';

describe('invalid metric errors', () => {
  test('each wording gives the metric or its index; other errors give nothing', () => {
    const body = (message: string, code = 100) => ({ message, code, type: 'OAuthException' });
    assert.deepEqual(invalidMetricOf(body('(#100) metric[2] must be one of the following values: reach, follower_count, views')), { index: 2 });
    assert.deepEqual(invalidMetricOf(body('Starting from version v22.0 and above, the impressions metric is no longer supported for the queried user. Please refer to the documentation')), { names: ['impressions'] });
    assert.deepEqual(invalidMetricOf(body('(#100) The Media Insights API does not support the views metric for this media product type.')), { names: ['views'] });
    assert.deepEqual(invalidMetricOf(body('(#100) The metric shares is not supported for this media type')), { names: ['shares'] });
    assert.deepEqual(invalidMetricOf(body('(#100) The Media Insights API does not support the impressions, replies metric for this media product type.')), { names: ['impressions', 'replies'] });
    assert.deepEqual(invalidMetricOf(body('(#100) The following metrics (views) should be specified with parameter metric_type=total_value')), { names: ['views'] });
    assert.equal(invalidMetricOf(body('(#100) The parameter metric is required')), undefined);
    assert.equal(invalidMetricOf(body('(#10) Not enough viewers for the media to show insights', 10)), undefined);
    assert.equal(invalidMetricOf(body('(#100) metric[0] must be one of the following values: a', 190)), undefined, 'code 100 only');
    assert.equal(invalidBreakdownOf(body('(#100) Incompatible breakdowns (follow_type) for metric views')), 'follow_type');
    assert.equal(invalidBreakdownOf(body('(#100) The parameter period is required')), undefined);
  });

  test('the typed error carries what was refused and keeps Graph\'s words', () => {
    const e = mapGraphError({ code: 100, message: '(#100) metric[1] must be one of the following values: reach' }, { what: 'the insights of account 1' });
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.deepEqual(e.details.invalidMetric, { index: 1 });
    assert.match(e.message, /must be one of the following values: reach/);
  });
});
