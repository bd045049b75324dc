import { describe, expect, it } from "vitest";
import { createKernel, Signal, type KernelEvent, type KernelHost } from "@/lib/kernel";
import { formatCaption } from "./captions";
import { fromKernelEvents } from "./from-kernel";
import { modelOf } from "./model";
import type { Snapshot } from "./types";

/**
 * A real kernel with a host that starts no workers: the test plays the workers' part by
 * making the syscalls a Python process would make, and records the real event stream.
 */
function recordingKernel() {
  let clock = 1000;
  const host: KernelHost = {
    now: () => (clock += 5),
    setTimer: () => () => {},
    startProcess: () => {},
    endProcess: () => {},
    reply: () => {},
    interrupt: () => true,
    takeInterrupt: () => 0,
  };
  const { kernel } = createKernel(host);
  const events: KernelEvent[] = [];
  kernel.events.on((e) => events.push(e));
  const start = { args: {}, bytes: null };
  return { kernel, events, start };
}

const stateOf = (snap: Snapshot | undefined, pid: number) => snap?.processes.find((p) => p.pid === pid);

describe("fromKernelEvents", () => {
  it("should replay start, join and exit of a real run, ending with everything reaped", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    const child = kernel.spawn(main, "Process-1", false, start);
    kernel.markRunning(child);
    kernel.syscall(main, "waitpid", { pid: child }, null, true);
    kernel.exit(child, 0);
    kernel.exit(main, 0);

    const m = modelOf(fromKernelEvents(events));
    const keys = m.snapshots.map((s) => s.caption.key);
    expect(keys[0]).toBe("replay-start");
    expect(keys).toContain("join-block");
    const blocked = m.snapshots.find((s) => s.caption.key === "join-block");
    expect(stateOf(blocked, main)).toMatchObject({ state: "blocked", blockedOn: { type: "join", pid: child } });
    const reaped = m.snapshots.find((s) => s.caption.key === "join-reap");
    expect(stateOf(reaped, child)?.state).toBe("reaped");
    expect(reaped?.caption.params).toMatchObject({ name: "MainProcess", child: "Process-1" });
    const end = m.snapshots[m.last];
    expect(end?.caption.key).toBe("end");
    expect(stateOf(end, main)).toMatchObject({ state: "reaped", exitCode: 0 });
    expect(stateOf(end, 1)?.name).toBe("init");
  });

  it("should show a process stopped by SIGSTOP as stopped until SIGCONT, with the signal's name", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    kernel.signal(main, Signal.SIGSTOP, 1);
    kernel.signal(main, Signal.SIGCONT, 1);
    kernel.exit(main, 0);

    const m = modelOf(fromKernelEvents(events));
    const stop = m.snapshots.findIndex((s) => s.caption.key === "signal" && s.caption.params.signal === "SIGSTOP");
    expect(stop).toBeGreaterThan(0);
    const stopped = m.snapshots.slice(stop).find((s) => stateOf(s, main)?.state === "stopped");
    expect(stopped).toBeDefined();
    const cont = m.snapshots.findIndex((s) => s.caption.key === "signal" && s.caption.params.signal === "SIGCONT");
    expect(stateOf(m.snapshots[cont + 1], main)?.state).toBe("running");
  });

  it("should show init adopting the orphan of a killed parent and reaping it", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    const child = kernel.spawn(main, "Process-1", false, start);
    kernel.markRunning(child);
    kernel.signal(main, Signal.SIGKILL, 1);
    kernel.exit(child, 0);

    const m = modelOf(fromKernelEvents(events));
    const killed = m.snapshots.findIndex((s) => s.caption.key === "killed-external");
    expect(stateOf(m.snapshots[killed], main)).toMatchObject({ state: "zombie", exitCode: -9 });
    const orphaned = m.snapshots.find((s) => s.caption.key === "orphaned");
    expect(stateOf(orphaned, child)).toMatchObject({ ppid: 1, originalPpid: main, state: "running" });
    const reapers = events.flatMap((e) => (e.type === "reap" ? [[e.pid, e.by]] : []));
    expect(reapers).toEqual([
      [main, 1],
      [child, 1],
    ]);
    expect(stateOf(m.snapshots[m.last], child)?.state).toBe("reaped");
  });

  it("should show a zombie whose parent dies being reaped by init at once", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    const child = kernel.spawn(main, "Process-1", false, start);
    kernel.markRunning(child);
    kernel.exit(child, 3);
    kernel.signal(main, Signal.SIGTERM, 1);

    const m = modelOf(fromKernelEvents(events));
    const busy = m.snapshots.find((s) => s.caption.key === "exit-zombie-parent-busy");
    expect(stateOf(busy, child)).toMatchObject({ state: "zombie", exitCode: 3 });
    const keys = m.snapshots.map((s) => s.caption.key);
    expect(keys).toContain("zombie-adopted");
    // The kernel reaps the dead parent and the adopted zombie in the same call, after the adoption.
    const adopted = keys.indexOf("zombie-adopted");
    const atOnce = keys.indexOf("init-reaps-at-once");
    expect(atOnce).toBeGreaterThan(adopted);
    expect(stateOf(m.snapshots[atOnce], child)).toMatchObject({ state: "reaped", ppid: 1 });
    expect(stateOf(m.snapshots[adopted - 1], child)?.ppid).toBe(main);
  });

  it("should show terminate() by the parent and sleeping from a worker's own note", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    const child = kernel.spawn(main, "Process-1", false, start);
    kernel.markRunning(child);
    kernel.syscall(child, "note_block", { on: "sleep", object: "", timeoutMs: 2000 }, null, false);
    kernel.syscall(main, "kill", { pid: child, signal: Signal.SIGTERM }, null, true);

    const m = modelOf(fromKernelEvents(events));
    const sleeping = m.snapshots.find((s) => s.caption.key === "sleep");
    expect(stateOf(sleeping, child)?.state).toBe("sleeping");
    const term = m.snapshots.find((s) => s.caption.key === "terminate");
    expect(term?.caption.params).toMatchObject({ by: "MainProcess", name: "Process-1", signal: "SIGTERM" });
    expect(stateOf(term, child)).toMatchObject({ state: "zombie", exitCode: -15 });
    expect(formatCaption(term?.caption ?? { key: "end", params: {} }, "en")).toContain("terminate()");
  });

  it("should give every frame a caption with no placeholder left in both languages", () => {
    const { kernel, events, start } = recordingKernel();
    const main = kernel.spawn(1, "MainProcess", false, start);
    kernel.markRunning(main);
    kernel.rename(main, "Main");
    const d = kernel.spawn(main, "Process-1", true, start);
    kernel.markRunning(d);
    kernel.syscall(d, "note_block", { on: "lock", object: "Lock#1", timeoutMs: null }, null, false);
    kernel.syscall(d, "note_unblock", { on: "lock", reason: "ready" }, null, false);
    kernel.signal(d, Signal.SIGTERM, main);
    kernel.syscall(main, "waitpid", { pid: d }, null, true);
    kernel.exit(main, 1);
    for (const f of fromKernelEvents(events).frames) {
      for (const lang of ["en", "zh"] as const) expect(formatCaption(f.caption, lang)).not.toMatch(/\{\w+\}/);
    }
  });

  it("should make a one-frame trace with only init from an empty stream", () => {
    const t = fromKernelEvents([]);
    expect(t.frames).toHaveLength(1);
    expect(modelOf(t).snapshots[0]?.processes.map((p) => p.pid)).toEqual([1]);
  });

  it("should add a process it never saw spawned instead of failing", () => {
    const t = fromKernelEvents([{ type: "exit", t: 5, pid: 7, exitCode: 0 }]);
    expect(stateOf(modelOf(t).snapshots[0], 7)).toMatchObject({ state: "zombie", ppid: 1 });
  });
});
