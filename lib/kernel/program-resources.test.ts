import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID } from "./index";
import { TestHost } from "./test-host";

describe("program resources", () => {
  it("should free a program's rings, semaphores, blobs and shared blocks when its last process exits", () => {
    const host = new TestHost();
    const { kernel } = createKernel(host, { heapBytes: 8 << 20 });
    const call = (pid: number, name: string, args: Record<string, unknown>, bytes: Uint8Array | null = null) => {
      kernel.syscall(pid, name, args as never, bytes, true);
      const r = host.take(pid);
      if (!r?.ok) throw new Error(`${name}: ${JSON.stringify(r)}`);
      return r.value as number;
    };
    const baseline = kernel.heap.inUse;
    let peak = 0;
    for (let run = 0; run < 200; run++) {
      const main = kernel.spawn(INIT_PID, "main", false, { args: {}, bytes: null });
      const child = kernel.spawn(main, "child", false, { args: {}, bytes: null });
      for (let i = 0; i < 100; i++) {
        call(main, "ring_create", { maxsize: 0 });
        call(child, "sem_create", { kind: 1, value: 1, maxvalue: 1 });
      }
      call(child, "shm_alloc", { size: 64 });
      call(main, "blob_put", {}, new Uint8Array(1024));
      peak = Math.max(peak, kernel.heap.inUse);
      kernel.exit(main, 0);
      // The child still runs: the program's resources stay until it ends too.
      expect(kernel.heap.inUse).toBeGreaterThan(baseline);
      kernel.exit(child, 0);
      expect(kernel.heap.inUse).toBe(baseline);
    }
    expect(kernel.heap.semaphores.size).toBe(0);
    expect(peak).toBeGreaterThan(baseline + 100 * 16);
  });
});
