import { describe, expect, it } from "vitest";
import { FrameBatcher, type FrameScheduler } from "./frame-batcher";

function manualFrames(): FrameScheduler & { tick(): void } {
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

describe("FrameBatcher", () => {
  describe("push", () => {
    it("should write everything pushed in one frame as a single write", () => {
      const frames = manualFrames();
      const writes: string[] = [];
      const b = new FrameBatcher((t) => writes.push(t), frames);
      for (let i = 0; i < 1000; i++) b.push(`${i}\n`);
      expect(writes).toEqual([]);
      frames.tick();
      expect(writes).toHaveLength(1);
      expect(writes[0].split("\n")).toHaveLength(1001);
    });
  });

  describe("dispose", () => {
    it("should drop pending output", () => {
      const frames = manualFrames();
      const writes: string[] = [];
      const b = new FrameBatcher((t) => writes.push(t), frames);
      b.push("x");
      b.dispose();
      frames.tick();
      b.push("y");
      expect(writes).toEqual([]);
    });
  });
});
