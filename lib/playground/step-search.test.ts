import { describe, expect, it } from "vitest";
import type { SearchResult } from "@/lib/sched-search/search";
import { ScheduleSearch } from "./step-search";

const RESULT: SearchResult = { outcome: "exhausted", explored: 12, distinct: 7, random: 0, elapsedMs: 40, bound: 2, truncated: 0, redundant: 5, analysisMs: 0, found: null };

describe("ScheduleSearch", () => {
  it("should report progress, then the result", async () => {
    const search = new ScheduleSearch();
    const seen: string[] = [];
    search.subscribe(() => seen.push(search.snapshot().phase));
    const result = await search.start(async (onProgress) => {
      onProgress({ explored: 3, distinct: 2, strategy: "pct", elapsedMs: 5 });
      expect(search.snapshot()).toMatchObject({ phase: "searching", progress: { explored: 3 } });
      return RESULT;
    });
    expect(result).toBe(RESULT);
    expect(search.snapshot()).toEqual({ phase: "done", result: RESULT });
    expect(seen).toEqual(["searching", "searching", "done"]);
  });

  it("should ask the search to stop between schedules, and say why it could not run", async () => {
    const search = new ScheduleSearch();
    let asked = false;
    const pending = search.start(async (_, shouldStop) => {
      await new Promise((r) => setTimeout(r, 5));
      asked = shouldStop();
      return { ...RESULT, outcome: "stopped" };
    });
    search.stop();
    await pending;
    expect(asked).toBe(true);
    await search.start(() => Promise.reject(new Error("a controlled run needs a machine with no other program running")));
    expect(search.snapshot()).toEqual({ phase: "error", message: "a controlled run needs a machine with no other program running" });
  });
});
