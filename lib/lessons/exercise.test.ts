import { describe, expect, it } from "vitest";
import { checkExercise, finishes, noTraceback, outputMatches, runCheck, sourceExcludes, type ExerciseSpec, type ProgramRunner } from "./exercise";
import type { RunResult } from "./run";
import { EXERCISES, getExercise } from "./exercises";

const result = (output: string, extra: Partial<RunResult> = {}): RunResult => ({ output, exitCode: 0, timedOut: false, companionOutput: {}, deadlock: null, events: [], files: {}, ...extra });

const spec = (over: Partial<ExerciseSpec>): ExerciseSpec => ({
  id: "t",
  lesson: "t",
  entry: "main.py",
  starter: { "main.py": "" },
  solution: { "main.py": "" },
  hints: [],
  checks: [],
  ...over,
});

describe("checkExercise", () => {
  it("should run the attempt `runs` times and pass when every run passes", async () => {
    let calls = 0;
    const runner: ProgramRunner = async () => {
      calls++;
      return result("ok\n");
    };
    const report = await checkExercise(spec({ runs: 3, checks: [outputMatches("ok")] }), { "main.py": "x" }, runner);
    expect(report).toEqual({ passed: true, runs: 3 });
    expect(calls).toBe(3);
  });

  it("should stop at the first failing run and say which run it was", async () => {
    const outputs = ["sold 2\n", "sold 5\n", "sold 2\n"];
    let i = 0;
    const runner: ProgramRunner = async () => result(outputs[i++]);
    const check = runCheck((run, { runIndex }) => (run.output.includes("5") ? { en: `run ${runIndex + 1} oversold`, zh: "超卖" } : null));
    const report = await checkExercise(spec({ runs: 3, checks: [check] }), {}, runner);
    expect(report).toMatchObject({ passed: false, runIndex: 1, message: { en: "run 2 oversold" }, output: "sold 5\n" });
    expect(i).toBe(2);
  });

  it("should fail source checks without running anything", async () => {
    const runner: ProgramRunner = async () => {
      throw new Error("must not run");
    };
    const report = await checkExercise(spec({ checks: [sourceExcludes(/\.join\(/, { en: "no join", zh: "不许 join" })] }), { "main.py": "p.join()\n" }, runner);
    expect(report).toMatchObject({ passed: false, runIndex: null, message: { en: "no join" } });
  });

  it("should ignore a forbidden pattern inside a comment", async () => {
    const report = await checkExercise(spec({ checks: [sourceExcludes(/\.join\(/, { en: "no join", zh: "x" })] }), { "main.py": "# p.join() is not allowed\n" }, async () => result(""));
    expect(report.passed).toBe(true);
  });

  it("should pass the spec's entry, files and timeout to the runner", async () => {
    let seen: unknown = null;
    await checkExercise(spec({ entry: "office.py", timeoutMs: 1234 }), { "office.py": "code" }, async (program, options) => {
      seen = { program, options };
      return result("");
    });
    expect(seen).toEqual({ program: { files: { "office.py": "code" }, entry: "office.py", companions: undefined }, options: { timeoutMs: 1234 } });
  });
});

describe("check builders", () => {
  it("finishes should fail a run that timed out", () => {
    expect(finishes().test(result("", { timedOut: true }), { files: {}, inputs: {}, runIndex: 0 })).not.toBeNull();
    expect(finishes().test(result(""), { files: {}, inputs: {}, runIndex: 0 })).toBeNull();
  });

  it("noTraceback should quote the exception line", () => {
    const msg = noTraceback().test(result("Traceback (most recent call last):\n  File x\nValueError: boom\n"), { files: {}, inputs: {}, runIndex: 0 });
    expect(msg?.en).toContain("ValueError: boom");
  });

  it("outputMatches should explain a missing line in both languages", () => {
    const msg = outputMatches("a\nb").test(result("a\n"), { files: {}, inputs: {}, runIndex: 0 });
    expect(msg?.en).toContain('"b"');
    expect(msg?.zh).toContain('"b"');
  });
});

describe("EXERCISES", () => {
  it("should have unique ids, hints in both languages, and a solution that differs from the starter", () => {
    expect(new Set(EXERCISES.map((e) => e.id)).size).toBe(EXERCISES.length);
    for (const e of EXERCISES) {
      expect(getExercise(e.id)).toBe(e);
      expect(e.hints.length).toBeGreaterThan(0);
      for (const h of e.hints) expect(h.en && h.zh).toBeTruthy();
      expect(e.solution).not.toEqual(e.starter);
      expect(Object.keys(e.starter)).toContain(e.entry);
    }
  });

  it("should list at least two wrong answers per exercise, one of them a hard-coded printout (lesson-blocks.test.ts runs them)", () => {
    for (const e of EXERCISES) {
      expect((e.wrong ?? []).length, e.id).toBeGreaterThanOrEqual(2);
      expect(e.wrong?.some((w) => w.why.startsWith("a hard-coded printout")), e.id).toBe(true);
    }
  });
});
