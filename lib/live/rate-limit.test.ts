import { afterEach, describe, expect, it } from "vitest";
import { MemoryRateLimiter } from "./rate-limit";

describe("MemoryRateLimiter", () => {
  let limiter: MemoryRateLimiter | undefined;
  afterEach(() => limiter?.dispose());

  describe("take", () => {
    it("should allow a burst up to capacity, then refuse with a retry delay", async () => {
      let now = 0;
      limiter = new MemoryRateLimiter({ capacity: 3, refillPerSecond: 0.5, now: () => now });
      for (let i = 0; i < 3; i++) expect((await limiter.take("a")).ok).toBe(true);
      const refused = await limiter.take("a");
      expect(refused).toEqual({ ok: false, retryAfterMs: 2000 });
      now += 2000;
      expect((await limiter.take("a")).ok).toBe(true);
      expect((await limiter.take("a")).ok).toBe(false);
    });

    it("should keep separate buckets per key", async () => {
      limiter = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 });
      expect((await limiter.take("a")).ok).toBe(true);
      expect((await limiter.take("a")).ok).toBe(false);
      expect((await limiter.take("b")).ok).toBe(true);
    });

    it("should never refill beyond capacity", async () => {
      let now = 0;
      limiter = new MemoryRateLimiter({ capacity: 2, refillPerSecond: 10, now: () => now });
      now += 1_000_000;
      expect((await limiter.take("a")).ok).toBe(true);
      expect((await limiter.take("a")).ok).toBe(true);
      expect((await limiter.take("a")).ok).toBe(false);
    });
  });

  describe("peek", () => {
    it("should report whether a token is there without taking it", async () => {
      limiter = new MemoryRateLimiter({ capacity: 1, refillPerSecond: 1, now: () => 0 });
      for (let i = 0; i < 5; i++) expect((await limiter.peek("a")).ok).toBe(true);
      await limiter.take("a");
      expect((await limiter.peek("a")).ok).toBe(false);
    });
  });

  describe("sweep", () => {
    it("should forget buckets that have refilled", async () => {
      let now = 0;
      limiter = new MemoryRateLimiter({ capacity: 2, refillPerSecond: 1, now: () => now });
      await limiter.take("a");
      await limiter.take("b", 2);
      now += 1000;
      limiter.sweep();
      expect(limiter.size).toBe(1);
      now += 1000;
      limiter.sweep();
      expect(limiter.size).toBe(0);
    });
  });
});
