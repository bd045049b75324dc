import { afterEach, describe, expect, it } from "vitest";
import { PresentationSync, type PresentSyncMessage } from "./sync";

describe("PresentationSync", () => {
  const open: PresentationSync[] = [];
  const make = (name: string) => {
    const s = new PresentationSync(name);
    s.open();
    open.push(s);
    return s;
  };
  afterEach(() => open.splice(0).forEach((s) => s.dispose()));
  const tick = () => new Promise((r) => setTimeout(r, 30));

  describe("post", () => {
    it("should reach the other windows of the same lesson, not itself or other lessons", async () => {
      const audience = make("spawnpoint-present:en/a");
      const presenter = make("spawnpoint-present:en/a");
      const otherLesson = make("spawnpoint-present:en/b");
      const got: Record<string, PresentSyncMessage[]> = { audience: [], presenter: [], other: [] };
      audience.subscribe((m) => got.audience.push(m));
      presenter.subscribe((m) => got.presenter.push(m));
      otherLesson.subscribe((m) => got.other.push(m));
      audience.post({ type: "slide", slide: 3 });
      await tick();
      expect(got).toEqual({ audience: [], presenter: [{ type: "slide", slide: 3 }], other: [] });
    });
  });

  describe("on", () => {
    it("should deliver only the requested message type", async () => {
      const a = make("spawnpoint-present:en/c");
      const b = make("spawnpoint-present:en/c");
      const steps: number[] = [];
      b.on("scheduler", (m) => steps.push(m.step));
      a.post({ type: "slide", slide: 1 });
      a.post({ type: "scheduler", key: "sched-zombie", step: 4 });
      await tick();
      expect(steps).toEqual([4]);
    });
  });

  describe("dispose", () => {
    it("should stop delivery, and open() should rejoin", async () => {
      const a = make("spawnpoint-present:en/d");
      const b = make("spawnpoint-present:en/d");
      const got: PresentSyncMessage[] = [];
      b.subscribe((m) => got.push(m));
      b.dispose();
      a.post({ type: "hello" });
      await tick();
      expect(got).toEqual([]);
      b.open();
      a.post({ type: "hello" });
      await tick();
      expect(got).toEqual([{ type: "hello" }]);
    });
  });
});
