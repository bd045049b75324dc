import { describe, expect, it } from "vitest";
import { type EditorEvent, LineEditor } from "./line-editor";

const lines = (evs: EditorEvent[]) => evs.flatMap((e) => (e.type === "line" ? [e.text] : []));
const types = (evs: EditorEvent[]) => evs.map((e) => e.type);

describe("LineEditor", () => {
  describe("feed", () => {
    it("should echo typed text and hand over the line on Enter", () => {
      const ed = new LineEditor();
      const evs = ed.feed("ls -a\r");
      expect(evs[0]).toEqual({ type: "output", text: "ls -a\r\n" });
      expect(lines(evs)).toEqual(["ls -a"]);
      expect(ed.buffer).toBe("");
    });

    it("should treat CRLF and LF as one Enter each, and split a pasted block into lines", () => {
      const ed = new LineEditor();
      expect(lines(ed.feed("a\r\nb\nc\r"))).toEqual(["a", "b", "c"]);
    });

    it("should delete with Backspace, at the end and in the middle", () => {
      const ed = new LineEditor();
      ed.feed("pythn");
      expect(ed.feed("\x7f")[0]).toEqual({ type: "output", text: "\b \b" });
      ed.feed("\x1b[D\x1b[D\x7f"); // cursor after "py", delete "y"
      expect(ed.buffer).toBe("pth");
      expect(ed.cursor).toBe(1);
    });

    it("should insert at the cursor after moving left, and jump with Home/End and Ctrl-A/Ctrl-E", () => {
      const ed = new LineEditor();
      ed.feed("pyhon\x1b[D\x1b[D\x1b[Dt");
      expect(ed.buffer).toBe("python");
      ed.feed("\x01#\x05!");
      expect(ed.buffer).toBe("#python!");
      ed.feed("\x1b[H\x1b[3~");
      expect(ed.buffer).toBe("python!");
    });

    it("should kill with Ctrl-U, Ctrl-K and Ctrl-W", () => {
      const ed = new LineEditor();
      ed.feed("python server.py 5000\x17");
      expect(ed.buffer).toBe("python server.py ");
      ed.feed("\x01\x1b[C\x1b[C\x0b");
      expect(ed.buffer).toBe("py");
      ed.feed("\x15");
      expect(ed.buffer).toBe("");
    });

    it("should report Ctrl-C as an interrupt and drop the line", () => {
      const ed = new LineEditor();
      const evs = ed.feed("sleep\x03");
      expect(types(evs)).toContain("interrupt");
      expect(evs.some((e) => e.type === "output" && e.text.includes("^C"))).toBe(true);
      expect(ed.buffer).toBe("");
    });

    it("should report Ctrl-D on an empty line as end of file, and delete under the cursor otherwise", () => {
      const ed = new LineEditor();
      expect(types(ed.feed("\x04"))).toEqual(["eof"]);
      ed.feed("ab\x1b[D\x04");
      expect(ed.buffer).toBe("a");
    });

    it("should report Ctrl-L as clear and ignore unknown escape sequences", () => {
      const ed = new LineEditor();
      expect(types(ed.feed("\x0c"))).toEqual(["clear"]);
      ed.feed("x\x1b[15~\x1b[1;5Cy");
      expect(ed.buffer).toBe("xy");
    });
  });

  describe("history", () => {
    it("should browse older and newer entries with Up/Down and restore the draft", () => {
      const ed = new LineEditor();
      ed.addHistory("ls");
      ed.addHistory("ps");
      ed.feed("dra");
      ed.feed("\x1b[A");
      expect(ed.buffer).toBe("ps");
      ed.feed("\x1b[A\x1b[A");
      expect(ed.buffer).toBe("ls");
      ed.feed("\x1b[B");
      expect(ed.buffer).toBe("ps");
      ed.feed("\x1b[B");
      expect(ed.buffer).toBe("dra");
    });

    it("should skip blank lines and immediate repeats, and keep at most maxHistory entries", () => {
      const ed = new LineEditor({ maxHistory: 2 });
      for (const l of ["a", "a", " ", "b", "c"]) ed.addHistory(l);
      expect(ed.history).toEqual(["b", "c"]);
    });

    it("should keep no history when history is off (a program's input)", () => {
      const ed = new LineEditor({ history: false });
      ed.addHistory("secret");
      ed.feed("\x1b[A");
      expect(ed.buffer).toBe("");
    });
  });

  describe("render", () => {
    it("should redraw the prompt and line and put the cursor back", () => {
      const ed = new LineEditor();
      ed.prompt = "$ ";
      ed.feed("abc\x1b[D");
      expect(ed.render()).toBe("\r$ abc\x1b[K\x1b[1D");
    });
  });
});
