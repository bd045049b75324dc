/**
 * Formats process output for the terminal: optional `[pid name]` prefix at the start of
 * each line, one colour per process, stderr in red. Keeps a per-pid "at line start" flag
 * because output arrives in arbitrary chunks (half lines, several lines at once).
 */
import type { TextChunk } from "@/lib/runtime/port";

const COLOURS = [36, 33, 35, 32, 34, 96, 93, 95, 92, 94];
const RESET = "\x1b[0m";

export interface FormatOptions {
  prefix: boolean;
  /** Name shown in the prefix for a pid (e.g. "MainProcess", "Process-1"). */
  nameOf: (pid: number) => string;
}

export class OutputFormatter {
  private readonly atLineStart = new Map<number, boolean>();
  private lastPid: number | null = null;

  format(chunk: TextChunk, opts: FormatOptions): string {
    const text = chunk.text;
    if (!opts.prefix) {
      return chunk.fd === 2 ? `\x1b[31m${text}${RESET}` : text;
    }
    const colour = COLOURS[chunk.pid % COLOURS.length];
    const tag = `\x1b[${colour}m[${chunk.pid} ${opts.nameOf(chunk.pid)}]${RESET} `;
    let out = "";
    // Another process wrote a partial line last: start ours on a fresh line.
    if (this.lastPid !== null && this.lastPid !== chunk.pid && this.atLineStart.get(this.lastPid) === false) {
      out += "\n";
      this.atLineStart.set(this.lastPid, true);
    }
    let start = this.atLineStart.get(chunk.pid) ?? true;
    const parts = text.split("\n");
    parts.forEach((part, i) => {
      const last = i === parts.length - 1;
      if (part.length > 0) {
        if (start) out += tag;
        out += chunk.fd === 2 ? `\x1b[31m${part}${RESET}` : part;
        start = false;
      }
      if (!last) {
        if (start && part.length === 0) out += tag;
        out += "\n";
        start = true;
      }
    });
    this.atLineStart.set(chunk.pid, start);
    this.lastPid = chunk.pid;
    return out;
  }

  reset(): void {
    this.atLineStart.clear();
    this.lastPid = null;
  }
}

/** Strips ANSI escape sequences (for the screen-reader log and for copy). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}
