import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FLUSH_MS, OutputBatcher, throttledTimer, type FlushScheduler } from "./output-batcher";

function manualScheduler(): FlushScheduler & { tick(): void } {
  let next = 1;
  const cbs = new Map<number, () => void>();
  return {
    request: (cb) => (cbs.set(next, cb), next++),
    cancel: (h) => void cbs.delete(h),
    tick() {
      const due = [...cbs.values()];
      cbs.clear();
      due.forEach((cb) => cb());
    },
  };
}

describe("OutputBatcher", () => {
  describe("push", () => {
    it("should write everything pushed before the scheduler runs as a single write", () => {
      const scheduler = manualScheduler();
      const writes: string[] = [];
      const b = new OutputBatcher((t) => writes.push(t), scheduler);
      for (let i = 0; i < 1000; i++) b.push(`${i}\n`);
      expect(writes).toEqual([]);
      scheduler.tick();
      expect(writes).toHaveLength(1);
      expect(writes[0].split("\n")).toHaveLength(1001);
    });
  });

  describe("dispose", () => {
    it("should drop pending output", () => {
      const scheduler = manualScheduler();
      const writes: string[] = [];
      const b = new OutputBatcher((t) => writes.push(t), scheduler);
      b.push("x");
      b.dispose();
      scheduler.tick();
      b.push("y");
      expect(writes).toEqual([]);
    });
  });

  describe("default scheduler", () => {
    beforeEach(() => void vi.useFakeTimers());
    afterEach(() => void vi.useRealTimers());

    it("should write the first output after a quiet spell on the next task, with no animation frame", () => {
      const writes: string[] = [];
      const b = new OutputBatcher((t) => writes.push(t));
      b.push("a");
      b.push("b");
      expect(writes).toEqual([]);
      vi.advanceTimersByTime(0);
      expect(writes).toEqual(["ab"]);
    });

    it("should write at most once per FLUSH_MS while output keeps coming, and at once again after a pause", () => {
      const writes: [number, string][] = [];
      const b = new OutputBatcher((t) => writes.push([Date.now(), t]), throttledTimer(FLUSH_MS, () => Date.now()));
      const t0 = Date.now();
      for (let ms = 0; ms < 40; ms++) {
        b.push(`${ms} `);
        vi.advanceTimersByTime(1);
      }
      vi.advanceTimersByTime(FLUSH_MS);
      const at = writes.map(([t]) => t - t0);
      expect(at[0]).toBe(0);
      for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(FLUSH_MS);
      expect(writes.map(([, t]) => t).join("")).toBe(Array.from({ length: 40 }, (_, ms) => `${ms} `).join(""));
      vi.advanceTimersByTime(100);
      const before = writes.length;
      b.push("later");
      vi.advanceTimersByTime(0);
      expect(writes.slice(before).map(([, t]) => t)).toEqual(["later"]);
    });
  });
});
