/**
 * Shared plumbing for the fast-check targets (issue 12): how many cases (FUZZ_RUNS; `npm run test:fuzz` asks
 * 10 000 per target, `npm run test:unit` a few hundred so the unit run stays short), a fixed seed unless
 * FUZZ_SEED is given (a failure prints the seed and path to replay), what counts as a typed error, and
 * a watch for unhandled rejections.
 */
import { isIgsqlError } from '../../src/core/errors';

export const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
export const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : 12;
export const params = (runs = RUNS) => ({ numRuns: runs, seed: SEED, endOnFailure: true });

/** A typed error is an IgsqlError (or the CLI's usage error) whose code is not INTERNAL. */
export function typed(e: unknown, allowed: (e: { code?: string; name?: string }) => boolean = () => false): boolean {
  if (isIgsqlError(e)) return e.code !== 'INTERNAL';
  return allowed(e as { code?: string; name?: string });
}

export function watchRejections(): { check(): void; stop(): void } {
  const seen: unknown[] = [];
  const on = (e: unknown) => seen.push(e);
  process.on('unhandledRejection', on);
  return {
    check: () => { if (seen.length) throw new Error(`unhandled rejection: ${String((seen[0] as Error)?.stack ?? seen[0])}`); },
    stop: () => process.off('unhandledRejection', on),
  };
}

/** Fails instead of hanging: `p` must settle within `ms`. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => { t = setTimeout(() => reject(new Error(`hang: ${what} did not settle in ${ms} ms`)), ms); })]).finally(() => clearTimeout(t));
}
