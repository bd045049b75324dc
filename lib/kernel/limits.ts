/**
 * The limits a worker enforces on itself, where the kernel cannot see the resource: the size
 * of one file (its writes land in the worker's own copy first) and its wasm memory. The
 * worker asks once per process (`proc_limits`) and keeps the answer where Python cannot
 * change it (lib/runtime/worker/limits.ts).
 */
import type { Kernel } from "./kernel";
import type { SyscallOutcome } from "./syscalls";

/** Default ceiling of one process's wasm memory (Pyodide booted from the snapshot uses ~30 MiB). */
export const MEMORY_BYTES = 512 * 1024 * 1024;

export interface ProcessLimits {
  readonly fileBytes: number;
  readonly memoryBytes: number;
}

export function registerLimitSyscalls(kernel: Kernel, limits: ProcessLimits): void {
  kernel.syscalls.register("limits", {
    proc_limits(): SyscallOutcome {
      return { value: { fileBytes: limits.fileBytes, memoryBytes: limits.memoryBytes } };
    },
  });
}
