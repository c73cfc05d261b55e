import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/core';
import { LanguageService } from '../../src/language';
import { statementAtCaret } from '../../src/language/statements';

describe('hover, signature help, statements', () => {
  let ls: LanguageService;
  before(async () => {
    ls = new LanguageService({ connection: await connect('OAuthAccessToken=unused') });
  });

  const at = (sql: string) => ({ text: sql.replace('|', ''), offset: sql.indexOf('|') });

  test('hover on an aliased column names its table, type, key operators and scopes', () => {
    const { text, offset } = at('SELECT c.Media|Id FROM Comments c');
    const h = ls.hover(text, offset)!;
    assert.match(h.contents, /\*\*Comments\.MediaId\*\*: String/);
    assert.match(h.contents, /Key column: Graph filters on it \(=, IN\)/);
    assert.match(h.contents, /instagram_manage_comments/);
    assert.equal(text.slice(h.from, h.to), 'MediaId');
  });

  test('hover on an alias shows its table; on a metric column its values', () => {
    const a = at('SELECT * FROM Media m WHERE m|.Id = 1');
    assert.match(ls.hover(a.text, a.offset)!.contents, /\*\*Media\*\* \(view\)/);
    const b = at('SELECT * FROM AudienceInsights WHERE Break|down = 1');
    assert.match(ls.hover(b.text, b.offset)!.contents, /Values: `age`, `city`, `country`, `gender`/);
  });

  test('hover on a column names the Graph field it comes from; a column the connector adds has none', () => {
    const like = at('SELECT m.Like|Count FROM Media m');
    assert.match(ls.hover(like.text, like.offset)!.contents, /Graph field: `like_count`/);
    const story = at('SELECT Capt|ion FROM Stories');
    assert.match(ls.hover(story.text, story.offset)!.contents, /\*\*Stories\.Caption\*\*[^]*Graph field: `caption`/);
    const owner = at('SELECT Owner|Id FROM Media');
    assert.match(ls.hover(owner.text, owner.offset)!.contents, /Graph field: `owner\{id\}`/);
    const followers = at('SELECT Followers|Count FROM InstagramBusinessProfile');
    assert.match(ls.hover(followers.text, followers.offset)!.contents, /Graph field: `followers_count`/);
    const account = at('SELECT BusinessAccount|Id FROM Media');
    assert.doesNotMatch(ls.hover(account.text, account.offset)!.contents, /Graph field/);
  });

  test('hover on a required key says the table cannot be read without it', () => {
    const { text, offset } = at("SELECT * FROM HashtagTopMedia WHERE Hash|tag = 'x'");
    assert.match(ls.hover(text, offset)!.contents, /HashtagTopMedia cannot be read without it/);
  });

  test('hover on nothing known is empty', () => {
    const { text, offset } = at("SELECT 'some| text' FROM Media");
    assert.equal(ls.hover(text, offset), undefined);
  });

  test('signature help after EXEC follows the parameter being written', () => {
    const a = at('EXEC PublishMedia |');
    const h = ls.signatureHelp(a.text, a.offset)!;
    assert.equal(h.procedure.name, 'PublishMedia');
    assert.equal(h.active, 0);
    assert.match(h.label, /^EXEC PublishMedia @ImageUrl = String\?, @VideoUrl/);
    const b = at("EXEC PublishMedia @Caption = 'x|");
    const inputs = h.procedure.parameters.filter((p) => p.direction === 'in').map((p) => p.name);
    assert.equal(ls.signatureHelp(b.text, b.offset)!.active, inputs.indexOf('Caption'));
    const c = at('SELECT * FROM Media|');
    assert.equal(ls.signatureHelp(c.text, c.offset), undefined);
  });

  test('the statement at the caret: a `;` in a string does not split; after the last `;` a new one starts', () => {
    const text = "SELECT ';' AS x;\nSELECT 2;\n";
    assert.equal(statementAtCaret(text, 3).text, "SELECT ';' AS x");
    assert.equal(statementAtCaret(text, text.indexOf('2')).text, 'SELECT 2');
    assert.equal(statementAtCaret(text, text.length).text, '');
  });
});
