import { afterEach, describe, expect, it } from "vitest";
import { LiveHub } from "./hub";
import { MemoryBackend } from "./memory-backend";
import type { LiveEvent } from "./protocol";
import { MemoryRateLimiter, SplitRateLimiter } from "./rate-limit";
import { describeHubContract } from "./testing/hub-contract";

function memoryHub(options: { now?: () => number; ttlMs?: number } = {}) {
  const backend = new MemoryBackend({ now: options.now, sweepIntervalMs: 60_000 });
  const hub = new LiveHub({
    backend,
    guessLimiter: new SplitRateLimiter(
      new MemoryRateLimiter({ capacity: 10, refillPerSecond: 0.1, now: options.now }),
      new MemoryRateLimiter({ capacity: 1000, refillPerSecond: 10, now: options.now }),
    ),
    createLimiter: new MemoryRateLimiter({ capacity: 1000, refillPerSecond: 1, now: options.now }),
    ttlMs: options.ttlMs,
    now: options.now,
  });
  return { hub, backend };
}

describeHubContract("memory", async () => {
  const { hub } = memoryHub();
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

  describe("rate limiting", () => {
    it("should stop guessing from forged addresses once the global budget is spent", async () => {
      const { hub } = memoryHub();
      try {
        const created = await hub.create({ lesson: { lang: "en", slug: "x" } }, "ip");
        let limited = false;
        // Every attempt claims a new address, so only the global bucket (capacity 1000) can stop it.
        for (let i = 0; i < 1200 && !limited; i++) {
          const r = await hub.lookup("ZZZZZZZ", `10.0.${i >> 8}.${i & 255}`);
          limited = !r.ok && r.error === "rate-limited";
        }
        expect(limited).toBe(true);
        expect(created.ok && (await hub.lookup(created.value.code, "10.9.9.9")).ok).toBe(false);
      } finally {
        await hub.dispose();
      }
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
