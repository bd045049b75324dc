/**
 * The terminal's input side: bytes typed (or piped) into the machine, read a line at a
 * time by input()/sys.stdin. After `close()` (Ctrl-D / end of piped input) a read that
 * finds nothing returns "" and Python raises EOFError.
 */
import type { Kernel } from "./kernel";
import { INIT_PID } from "./process-table";
import type { SyscallCall, SyscallOutcome } from "./syscalls";
import { WaitQueue } from "./wait-queue";

export class Terminal {
  private buffer = "";
  private closed = false;
  readonly readers = new WaitQueue();

  write(text: string): void {
    this.buffer += text;
    this.readers.wakeAll();
  }

  close(): void {
    this.closed = true;
    this.readers.wakeAll();
  }

  reset(): void {
    this.buffer = "";
    this.closed = false;
  }

  /** Takes out what was typed and not read yet (a tty's typeahead, which the shell reads next). */
  takeUnread(): string {
    const rest = this.buffer;
    this.buffer = "";
    return rest;
  }

  /** Whether a read would not wait (a line, or the end of input): select/poll's readable stdin, as a tty in canonical mode says. */
  get readable(): boolean {
    return this.closed || this.buffer.includes("\n");
  }

  /** The input ended (Ctrl-D, the end of piped input): poll says POLLHUP where stdin is a pipe. */
  get ended(): boolean {
    return this.closed;
  }

  /** Input is there, not read yet (poll's POLLIN). */
  get pending(): boolean {
    return this.buffer.length > 0;
  }

  /** One line (with its newline), the rest at EOF, "" at EOF, or undefined: wait. */
  readLine(): string | undefined {
    const nl = this.buffer.indexOf("\n");
    if (nl >= 0) {
      const line = this.buffer.slice(0, nl + 1);
      this.buffer = this.buffer.slice(nl + 1);
      return line;
    }
    if (this.closed) {
      const rest = this.buffer;
      this.buffer = "";
      return rest;
    }
    return undefined;
  }
}

/**
 * One terminal per program: every example of a page runs on one machine, and what a reader
 * types into one example's terminal must reach only that program (a program's children
 * share its terminal, as a job's processes share a tty). Init's terminal (the shell's own
 * reads, programs not started through `run`) is the machine's.
 */
export class Terminals {
  private readonly byProgram = new Map<number, Terminal>();

  constructor(readonly init: Terminal) {}

  /** `program`'s terminal, made empty when absent. */
  of(program: number): Terminal {
    let t = this.byProgram.get(program);
    if (!t) this.byProgram.set(program, (t = new Terminal()));
    return t;
  }

  /**
   * A program ended: its terminal leaves the table. Whoever started it may still hold it and
   * take its unread input (a shell does: machine.run's `unreadInput`).
   */
  drop(program: number): void {
    this.byProgram.delete(program);
  }
}

/** The terminal process `pid` reads (its program's; init's own, the machine's). */
export function terminalOf(kernel: Kernel, terminals: Terminals, pid: number): Terminal {
  const program = kernel.programOf(pid);
  return program === INIT_PID ? terminals.init : terminals.of(program);
}

export function registerTerminalSyscalls(kernel: Kernel, terminals: Terminals): void {
  kernel.syscalls.register("terminal", {
    stdin_readline({ pid }: SyscallCall): SyscallOutcome {
      const terminal = terminalOf(kernel, terminals, pid);
      const check = (): { value: string } | undefined => {
        const line = terminal.readLine();
        return line === undefined ? undefined : { value: line };
      };
      return (
        check() ?? {
          block: { on: "input", object: "stdin", timeoutMs: null, queues: [terminal.readers], check, onTimeout: () => ({ value: "" }) },
        }
      );
    },
  });
}
