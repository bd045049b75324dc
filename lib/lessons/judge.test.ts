/**
 * The one verdict on a lesson block's run (judge.ts), which the Node suites and the browser's
 * /dev/lessons share: each rule it applies rejects a run that breaks it.
 */
import { describe, expect, it } from "vitest";
import type { DeadlockReport } from "@/lib/kernel";
import type { RunnableBlock } from "./blocks";
import { judgeBlock, judgeDivergence, judgeSolution } from "./judge";
import type { RunResult } from "./run";

const block = (over: Partial<RunnableBlock> = {}): RunnableBlock => ({
  line: 1,
  id: "b",
  files: { "main.py": "" },
  entry: "main.py",
  expected: "hello {pid}\n",
  unordered: false,
  expectError: false,
  needsNetwork: false,
  timeout: null,
  companions: [],
  diverges: null,
  deadlock: null,
  noSearch: null,
  race: null,
  ...over,
});

const run = (over: Partial<RunResult> = {}): RunResult => ({
  output: "hello 12\n",
  exitCode: 0,
  timedOut: false,
  companionOutput: {},
  deadlock: null,
  files: {},
  events: [],
  ...over,
});

const deadlock: DeadlockReport = { program: 2, waits: [], processes: [], cycle: [] };

describe("judgeBlock", () => {
  it("should accept the lesson's output with exit 0", () => {
    expect(judgeBlock(block(), run())).toBeNull();
  });

  it("should reject other output, and show what was printed, companions included", () => {
    const why = judgeBlock(block(), run({ output: "bye 12\n", companionOutput: { "client.py": "client got HI\n" } }));
    expect(why).toContain('expected "hello {pid}"');
    expect(why).toContain("bye 12");
    expect(why).toContain("client.py's output ---\nclient got HI");
  });

  it("should reject a non-zero exit, unless the lesson says the program fails", () => {
    expect(judgeBlock(block(), run({ exitCode: 1 }))).toMatch(/^should exit 0/);
    expect(judgeBlock(block({ expectError: true }), run({ exitCode: 1 }))).toBeNull();
    expect(judgeBlock(block({ expectError: true }), run())).toMatch(/^should fail/);
  });

  it("should want the deadlock diagnosis exactly where the lesson shows one", () => {
    // A block that deadlocks is stopped, so it has a time limit and no exit code to check.
    const hangs = (deadlock: string) => block({ deadlock, timeout: 30 });
    expect(judgeBlock(hangs(""), run({ exitCode: null }))).toMatch(/^no deadlock diagnosis/);
    expect(judgeBlock(hangs(""), run({ exitCode: null, deadlock }))).toBeNull();
    expect(judgeBlock(hangs("no such words"), run({ exitCode: null, deadlock }))).toMatch(/does not say "no such words"/);
    expect(judgeBlock(block(), run({ deadlock }))).toMatch(/^unexpected deadlock/);
  });

  it("should let a block that races on purpose show its race", () => {
    expect(judgeBlock(block({ race: "lost" }), run({ output: "lost the race\n" }))).toBeNull();
    expect(judgeBlock(block({ race: "lost" }), run({ output: "something else\n" }))).not.toBeNull();
  });
});

describe("judgeDivergence and judgeSolution", () => {
  it("should pass a diverges= block only while its output still differs", () => {
    expect(judgeDivergence(block({ diverges: "why" }), run({ output: "other\n" }))).toBeNull();
    expect(judgeDivergence(block({ diverges: "why" }), run())).toMatch(/remove diverges=/);
  });

  it("should reject a solution the check rejected, with its message and output", () => {
    expect(judgeSolution({ passed: true, runs: 1 })).toBeNull();
    expect(judgeSolution({ passed: false, message: { en: "too slow", zh: "太慢" }, runIndex: 0, output: "out\n" })).toBe("solution rejected: too slow\nout\n");
  });
});
