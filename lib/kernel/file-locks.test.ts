import { describe, expect, it } from "vitest";
import { createKernel, formatDeadlock, INIT_PID, Signal } from "./index";
import { TestHost } from "./test-host";

const X = "/home/user/x.lock";

function setup() {
  const host = new TestHost();
  const parts = createKernel(host, { heapBytes: 1 << 16 });
  const spawn = () => parts.kernel.spawn(INIT_PID, "p", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}) => {
    parts.kernel.syscall(pid, name, args as never, null, true);
    return host.take(pid);
  };
  const flock = (pid: number, ofd: number, op: string, nb = false) => call(pid, "file_flock", { path: X, ofd, op, nb });
  const setlk = (pid: number, type: string, start: number, len: number, wait = false) => call(pid, "file_setlk", { path: X, type, start, len, wait });
  const getlk = (pid: number, type: string, start: number, len: number) => call(pid, "file_getlk", { path: X, type, start, len });
  return { host, ...parts, spawn, call, flock, setlk, getlk };
}

const OK = { ok: true, value: null, bytes: null };
const EAGAIN = { ok: false, error: { pyType: "OSError", errno: 11, message: "Resource temporarily unavailable" } };

describe("FileLocks", () => {
  describe("flock", () => {
    it("should share LOCK_SH, refuse LOCK_EX with LOCK_NB (EAGAIN), and let a second open() of one process conflict", () => {
      const { spawn, flock } = setup();
      const a = spawn();
      const b = spawn();
      expect(flock(a, 1, "sh")).toEqual(OK);
      expect(flock(b, 1, "sh")).toEqual(OK);
      expect(flock(b, 2, "ex", true)).toEqual(EAGAIN);
      expect(flock(a, 1, "un")).toEqual(OK);
      expect(flock(b, 1, "ex")).toEqual(OK);
      // Same process, another description: a conflict too.
      expect(flock(b, 2, "sh", true)).toEqual(EAGAIN);
    });

    it("should park a blocking LOCK_EX and grant it when the holder unlocks", () => {
      const { host, kernel, spawn, flock } = setup();
      const a = spawn();
      const b = spawn();
      flock(a, 1, "ex");
      expect(flock(b, 1, "ex")).toBeUndefined();
      expect(kernel.table.get(b)?.state).toBe("blocked");
      flock(a, 1, "un");
      expect(host.take(b)).toEqual(OK);
      expect(flock(a, 1, "ex", true)).toEqual(EAGAIN);
    });

    it("should drop the old lock before converting, as Linux does (a failed LOCK_NB conversion holds nothing)", () => {
      const { spawn, flock, locks } = setup();
      const a = spawn();
      const b = spawn();
      flock(a, 1, "sh");
      flock(b, 1, "sh");
      expect(flock(a, 1, "ex", true)).toEqual(EAGAIN);
      expect(locks.held(X).flocks.map((l) => l.pid)).toEqual([b]);
    });

    it("should release at the last close of the description and at exit, waking the waiter", () => {
      const { host, kernel, spawn, call, flock } = setup();
      const a = spawn();
      const b = spawn();
      flock(a, 1, "ex");
      flock(b, 1, "ex");
      call(a, "file_lock_close", { path: X, ofd: null, records: true });
      expect(host.take(b)).toBeUndefined();
      call(a, "file_lock_close", { path: X, ofd: 1, records: false });
      expect(host.take(b)).toEqual(OK);
      const c = spawn();
      flock(c, 1, "sh");
      kernel.signal(b, Signal.SIGKILL, INIT_PID);
      expect(host.take(c)).toEqual(OK);
    });

    it("should end a parked wait with EINTR when a caught signal arrives", () => {
      const { host, kernel, spawn, call, flock } = setup();
      const a = spawn();
      const b = spawn();
      call(b, "sigaction", { signal: Signal.SIGUSR1, action: "handler" });
      flock(a, 1, "ex");
      flock(b, 1, "ex");
      kernel.signal(b, Signal.SIGUSR1, INIT_PID);
      expect(host.take(b)).toMatchObject({ ok: false, error: { errno: 4, signal: Signal.SIGUSR1 } });
    });
  });

  describe("record locks", () => {
    it("should lock byte ranges: readers share, a writer conflicts only where ranges overlap", () => {
      const { spawn, setlk } = setup();
      const a = spawn();
      const b = spawn();
      expect(setlk(a, "w", 0, 10)).toEqual(OK);
      expect(setlk(b, "w", 10, 10)).toEqual(OK);
      expect(setlk(b, "r", 9, 1)).toEqual(EAGAIN);
      expect(setlk(a, "r", 15, 0)).toEqual(EAGAIN);
      expect(setlk(a, "r", 30, 5)).toEqual(OK);
      expect(setlk(b, "r", 30, 5)).toEqual(OK);
    });

    it("should split and merge a process's own locks and answer F_GETLK with the blocking lock", () => {
      const { spawn, setlk, getlk } = setup();
      const a = spawn();
      const b = spawn();
      setlk(a, "w", 0, 100);
      setlk(a, "u", 40, 20);
      expect(getlk(b, "r", 50, 1)).toMatchObject({ value: null });
      expect(getlk(b, "r", 0, 0)).toMatchObject({ value: ["w", 0, 40, a] });
      setlk(a, "w", 40, 20);
      expect(getlk(b, "r", 99, 1)).toMatchObject({ value: ["w", 0, 100, a] });
      setlk(a, "r", 10, 0);
      expect(getlk(b, "w", 50, 1)).toMatchObject({ value: ["r", 10, 0, a] });
      // The owner's own locks never stop it.
      expect(getlk(a, "w", 0, 0)).toMatchObject({ value: null });
    });

    it("should release all of a process's locks on the file when it closes any descriptor of it", () => {
      const { host, spawn, call, setlk } = setup();
      const a = spawn();
      const b = spawn();
      setlk(a, "w", 0, 1);
      setlk(a, "w", 5, 1);
      expect(setlk(b, "w", 5, 1, true)).toBeUndefined();
      call(a, "file_lock_close", { path: X, ofd: 7, records: false });
      expect(host.take(b)).toBeUndefined();
      call(a, "file_lock_close", { path: X, ofd: null, records: true });
      expect(host.take(b)).toEqual(OK);
    });

    it("should refuse a wait that closes a cycle with EDEADLK", () => {
      const { spawn, setlk } = setup();
      const a = spawn();
      const b = spawn();
      setlk(a, "w", 0, 1);
      setlk(b, "w", 1, 1);
      expect(setlk(a, "w", 1, 1, true)).toBeUndefined();
      expect(setlk(b, "w", 0, 1, true)).toMatchObject({ ok: false, error: { errno: 35, message: "Resource deadlock avoided" } });
    });

    it("should refuse a negative start with EINVAL", () => {
      const { spawn, setlk } = setup();
      expect(setlk(spawn(), "w", 5, -10)).toMatchObject({ ok: false, error: { errno: 22 } });
    });
  });

  it("should not mix flock and record locks", () => {
    const { spawn, flock, setlk } = setup();
    const a = spawn();
    const b = spawn();
    expect(flock(a, 1, "ex")).toEqual(OK);
    expect(setlk(b, "w", 0, 0)).toEqual(OK);
  });

  it("should name a file lock and its holder in a deadlock report", () => {
    const { host, kernel, spawn, flock } = setup();
    const a = spawn();
    const b = spawn();
    kernel.rename(a, "holder");
    kernel.rename(b, "waiter");
    flock(a, 1, "ex");
    flock(b, 1, "ex");
    const report = kernel.deadlocks.reportNow(b);
    expect(report.waits).toEqual([{ pid: b, on: "lock", kind: "file", ordinal: 0, holder: a, object: `flock ${X}` }]);
    expect(formatDeadlock(report)).toContain(`waiter waits for a lock on ${X}, held by holder`);
    expect(host.take(b)).toBeUndefined();
  });
});
