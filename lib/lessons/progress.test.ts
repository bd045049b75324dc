import { describe, expect, it } from "vitest";
import { ProgressStore, STORAGE_KEY, type ProgressStorage } from "./progress";

function memory(initial: Record<string, string> = {}): ProgressStorage & { data: Record<string, string> } {
  const data = { ...initial };
  return { data, getItem: (k) => data[k] ?? null, setItem: (k, v) => void (data[k] = v) };
}

describe("ProgressStore", () => {
  describe("markDone", () => {
    it("should record a lesson as done and keep it in storage", () => {
      const s = memory();
      const store = new ProgressStore(() => s);
      store.markDone("locks", 1000);
      expect(store.isDone("locks")).toBe(true);
      expect(JSON.parse(s.data[STORAGE_KEY])).toEqual({ v: 1, done: { locks: 1000 } });
      expect(new ProgressStore(() => s).isDone("locks")).toBe(true);
    });

    it("should notify subscribers", () => {
      const s = memory();
      const store = new ProgressStore(() => s);
      let calls = 0;
      const off = store.subscribe(() => calls++);
      store.markDone("pids");
      off();
      store.markDone("queues");
      expect(calls).toBe(1);
    });
  });

  describe("completed", () => {
    it("should return the same Set until storage changes", () => {
      const s = memory();
      const store = new ProgressStore(() => s);
      const a = store.completed();
      expect(store.completed()).toBe(a);
      store.markDone("zombies");
      expect(store.completed()).not.toBe(a);
      expect([...store.completed()]).toEqual(["zombies"]);
    });

    it("should treat corrupt or missing storage as no progress", () => {
      expect(new ProgressStore(() => memory({ [STORAGE_KEY]: "{not json" })).completed().size).toBe(0);
      expect(new ProgressStore(() => null).completed().size).toBe(0);
      const throwing: ProgressStorage = {
        getItem: () => {
          throw new Error("denied");
        },
        setItem: () => {
          throw new Error("denied");
        },
      };
      const store = new ProgressStore(() => throwing);
      expect(() => store.markDone("x")).not.toThrow();
      expect(store.completed().size).toBe(0);
    });
  });

  describe("reset", () => {
    it("should forget one lesson or all", () => {
      const s = memory();
      const store = new ProgressStore(() => s);
      store.markDone("a");
      store.markDone("b");
      store.reset("a");
      expect([...store.completed()]).toEqual(["b"]);
      store.reset();
      expect(store.completed().size).toBe(0);
    });
  });
});
