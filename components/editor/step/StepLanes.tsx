"use client";

/**
 * One lane per process of the stepped run: colour, name, pid, state, what it does next and
 * where, and its "step this process" button (number key = lane number). Buttons that cannot
 * act are aria-disabled, not disabled, so keyboard focus stays put after a step.
 */
import type { Lane } from "@/lib/playground/step-lanes";
import { markClass } from "./colours";
import type { StepStrings } from "./strings";

export interface StepLanesProps {
  s: StepStrings;
  lanes: readonly Lane[];
  nameOf: (pid: number, proc: number) => string;
  /** Null in a read-only mirror (the presenter window). */
  onStep: ((proc: number) => void) | null;
  choosing: boolean;
  /** The proc a found failure's schedule moves next (highlighted). */
  hint?: number | null;
}

const STATE_TEXT: Record<Lane["state"], string> = {
  ready: "text-emerald-800 dark:text-emerald-300",
  running: "text-sky-800 dark:text-sky-300",
  blocked: "text-violet-800 dark:text-violet-300",
  sleeping: "text-sky-800 dark:text-sky-300",
  exited: "text-neutral-600 dark:text-neutral-400",
};

export function StepLanes({ s, lanes, nameOf, onStep, choosing, hint = null }: StepLanesProps) {
  return (
    <ol aria-label={s.lanes} className="m-0 flex list-none flex-col gap-1 p-0">
      {lanes.map((lane, i) => {
        const name = nameOf(lane.pid, lane.proc);
        const can = choosing && lane.state === "ready";
        return (
          <li
            key={lane.proc}
            data-step-lane={lane.pid}
            data-state={lane.state}
            data-line={lane.where?.line ?? ""}
            data-hint={lane.proc === hint || undefined}
            className={`${markClass(lane.pid)} flex flex-wrap items-center gap-x-3 gap-y-1 rounded border px-2 py-1 ${lane.proc === hint ? "border-2 border-red-700 dark:border-red-400" : "border-neutral-200 dark:border-neutral-700"} ${lane.last ? "bg-neutral-100 dark:bg-neutral-800" : ""}`}
          >
            <span className="sp-step-swatch" aria-hidden="true" />
            <span className="font-mono text-sm">
              <span className="font-semibold">{name}</span> <span className="text-neutral-700 dark:text-neutral-300">pid {lane.pid}</span>
            </span>
            <span className={`text-sm ${STATE_TEXT[lane.state]}`}>{s.state[lane.state]}</span>
            <span className="font-mono text-xs text-neutral-700 dark:text-neutral-300">
              {lane.op && lane.obj ? s.doing(lane.op, lane.obj) : lane.exitCode !== null ? s.exitCode(lane.exitCode) : ""}
              {lane.deadline !== null ? ` (${s.until(lane.deadline)})` : ""}
              {lane.where ? ` · ${s.line(lane.where.file, lane.where.line)}` : ""}
            </span>
            {lane.proc === hint ? <span className="text-sm font-semibold text-red-800 dark:text-red-300">{s.movesNext}</span> : null}
            {onStep ? (
              <button
                type="button"
                className="ml-auto min-h-[2.75rem] min-w-[2.75rem] rounded border border-emerald-700 px-3 text-sm font-medium text-emerald-900 hover:bg-emerald-50 focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 aria-disabled:cursor-not-allowed aria-disabled:border-neutral-300 aria-disabled:text-neutral-600 aria-disabled:hover:bg-transparent dark:border-emerald-400 dark:text-emerald-100 dark:hover:bg-emerald-950 dark:aria-disabled:border-neutral-600 dark:aria-disabled:text-neutral-400"
                aria-disabled={!can || undefined}
                aria-keyshortcuts={i < 9 ? String(i + 1) : undefined}
                onClick={() => can && onStep(lane.proc)}
              >
                {i < 9 ? <kbd className="mr-1 font-mono text-xs" aria-hidden="true">{i + 1}</kbd> : null}
                {s.stepProcess(name, lane.pid)}
              </button>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
