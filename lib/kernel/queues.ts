/**
 * Message queues (multiprocessing.Queue, SimpleQueue, JoinableQueue). Items are opaque
 * pickled bytes. `put` blocks while a bounded queue is full, `get` while it is empty;
 * the timeouts answer queue.Full / queue.Empty like CPython.
 */
import { KernelError } from "./errors";
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

/** Items too big for a queue ring, parked in the kernel until a getter takes them. */
export class BlobStore {
  private readonly blobs = new Map<number, Uint8Array>();
  private nextId = 1;

  put(data: Uint8Array): number {
    const id = this.nextId++;
    this.blobs.set(id, data);
    return id;
  }

  /** Drops a blob nobody took (its program ended). */
  drop(id: number): void {
    this.blobs.delete(id);
  }

  take(id: number): Uint8Array {
    const b = this.blobs.get(id);
    if (!b) throw KernelError.os("EBADF");
    this.blobs.delete(id);
    return b;
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
      const id = blobs.put(bytes ?? new Uint8Array());
      kernel.ownedBy(pid, () => blobs.drop(id));
      return { value: id };
    },
    blob_take({ args }: SyscallCall): SyscallOutcome {
      return { value: null, bytes: blobs.take(argInt(args, "id")) };
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
