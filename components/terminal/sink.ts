/**
 * The non-React side of a terminal: output is pushed here (batched: the first chunk after a
 * quiet spell on the next task, then at most one write per frame's time, see
 * lib/playground/output-batcher.ts) and typed input comes out of here. A sink exists before xterm has
 * loaded; whatever is written meanwhile is replayed when the view attaches.
 */
import { CappedText, OutputBatcher, stripAnsi } from "@/lib/playground";

/** What the sink needs from xterm's Terminal (kept small so it is easy to reason about). */
export interface TerminalView {
  write(data: string, callback?: () => void): void;
  reset(): void;
}

/** Lines kept in the screen-reader log; older ones are dropped so it stays cheap. */
const LOG_LINES = 200;
/** Output kept for a view that attaches late (xterm still loading). */
const BACKLOG_CHARS = 200_000;

export class TerminalSink {
  private view: TerminalView | null = null;
  private readonly backlog = new CappedText(BACKLOG_CHARS);
  private log: HTMLElement | null = null;
  private logLines: string[] = [""];
  private readonly batcher = new OutputBatcher((text) => this.flush(text));
  private readonly dataListeners = new Set<(data: string) => void>();
  /** Plain text of everything written, capped: what tests and "copy output" read. */
  private readonly transcript = new CappedText(BACKLOG_CHARS);

  write(text: string): void {
    this.batcher.push(text);
  }

  /** Writes pending output at once (before echoing what the reader types). */
  flushNow(): void {
    this.batcher.flush();
  }

  clear(): void {
    this.batcher.flush();
    this.backlog.clear();
    this.transcript.clear();
    this.logLines = [""];
    if (this.log) this.log.textContent = "";
    this.view?.reset();
  }

  /** Typed input from the view (xterm onData). */
  input(data: string): void {
    for (const l of this.dataListeners) l(data);
  }

  onInput(listener: (data: string) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  attach(view: TerminalView, log: HTMLElement | null): () => void {
    this.view = view;
    this.log = log;
    const pending = this.backlog.value;
    if (pending) view.write(pending);
    this.backlog.clear();
    this.renderLog();
    return () => {
      if (this.view === view) this.view = null;
      if (this.log === log) this.log = null;
    };
  }

  get text(): string {
    return this.transcript.value;
  }

  dispose(): void {
    this.batcher.dispose();
    this.dataListeners.clear();
    this.view = null;
    this.log = null;
  }

  private flush(text: string): void {
    if (this.view) this.view.write(text);
    else this.backlog.append(text);
    const plain = stripAnsi(text).replace(/\r\n/g, "\n");
    this.transcript.append(plain);
    this.appendLog(plain);
  }

  private appendLog(plain: string): void {
    // Only the tail can end up in the log: do not split a huge batch into 100 000 lines.
    const tail = plain.length > LOG_LINES * 400 ? plain.slice(-LOG_LINES * 400) : plain;
    const parts = tail.replace(/\r/g, "").split("\n");
    this.logLines[this.logLines.length - 1] += parts[0];
    for (let i = 1; i < parts.length; i++) this.logLines.push(parts[i]);
    if (this.logLines.length > LOG_LINES) this.logLines = this.logLines.slice(-LOG_LINES);
    this.renderLog();
  }

  private renderLog(): void {
    if (this.log) this.log.textContent = this.logLines.join("\n");
  }
}
