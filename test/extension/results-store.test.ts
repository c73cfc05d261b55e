// Results kept in the host: windows of a sorted/filtered view, typed column kinds, export streamed to a file.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { ResultStore } from '../../src/extension/results/store';
import { writeExport } from '../../src/extension/results/export';
import { rig, type Rig } from '../helpers';

const info = { title: 't', target: 'Sample account', rows: 0, apiCalls: 0, pages: 0, waitedMs: 0, notes: [] };

describe('result store', () => {
  let r: Rig;
  let columns: Awaited<ReturnType<Rig['conn']['query']>>['columns'];
  let rows: (string | null)[][];
  before(async () => {
    r = await rig();
    const q = await r.conn.query('SELECT Id, Caption, LikeCount, MediaUrl, Timestamp FROM Media');
    columns = q.columns;
    rows = [];
    for await (const row of q.rows) rows.push(row.map((v) => (v === null ? null : String(v))));
  });
  after(() => r.close());

  it('kinds come from declared types, then from values', () => {
    const store = new ResultStore();
    const s = store.add([...columns, { name: 'n', type: null }], rows.map((x, i) => [...x, String(i * 1.5)]), info);
    const kinds = Object.fromEntries(s.columns.map((c) => [c.name, c.kind]));
    assert.equal(kinds.LikeCount, 'number');
    assert.equal(kinds.n, 'number');
    assert.equal(kinds.Caption, 'text');
    assert.equal(kinds.Timestamp, 'datetime');
    assert.ok(kinds.MediaUrl === 'url' || rows.some((x) => x[3] === null), `MediaUrl kind ${kinds.MediaUrl}`);
  });

  it('sorts numbers as numbers with NULLs last, both ways, and ties in row order', () => {
    const store = new ResultStore();
    const s = store.add([{ name: 'v', type: 'Integer' }, { name: 'k', type: 'String' }], [['10', 'a'], [null, 'b'], ['9', 'c'], ['10', 'd'], ['-1', 'e']], info);
    const asc = store.window(s.id, { sort: { column: 0, dir: 'asc' } }, 0, 10)!.rows.map((x) => x[1]);
    const desc = store.window(s.id, { sort: { column: 0, dir: 'desc' } }, 0, 10)!.rows.map((x) => x[1]);
    assert.deepEqual(asc, ['e', 'c', 'a', 'd', 'b']);
    assert.deepEqual(desc, ['a', 'd', 'c', 'e', 'b']);
  });

  it('orders ids beyond 2^53 exactly (they are text of digits)', () => {
    const store = new ResultStore();
    const ids = ['17841400000000003', '17841400000000001', '9', '17841400000000002'];
    const s = store.add([{ name: 'Id', type: null }], ids.map((x) => [x]), info);
    assert.deepEqual(store.window(s.id, { sort: { column: 0, dir: 'asc' } }, 0, 10)!.rows.flat(), ['9', '17841400000000001', '17841400000000002', '17841400000000003']);
  });

  it('filters over every column, case-insensitively, and windows the filtered view', () => {
    const store = new ResultStore();
    const s = store.add(columns, rows, info);
    const needle = rows.find((x) => x[1])![1]!.split(' ')[0]!.toUpperCase();
    const expected = rows.filter((x) => x.some((v) => v !== null && v.toLowerCase().includes(needle.toLowerCase())));
    const w = store.window(s.id, { filter: needle }, 0, 5)!;
    assert.equal(w.total, expected.length);
    assert.deepEqual(w.rows, expected.slice(0, 5));
    assert.deepEqual(store.window(s.id, { filter: needle }, expected.length - 1, 10)!.rows, expected.slice(-1));
  });

  it('drops the oldest results past its row budget, never the newest', () => {
    const store = new ResultStore(100);
    const a = store.add([{ name: 'x', type: 'Integer' }], Array.from({ length: 60 }, (_, i) => [String(i)]), info);
    const b = store.add([{ name: 'x', type: 'Integer' }], Array.from({ length: 60 }, (_, i) => [String(i)]), info);
    assert.equal(store.get(a.id), undefined);
    assert.ok(store.get(b.id));
    const c = store.add([{ name: 'x', type: 'Integer' }], Array.from({ length: 500 }, (_, i) => [String(i)]), info);
    assert.ok(store.get(c.id));
    assert.equal(store.window(a.id, {}, 0, 1), undefined);
  });
});

describe('export', () => {
  const cols = [{ name: 'Caption', kind: 'text' as const }, { name: 'Likes', kind: 'number' as const }, { name: 'Flag', kind: 'boolean' as const }];
  const rows: (string | null)[][] = [['hello, "world"\nline 2', '12', '1'], ['=HYPERLINK("x")', '-3', '0'], [null, null, null], ['a|b', '17841400000000001', null]];
  const run = async (format: Parameters<typeof writeExport>[0]) => {
    const dir = mkdtempSync(join(tmpdir(), 'igsql-export-'));
    const file = join(dir, 'out');
    const n = await writeExport(format, cols, rows, createWriteStream(file));
    return { n, text: readFileSync(file, 'utf8'), bytes: readFileSync(file) };
  };

  it('CSV: header, quoting, LF', async () => {
    const { n, text } = await run('csv');
    assert.equal(n, 4);
    assert.equal(text, 'Caption,Likes,Flag\n"hello, ""world""\nline 2",12,1\n"=HYPERLINK(""x"")",-3,0\n,,\na|b,17841400000000001,\n');
  });

  it('Excel CSV: BOM, CRLF, formulas kept as text, negative numbers untouched', async () => {
    const { bytes, text } = await run('excel-csv');
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.match(text, /^\uFEFFCaption,Likes,Flag\r\n/);
    assert.match(text, /\r\n"'=HYPERLINK\(""x""\)",-3,0\r\n/);
  });

  it('JSON: numbers when exact, big ids as text, booleans, nulls', async () => {
    const { text } = await run('json');
    assert.deepEqual(JSON.parse(text), [
      { Caption: 'hello, "world"\nline 2', Likes: 12, Flag: true },
      { Caption: '=HYPERLINK("x")', Likes: -3, Flag: false },
      { Caption: null, Likes: null, Flag: null },
      { Caption: 'a|b', Likes: '17841400000000001', Flag: null },
    ]);
  });

  it('Markdown: escaped pipes, line breaks as <br>, numbers right-aligned', async () => {
    const { text } = await run('markdown');
    const lines = text.trimEnd().split('\n');
    assert.equal(lines[0], '| Caption | Likes | Flag |');
    assert.equal(lines[1], '| --- | ---: | --- |');
    assert.equal(lines[2], '| hello, "world"<br>line 2 | 12 | 1 |');
    assert.equal(lines[5], '| a\\|b | 17841400000000001 |  |');
  });

  it('waits for a slow destination instead of buffering everything (back-pressure)', async () => {
    let maxBuffered = 0;
    let written = 0;
    const slow = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _e, cb) { written += chunk.length; setImmediate(cb); },
    });
    const many = Array.from({ length: 20_000 }, (_, i) => [`caption number ${i}`, String(i), '1']);
    const probe = setInterval(() => { maxBuffered = Math.max(maxBuffered, slow.writableLength); }, 1);
    const n = await writeExport('json', cols, many, slow);
    clearInterval(probe);
    assert.equal(n, 20_000);
    assert.ok(written > 500_000);
    assert.ok(maxBuffered < 64 * 1024, `buffered at most ${maxBuffered} bytes`);
  });
});
