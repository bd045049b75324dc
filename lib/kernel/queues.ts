/**
 * Message queues (multiprocessing.Queue, SimpleQueue, JoinableQueue). Items are opaque
 * pickled bytes. `put` blocks while a bounded queue is full, `get` while it is empty;
 * the timeouts answer queue.Full / queue.Empty like CPython.
 */
import { Errno, KernelError } from "./errors";
import type { Kernel } from "./kernel";
import { argBool, argInt, argTimeout, type SyscallCall, type SyscallOutcome } from "./syscalls";
import { WaitQueue } from "./wait-queue";
import { RING_DATA_BYTES } from "./shared-heap";

export class MessageQueue {
  readonly items: Uint8Array[] = [];
  readonly getters = new WaitQueue();
  readonly putters = new WaitQueue();
  readonly joiners = new WaitQueue();
  unfinished = 0;

  constructor(
    readonly id: number,
    readonly maxsize: number,
  ) {}

  get full(): boolean {
    return this.maxsize > 0 && this.items.length >= this.maxsize;
  }

  push(item: Uint8Array): void {
    this.items.push(item);
    this.unfinished++;
    this.getters.wakeOne();
  }

  shift(): Uint8Array | undefined {
    const item = this.items.shift();
    if (item !== undefined) this.putters.wakeOne();
    return item;
  }
}

/** Default: bytes of unread big Queue items one program may park in the kernel. */
export const BLOB_PROGRAM_BYTES = 256 * 1024 * 1024;

/**
 * Items too big for a queue ring, parked in the kernel until a getter takes them. Each
 * belongs to the program that put it: only that program's processes may take it, and a
 * program's unread items are capped (ENOMEM past it, as a pipe's writer would run out of
 * memory for its feeder buffer).
 */
export class BlobStore {
  private readonly blobs = new Map<number, { data: Uint8Array; program: number }>();
  private readonly used = new Map<number, number>();
  private nextId = 1;

  constructor(private readonly programBytes = BLOB_PROGRAM_BYTES) {}

  usedBy(program: number): number {
    return this.used.get(program) ?? 0;
  }

  put(data: Uint8Array, program = 0): number {
    const used = this.usedBy(program) + data.length;
    if (used > this.programBytes) throw new KernelError("OSError", Errno.ENOMEM, "Cannot allocate memory: this program's unread Queue items fill its quota");
    const id = this.nextId++;
    this.blobs.set(id, { data, program });
    this.used.set(program, used);
    return id;
  }

  /** Drops a blob nobody took (its program ended). */
  drop(id: number): void {
    const b = this.blobs.get(id);
    if (!b) return;
    this.blobs.delete(id);
    this.used.set(b.program, this.usedBy(b.program) - b.data.length);
  }

  /** The blob's bytes, for a process of its program only (EBADF otherwise, as for a descriptor it does not hold). */
  take(id: number, program = 0): Uint8Array {
    const b = this.blobs.get(id);
    if (!b || b.program !== program) throw KernelError.os("EBADF");
    this.drop(id);
    return b.data;
  }
}

export class QueueTable {
  private readonly queues = new Map<number, MessageQueue>();
  private nextId = 1;

  create(maxsize: number): MessageQueue {
    const q = new MessageQueue(this.nextId++, maxsize);
    this.queues.set(q.id, q);
    return q;
  }

  get(id: number): MessageQueue {
    const q = this.queues.get(id);
    if (!q) throw KernelError.os("EBADF");
    return q;
  }
}

export function registerQueueSyscalls(kernel: Kernel, queues: QueueTable, blobs = new BlobStore()): void {
  kernel.syscalls.register("queues", {
    /** A shared-memory queue ring (the fast path workers use directly); returns its header index. */
    ring_create({ pid, args }: SyscallCall): SyscallOutcome {
      const base = kernel.heap.createRing(Math.max(0, argInt(args, "maxsize")), RING_DATA_BYTES);
      kernel.ownedBy(pid, () => kernel.heap.freeRing(base, RING_DATA_BYTES));
      kernel.deadlocks.created(pid, `queue#${base}`, "queue");
      return { value: base };
    },
    blob_put({ pid, bytes }: SyscallCall): SyscallOutcome {
      const id = blobs.put(bytes ?? new Uint8Array(), kernel.programOf(pid));
      kernel.ownedBy(pid, () => blobs.drop(id));
      return { value: id };
    },
    blob_take({ pid, args }: SyscallCall): SyscallOutcome {
      return { value: null, bytes: blobs.take(argInt(args, "id"), kernel.programOf(pid)) };
    },

    queue_create({ args }: SyscallCall): SyscallOutcome {
      return { value: queues.create(Math.max(0, argInt(args, "maxsize"))).id };
    },

    queue_put({ args, bytes }: SyscallCall): SyscallOutcome {
      const q = queues.get(argInt(args, "id"));
      const item = bytes ?? new Uint8Array();
      const tryPut = (): { value: null } | undefined => {
        if (q.full) return undefined;
        q.push(item);
        return { value: null };
      };
      const done = tryPut();
      if (done) return done;
      if (!argBool(args, "block")) throw new KernelError("queue.Full", null, "");
      return {
        block: {
          on: "queue",
          object: `queue#${q.id}`,
          timeoutMs: argTimeout(args),
          queues: [q.putters],
          check: tryPut,
          onTimeout: () => new KernelError("queue.Full", null, ""),
        },
      };
    },

    queue_get({ args }: SyscallCall): SyscallOutcome {
      const q = queues.get(argInt(args, "id"));
      const tryGet = (): { value: null; bytes: Uint8Array } | undefined => {
        const item = q.shift();
        return item === undefined ? undefined : { value: null, bytes: item };
      };
      const done = tryGet();
      if (done) return done;
      if (!argBool(args, "block")) throw new KernelError("queue.Empty", null, "");
      return {
        block: {
          on: "queue",
          object: `queue#${q.id}`,
          timeoutMs: argTimeout(args),
          queues: [q.getters],
          check: tryGet,
          onTimeout: () => new KernelError("queue.Empty", null, ""),
        },
      };
    },

    queue_qsize({ args }: SyscallCall): SyscallOutcome {
      return { value: queues.get(argInt(args, "id")).items.length };
    },

    queue_task_done({ args }: SyscallCall): SyscallOutcome {
      const q = queues.get(argInt(args, "id"));
      if (q.unfinished <= 0) throw KernelError.value("task_done() called too many times");
      q.unfinished--;
      if (q.unfinished === 0) q.joiners.wakeAll();
      return { value: null };
    },

    queue_join({ args }: SyscallCall): SyscallOutcome {
      const q = queues.get(argInt(args, "id"));
      const check = (): { value: null } | undefined => (q.unfinished === 0 ? { value: null } : undefined);
      return (
        check() ?? {
          block: { on: "queue", object: `queue#${q.id}`, timeoutMs: null, queues: [q.joiners], check, onTimeout: () => ({ value: null }) },
        }
      );
    },
  });
}
