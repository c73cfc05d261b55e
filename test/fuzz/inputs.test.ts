/**
 * Fuzzing the inputs a user types (issue 12): connection strings, property values, --param values and ids.
 * Each either works or is a typed error; an id never changes the request path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseConnectionProps, PROPERTY_SPECS } from '../../src/core/props';
import { agentsFor, tlsFor } from '../../src/core/graph/agents';
import { GraphClient } from '../../src/core/graph/client';
import { parseParams, UsageError } from '../../src/cli/args';
import { params, typed } from './fuzz';

const names = PROPERTY_SPECS.map((s) => s.name);
/** Values near what people write: numbers, hosts, URLs, paths, quotes, separators, controls, broken Unicode. */
const value = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.constantFrom('0', '-1', '65536', '99999999999999999999', '1e3', ' 80 ', 'true', 'NO', '*', 'http://[::1', 'https://graph.example.com/', 'ftp://x', 'proxy.example.com:8080', '::1', '[::1]', '/tmp', '/no/such/dir/x.log', '-----BEGIN CERTIFICATE-----', '\ud800', 'a\u0000b', 'v24.0', 'SOCKS5', 'TUNNEL'),
  fc.integer().map(String),
  fc.webUrl(),
  fc.domain(),
);
const pair = fc.tuple(fc.oneof(fc.constantFrom(...names), fc.string({ maxLength: 12 })), value, fc.constantFrom('', '"', "'"));

function attempt(f: () => unknown): void {
  try { f(); } catch (e) { if (!typed(e)) throw e; }
}

test('connection strings: parsed, or INVALID_PROPERTY; agents and TLS options never throw untyped', () => {
  fc.assert(fc.property(fc.oneof(
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.array(pair, { maxLength: 6 }).map((ps) => ps.map(([n, v, q]) => `${n}=${q}${q ? v.replaceAll(q, q + q) : v}${q}`).join(';')),
  ), (text) => {
    attempt(() => {
      const props = parseConnectionProps(text);
      agentsFor(props, {});
      tlsFor(props);
    });
  }), params());
});

test('each property with random values: accepted values are usable, others name the property', () => {
  fc.assert(fc.property(fc.constantFrom(...names), value, (name, v) => {
    try {
      const props = parseConnectionProps({ [name]: v, ...(name.startsWith('Firewall') && name !== 'FirewallType' ? { FirewallType: 'SOCKS5', FirewallServer: 'fw.example.com' } : {}) });
      agentsFor(props, { HTTPS_PROXY: v, HTTP_PROXY: v });
      tlsFor(props);
    } catch (e) {
      if (!typed(e)) throw e;
      const details = (e as { details?: { property?: string } }).details;
      if (details?.property !== undefined) assert.ok(names.includes(details.property) || details.property === name, `names a property: ${details.property}`);
    }
  }), params());
});

test('--param values: parsed with their type, or a usage error', () => {
  const arb = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom('', ':int', ':real', ':null', ':text', ':bogus', ':INT'), fc.option(fc.oneof(fc.string({ maxLength: 25 }), fc.bigInt().map(String), fc.double().map(String)))).map(([n, t, v]) => `${n}${t}${v === null ? '' : '=' + v}`),
  );
  fc.assert(fc.property(fc.array(arb, { maxLength: 4 }), (list) => {
    try {
      const out = parseParams(list);
      for (const v of Object.values(out)) assert.ok(v === null || ['string', 'number', 'bigint'].includes(typeof v));
    } catch (e) {
      if (!typed(e, (x) => x instanceof UsageError)) throw e;
    }
  }), params());
});

test('ids never change the request path: one segment that decodes to the id, or INVALID_VALUE', () => {
  const client = new GraphClient({ baseUrl: 'https://graph.example.com', version: 'v24.0', timeoutSeconds: 1, token: async () => 't', logger: { log: () => undefined } });
  const id = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('..', '.', '/', '?x=1', '#a', '%2F', '1/../me', 'me', ' ', '\ud800'));
  fc.assert(fc.property(id, (s) => {
    let url: string;
    try {
      url = client.url([s, 'comments']);
    } catch (e) {
      if (!typed(e)) throw e;
      return;
    }
    assert.ok(url.startsWith('https://graph.example.com/v24.0/'));
    const rest = url.slice('https://graph.example.com/v24.0/'.length);
    assert.ok(!/[?#]/.test(rest), 'no query or fragment');
    const parts = rest.split('/');
    assert.equal(parts.length, 2);
    assert.equal(decodeURIComponent(parts[0]!), s);
    assert.equal(parts[1], 'comments');
    const parsed = new URL(url);
    assert.equal(parsed.pathname.split('/').length, 4, 'the URL parser sees the same segments (no dot-segment removal)');
  }), params());
});
