"use client";

import { laneSegments, stateLabel, type Lane } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { LANE } from "./colors";
import type { SchedulerStrings } from "./strings";

export interface TimelineProps {
  lanes: readonly Lane[];
  step: number;
  steps: number;
  lang: Locale;
  s: SchedulerStrings;
  onSeek: (step: number) => void;
}

/**
 * One lane per process, one column per step, coloured by state; the cursor marks the
 * current step. Columns are steps (not clock time) so every event gets room to be seen.
 * Only the past is drawn: lanes and states appear as the run reaches them, so the view
 * never gives away the answer to a "predict what happens" question.
 * Clicking a lane seeks there (the slider is the keyboard path to the same thing).
 */
export function Timeline({ lanes, step, steps, lang, s, onSeek }: TimelineProps) {
  const pct = (n: number) => `${(n / steps) * 100}%`;
  return (
    <figure className="m-0">
      <figcaption className="sr-only">{s.timeline}</figcaption>
      <div className="grid grid-cols-[minmax(0,max-content)_1fr] items-center gap-x-2 gap-y-1 text-[0.8em]">
        {lanes.map((lane) => {
          const current = lane.states[step];
          if (!current) return null;
          return (
            <div key={lane.pid} className="contents" data-lane={lane.pid}>
              <div className="max-w-[11em] truncate text-right font-mono text-[var(--fg-muted)]" title={`${lane.name} (${lane.pid})`}>
                <span className="text-[var(--fg)]">{lane.name}</span> {lane.pid}
              </div>
              <div
                className="relative h-4 cursor-pointer rounded-sm bg-[var(--bg-soft)]"
                aria-hidden="true"
                onClick={(e) => {
                  const r = e.currentTarget.getBoundingClientRect();
                  onSeek(Math.min(steps - 1, Math.max(0, Math.floor(((e.clientX - r.left) / r.width) * steps))));
                }}
              >
                {laneSegments(lane)
                  .filter((seg) => seg.from <= step)
                  .map((seg) => (
                    <div
                      key={seg.from}
                      className={`absolute inset-y-0 ${LANE[seg.state]}`}
                      style={{ left: pct(seg.from), width: pct(Math.min(seg.to, step + 1) - seg.from) }}
                      title={stateLabel(seg.state, lang)}
                    />
                  ))}
                <div
                  className="pointer-events-none absolute -inset-y-1 w-0.5 -translate-x-1/2 bg-[var(--fg)] motion-safe:transition-[left] motion-safe:duration-200"
                  style={{ left: `calc(${pct(step)} + ${50 / steps}%)` }}
                />
              </div>
              <span className="sr-only">{current ? stateLabel(current, lang) : ""}</span>
            </div>
          );
        })}
      </div>
    </figure>
  );
}
