"use client";

/**
 * "Find a schedule that breaks this": the button, the search's progress, and its honest
 * outcome (lib/sched-search's wording: a bound, not a proof). A failure opens in the lanes
 * above, replayed to the step where it diverges.
 */
import type { SearchState } from "@/lib/playground/step-search";
import { progressLine, summarize } from "@/lib/sched-search/text";
import type { Locale } from "@/lib/content/locales";
import { buttonClass } from "../ExampleToolbar";
import type { StepStrings } from "./strings";

export interface SearchBoxProps {
  s: StepStrings;
  lang: Locale;
  state: SearchState;
  onFind: () => void;
  onStop: () => void;
}

export function SearchBox({ s, lang, state, onFind, onStop }: SearchBoxProps) {
  const searching = state.phase === "searching";
  const text =
    state.phase === "searching"
      ? state.progress ? progressLine(state.progress, lang) : s.searching
      : state.phase === "done"
        ? summarize(state.result, lang)
        : state.phase === "error"
          ? state.message
          : "";
  return (
    <div className="flex flex-wrap items-center gap-2" data-step-search={state.phase} data-found={state.phase === "done" ? String(state.result.found !== null) : undefined}>
      <button type="button" className={`${buttonClass} min-h-[2.75rem]`} aria-disabled={searching || undefined} onClick={() => !searching && onFind()}>
        {s.find}
      </button>
      {searching ? (
        <button type="button" className={`${buttonClass} min-h-[2.75rem]`} onClick={onStop}>
          {s.stopSearch}
        </button>
      ) : null}
      <p role="status" className={`m-0 text-sm ${state.phase === "error" || (state.phase === "done" && state.result.found) ? "text-red-800 dark:text-red-300" : ""}`}>
        {text}
      </p>
    </div>
  );
}
