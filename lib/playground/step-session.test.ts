import { describe, expect, it } from "vitest";
import type { Choice, ControlledOptions, PendingOp, Policy, RunRecord, Step } from "@/lib/kernel/sched/types";
import { decodeToken, deviations, encodeToken } from "@/lib/kernel/sched/policy";
import { fromSteps, modelOf } from "@/lib/scheduler";
import { StepSession, type ControlledRun, type StartControlled } from "./step-session";

/**
 * A toy controlled program for the model's logic: each process is a list of ops it does in
 * order, one per step; "sleep" ops block with a deadline until the clock is advanced. It
 * follows the runner's contract (policy asked only when there is a choice, forced advances
 * recorded, onStep after every decision), so the session sees what the real runner gives it.
 */
function toyRunner(programs: string[][], log: string[] = []): StartControlled & { started: number } {
  const fn = ((policy: Policy, opts: ControlledOptions): ControlledRun => {
    fn.started++;
    let stopped = false;
    let onStop = () => {};
    const stopping = new Promise<"stop">((r) => (onStop = () => r("stop")));
    const at = programs.map(() => 0);
    const wake = programs.map(() => 0);
    let clock = 0;
    let current: number | null = null;
    const steps: Step[] = [];
    const output: string[] = [];
    const done = (async (): Promise<RunRecord> => {
      for (let step = 0; ; step++) {
        const live = programs.map((p, i) => i).filter((i) => at[i] < programs[i].length);
        if (live.length === 0) break;
        const op = (i: number): PendingOp => ({ proc: i, pid: 100 + i, op: programs[i][at[i]], obj: programs[i][at[i]] === "sleep" ? "clock" : "stdout", access: "write", where: { file: "main.py", line: at[i] + 1 } });
        const enabled = live.filter((i) => wake[i] <= clock).map(op);
        const blocked = live.filter((i) => wake[i] > clock).map((i) => ({ ...op(i), op: "sleep", obj: "clock", deadline: wake[i] }));
        const choice: Choice = { step, enabled, blocked, canAdvance: blocked.length > 0, clock, current };
        const decision = enabled.length === 0 ? "advance" : await Promise.race([policy.choose(choice), stopping]);
        if (stopped || decision === "stop") break;
        steps.push({ choice, decision });
        opts.onStep?.({ choice, decision });
        if (decision === "advance") {
          clock = Math.min(...blocked.map((b) => b.deadline));
          current = null;
          continue;
        }
        current = decision;
        const what = programs[decision][at[decision]++];
        if (what === "sleep") wake[decision] = clock + 10;
        else output.push(`${decision}:${what}`);
        log.push(`${decision}:${what}`);
      }
      return { decisions: steps.map((s) => s.decision), steps, output: output.join("\n"), exits: programs.map((_, i) => ({ proc: i, pid: 100 + i, code: 0 })), failure: null, token: encodeToken(opts.seed ?? 0, deviations(steps)) };
    })();
    return {
      done,
      stop: () => {
        stopped = true;
        onStop();
      },
    };
  }) as StartControlled & { started: number };
  fn.started = 0;
  return fn;
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe("StepSession", () => {
  it("should wait for the reader's choice and run the chosen process", async () => {
    const log: string[] = [];
    const s = new StepSession(toyRunner([["a1", "a2"], ["b1"]], log));
    s.start();
    await settle();
    expect(s.snapshot().phase).toBe("choosing");
    expect(s.snapshot().lanes.map((l) => [l.pid, l.state])).toEqual([[100, "ready"], [101, "ready"]]);
    expect(s.pick(1)).toBe(true);
    await settle();
    expect(log).toEqual(["1:b1"]);
    expect(s.snapshot().lanes.map((l) => l.state)).toEqual(["ready", "exited"]);
    expect(s.snapshot().lanes[0].where).toEqual({ file: "main.py", line: 1 });
    s.pick(0);
    await settle();
    s.pick(0);
    await settle();
    expect(log).toEqual(["1:b1", "0:a1", "0:a2"]);
    expect(s.snapshot().phase).toBe("finished");
    expect(s.snapshot().record?.output).toBe("1:b1\n0:a1\n0:a2");
  });

  it("should refuse a process that cannot move", async () => {
    const s = new StepSession(toyRunner([["sleep", "a"], ["b"]]));
    s.start();
    await settle();
    s.pick(0);
    await settle();
    expect(s.snapshot().lanes[0].state).toBe("sleeping");
    expect(s.pick(0)).toBe(false);
    expect(s.snapshot().choice?.canAdvance).toBe(true);
    expect(s.pick("advance")).toBe(true);
    await settle();
    expect(s.snapshot().lanes[0].state).toBe("ready");
    expect(s.snapshot().clock).toBe(10);
  });

  it("should go back exactly by replaying the prefix on a fresh run", async () => {
    const log: string[] = [];
    const run = toyRunner([["a1", "a2"], ["b1", "b2"]], log);
    const s = new StepSession(run);
    s.start();
    await settle();
    s.pick(1);
    await settle();
    s.pick(0);
    await settle();
    const before = s.snapshot().steps.length;
    s.back();
    await settle();
    expect(run.started).toBe(2);
    expect(s.snapshot().phase).toBe("choosing");
    expect(s.snapshot().steps.length).toBe(before - 1);
    expect(s.snapshot().steps.map((x) => x.decision)).toEqual([1]);
    expect(log).toEqual(["1:b1", "0:a1", "1:b1"]);
    s.pick(1);
    await settle();
    expect(log.at(-1)).toBe("1:b2");
  });

  it("should run to the next shared operation, skipping line points", async () => {
    const log: string[] = [];
    const s = new StepSession(toyRunner([["line", "line", "put"], ["get"]], log));
    s.start();
    await settle();
    s.runToShared();
    await settle();
    expect(log).toEqual(["0:line", "0:line"]);
    expect(s.snapshot().phase).toBe("choosing");
    expect(s.snapshot().choice?.enabled.find((o) => o.proc === 0)?.op).toBe("put");
  });

  it("should finish with seeded random choices", async () => {
    const s = new StepSession(toyRunner([["a", "a", "a"], ["b", "b"], ["c"]]));
    s.start();
    await settle();
    s.finishRandom(7);
    for (let i = 0; i < 20 && s.snapshot().phase !== "finished"; i++) await settle();
    expect(s.snapshot().phase).toBe("finished");
    expect(s.snapshot().steps.length).toBe(6);
  });

  it("should load a shared token without running, then replay it to the same step", async () => {
    const log: string[] = [];
    const run = toyRunner([["a1", "a2"], ["b1", "b2"]], log);
    const first = new StepSession(run);
    first.start();
    await settle();
    for (const d of [1, 0, 1]) {
      first.pick(d);
      await settle();
    }
    const { token, steps } = first.snapshot();
    expect(decodeToken(token).deviations.size).toBeGreaterThan(0);
    first.dispose();

    const shared = new StepSession(run);
    shared.load(token, steps.length);
    expect(run.started).toBe(1);
    expect(shared.snapshot()).toMatchObject({ phase: "idle", pending: 3 });
    log.length = 0;
    shared.start();
    await settle();
    expect(log).toEqual(["1:b1", "0:a1", "1:b2"]);
    expect(shared.snapshot().phase).toBe("choosing");
    expect(shared.snapshot().steps.map((x) => x.decision)).toEqual([1, 0, 1]);
  });

  it("should draw the steps on the scheduler trace, one frame per step plus the choice", async () => {
    const s = new StepSession(toyRunner([["a1"], ["b1", "b2"]]));
    s.start();
    await settle();
    s.pick(1);
    await settle();
    const { steps, choice } = s.snapshot();
    const model = modelOf(fromSteps(steps, choice, (pid) => ({ name: `p${pid}`, ppid: pid === 100 ? 1 : 100 })));
    expect(model.last).toBe(2);
    const at1 = model.snapshots[1].processes.map((p) => [p.pid, p.state]);
    expect(at1).toEqual([[1, "blocked"], [100, "ready"], [101, "running"]]);
    expect(model.snapshots[1].caption).toMatchObject({ key: "step-run", params: { pid: 101, op: "b1" } });
    expect(model.snapshots[2].caption.key).toBe("step-choose");
  });
});

describe("StepSession output and names", () => {
  it("should keep only the run's own processes' output and names", async () => {
    const s = new StepSession(toyRunner([["a"], ["b"]]));
    s.noteProcess(100, "MainProcess", 1);
    expect(s.snapshot().names.size).toBe(0);
    s.start();
    await settle();
    s.noteProcess(100, "MainProcess", 1);
    s.noteProcess(101, "Process-1", 100);
    s.noteProcess(300, "elsewhere", 299);
    s.appendOutput({ pid: 101, fd: 1, text: "hi\n" });
    s.appendOutput({ pid: 300, fd: 1, text: "not ours\n" });
    expect([...s.snapshot().names.keys()]).toEqual([100, 101]);
    expect(s.snapshot().output.map((c) => c.text)).toEqual(["hi\n"]);
    s.pick(1);
    await settle();
    s.back();
    expect(s.snapshot().output).toEqual([]);
  });
});

describe("StepSession with a failure found by search", () => {
  it("should replay to the divergence, show the failing schedule's next move, and follow it to the end", async () => {
    const log: string[] = [];
    const s = new StepSession(toyRunner([["a1", "a2"], ["b1", "b2"]], log));
    // The failing schedule: default (a1), then b1 at step 1, then the default again (b2, a2).
    s.loadFailure(encodeToken(0, new Map([[1, 1]])), 1);
    expect(s.snapshot()).toMatchObject({ phase: "idle", pending: 1, failing: { divergedAt: 1 } });
    s.start();
    await settle();
    expect(log).toEqual(["0:a1"]);
    expect(s.snapshot().failing).toEqual({ divergedAt: 1, next: 1 });
    s.followFailure();
    for (let i = 0; i < 10 && s.snapshot().phase !== "finished"; i++) await settle();
    expect(log).toEqual(["0:a1", "1:b1", "1:b2", "0:a2"]);
  });

  it("should free the machine before a search runs", async () => {
    const run = toyRunner([["a"]]);
    const s = new StepSession(run);
    s.start();
    await settle();
    await s.idle();
    expect(s.snapshot().phase).toBe("idle");
  });

  it("should end another example's step run when a second one starts, so the machine runs one controlled program at a time", async () => {
    const first = new StepSession(toyRunner([["a1", "a2"], ["b1"]]));
    const second = new StepSession(toyRunner([["x1"], ["y1"]]));
    first.start();
    await settle();
    expect(first.snapshot().phase).toBe("choosing");
    second.start();
    for (let i = 0; i < 5; i++) await settle();
    expect(first.snapshot().phase).toBe("idle");
    expect(second.snapshot().phase).toBe("choosing");
    first.dispose();
    second.dispose();
  });
});
