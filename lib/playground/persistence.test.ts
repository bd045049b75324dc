import { describe, expect, it } from "vitest";
import { EditStore, type KeyValueStorage } from "./persistence";

function memory(): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

describe("EditStore", () => {
  const original = { "main.py": "print(1)\n" };

  describe("save", () => {
    it("should keep edits per page and block", () => {
      const s = memory();
      const store = new EditStore(s);
      expect(store.save("/en/a", "b1", { "main.py": "print(2)\n" }, original)).toBe(true);
      expect(store.load("/en/a", "b1")).toEqual({ "main.py": "print(2)\n" });
      expect(store.load("/en/a", "b2")).toBeNull();
      expect(store.load("/en/b", "b1")).toBeNull();
    });

    it("should forget the block when the code equals the lesson's again", () => {
      const s = memory();
      const store = new EditStore(s);
      store.save("/p", "b", { "main.py": "x" }, original);
      expect(store.save("/p", "b", { ...original }, original)).toBe(false);
      expect(s.data.size).toBe(0);
    });

    it("should report the edit even when storage throws", () => {
      const store = new EditStore({ getItem: () => null, setItem: () => { throw new Error("quota"); }, removeItem: () => undefined });
      expect(store.save("/p", "b", { "main.py": "x" }, original)).toBe(true);
    });
  });

  describe("clear", () => {
    it("should remove the saved edit", () => {
      const store = new EditStore(memory());
      store.save("/p", "b", { "main.py": "x" }, original);
      store.clear("/p", "b");
      expect(store.load("/p", "b")).toBeNull();
    });
  });

  describe("load", () => {
    it("should ignore corrupt entries", () => {
      const s = memory();
      s.data.set("spawnpoint:code:v1:/p#b", "{not json");
      expect(new EditStore(s).load("/p", "b")).toBeNull();
    });
  });
});
