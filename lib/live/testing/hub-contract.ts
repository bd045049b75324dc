/**
 * Behaviour every LiveHub backend must have, run against MemoryBackend (hub.test.ts) and
 * RedisBackend against a real redis-server (redis-backend.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveHub } from "../hub";
import { JOIN_CODE_ALPHABET, JOIN_CODE_PATTERN, LIVE_LIMITS, type LiveEvent } from "../protocol";

export interface HubFixture {
  hub: LiveHub;
  dispose(): Promise<void>;
}

const lesson = { lang: "en", slug: "01-processes" } as const;
const IP = "203.0.113.7";

function collector() {
  const events: LiveEvent[] = [];
  const waiters: Array<() => void> = [];
  return {
    events,
    listener: (e: LiveEvent) => {
      events.push(e);
      waiters.splice(0).forEach((w) => w());
    },
    async waitFor(predicate: (events: LiveEvent[]) => boolean, timeoutMs = 3000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!predicate(events)) {
        if (Date.now() > deadline) throw new Error(`timed out; events so far: ${JSON.stringify(events)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 20);
        });
      }
    },
  };
}

export function describeHubContract(name: string, makeFixture: () => Promise<HubFixture>): void {
  describe(`LiveHub (${name})`, () => {
    let fx: HubFixture;
    beforeEach(async () => {
      fx = await makeFixture();
    });
    afterEach(async () => {
      await fx.dispose();
    });

    async function create(slide = 0) {
      const created = await fx.hub.create({ lesson, slide }, IP);
      if (!created.ok) throw new Error(created.message);
      return created.value;
    }

    describe("create", () => {
      it("should return a join code from the unambiguous alphabet, a token and the starting state", async () => {
        const s = await create(3);
        expect(s.code).toMatch(JOIN_CODE_PATTERN);
        expect(s.token.length).toBeGreaterThanOrEqual(40);
        expect(s.state).toEqual({ slide: 3, steps: {} });
        expect(s.lesson).toEqual(lesson);
        expect(s.expiresAt).toBeGreaterThan(Date.now() - 1000);
      });

      it("should give every session its own code and token", async () => {
        const a = await create();
        const b = await create();
        expect(a.code).not.toBe(b.code);
        expect(a.token).not.toBe(b.token);
      });

      it("should refuse a malformed request with a message", async () => {
        const r = await fx.hub.create({ lesson: { lang: "fr", slug: "../etc" } }, IP);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error).toBe("invalid");
      });
    });

    describe("lookup", () => {
      it("should find a session however the student types the code", async () => {
        const s = await create(2);
        const typed = `${s.code.slice(0, 3).toLowerCase()}-${s.code.slice(3)} `;
        const r = await fx.hub.lookup(typed, IP);
        expect(r.ok && r.value.code).toBe(s.code);
        expect(r.ok && r.value.state.slide).toBe(2);
      });

      it("should never reveal the token or its hash", async () => {
        const s = await create();
        const r = await fx.hub.lookup(s.code, IP);
        expect(JSON.stringify(r)).not.toContain(s.token);
        expect(Object.keys(r.ok ? r.value : {})).not.toContain("tokenHash");
      });

      it("should answer not-found for an unknown or malformed code", async () => {
        for (const code of ["ZZZZZZZ", "short", "O0O0O0O"]) {
          const r = await fx.hub.lookup(code, IP);
          expect(r.ok ? "found" : r.error).toBe("not-found");
        }
      });
    });

    describe("drive", () => {
      it("should move the slide and bump seq with the instructor's token", async () => {
        const s = await create();
        const r = await fx.hub.drive(s.code, s.token, { type: "slide", slide: 4 }, IP);
        expect(r).toEqual({ ok: true, value: { seq: 1, state: { slide: 4, steps: {} } } });
      });

      it("should keep each scheduler's step alongside the slide", async () => {
        const s = await create();
        await fx.hub.drive(s.code, s.token, { type: "scheduler", id: "zombie", step: 3 }, IP);
        await fx.hub.drive(s.code, s.token, { type: "slide", slide: 2 }, IP);
        const r = await fx.hub.drive(s.code, s.token, { type: "scheduler", id: "orphan", step: 1 }, IP);
        expect(r.ok && r.value.state).toEqual({ slide: 2, steps: { zombie: 3, orphan: 1 } });
      });

      it("should refuse a drive message without a token, with a wrong one, or with another session's", async () => {
        const s = await create();
        const other = await create();
        for (const token of [null, "", "x".repeat(43), other.token]) {
          const r = await fx.hub.drive(s.code, token, { type: "slide", slide: 9 }, IP);
          expect(r.ok ? "accepted" : r.error).toBe("forbidden");
        }
        const state = await fx.hub.lookup(s.code, IP);
        expect(state.ok && state.value.state.slide).toBe(0);
      });

      it("should refuse messages that do not match the protocol", async () => {
        const s = await create();
        const bad: unknown[] = [
          { type: "slide", slide: -1 },
          { type: "slide", slide: 1.5 },
          { type: "slide", slide: LIVE_LIMITS.maxSlide + 1 },
          { type: "slide", slide: 1, extra: true },
          { type: "scheduler", id: "../../x", step: 1 },
          { type: "eval", code: "alert(1)" },
          "slide 3",
          null,
        ];
        for (const msg of bad) {
          const r = await fx.hub.drive(s.code, s.token, msg, IP);
          expect(r.ok ? "accepted" : r.error, JSON.stringify(msg)).toBe("invalid");
        }
      });

      it("should cap the number of scheduler views in a session", async () => {
        const s = await create();
        for (let i = 0; i < LIVE_LIMITS.maxSchedulers; i++) {
          const r = await fx.hub.drive(s.code, s.token, { type: "scheduler", id: `s${i}`, step: 1 }, IP);
          expect(r.ok).toBe(true);
        }
        const again = await fx.hub.drive(s.code, s.token, { type: "scheduler", id: "s0", step: 2 }, IP);
        expect(again.ok).toBe(true);
        const over = await fx.hub.drive(s.code, s.token, { type: "scheduler", id: "one-too-many", step: 1 }, IP);
        expect(over.ok ? "accepted" : over.error).toBe("too-many-schedulers");
      });
    });

    describe("follow", () => {
      it("should deliver the current state first, then every change in order", async () => {
        const s = await create(1);
        const c = collector();
        const f = await fx.hub.follow(s.code, IP, null, c.listener);
        expect(f.ok).toBe(true);
        expect(c.events).toEqual([{ type: "state", seq: 0, state: { slide: 1, steps: {} } }]);
        for (let slide = 2; slide <= 4; slide++) await fx.hub.drive(s.code, s.token, { type: "slide", slide }, IP);
        await c.waitFor((e) => e.length === 4);
        expect(c.events.map((e) => (e.type === "state" ? e.state.slide : e.type))).toEqual([1, 2, 3, 4]);
        if (f.ok) f.value.stop();
      });

      it("should skip the state a resuming follower already has (Last-Event-ID)", async () => {
        const s = await create();
        await fx.hub.drive(s.code, s.token, { type: "slide", slide: 5 }, IP);
        const c = collector();
        const f = await fx.hub.follow(s.code, IP, 1, c.listener);
        expect(c.events).toEqual([]);
        await fx.hub.drive(s.code, s.token, { type: "slide", slide: 6 }, IP);
        await c.waitFor((e) => e.length === 1);
        expect(c.events[0]).toMatchObject({ type: "state", seq: 2 });
        if (f.ok) f.value.stop();
      });

      it("should stop delivering after stop()", async () => {
        const s = await create();
        const c = collector();
        const f = await fx.hub.follow(s.code, IP, null, c.listener);
        if (f.ok) f.value.stop();
        await fx.hub.drive(s.code, s.token, { type: "slide", slide: 1 }, IP);
        await new Promise((r) => setTimeout(r, 100));
        expect(c.events).toHaveLength(1);
        expect(fx.hub.backend.listenerCount(s.code)).toBe(0);
      });

      it("should refuse an unknown code and keep no listener for it", async () => {
        const f = await fx.hub.follow("ABCDEFG", IP, null, () => {});
        expect(f.ok ? "followed" : f.error).toBe("not-found");
        expect(fx.hub.backend.listenerCount()).toBe(0);
      });
    });

    describe("end", () => {
      it("should tell followers the session ended and forget it", async () => {
        const s = await create();
        const c = collector();
        await fx.hub.follow(s.code, IP, null, c.listener);
        const r = await fx.hub.end(s.code, s.token, IP);
        expect(r.ok).toBe(true);
        await c.waitFor((e) => e.some((x) => x.type === "ended"));
        expect(c.events.at(-1)).toEqual({ type: "ended", reason: "ended" });
        const after = await fx.hub.lookup(s.code, IP);
        expect(after.ok ? "found" : after.error).toBe("not-found");
      });

      it("should refuse to end a session without its token", async () => {
        const s = await create();
        const r = await fx.hub.end(s.code, "forged", IP);
        expect(r.ok ? "ended" : r.error).toBe("forbidden");
        expect((await fx.hub.lookup(s.code, IP)).ok).toBe(true);
      });
    });

    describe("rate limiting", () => {
      it("should throttle an address that keeps guessing, even for a right code, but not others", async () => {
        const s = await create();
        let limited = false;
        for (let i = 0; i < 50 && !limited; i++) {
          const r = await fx.hub.lookup(`ZZZZZZ${JOIN_CODE_ALPHABET[i % JOIN_CODE_ALPHABET.length]}`, "198.51.100.1");
          limited = !r.ok && r.error === "rate-limited";
        }
        expect(limited).toBe(true);
        const right = await fx.hub.lookup(s.code, "198.51.100.1");
        expect(right.ok ? "found" : right.error).toBe("rate-limited");
        if (!right.ok) expect(right.retryAfterMs).toBeGreaterThan(0);
        expect((await fx.hub.lookup(s.code, "198.51.100.2")).ok).toBe(true);
      });

      it("should let a whole class behind one address join at once", async () => {
        const s = await create();
        const joins = await Promise.all(Array.from({ length: 100 }, () => fx.hub.lookup(s.code, "192.0.2.10")));
        expect(joins.every((r) => r.ok)).toBe(true);
      });

      it("should count forged drive messages as guesses", async () => {
        const s = await create();
        let limited = false;
        for (let i = 0; i < 50 && !limited; i++) {
          const r = await fx.hub.drive(s.code, `forged-${i}`, { type: "slide", slide: 1 }, "198.51.100.9");
          limited = !r.ok && r.error === "rate-limited";
        }
        expect(limited).toBe(true);
      });
    });
  });
}
