import { describe, expect, it } from "vitest";
import { ProcessModel } from "./process-model";

const spawn = (pid: number, ppid: number, name = `P${pid}`, daemon = false) => ({ type: "spawn" as const, t: 0, pid, ppid, name, daemon });

describe("ProcessModel", () => {
  describe("apply", () => {
    it("should show a finished, not yet joined child as a zombie with its exit code", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1, "MainProcess"));
      m.adopt(2);
      m.apply(spawn(3, 2, "Process-1"));
      m.apply({ type: "exit", t: 1, pid: 3, exitCode: 0 });
      expect(m.snapshot().find((r) => r.pid === 3)).toMatchObject({ state: "zombie", exitCode: 0, orphan: false });
      m.apply({ type: "reap", t: 2, pid: 3, by: 2, exitCode: 0 });
      expect(m.snapshot().find((r) => r.pid === 3)?.state).toBe("exited");
    });

    it("should show a stopped process as stopped (T) until SIGCONT, whatever its call does meanwhile", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.adopt(2);
      m.apply({ type: "block", t: 1, pid: 2, on: "sleep", object: "time.sleep", timeoutMs: 1000 });
      m.apply({ type: "state", t: 2, pid: 2, state: "stopped" });
      expect(m.snapshot()[0]).toMatchObject({ state: "stopped" });
      expect(ProcessModel.describe(m.snapshot()[0])).toBe("stopped (T)");
      m.apply({ type: "unblock", t: 3, pid: 2, on: "sleep", reason: "timeout" });
      expect(m.snapshot()[0].state).toBe("stopped");
      m.apply({ type: "state", t: 4, pid: 2, state: "running" });
      expect(m.snapshot()[0].state).toBe("running");
      expect(m.isAlive(2)).toBe(true);
    });

    it("should mark a child re-parented to init as an orphan", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.adopt(2);
      m.apply(spawn(3, 2));
      m.apply({ type: "exit", t: 1, pid: 2, exitCode: -15 });
      m.apply({ type: "reparent", t: 1, pid: 3, from: 2, to: 1 });
      expect(m.snapshot().find((r) => r.pid === 3)).toMatchObject({ ppid: 1, orphan: true, state: "running" });
      expect(m.livePids()).toEqual([3]);
    });

    it("should say what a blocked process waits on, and call sleep sleeping", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.adopt(2);
      m.apply({ type: "block", t: 1, pid: 2, on: "queue", object: "Queue-1", timeoutMs: null });
      expect(ProcessModel.describe(m.snapshot()[0])).toBe("blocked on queue");
      m.apply({ type: "unblock", t: 2, pid: 2, on: "queue", reason: "ready" });
      m.apply({ type: "block", t: 3, pid: 2, on: "sleep", object: "", timeoutMs: 100 });
      expect(m.snapshot()[0].state).toBe("sleeping");
    });
  });

  describe("adopt", () => {
    it("should show only the processes of programs this editor started", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.apply(spawn(3, 2));
      m.apply(spawn(4, 1));
      expect(m.snapshot()).toEqual([]);
      m.adopt(2);
      expect(m.snapshot().map((r) => r.pid)).toEqual([2, 3]);
      m.apply(spawn(5, 3));
      expect(m.snapshot().map((r) => r.pid)).toEqual([2, 3, 5]);
    });
  });

  describe("rootOf", () => {
    it("should find the program a grandchild belongs to, even after it is orphaned", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.apply(spawn(3, 1));
      m.adopt(2);
      m.adopt(3);
      m.apply(spawn(4, 2));
      m.apply(spawn(5, 4));
      m.apply({ type: "reparent", t: 1, pid: 5, from: 4, to: 1 });
      expect(m.rootOf(5)).toBe(2);
      expect(m.rootOf(3)).toBe(3);
      expect(m.rootOf(99)).toBeNull();
    });
  });

  describe("clearFinished", () => {
    it("should drop exited processes and keep live ones", () => {
      const m = new ProcessModel();
      m.apply(spawn(2, 1));
      m.adopt(2);
      m.apply(spawn(3, 2));
      m.apply({ type: "exit", t: 1, pid: 3, exitCode: 0 });
      m.apply({ type: "reap", t: 1, pid: 3, by: 2, exitCode: 0 });
      m.clearFinished();
      expect(m.snapshot().map((r) => r.pid)).toEqual([2]);
    });
  });
});
