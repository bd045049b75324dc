"use client";

/**
 * A lesson as a presentation. One component, two modes:
 *  - "audience": the projected slides (also what students following a live session see);
 *  - "presenter": current + next slide, speaker notes and a timer, opened with S.
 * The parts live in hooks: where we are (`useSlideNav`), the other windows of this lesson
 * (`useWindowSync`, `useSchedulerSteps`), the instructor's live session
 * (`useInstructorSession`), a student following it (`useFollowSession`) and the keys
 * (`usePresentKeys`). This component wires them and picks the view.
 */
import { useCallback, useMemo, useState, useSyncExternalStore, type ReactNode } from "react";
import type { StepMap } from "@/components/scheduler/hash";
import { AudienceView } from "./AudienceView";
import type { SlideSource } from "./build-slides";
import { FollowBanner } from "./FollowBanner";
import { LivePanel } from "./LivePanel";
import { PresenterView } from "./PresenterView";
import { STRINGS } from "./strings";
import type { Locale } from "@/lib/content/locales";
import { channelName, PresentationSync } from "./sync";
import { TitleSlide, type LessonSummary } from "./TitleSlide";
import { PresentationSyncContext } from "./use-presentation-sync";
import { useFollowSession } from "./use-follow-session";
import { useInstructorSession } from "./use-instructor-session";
import { usePresentKeys } from "./use-present-keys";
import { useSlideNav } from "./use-slide-nav";
import { useSchedulerSteps, useWindowSync } from "./use-window-sync";
import { noSubscribe, readJoin } from "./url-state";
import "./present.css";
import "./presenter.css";
import "./live.css";

export type { LessonSummary } from "./TitleSlide";

export interface PresentationProps {
  mode: "audience" | "presenter";
  lang: Locale;
  slug: string;
  lesson: LessonSummary;
  /** Content slides from splitIntoSlides(); a title slide is put in front. */
  slides: SlideSource[];
  /** Notes for the title slide (the lesson's frontmatter has none; content before the first heading goes on its own slide). */
  titleNotes?: ReactNode;
}

export function Presentation({ mode, lang, slug, lesson, slides, titleNotes }: PresentationProps) {
  const s = STRINGS[lang];
  const [sync] = useState(() => new PresentationSync(channelName(lang, slug)));
  const [notice, setNotice] = useState<string | null>(null);
  const all: SlideSource[] = useMemo(() => [{ anchor: null, title: lesson.title, notes: titleNotes ?? null, content: null }, ...slides], [lesson.title, slides, titleNotes]);
  const total = all.length;
  const joinCode = useSyncExternalStore(noSubscribe, readJoin, () => null);
  const following = mode === "audience" && joinCode !== null;

  const nav = useSlideNav(total);
  const { go, indexRef } = nav;
  /** A move from here or the instructor: the other windows follow (a move they sent is not echoed). */
  const show = useCallback((i: number) => sync.post({ type: "slide", slide: go(i) }), [sync, go]);

  const steps = useSchedulerSteps();
  const follow = useFollowSession(following ? joinCode : null, show, steps.apply);
  const onGone = useCallback((message: string) => setNotice(s.liveError(message)), [s]);
  const instructor = useInstructorSession({ lang, slug, sync, following, drives: mode === "audience", index: nav.index, indexRef, stepsRef: steps.stepsRef, onGone });
  useWindowSync(sync, {
    following,
    answers: mode === "audience",
    indexRef,
    showSlide: go,
    steps,
    live: instructor.live,
    setLive: instructor.setLive,
    // Students follow the audience window's steps; a student who steps on their own is away.
    onLocalSteps: (changed: StepMap) => {
      if (mode === "audience") for (const [key, step] of Object.entries(changed)) instructor.step(key, step);
      follow.stepped(changed);
    },
  });

  const { movedTo } = follow;
  /** A move the reader asked for (keys, arrows, the presenter's buttons). */
  const goLocal = useCallback(
    (i: number) => {
      const shown = go(i);
      sync.post({ type: "slide", slide: shown });
      movedTo(shown);
    },
    [go, sync, movedTo],
  );

  const openPresenter = useCallback(() => {
    const url = new URL(window.location.href);
    url.pathname = `/${lang}/${slug}/presenter`;
    url.searchParams.delete("join");
    const w = window.open(url.toString(), `spawnpoint-presenter-${slug}`, "popup,width=1280,height=800");
    if (!w) setNotice(s.popupBlocked);
  }, [lang, slug, s.popupBlocked]);

  const anchor = all[nav.index]?.anchor;
  const readingUrl = `/${lang}/${slug}${anchor ? `#${anchor}` : ""}`;
  const digits = usePresentKeys({ total, indexRef, go: goLocal, mode, following, openPresenter, readingUrl });

  const title = (
    <TitleSlide
      s={s}
      lesson={lesson}
      live={follow.view ? null : <LivePanel s={s} live={instructor.live} status={instructor.status} onStart={instructor.start} onEnd={instructor.end} interactive={mode === "audience"} />}
    />
  );
  const render = (i: number) => (i === 0 ? title : all[i]?.content);

  return (
    <PresentationSyncContext.Provider value={sync}>
      {mode === "presenter" ? (
        <PresenterView s={s} slides={all} index={nav.index} render={render} onGo={goLocal} live={instructor.live} />
      ) : (
        <AudienceView
          s={s}
          slides={all}
          index={nav.index}
          render={render}
          onGo={goLocal}
          readingUrl={readingUrl}
          banner={follow.view ? <FollowBanner s={s} follow={follow.view} index={nav.index} onBack={follow.backToInstructor} /> : null}
          live={follow.view ? null : instructor.live}
          liveStatus={instructor.status}
          digits={digits}
          notice={notice}
          onDismissNotice={() => setNotice(null)}
        />
      )}
    </PresentationSyncContext.Provider>
  );
}
