"use client";

import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore, type KeyboardEvent } from "react";
import { formatCaption, type TraceModel } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { Legend } from "./Legend";
import { ProcessTree } from "./ProcessTree";
import { currentStep, register, setStep, subscribe } from "./step-store";
import { STRINGS } from "./strings";
import { Timeline } from "./Timeline";

export interface SchedulerViewProps {
  model: TraceModel;
  /** Names this scheduler's step in the URL (`#sched-<id>=N`). */
  id: string;
  title: string;
  lang: Locale;
  /** "large" starts in large (projector) mode. Default "normal". */
  size?: "normal" | "large";
  /** A growing trace (a live controlled run): each new step is shown as it comes. */
  follow?: boolean;
}

const SPEEDS = [0.5, 1, 2, 4] as const;
/** Milliseconds per step at 1×: long enough to read a caption aloud. */
const BASE_INTERVAL = 1600;

const serverStep = () => null;

/** Tree, timeline, caption, controls and legend for one trace. */
export function SchedulerView({ model, id, title, lang, size = "normal", follow = false }: SchedulerViewProps) {
  const s = STRINGS[lang];
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<number>(1);
  const [large, setLarge] = useState(size === "large");
  const sliderId = useId();
  const hintId = useId();
  const transcript = useRef<HTMLOListElement>(null);

  useEffect(() => register(id), [id]);
  const fromUrl = useSyncExternalStore(subscribe, () => currentStep(id), serverStep);
  const step = Math.min(model.last, fromUrl ?? (follow ? model.last : 0));
  // A live run grew: forget a step the reader picked earlier, show the newest.
  useEffect(() => {
    if (follow && currentStep(id) !== null) setStep(id, 0);
  }, [follow, id, model.last]);
  const go = useCallback((k: number) => setStep(id, Math.max(0, Math.min(model.last, k))), [id, model.last]);

  useEffect(() => {
    if (!playing) return;
    const timer = window.setInterval(() => {
      const now = Math.min(model.last, currentStep(id) ?? 0);
      if (now >= model.last) setPlaying(false);
      else setStep(id, now + 1);
    }, BASE_INTERVAL / speed);
    return () => window.clearInterval(timer);
  }, [playing, speed, id, model.last]);

  // The transcript ends at the current step: keep its end in view.
  useEffect(() => {
    const ol = transcript.current;
    if (ol) ol.scrollTop = ol.scrollHeight;
  }, [step]);

  const togglePlay = () => {
    if (playing) setPlaying(false);
    else {
      if (step >= model.last) go(0);
      setPlaying(true);
    }
  };
  const stepBy = (d: number) => {
    setPlaying(false);
    go(step + d);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    const el = e.target as HTMLElement;
    const tag = el.tagName;
    // Native controls keep their own keys: the slider moves with arrows, buttons click with Space.
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    if (e.key === " " && tag === "BUTTON") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === " " || e.key === "k") togglePlay();
    else if (e.key === "ArrowLeft") stepBy(-1);
    else if (e.key === "ArrowRight") stepBy(1);
    else if (e.key === "Home") stepBy(-step);
    else if (e.key === "End") stepBy(model.last - step);
    else return;
    e.preventDefault();
  };

  const snap = model.snapshots[step] ?? model.snapshots[0];
  if (!snap) return null;
  const caption = formatCaption(snap.caption, lang);
  const btn =
    "inline-flex h-[2.4em] min-w-[2.4em] items-center justify-center gap-1 rounded-md border border-[var(--border)] bg-[var(--bg-raised)] px-2 text-[var(--fg)] hover:bg-[var(--bg-soft)] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] disabled:opacity-40";

  return (
    <section
      aria-label={s.region(title)}
      aria-roledescription="scheduler"
      aria-describedby={hintId}
      data-scheduler={id}
      data-step={step}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className={`not-prose my-6 flex flex-col gap-3 rounded-xl border border-[var(--border)] bg-[var(--bg-raised)] p-3 text-[var(--fg)] shadow-sm focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-[var(--accent)] sm:p-4 ${
        // Large (projector) mode also breaks out of the lesson's text column.
        large ? "relative left-1/2 w-[min(96vw,90rem)] -translate-x-1/2 text-[1.35rem] leading-snug" : "text-[0.95rem]"
      }`}
    >
      <header className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
        {/* Not a heading: the widget sits inside lessons and must not break their outline. */}
        <p className="m-0 text-[1em] font-semibold">{s.region(title)}</p>
        <p className="m-0 font-mono text-[0.8em] text-[var(--fg-muted)]" aria-live="off">
          {s.stepOf(step, model.last)} · {s.clock(snap.time, model.trace.timeUnit)}
        </p>
      </header>

      <ProcessTree processes={snap.processes} lang={lang} s={s} large={large} />

      <Timeline lanes={model.lanes} step={step} steps={model.last + 1} lang={lang} s={s} onSeek={(k) => stepBy(k - step)} />

      <p
        data-caption
        aria-live={playing ? "off" : "polite"}
        className="m-0 min-h-[3.2em] rounded-lg border-l-4 border-[var(--accent)] bg-[var(--accent-soft)] px-3 py-2 text-[1.05em] leading-snug"
      >
        {caption}
      </p>

      <div className="flex flex-wrap items-center gap-2">
        <button type="button" className={btn} onClick={() => stepBy(-step)} aria-label={s.restart} title={s.restart}>
          <Icon d="M4 4v16M20 5 9 12l11 7z" />
        </button>
        <button type="button" className={btn} onClick={() => stepBy(-1)} disabled={step === 0} aria-label={s.stepBack} title={`${s.stepBack} (←)`}>
          <Icon d="M15 5 8 12l7 7" />
        </button>
        <button type="button" className={`${btn} min-w-[5.5em]`} onClick={togglePlay} aria-label={playing ? s.pause : s.play} title={`${playing ? s.pause : s.play} (Space)`}>
          {playing ? <Icon d="M8 5v14M16 5v14" /> : <Icon d="M7 4v16l13-8z" fill />}
          <span aria-hidden="true" className="text-[0.85em]">
            {playing ? s.pause : s.play}
          </span>
        </button>
        <button type="button" className={btn} onClick={() => stepBy(1)} disabled={step >= model.last} aria-label={s.stepForward} title={`${s.stepForward} (→)`}>
          <Icon d="m9 5 7 7-7 7" />
        </button>
        <label htmlFor={sliderId} className="sr-only">
          {s.scrub}
        </label>
        <input
          id={sliderId}
          type="range"
          min={0}
          max={model.last}
          value={step}
          onChange={(e) => stepBy(Number(e.target.value) - step)}
          aria-valuetext={s.stepOf(step, model.last)}
          className="h-[2.4em] min-w-[8em] flex-1 accent-[var(--accent)]"
        />
        <label className="flex items-center gap-1 text-[0.85em] text-[var(--fg-muted)]">
          {s.speed}
          <select
            value={speed}
            onChange={(e) => setSpeed(Number(e.target.value))}
            className="h-[2.4em] rounded-md border border-[var(--border)] bg-[var(--bg-raised)] px-1 text-[var(--fg)]"
          >
            {SPEEDS.map((v) => (
              <option key={v} value={v}>
                {v}×
              </option>
            ))}
          </select>
        </label>
        <button type="button" className={btn} aria-pressed={large} onClick={() => setLarge((v) => !v)} aria-label={s.large} title={s.large}>
          <Icon d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
        </button>
      </div>

      <Legend lang={lang} s={s} />

      {/* A transcript of the steps so far (never the future: it would answer "predict" questions). */}
      <details
        className="text-[0.85em]"
        onToggle={() => {
          const ol = transcript.current;
          if (ol) ol.scrollTop = ol.scrollHeight;
        }}
      >
        <summary className="cursor-pointer text-[var(--fg-muted)]">{s.allSteps}</summary>
        <ol ref={transcript} className="m-0! mt-2! flex max-h-64 list-none! flex-col gap-0.5 overflow-auto p-0!">
          {model.snapshots.slice(0, step + 1).map((past) => (
            <li key={past.step} className="mt-0!">
              <button
                type="button"
                aria-current={past.step === step ? "step" : undefined}
                onClick={() => stepBy(past.step - step)}
                className="w-full rounded px-2 py-0.5 text-left hover:bg-[var(--bg-soft)] aria-[current=step]:bg-[var(--accent-soft)] aria-[current=step]:font-medium"
              >
                <span className="mr-2 inline-block min-w-[2ch] text-right font-mono text-[var(--fg-muted)]">{past.step}</span>
                {formatCaption(past.caption, lang)}
              </button>
            </li>
          ))}
        </ol>
      </details>
      <p id={hintId} className="m-0 text-[0.75em] text-[var(--fg-muted)]">
        {s.keyboardHint}
      </p>
    </section>
  );
}

function Icon({ d, fill = false }: { d: string; fill?: boolean }) {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="h-[1.1em] w-[1.1em]" fill={fill ? "currentColor" : "none"} stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round">
      <path d={d} />
    </svg>
  );
}
