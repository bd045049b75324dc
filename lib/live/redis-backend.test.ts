/**
 * RedisBackend against a real redis-server (Debian's package, started on a free port here).
 * Skips loudly when redis-server is missing and cannot be installed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LiveHub } from "./hub";
import type { LiveEvent } from "./protocol";
import { RedisRateLimiter, SplitRateLimiter } from "./rate-limit";
import { RedisBackend } from "./redis-backend";
import { describeHubContract, type FixtureOptions } from "./testing/hub-contract";
import { ensureRedisServer, startRedisServer, type RedisHandle } from "./testing/redis-server";

const found = ensureRedisServer();
if (found.path === null) {
  console.warn(`\n\n!!! SKIPPING Redis integration tests: ${found.reason} !!!\n\n`);
}

let prefixCounter = 0;

describe.skipIf(!found.path)("RedisBackend", () => {
  let redis: RedisHandle;
  beforeAll(async () => {
    redis = await startRedisServer(found.path as string);
  });
  afterAll(async () => {
    await redis?.dispose();
  });

  /** One "server instance": its own connections, sharing the Redis server (a fresh prefix per test keeps tests apart). */
  function instance(prefix: string, ttlMs?: number, sweepIntervalMs?: number, options: FixtureOptions = {}) {
    const backend = new RedisBackend({ url: redis.url, prefix, sweepIntervalMs });
    const bucket = (name: string, capacity: number) => new RedisRateLimiter(backend.redis, `${prefix}rl:${name}:`, { capacity, refillPerSecond: 0.01 });
    const hub = new LiveHub({
      backend,
      guessLimiter: new RedisRateLimiter(backend.redis, `${prefix}rl:ip:`, { capacity: 10, refillPerSecond: 0.1 }),
      createLimiter: new SplitRateLimiter(bucket("create", options.createPerAddress ?? 1000), bucket("create-global", options.createGlobal ?? 1000)),
      caps: options.caps,
      ttlMs,
    });
    return { hub, backend };
  }

  describeHubContract("redis", async (options) => {
    const { hub } = instance(`t${++prefixCounter}:`, undefined, undefined, options);
    return { hub, dispose: () => hub.dispose() };
  });

  describe("fan-out across instances", () => {
    it("should deliver a change driven on instance A to followers on instance B, starting from A's current state", async () => {
      const prefix = `fan${++prefixCounter}:`;
      const a = instance(prefix);
      const b = instance(prefix);
      try {
        const created = await a.hub.create({ lesson: { lang: "en", slug: "l" }, slide: 0 }, "ip");
        if (!created.ok) throw new Error(created.message);
        const { code, token } = created.value;
        await a.hub.drive(code, token, { type: "slide", slide: 6 }, "ip");
        await a.hub.drive(code, token, { type: "scheduler", id: "zombie", step: 2 }, "ip");

        const seen: LiveEvent[] = [];
        const follow = await b.hub.follow(code, "ip", null, (e) => seen.push(e));
        expect(follow.ok).toBe(true);
        expect(seen).toEqual([{ type: "state", seq: 2, state: { slide: 6, steps: { zombie: 2 } } }]);

        await a.hub.drive(code, token, { type: "slide", slide: 7 }, "ip");
        await expect.poll(() => seen.length).toBe(2);
        expect(seen[1]).toEqual({ type: "state", seq: 3, state: { slide: 7, steps: { zombie: 2 } } });

        // The token works on any instance: only its hash is in Redis, shared by all.
        expect((await b.hub.drive(code, token, { type: "slide", slide: 8 }, "ip")).ok).toBe(true);
        expect((await b.hub.drive(code, "forged", { type: "slide", slide: 9 }, "ip")).ok).toBe(false);
        await expect.poll(() => seen.length).toBe(3);

        await a.hub.end(code, token, "ip");
        await expect.poll(() => seen.at(-1)).toEqual({ type: "ended", reason: "ended" });
      } finally {
        await Promise.all([a.hub.dispose(), b.hub.dispose()]);
      }
    });

    it("should share the guess budget of an address between instances", async () => {
      const prefix = `rl${++prefixCounter}:`;
      const a = instance(prefix);
      const b = instance(prefix);
      try {
        let failures = 0;
        for (let i = 0; i < 10; i++) {
          const r = await (i % 2 ? a : b).hub.lookup("ZZZZZZZ", "198.51.100.3");
          if (!r.ok && r.error === "not-found") failures++;
        }
        expect(failures).toBe(10);
        const next = await a.hub.lookup("ZZZZZZZ", "198.51.100.3");
        expect(next.ok ? "found" : next.error).toBe("rate-limited");
      } finally {
        await Promise.all([a.hub.dispose(), b.hub.dispose()]);
      }
    });
  });

  describe("expiry", () => {
    it("should let Redis expire an idle session and tell followers on every instance", async () => {
      const prefix = `exp${++prefixCounter}:`;
      const a = instance(prefix, 400, 50);
      const b = instance(prefix, 400, 50);
      try {
        const created = await a.hub.create({ lesson: { lang: "en", slug: "l" } }, "ip");
        if (!created.ok) throw new Error(created.message);
        const seen: LiveEvent[] = [];
        await b.hub.follow(created.value.code, "ip", null, (e) => seen.push(e));
        // Activity slides the expiry.
        await new Promise((r) => setTimeout(r, 250));
        expect((await a.hub.drive(created.value.code, created.value.token, { type: "slide", slide: 1 }, "ip")).ok).toBe(true);
        await new Promise((r) => setTimeout(r, 250));
        expect((await b.hub.lookup(created.value.code, "ip")).ok).toBe(true);
        await expect.poll(() => seen.at(-1), { timeout: 3000 }).toEqual({ type: "ended", reason: "expired" });
        expect((await b.hub.lookup(created.value.code, "ip")).ok).toBe(false);
      } finally {
        await Promise.all([a.hub.dispose(), b.hub.dispose()]);
      }
    });
  });

  describe("dispose", () => {
    it("should close both Redis connections", async () => {
      const { hub, backend } = instance(`d${++prefixCounter}:`);
      await hub.dispose();
      expect(backend.redis.status).toBe("end");
      const used = instance(`d${++prefixCounter}:`);
      await used.hub.create({ lesson: { lang: "en", slug: "l" } }, "ip");
      await used.hub.dispose();
      expect(used.backend.redis.status).toBe("end");
    });
  });
});
