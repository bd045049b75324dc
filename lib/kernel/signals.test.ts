import { describe, expect, it } from "vitest";
import { createKernel, INIT_PID, Signal, parseSignal, signalName, type KernelEvent } from "./index";
import { TestHost } from "./test-host";

function setup() {
  const host = new TestHost();
  const parts = createKernel(host, { heapBytes: 1 << 16 });
  const events: KernelEvent[] = [];
  parts.kernel.events.on((e) => events.push(e));
  const spawn = (ppid: number) => parts.kernel.spawn(ppid, "p", false, { args: {}, bytes: null });
  const call = (pid: number, name: string, args: Record<string, unknown> = {}) => {
    parts.kernel.syscall(pid, name, args as never, null, true);
    return host.take(pid);
  };
  const act = (pid: number, signal: number, action: string) => call(pid, "sigaction", { signal, action });
  /** The worker takes what waits in its interrupt word (as Pyodide does between bytecodes). */
  const take = (pid: number) => host.takeInterrupt(pid);
  /** The exit code from the event stream (init reaps its own children at once). */
  const exitCode = (pid: number) => {
    const e = events.find((ev) => ev.type === "exit" && ev.pid === pid);
    return e?.type === "exit" ? e.exitCode : undefined;
  };
  return { host, ...parts, events, spawn, call, act, take, exitCode };
}

describe("signals", () => {
  describe("the table", () => {
    it("should use Linux's numbers and parse kill's spellings", () => {
      expect(Signal).toMatchObject({ SIGHUP: 1, SIGUSR1: 10, SIGUSR2: 12, SIGALRM: 14, SIGCHLD: 17, SIGCONT: 18, SIGSTOP: 19, SIGTSTP: 20 });
      expect(["USR1", "sigusr1", "10", "SIGUSR1"].map(parseSignal)).toEqual([10, 10, 10, 10]);
      expect(signalName(20)).toBe("SIGTSTP");
    });
  });

  describe("default actions", () => {
    it.each([
      ["SIGHUP", 1],
      ["SIGUSR1", 10],
      ["SIGUSR2", 12],
      ["SIGALRM", 14],
      ["SIGTERM", 15],
    ] as const)("should end a process without a handler for %s with exit code −N", (_name, sig) => {
      const { kernel, spawn } = setup();
      const pid = spawn(INIT_PID);
      const child = spawn(pid);
      kernel.signal(child, sig, pid);
      expect(kernel.table.get(child)).toMatchObject({ state: "zombie", exitCode: -sig });
    });

    it("should ignore SIGCHLD by default, and tell no one about the one a child's exit raises", () => {
      const { kernel, host, events, spawn } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      kernel.signal(parent, Signal.SIGCHLD, INIT_PID);
      kernel.exit(child, 0);
      expect(kernel.table.isAlive(parent)).toBe(true);
      expect(host.interrupted).toEqual([]);
      expect(events.filter((e) => e.type === "signal")).toHaveLength(1);
    });

    it("should raise KeyboardInterrupt's handler for SIGINT (CPython installs one) until it is ignored or reset", () => {
      const { kernel, host, spawn, act, take, exitCode } = setup();
      const pid = spawn(INIT_PID);
      kernel.signal(pid, Signal.SIGINT, INIT_PID);
      expect(host.interrupted).toEqual([[pid, Signal.SIGINT]]);
      take(pid);
      expect(act(pid, Signal.SIGINT, "ignore")).toEqual({ ok: true, value: "handler", bytes: null });
      kernel.signal(pid, Signal.SIGINT, INIT_PID);
      expect(host.interrupted).toHaveLength(1);
      expect(act(pid, Signal.SIGINT, "default")).toMatchObject({ ok: true, value: "ignore" });
      kernel.signal(pid, Signal.SIGINT, INIT_PID);
      expect(exitCode(pid)).toBe(-2);
    });
  });

  describe("handlers", () => {
    it("should hand a caught signal to the worker instead of ending the process", () => {
      const { kernel, host, spawn, act } = setup();
      const pid = spawn(INIT_PID);
      act(pid, Signal.SIGTERM, "handler");
      kernel.signal(pid, Signal.SIGTERM, INIT_PID);
      expect(kernel.table.isAlive(pid)).toBe(true);
      expect(host.interrupted).toEqual([[pid, Signal.SIGTERM]]);
    });

    it("should answer a call parked in the kernel with EINTR for the caught signal", () => {
      const { kernel, host, spawn, act, call, queues } = setup();
      const pid = spawn(INIT_PID);
      act(pid, Signal.SIGUSR1, "handler");
      const q = queues.create(0);
      call(pid, "queue_get", { id: q.id, block: true, timeoutMs: null });
      kernel.signal(pid, Signal.SIGUSR1, INIT_PID);
      expect(host.take(pid)).toMatchObject({ ok: false, error: { pyType: "InterruptedError", errno: 4, signal: Signal.SIGUSR1 } });
    });

    it("should queue signals while the interrupt word is busy, once each, and write them as the worker takes them", () => {
      const { kernel, host, spawn, act, take } = setup();
      const pid = spawn(INIT_PID);
      act(pid, Signal.SIGUSR1, "handler");
      act(pid, Signal.SIGUSR2, "handler");
      kernel.signal(pid, Signal.SIGUSR1, INIT_PID);
      kernel.signal(pid, Signal.SIGUSR2, INIT_PID);
      kernel.signal(pid, Signal.SIGUSR2, INIT_PID); // pending already: standard signals do not queue
      expect(take(pid)).toBe(Signal.SIGUSR1);
      host.advance(5);
      expect(take(pid)).toBe(Signal.SIGUSR2);
      host.advance(5);
      expect(take(pid)).toBe(0);
    });

    it("should refuse a handler or SIG_IGN for SIGKILL and SIGSTOP with EINVAL, and SIGKILL always kills", () => {
      const { kernel, spawn, act, exitCode } = setup();
      const pid = spawn(INIT_PID);
      expect(act(pid, Signal.SIGKILL, "handler")).toMatchObject({ ok: false, error: { errno: 22 } });
      expect(act(pid, Signal.SIGSTOP, "ignore")).toMatchObject({ ok: false, error: { errno: 22 } });
      kernel.signal(pid, Signal.SIGKILL, INIT_PID);
      expect(exitCode(pid)).toBe(-9);
    });

    it("should deliver SIGCHLD to a parent that catches it when a child ends", () => {
      const { kernel, host, spawn, act } = setup();
      const parent = spawn(INIT_PID);
      const child = spawn(parent);
      act(parent, Signal.SIGCHLD, "handler");
      kernel.exit(child, 0);
      expect(host.interrupted).toEqual([[parent, Signal.SIGCHLD]]);
    });

    it("should start a child with default dispositions except what its parent ignores (and SIGPIPE and SIGXFSZ, which Python ignores)", () => {
      const { kernel, spawn, act } = setup();
      const parent = spawn(INIT_PID);
      act(parent, Signal.SIGTERM, "handler");
      act(parent, Signal.SIGINT, "ignore");
      act(parent, Signal.SIGUSR1, "ignore");
      const child = spawn(parent);
      expect(kernel.signals.ignored(child).sort((x, y) => x - y)).toEqual([Signal.SIGINT, Signal.SIGUSR1, Signal.SIGPIPE, Signal.SIGXFSZ]);
      expect(kernel.signals.disposition(child, Signal.SIGTERM)).toBe("default");
    });
  });

  describe("stop and continue", () => {
    it("should show a stopped process as state T, park its worker, and let it go on SIGCONT", () => {
      const { kernel, host, spawn, take, events } = setup();
      const pid = spawn(INIT_PID);
      kernel.markRunning(pid);
      kernel.signal(pid, Signal.SIGSTOP, INIT_PID);
      expect(kernel.table.get(pid)?.state).toBe("stopped");
      expect(take(pid)).toBe(Signal.SIGSTOP); // the worker parks itself
      kernel.signal(pid, Signal.SIGCONT, INIT_PID);
      expect(take(pid)).toBe(Signal.SIGCONT); // …until this releases it
      expect(kernel.table.get(pid)?.state).toBe("running");
      expect(events.filter((e) => e.type === "state" && e.pid === pid).map((e) => e.type === "state" && e.state)).toEqual(["running", "stopped", "running"]);
      expect(host.interrupted.map(([, s]) => s)).toEqual([Signal.SIGSTOP, Signal.SIGCONT]);
    });

    it("should take back a stop the worker has not seen yet instead of sending SIGCONT", () => {
      const { kernel, spawn, take } = setup();
      const pid = spawn(INIT_PID);
      kernel.signal(pid, Signal.SIGSTOP, INIT_PID);
      kernel.signal(pid, Signal.SIGCONT, INIT_PID);
      expect(take(pid)).toBe(0);
      expect(kernel.table.get(pid)?.state).toBe("starting");
    });

    it("should hold a stopped process's syscall reply and caught signals until SIGCONT", () => {
      const { kernel, host, spawn, act, call, take, queues } = setup();
      const pid = spawn(INIT_PID);
      const other = spawn(pid); // its own child: only the same program may signal it
      act(pid, Signal.SIGUSR1, "handler");
      const q = queues.create(0);
      call(pid, "queue_get", { id: q.id, block: true, timeoutMs: 100 });
      kernel.signal(pid, Signal.SIGSTOP, INIT_PID);
      expect(kernel.table.get(pid)?.state).toBe("stopped");
      take(pid);
      host.advance(200); // the timeout fires while stopped: the reply waits
      kernel.signal(pid, Signal.SIGUSR1, other);
      expect(host.replies.get(pid) ?? []).toEqual([]);
      expect(take(pid)).toBe(0);
      kernel.signal(pid, Signal.SIGCONT, INIT_PID);
      expect(host.take(pid)).toMatchObject({ ok: false, error: { pyType: "queue.Empty" } });
      expect(kernel.table.get(pid)?.state).toBe("running");
      expect(take(pid)).toBe(Signal.SIGCONT);
      host.advance(5);
      expect(take(pid)).toBe(Signal.SIGUSR1);
    });

    it("should stop on SIGTSTP unless caught; a stopped process dies of SIGKILL at once, of SIGTERM only after SIGCONT", () => {
      const { kernel, spawn, act, exitCode } = setup();
      const a = spawn(INIT_PID);
      const b = spawn(INIT_PID);
      kernel.signal(a, Signal.SIGTSTP, INIT_PID);
      expect(kernel.table.get(a)?.state).toBe("stopped");
      kernel.signal(a, Signal.SIGTERM, INIT_PID);
      expect(kernel.table.get(a)?.state).toBe("stopped");
      kernel.signal(a, Signal.SIGCONT, INIT_PID);
      expect(exitCode(a)).toBe(-15);
      act(b, Signal.SIGTSTP, "handler");
      kernel.signal(b, Signal.SIGTSTP, INIT_PID);
      expect(kernel.table.get(b)?.state).toBe("starting");
      kernel.signal(b, Signal.SIGSTOP, INIT_PID);
      kernel.signal(b, Signal.SIGKILL, INIT_PID);
      expect(exitCode(b)).toBe(-9);
    });
  });

  describe("itimer", () => {
    it("should send SIGALRM after the time, repeat with an interval, and report what is left", () => {
      const { kernel, host, spawn, act, call, take } = setup();
      const pid = spawn(INIT_PID);
      act(pid, Signal.SIGALRM, "handler");
      expect(call(pid, "setitimer", { valueMs: 100, intervalMs: 50 })).toMatchObject({ value: [0, 0] });
      host.advance(40);
      expect(call(pid, "getitimer")).toMatchObject({ value: [60, 50] });
      host.advance(60);
      expect(take(pid)).toBe(Signal.SIGALRM);
      host.advance(50);
      expect(take(pid)).toBe(Signal.SIGALRM);
      expect(call(pid, "setitimer", { valueMs: 0, intervalMs: 0 })).toMatchObject({ value: [50, 50] });
      host.advance(500);
      expect(take(pid)).toBe(0);
      expect(kernel.table.isAlive(pid)).toBe(true);
    });

    it("should end a process that has no SIGALRM handler when the alarm goes off (−14)", () => {
      const { host, spawn, call, exitCode } = setup();
      const pid = spawn(INIT_PID);
      call(pid, "setitimer", { valueMs: 1000, intervalMs: 0 });
      host.advance(1000);
      expect(exitCode(pid)).toBe(-14);
    });
  });
});
