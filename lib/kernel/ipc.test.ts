import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID, RING, RING_READER_GONE, RING_WRITER_GONE } from "./index";
import { TestHost } from "./test-host";

function setup() {
  const host = new TestHost();
  const parts = createKernel(host, { heapBytes: 1 << 16 });
  const spawn = (ppid = INIT_PID) => parts.kernel.spawn(ppid, "p", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}, bytes: Uint8Array | null = null) => {
    parts.kernel.syscall(pid, name, args as never, bytes, true);
    return host.take(pid);
  };
  return { host, ...parts, spawn, call };
}

const b = (s: string) => new TextEncoder().encode(s);

describe("message queues", () => {
  describe("put/get", () => {
    it("should deliver items in FIFO order between processes", () => {
      const { spawn, call } = setup();
      const a = spawn();
      const c = spawn();
      const q = call(a, "queue_create", { maxsize: 0 });
      if (!q?.ok) throw new Error("create failed");
      call(a, "queue_put", { id: q.value, block: true }, b("1"));
      call(a, "queue_put", { id: q.value, block: true }, b("2"));
      expect(call(c, "queue_get", { id: q.value, block: true, timeoutMs: null })).toEqual({ ok: true, value: null, bytes: b("1") });
      expect(call(c, "queue_get", { id: q.value, block: true, timeoutMs: null })).toEqual({ ok: true, value: null, bytes: b("2") });
    });

    it("should wake a blocked getter when an item arrives", () => {
      const { host, spawn, call, queues } = setup();
      const a = spawn();
      const c = spawn();
      const q = queues.create(0);
      expect(call(c, "queue_get", { id: q.id, block: true, timeoutMs: null })).toBeUndefined();
      call(a, "queue_put", { id: q.id, block: true }, b("x"));
      expect(host.take(c)).toEqual({ ok: true, value: null, bytes: b("x") });
    });

    it("should raise queue.Empty at once without blocking and after the timeout", () => {
      const { host, spawn, call, queues } = setup();
      const a = spawn();
      const q = queues.create(0);
      expect(call(a, "queue_get", { id: q.id, block: false })).toMatchObject({ ok: false, error: { pyType: "queue.Empty" } });
      call(a, "queue_get", { id: q.id, block: true, timeoutMs: 200 });
      host.advance(200);
      expect(host.take(a)).toMatchObject({ ok: false, error: { pyType: "queue.Empty" } });
    });

    it("should block put on a full bounded queue, raise queue.Full on timeout, and resume when space frees", () => {
      const { host, spawn, call, queues } = setup();
      const a = spawn();
      const c = spawn();
      const q = queues.create(1);
      call(a, "queue_put", { id: q.id, block: true }, b("1"));
      expect(call(a, "queue_put", { id: q.id, block: false }, b("2"))).toMatchObject({ ok: false, error: { pyType: "queue.Full" } });
      call(a, "queue_put", { id: q.id, block: true, timeoutMs: 10 }, b("2"));
      host.advance(10);
      expect(host.take(a)).toMatchObject({ ok: false, error: { pyType: "queue.Full" } });
      expect(call(a, "queue_put", { id: q.id, block: true, timeoutMs: null }, b("3"))).toBeUndefined();
      call(c, "queue_get", { id: q.id, block: true, timeoutMs: null });
      expect(host.take(a)).toEqual({ ok: true, value: null, bytes: null });
      expect(q.items).toEqual([b("3")]);
    });
  });

  describe("task_done/join", () => {
    it("should release join when every item is done and refuse one task_done too many", () => {
      const { host, spawn, call, queues } = setup();
      const a = spawn();
      const q = queues.create(0);
      call(a, "queue_put", { id: q.id, block: true }, b("1"));
      expect(call(a, "queue_join", { id: q.id })).toBeUndefined();
      const c = spawn();
      call(c, "queue_get", { id: q.id, block: true, timeoutMs: null });
      call(c, "queue_task_done", { id: q.id });
      expect(host.take(a)).toEqual({ ok: true, value: null, bytes: null });
      expect(call(c, "queue_task_done", { id: q.id })).toMatchObject({
        ok: false,
        error: { pyType: "ValueError", message: "task_done() called too many times" },
      });
    });
  });
});

describe("pipes", () => {
  it("should carry messages both ways on a duplex pipe", () => {
    const { spawn, call } = setup();
    const a = spawn();
    const r = call(a, "pipe_create", { duplex: true });
    if (!r?.ok || !Array.isArray(r.value)) throw new Error("create failed");
    const [h1, h2] = r.value as number[];
    call(a, "pipe_send", { handle: h1 }, b("ping"));
    expect(call(a, "pipe_recv", { handle: h2 })).toEqual({ ok: true, value: null, bytes: b("ping") });
    call(a, "pipe_send", { handle: h2 }, b("pong"));
    expect(call(a, "pipe_recv", { handle: h1 })).toEqual({ ok: true, value: null, bytes: b("pong") });
  });

  it("should give EOFError to a reader once every holder of the other end closed it", () => {
    const { host, kernel, spawn, call } = setup();
    const parent = spawn();
    const created = call(parent, "pipe_create", { duplex: false });
    if (!created?.ok) throw new Error("pipe_create failed");
    const [reader, writer] = created.value as number[];
    // The child inherits the writing end at spawn; the parent closes its copy.
    const child = kernel.spawn(parent, "c", false, { args: {}, bytes: null }, [writer]);
    call(parent, "handle_close", { handle: writer });
    expect(call(parent, "pipe_recv", { handle: reader })).toBeUndefined();
    call(child, "pipe_send", { handle: writer }, b("last"));
    expect(host.take(parent)).toEqual({ ok: true, value: null, bytes: b("last") });
    call(parent, "pipe_recv", { handle: reader });
    kernel.exit(child, 0); // dying closes the child's ends
    expect(host.take(parent)).toMatchObject({ ok: false, error: { pyType: "EOFError" } });
  });

  it("should raise BrokenPipeError when sending to a pipe whose reader is closed", () => {
    const { spawn, call } = setup();
    const a = spawn();
    call(a, "pipe_create", { duplex: false });
    call(a, "handle_close", { handle: 1 });
    expect(call(a, "pipe_send", { handle: 2 }, b("x"))).toMatchObject({ ok: false, error: { pyType: "BrokenPipeError", errno: 32 } });
  });

  it("should answer poll with false after the timeout and true when data waits", () => {
    const { host, spawn, call } = setup();
    const a = spawn();
    call(a, "pipe_create", { duplex: true });
    call(a, "pipe_poll", { handle: 1, timeoutMs: 30 });
    host.advance(30);
    expect(host.take(a)).toEqual({ ok: true, value: false, bytes: null });
    call(a, "pipe_send", { handle: 2 }, b("x"));
    expect(call(a, "pipe_poll", { handle: 1, timeoutMs: 0 })).toEqual({ ok: true, value: true, bytes: null });
  });

  describe("on rings (what the runtime asks for)", () => {
    it("should give each channel a ring, mark it as an end's last holder lets go, and free both once both ends are gone", () => {
      const host = new TestHost();
      const { kernel } = createKernel(host, { heapBytes: 1 << 20 });
      const a = kernel.spawn(INIT_PID, "p", false, { args: {}, bytes: null });
      const call = (name: string, args: Record<string, unknown>) => {
        kernel.syscall(a, name, args as never, null, true);
        return host.take(a);
      };
      const inUse = kernel.heap.inUse;
      const created = call("pipe_create", { duplex: true, rings: true });
      if (!created?.ok) throw new Error("pipe_create failed");
      const [h1, h2, r1, r2] = created.value as number[];
      expect(r1).toBeGreaterThan(0);
      expect(r2).toBeGreaterThan(0);
      expect(r1).not.toBe(r2);
      const i32 = new Int32Array(kernel.heap.buffer);
      const puts = i32[r2 + RING.PUTS];
      call("handle_close", { handle: h1 });
      // End 1 wrote into r2 (its reader now sees EOF) and read r1 (its writer now gets EPIPE).
      expect(i32[r2 + RING.CLOSED]).toBe(RING_WRITER_GONE);
      expect(i32[r1 + RING.CLOSED]).toBe(RING_READER_GONE);
      expect(i32[r2 + RING.PUTS]).toBe(puts + 1); // waiters on r2 wake up
      expect(kernel.heap.inUse).toBeGreaterThan(inUse);
      call("handle_close", { handle: h2 });
      expect(kernel.heap.inUse).toBe(inUse);
    });

    it("should carry messages through the kernel when the heap has no room for a ring", () => {
      const { spawn, call } = setup(); // a 64 KiB heap: no room for a 64 KiB ring
      const a = spawn();
      const created = call(a, "pipe_create", { duplex: false, rings: true });
      if (!created?.ok) throw new Error("pipe_create failed");
      const [reader, writer, r1, r2] = created.value as number[];
      expect([r1, r2]).toEqual([0, 0]);
      call(a, "pipe_send", { handle: writer }, b("x"));
      expect(call(a, "pipe_recv", { handle: reader })).toEqual({ ok: true, value: null, bytes: b("x") });
    });
  });

  it("should refuse a handle the caller does not hold (EBADF)", () => {
    const { spawn, call } = setup();
    const a = spawn();
    const other = spawn();
    call(a, "pipe_create", { duplex: true });
    expect(call(other, "pipe_recv", { handle: 1 })).toMatchObject({ ok: false, error: { errno: 9 } });
  });
});

describe("Terminal", () => {
  it("should hand input() one line at a time and an empty string at EOF", () => {
    const { host, spawn, call, terminals } = setup();
    const a = spawn();
    const terminal = terminals.of(a);
    expect(call(a, "stdin_readline")).toBeUndefined();
    terminal.write("alice\nbob");
    expect(host.take(a)).toEqual({ ok: true, value: "alice\n", bytes: null });
    expect(call(a, "stdin_readline")).toBeUndefined();
    terminal.close();
    expect(host.take(a)).toEqual({ ok: true, value: "bob", bytes: null });
    expect(call(a, "stdin_readline")).toEqual({ ok: true, value: "", bytes: null });
  });
});

describe("Terminals", () => {
  it("should give each program its own input: a line for one never reaches another", () => {
    const { host, spawn, call, terminals } = setup();
    const a = spawn();
    const aChild = spawn(a);
    const b = spawn();
    expect(call(aChild, "stdin_readline")).toBeUndefined();
    expect(call(b, "stdin_readline")).toBeUndefined();
    terminals.of(a).write("for a\n");
    expect(host.take(aChild)).toEqual({ ok: true, value: "for a\n", bytes: null });
    expect(host.take(b)).toBeUndefined();
    terminals.of(b).close();
    expect(host.take(b)).toEqual({ ok: true, value: "", bytes: null });
  });
});

describe("FileSystem quota", () => {
  it("should refuse a file past the size limit (EFBIG) and a program past its share (ENOSPC), charge the last writer, free on unlink", () => {
    const host = new TestHost();
    const parts = createKernel(host, { fsFileBytes: 10, fsProgramBytes: 16 });
    const a = parts.kernel.spawn(INIT_PID, "a", false, { args: {}, bytes: null });
    const call = (pid: number, name: string, args: Record<string, unknown>, bytes: Uint8Array | null = null) => {
      parts.kernel.syscall(pid, name, args as never, bytes, true);
      return host.take(pid);
    };
    expect(call(a, "fs_write", { path: "/tmp/big" }, new Uint8Array(11))).toMatchObject({ ok: false, error: { errno: 27 } });
    expect(call(a, "fs_write", { path: "/tmp/x" }, new Uint8Array(10))).toMatchObject({ ok: true });
    expect(call(a, "fs_write", { path: "/tmp/y" }, new Uint8Array(7))).toMatchObject({ ok: false, error: { pyType: "OSError", errno: 28 } });
    // Rewriting its own file counts once.
    expect(call(a, "fs_write", { path: "/tmp/x" }, new Uint8Array(9))).toMatchObject({ ok: true });
    expect(parts.fs.quota.usedBy(a)).toBe(9);
    expect(call(a, "fs_unlink", { path: "/tmp/x" })).toMatchObject({ ok: true });
    expect(parts.fs.quota.usedBy(a)).toBe(0);
  });
});

describe("FileSystem", () => {
  it("should share what one process wrote with the next reader", () => {
    const { spawn, call } = setup();
    const a = spawn();
    const c = spawn();
    call(a, "fs_write", { path: "/home/user/out.txt" }, b("data"));
    expect(call(c, "fs_read", { path: "/home/user/out.txt" })).toEqual({ ok: true, value: null, bytes: b("data") });
  });

  it("should report FileNotFoundError (errno 2) with the path, and IsADirectoryError for directories", () => {
    const { spawn, call, fs } = setup();
    const a = spawn();
    fs.mkdirp("/home/user");
    expect(call(a, "fs_read", { path: "/home/user/nope.txt" })).toEqual({
      ok: false,
      error: { pyType: "FileNotFoundError", errno: 2, message: "No such file or directory", filename: "/home/user/nope.txt" },
    });
    expect(call(a, "fs_read", { path: "/home/user" })).toMatchObject({ ok: false, error: { pyType: "IsADirectoryError", errno: 21 } });
  });

  it("should look a path up for a worker's stat/listdir: a file's bytes, a directory's direct children, or nothing", () => {
    const { spawn, call, fs } = setup();
    const a = spawn();
    fs.mkdirp("/home/user/sub/deep");
    fs.writeFile("/home/user/b.txt", b("bee"));
    fs.writeFile("/home/user/sub/deep/c.txt", b("sea"));
    expect(call(a, "fs_lookup", { path: "/home/user" })).toEqual({
      ok: true,
      value: { kind: "dir", entries: [["b.txt", "file"], ["sub", "dir"]] },
      bytes: null,
    });
    expect(call(a, "fs_lookup", { path: "/home/user/b.txt" })).toEqual({ ok: true, value: { kind: "file" }, bytes: b("bee") });
    expect(call(a, "fs_lookup", { path: "/home/user/nope" })).toEqual({ ok: true, value: { kind: null }, bytes: null });
  });

  it("should share a directory a process made, and remove it only once it is empty", () => {
    const { spawn, call, fs } = setup();
    const a = spawn();
    call(a, "fs_mkdir", { path: "/home/user/made/deeper" });
    expect(fs.listDirs("/home/user")).toEqual(["/home/user/made", "/home/user/made/deeper"]);
    expect(call(a, "fs_unlink", { path: "/home/user/made" })).toMatchObject({ ok: false, error: { pyType: "OSError", errno: 39 } });
    expect(call(a, "fs_unlink", { path: "/home/user/made/deeper" })).toMatchObject({ ok: true });
    expect(fs.exists("/home/user/made/deeper")).toBeNull();
    expect(fs.exists("/home/user/made")).toBe("dir");
  });
});

describe("SharedHeap", () => {
  it("should allocate 8-aligned semaphores with their initial value and no waiters", () => {
    const { spawn, call, kernel } = setup();
    const a = spawn();
    const r = call(a, "sem_create", { kind: 1, value: 1, maxvalue: 1 });
    if (!r?.ok || typeof r.value !== "number") throw new Error("sem_create failed");
    expect(r.value % 2).toBe(0);
    expect(kernel.heap.semaphoreValue(r.value)).toBe(1);
    // As sem_open(3): EINVAL, which CPython raises as OSError [Errno 22].
    expect(call(a, "sem_create", { kind: 1, value: 2, maxvalue: 1 })).toMatchObject({ ok: false, error: { pyType: "OSError", errno: 22 } });
  });
});
