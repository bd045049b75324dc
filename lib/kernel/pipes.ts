/**
 * Pipes (multiprocessing.Pipe). A pipe has two ends, each an inheritable handle; a
 * duplex pipe has one channel per direction. `recv` on an empty channel whose writing end
 * no process holds any more is EOF (EOFError in Python); `send` to an end whose peer is
 * closed is EPIPE (BrokenPipeError).
 *
 * A channel's messages travel through a queue ring in the shared heap when the creator asks
 * for rings (the runtime does): send and recv then go straight from worker to worker, and
 * the kernel only keeps the handles, marking the ring (RING.CLOSED) when an end's last
 * holder lets go, and freeing it once both ends are gone. Without rings (or with the heap
 * full) the messages stay in the kernel's Channel and go through pipe_send / pipe_recv.
 */
import { KernelError } from "./errors";
import type { Kernel } from "./kernel";
import { RING_DATA_BYTES, RING_READER_GONE, RING_WRITER_GONE } from "./shared-heap";
import { argBool, argInt, argTimeout, type SyscallCall, type SyscallOutcome } from "./syscalls";
import { WaitQueue } from "./wait-queue";

class Channel {
  readonly items: Uint8Array[] = [];
  readonly readers = new WaitQueue();
  /** int32 index of the channel's ring in the shared heap, or 0 (messages go through the kernel). */
  ring = 0;
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

  /**
   * Returns [end1, end2] (with `rings`: then the ring of end1's input and of end2's input,
   * 0 for none); with duplex false, end1 only reads and end2 only writes (like CPython).
   */
  create(pid: number, duplex: boolean, rings = false): number[] {
    const a = new Channel(); // end2 → end1
    const b = duplex ? new Channel() : null; // end1 → end2
    if (rings) for (const c of [a, b]) if (c) c.ring = this.ringOrZero();
    const ends: PipeEnd[] = [];
    let open = 2;
    const lastClose = (input: Channel | null, output: Channel | null) => () => {
      // Whoever reads from the closed end's output now sees EOF; whoever writes to its input, EPIPE.
      if (output?.ring) this.kernel.heap.closeRing(output.ring, RING_WRITER_GONE);
      if (input?.ring) this.kernel.heap.closeRing(input.ring, RING_READER_GONE);
      output?.readers.wakeAll();
      if (--open > 0) return;
      for (const c of [a, b]) if (c?.ring) this.kernel.heap.freeRing(c.ring, RING_DATA_BYTES);
    };
    const h1 = this.kernel.handles.create({ kind: "pipe", onLastClose: lastClose(a, b) }, pid);
    const h2 = this.kernel.handles.create({ kind: "pipe", onLastClose: lastClose(b, a) }, pid);
    const e1: PipeEnd = { handle: h1, peer: () => ends[1], input: a, output: b };
    const e2: PipeEnd = { handle: h2, peer: () => ends[0], input: b, output: a };
    ends.push(e1, e2);
    this.ends.set(h1, e1);
    this.ends.set(h2, e2);
    this.kernel.deadlocks.created(pid, [`pipe#${h1}`, `pipe#${h2}`], "pipe");
    return rings ? [h1, h2, a.ring, b?.ring ?? 0] : [h1, h2];
  }

  private ringOrZero(): number {
    try {
      return this.kernel.heap.createRing(0, RING_DATA_BYTES);
    } catch {
      return 0; // heap full: this channel goes through the kernel
    }
  }

  /**
   * The kernel writes `bytes` as one message to the pipe end `handle` (the resource tracker's
   * warning). Only an end whose channel has no ring (messages kept in the kernel); dropped
   * when the reading end is closed, as a write to a closed pipe would fail.
   */
  write(handle: number, bytes: Uint8Array): void {
    const end = this.ends.get(handle);
    if (!end?.output || end.output.ring !== 0 || !this.peerOpen(end)) return;
    end.output.items.push(bytes);
    end.output.readers.wakeAll();
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
      return { value: pipes.create(pid, argBool(args, "duplex"), args.rings === true) };
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
    /** Value: whether the handle was still open (an end received after every holder closed it is dead). */
    handle_attach({ pid, args }: SyscallCall): SyscallOutcome {
      const handle = argInt(args, "handle");
      kernel.handles.attach(handle, pid);
      return { value: kernel.handles.isOpen(handle) };
    },
    handle_close({ pid, args }: SyscallCall): SyscallOutcome {
      kernel.handles.release(argInt(args, "handle"), pid);
      return { value: null };
    },
  });
}
