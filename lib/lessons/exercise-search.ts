/**
 * The searcher exercises with `search` are checked with: lib/sched-search's `explore` on a
 * host that starts controlled runs (the page's MachinePort, or a Node machine in the tests).
 */
import { explore, type ControlledHost } from "@/lib/sched-search/explore";
import { describeFailure } from "@/lib/sched-search/text";
import type { ExerciseSearcher } from "./exercise";

export function exerciseSearcher(host: ControlledHost): ExerciseSearcher {
  return async (program, { maxSchedules, timeLimitMs, judge }) => {
    const r = await explore(host, program, { maxSchedules, timeLimitMs, judge });
    const f = r.found;
    return { found: f ? { index: f.index, output: f.record.output, failure: describeFailure(f.failure) } : null, explored: r.explored };
  };
}
