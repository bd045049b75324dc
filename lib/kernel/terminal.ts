/**
 * The terminal's input side: bytes typed (or piped) into the machine, read a line at a
 * time by input()/sys.stdin. After `close()` (Ctrl-D / end of piped input) a read that
 * finds nothing returns "" and Python raises EOFError.
 */
import type { Kernel } from "./kernel";
import type { SyscallOutcome } from "./syscalls";
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

export function registerTerminalSyscalls(kernel: Kernel, terminal: Terminal): void {
  kernel.syscalls.register("terminal", {
    stdin_readline(): SyscallOutcome {
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
