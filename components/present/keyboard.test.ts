import { describe, expect, it } from "vitest";
import { actionForKey } from "./keyboard";

describe("actionForKey", () => {
  it("should map the presentation keys", () => {
    const cases: Array<[string, string]> = [
      ["ArrowRight", "next"],
      ["ArrowDown", "next"],
      ["PageDown", "next"],
      [" ", "next"],
      ["ArrowLeft", "previous"],
      ["ArrowUp", "previous"],
      ["PageUp", "previous"],
      ["Home", "first"],
      ["End", "last"],
      ["f", "fullscreen"],
      ["F", "fullscreen"],
      ["s", "presenter"],
      ["Escape", "exit"],
    ];
    for (const [key, type] of cases) expect(actionForKey({ key }, false)?.type, key).toBe(type);
    expect(actionForKey({ key: " ", shiftKey: true }, false)).toEqual({ type: "previous" });
  });

  it("should collect digits and jump on Enter only while a number is typed", () => {
    expect(actionForKey({ key: "7" }, false)).toEqual({ type: "digit", digit: "7" });
    expect(actionForKey({ key: "Enter" }, false)).toBeNull();
    expect(actionForKey({ key: "Enter" }, true)).toEqual({ type: "jump" });
    expect(actionForKey({ key: "0" }, true)).toEqual({ type: "digit", digit: "0" });
    expect(actionForKey({ key: "Escape" }, true)).toEqual({ type: "cancel" });
  });

  it("should zoom with + and −, and reset with 0", () => {
    expect(actionForKey({ key: "+" }, false)).toEqual({ type: "zoom", by: 1 });
    expect(actionForKey({ key: "=" }, false)).toEqual({ type: "zoom", by: 1 });
    expect(actionForKey({ key: "-" }, false)).toEqual({ type: "zoom", by: -1 });
    expect(actionForKey({ key: "0" }, false)).toEqual({ type: "zoom", by: 0 });
  });

  it("should leave browser shortcuts alone", () => {
    expect(actionForKey({ key: "f", ctrlKey: true }, false)).toBeNull();
    expect(actionForKey({ key: "+", metaKey: true }, false)).toBeNull();
    expect(actionForKey({ key: "ArrowLeft", altKey: true }, false)).toBeNull();
    expect(actionForKey({ key: "x" }, false)).toBeNull();
  });
});
