/**
 * Every runnable block and exercise of every lesson, run through the Node host (lib/runtime on
 * Pyodide, the same kernel as the browser) and compared with the lesson's output block: the
 * suite that lesson-blocks.test.ts runs with shared memory and lesson-blocks.relay.test.ts runs
 * in relay mode (no SharedArrayBuffer, as compatibility mode in a browser). Two files, so that
 * vitest runs the two modes side by side on two cores. The browser runs the same cases and
 * verdicts (lesson-files.ts, judge.ts) on its page runtime: /dev/lessons.
 *
 * One Machine is reused for all blocks to keep the suite fast. Blocks that need the loopback
 * network (lesson 13) say so in their failure message.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeMachine } from "@/lib/runtime/node";
import type { Machine } from "@/lib/runtime";
import type { RunnableBlock } from "./index";
import { lessonBlockCases } from "./lesson-files";
import { BLOCK_TRIES, judgeBlock, judgeDivergence, judgeSolution } from "./judge";
import { portOf } from "@/lib/runtime/port";
import { runProgram } from "./run";
import { checkExercise, type ProgramRunner } from "./exercise";
import { exerciseSearcher } from "./exercise-search";
import { machineHost } from "@/lib/sched-search/explore";
import { EXERCISES } from "./exercises";

/** Registers the block and exercise tests on one Node machine (`relay`: without shared memory). */
export function describeLessonBlocks(title: string, relay: boolean): void {
  describe(title, () => {
    let machine: Machine;
    beforeAll(async () => {
      machine = createNodeMachine({ relay });
      await machine.warm();
    });
    afterAll(() => machine?.dispose());

    const cases = lessonBlockCases();

    const runBlock = async (block: RunnableBlock) => {
      const result = await runProgram(
        portOf(machine),
        { files: block.files, entry: block.entry, companions: block.companions },
        { timeoutMs: (block.timeout ?? 30) * 1000 },
      );
      machine.stopAll();
      return result;
    };

    // Some blocks arrange what they show with timing, as a lesson must to show a race on every
    // Run (a Barrier, then a sleep between read and write). On a loaded machine (vitest runs two
    // files at a time) a run can miss that timing, as CPython's can: one of BLOCK_TRIES runs must match.
    it.each(cases.filter((c) => c.block.diverges === null))("$name should print what the lesson says", { timeout: 90_000, retry: BLOCK_TRIES - 1 }, async ({ block }) => {
      expect(judgeBlock(block, await runBlock(block)) ?? "").toBe("");
    });

    it.each(cases.filter((c) => c.block.diverges !== null))("$name still differs from CPython on this runtime ($block.diverges)", async ({ block }) => {
      expect(judgeDivergence(block, await runBlock(block)) ?? "").toBe("");
    }, 90_000);

    const runner: ProgramRunner = async (program, { timeoutMs }) => {
      const r = await runProgram(portOf(machine), program, { timeoutMs });
      machine.stopAll();
      return r;
    };

    // Exercises about a race are also checked by schedule search on the same machine.
    const options = () => ({ searcher: exerciseSearcher(machineHost(machine)) });

    // What a reader sees in relay mode is that a right answer passes; whether the checks reject
    // starters and wrong answers does not depend on the runtime's mode, so that is checked once,
    // with shared memory.
    if (relay) {
      it.each(EXERCISES.map((e) => ({ id: e.id, spec: e })))("exercise $id should accept its solution", async ({ spec }) => {
        expect(judgeSolution(await checkExercise(spec, spec.solution, runner, undefined, options())) ?? "").toBe("");
      }, 120_000);
      return;
    }

    it.each(EXERCISES.map((e) => ({ id: e.id, spec: e })))("exercise $id should accept its solution and reject its starter", async ({ spec }) => {
      expect(judgeSolution(await checkExercise(spec, spec.solution, runner, undefined, options())) ?? "").toBe("");
      // A starter only has to fail; cap its runs so hanging starters don't slow the suite.
      const bad = await checkExercise({ ...spec, runs: 1, timeoutMs: Math.min(spec.timeoutMs ?? 10_000, 5_000) }, spec.starter, runner, undefined, options());
      expect(bad.passed, "the starter code should not pass").toBe(false);
    }, 120_000);

    const wrongAnswers = EXERCISES.flatMap((e) => (e.wrong ?? []).map((w) => ({ id: e.id, why: w.why, spec: e, files: w.files })));
    it.each(wrongAnswers)("exercise $id should reject $why", async ({ spec, files }) => {
      const report = await checkExercise(spec, files, runner, undefined, options());
      expect(report.passed, `this wrong answer passed:\n${Object.values(files).join("\n---\n")}`).toBe(false);
    }, 120_000);
  });
}
