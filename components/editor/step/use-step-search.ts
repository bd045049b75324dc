"use client";

/**
 * "Find a schedule that breaks this" for one example: a lib/playground ScheduleSearch over
 * lib/sched-search's `explore` on the page's machine (loaded on the first press). The step
 * session is stopped first (a controlled run needs the machine to itself); a failure is handed
 * back to it, replayed up to where it diverges.
 */
import { useCallback, useState, useSyncExternalStore, type RefObject } from "react";
import { ScheduleSearch, type SearchState } from "@/lib/playground/step-search";
import type { StepSession } from "@/lib/playground/step-session";
import { pageRuntime, withDeferredLoadsHeld } from "../runtime";

export interface StepSearch {
  state: SearchState;
  find(): Promise<void>;
  stop(): void;
}

export function useStepSearch(session: StepSession, entry: string, filesRef: RefObject<Record<string, string>>, replay: () => Promise<void>): StepSearch {
  const [search] = useState(() => new ScheduleSearch());
  const state = useSyncExternalStore(search.subscribe, search.snapshot, search.snapshot);

  const find = useCallback(async () => {
    // Monaco's load waits: the page's main thread answers every point of every schedule.
    const result = await withDeferredLoadsHeld(async () => {
      await session.idle();
      const port = await pageRuntime().machine();
      const { explore } = await import("@/lib/sched-search/explore");
      const program = { files: { ...filesRef.current }, entry };
      return search.start((onProgress, shouldStop) => explore(port, program, { shouldStop }, onProgress));
    });
    if (result?.found) {
      session.loadFailure(result.found.record.token, result.found.divergedAt);
      await replay();
    }
  }, [session, search, entry, filesRef, replay]);

  return { state, find, stop: () => search.stop() };
}
