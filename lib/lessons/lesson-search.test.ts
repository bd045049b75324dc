/**
 * Every lesson block's output must hold under every schedule, not only the one a single run
 * happened to take: schedule search (lib/sched-search) runs each block under the default
 * schedule and PCT's random ones, and a schedule fails when its output does not match the
 * lesson's (placeholders and `unordered` as in lesson-blocks.test.ts), when it deadlocks
 * though the lesson says nothing of a deadlock, or the other way round.
 *
 * Runs are `timed`: time passes only when no process can move. A lesson arranges its output
 * with sleeps ("the child sleeps 1 s, the parent prints first"), which holds on a real
 * machine but not on one that may stall a process for seconds; what search checks here is
 * that nothing else decides the output, i.e. no two things that happen at the same moment
 * race. Blocks that measure real time, or have too many points for a small budget, say so
 * with `nosearch="REASON"`; server blocks (companions, timeouts) run in lesson-blocks only.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { RunRecord } from "@/lib/kernel/sched/types";
import type { Machine } from "@/lib/runtime";
import { createNodeMachine } from "@/lib/runtime/node";
import { explore, machineHost } from "@/lib/sched-search/explore";
import { describeFailure } from "@/lib/sched-search/text";
import { compareOutput, extractRunnableBlocks, type RunnableBlock } from "./index";

/** Schedules per block: the default one and five of PCT's. */
const SCHEDULES = 6;

const contentDir = path.resolve(__dirname, "../../content");
const blocks = readdirSync(contentDir)
  .filter((d) => /^\d{2}-/.test(d) && existsSync(path.join(contentDir, d, "en.mdx")))
  .sort()
  .flatMap((dir) => extractRunnableBlocks(readFileSync(path.join(contentDir, dir, "en.mdx"), "utf8"), `content/${dir}/en.mdx`).map((block) => ({ name: `${dir}/en.mdx:${block.line} (${block.id})`, block })));

const searchable = (b: RunnableBlock) => b.expected !== null && !b.needsNetwork && b.companions.length === 0 && b.timeout === null && b.diverges === null && b.noSearch === null;

/** What the lesson says of a run, as search's verdict: null when this schedule agrees. */
function blockVerdict(block: RunnableBlock): (r: RunRecord) => string | null {
  return (r) => {
    const deadlocked = r.failure?.kind === "deadlock";
    if (block.deadlock !== null && !deadlocked) return "the lesson says this program deadlocks, and in this schedule it did not";
    if (block.deadlock === null && deadlocked) return describeFailure(r.failure as NonNullable<RunRecord["failure"]>);
    const cmp = compareOutput(block.expected ?? "", r.output, { unordered: block.unordered });
    return cmp.ok ? null : `${cmp.mismatch.reason} at line ${cmp.mismatch.line}: expected ${JSON.stringify(cmp.mismatch.expected)}, got ${JSON.stringify(cmp.mismatch.actual)}`;
  };
}

describe("lesson blocks under schedule search", () => {
  it("gives every block it leaves out a reason", () => {
    const unexplained = blocks.filter(({ block }) => block.noSearch !== null && block.noSearch.trim().length < 10).map(({ name }) => name);
    expect(unexplained).toEqual([]);
    expect(blocks.filter(({ block }) => searchable(block)).length).toBeGreaterThan(50);
  });

  let machine: Machine;
  beforeAll(async () => {
    machine = createNodeMachine({ poolSize: 2 });
    await machine.warm();
  });
  afterAll(() => machine?.dispose());

  it("finds lesson 11's race hidden by a sleep when the clock may run on (as the Step button's search does), and nothing in its fix", { timeout: 180_000 }, async () => {
    const byId = (id: string) => blocks.find(({ block }) => block.id === id)?.block;
    const race = byId("sleep-race");
    const fixed = byId("sleep-race-fixed");
    if (!race || !fixed) throw new Error("lesson 11 lost its sleep-race blocks");
    const found = await explore(machineHost(machine), { files: race.files, entry: race.entry }, { maxSchedules: 30 });
    expect(found.found && describeFailure(found.found.failure)).toContain("AssertionError: the child had not put its item yet");
    const clean = await explore(machineHost(machine), { files: fixed.files, entry: fixed.entry }, { maxSchedules: 30 });
    expect(clean.found).toBeNull();
  });

  it.each(blocks.filter(({ block }) => searchable(block)))("$name prints what the lesson says in every schedule tried", { timeout: 180_000 }, async ({ block }) => {
    const r = await explore(machineHost(machine), { files: block.files, entry: block.entry }, { maxSchedules: SCHEDULES, timeLimitMs: 90_000, timed: true, verdict: blockVerdict(block) });
    const f = r.found;
    const shown = f ? `schedule ${f.index} of ${r.explored} (${f.strategy}): ${describeFailure(f.failure)}\nreplay: npm run -s py -- --schedule=${f.record.token} ${block.entry}\n--- its output ---\n${f.record.output}` : "";
    expect(shown).toBe("");
    expect(r.truncated, "a schedule ran out of steps").toBe(0);
  });
});
