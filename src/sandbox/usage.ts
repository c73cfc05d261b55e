// Rate limiting and the usage headers. Calls are counted in a rolling 60 s window; X-App-Usage reports
// percentages of the budget (rateLimit calls/min, or a nominal 600/min when unlimited), and
// X-Business-Use-Case-Usage does the same per IG user on calls about an IG user.
// https://developers.facebook.com/docs/graph-api/overview/rate-limiting
const WINDOW_MS = 60_000;
const NOMINAL_BUDGET = 600;
const UNLIMITED_MAX_PERCENT = 75;

export class Usage {
  private calls: number[] = [];
  private readonly perUser = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  private prune(list: number[], now: number): number[] {
    let i = 0;
    while (i < list.length && list[i]! <= now - WINDOW_MS) i++;
    return i ? list.slice(i) : list;
  }

  /** Counts one call; false when the budget is spent (the call must answer code 4). */
  take(): boolean {
    const now = Date.now();
    this.calls = this.prune(this.calls, now);
    if (this.limit > 0 && this.calls.length >= this.limit) return false;
    this.calls.push(now);
    return true;
  }

  /** Attributes an already-counted call to an IG user (known only after dispatch). */
  attribute(igUser: string): void {
    const now = Date.now();
    this.perUser.set(igUser, [...this.prune(this.perUser.get(igUser) ?? [], now), now]);
  }

  /**
   * Graph throttles at 100 %, and clients slow down as usage nears it. Without a rate limit nothing is ever
   * throttled, so the nominal figure stays below where a client would slow down (75 % at most): an
   * unlimited sandbox reporting 150 % would describe an API Graph is not.
   */
  private percent(count: number): number {
    if (this.limit > 0) return Math.round((count * 100) / this.limit);
    return Math.min(UNLIMITED_MAX_PERCENT, Math.round((count * 100) / NOMINAL_BUDGET));
  }

  appUsage(): string {
    const now = Date.now();
    this.calls = this.prune(this.calls, now);
    const p = this.percent(this.calls.length);
    return JSON.stringify({ call_count: p, total_time: Math.round(p * 0.6), total_cputime: Math.round(p * 0.3) });
  }

  /** X-Business-Use-Case-Usage for the IG users a call was about. */
  businessUsage(igUsers: readonly string[]): string {
    const now = Date.now();
    const full = this.limit > 0 && this.prune(this.calls, now).length >= this.limit;
    const out: Record<string, unknown[]> = {};
    for (const igUser of igUsers) {
      const list = this.prune(this.perUser.get(igUser) ?? [], now);
      this.perUser.set(igUser, list);
      const p = this.percent(list.length);
      out[igUser] = [{ type: 'instagram', call_count: p, total_cputime: Math.round(p * 0.3), total_time: Math.round(p * 0.6), estimated_time_to_regain_access: full ? 1 : 0 }];
    }
    return JSON.stringify(out);
  }
}
