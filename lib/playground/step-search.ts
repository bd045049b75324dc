/**
 * "Find a schedule that breaks this", no UI: one schedule search at a time (lib/sched-search's
 * `explore`, injected so a page loads it only on the button), its progress, and its result.
 * The page hands a failure to the step session, which replays it to where it diverged.
 */
import type { SearchProgress, SearchResult } from "@/lib/sched-search/search";

export type SearchState =
  | { readonly phase: "idle" }
  | { readonly phase: "searching"; readonly progress: SearchProgress | null }
  | { readonly phase: "done"; readonly result: SearchResult }
  | { readonly phase: "error"; readonly message: string };

/** Runs one search: reports progress, asks `shouldStop` between schedules. */
export type RunSearch = (onProgress: (p: SearchProgress) => void, shouldStop: () => boolean) => Promise<SearchResult>;

export class ScheduleSearch {
  private state: SearchState = { phase: "idle" };
  private readonly listeners = new Set<() => void>();
  private stopping = false;
  private generation = 0;

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  readonly snapshot = (): SearchState => this.state;

  /** Starts a search (ignored while one runs); resolves with its result (null when it failed to run). */
  async start(run: RunSearch): Promise<SearchResult | null> {
    if (this.state.phase === "searching") return null;
    const gen = ++this.generation;
    this.stopping = false;
    this.set({ phase: "searching", progress: null });
    try {
      const result = await run(
        (progress) => gen === this.generation && this.set({ phase: "searching", progress }),
        () => this.stopping,
      );
      if (gen === this.generation) this.set({ phase: "done", result });
      return result;
    } catch (e) {
      if (gen === this.generation) this.set({ phase: "error", message: e instanceof Error ? e.message : String(e) });
      return null;
    }
  }

  /** Ends the search after the schedule that is running (its result says "stopped"). */
  stop(): void {
    this.stopping = true;
  }

  reset(): void {
    this.generation++;
    this.stopping = true;
    this.set({ phase: "idle" });
  }

  private set(next: SearchState): void {
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}
