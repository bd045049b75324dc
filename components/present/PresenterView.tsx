"use client";

import { useLayoutEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import type { SlideSource } from "./build-slides";
import type { PresentStrings } from "./strings";
import type { SharedLiveSession } from "./sync";
import { PresentationPreviewContext } from "./use-presentation-sync";

/** Logical size of a slide in the previews; scaled to fit its box. */
const STAGE_W = 1600;
const STAGE_H = 900;

function Scaled({ children, label }: { children: ReactNode; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const [scale, setScale] = useState(0.5);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setScale(Math.min(el.clientWidth / STAGE_W, el.clientHeight / STAGE_H)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div className="presenter-preview" ref={box} aria-label={label}>
      {/* inert: the previews are pictures of the slides; the audience window is the live one. */}
      <div className="presenter-stage" inert style={{ width: STAGE_W, height: STAGE_H, transform: `scale(${scale})` }}>
        <PresentationPreviewContext.Provider value={true}>
          <div className="present-slide-inner prose">{children}</div>
        </PresentationPreviewContext.Provider>
      </div>
    </div>
  );
}

/** A shared half-second clock; 0 while hydrating, so the server HTML and the first client render agree. */
let clockNow = 0;
const clockListeners = new Set<() => void>();
let clockTimer: ReturnType<typeof setInterval> | undefined;
function subscribeClock(onChange: () => void): () => void {
  clockListeners.add(onChange);
  if (!clockTimer) {
    clockNow = Date.now();
    clockTimer = setInterval(() => {
      clockNow = Date.now();
      clockListeners.forEach((l) => l());
    }, 500);
  }
  return () => {
    clockListeners.delete(onChange);
    if (!clockListeners.size) {
      clearInterval(clockTimer);
      clockTimer = undefined;
    }
  };
}

function useElapsed() {
  const now = useSyncExternalStore(subscribeClock, () => clockNow, () => 0);
  // The talk starts when the presenter window opens (reset restarts it).
  const [started, setStarted] = useState(() => Date.now());
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  return {
    now,
    elapsed: now === 0 ? null : Math.max(0, (pausedAt ?? now) - started),
    paused: pausedAt !== null,
    toggle: () => {
      if (pausedAt === null) setPausedAt(Date.now());
      else {
        setStarted((s) => s + (Date.now() - pausedAt));
        setPausedAt(null);
      }
    },
    reset: () => {
      setStarted(Date.now());
      setPausedAt(pausedAt === null ? null : Date.now());
    },
  };
}

function hms(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0");
  return `${h ? `${h}:` : ""}${mm}:${String(sec).padStart(2, "0")}`;
}

export interface PresenterViewProps {
  s: PresentStrings;
  slides: readonly SlideSource[];
  index: number;
  render: (i: number) => ReactNode;
  onGo: (i: number) => void;
  live: SharedLiveSession | null;
}

/** The instructor's own screen: current and next slide, notes, timer; kept in step with the projector over BroadcastChannel. */
export function PresenterView({ s, slides, index, render, onGo, live }: PresenterViewProps) {
  const timer = useElapsed();
  const total = slides.length;
  const current = slides[index];
  const hasNext = index + 1 < total;
  return (
    <div className="presenter" data-testid="presenter">
      <header className="presenter-bar">
        <span className="presenter-counter" data-testid="presenter-counter">
          {index + 1} / {total}
        </span>
        <span className="presenter-current-title">{current?.title}</span>
        {live && (
          <span className="present-live-badge presenter-live">
            <span aria-hidden="true">●</span> {s.liveOn} · {live.code}
          </span>
        )}
        <span className="presenter-timer" data-testid="presenter-timer" aria-label={s.elapsed}>
          {timer.elapsed === null ? "–:––" : hms(timer.elapsed)}
        </span>
        <button type="button" className="present-button present-button-quiet" onClick={timer.toggle}>
          {timer.paused ? s.resume : s.pause}
        </button>
        <button type="button" className="present-button present-button-quiet" onClick={timer.reset}>
          {s.reset}
        </button>
        <span className="presenter-clock" aria-label={s.clock}>
          {timer.now ? new Date(timer.now).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : ""}
        </span>
      </header>
      <div className="presenter-grid">
        <section className="presenter-current">
          <h2 className="presenter-label">{s.currentSlide}</h2>
          <Scaled label={s.currentSlide}>{render(index)}</Scaled>
          <div className="presenter-nav">
            <button type="button" className="present-nav" aria-label={s.previous} onClick={() => onGo(index - 1)} disabled={index === 0}>
              ←
            </button>
            <button type="button" className="present-nav" aria-label={s.next} onClick={() => onGo(index + 1)} disabled={!hasNext}>
              →
            </button>
          </div>
        </section>
        <aside className="presenter-side">
          <section className="presenter-next">
            <h2 className="presenter-label">
              {s.nextSlide}
              {hasNext ? `: ${slides[index + 1].title}` : ""}
            </h2>
            {hasNext ? <Scaled label={s.nextSlide}>{render(index + 1)}</Scaled> : <p className="presenter-end">{s.endOfLesson}</p>}
          </section>
          <section className="presenter-notes" data-testid="presenter-notes">
            <h2 className="presenter-label">{s.notes}</h2>
            <div className="prose">{current?.notes ?? <p className="presenter-muted">{s.noNotes}</p>}</div>
          </section>
        </aside>
      </div>
    </div>
  );
}
