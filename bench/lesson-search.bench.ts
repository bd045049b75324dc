/**
 * Every lesson block under schedule search (lib/lessons/lesson-search.ts), and lesson 11's race
 * hidden by a sleep: search without `timed` breaks it, and nothing breaks its fix. A check, not
 * a speed: it keeps a core busy for about three minutes, so it runs here rather than in
 * `npm test` (whose lesson-search.test.ts checks the rules: which blocks are searched, the
 * verdict). Prints a line per block on stderr and one row: the blocks that failed (target 0).
 *
 *   npm run bench -- lesson-search
 */
import path from "node:path";
import type { RunnableBlock } from "@/lib/lessons/blocks";
import { lessonBlocks, searchable, searchBlock } from "@/lib/lessons/lesson-search";
import { createNodeMachine } from "@/lib/runtime/node";
import { explore, machineHost } from "@/lib/sched-search/explore";
import { describeFailure } from "@/lib/sched-search/text";
import { report, runBench } from "./report";

const root = path.resolve(__dirname, "..");

async function main(): Promise<void> {
  const t0 = performance.now();
  const blocks = lessonBlocks(path.join(root, "content"));
  const machine = createNodeMachine({ poolSize: 2 });
  await machine.warm();
  const host = machineHost(machine);
  let passed = 0;
  let failed = 0;
  const check = (name: string, problem: string): void => {
    if (problem === "") passed++;
    else failed++;
    console.error(`${problem === "" ? "✓" : "✗"} ${name}${problem === "" ? "" : `\n${problem}`}`);
  };
  try {
    for (const { name, block } of blocks.filter((b) => searchable(b.block))) check(`${name} prints what the lesson says in every schedule tried`, await searchBlock(host, block));

    const byId = (id: string): RunnableBlock | undefined => blocks.find((b) => b.block.id === id)?.block;
    const race = byId("sleep-race");
    const fixed = byId("sleep-race-fixed");
    if (!race || !fixed) check("lesson 11's sleep-race blocks", "lesson 11 lost its sleep-race blocks");
    else {
      const found = await explore(host, { files: race.files, entry: race.entry }, { maxSchedules: 30 });
      const what = found.found ? describeFailure(found.found.failure) : "";
      check("lesson 11's race hidden by a sleep is found when the clock may run on", what.includes("AssertionError: the child had not put its item yet") ? "" : `search found ${what || "nothing"}`);
      const clean = await explore(host, { files: fixed.files, entry: fixed.entry }, { maxSchedules: 30 });
      check("lesson 11's fix of that race: nothing breaks it", clean.found ? describeFailure(clean.found.failure) : "");
    }
  } finally {
    machine.dispose();
  }
  const seconds = (performance.now() - t0) / 1000;
  report({ metric: `lesson blocks under schedule search that break: ${failed} of ${passed + failed} checks (${seconds.toFixed(0)} s)`, ours: failed, cpython: null, target: "0", ok: failed === 0 });
}

runBench(main);
