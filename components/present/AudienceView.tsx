"use client";

/** The projected slides (also what a following student sees): the stage, the progress footer, the live badge, notices. */
import type { ReactNode } from "react";
import type { SlideSource } from "./build-slides";
import type { DriverStatus } from "./live-driver";
import type { PresentStrings } from "./strings";
import type { SharedLiveSession } from "./sync";

export interface AudienceViewProps {
  s: PresentStrings;
  slides: readonly SlideSource[];
  index: number;
  render: (i: number) => ReactNode;
  onGo: (i: number) => void;
  readingUrl: string;
  /** The student's follow banner, when following. */
  banner: ReactNode;
  /** The instructor's session, shown as a badge. */
  live: SharedLiveSession | null;
  liveStatus: DriverStatus | null;
  /** A half-typed slide number. */
  digits: string;
  notice: string | null;
  onDismissNotice: () => void;
}

export function AudienceView({ s, slides, index, render, onGo, readingUrl, banner, live, liveStatus, digits, notice, onDismissNotice }: AudienceViewProps) {
  const total = slides.length;
  return (
    <div className="present" data-testid="presentation">
      {banner}
      {live && (
        <div className="present-live-badge" data-testid="live-badge" data-status={liveStatus?.kind ?? "live"}>
          <span aria-hidden="true">●</span> {liveStatus?.kind === "retrying" ? s.liveReconnecting : s.liveOn} · {live.code}
        </div>
      )}
      <main className="present-stage" id="main">
        {slides.map((slide, i) => (
          <section
            key={i}
            className={i === 0 ? "present-slide present-slide-title" : "present-slide"}
            hidden={i !== index}
            aria-roledescription="slide"
            aria-label={`${s.slideOf(i + 1, total)}: ${slide.title}`}
            data-slide={i + 1}
          >
            <div className="present-slide-inner prose">{render(i)}</div>
          </section>
        ))}
      </main>
      <footer className="present-footer">
        <div className="present-progress" role="progressbar" aria-valuemin={1} aria-valuemax={total} aria-valuenow={index + 1} aria-label={s.slideOf(index + 1, total)}>
          <div style={{ width: `${((index + 1) / total) * 100}%` }} />
        </div>
        <div className="present-footer-row">
          <a className="present-link" href={readingUrl}>
            {s.readingView}
          </a>
          <span className="present-title-small">{slides[index]?.title}</span>
          <span className="present-keys" title={s.keysHelp}>
            {s.keysHelp}
          </span>
          <button type="button" className="present-nav" aria-label={s.previous} onClick={() => onGo(index - 1)} disabled={index === 0}>
            ←
          </button>
          <span className="present-counter" data-testid="slide-counter" aria-live="polite">
            {index + 1} / {total}
          </span>
          <button type="button" className="present-nav" aria-label={s.next} onClick={() => onGo(index + 1)} disabled={index === total - 1}>
            →
          </button>
        </div>
      </footer>
      {digits && (
        <div className="present-goto" role="status">
          {s.goTo} {digits}↵
        </div>
      )}
      {notice && (
        <div className="present-notice" role="alert" onClick={onDismissNotice}>
          {notice}
        </div>
      )}
    </div>
  );
}
