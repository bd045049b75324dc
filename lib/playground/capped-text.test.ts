import { describe, expect, it } from "vitest";
import { CappedText } from "./capped-text";

describe("CappedText", () => {
  describe("append", () => {
    it("should keep exactly the last cap characters", () => {
      const t = new CappedText(10);
      for (let i = 0; i < 100; i++) t.append(`${i % 10}`);
      expect(t.value).toBe("0123456789");
      t.append("abc");
      expect(t.value).toBe("3456789abc");
    });

    it("should keep everything below the cap", () => {
      const t = new CappedText(100);
      t.append("hello ");
      t.append("world");
      expect(t.value).toBe("hello world");
      t.clear();
      expect(t.value).toBe("");
    });
  });
});
