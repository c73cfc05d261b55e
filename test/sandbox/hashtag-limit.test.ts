// The Hashtag Search guide's limit: 30 unique hashtags per account in a rolling 7 days; searching a hashtag again
// is free; recently_searched_hashtags lists the ones that count (25 a page by default, up to 30).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstAccount, harness, V, type Harness } from './helpers';

describe('sandbox: hashtag search quota', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 5 }); });
  after(async () => { await h.sb.close(); });

  it('the 31st unique hashtag is refused; repeats and other accounts are not counted', async () => {
    const [a, b] = Object.keys(h.sb.summary().accounts);
    for (let i = 0; i < 30; i++) {
      const r = await h.get(`${V}/ig_hashtag_search`, { user_id: a!, q: `tag${i}` });
      assert.equal(r.status, 200, JSON.stringify(r.body));
    }
    const again = await h.get(`${V}/ig_hashtag_search`, { user_id: a!, q: 'TAG7' });
    assert.equal(again.status, 200, 'a hashtag searched this week costs nothing (names are case-insensitive)');
    const over = await h.get(`${V}/ig_hashtag_search`, { user_id: a!, q: 'tag30' });
    assert.equal(over.status, 400);
    assert.equal(over.body.error.code, 100);
    assert.match(over.body.error.message, /30 unique hashtags in 7 days/);
    const other = await h.get(`${V}/ig_hashtag_search`, { user_id: b!, q: 'tag30' });
    assert.equal(other.status, 200, 'the quota is per account');

    const page = await h.get(`${V}/${a}/recently_searched_hashtags`);
    assert.equal(page.body.data.length, 25, '25 a page by default');
    const all = await h.get(`${V}/${a}/recently_searched_hashtags`, { limit: 30 });
    assert.equal(all.body.data.length, 30);
    const first = await h.get(`${V}/ig_hashtag_search`, { user_id: a!, q: 'tag0' });
    assert.ok(all.body.data.some((x: any) => x.id === first.body.data[0].id));
  });

  it('a fresh account has searched nothing', async () => {
    const { id } = firstAccount(h.sb);
    const ids = Object.keys(h.sb.summary().accounts);
    const r = await h.get(`${V}/${ids[2] ?? id}/recently_searched_hashtags`);
    assert.deepEqual(r.body.data, []);
  });
});
