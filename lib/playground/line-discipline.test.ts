import { describe, expect, it } from "vitest";
import { LineDiscipline } from "./line-discipline";

describe("LineDiscipline", () => {
  describe("feed", () => {
    it("should echo typed text and send the line on Enter", () => {
      const d = new LineDiscipline();
      expect(d.feed("Ada")).toEqual([{ type: "echo", text: "Ada" }]);
      expect(d.feed("\r")).toEqual([{ type: "echo", text: "\r\n" }, { type: "line", text: "Ada\n" }]);
    });

    it("should erase the last character on Backspace and ignore it on an empty line", () => {
      const d = new LineDiscipline();
      d.feed("ab");
      expect(d.feed("\x7f")).toEqual([{ type: "echo", text: "\b \b" }]);
      expect(d.feed("\x7f\x7f")).toEqual([{ type: "echo", text: "\b \b" }]);
      expect(d.feed("c\r").at(-1)).toEqual({ type: "line", text: "c\n" });
    });

    it("should send end-of-file for Ctrl-D on an empty line and the buffer otherwise", () => {
      const d = new LineDiscipline();
      expect(d.feed("\x04")).toEqual([{ type: "eof" }]);
      d.feed("x");
      expect(d.feed("\x04")).toEqual([{ type: "line", text: "x" }]);
    });

    it("should interrupt on Ctrl-C and drop the pending line", () => {
      const d = new LineDiscipline();
      d.feed("half");
      expect(d.feed("\x03")).toEqual([{ type: "echo", text: "^C\r\n" }, { type: "interrupt" }]);
      expect(d.pending).toBe("");
    });

    it("should ignore arrow keys", () => {
      expect(new LineDiscipline().feed("\x1b[A\x1b[D")).toEqual([]);
    });

    it("should handle a pasted block of several lines", () => {
      const lines = new LineDiscipline().feed("1\r2\r").filter((a) => a.type === "line");
      expect(lines).toEqual([{ type: "line", text: "1\n" }, { type: "line", text: "2\n" }]);
    });
  });
});
