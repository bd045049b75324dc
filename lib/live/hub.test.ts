import { afterEach, describe, expect, it } from "vitest";
import { LiveHub } from "./hub";
import { MemoryBackend } from "./memory-backend";
import type { LiveEvent } from "./protocol";
import { MemoryRateLimiter, SplitRateLimiter } from "./rate-limit";
import { describeHubContract, type FixtureOptions } from "./testing/hub-contract";

function memoryHub(options: { now?: () => number; ttlMs?: number } & FixtureOptions = {}) {
  const backend = new MemoryBackend({ now: options.now, sweepIntervalMs: 60_000 });
  const bucket = (capacity: number) => new MemoryRateLimiter({ capacity, refillPerSecond: 0.01, now: options.now });
  const hub = new LiveHub({
    backend,
    guessLimiter: new MemoryRateLimiter({ capacity: 10, refillPerSecond: 0.1, now: options.now }),
    createLimiter: new SplitRateLimiter(bucket(options.createPerAddress ?? 1000), bucket(options.createGlobal ?? 1000)),
    caps: options.caps,
    ttlMs: options.ttlMs,
    now: options.now,
  });
  return { hub, backend };
}

describeHubContract("memory", async (options) => {
  const { hub } = memoryHub(options);
  return { hub, dispose: () => hub.dispose() };
});

describe("LiveHub (memory)", () => {
  describe("expiry", () => {
    let dispose: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await dispose?.();
    });

    it("should end an idle session after its TTL and tell its followers why", async () => {
      let now = 1_000_000;
      const { hub, backend } = memoryHub({ now: () => now, ttlMs: 60_000 });
      dispose = () => hub.dispose();
      const created = await hub.create({ lesson: { lang: "en", slug: "x" } }, "ip");
      if (!created.ok) throw new Error(created.message);
      const events: LiveEvent[] = [];
      await hub.follow(created.value.code, "ip", null, (e) => events.push(e));

      now += 59_999;
      backend.sweep();
      expect((await hub.lookup(created.value.code, "ip")).ok).toBe(true);

      now += 1;
      expect((await hub.lookup(created.value.code, "ip")).ok).toBe(false);
      backend.sweep();
      expect(events.at(-1)).toEqual({ type: "ended", reason: "expired" });
    });

    it("should slide the expiry on every instructor action", async () => {
      let now = 0;
      const { hub, backend } = memoryHub({ now: () => now, ttlMs: 60_000 });
      dispose = () => hub.dispose();
      const created = await hub.create({ lesson: { lang: "en", slug: "x" } }, "ip");
      if (!created.ok) throw new Error(created.message);
      const { code, token } = created.value;
      for (let i = 1; i <= 5; i++) {
        now += 50_000;
        const r = await hub.drive(code, token, { type: "slide", slide: i }, "ip");
        expect(r.ok).toBe(true);
      }
      backend.sweep();
      const alive = await hub.lookup(code, "ip");
      expect(alive.ok && alive.value.expiresAt).toBe(now + 60_000);
      // Followers do not keep a session alive: only the instructor does.
      await hub.follow(code, "ip", null, () => {});
      now += 60_000;
      expect((await hub.lookup(code, "ip")).ok).toBe(false);
    });
  });

  describe("dispose", () => {
    it("should drop sessions and listeners", async () => {
      const { hub, backend } = memoryHub();
      const created = await hub.create({ lesson: { lang: "zh", slug: "y" } }, "ip");
      if (!created.ok) throw new Error(created.message);
      await hub.follow(created.value.code, "ip", null, () => {});
      expect(backend.listenerCount()).toBe(1);
      await hub.dispose();
      expect(backend.listenerCount()).toBe(0);
      expect(await backend.get(created.value.code)).toBeNull();
    });
  });
});
