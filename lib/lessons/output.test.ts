import { describe, expect, it } from "vitest";
import { compareOutput, extractNumbers, hasPlaceholder, placeholderParts } from "./output";

describe("compareOutput", () => {
  describe("ordered", () => {
    it("should accept identical output, ignoring trailing whitespace and blank lines", () => {
      expect(compareOutput("a\nb\n", "a  \nb\n\n")).toEqual({ ok: true });
    });

    it("should report the first differing line", () => {
      const r = compareOutput("a\nb\nc", "a\nx\nc");
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.mismatch).toMatchObject({ line: 2, expected: "b", actual: "x" });
    });

    it("should reject missing and extra lines", () => {
      expect(compareOutput("a\nb", "a").ok).toBe(false);
      expect(compareOutput("a", "a\nb").ok).toBe(false);
    });

    it("should let {name} match any number, negative or decimal", () => {
      expect(compareOutput("pid={pid} t={t}", "pid=4242 t=0.53").ok).toBe(true);
      expect(compareOutput("code={n}", "code=-15").ok).toBe(true);
      expect(compareOutput("pid={pid}", "pid=abc").ok).toBe(false);
    });

    it("should require a labelled placeholder to have the same value everywhere", () => {
      const expected = "parent {pid:p}\nchild of {pid:p}";
      expect(compareOutput(expected, "parent 7\nchild of 7").ok).toBe(true);
      expect(compareOutput(expected, "parent 7\nchild of 8").ok).toBe(false);
    });

    it("should let … inside a line match any text", () => {
      expect(compareOutput("Ana … ticket", "Ana got a ticket").ok).toBe(true);
      expect(compareOutput("Ana … ticket", "Bo got a ticket").ok).toBe(false);
    });

    it("should let a line of … match any number of lines, including none", () => {
      const expected = "Traceback (most recent call last):\n…\nValueError: boom";
      expect(compareOutput(expected, "Traceback (most recent call last):\n  File x\n    y\nValueError: boom").ok).toBe(true);
      expect(compareOutput(expected, "Traceback (most recent call last):\nValueError: boom").ok).toBe(true);
      expect(compareOutput(expected, "Traceback (most recent call last):\nKeyError: boom").ok).toBe(false);
    });
  });

  describe("unordered", () => {
    it("should accept any order of the same lines", () => {
      expect(compareOutput("a\nb\nc", "c\na\nb", { unordered: true }).ok).toBe(true);
    });

    it("should count duplicates", () => {
      expect(compareOutput("a\na\nb", "a\nb\nb", { unordered: true }).ok).toBe(false);
    });

    it("should find a matching even when a greedy pairing would fail", () => {
      // "x {n}" could take "x 1" first and leave "x 2" with nothing; matching must backtrack.
      expect(compareOutput("x {n}\nx 1", "x 1\nx 2", { unordered: true }).ok).toBe(true);
    });

    it("should report a line that matches nothing", () => {
      const r = compareOutput("a\nb", "a\nz", { unordered: true });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.mismatch.actual).toBe("z");
    });
  });
});

describe("placeholders", () => {
  it("should tell authors' placeholders apart from text", () => {
    expect(hasPlaceholder("pid {pid}")).toBe(true);
    expect(hasPlaceholder("a dict {}")).toBe(false);
    expect(placeholderParts("child {pid:c} of …")).toEqual([
      { text: "child ", placeholder: false },
      { text: "{pid:c}", placeholder: true },
      { text: " of ", placeholder: false },
      { text: "…", placeholder: true },
    ]);
  });

  it("should extract the numbers matched by placeholders", () => {
    expect(extractNumbers("before: {n}", "before: 12")).toEqual([12]);
    expect(extractNumbers("before: {n}", "after: 12")).toBeNull();
  });
});
