/**
 * Token-bucket rate limiting, in memory or in Redis (so several instances share one budget).
 *
 * A bucket holds up to `capacity` tokens and refills at `refillPerSecond`. `take(key, cost)` removes
 * `cost` tokens if that many are there; `peek(key)` says whether one token is there without taking it.
 */
import type { Redis } from "ioredis";

export interface RateLimitResult {
  ok: boolean;
  /** When !ok: how long until one token is back. */
  retryAfterMs: number;
}

export interface RateLimiter {
  take(key: string, cost?: number): Promise<RateLimitResult>;
  /** Would `take(key)` succeed? Consumes nothing. */
  peek(key: string): Promise<RateLimitResult>;
  dispose(): void;
}

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  /** Clock, injectable for tests. Default `Date.now`. */
  now?: () => number;
  /** How often idle, full buckets are dropped from memory. Default 60 s. */
  sweepIntervalMs?: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sweepTimer: ReturnType<typeof setInterval>;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
    this.sweepTimer = setInterval(() => this.sweep(), options.sweepIntervalMs ?? 60_000);
    // Never keep a process alive just to forget buckets.
    this.sweepTimer.unref?.();
  }

  async take(key: string, cost = 1): Promise<RateLimitResult> {
    return this.takeSync(key, cost, cost);
  }

  async peek(key: string): Promise<RateLimitResult> {
    return this.takeSync(key, 1, 0);
  }

  takeSync(key: string, need: number, cost: number): RateLimitResult {
    const now = this.now();
    const bucket = this.refill(this.buckets.get(key), now);
    if (bucket.tokens < need) {
      this.buckets.set(key, bucket);
      return { ok: false, retryAfterMs: Math.ceil(((need - bucket.tokens) / this.options.refillPerSecond) * 1000) };
    }
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens - cost);
    this.buckets.set(key, bucket);
    return { ok: true, retryAfterMs: 0 };
  }

  /** Drops buckets that have refilled completely: they hold no information. */
  sweep(): void {
    const now = this.now();
    for (const [key, bucket] of this.buckets) {
      if (this.refill(bucket, now).tokens >= this.options.capacity) this.buckets.delete(key);
    }
  }

  get size(): number {
    return this.buckets.size;
  }

  dispose(): void {
    clearInterval(this.sweepTimer);
    this.buckets.clear();
  }

  private refill(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.options.capacity, at: now };
    const elapsed = Math.max(0, now - bucket.at) / 1000;
    return { tokens: Math.min(this.options.capacity, bucket.tokens + elapsed * this.options.refillPerSecond), at: now };
  }
}

// Same arithmetic as MemoryRateLimiter, atomic in Redis. The key expires once the bucket would be full again.
const TAKE_SCRIPT = `
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local cost = tonumber(ARGV[4])
local need = tonumber(ARGV[5])
local b = redis.call('HMGET', KEYS[1], 't', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
if now > at then tokens = math.min(cap, tokens + (now - at) * rate / 1000) end
local ok = 0
if tokens >= need then
  tokens = math.min(cap, tokens - cost)
  ok = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil((cap - tokens) * 1000 / rate) + 1000)
return {ok, tostring(tokens)}
`;

export class RedisRateLimiter implements RateLimiter {
  private readonly now: () => number;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly options: TokenBucketOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async take(key: string, cost = 1): Promise<RateLimitResult> {
    return this.run(key, cost, cost);
  }

  async peek(key: string): Promise<RateLimitResult> {
    return this.run(key, 1, 0);
  }

  private async run(key: string, need: number, cost: number): Promise<RateLimitResult> {
    const reply = (await this.redis.eval(
      TAKE_SCRIPT,
      1,
      this.prefix + key,
      this.options.capacity,
      this.options.refillPerSecond,
      this.now(),
      cost,
      need,
    )) as [number, string];
    const [ok, tokens] = reply;
    if (ok === 1) return { ok: true, retryAfterMs: 0 };
    return { ok: false, retryAfterMs: Math.ceil(((need - Number(tokens)) / this.options.refillPerSecond) * 1000) };
  }

  dispose(): void {
    // The Redis connection belongs to the backend that created this limiter.
  }
}

/** Per-address and global buckets behind one limiter: key "global" goes to one, every other key to the other. */
export class SplitRateLimiter implements RateLimiter {
  constructor(
    private readonly perKey: RateLimiter,
    private readonly global: RateLimiter,
  ) {}

  take(key: string, cost?: number): Promise<RateLimitResult> {
    return this.pick(key).take(key, cost);
  }

  peek(key: string): Promise<RateLimitResult> {
    return this.pick(key).peek(key);
  }

  dispose(): void {
    this.perKey.dispose();
    this.global.dispose();
  }

  private pick(key: string): RateLimiter {
    return key === "global" ? this.global : this.perKey;
  }
}
