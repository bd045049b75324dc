import { describe, expect, it } from "vitest";
import { OutputFormatter, stripAnsi } from "./output-format";

const names: Record<number, string> = { 2: "MainProcess", 3: "Process-1" };
const opts = { prefix: true, nameOf: (pid: number) => names[pid] ?? "?" };

describe("OutputFormatter", () => {
  describe("format", () => {
    it("should pass stdout through unchanged without prefixes", () => {
      expect(new OutputFormatter().format({ pid: 2, fd: 1, text: "a\nb" }, { ...opts, prefix: false })).toBe("a\nb");
    });

    it("should prefix every line with pid and name, across chunk boundaries", () => {
      const f = new OutputFormatter();
      const out = stripAnsi(f.format({ pid: 2, fd: 1, text: "hel" }, opts) + f.format({ pid: 2, fd: 1, text: "lo\nbye\n" }, opts));
      expect(out).toBe("[2 MainProcess] hello\n[2 MainProcess] bye\n");
    });

    it("should start a new line when another process interrupts a partial line", () => {
      const f = new OutputFormatter();
      const out = stripAnsi(f.format({ pid: 2, fd: 1, text: "half" }, opts) + f.format({ pid: 3, fd: 1, text: "child\n" }, opts));
      expect(out).toBe("[2 MainProcess] half\n[3 Process-1] child\n");
    });

    it("should colour stderr red", () => {
      expect(new OutputFormatter().format({ pid: 2, fd: 2, text: "boom" }, { ...opts, prefix: false })).toBe("\x1b[31mboom\x1b[0m");
    });
  });
});
