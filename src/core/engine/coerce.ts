/**
 * One place where a value from Graph becomes a SQLite value of its column's declared type (issue 12). Graph
 * has sent numbers as strings ("like_count": "12" from some proxies and older versions), booleans as 0/1 and
 * objects where a scalar was documented; handed to SQLite as they are, an object is printed on stderr by
 * wa-sqlite ("unknown result converted to null") and a string lands in an INTEGER column. Values that the
 * column's type can read are converted; the rest become NULL, never another value.
 */
import type { SqlType, SqlValue } from '../api';

const INTEGER = /^[+-]?\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `v` as a value SQLite can take for a column of type `type`; null when it cannot be read as one. */
export function sqlValue(v: unknown, type: SqlType): SqlValue {
  if (v === undefined || v === null) return null;
  switch (type) {
    case 'Integer':
      if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? v : Math.trunc(v)) : null;
      if (typeof v === 'bigint') return v;
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (typeof v === 'string' && INTEGER.test(v.trim())) {
        const n = Number(v);
        return Number.isSafeInteger(n) ? n : BigInt(v.trim());
      }
      return null;
    case 'Double':
      if (typeof v === 'number') return Number.isFinite(v) ? v : null;
      if (typeof v === 'bigint') return Number(v);
      if (typeof v === 'string' && NUMBER.test(v.trim())) return Number(v);
      return null;
    case 'Boolean':
      if (typeof v === 'boolean') return v ? 1 : 0;
      if (v === 0 || v === 1) return v;
      if (v === 'true' || v === '1') return 1;
      if (v === 'false' || v === '0') return 0;
      return null;
    case 'String':
    case 'Datetime':
      if (typeof v === 'string') return v;
      if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
      if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
      if (v instanceof Uint8Array) return v;
      // Structured data in a text column: its JSON, which SQLite's json functions can read.
      if (type === 'String' && typeof v === 'object') {
        try { return JSON.stringify(v); } catch { return null; }
      }
      return null;
  }
}
