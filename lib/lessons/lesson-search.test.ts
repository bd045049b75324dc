/**
 * The rules of lib/lessons/lesson-search.ts (the search of every block is a check in
 * `npm run bench`, bench/lesson-search.bench.ts: three minutes of a core): which blocks are searched, every block left out says why,
 * and what the verdict says of a run.
 */
import { describe, expect, it } from "vitest";
import path from "node:path";
import type { RunRecord } from "@/lib/kernel/sched/types";
import { blockVerdict, lessonBlocks, searchable } from "./lesson-search";

const blocks = lessonBlocks(path.resolve(__dirname, "../../content"));

const record = (output: string, failure: RunRecord["failure"] = null): RunRecord => ({ decisions: [], steps: [], output, exits: [], failure, token: "AQA" });

describe("lesson blocks under schedule search", () => {
  it("searches most blocks and gives every block it leaves out a reason", () => {
    const unexplained = blocks.filter(({ block }) => block.noSearch !== null && block.noSearch.trim().length < 10).map(({ name }) => name);
    expect(unexplained).toEqual([]);
    expect(blocks.filter(({ block }) => searchable(block)).length).toBeGreaterThan(50);
    expect(blocks.find(({ block }) => block.id === "plain-race")?.block.race).toBe("oversold");
  });

  it("fails a schedule whose output or deadlock differs from the lesson's", () => {
    const pids = blocks.find(({ block }) => block.id === "pids")!.block;
    const verdict = blockVerdict(pids);
    expect(verdict(record("before start, p.pid is None\nparent: pid=2\nparent: started child 3\nchild:  pid=3 parent=2\n"))).toBeNull();
    expect(verdict(record("before start, p.pid is None\nparent: pid=2\nchild:  pid=3 parent=2\nparent: started child 3\n"))).toBeNull(); // unordered
    expect(verdict(record("before start, p.pid is None\n"))).toMatch(/never printed|missing/);
    const deadlock = { kind: "deadlock", report: { program: 2, waits: [], processes: [], cycle: [] } } as const;
    expect(verdict(record("", deadlock))).not.toBeNull();
    const phil = blocks.find(({ block }) => block.deadlock !== null)!.block;
    expect(blockVerdict(phil)(record(phil.expected ?? ""))).toMatch(/deadlocks/);
  });
});
