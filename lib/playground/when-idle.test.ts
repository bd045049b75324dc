import { describe, expect, it, vi } from "vitest";
import { IDLE_TIMEOUT_MS, whenIdle, type IdleHost } from "./when-idle";

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
