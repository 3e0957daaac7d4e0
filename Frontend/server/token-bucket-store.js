// @ts-check

const maxKeys = 10000;

/**
 * A store for @fastify/rate-limit that keeps one token bucket per key (a client address): `max` tokens, refilled
 * evenly over `timeWindow`. A client that spent its burst gets one attempt back every timeWindow/max, rather than
 * waiting for a fixed window to end, and a steady trickle can never exceed the rate. The plugin reads `current`
 * against `max` (over it: refused) and `ttl` for Retry-After.
 */
export class TokenBucketStore {
  /** @param {{ now?: () => number }} [options] */
  constructor(options = {}) {
    this.now = options.now ?? Date.now;
    /** @type {Map<string, { tokens: number, at: number }>} */
    this.buckets = new Map();
  }

  /**
   * @param {string} key
   * @param {(error: Error | null, result: { current: number, ttl: number }) => void} callback
   * @param {number} timeWindow
   * @param {number} max
   */
  incr(key, callback, timeWindow, max) {
    const now = this.now();
    const refillMs = timeWindow / max;
    const bucket = this.buckets.get(key);
    const available = bucket ? Math.min(max, bucket.tokens + (now - bucket.at) / refillMs) : max;
    const allowed = available >= 1;
    const tokens = allowed ? available - 1 : available;
    // Re-inserted so the Map's order is least recently used first; the oldest go when it is full.
    this.buckets.delete(key);
    this.buckets.set(key, { tokens, at: now });
    if (this.buckets.size > maxKeys) this.buckets.delete(/** @type {string} */ (this.buckets.keys().next().value));
    callback(null, {
      current: allowed ? max - Math.floor(tokens) : max + 1,
      // Refused: until the next token; allowed: until the bucket is full again.
      ttl: Math.ceil((allowed ? max - tokens : 1 - tokens) * refillMs),
    });
  }

  /** Each route gets its own buckets: sign-in and sign-up never share a pool. */
  child() {
    return new TokenBucketStore({ now: this.now });
  }
}
