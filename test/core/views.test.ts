// The views of DATA-MODEL.md beyond the first schema files: each answers rows from the sandbox with the columns
// DATA-MODEL.md names, counts agree with the sandbox's own summary, and the listings and look-ups (stories,
// tags, permissions, hashtags, business discovery, publishing limit) send the requests Graph expects.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { collect, failure, rig, type Rig } from '../helpers';

const MEDIA = ['Id', 'Caption', 'MediaType', 'MediaProductType', 'MediaUrl', 'ThumbnailUrl', 'Permalink', 'Shortcode', 'Timestamp', 'Username', 'LikeCount', 'CommentsCount', 'IsCommentEnabled', 'IsSharedToFeed', 'AltText', 'OwnerId'];
const FEED_WIDE = ['MediaId', 'Reach', 'Views', 'Likes', 'Comments', 'Saved', 'Shares', 'TotalInteractions', 'Follows', 'ProfileVisits'];

/** Every view this change adds, a query that lists it, and the columns DATA-MODEL.md names for it. */
const VIEWS: Array<{ name: string; where?: string; columns: string[] }> = [
  { name: 'Stories', columns: MEDIA },
  { name: 'Tags', columns: MEDIA },
  { name: 'Permissions', columns: ['Permission', 'Status'] },
  { name: 'HashtagSearch', where: "Name = 'coffee'", columns: ['Id', 'Name'] },
  { name: 'HashtagTopMedia', where: "Hashtag = 'coffee'", columns: ['Id', 'Caption', 'MediaType', 'Permalink', 'Timestamp', 'LikeCount', 'CommentsCount', 'HashtagId', 'Hashtag'] },
  { name: 'HashtagRecentMedia', where: "Hashtag = 'coffee'", columns: ['Id', 'Caption', 'MediaType', 'Permalink', 'Timestamp', 'LikeCount', 'CommentsCount', 'HashtagId', 'Hashtag'] },
  { name: 'BusinessDiscovery', where: 'Username = @other', columns: ['Username', 'Name', 'Biography', 'FollowersCount', 'MediaCount', 'Website'] },
  { name: 'ContentPublishingLimit', columns: ['QuotaUsage', 'QuotaTotal', 'QuotaDuration'] },
  { name: 'MediaInsights', columns: ['MediaId', 'MediaProductType', 'Metric', 'Period', 'Value', 'Title', 'Description'] },
  { name: 'MediaInsightsPost', columns: [...FEED_WIDE, 'ProfileActivity'] },
  { name: 'MediaInsightsPostAlbum', columns: [...FEED_WIDE, 'ProfileActivity'] },
  { name: 'MediaInsightReels', columns: ['MediaId', 'Reach', 'Views', 'Likes', 'Comments', 'Saved', 'Shares', 'TotalInteractions', 'AvgWatchTimeMs', 'TotalWatchTimeMs', 'SkipRate'] },
  { name: 'MediaInsightsStory', columns: ['MediaId', 'Reach', 'Views', 'Replies', 'Navigation', 'Follows', 'ProfileVisits', 'ProfileActivity', 'Shares', 'TotalInteractions'] },
  { name: 'AccountInsights', columns: ['Metric', 'Period', 'MetricType', 'EndTime', 'Value', 'Title', 'Description'] },
  { name: 'AccountWithoutBreakdown', columns: ['Metric', 'EndTime', 'Value'] },
  { name: 'AccountTimeSeriesWithoutBreakdown', columns: ['Metric', 'EndTime', 'Value'] },
  { name: 'AccountFollowType', columns: ['Metric', 'FollowType', 'EndTime', 'Value'] },
  { name: 'AccountTimeSeriesFollowType', columns: ['Metric', 'FollowType', 'EndTime', 'Value'] },
  { name: 'AccountMediaProductType', columns: ['Metric', 'MediaProductType', 'EndTime', 'Value'] },
  { name: 'AccountTimeSeriesMediaProductType', columns: ['Metric', 'MediaProductType', 'EndTime', 'Value'] },
  { name: 'AccountContactButtonType', columns: ['ContactButtonType', 'EndTime', 'Value'] },
  { name: 'AudienceInsights', columns: ['Metric', 'Timeframe', 'Breakdown', 'DimensionValue', 'Value'] },
  { name: 'OnlineFollowers', columns: ['EndTime', 'Hour', 'Value'] },
];

describe('views: every object of DATA-MODEL.md answers with its columns', () => {
  let r: Rig;
  let account: string;
  let other: string;
  before(async () => {
    r = await rig({ media: 30 });
    const accounts = r.sandbox.summary().accounts;
    account = Object.keys(accounts)[0]!;
    other = Object.values(accounts)[1]!.username;
  });
  after(() => r.close());

  for (const v of VIEWS) {
    test(`${v.name} returns rows with ${v.columns.length} named columns and BusinessAccountId`, async () => {
      const where = [v.where, v.name === 'Permissions' ? undefined : 'BusinessAccountId = @acc'].filter(Boolean).join(' AND ');
      const result = await r.conn.query(`SELECT * FROM ${v.name} WHERE ${where || '1'} LIMIT 50`, { acc: account, other });
      const rows = await collect(result);
      assert.ok(rows.length > 0, `${v.name} returned no rows`);
      const names = result.columns.map((c) => c.name);
      for (const c of [...v.columns, 'BusinessAccountId']) assert.ok(names.includes(c), `${v.name} lacks ${c}: ${names.join(', ')}`);
      // Every named column is filled on at least one row (a wrong field mapping would leave it NULL).
      for (const c of v.columns) {
        if (['Caption', 'ThumbnailUrl', 'AltText', 'IsSharedToFeed', 'LikeCount', 'CommentsCount', 'Title', 'Description'].includes(c)) continue;
        assert.ok(rows.some((row) => row[c] !== null), `${v.name}.${c} is NULL on every row`);
      }
      if (v.name !== 'Permissions') assert.ok(rows.every((row) => row.BusinessAccountId === account));
    });
  }
});

describe('views: listings agree with the sandbox', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 20 }); });
  after(() => r.close());

  test('Stories: exactly the stories of every account, typed STORY', async () => {
    const accounts = r.sandbox.summary().accounts;
    const rows = await r.rows('SELECT Id, MediaProductType, BusinessAccountId FROM Stories');
    const expected = Object.entries(accounts).flatMap(([acc, a]) => Object.entries(a.media).filter(([, m]) => m.productType === 'STORY').map(([id]) => `${acc}/${id}`));
    assert.equal(expected.length, Object.values(accounts).reduce((n, a) => n + a.storyCount, 0));
    assert.deepEqual(rows.map((x) => `${x.BusinessAccountId}/${x.Id}`).sort(), expected.sort());
    assert.ok(rows.every((x) => x.MediaProductType === 'STORY'));
  });

  test('Tags: tagsCount media per account, authored by other accounts', async () => {
    for (const [acc, a] of Object.entries(r.sandbox.summary().accounts)) {
      r.clear();
      const rows = await r.rows('SELECT Id, OwnerId, Username, BusinessAccountId FROM Tags WHERE BusinessAccountId = ?', [acc]);
      assert.equal(rows.length, a.tagsCount);
      assert.equal(new Set(rows.map((x) => x.Id)).size, rows.length);
      assert.ok(rows.every((x) => x.BusinessAccountId === acc && x.OwnerId !== acc && x.Username !== a.username));
      assert.ok(r.requests().every((q) => q.route === `/${acc}/tags`));
    }
  });

  test('Permissions: the scopes Graph reports for the token, one request', async () => {
    const direct = await got(`${r.sandbox.url}/v24.0/me/permissions`, { searchParams: { access_token: 'sandbox' } }).json<{ data: Array<{ permission: string; status: string }> }>();
    r.clear();
    const rows = await r.rows('SELECT Permission, Status FROM Permissions ORDER BY Permission');
    assert.deepEqual(rows, direct.data.map((p) => ({ Permission: p.permission, Status: p.status })).sort((a, b) => a.Permission.localeCompare(b.Permission)));
    assert.ok(rows.some((x) => x.Permission === 'instagram_manage_insights' && x.Status === 'granted'));
    assert.deepEqual(r.requests().map((q) => q.route), ['/me/permissions']);
  });

  test('ContentPublishingLimit: one row per account with the quota', async () => {
    const accounts = Object.keys(r.sandbox.summary().accounts);
    const rows = await r.rows('SELECT * FROM ContentPublishingLimit ORDER BY BusinessAccountId');
    assert.deepEqual(rows.map((x) => x.BusinessAccountId), [...accounts].sort());
    for (const x of rows) {
      assert.ok((x.QuotaTotal as number) > 0 && (x.QuotaUsage as number) >= 0 && (x.QuotaUsage as number) <= (x.QuotaTotal as number));
      assert.equal(x.QuotaDuration, 86400);
    }
  });
});

describe('views: hashtags and business discovery', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 10 });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('HashtagSearch asks ig_hashtag_search as the account and answers a stable id', async () => {
    r.clear();
    const [a] = await r.rows("SELECT Id, Name FROM HashtagSearch WHERE Name = 'coffee' AND BusinessAccountId = ?", [account]);
    assert.equal(a!.Name, 'coffee');
    assert.match(a!.Id as string, /^\d+$/);
    const q = r.requests().filter((x) => x.route === '/ig_hashtag_search');
    assert.equal(q.length, 1);
    assert.equal(q[0]!.query.q, 'coffee');
    assert.equal(q[0]!.query.user_id, account);
    const [b] = await r.rows("SELECT Id FROM HashtagSearch WHERE Name = 'tea'");
    assert.notEqual(b!.Id, a!.Id);
  });

  test('HashtagTopMedia by name: one search, then top_media with user_id; most liked first, all tagged', async () => {
    r.clear();
    const rows = await r.rows("SELECT * FROM HashtagTopMedia WHERE Hashtag = 'coffee' AND BusinessAccountId = ?", [account]);
    assert.ok(rows.length > 25, 'every page is followed');
    assert.ok(rows.every((x) => /#coffee\b/i.test(x.Caption as string) && x.Hashtag === 'coffee'));
    const likes = rows.map((x) => x.LikeCount as number);
    assert.deepEqual(likes, [...likes].sort((a, b) => b - a));
    const routes = r.requests().map((q) => q.route);
    assert.equal(routes.filter((x) => x === '/ig_hashtag_search').length, 1);
    const id = rows[0]!.HashtagId as string;
    const pages = r.requests().filter((q) => q.route === `/${id}/top_media`);
    assert.ok(pages.length >= 1 && pages.every((q) => q.query.user_id === account && Number(q.query.limit) <= 50));
  });

  test('HashtagRecentMedia by HashtagId: no search, only the last 24 hours, newest first', async () => {
    const [tag] = await r.rows("SELECT Id FROM HashtagSearch WHERE Name = 'sunset'");
    r.clear();
    const rows = await r.rows('SELECT Id, Timestamp, HashtagId, Hashtag FROM HashtagRecentMedia WHERE HashtagId = ?', [tag!.Id]);
    assert.ok(!r.requests().some((q) => q.route === '/ig_hashtag_search'));
    assert.ok(rows.length > 0);
    const now = Date.parse(r.sandbox.summary().now);
    assert.ok(rows.every((x) => x.HashtagId === tag!.Id && x.Hashtag === null && Date.parse(x.Timestamp as string) > now - 86_400_000));
    const times = rows.map((x) => x.Timestamp as string);
    assert.deepEqual(times, [...times].sort().reverse());
  });

  test('a hashtag view given both HashtagId and Hashtag: the media when they name one hashtag, none when they disagree', async () => {
    const [coffee] = await r.rows("SELECT Id FROM HashtagSearch WHERE Name = 'coffee'");
    const byName = await r.rows("SELECT Id FROM HashtagTopMedia WHERE Hashtag = 'coffee'");
    assert.ok(byName.length > 0);
    assert.deepEqual(await r.rows("SELECT Id FROM HashtagTopMedia WHERE Hashtag = '#Coffee' AND HashtagId = ?", [coffee!.Id]), byName);
    r.clear();
    assert.deepEqual(await r.rows("SELECT Id FROM HashtagTopMedia WHERE Hashtag = 'sunset' AND HashtagId = ?", [coffee!.Id]), []);
    assert.ok(!r.requests().some((q) => q.route === '/ig_hashtag_search'), 'the id is asked its name: no search spent');
  });

  test('a hashtag view without HashtagId or Hashtag fails with MISSING_KEY naming both, before any Graph call', async () => {
    for (const view of ['HashtagTopMedia', 'HashtagRecentMedia']) {
      r.clear();
      const e = await failure(() => r.conn.query(`SELECT * FROM ${view} WHERE LikeCount > 10`));
      assert.equal(e.code, 'MISSING_KEY');
      assert.match(e.message, new RegExp(`${view} needs a filter on HashtagId or Hashtag`));
      assert.deepEqual(e.details.suggestions, ['HashtagId', 'Hashtag']);
      assert.deepEqual(r.requests(), []);
    }
    const s = await failure(() => r.conn.query('SELECT * FROM HashtagSearch'));
    assert.equal(s.code, 'MISSING_KEY');
    assert.match(s.message, /filter on Name/);
    const d = await failure(() => r.conn.query('SELECT * FROM BusinessDiscovery'));
    assert.equal(d.code, 'MISSING_KEY');
    assert.match(d.message, /filter on Username/);
  });

  test('BusinessDiscovery by username (= and IN): the profile as the sandbox knows it; unknown names give no row', async () => {
    const accounts = r.sandbox.summary().accounts;
    const [a, b] = Object.values(accounts).slice(1, 3);
    r.clear();
    const rows = await r.rows("SELECT * FROM BusinessDiscovery WHERE Username IN (?, ?, 'no_such_user_here') AND BusinessAccountId = ? ORDER BY Username", [a!.username, b!.username, account]);
    assert.deepEqual(rows.map((x) => x.Username), [a!.username, b!.username].sort());
    for (const x of rows) {
      const s = Object.values(accounts).find((acc) => acc.username === x.Username)!;
      assert.equal(x.Name, s.name);
      assert.equal(x.FollowersCount, s.followersCount);
      assert.equal(x.MediaCount, s.mediaCount);
    }
    const calls = r.requests().filter((q) => q.route === `/${account}`);
    assert.equal(calls.length, 3);
    assert.ok(calls.some((q) => q.query.fields!.startsWith(`business_discovery.username(${a!.username}){`)));
    r.clear();
    assert.deepEqual(await r.rows("SELECT * FROM BusinessDiscovery WHERE Username = 'x){id},name(y'"), []);
    assert.deepEqual(r.requests(), [], 'a name that cannot be a username never reaches the fields syntax');
  });
});
