/**
 * A small line editor (readline's everyday subset) between raw terminal input — what
 * xterm's `onData` delivers — and the shell. It echoes what is typed, edits in place, keeps
 * history, and turns the control keys into events: Enter → `line`, Ctrl-C → `interrupt`,
 * Ctrl-Z → `suspend`, Ctrl-D on an empty line → `eof`, Ctrl-L → `clear`. It writes only ANSI sequences that
 * every terminal understands and assumes the line fits on one row.
 *
 * Keys: ←/→, Home/End (also Ctrl-A/Ctrl-E), Backspace, Delete (also Ctrl-D on a non-empty
 * line), ↑/↓ (history; also Ctrl-P/Ctrl-N), Ctrl-U (kill to start), Ctrl-K (kill to end),
 * Ctrl-W (kill word).
 */
export type EditorEvent =
  | { readonly type: "output"; readonly text: string }
  /** `end`: where the input after this line starts in the chunk fed. */
  | { readonly type: "line"; readonly text: string; readonly end: number }
  | { readonly type: "interrupt" }
  | { readonly type: "suspend" }
  | { readonly type: "eof" }
  | { readonly type: "clear" };

export interface LineEditorOptions {
  /** Keep and browse history (the shell prompt). Default true; off for a program's input(). */
  readonly history?: boolean;
  /** Most history entries kept. Default 500 (bash's HISTSIZE). */
  readonly maxHistory?: number;
}

// Escape sequences of the keys we handle (xterm, VT100 application mode, Linux console).
const KEYS: readonly [string, string][] = [
  ["\x1b[A", "up"],
  ["\x1bOA", "up"],
  ["\x1b[B", "down"],
  ["\x1bOB", "down"],
  ["\x1b[C", "right"],
  ["\x1bOC", "right"],
  ["\x1b[D", "left"],
  ["\x1bOD", "left"],
  ["\x1b[H", "home"],
  ["\x1bOH", "home"],
  ["\x1b[1~", "home"],
  ["\x1b[7~", "home"],
  ["\x1b[F", "end"],
  ["\x1bOF", "end"],
  ["\x1b[4~", "end"],
  ["\x1b[8~", "end"],
  ["\x1b[3~", "delete"],
];
const UNKNOWN_ESCAPE = /^\x1b(\[[0-9;?]*[A-Za-z~]|O[A-Za-z]|.)?/;

export class LineEditor {
  private chars: string[] = [];
  private pos = 0;
  private readonly entries: string[] = [];
  private browsing = -1; // index into entries while browsing history, −1 = editing the draft
  private draft: string[] = [];
  private readonly keepHistory: boolean;
  private readonly maxHistory: number;
  /** Printed before the line on a redraw. */
  prompt = "";

  constructor(options: LineEditorOptions = {}) {
    this.keepHistory = options.history ?? true;
    this.maxHistory = options.maxHistory ?? 500;
  }

  get buffer(): string {
    return this.chars.join("");
  }

  get cursor(): number {
    return this.pos;
  }

  get history(): readonly string[] {
    return this.entries;
  }

  /** Adds a line to history (the shell does this for every command it runs), skipping blanks and repeats. */
  addHistory(line: string): void {
    if (!this.keepHistory || line.trim() === "" || this.entries[this.entries.length - 1] === line) return;
    this.entries.push(line);
    if (this.entries.length > this.maxHistory) this.entries.shift();
  }

  /** The prompt and the current line, with the cursor where it belongs (after a clear or foreign output). */
  render(): string {
    const back = this.chars.length - this.pos;
    return `\r${this.prompt}${this.buffer}\x1b[K${back > 0 ? `\x1b[${back}D` : ""}`;
  }

  /** Forgets the current line (a new prompt starts empty). */
  reset(): void {
    this.chars = [];
    this.pos = 0;
    this.browsing = -1;
    this.draft = [];
  }

  /** Feeds raw terminal input; returns what to echo and what happened, in order. */
  feed(data: string): EditorEvent[] {
    const out: EditorEvent[] = [];
    let echo = "";
    const flush = (): void => {
      if (echo) out.push({ type: "output", text: echo });
      echo = "";
    };
    let i = 0;
    while (i < data.length) {
      const rest = data.slice(i);
      if (rest[0] === "\x1b") {
        const key = KEYS.find(([seq]) => rest.startsWith(seq));
        if (key) {
          echo += this.key(key[1]);
          i += key[0].length;
        } else {
          i += UNKNOWN_ESCAPE.exec(rest)?.[0].length ?? 1; // ignore keys we do not handle
        }
        continue;
      }
      const ch = String.fromCodePoint(rest.codePointAt(0) ?? 0);
      i += ch.length;
      switch (ch) {
        case "\r":
        case "\n": {
          if (ch === "\n" && data[i - 2] === "\r") break; // CRLF from a paste: one Enter
          const line = this.buffer;
          echo += "\r\n";
          flush();
          this.reset();
          out.push({ type: "line", text: line, end: ch === "\r" && data[i] === "\n" ? i + 1 : i });
          break;
        }
        case "\x7f":
        case "\b":
          if (this.pos > 0) {
            this.chars.splice(this.pos - 1, 1);
            this.pos--;
            echo += this.pos === this.chars.length ? "\b \b" : this.render();
          }
          break;
        case "\x03":
          echo += "^C\r\n";
          flush();
          this.reset();
          out.push({ type: "interrupt" });
          break;
        case "\x1a":
          // The shell echoes ^Z when it stops a job (at its own prompt, Ctrl-Z does nothing).
          flush();
          out.push({ type: "suspend" });
          break;
        case "\x04":
          if (this.chars.length === 0) {
            flush();
            out.push({ type: "eof" });
          } else echo += this.key("delete");
          break;
        case "\x0c":
          flush();
          out.push({ type: "clear" });
          break;
        case "\x01":
          echo += this.key("home");
          break;
        case "\x05":
          echo += this.key("end");
          break;
        case "\x02":
          echo += this.key("left");
          break;
        case "\x06":
          echo += this.key("right");
          break;
        case "\x10":
          echo += this.key("up");
          break;
        case "\x0e":
          echo += this.key("down");
          break;
        case "\x15":
          this.chars.splice(0, this.pos);
          this.pos = 0;
          echo += this.render();
          break;
        case "\x0b":
          this.chars.splice(this.pos);
          echo += "\x1b[K";
          break;
        case "\x17": {
          let start = this.pos;
          while (start > 0 && this.chars[start - 1] === " ") start--;
          while (start > 0 && this.chars[start - 1] !== " ") start--;
          this.chars.splice(start, this.pos - start);
          this.pos = start;
          echo += this.render();
          break;
        }
        default:
          if (ch >= " " || ch === "\t") {
            const c = ch === "\t" ? " " : ch;
            this.chars.splice(this.pos, 0, c);
            this.pos++;
            echo += this.pos === this.chars.length ? c : this.render();
          }
      }
    }
    flush();
    return out;
  }

  private key(name: string): string {
    switch (name) {
      case "left":
        if (this.pos === 0) return "";
        this.pos--;
        return "\x1b[D";
      case "right":
        if (this.pos === this.chars.length) return "";
        this.pos++;
        return "\x1b[C";
      case "home": {
        const n = this.pos;
        this.pos = 0;
        return n > 0 ? `\x1b[${n}D` : "";
      }
      case "end": {
        const n = this.chars.length - this.pos;
        this.pos = this.chars.length;
        return n > 0 ? `\x1b[${n}C` : "";
      }
      case "delete":
        if (this.pos === this.chars.length) return "";
        this.chars.splice(this.pos, 1);
        return this.render();
      case "up":
        if (!this.keepHistory || this.entries.length === 0 || this.browsing === 0) return "";
        if (this.browsing === -1) {
          this.draft = this.chars;
          this.browsing = this.entries.length;
        }
        this.browsing--;
        return this.show(Array.from(this.entries[this.browsing]));
      case "down":
        if (this.browsing === -1) return "";
        this.browsing++;
        if (this.browsing >= this.entries.length) {
          this.browsing = -1;
          return this.show(this.draft);
        }
        return this.show(Array.from(this.entries[this.browsing]));
      default:
        return "";
    }
  }

  private show(chars: string[]): string {
    this.chars = [...chars];
    this.pos = this.chars.length;
    return this.render();
  }
}
