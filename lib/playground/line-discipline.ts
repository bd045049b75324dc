/**
 * A tiny terminal line discipline (canonical mode) for `input()`: what a Linux tty does
 * between the keyboard and a program. Typed characters are echoed and buffered; Backspace
 * edits the buffer; Enter hands the line (with "\n") to the program; Ctrl-D sends what is
 * buffered, or end-of-file on an empty line; Ctrl-C is an interrupt and drops the line.
 */
export type DisciplineAction =
  | { type: "echo"; text: string }
  | { type: "line"; text: string }
  | { type: "eof" }
  | { type: "interrupt" };

const BACKSPACE_ECHO = "\b \b";

export class LineDiscipline {
  private buffer = "";

  /** Feeds raw terminal input (xterm's onData); returns what to echo and send. */
  feed(data: string): DisciplineAction[] {
    const out: DisciplineAction[] = [];
    let echo = "";
    const flushEcho = () => {
      if (echo) out.push({ type: "echo", text: echo });
      echo = "";
    };
    // Escape sequences (arrows, function keys) are ignored: there is no line editing
    // beyond backspace, as in a plain canonical tty.
    const cleaned = data.replace(/\x1b\[[0-9;?]*[A-Za-z~]|\x1bO[A-Za-z]/g, "");
    for (const ch of Array.from(cleaned)) {
      if (ch === "\r" || ch === "\n") {
        echo += "\r\n";
        flushEcho();
        out.push({ type: "line", text: this.buffer + "\n" });
        this.buffer = "";
      } else if (ch === "\x7f" || ch === "\b") {
        if (this.buffer.length > 0) {
          const chars = Array.from(this.buffer);
          chars.pop();
          this.buffer = chars.join("");
          echo += BACKSPACE_ECHO;
        }
      } else if (ch === "\x03") {
        echo += "^C\r\n";
        flushEcho();
        this.buffer = "";
        out.push({ type: "interrupt" });
      } else if (ch === "\x04") {
        flushEcho();
        if (this.buffer.length === 0) out.push({ type: "eof" });
        else {
          out.push({ type: "line", text: this.buffer });
          this.buffer = "";
        }
      } else if (ch === "\x15") {
        // Ctrl-U: kill the line.
        echo += BACKSPACE_ECHO.repeat(Array.from(this.buffer).length);
        this.buffer = "";
      } else if (ch >= " " || ch === "\t") {
        this.buffer += ch;
        echo += ch;
      }
    }
    flushEcho();
    return out;
  }

  /** Drops typed-ahead input (a new run starts with an empty line). */
  reset(): void {
    this.buffer = "";
  }

  get pending(): string {
    return this.buffer;
  }
}
