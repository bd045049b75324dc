import { describe, expect, it } from "vitest";
import { createKernel, formatDeadlock, INIT_PID, SEM_HOLDER, SETTLE_MS, Signal, type DeadlockReport, type KernelEvent } from "./index";
import { nameList } from "./deadlock-text";
import { TestHost } from "./test-host";

function setup() {
  const host = new TestHost();
  const { kernel } = createKernel(host, { heapBytes: 1 << 20 });
  const events: KernelEvent[] = [];
  kernel.events.on((e) => events.push(e));
  const words = new Int32Array(kernel.heap.buffer);
  const spawn = (ppid: number, name: string) => {
    const pid = kernel.spawn(ppid, name, false, { args: {}, bytes: null });
    kernel.markRunning(pid);
    return pid;
  };
  const call = (pid: number, name: string, args: Record<string, unknown> = {}) => {
    kernel.syscall(pid, name, args as never, null, true);
    return host.take(pid);
  };
  const lock = (pid: number): number => {
    const r = call(pid, "sem_create", { kind: 1, value: 1, maxvalue: 1 });
    if (!r?.ok) throw new Error("sem_create failed");
    return r.value as number;
  };
  /** What a worker's fast path does: CAS the value to 0 and store its pid as holder. */
  const take = (index: number, pid: number) => {
    words[index] = 0;
    words[index + SEM_HOLDER] = pid;
  };
  /** A worker-side wait, as the worker notes it (fire-and-forget). */
  const note = (pid: number, on: string, object: string, timeoutMs: number | null = null) =>
    kernel.syscall(pid, "note_block", { on, object, timeoutMs }, null, false);
  const unnote = (pid: number, on: string) => kernel.syscall(pid, "note_unblock", { on, reason: "ready" }, null, false);
  const deadlocks = () => events.filter((e): e is Extract<KernelEvent, { type: "deadlock" }> => e.type === "deadlock");
  const settle = () => host.advance(SETTLE_MS * 3);
  return { host, kernel, words, events, spawn, call, lock, take, note, unnote, deadlocks, settle };
}

/** The blog's ticket program, as the kernel sees it: buyer-1 took the lock and died; the others wait; main joins buyer-2. */
function ticket(buyers: number) {
  const k = setup();
  const main = k.spawn(INIT_PID, "MainProcess");
  const index = k.lock(main);
  const pids = Array.from({ length: buyers }, (_, i) => k.spawn(main, `buyer-${i + 1}`));
  k.take(index, pids[0]);
  k.kernel.exit(pids[0], 1);
  expect(k.call(main, "waitpid", { pid: pids[0], timeoutMs: null })).toMatchObject({ ok: true, value: 1 });
  for (const pid of pids.slice(1)) k.note(pid, "lock", `lock#${index}`);
  k.call(main, "waitpid", { pid: pids[1], timeoutMs: null });
  return { ...k, main, index, pids };
}

describe("deadlock detection", () => {
  it("names the buyers waiting for the lock a dead buyer holds, once, after the waits settle", () => {
    const k = ticket(10);
    k.host.advance(SETTLE_MS - 1);
    expect(k.deadlocks()).toHaveLength(0);
    k.settle();
    k.settle();
    expect(k.deadlocks()).toHaveLength(1);
    const report = k.deadlocks()[0].report;
    expect(k.deadlocks()[0].pid).toBe(k.main);
    expect(report.cycle).toEqual([]);
    expect(formatDeadlock(report)).toEqual([
      "deadlock: every process of this program is waiting, and nothing can wake any of them",
      "MainProcess waits for buyer-2 to end (join)",
      "buyer-2 … buyer-10 wait for Lock #1, held by buyer-1 (exited with code 1)",
    ]);
    expect(formatDeadlock(report, "zh")).toContain("buyer-2 … buyer-10 等待 Lock #1，持有者是 buyer-1（已退出，退出码 1）");
  });

  it("numbers a program's locks from 1 again when a later program gets the same pid (controlled runs restart pids at 2)", () => {
    const k = setup();
    const first = k.spawn(INIT_PID, "MainProcess");
    k.lock(first);
    k.lock(first);
    k.kernel.exit(first, 0);
    expect(k.kernel.table.restartPids()).toBe(true);
    const main = k.spawn(INIT_PID, "MainProcess");
    expect(main).toBe(first);
    const index = k.lock(main);
    const child = k.spawn(main, "buyer-1");
    k.take(index, main);
    k.note(child, "lock", `lock#${index}`);
    k.call(main, "waitpid", { pid: child, timeoutMs: null });
    expect(formatDeadlock(k.kernel.deadlocks.reportNow(main))).toContain("buyer-1 waits for Lock #1, held by MainProcess");
  });

  it("reports the ABBA cycle: each worker holds the lock the other waits for", () => {
    const k = setup();
    const main = k.spawn(INIT_PID, "MainProcess");
    const a = k.lock(main);
    const b = k.lock(main);
    const w1 = k.spawn(main, "worker-1");
    const w2 = k.spawn(main, "worker-2");
    k.take(a, w1);
    k.take(b, w2);
    k.note(w1, "lock", `lock#${b}`);
    k.note(w2, "lock", `lock#${a}`);
    k.call(main, "waitpid", { pid: w1, timeoutMs: null });
    k.settle();
    k.settle();
    const [ev] = k.deadlocks();
    expect(ev.report.cycle).toEqual([w1, w2]);
    const lines = formatDeadlock(ev.report);
    expect(lines[1]).toBe("cycle: worker-1 holds Lock #1, waits for Lock #2; worker-2 holds Lock #2, waits for Lock #1");
    expect(lines).toContain("worker-1 waits for Lock #2, held by worker-2");
    expect(formatDeadlock(ev.report, "zh")[1]).toBe("循环等待：worker-1 持有 Lock #1，等待 Lock #2；worker-2 持有 Lock #2，等待 Lock #1");
  });

  it("reports a join cycle through a queue nobody will put to", () => {
    const k = setup();
    const main = k.spawn(INIT_PID, "MainProcess");
    const q = k.call(main, "ring_create", { maxsize: 0 });
    const child = k.spawn(main, "consumer");
    k.note(child, "queue", `queue#${q?.ok ? String(q.value) : "?"}`);
    k.call(main, "waitpid", { pid: child, timeoutMs: null });
    k.settle();
    k.settle();
    expect(formatDeadlock(k.deadlocks()[0].report)).toContain("consumer waits for Queue #1");
  });

  const quiet: [string, (k: ReturnType<typeof ticket>) => void][] = [
    ["a wait with a timeout", (k) => k.note(k.pids[2], "lock", `lock#${k.index}`, 5000)],
    ["a process that sleeps (it will run again)", (k) => k.note(k.pids[2], "sleep", "time.sleep", 1000)],
    ["a blocked input() (the terminal can feed it)", (k) => k.note(k.pids[2], "input", "stdin")],
    ["a socket wait (another program can send)", (k) => k.note(k.pids[2], "socket", "socket#3")],
    ["a process still running", (k) => k.unnote(k.pids[2], "lock")],
    ["a stopped process (SIGCONT may come)", (k) => k.kernel.signal(k.pids[2], Signal.SIGSTOP, INIT_PID)],
    ["an armed itimer (SIGALRM will come)", (k) => k.call(k.pids[2], "setitimer", { valueMs: 60_000, intervalMs: 0 })],
    ["a lock released whose waiter has not woken yet", (k) => (k.words[k.index] = 1)],
  ];
  for (const [what, change] of quiet) {
    it(`stays quiet with ${what}`, () => {
      const k = ticket(4);
      change(k);
      k.settle();
      k.settle();
      expect(k.deadlocks()).toHaveLength(0);
    });
  }

  it("does not report a state that changed between the two scans", () => {
    const k = ticket(3);
    k.host.advance(SETTLE_MS);
    k.unnote(k.pids[2], "lock");
    k.note(k.pids[2], "lock", `lock#${k.index}`);
    k.host.advance(SETTLE_MS);
    expect(k.deadlocks()).toHaveLength(0);
    k.settle();
    expect(k.deadlocks()).toHaveLength(1);
  });

  it("does not report a queue wait whose ring moves (a backlog being fed in)", () => {
    const k = setup();
    const main = k.spawn(INIT_PID, "MainProcess");
    const q = k.call(main, "ring_create", { maxsize: 0 });
    const base = q?.ok ? (q.value as number) : 0;
    const child = k.spawn(main, "consumer");
    k.note(child, "queue", `queue#${base}`);
    k.call(main, "waitpid", { pid: child, timeoutMs: null });
    for (let i = 0; i < 5; i++) {
      k.host.advance(SETTLE_MS);
      k.words[base + 13] += 1; // PUTS: an item went in
    }
    expect(k.deadlocks()).toHaveLength(0);
  });

  it("judges each program alone: a busy program does not hide a deadlocked one", () => {
    const k = ticket(3);
    const other = k.spawn(INIT_PID, "busy");
    for (let i = 0; i < 6; i++) {
      k.note(other, "sleep", "time.sleep", 10);
      k.host.advance(SETTLE_MS / 2);
      k.unnote(other, "sleep");
    }
    expect(k.deadlocks()).toHaveLength(1);
    expect(k.deadlocks()[0].pid).toBe(k.main);
  });

  it("reports again after the program moved and deadlocked anew", () => {
    const k = ticket(3);
    k.settle();
    k.settle();
    k.unnote(k.pids[2], "lock");
    k.note(k.pids[2], "lock", `lock#${k.index}`);
    k.settle();
    k.settle();
    expect(k.deadlocks()).toHaveLength(2);
  });

  it("names an Event by the role its semaphore was created for", () => {
    const k = setup();
    const main = k.spawn(INIT_PID, "MainProcess");
    const r = k.call(main, "sem_create", { kind: 1, value: 0, maxvalue: 2147483647, role: "event" });
    const sem = r?.ok ? (r.value as number) : 0;
    k.note(main, "lock", `semaphore#${sem}`);
    k.settle();
    k.settle();
    expect(formatDeadlock(k.deadlocks()[0].report)[1]).toBe("MainProcess waits for Event #1");
  });

  it("formats name lists: numbered runs collapse, others are listed", () => {
    expect(nameList(["buyer-2", "buyer-3", "buyer-4"])).toBe("buyer-2 … buyer-4");
    expect(nameList(["a", "b", "c"])).toBe("a, b, c");
    expect(nameList(["w-1", "w-3", "w-4"])).toBe("w-1, w-3, w-4");
    const report: DeadlockReport = { program: 2, waits: [], processes: [], cycle: [] };
    expect(formatDeadlock(report)).toHaveLength(1);
  });
});
