/**
 * Pipes (multiprocessing.Pipe). A pipe has two ends, each an inheritable handle; a
 * duplex pipe has one channel per direction. `recv` on an empty channel whose writing end
 * no process holds any more is EOF (EOFError in Python); `send` to an end whose peer is
 * closed is EPIPE (BrokenPipeError).
 */
import { KernelError } from "./errors";
import type { Kernel } from "./kernel";
import { argBool, argInt, argTimeout, type SyscallCall, type SyscallOutcome } from "./syscalls";
import { WaitQueue } from "./wait-queue";

class Channel {
  readonly items: Uint8Array[] = [];
  readonly readers = new WaitQueue();
}

interface PipeEnd {
  readonly handle: number;
  readonly peer: () => PipeEnd;
  readonly input: Channel | null;
  readonly output: Channel | null;
}

export class PipeTable {
  private readonly ends = new Map<number, PipeEnd>();

  constructor(private readonly kernel: Kernel) {}

  /** Returns [end1, end2]; with duplex false, end1 only reads and end2 only writes (like CPython). */
  create(pid: number, duplex: boolean): [number, number] {
    const a = new Channel(); // end2 → end1
    const b = duplex ? new Channel() : null; // end1 → end2
    const ends: PipeEnd[] = [];
    const lastClose = (peerInput: Channel | null) => () => {
      // Whoever reads from the closed end's output now sees EOF.
      peerInput?.readers.wakeAll();
    };
    const h1 = this.kernel.handles.create({ kind: "pipe", onLastClose: lastClose(b) }, pid);
    const h2 = this.kernel.handles.create({ kind: "pipe", onLastClose: lastClose(a) }, pid);
    const e1: PipeEnd = { handle: h1, peer: () => ends[1], input: a, output: b };
    const e2: PipeEnd = { handle: h2, peer: () => ends[0], input: b, output: a };
    ends.push(e1, e2);
    this.ends.set(h1, e1);
    this.ends.set(h2, e2);
    return [h1, h2];
  }

  end(handle: number, pid: number): PipeEnd {
    const e = this.ends.get(handle);
    if (!e || !this.kernel.handles.holders(handle).includes(pid)) throw KernelError.os("EBADF");
    return e;
  }

  peerOpen(end: PipeEnd): boolean {
    return this.kernel.handles.isOpen(end.peer().handle);
  }
}

export function registerPipeSyscalls(kernel: Kernel, pipes: PipeTable): void {
  kernel.syscalls.register("pipes", {
    pipe_create({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: pipes.create(pid, argBool(args, "duplex")) };
    },

    pipe_send({ pid, args, bytes }: SyscallCall): SyscallOutcome {
      const end = pipes.end(argInt(args, "handle"), pid);
      if (!end.output) throw KernelError.os("EBADF");
      if (!pipes.peerOpen(end)) throw KernelError.os("EPIPE");
      end.output.items.push(bytes ?? new Uint8Array());
      end.output.readers.wakeOne();
      return { value: null };
    },

    pipe_recv({ pid, args }: SyscallCall): SyscallOutcome {
      const end = pipes.end(argInt(args, "handle"), pid);
      const input = end.input;
      if (!input) throw KernelError.os("EBADF");
      const tryRecv = (): { value: null; bytes: Uint8Array } | undefined => {
        const item = input.items.shift();
        if (item !== undefined) return { value: null, bytes: item };
        if (!pipes.peerOpen(end)) throw new KernelError("EOFError", null, "");
        return undefined;
      };
      return (
        tryRecv() ?? {
          block: {
            on: "pipe",
            object: `pipe#${end.handle}`,
            timeoutMs: null,
            queues: [input.readers],
            check: tryRecv,
            onTimeout: () => ({ value: null }),
          },
        }
      );
    },

    /** True when recv would not block (data waiting, or EOF). */
    pipe_poll({ pid, args }: SyscallCall): SyscallOutcome {
      const end = pipes.end(argInt(args, "handle"), pid);
      const input = end.input;
      if (!input) throw KernelError.os("EBADF");
      const check = (): { value: boolean } | undefined =>
        input.items.length > 0 || !pipes.peerOpen(end) ? { value: true } : undefined;
      return (
        check() ?? {
          block: {
            on: "pipe",
            object: `pipe#${end.handle}`,
            timeoutMs: argTimeout(args),
            queues: [input.readers],
            check,
            onTimeout: () => ({ value: false }),
          },
        }
      );
    },
  });

  kernel.syscalls.register("handles", {
    handle_attach({ pid, args }: SyscallCall): SyscallOutcome {
      kernel.handles.attach(argInt(args, "handle"), pid);
      return { value: null };
    },
    handle_close({ pid, args }: SyscallCall): SyscallOutcome {
      kernel.handles.release(argInt(args, "handle"), pid);
      return { value: null };
    },
  });
}
