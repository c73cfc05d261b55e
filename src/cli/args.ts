/** Argument values of `igsql`: usage errors (exit 2) and `--param` values. */
import type { SqlValue } from '../core';

/** A mistake in the command line: printed with the usage text, exit code 2. */
export class UsageError extends Error {}

/** A numeric option; `range` bounds it (a port of 99999 was an INTERNAL error from listen(), not a usage error). */
export function num(name: string, v: string | undefined, range: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (v === undefined) return undefined;
  const n = v.trim() === '' ? NaN : Number(v);
  const { min, max, integer } = range;
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const what = integer ? 'a whole number' : 'a number';
    const bounds = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` of at least ${min}` : '';
    throw new UsageError(`--${name} needs ${what}${bounds} (got '${v}')`);
  }
  return n;
}

export const PARAM_HELP = `--param name=value binds @name (or ?N with --param N=value) as TEXT, whatever it looks like: Instagram ids
such as 17994031390000022 exceed 2^53 and only match as text. Other types are explicit:
  --param n:int=5     64-bit integer        --param x:real=1.5   floating point
  --param s:text=abc  text (the default)    --param v:null       NULL`;

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * `name=value` is text: guessing a number from the digits turned ids into REALs that matched nothing and lost
 * digits above 2^53 (DESIGN §7). `name:int=`, `name:real=`, `name:text=` and `name:null` type a value explicitly;
 * integers outside the safe range bind as 64-bit bigint, so no digit is lost.
 */
export function parseParams(list: readonly string[] | undefined): Record<string, SqlValue> {
  const params: Record<string, SqlValue> = {};
  for (const p of list ?? []) {
    const m = /^([@:$]?[^=:]+)(?::([A-Za-z]+))?(?:=([\s\S]*))?$/.exec(p);
    if (!m) throw new UsageError(`--param needs name=value, name:int=N, name:real=X or name:null (got '${p}')`);
    const name = m[1]!.replace(/^[@:$]/, '');
    const type = m[2]?.toLowerCase() ?? 'text';
    const raw = m[3];
    if (type === 'null') {
      if (raw !== undefined) throw new UsageError(`--param ${name}:null takes no value: write --param ${name}:null`);
      params[name] = null;
      continue;
    }
    if (raw === undefined) throw new UsageError(`--param needs a value: --param ${name}${m[2] ? ':' + m[2] : ''}=… (or --param ${name}:null for NULL)`);
    switch (type) {
      case 'text':
        params[name] = raw;
        break;
      case 'int': {
        const t = raw.trim();
        if (!/^[+-]?\d+$/.test(t)) throw new UsageError(`--param ${name}:int needs a whole number (got '${raw}'); for text write --param ${name}=${raw}`);
        const big = BigInt(t);
        if (big < INT64_MIN || big > INT64_MAX) throw new UsageError(`--param ${name}:int must fit in 64 bits (got '${raw}'); for an id write it as text: --param ${name}=${raw}`);
        params[name] = Number.isSafeInteger(Number(big)) ? Number(big) : big;
        break;
      }
      case 'real': {
        const x = raw.trim() === '' ? NaN : Number(raw);
        if (!Number.isFinite(x)) throw new UsageError(`--param ${name}:real needs a finite number such as 1.5 (got '${raw}')`);
        params[name] = x;
        break;
      }
      default:
        throw new UsageError(`--param ${name}: unknown type '${m[2]}': use ${name}=text, ${name}:int=N, ${name}:real=X or ${name}:null`);
    }
  }
  return params;
}
