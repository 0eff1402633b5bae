/**
 * Token buckets per key (a client address): `burst` requests at once, refilled at `perSecond`. Buckets that have
 * filled up again are forgotten, so a flood of distinct addresses costs memory only while they keep sending, and at
 * most `maxKeys` are held (the oldest go first).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: { burst: number; perSecond: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `cost` tokens from `key`'s bucket: true when they were there, false (nothing taken) when the key must wait. */
  take(key: string, cost = 1): boolean {
    const now = this.now();
    const { burst, perSecond } = this.options;
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond) : burst;
    if (tokens < cost) {
      if (bucket) {
        bucket.tokens = tokens;
        bucket.at = now;
      }
      return false;
    }
    // Re-inserted, so the map's order is least recently used first.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - cost, at: now });
    if (this.buckets.size > (this.options.maxKeys ?? 10_000)) this.forget(now);
    return true;
  }

  /** Seconds until `key` has `cost` tokens again (for Retry-After). */
  retryAfterSeconds(key: string, cost = 1): number {
    const bucket = this.buckets.get(key);
    if (!bucket) return 0;
    const missing = cost - Math.min(this.options.burst, bucket.tokens);
    return Math.max(1, Math.ceil(missing / this.options.perSecond));
  }

  private forget(now: number): void {
    const { burst, perSecond } = this.options;
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / 1000) * perSecond >= burst) this.buckets.delete(key);
    }
    // Still too many that are all sending: the least recently seen go.
    const excess = this.buckets.size - (this.options.maxKeys ?? 10_000);
    if (excess > 0) {
      let dropped = 0;
      for (const key of this.buckets.keys()) {
        if (dropped++ >= excess) break;
        this.buckets.delete(key);
      }
    }
  }
}
