// Same seed + options + now → identical data (ids included); another seed → different data; the default
// world is generated quickly.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startSandbox } from '../../src/sandbox/index';
import { collect, harness, NOW, V } from './helpers';

async function snapshot(seed: number): Promise<string> {
  const h = await harness({ seed, media: 50 });
  try {
    const id = Object.keys(h.sb.summary().accounts)[0]!;
    const pages = await h.get(`${V}/me/accounts`, { fields: 'id,name,instagram_business_account{id,username,followers_count}' });
    const media = await collect(await h.get(`${V}/${id}/media`, { fields: 'id,caption,media_type,timestamp,like_count,comments_count,children{id}', limit: 100 }), h.api);
    const comments = await h.get(`${V}/${media[0].id}/comments`, { fields: 'id,text,from{id,username},timestamp' });
    const insights = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', since: 1_790_000_000, until: 1_791_000_000 });
    return JSON.stringify({ summary: h.sb.summary(), pages: pages.body, media, comments: comments.body, insights: insights.body.data }); // paging links name the port
  } finally { await h.sb.close(); }
}

describe('sandbox: determinism', () => {
  it('two instances with the same seed and now serve identical JSON', async () => {
    assert.equal(await snapshot(7), await snapshot(7));
  });

  it('a different seed gives different data', async () => {
    const [a, b] = [JSON.parse(await snapshot(7)), JSON.parse(await snapshot(8))];
    assert.notDeepEqual(Object.keys(a.summary.accounts), Object.keys(b.summary.accounts));
    assert.notDeepEqual(a.media.map((m: any) => m.like_count), b.media.map((m: any) => m.like_count));
  });

  it('the default world (3 accounts × 300 media) is realistic', async () => {
    // Start-up time is a speed target: it is measured in bench/, not asserted here (a loaded machine is slow).
    const sb = await startSandbox({ port: 0, now: NOW });
    try {
      const s = sb.summary();
      const accounts = Object.values(s.accounts);
      assert.equal(accounts.length, 3);
      assert.equal(new Set(accounts.map((a) => a.username)).size, 3);
      for (const a of accounts) {
        assert.equal(a.mediaCount, 300);
        assert.ok(a.storyCount >= 3 && a.storyCount <= 8);
        assert.ok(a.followersCount >= 1000 && a.followersCount <= 200_000);
        const media = Object.values(a.media);
        for (const t of ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM']) assert.ok(media.some((m) => m.mediaType === t), t);
        assert.ok(media.some((m) => m.productType === 'REELS'));
        assert.ok(media.some((m) => m.comments > 50), 'some media page their comments');
        assert.ok(media.every((m) => m.comments <= 60));
        const oldest = Math.min(...media.map((m) => Date.parse(m.timestamp)));
        assert.ok(NOW - oldest > 600 * 86400_000, 'about two years of history');
      }
    } finally { await sb.close(); }
  });
});
