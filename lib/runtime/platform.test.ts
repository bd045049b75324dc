/** punctualTimer (./platform.ts): a kernel timeout never ends before its time by the platform's clock. */
import { describe, expect, it } from "vitest";
import { punctualTimer } from "./platform";

describe("punctualTimer", () => {
  it("should wait out what an early setTimeout left, and fire once", () => {
    let now = 100.5;
    const pending: { at: number; fn: () => void }[] = [];
    // A timer that fires a millisecond early, as Node's whole-millisecond loop clock may.
    const platform = { now: () => now, setTimer: (ms: number, fn: () => void) => (pending.push({ at: now + ms - 1, fn }), () => {}) };
    const fired: number[] = [];
    punctualTimer(platform)(200, () => fired.push(now));
    while (pending.length > 0) {
      const t = pending.shift()!;
      now = Math.max(now, t.at);
      t.fn();
    }
    expect(fired).toHaveLength(1);
    expect(fired[0] - 100.5).toBeGreaterThanOrEqual(200);
  });

  it("should not fire once cancelled, also after re-arming", () => {
    let now = 0;
    const pending: { at: number; fn: () => void; live: boolean }[] = [];
    const platform = {
      now: () => now,
      setTimer: (ms: number, fn: () => void) => {
        const t = { at: now + ms - 0.5, fn, live: true };
        pending.push(t);
        return () => void (t.live = false);
      },
    };
    let fired = 0;
    const cancel = punctualTimer(platform)(10, () => fired++);
    const first = pending.shift()!;
    now = first.at;
    first.fn(); // early: re-armed
    cancel();
    for (const t of pending) if (t.live) t.fn();
    expect(fired).toBe(0);
  });
});
