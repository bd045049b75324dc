/**
 * Rights to shared-heap blocks, and the limits a worker enforces on itself, where the kernel cannot see the resource: the size
 * of one file (its writes land in the worker's own copy first) and its wasm memory. The
 * host sends them with each process's start (no syscall on the way to a program's first
 * line), and the worker keeps them where Python cannot change them (lib/runtime/worker/limits.ts).
 */
import type { Kernel } from "./kernel";
import { KernelError } from "./errors";
import { HEAP_EPOCH_INDEX } from "./shared-heap";
import { argInt, type SyscallCall, type SyscallOutcome } from "./syscalls";

/** Default ceiling of one process's wasm memory (Pyodide booted from the snapshot uses ~30 MiB). */
export const MEMORY_BYTES = 512 * 1024 * 1024;

export interface ProcessLimits {
  readonly fileBytes: number;
  readonly memoryBytes: number;
}

export function registerRightsSyscalls(kernel: Kernel): void {
  kernel.syscalls.register("limits", {
    /**
     * Whether the caller may touch the shared-heap block holding byte `at`: its program made
     * it, or was given it (a segment opened by name, a socket's rings). EFAULT otherwise, as
     * for a pointer outside the caller's memory. The worker caches the answer until a block
     * is freed (the epoch word).
     */
    heap_rights({ pid, args }: SyscallCall): SyscallOutcome {
      const block = kernel.heap.rightsAt(kernel.programOf(pid), argInt(args, "at"));
      if (!block) throw KernelError.os("EFAULT");
      return { value: { offset: block[0], size: block[1], epoch: HEAP_EPOCH_INDEX } };
    },
  });
}
