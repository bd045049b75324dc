import { describe, expect, it, vi } from "vitest";
import { DeferGate, IDLE_TIMEOUT_MS, QUIET, whenIdle, whenQuiet, type IdleHost, type QuietHost } from "./when-idle";

/** A window with fake timers and a load event fired on demand. */
function host(readyState: string, idle?: IdleHost["requestIdleCallback"]) {
  const loads: (() => void)[] = [];
  const h: IdleHost & { ready: string } = {
    ready: readyState,
    requestIdleCallback: idle,
    setTimeout: (cb, ms) => setTimeout(cb, ms),
    addEventListener: (_type, cb) => void loads.push(cb),
    get document() {
      return { readyState: h.ready };
    },
  };
  const load = () => {
    h.ready = "complete";
    for (const cb of loads.splice(0)) cb();
  };
  return { h, load };
}

describe("whenIdle", () => {
  it("should use requestIdleCallback with its deadline where the browser has it", () => {
    const idle = vi.fn();
    const start = vi.fn();
    whenIdle(host("complete", idle).h, start);
    expect(idle).toHaveBeenCalledWith(start, { timeout: IDLE_TIMEOUT_MS });
  });

  it("should start on the next task after load where there is no requestIdleCallback (Safari)", () => {
    vi.useFakeTimers();
    try {
      const start = vi.fn();
      whenIdle(host("complete").h, start);
      expect(start).not.toHaveBeenCalled(); // not inside the caller (a React effect)
      vi.advanceTimersByTime(1);
      expect(start).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it("should wait for the load event when the page is still loading", () => {
    vi.useFakeTimers();
    try {
      const start = vi.fn();
      const { h, load } = host("interactive");
      whenIdle(h, start);
      vi.advanceTimersByTime(10_000);
      expect(start).not.toHaveBeenCalled();
      load();
      vi.advanceTimersByTime(1);
      expect(start).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("whenQuiet", () => {
  /** Fake timers whose callbacks can be made to run late, as on a busy main thread. */
  function clock() {
    let now = 0;
    let timers: { at: number; cb: () => void }[] = [];
    const host: QuietHost = { now: () => now, setTimeout: (cb, ms) => void timers.push({ at: now + ms, cb }) };
    /** Runs the next timer `late` ms after it was due. */
    const next = (late = 0) => {
      timers.sort((a, b) => a.at - b.at);
      const t = timers.shift();
      if (!t) throw new Error("no timer");
      now = t.at + late;
      t.cb();
    };
    return { host, next, pending: () => timers.length, reset: () => (timers = []) };
  }

  it("should start after QUIET.ticks timers in a row that ran on time", () => {
    const c = clock();
    const start = vi.fn();
    whenQuiet(c.host, start);
    for (let i = 0; i < QUIET.ticks - 1; i++) c.next();
    expect(start).not.toHaveBeenCalled();
    c.next();
    expect(start).toHaveBeenCalledTimes(1);
    expect(c.pending()).toBe(0);
  });

  it("should count again after a late timer (a long task ran)", () => {
    const c = clock();
    const start = vi.fn();
    whenQuiet(c.host, start);
    c.next();
    c.next();
    c.next(400);
    for (let i = 0; i < QUIET.ticks - 1; i++) c.next();
    expect(start).not.toHaveBeenCalled();
    c.next();
    expect(start).toHaveBeenCalledTimes(1);
  });

  it("should start after QUIET.maxMs on a thread that is never quiet", () => {
    const c = clock();
    const start = vi.fn();
    whenQuiet(c.host, start);
    let n = 0;
    while (!start.mock.calls.length && n++ < 1000) c.next(QUIET.slack + 100);
    expect(start).toHaveBeenCalledTimes(1);
    expect(n).toBeLessThan(QUIET.maxMs / QUIET.every);
  });
});

describe("DeferGate", () => {
  it("should run what waits at once when nothing holds it, and after the last hold otherwise", () => {
    const gate = new DeferGate();
    const ran: string[] = [];
    gate.whenOpen(() => ran.push("open"));
    expect(ran).toEqual(["open"]);
    const a = gate.hold();
    const b = gate.hold();
    gate.whenOpen(() => ran.push("monaco"));
    a();
    a(); // giving a hold back twice does not give back another's
    expect(ran).toEqual(["open"]);
    b();
    expect(ran).toEqual(["open", "monaco"]);
    gate.whenOpen(() => ran.push("again"));
    expect(ran).toEqual(["open", "monaco", "again"]);
  });
});
