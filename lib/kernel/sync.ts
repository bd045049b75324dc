/** Synchronisation-object syscalls: allocation in the shared heap (the waiting happens in workers). */
import type { Kernel } from "./kernel";
import { argInt, type SyscallCall, type SyscallOutcome } from "./syscalls";

export function registerSyncSyscalls(kernel: Kernel): void {
  kernel.syscalls.register("sync", {
    /** kind 0 = recursive mutex, 1 = semaphore (CPython's SemLock kinds). Returns the int32 index of the value word. */
    sem_create({ args }: SyscallCall): SyscallOutcome {
      const info = kernel.heap.createSemaphore(argInt(args, "kind"), argInt(args, "value"), argInt(args, "maxvalue"));
      return { value: info.index };
    },
    /** Raw shared memory for Value/Array: returns a byte offset, 8-aligned, zero-filled. */
    shm_alloc({ args }: SyscallCall): SyscallOutcome {
      return { value: kernel.heap.alloc(Math.max(1, argInt(args, "size"))) };
    },
  });
}
