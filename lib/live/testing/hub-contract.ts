/**
 * Behaviour every LiveHub backend must have, run against MemoryBackend (hub.test.ts) and
 * RedisBackend against a real redis-server (redis-backend.test.ts). Long because it is the
 * whole contract in one place: a backend passes all of it or is not a LiveHub.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { LiveCaps, LiveHub } from "../hub";
import { JOIN_CODE_ALPHABET, JOIN_CODE_PATTERN, LIVE_LIMITS, type LiveEvent } from "../protocol";

export interface HubFixture {
  hub: LiveHub;
  dispose(): Promise<void>;
}

/** What a fixture's hub must be built with: guesses 10 per address; creation as given (default generous). */
export interface FixtureOptions {
  caps?: Partial<LiveCaps>;
  /** Sessions created per address, and from everyone, before the buckets run dry (they refill slowly). */
  createPerAddress?: number;
  createGlobal?: number;
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

export function describeHubContract(name: string, makeFixture: (options?: FixtureOptions) => Promise<HubFixture>): void {
  describe(`LiveHub (${name})`, () => {
    let fx: HubFixture;
    const extra: HubFixture[] = [];
    beforeEach(async () => {
      fx = await makeFixture();
    });
    afterEach(async () => {
      await Promise.all([fx.dispose(), ...extra.splice(0).map((x) => x.dispose())]);
    });
    /** A hub with other limits, disposed after the test. */
    async function hubWith(options: FixtureOptions): Promise<LiveHub> {
      const x = await makeFixture(options);
      extra.push(x);
      return x.hub;
    }

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

      it("should never refuse a right code because other addresses failed, however many", async () => {
        const s = await create();
        // 100 addresses spend their whole guess budget (an attacker with many addresses, or forged ones).
        for (let a = 0; a < 100; a++) {
          for (let i = 0; i < 11; i++) await fx.hub.lookup("ZZZZZZZ", `10.1.${a}.1`);
        }
        expect((await fx.hub.lookup("ZZZZZZZ", "10.1.0.1")).ok).toBe(false);
        const join = await fx.hub.lookup(s.code, "192.0.2.200");
        expect(join.ok ? "joined" : join.error).toBe("joined");
        const stream = await fx.hub.follow(s.code, "192.0.2.201", null, () => {});
        expect(stream.ok ? "following" : stream.error).toBe("following");
        if (stream.ok) stream.value.stop();
      });

      it("should let a follower with its ticket reconnect even from an address that ran out of guesses", async () => {
        const s = await create();
        const joined = await fx.hub.lookup(s.code, "198.51.100.50");
        if (!joined.ok) throw new Error(joined.message);
        for (let i = 0; i < 40; i++) await fx.hub.lookup("ZZZZZZZ", "198.51.100.50");
        const without = await fx.hub.follow(s.code, "198.51.100.50", null, () => {});
        expect(without.ok ? "following" : without.error).toBe("rate-limited");
        const withTicket = await fx.hub.follow(s.code, "198.51.100.50", 0, () => {}, joined.value.ticket);
        expect(withTicket.ok ? "following" : withTicket.error).toBe("following");
        if (withTicket.ok) withTicket.value.stop();
        const check = await fx.hub.lookup(s.code, "198.51.100.50", joined.value.ticket);
        expect(check.ok).toBe(true);
        // A ticket is bound to its session: another session's, or a made-up one, is no ticket.
        const other = await create();
        const forged = await fx.hub.lookup(other.code, "198.51.100.50", joined.value.ticket);
        expect(forged.ok ? "found" : forged.error).toBe("rate-limited");
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

    describe("caps", () => {
      it("should cap sessions created per address and from everyone, with a retry time", async () => {
        const hub = await hubWith({ createPerAddress: 3, createGlobal: 5 });
        const results = [];
        for (let i = 0; i < 4; i++) results.push(await hub.create({ lesson }, "198.51.100.60"));
        expect(results.map((r) => (r.ok ? "created" : r.error))).toEqual(["created", "created", "created", "rate-limited"]);
        // Other addresses share the global budget: two more, then everyone waits.
        const others = [];
        for (let i = 0; i < 3; i++) others.push(await hub.create({ lesson }, `198.51.100.${61 + i}`));
        expect(others.map((r) => (r.ok ? "created" : r.error))).toEqual(["created", "created", "rate-limited"]);
        const last = others[2];
        if (!last.ok) expect(last.retryAfterMs).toBeGreaterThan(0);
      });

      it("should cap open sessions, and open a new one once one ends", async () => {
        const hub = await hubWith({ caps: { maxOpenSessions: 3 } });
        const made = [];
        for (let i = 0; i < 3; i++) {
          const r = await hub.create({ lesson }, `192.0.2.${70 + i}`);
          if (!r.ok) throw new Error(r.message);
          made.push(r.value);
        }
        const full = await hub.create({ lesson }, "192.0.2.80");
        expect(full.ok ? "created" : full.error).toBe("rate-limited");
        if (!full.ok) expect(full.retryAfterMs).toBeGreaterThan(0);
        expect((await hub.end(made[0].code, made[0].token, "192.0.2.70")).ok).toBe(true);
        expect((await hub.create({ lesson }, "192.0.2.80")).ok).toBe(true);
      });

      it("should cap streams per address and per session, and free a slot when a stream stops", async () => {
        const hub = await hubWith({ caps: { maxStreamsPerAddress: 2, maxStreamsPerSession: 3 } });
        const made = await hub.create({ lesson }, "192.0.2.90");
        if (!made.ok) throw new Error(made.message);
        const code = made.value.code;
        const follow = (ip: string) => hub.follow(code, ip, null, () => {});
        const a1 = await follow("192.0.2.91");
        const a2 = await follow("192.0.2.91");
        const a3 = await follow("192.0.2.91");
        expect([a1, a2, a3].map((r) => (r.ok ? "following" : r.error))).toEqual(["following", "following", "rate-limited"]);
        if (!a3.ok) expect(a3.retryAfterMs).toBeGreaterThan(0);
        expect(hub.streamCount("192.0.2.91")).toBe(2);
        const b1 = await follow("192.0.2.92");
        const b2 = await follow("192.0.2.92");
        expect([b1, b2].map((r) => (r.ok ? "following" : r.error))).toEqual(["following", "rate-limited"]);
        if (a1.ok) {
          a1.value.stop();
          a1.value.stop(); // stopping twice frees one slot, not two
        }
        const c1 = await follow("192.0.2.93");
        expect(c1.ok ? "following" : c1.error).toBe("following");
        expect((await follow("192.0.2.94")).ok).toBe(false);
        for (const r of [a2, b1, c1]) if (r.ok) r.value.stop();
        expect(hub.streamCount("192.0.2.91")).toBe(0);
      });
    });
  });
}
