/**
 * One program of a live example (one entry file) as its terminal shows it: the sink, the
 * tty line discipline between typed keys and the program's stdin, the `[pid name]`
 * formatter, the plain output kept for the expected-output check, and its run state.
 * ExampleSession decides what runs and when; a Program shows and collects.
 */
import type { RunHandle, TextChunk } from "@/lib/runtime/port";
// The module, not lib/shell's index: the shell itself stays out of a lesson page's first-load JS.
import { LineEditor } from "@/lib/shell/line-editor";
import { CappedText } from "./capped-text";
import { OutputFormatter, type FormatOptions } from "./output-format";

/** Where a program's terminal output goes (components/terminal's TerminalSink). */
export interface OutputSink {
  write(text: string): void;
  /** Writes what is batched now (before echoing typed input). */
  flushNow(): void;
  clear(): void;
  onInput(listener: (data: string) => void): () => void;
  dispose(): void;
}

export type ProgramStatus = "idle" | "queued" | "starting" | "running" | "exited" | "stopped" | "failed";

export interface ProgramView<S extends OutputSink = OutputSink> {
  entry: string;
  status: ProgramStatus;
  pid: number | null;
  exitCode: number | null;
  sink: S;
  /** Plain stdout + stderr of the run (no echo, no notices), for the expected-output check. */
  output: string;
}

/** What typed keys ask of the running program: a line for stdin, end of input, or Ctrl-C. */
export type TtyRequest = { type: "line"; text: string } | { type: "eof" } | { type: "interrupt" };

/** Notices ("Program exited.") in grey; the terminal raises its contrast to AA. */
const DIM = "\x1b[90m";
const RED = "\x1b[31m";
const RESET = "\x1b[0m";
const OUTPUT_CAP = 1_000_000;
const TRAILING_SGR = /(?:\x1b\[[0-9;]*m)+$/;
/** Lines a terminal keeps (xterm's scrollback); earlier ones scroll out of it. */
export const TERMINAL_SCROLLBACK = 5000;

export class Program<S extends OutputSink = OutputSink> {
  status: ProgramStatus = "idle";
  pid: number | null = null;
  handle: RunHandle | null = null;
  exitCode: number | null = null;
  /** Bumped on every start/stop so late results of an older run are ignored. */
  generation = 0;
  /** A program's input(): canonical tty editing, no history. */
  private readonly discipline = new LineEditor({ history: false });
  private readonly formatter = new OutputFormatter();
  private readonly output = new CappedText(OUTPUT_CAP);
  /** The terminal's cursor is at the start of a line (what a notice needs to know). */
  private atLineStart = true;
  /** Lines the program's output took in the terminal (past TERMINAL_SCROLLBACK, the first ones scrolled out). */
  linesShown = 0;

  constructor(
    readonly entry: string,
    readonly sink: S,
    onTty: (request: TtyRequest) => void,
  ) {
    sink.onInput((data) => this.type(data, onTty));
  }

  /** Queued, starting or running: something Stop would cancel. */
  get active(): boolean {
    return this.status === "queued" || this.status === "starting" || this.status === "running";
  }

  /** A new run: empty terminal and output, nothing typed ahead, no pid. */
  clear(): void {
    this.sink.clear();
    this.formatter.reset();
    this.discipline.reset();
    this.output.clear();
    this.atLineStart = true;
    this.linesShown = 0;
    this.exitCode = null;
    this.handle = null;
    this.pid = null;
  }

  /** Text one of the program's processes wrote. */
  show(chunk: TextChunk, options: FormatOptions): void {
    const text = this.formatter.format(chunk, options);
    for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) this.linesShown++;
    this.write(text);
    this.output.append(chunk.text);
  }

  /** A grey line from the editor itself ("Program exited with code 0."), on a line of its own (after output that did not end one, too). */
  notice(text: string): void {
    this.write(`${this.atLineStart ? "" : "\r\n"}${DIM}${text}${RESET}\n`);
  }

  private write(text: string): void {
    if (text === "") return;
    this.sink.write(text);
    // A colour reset after the newline (stderr's red) leaves the cursor where the newline put it.
    this.atLineStart = text.replace(TRAILING_SGR, "").endsWith("\n");
  }

  /** A run that could not start. */
  error(message: string): void {
    this.write(`${this.atLineStart ? "" : "\r\n"}${RED}${message}${RESET}\n`);
  }

  view(): ProgramView<S> {
    return { entry: this.entry, status: this.status, pid: this.pid, exitCode: this.exitCode, sink: this.sink, output: this.output.value };
  }

  /** Keys typed into the terminal: echoed here, requests to the session while the program runs. */
  private type(data: string, onTty: (request: TtyRequest) => void): void {
    this.sink.flushNow();
    for (const e of this.discipline.feed(data)) {
      if (e.type === "output") {
        this.write(e.text);
        this.sink.flushNow();
      } else if (e.type === "interrupt") onTty(e);
      else if ((e.type === "line" || e.type === "eof") && this.status === "running" && this.handle) onTty(e);
      // Ctrl-L ("clear") is for a shell prompt; a program's input() does not redraw.
    }
  }
}
