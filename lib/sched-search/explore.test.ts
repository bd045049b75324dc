/**
 * Schedule search on real Python programs (the Node host's controlled runs): the ticket
 * oversell and the lock-order deadlock are found, and their tokens replay the failure; DPOR
 * and the plain bounded search agree on the racy programs, DPOR in fewer schedules; the
 * locked ticket office and a producer/consumer pass; the CLI's --explore prints and exits as
 * documented. Every schedule boots fresh interpreters, so budgets are small and timeouts allow
 * a loaded machine; the full bound-2 search of the locked office is in the bench.
 */
import { spawnSync } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeToken, replayToken } from "@/lib/runtime/controlled";
import { programFiles, PROGRAMS, sharedMachine } from "@/lib/runtime/testing/programs";
import { parseExploreFlags } from "@/scripts/explore";
import { explore, machineHost, type ExploreOptions } from "./explore";
import type { SearchResult } from "./search";
import { summarize } from "./text";

const machine = sharedMachine();
const second = sharedMachine();
const program = (name: string) => ({ files: programFiles(name), entry: name });
const T = 900_000;
const ROOT = path.resolve(__dirname, "..", "..");

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "scripts", "py.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: T });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("schedule search on Python programs (Node host)", () => {
  it("finds the ticket oversell with no lock, and its token replays the same failure", { timeout: T }, async () => {
    const res = await explore(machineHost(machine()), program("sched_tickets.py"), { maxSchedules: 40 });
    expect(res.outcome).toBe("failed");
    const f = res.found!;
    expect(f.failure.kind).toBe("exception");
    expect(f.failure.kind === "exception" && f.failure.text).toMatch(/AssertionError: oversold: [23] tickets sold/);
    // The default schedule (an unloaded machine) sells once: the failing one left it somewhere.
    expect(f.divergedAt).toBe(Math.min(...decodeToken(f.record.token).deviations.keys()));
    const again = await replayToken(machine(), program("sched_tickets.py"), f.record.token);
    expect(again.failure).toEqual(f.failure);
    expect(again.output).toBe(f.record.output);
  });

  it("finds the lock-order deadlock", { timeout: T }, async () => {
    const res = await explore(machineHost(machine()), program("sched_deadlock.py"), { maxSchedules: 40 });
    expect(res.found?.failure.kind).toBe("deadlock");
    expect(summarize(res)).toMatch(/^Schedule \d+ failed/);
  });

  it("DPOR and the plain bounded search, with no PCT first, find the same oversell, race and deadlock, DPOR in fewer schedules in all", { timeout: T }, async () => {
    let dporRuns = 0;
    let dfsRuns = 0;
    for (const name of ["sched_tickets.py", "sched_deadlock.py", "sched_sleep_race.py"]) {
      const dfs = await explore(machineHost(machine()), program(name), { maxSchedules: 60, pctRuns: 0, exhaustive: "dfs" });
      const dpor = await explore(machineHost(machine()), program(name), { maxSchedules: 60, pctRuns: 0 });
      expect(dfs.found?.strategy, name).toBe("dfs");
      expect(dpor.found?.strategy, name).toBe("dpor");
      expect(dpor.found?.failure.kind, name).toBe(dfs.found?.failure.kind);
      expect(dpor.explored, name).toBeLessThanOrEqual(dfs.explored);
      dporRuns += dpor.explored;
      dfsRuns += dfs.explored;
    }
    expect(dporRuns).toBeLessThan(dfsRuns);
  });

  it("passes the locked ticket office and a correct producer/consumer within a small budget", { timeout: T }, async () => {
    for (const name of ["sched_tickets_locked.py", "sched_prodcons.py"]) {
      const res = await explore(machineHost(machine()), program(name), { maxSchedules: 6, pctRuns: 1 });
      expect(res.found, name).toBeNull();
      expect(res).toMatchObject({ outcome: "schedules", explored: 6 });
      expect(res.distinct).toBeGreaterThan(1);
    }
  });

  it("finds the lost update of a counter file with no lock, and none with flock in the whole bounded search", { timeout: T }, async () => {
    const racy = await explore(machineHost(machine()), program("sched_counter_file.py"), { maxSchedules: 40, pctRuns: 0 });
    expect(racy.found?.failure.kind === "exception" && racy.found.failure.text).toMatch(/AssertionError: lost update: the counter is 1/);
    const locked = await explore(machineHost(machine()), program("sched_counter_flock.py"), { maxSchedules: 200, pctRuns: 0 });
    expect(locked.found).toBeNull();
    expect(locked.outcome).toBe("exhausted");
  });

  it("on two machines at once, reports what one machine does: the same failing schedule, counts and verdicts", { timeout: T }, async () => {
    const one = machineHost(machine());
    const two = [machineHost(machine()), machineHost(second())];
    const runs: [string, ExploreOptions][] = [
      ["sched_tickets.py", { maxSchedules: 40 }],
      ["sched_tickets.py", { maxSchedules: 40, pctRuns: 0 }],
      ["sched_deadlock.py", { maxSchedules: 40, pctRuns: 1 }],
      ["sched_tickets_locked.py", { maxSchedules: 14, pctRuns: 1 }],
    ];
    const gist = (r: SearchResult) => ({ ...r, elapsedMs: 0, analysisMs: 0, found: r.found && { ...r.found, record: { token: r.found.record.token, output: r.found.record.output, failure: r.found.record.failure } } });
    for (const [name, options] of runs) {
      const a = await explore(one, program(name), options);
      const b = await explore(two, program(name), options);
      expect(gist(b), name).toEqual(gist(a));
    }
  });

  it("cuts a schedule that never reaches a point at the time limit", { timeout: T }, async () => {
    const spin = { files: { "spin.py": "while True:\n    pass\n" }, entry: "spin.py" };
    const res = await explore(machineHost(machine()), spin, { timeLimitMs: 3000 });
    expect(res).toMatchObject({ outcome: "time", explored: 1, truncated: 1, found: null });
    expect(summarize(res)).toMatch(/ 1 of them did not run to their end \(stopped at the step or time limit\): checked only as far as they ran\. None ran to its end: a process that loops without reaching a scheduling point/);
    expect(summarize(res, "zh")).toContain("其中 1 个调度没有运行到结束");
  });

  it("CLI: --explore prints the failing schedule and exits 1, or explored N schedules and exits 0", { timeout: T }, () => {
    const bad = cli("--explore", "--max-schedules", "40", path.join(PROGRAMS, "sched_tickets.py"));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^schedule: [A-Za-z0-9_-]+\nfailed: process 0 raised an uncaught exception: AssertionError: oversold/);
    const token = /^schedule: (\S+)/.exec(bad.stdout)![1];
    const replay = cli(`--schedule=${token}`, path.join(PROGRAMS, "sched_tickets.py"));
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain("AssertionError: oversold");
    // What the failing schedule printed comes with it: here a SyntaxError, found by its first schedule.
    const broken = cli("--explore", path.join(PROGRAMS, "syntax_error.py"));
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^schedule: \S+\nfailed: process 0 exited with code 1\n$/);
    expect(broken.stderr).toContain("SyntaxError:");
    const good = cli("--explore", "--max-schedules=2", path.join(PROGRAMS, "sched_prodcons.py"));
    expect(good.code).toBe(0);
    expect(good.stdout).toBe("explored 2 schedules, no failure\n");
  });

  it("CLI: --machines N sets how many machines search at once; by default one per two cores, 1 to 4", () => {
    expect(parseExploreFlags(["--explore", "--machines", "3", "f.py"])).toEqual({ flags: expect.objectContaining({ machines: 3 }), rest: ["f.py"] });
    expect(parseExploreFlags(["--explore", "--machines=1", "f.py"]).flags?.machines).toBe(1);
    expect(parseExploreFlags(["--explore", "f.py"]).flags?.machines).toBe(Math.max(1, Math.min(4, Math.floor(os.availableParallelism() / 2))));
    expect(() => parseExploreFlags(["--explore", "--machines", "0", "f.py"])).toThrow("--machines takes a positive number");
  });

  it("CLI: --timed keeps the order sleeps impose: a race hidden by a sleep is found without it, not with it", { timeout: T }, () => {
    const file = path.join(PROGRAMS, "sched_sleep_race.py");
    const stalled = cli("--explore", "--max-schedules", "20", file);
    expect(stalled.code).toBe(1);
    expect(stalled.stdout).toContain("AssertionError: the child had not put its item yet");
    const timed = cli("--explore", "--timed", "--max-schedules", "20", file);
    expect(timed.code).toBe(0);
    expect(timed.stdout).toMatch(/^explored \d+ schedules, no failure\n$/);
  });
});
