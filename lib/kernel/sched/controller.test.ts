import { describe, expect, it } from "vitest";
import { Controller, type End, type Grant } from "./controller";
import { decodeToken, defaultPolicy, deviations, encodeToken, randomPolicy, replayPolicy, ScheduleError } from "./policy";
import type { Choice, Decision, Policy } from "./types";

function setup(policy: Policy = defaultPolicy, maxSteps = 1000, timed = false) {
  const grants: { pid: number; g: Grant }[] = [];
  const ends: End[] = [];
  const blocks: string[] = [];
  const c = new Controller(
    {
      grant: (pid, g) => grants.push({ pid, g }),
      blocked: (pid, on, label) => blocks.push(`${pid} ${on} ${label}`),
      unblocked: (pid, _on, reason) => blocks.push(`${pid} ${reason}`),
      deadlockReport: () => ({ program: 2, waits: [], processes: [], cycle: [] }),
      end: (e) => ends.push(e),
    },
    policy,
    maxSteps,
    undefined,
    timed,
  );
  const pt = (pid: number, op: string, obj: string, access: "read" | "write" = "write") => c.point(pid, { op, obj, access }, null);
  const blk = (pid: number, op: string, obj: string, deadline: number | null = null) => c.point(pid, { op, obj, access: "write" }, { deadline, on: "lock", label: obj });
  const last = () => grants[grants.length - 1];
  return { c, grants, ends, blocks, pt, blk, last };
}

describe("Controller", () => {
  it("grants nothing while any process still runs, then one turn at a time", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.pt(2, "queue.put", "queue:1");
    expect(t.grants).toHaveLength(0); // pid 3 is still booting
    t.pt(3, "queue.get", "queue:1");
    // The default policy keeps the current process: it may take up to MAX_KEEP points on its own.
    expect(t.grants).toEqual([{ pid: 2, g: { clock: 0, proc: 0, timedOut: false, keep: 256 } }]);
    t.pt(2, "write", "stdout"); // the current process keeps running under the default policy
    expect(t.grants.map((g) => g.pid)).toEqual([2, 2]);
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
    expect(t.c.steps[1].choice.current).toBe(0);
  });

  it("runs an armed timer (alarm) on the virtual clock: no deadlock while one is armed, and it fires at its deadline when nothing else can move", async () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.pt(2, "start", "pid:2", "read");
    t.pt(3, "start", "pid:3", "read");
    expect(t.last().pid).toBe(2);
    const fired: number[] = [];
    // pid 2 arms a 2 s alarm, pid 3 one at 5 s (cancelled before it is due); both then block for good.
    t.c.timer(2, 2000, () => {
      fired.push(t.c.clock);
      t.c.signalled(2); // the kernel's SIGALRM to a process with a handler (Kernel.onInterrupt)
    });
    t.blk(2, "lock.acquire", "lock:1");
    expect(t.last().pid).toBe(3);
    const cancel = t.c.timer(3, 5000, () => fired.push(-1));
    t.blk(3, "event.wait", "event:1");
    expect(t.ends).toEqual([]);
    const advance = t.c.steps.at(-1)!;
    expect(advance.decision).toBe("advance");
    expect(advance.choice.timers).toEqual([
      { proc: 0, deadline: 2000 },
      { proc: 1, deadline: 5000 },
    ]);
    expect(fired).toEqual([2000]);
    await Promise.resolve(); // the next choice waits for the kernel's word of an exit the signal caused
    expect(t.last().pid).toBe(2);
    expect(t.last().g.clock).toBe(2000);
    cancel();
    t.blk(2, "lock.acquire", "lock:1"); // its handler returned: waits again
    expect(t.ends.map((e) => e.kind)).toEqual(["deadlock"]);
    expect(fired).toEqual([2000]);
  });

  it("gives a timer whose process computes without a point as much real time instead (a busy loop until the alarm), the clock unchanged", () => {
    const timers: { ms: number; fn: () => void; live: boolean }[] = [];
    const grants: number[] = [];
    const c = new Controller(
      {
        grant: (pid) => grants.push(pid),
        blocked: () => {},
        unblocked: () => {},
        deadlockReport: () => ({ program: 2, waits: [], processes: [], cycle: [] }),
        end: () => {},
        setTimer: (ms, fn) => {
          const tm = { ms, fn, live: true };
          timers.push(tm);
          return () => (tm.live = false);
        },
      },
      defaultPolicy,
    );
    c.spawned(2);
    c.point(2, { op: "start", obj: "pid:2", access: "read" }, null);
    expect(grants).toEqual([2]);
    const fired: number[] = [];
    c.timer(2, 1000, () => fired.push(c.clock));
    expect(timers.map((x) => [x.ms, x.live])).toEqual([[1000, true]]);
    timers[0].fn(); // a second of real time, still running
    expect(fired).toEqual([0]);
    c.timer(2, 300, () => fired.push(-1));
    // It reaches a point: that backstop is cancelled, and its next turn arms a new one.
    c.point(2, { op: "write", obj: "stdout", access: "write" }, null);
    expect(timers.map((x) => [x.ms, x.live])).toEqual([
      [1000, true],
      [300, false],
      [300, true],
    ]);
  });

  it("wakes a blocked op when another process's granted op writes its object, not when an attempt there fails", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.c.spawned(4);
    t.blk(3, "lock.acquire", "lock:8");
    t.blk(4, "lock.acquire", "lock:8");
    t.pt(2, "lock.acquire", "lock:8"); // granted: proc 0 is the only one enabled
    expect(t.last().pid).toBe(2);
    t.blk(2, "lock.acquire", "lock:8"); // its attempt failed: no wake for the others
    expect(t.ends).toEqual([{ kind: "deadlock", report: { program: 2, waits: [], processes: [], cycle: [] } }]);
  });

  it("wakes what an exit released (a file lock): the holder's exit point names only itself", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "flock", "flock:/home/user/x.lock");
    t.pt(2, "kill", "pid:4", "read");
    expect(t.last().pid).toBe(2);
    t.c.released(["flock:/home/user/x.lock"]);
    expect(t.blocks).toEqual(["3 lock flock:/home/user/x.lock", "3 ready"]);
    t.pt(2, "exit", "pid:2");
    expect(t.c.steps.at(-1)?.choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
  });

  it("stops offering to advance the clock past a process that has waited 2 s of virtual time able to go on (a polling loop cannot starve it)", () => {
    // A policy that advances whenever it may, and never picks process 1 while process 0 can go.
    const greedy: Policy = { choose: (c: Choice): Decision => (c.canAdvance ? "advance" : (c.enabled.find((o) => o.proc === 0)?.proc ?? c.enabled[0].proc)) };
    const t = setup(greedy, 10_000);
    t.c.spawned(2);
    t.c.spawned(3);
    t.pt(3, "queue.put", "queue:9"); // the child could go on from here
    for (let i = 0; i < 1000 && t.last()?.pid !== 3; i++) t.blk(2, "sleep", "sleep:2", (i + 1) * 10); // the parent sleeps 10 ms, again and again
    expect(t.last().pid).toBe(3);
    const clock = t.c.steps.at(-1)!.choice.clock;
    expect(clock).toBeGreaterThanOrEqual(2000);
    expect(clock).toBeLessThan(2100);
    // Before that, the clock advanced past it: a stall long enough to find a race hidden behind a sleep.
    expect(t.c.steps.filter((s) => s.decision === "advance" && s.choice.enabled.length > 0).length).toBeGreaterThan(150);
  });

  it("a signal wakes a blocked process (the wait is interrupted), not an enabled one", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "sleep", "sleep:3", 30_000);
    t.pt(2, "kill", "pid:3", "read");
    expect(t.last().pid).toBe(2);
    t.c.signalled(3);
    t.c.signalled(2); // running, not blocked: nothing to wake
    t.pt(2, "join", "pid:3", "read");
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
    expect(t.c.steps[1].choice.canAdvance).toBe(false);
    expect(t.blocks).toEqual(["3 lock sleep:3", "3 interrupted"]);
  });

  it("a process that changed the kernel outside a point wakes those waiting in the kernel at its next point", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "kernel", "kernel");
    t.pt(2, "clock", "clock", "read");
    t.c.kernelWrite(2); // e.g. a kernel pipe's send, during its turn
    t.pt(2, "write", "stdout");
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
    expect(t.blocks).toEqual(["3 lock kernel", "3 ready"]);
  });

  it("timed: the clock advances only when nothing else can move", () => {
    for (const timed of [false, true]) {
      const t = setup(defaultPolicy, 1000, timed);
      t.c.spawned(2);
      t.c.spawned(3);
      t.blk(3, "sleep", "sleep:3", 500);
      t.pt(2, "write", "stdout");
      expect(t.c.steps[0].choice.canAdvance).toBe(!timed);
      t.blk(2, "sleep", "sleep:2", 1000);
      expect(t.c.steps[1]).toMatchObject({ decision: "advance", choice: { canAdvance: true } });
    }
  });

  it("a release wakes the waiters, which retry", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "lock.acquire", "lock:8");
    t.pt(2, "lock.release", "lock:8");
    expect(t.last().pid).toBe(2);
    t.pt(2, "write", "stdout"); // the release is done: proc 1 is enabled again
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
    expect(t.blocks).toEqual(["3 lock lock:8", "3 ready"]);
  });

  it("reads do not wake", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "event.wait", "event:1");
    t.pt(2, "event.is_set", "event:1", "read");
    t.pt(2, "write", "stdout");
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0]);
  });

  it("advances the virtual clock only when forced under the default policy, and times the wait out", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.blk(3, "sleep", "sleep", 30_000);
    t.pt(2, "clock", "clock", "read");
    expect(t.c.steps[0].choice.canAdvance).toBe(true);
    expect(t.last().pid).toBe(2);
    t.blk(2, "lock.acquire", "lock:1", 5_000);
    // nothing enabled: forced advance to 5 s, proc 0's timeout fires
    expect(t.c.steps[1].decision).toBe("advance");
    expect(t.last()).toEqual({ pid: 2, g: { clock: 5000, proc: 0, timedOut: true, keep: 256 } });
    t.c.exited(2);
    expect(t.last()).toEqual({ pid: 3, g: { clock: 30_000, proc: 1, timedOut: true, keep: 256 } });
    t.c.exited(3);
    expect(t.ends).toEqual([{ kind: "exit" }]);
    expect(t.c.steps.map((s) => s.decision)).toEqual([0, "advance", 0, "advance", 1]);
  });

  it("an exit wakes the processes joining it", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.c.point(2, { op: "join", obj: "pid:3", access: "read" }, { deadline: null, on: "join", label: "pid 3" });
    t.pt(3, "exit", "pid:3");
    expect(t.last().pid).toBe(3);
    t.c.exited(3);
    expect(t.last()).toEqual({ pid: 2, g: { clock: 0, proc: 0, timedOut: false, keep: 256 } });
    expect(t.c.steps[0].choice.blocked[0].obj).toBe("proc:1");
  });

  it("wakes a call the kernel would have parked on any write elsewhere, and on an exit", () => {
    const t = setup();
    t.c.spawned(2);
    t.c.spawned(3);
    t.c.point(3, { op: "kernel", obj: "kernel", access: "write" }, { deadline: null, on: "socket", label: "socket fd 3" });
    t.pt(2, "write", "stdout");
    expect(t.c.steps[0].choice.enabled.map((o) => o.proc)).toEqual([0]);
    t.pt(2, "queue.put", "queue:9"); // the write to stdout is done: the accept may try again
    expect(t.c.steps[1].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
  });

  it("makes the points a process took on its own the same steps as asking, and grants none of them", () => {
    const run = (batched: boolean) => {
      const t = setup();
      t.c.spawned(2);
      t.c.spawned(3);
      t.blk(3, "lock.acquire", "lock:1");
      t.pt(2, "lock.acquire", "lock:1");
      const ops = ["lock.release", "lock.acquire", "write"].map((op, i) => ({ op: { op, obj: i === 2 ? "stdout" : "lock:1", access: "write" as const }, wakes: [] }));
      if (batched) t.c.points(2, ops);
      else for (const o of ops) t.c.point(2, o.op, null);
      return { steps: t.c.steps, grants: t.grants.length, ends: t.ends };
    };
    const asked = run(false);
    const taken = run(true);
    expect(taken.steps).toEqual(asked.steps);
    expect(taken.steps.map((s) => s.decision)).toEqual([0, 0, 0, 0]);
    // The release woke pid 3 at the second step: it is enabled from then on.
    expect(taken.steps[2].choice.enabled.map((o) => o.proc)).toEqual([0, 1]);
    expect({ asked: asked.grants, taken: taken.grants }).toEqual({ asked: 4, taken: 1 });
    expect(taken.ends).toEqual([]);
  });

  it("ends the run in error when the policy chooses another process at a point taken on its own", () => {
    const t = setup({ choose: (c: Choice) => (c.step === 0 ? 0 : 1), keeps: () => 5 });
    t.c.spawned(2);
    t.c.spawned(3);
    t.pt(3, "write", "x");
    t.pt(2, "write", "y");
    t.c.points(2, [{ op: { op: "write", obj: "y", access: "write" }, wakes: [] }]);
    expect(t.ends).toEqual([{ kind: "error", message: "the policy took back the turn it gave at step 1" }]);
  });

  it("gives no points of its own for a process's first point, nor past the step limit", () => {
    const t = setup(defaultPolicy, 6);
    t.c.spawned(2);
    t.pt(2, "start", "pid:2", "read");
    expect(t.last().g.keep).toBe(0);
    t.pt(2, "write", "x");
    expect(t.last().g.keep).toBe(4);
    t.c.points(2, [0, 1, 2, 3].map(() => ({ op: { op: "write", obj: "x", access: "write" as const }, wakes: [] })));
    expect(t.ends).toEqual([]);
    t.pt(2, "write", "x");
    expect(t.ends).toEqual([{ kind: "limit" }]);
    expect(t.c.steps).toHaveLength(6);
  });

  it("asks an async policy and waits for it", async () => {
    let answer: (d: Decision) => void = () => {};
    const seen: Choice[] = [];
    const t = setup({
      choose: (ch) => {
        seen.push(ch);
        return new Promise<Decision>((r) => (answer = r));
      },
    });
    t.c.spawned(2);
    t.c.spawned(3);
    t.pt(2, "a", "x");
    t.pt(3, "b", "y");
    expect(seen).toHaveLength(1);
    expect(t.grants).toHaveLength(0);
    answer(1);
    await Promise.resolve();
    expect(t.last().pid).toBe(3);
  });

  it("refuses a decision that is not on offer, and stops at the step limit", () => {
    const bad = setup({ choose: () => 5 });
    bad.c.spawned(2);
    bad.pt(2, "a", "x");
    expect(bad.ends[0]).toMatchObject({ kind: "error", message: expect.stringMatching(/does not fit/) });
    const lim = setup(defaultPolicy, 2);
    lim.c.spawned(2);
    lim.pt(2, "a", "x");
    lim.pt(2, "a", "x");
    lim.pt(2, "a", "x");
    expect(lim.ends).toEqual([{ kind: "limit" }]);
  });
});

describe("schedule tokens", () => {
  it("round-trip the seed and the deviations, URL-safe", () => {
    const devs = new Map<number, Decision>([[0, 2], [7, "advance"], [300, 0], [100_000, 31]]);
    const token = encodeToken(123456, devs);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = decodeToken(token);
    expect(back.seed).toBe(123456);
    expect([...back.deviations]).toEqual([...devs]);
    expect(encodeToken(0, new Map())).toBe("AQA");
  });

  it("say clearly what is wrong with a bad token", () => {
    expect(() => decodeToken("!!")).toThrow(ScheduleError);
    expect(() => decodeToken(encodeToken(1, new Map()).replace(/^A/, "B"))).toThrow(/version/);
    const p = replayPolicy(new Map([[0, 3]]));
    const ch: Choice = { step: 0, enabled: [{ proc: 0, pid: 2, op: "a", obj: "x", access: "write" }], blocked: [], canAdvance: false, clock: 0, current: null };
    expect(() => p.choose(ch)).toThrow(/does not fit this program/);
  });

  it("records only deviations from the default policy", () => {
    const en = (procs: number[]) => procs.map((proc) => ({ proc, pid: proc + 2, op: "a", obj: "x", access: "write" as const }));
    const steps = [
      { choice: { step: 0, enabled: en([0, 1]), blocked: [], canAdvance: false, clock: 0, current: null }, decision: 0 as Decision },
      { choice: { step: 1, enabled: en([0, 1]), blocked: [], canAdvance: false, clock: 0, current: 0 }, decision: 1 as Decision },
    ];
    expect([...deviations(steps)]).toEqual([[1, 1]]);
    const r = randomPolicy(7);
    const picks = Array.from({ length: 20 }, () => r.choose(steps[0].choice));
    expect(new Set(picks).size).toBe(2);
  });
});
