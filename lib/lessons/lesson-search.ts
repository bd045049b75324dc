/**
 * Every lesson block's output must hold under every schedule, not only the one a single run
 * happened to take: schedule search (lib/sched-search) runs each block under the default
 * schedule and PCT's random ones, and a schedule fails when its output does not match the
 * lesson's (placeholders and `unordered` as in the lesson-block test), when it deadlocks
 * though the lesson says nothing of a deadlock, or the other way round.
 *
 * Runs are `timed`: time passes only when no process can move. A lesson arranges its output
 * with sleeps ("the child sleeps 1 s, the parent prints first"), which holds on a real
 * machine but not on one that may stall a process for seconds; what search checks here is
 * that nothing else decides the output, i.e. no two things that happen at the same moment
 * race. Blocks that measure real time, or have too many points for a small budget, say so
 * with `nosearch="REASON"`; blocks that race on purpose (`race=`, which the lesson has search
 * break) and server blocks (companions, timeouts) are checked by one run only.
 *
 * `npm test` runs this through scripts/check-lesson-search.ts, its own Node process, which
 * prints a line per block; the rules are unit-tested in vitest.
 */
import fs from "node:fs";
import path from "node:path";
import type { RunRecord } from "@/lib/kernel/sched/types";
import { explore, type ControlledHost } from "@/lib/sched-search/explore";
import { describeFailure } from "@/lib/sched-search/text";
import { extractRunnableBlocks, type RunnableBlock } from "./blocks";
import { compareOutput } from "./output";

/** Every runnable block of the English lessons (the Chinese ones are the same programs), named `NN-slug/en.mdx:LINE (id)`. */
export function lessonBlocks(contentDir: string): { name: string; block: RunnableBlock }[] {
  return fs
    .readdirSync(contentDir)
    .filter((d) => /^\d{2}-/.test(d) && fs.existsSync(path.join(contentDir, d, "en.mdx")))
    .sort()
    .flatMap((dir) => extractRunnableBlocks(fs.readFileSync(path.join(contentDir, dir, "en.mdx"), "utf8"), `content/${dir}/en.mdx`).map((block) => ({ name: `${dir}/en.mdx:${block.line} (${block.id})`, block })));
}

/** Schedules per block: the default one and five of PCT's. */
export const SCHEDULES = 6;

export function searchable(b: RunnableBlock): boolean {
  return b.expected !== null && !b.needsNetwork && b.companions.length === 0 && b.timeout === null && b.diverges === null && b.noSearch === null && b.race === null;
}

/** What the lesson says of a run, as search's verdict: null when this schedule agrees. */
export function blockVerdict(block: RunnableBlock): (r: RunRecord) => string | null {
  return (r) => {
    const deadlocked = r.failure?.kind === "deadlock";
    if (block.deadlock !== null && !deadlocked) return "the lesson says this program deadlocks, and in this schedule it did not";
    if (block.deadlock === null && deadlocked && r.failure) return describeFailure(r.failure);
    const cmp = compareOutput(block.expected ?? "", r.output, { unordered: block.unordered });
    return cmp.ok ? null : `${cmp.mismatch.reason} at line ${cmp.mismatch.line}: expected ${JSON.stringify(cmp.mismatch.expected)}, got ${JSON.stringify(cmp.mismatch.actual)}`;
  };
}

/** Searches one block: "" when no schedule broke it, else what broke, with the token to replay. */
export async function searchBlock(host: ControlledHost, block: RunnableBlock): Promise<string> {
  const r = await explore(host, { files: block.files, entry: block.entry }, { maxSchedules: SCHEDULES, timeLimitMs: 90_000, timed: true, verdict: blockVerdict(block) });
  const f = r.found;
  if (f) return `schedule ${f.index} of ${r.explored} (${f.strategy}): ${describeFailure(f.failure)}\nreplay: npm run -s py -- --schedule=${f.record.token} ${block.entry}\n--- its output ---\n${f.record.output}`;
  if (r.truncated > 0) return "a schedule ran out of steps";
  return "";
}
