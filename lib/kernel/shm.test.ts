import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID } from "./index";
import { TestHost } from "./test-host";

function setup() {
  const host = new TestHost();
  const parts = createKernel(host, { heapBytes: 1 << 16 });
  const spawn = (ppid = INIT_PID) => parts.kernel.spawn(ppid, "p", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}) => {
    parts.kernel.syscall(pid, name, args as never, null, true);
    return host.take(pid);
  };
  return { ...parts, spawn, call };
}

describe("ShmTable (shm_open / shm_unlink)", () => {
  it("should give every process that opens a name the same bytes of the shared heap, with the exact size", () => {
    const { spawn, call } = setup();
    const a = spawn();
    const b = spawn();
    const made = call(a, "shm_open", { name: "/seg", create: true, exclusive: true, size: 10 });
    expect(made).toMatchObject({ ok: true, value: { size: 10 } });
    const seen = call(b, "shm_open", { name: "/seg", create: false, exclusive: false, size: 0 });
    expect(seen).toEqual(made);
  });

  it("should answer EEXIST, ENOENT and EINVAL as Linux does", () => {
    const { spawn, call } = setup();
    const a = spawn();
    call(a, "shm_open", { name: "/seg", create: true, exclusive: true, size: 8 });
    expect(call(a, "shm_open", { name: "/seg", create: true, exclusive: true, size: 8 })).toMatchObject({ ok: false, error: { pyType: "FileExistsError", errno: 17 } });
    expect(call(a, "shm_open", { name: "/none", create: false, exclusive: false, size: 0 })).toMatchObject({ ok: false, error: { pyType: "FileNotFoundError", errno: 2 } });
    expect(call(a, "shm_open", { name: "/a/b", create: true, exclusive: true, size: 8 })).toMatchObject({ ok: false, error: { errno: 22 } });
    call(a, "shm_unlink", { name: "/seg" });
    expect(call(a, "shm_unlink", { name: "/seg" })).toMatchObject({ ok: false, error: { pyType: "FileNotFoundError", errno: 2 } });
  });

  it("should keep a name after its creator exits, and free the memory once unlinked and closed everywhere", () => {
    const { kernel, spawn, call, shm } = setup();
    const a = spawn();
    const made = call(a, "shm_open", { name: "/seg", create: true, exclusive: true, size: 4096 });
    if (!made?.ok) throw new Error("shm_open failed");
    const offset = (made.value as { offset: number }).offset;
    new Uint8Array(kernel.heap.buffer, offset, 1)[0] = 42;
    kernel.exit(a, 0);
    expect(shm.names()).toEqual(["seg"]);
    const b = spawn();
    call(b, "shm_open", { name: "/seg", create: false, exclusive: false, size: 0 });
    expect(new Uint8Array(kernel.heap.buffer, offset, 1)[0]).toBe(42);
    call(b, "shm_unlink", { name: "/seg" });
    expect(new Uint8Array(kernel.heap.buffer, offset, 1)[0]).toBe(42); // still open in b
    call(b, "shm_close", { offset });
    expect(new Uint8Array(kernel.heap.buffer, offset, 1)[0]).toBe(0); // freed (zeroed)
    const again = call(b, "shm_open", { name: "/other", create: true, exclusive: true, size: 4096 });
    expect(again).toMatchObject({ ok: true, value: { offset } }); // the block was reused
  });
});
