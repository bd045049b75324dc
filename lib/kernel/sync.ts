/** Synchronisation-object syscalls: allocation in the shared heap (the waiting happens in workers). */
import type { Kernel } from "./kernel";
import type { WaitKind } from "./deadlock";
import { argInt, type SyscallCall, type SyscallOutcome } from "./syscalls";

/** The label the Python side gives the semaphore at `index` (`_spawnpoint/semlock.py`). */
function semLabel(kind: number, maxvalue: number, index: number): string {
  return `${kind === 0 ? "rlock" : maxvalue === 1 ? "lock" : "semaphore"}#${index}`;
}

/** How a diagnosis names it: what it was built for (Event, Condition, Barrier), else its SemLock kind. */
function semKind(kind: number, maxvalue: number, role: string): WaitKind {
  if (role === "event" || role === "condition" || role === "barrier") return role;
  return kind === 0 ? "rlock" : maxvalue === 1 ? "lock" : "semaphore";
}

export function registerSyncSyscalls(kernel: Kernel): void {
  kernel.syscalls.register("sync", {
    /** kind 0 = recursive mutex, 1 = semaphore (CPython's SemLock kinds). Returns the int32 index of the value word. */
    sem_create({ pid, args }: SyscallCall): SyscallOutcome {
      const role = typeof args.role === "string" ? args.role : "";
      const info = kernel.heap.createSemaphore(argInt(args, "kind"), argInt(args, "value"), argInt(args, "maxvalue"), role);
      kernel.ownedBy(pid, () => kernel.heap.freeSemaphore(info.index));
      kernel.deadlocks.created(pid, semLabel(info.kind, info.maxvalue, info.index), semKind(info.kind, info.maxvalue, role));
      return { value: info.index };
    },
    /** Raw shared memory for Value/Array: returns a byte offset, 8-aligned, zero-filled. */
    shm_alloc({ pid, args }: SyscallCall): SyscallOutcome {
      const size = Math.max(1, argInt(args, "size"));
      const offset = kernel.heap.alloc(size);
      kernel.ownedBy(pid, () => kernel.heap.free(offset, size));
      return { value: offset };
    },
  });
}
