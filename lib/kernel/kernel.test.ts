import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID, Signal, type KernelEvent } from "./index";
import { TestHost } from "./test-host";

function setup(maxProcesses?: number) {
  const host = new TestHost();
  const parts = createKernel(host, { maxProcesses, heapBytes: 1 << 16 });
  const events: KernelEvent[] = [];
  parts.kernel.events.on((e) => events.push(e));
  const spawn = (ppid: number, name = "p", daemon = false) => parts.kernel.spawn(ppid, name, daemon, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}, bytes: Uint8Array | null = null) => {
    parts.kernel.syscall(pid, name, args as never, bytes, true);
    return host.take(pid);
  };
  return { host, ...parts, events, spawn, call };
}

describe("Kernel", () => {
  describe("process table", () => {
    it("should start with init as pid 1 and hand out increasing pids", () => {
      const { kernel, spawn } = setup();
      expect(kernel.snapshot().map((p) => p.pid)).toEqual([INIT_PID]);
      const a = spawn(INIT_PID);
      const b = spawn(a);
      expect([a, b]).toEqual([2, 3]);
      expect(kernel.table.get(b)?.ppid).toBe(a);
      expect(kernel.table.get(b)?.state).toBe("starting");
    });

    it("should refuse to go past the process cap with EAGAIN (errno 11)", () => {
      const { spawn, call } = setup(2);
      const main = spawn(INIT_PID);
      spawn(main);
      expect(call(main, "spawn", { name: "x", daemon: false })).toEqual({
        ok: false,
        error: { pyType: "OSError", errno: 11, message: "Resource temporarily unavailable" },
      });
    });

    it("should record name, daemon flag and start time, and emit spawn", () => {
      const { host, kernel, events, spawn } = setup();
      host.time = 42;
      const pid = spawn(INIT_PID, "worker", true);
      expect(kernel.table.get(pid)).toMatchObject({ name: "worker", daemon: true, startTime: 42, endTime: null, exitCode: null });
      expect(events[0]).toEqual({ type: "spawn", t: 42, pid, ppid: INIT_PID, name: "worker", daemon: true });
    });
  });

  describe("exit and reaping", () => {
    it("should keep an ended child as a zombie until its parent waits for it", () => {
      const { kernel, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      kernel.exit(child, 3);
      expect(kernel.table.get(child)).toMatchObject({ state: "zombie", exitCode: 3 });
      expect(call(parent, "waitpid", { pid: child, nohang: true })).toEqual({ ok: true, value: 3, bytes: null });
      expect(kernel.table.get(child)).toBeUndefined();
    });

    it("should block waitpid until the child exits and then answer its exit code", () => {
      const { kernel, host, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      expect(call(parent, "waitpid", { pid: child, timeoutMs: null })).toBeUndefined();
      expect(kernel.table.get(parent)?.state).toBe("blocked");
      kernel.exit(child, 0);
      expect(host.take(parent)).toEqual({ ok: true, value: 0, bytes: null });
      expect(kernel.table.get(parent)?.state).toBe("running");
    });

    it("should answer null when waitpid times out", () => {
      const { host, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      call(parent, "waitpid", { pid: child, timeoutMs: 100 });
      host.advance(99);
      expect(host.take(parent)).toBeUndefined();
      host.advance(1);
      expect(host.take(parent)).toEqual({ ok: true, value: null, bytes: null });
    });

    it("should block waitstarted until each child runs or ends, and answer false at its timeout", () => {
      const { kernel, host, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const [a, b, c] = [spawn(parent), spawn(parent), spawn(parent)];
      expect(call(parent, "waitstarted", { pids: [a, b, c], timeoutMs: null })).toBeUndefined();
      kernel.markRunning(a);
      kernel.exit(b, 1);
      expect(host.take(parent)).toBeUndefined();
      kernel.markRunning(c);
      expect(host.take(parent)).toEqual({ ok: true, value: true, bytes: null });
      expect(call(parent, "waitstarted", { pids: [a, c] })).toEqual({ ok: true, value: true, bytes: null });
      const d = spawn(parent);
      call(parent, "waitstarted", { pids: [d], timeoutMs: 50 });
      host.advance(50);
      expect(host.take(parent)).toEqual({ ok: true, value: false, bytes: null });
    });

    it("should refuse waitpid on a process that is not a child (ECHILD)", () => {
      const { spawn, call } = setup();
      const a = spawn(INIT_PID);
      const b = spawn(INIT_PID);
      expect(call(a, "waitpid", { pid: b, nohang: true })).toMatchObject({ ok: false, error: { pyType: "ChildProcessError", errno: 10 } });
    });

    it("should answer a wait for any child (os.wait) with the oldest zombie, block while all run, and refuse with none (ECHILD)", () => {
      const { kernel, host, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const [a, b, c] = [spawn(parent), spawn(parent), spawn(parent)];
      expect(call(parent, "waitany", { children: true })).toEqual({ ok: true, value: [a, b, c], bytes: null });
      expect(call(parent, "waitany", { nohang: true })).toEqual({ ok: true, value: null, bytes: null });
      kernel.exit(c, 5);
      kernel.exit(b, 4);
      expect(call(parent, "waitany", { nohang: true })).toEqual({ ok: true, value: [b, 4], bytes: null });
      expect(kernel.table.get(b)).toBeUndefined();
      expect(call(parent, "waitany", {})).toEqual({ ok: true, value: [c, 5], bytes: null });
      expect(call(parent, "waitany", { timeoutMs: null })).toBeUndefined();
      kernel.exit(a, -15);
      expect(host.take(parent)).toEqual({ ok: true, value: [a, -15], bytes: null });
      expect(call(parent, "waitany", { nohang: true })).toMatchObject({ ok: false, error: { pyType: "ChildProcessError", errno: 10 } });
    });

    it("should let init reap its own children at once", () => {
      const { kernel, events, spawn } = setup();
      const main = spawn(INIT_PID);
      kernel.exit(main, 0);
      expect(kernel.table.get(main)).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: "reap", pid: main, by: INIT_PID, exitCode: 0 });
    });

    it("should re-parent orphans to init, which reaps them when they end", () => {
      const { kernel, events, spawn, call } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      kernel.exit(parent, 0);
      expect(kernel.table.get(child)?.ppid).toBe(INIT_PID);
      expect(events).toContainEqual(expect.objectContaining({ type: "reparent", pid: child, from: parent, to: INIT_PID }));
      expect(call(child, "getppid")).toEqual({ ok: true, value: INIT_PID, bytes: null });
      kernel.exit(child, 0);
      expect(kernel.table.get(child)).toBeUndefined();
    });

    it("should reap at once a zombie whose parent dies", () => {
      const { kernel, spawn } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      kernel.exit(child, 0);
      expect(kernel.table.get(child)?.state).toBe("zombie");
      kernel.exit(parent, 0);
      expect(kernel.table.get(child)).toBeUndefined();
    });

    it("should free the worker of a process that ends", () => {
      const { kernel, host, spawn } = setup();
      const pid = spawn(INIT_PID);
      kernel.exit(pid, 0);
      expect(host.ended).toEqual([pid]);
    });
  });

  describe("signals", () => {
    it("should end a process with −15 on SIGTERM and −9 on SIGKILL", () => {
      const { kernel, spawn } = setup();
      const parent = spawn(INIT_PID);
      const a = spawn(parent);
      const b = spawn(parent);
      kernel.signal(a, Signal.SIGTERM, parent);
      kernel.signal(b, Signal.SIGKILL, parent);
      expect(kernel.table.get(a)?.exitCode).toBe(-15);
      expect(kernel.table.get(b)?.exitCode).toBe(-9);
    });

    it("should answer a call blocked in the kernel with EINTR for SIGINT (KeyboardInterrupt in Python)", () => {
      const { kernel, host, spawn, call, queues } = setup();
      const pid = spawn(INIT_PID);
      const q = queues.create(0);
      call(pid, "queue_get", { id: q.id, block: true, timeoutMs: null });
      kernel.signal(pid, Signal.SIGINT, INIT_PID);
      expect(host.take(pid)).toMatchObject({ ok: false, error: { pyType: "InterruptedError", errno: 4, signal: Signal.SIGINT } });
      expect(kernel.table.isAlive(pid)).toBe(true);
    });

    it("should flag SIGINT for a running process and not lose it when a blocking call follows", () => {
      const { kernel, host, spawn, call, queues } = setup();
      const pid = spawn(INIT_PID);
      kernel.signal(pid, Signal.SIGINT, INIT_PID);
      expect(host.interrupted).toEqual([[pid, Signal.SIGINT]]);
      const q = queues.create(0);
      expect(call(pid, "queue_get", { id: q.id, block: true, timeoutMs: null })).toMatchObject({ ok: false, error: { pyType: "InterruptedError", signal: Signal.SIGINT } });
    });

    it("should refuse to signal init and report ESRCH for unknown pids", () => {
      const { spawn, call } = setup();
      const pid = spawn(INIT_PID);
      expect(call(pid, "kill", { pid: 1, signal: 15 })).toMatchObject({ ok: false, error: { errno: 1 } });
      expect(call(pid, "kill", { pid: 99, signal: 15 })).toMatchObject({ ok: false, error: { pyType: "ProcessLookupError", errno: 3 } });
    });

    it("should let a process signal only its own program's processes, else EPERM (errno 1)", () => {
      const { kernel, host, spawn, call } = setup();
      const a = spawn(INIT_PID, "a");
      const aChild = spawn(a);
      const aGrand = spawn(aChild);
      const b = spawn(INIT_PID, "b");
      const bChild = spawn(b);
      const eperm = { ok: false, error: { pyType: "PermissionError", errno: 1 } };
      expect(call(aChild, "kill", { pid: b, signal: 15 })).toMatchObject(eperm);
      expect(call(a, "kill", { pid: bChild, signal: 10 })).toMatchObject(eperm);
      expect(call(bChild, "kill", { pid: aGrand, signal: 0 })).toMatchObject(eperm);
      expect(host.interrupted).toEqual([]);
      // Its descendants, its parent (os.kill(os.getppid(), ...)), even after re-parenting to init.
      expect(call(a, "kill", { pid: aGrand, signal: 0 })).toEqual({ ok: true, value: null, bytes: null });
      expect(call(aGrand, "kill", { pid: aChild, signal: 0 })).toEqual({ ok: true, value: null, bytes: null });
      kernel.exit(aChild, 0);
      expect(call(aGrand, "kill", { pid: a, signal: Signal.SIGCONT })).toEqual({ ok: true, value: null, bytes: null });
      // The machine (init) may signal anything.
      kernel.signal(bChild, Signal.SIGTERM, INIT_PID);
      expect(kernel.table.get(bChild)).toMatchObject({ state: "zombie", exitCode: -Signal.SIGTERM });
    });

    it("should drop the parked call of a killed process without replying", () => {
      const { kernel, host, spawn, call, queues } = setup();
      const pid = spawn(INIT_PID);
      const q = queues.create(0);
      call(pid, "queue_get", { id: q.id, block: true, timeoutMs: null });
      kernel.signal(pid, Signal.SIGKILL, INIT_PID);
      expect(host.replies.get(pid) ?? []).toEqual([]);
      expect(q.getters.size).toBe(0);
    });
  });

  describe("stopAll", () => {
    it("should kill every process and leave no zombie or orphan", () => {
      const { kernel, host, spawn } = setup();
      const main = spawn(INIT_PID);
      const a = spawn(main);
      spawn(a);
      const z = spawn(main);
      kernel.exit(z, 0);
      kernel.stopAll();
      expect(kernel.snapshot().map((p) => p.pid)).toEqual([INIT_PID]);
      expect(host.ended.sort()).toEqual([2, 3, 4, 5]);
    });
  });

  describe("event stream", () => {
    it("should report blocking with what is waited on and its timeout, then the unblock reason", () => {
      const { host, spawn, call, queues, events } = setup();
      const pid = spawn(INIT_PID);
      const q = queues.create(0);
      host.time = 5;
      call(pid, "queue_get", { id: q.id, block: true, timeoutMs: 50 });
      host.advance(50);
      const relevant = events.filter((e) => e.type === "block" || e.type === "unblock");
      expect(relevant).toEqual([
        { type: "block", t: 5, pid, on: "queue", object: `queue#${q.id}`, timeoutMs: 50 },
        { type: "unblock", t: 55, pid, on: "queue", reason: "timeout" },
      ]);
    });

    it("should record blocks that happen inside a worker (sleep, lock)", () => {
      const { spawn, kernel, events } = setup();
      const pid = spawn(INIT_PID);
      kernel.syscall(pid, "note_block", { on: "sleep", object: "time.sleep", timeoutMs: 1000 }, null, false);
      expect(kernel.table.get(pid)?.state).toBe("blocked");
      kernel.syscall(pid, "note_unblock", { on: "sleep", reason: "timeout" }, null, false);
      expect(kernel.table.get(pid)?.state).toBe("running");
      expect(events.filter((e) => e.type === "block")).toHaveLength(1);
    });
  });

  describe("syscall registry", () => {
    it("should let a subsystem register syscalls once and report ENOSYS for unknown ones", () => {
      const { kernel, spawn, call } = setup();
      kernel.syscalls.register("test", { ping: () => ({ value: "pong" }) });
      expect(() => kernel.syscalls.register("other", { ping: () => ({ value: 1 }) })).toThrow(/already registered/);
      const pid = spawn(INIT_PID);
      expect(call(pid, "ping")).toEqual({ ok: true, value: "pong", bytes: null });
      expect(call(pid, "nope")).toMatchObject({ ok: false, error: { errno: 38 } });
    });
  });
});
