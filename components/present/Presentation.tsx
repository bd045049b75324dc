"use client";

/**
 * A lesson as a presentation. One component, two modes:
 *  - "audience": the projected slides (also what students following a live session see);
 *  - "presenter": current + next slide, speaker notes and a timer, opened with S.
 * Windows of the same lesson stay in step over a BroadcastChannel (sync.ts); the audience window
 * of an instructor drives the live session students follow (live-driver.ts, lib/live).
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { followLiveSession, liveApi, LiveApiError, type FollowStatus, type LiveState } from "@/lib/live";
import { actionForKey, isTypingTarget } from "./keyboard";
import { LiveDriver, type DriverStatus } from "./live-driver";
import { LivePanel } from "./LivePanel";
import { PresenterView } from "./PresenterView";
import { diffSteps, readSteps, writeSteps, type StepMap } from "./scheduler-hash";
import { STRINGS, type PresentLang } from "./strings";
import { channelName, PresentationSync, type SharedLiveSession } from "./sync";
import { PresentationSyncContext } from "./use-presentation-sync";
import { changeZoom, noSubscribe, readJoin, readSlide, readZoom, subscribeUrl, subscribeZoom, writeSlide } from "./url-state";
import "./present.css";

export interface LessonSummary {
  order: number;
  title: string;
  summary: string;
  objectives?: string[];
}

export interface PresentationSlide {
  anchor: string | null;
  title: string;
  content: ReactNode;
  notes: ReactNode | null;
}

export interface PresentationProps {
  mode: "audience" | "presenter";
  lang: PresentLang;
  slug: string;
  lesson: LessonSummary;
  /** Content slides from splitIntoSlides(); a title slide is put in front. */
  slides: PresentationSlide[];
  /** Notes for the title slide (the lesson's frontmatter has none; content before the first heading goes on its own slide). */
  titleNotes?: ReactNode;
}

/** Fired by the scheduler views when they write a step to the URL (they use replaceState, which fires no hashchange). */
const SCHEDULER_STEP_EVENT = "spawnpoint:scheduler-step";
const liveKey = (lang: string, slug: string) => `spawnpoint-live:${lang}/${slug}`;

export type FollowView = { code: string; status: FollowStatus; instructor: LiveState | null; detached: boolean };

export function Presentation({ mode, lang, slug, lesson, slides, titleNotes }: PresentationProps) {
  const s = STRINGS[lang];
  const [digits, setDigits] = useState("");
  const [sync] = useState(() => new PresentationSync(channelName(lang, slug)));
  const [live, setLive] = useState<SharedLiveSession | null>(null);
  const [liveStatus, setLiveStatus] = useState<DriverStatus | null>(null);
  const [followStatus, setFollowStatus] = useState<FollowStatus>({ kind: "connecting" });
  const [instructor, setInstructor] = useState<LiveState | null>(null);
  const [detached, setDetached] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const all: PresentationSlide[] = useMemo(() => [{ anchor: null, title: lesson.title, notes: titleNotes ?? null, content: null }, ...slides], [lesson.title, slides, titleNotes]);
  const total = all.length;
  const clamp = useCallback((i: number) => Math.max(0, Math.min(total - 1, i)), [total]);

  // The URL is the source of truth for the slide (server render: the title slide).
  const index = clamp(useSyncExternalStore(subscribeUrl, readSlide, () => 0));
  const zoom = useSyncExternalStore(subscribeZoom, readZoom, () => 1);
  const joinCode = useSyncExternalStore(noSubscribe, readJoin, () => null);
  const following = mode === "audience" && joinCode !== null;

  // Event handlers read these; they are written only from handlers and effects.
  const indexRef = useRef(index);
  const stepsRef = useRef<StepMap>({});
  const driverRef = useRef<LiveDriver | null>(null);
  const instructorRef = useRef<LiveState | null>(null);
  const detachedRef = useRef(false);
  useEffect(() => {
    indexRef.current = index;
  }, [index]);

  const detach = useCallback((value: boolean) => {
    detachedRef.current = value;
    setDetached(value);
  }, []);

  /** Every slide change goes through here; `origin` says who asked, so nothing echoes back. */
  const go = useCallback(
    (target: number, origin: "local" | "sync" | "instructor") => {
      const i = clamp(target);
      indexRef.current = i;
      writeSlide(i);
      // (The live session follows `index` in an effect, whoever changed it.)
      if (origin !== "sync") sync.post({ type: "slide", slide: i });
      if (origin === "local" && instructorRef.current && instructorRef.current.slide !== i) detach(true);
    },
    [clamp, sync, detach],
  );

  /** Applies scheduler steps that came from elsewhere: write the URL hash, tell the views. */
  const applySteps = useCallback((steps: StepMap) => {
    const changed = diffSteps(stepsRef.current, { ...stepsRef.current, ...steps });
    if (!Object.keys(changed).length) return;
    stepsRef.current = { ...stepsRef.current, ...changed };
    const url = `${window.location.pathname}${window.location.search}${writeSteps(window.location.hash, changed)}`;
    window.history.replaceState(window.history.state, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }, []);

  // ---- the instructor's live session survives reloads and is shared with the presenter window.
  useEffect(() => {
    stepsRef.current = readSteps(window.location.hash);
    if (following) return;
    const saved = window.localStorage.getItem(liveKey(lang, slug));
    if (!saved) return;
    let session: SharedLiveSession;
    try {
      session = JSON.parse(saved) as SharedLiveSession;
    } catch {
      window.localStorage.removeItem(liveKey(lang, slug));
      return;
    }
    let cancelled = false;
    // Still alive? (sessions expire; a server restart forgets in-memory ones)
    liveApi.lookup(session.code).then(
      () => !cancelled && setLive(session),
      (error: unknown) => {
        if (error instanceof LiveApiError && error.status === 404) window.localStorage.removeItem(liveKey(lang, slug));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [following, lang, slug]);

  // ---- BroadcastChannel between this lesson's windows.
  useEffect(() => {
    // A student's window stays out of the channel: testing the join link in the instructor's own
    // browser must not let the "student" steer the instructor's windows.
    if (following) return;
    sync.open();
    const offs = [
      sync.on("slide", (m) => go(m.slide, "sync")),
      sync.on("scheduler", (m) => applySteps({ [m.key]: m.step })),
      sync.on("live", (m) => setLive(m.session)),
    ];
    sync.post({ type: "hello" });
    return () => {
      offs.forEach((off) => off());
      sync.dispose();
    };
  }, [sync, following, go, applySteps]);

  // The audience window answers a new window's hello with the whole state.
  useEffect(() => {
    if (mode !== "audience" || following) return;
    return sync.on("hello", () => {
      sync.post({ type: "slide", slide: indexRef.current });
      for (const [key, step] of Object.entries(stepsRef.current)) sync.post({ type: "scheduler", key, step });
      sync.post({ type: "live", session: live });
    });
  }, [sync, mode, following, live]);

  // ---- scheduler steps changed in this window (a view was stepped, or the hash was edited).
  useEffect(() => {
    const onChange = () => {
      const now = readSteps(window.location.hash);
      const changed = diffSteps(stepsRef.current, now);
      stepsRef.current = now;
      for (const [key, step] of Object.entries(changed)) {
        sync.post({ type: "scheduler", key, step });
        if (mode === "audience") driverRef.current?.step(key, step);
      }
      const theirs = instructorRef.current;
      if (theirs && Object.entries(changed).some(([key, step]) => (theirs.steps[key] ?? 0) !== step)) detach(true);
    };
    window.addEventListener("hashchange", onChange);
    window.addEventListener(SCHEDULER_STEP_EVENT, onChange);
    return () => {
      window.removeEventListener("hashchange", onChange);
      window.removeEventListener(SCHEDULER_STEP_EVENT, onChange);
    };
  }, [sync, mode, detach]);

  // ---- instructor: the audience window drives the live session.
  useEffect(() => {
    if (!live || mode !== "audience" || following) return;
    const driver = new LiveDriver(live.code, live.token, (status) => {
      setLiveStatus(status);
      if (status.kind === "gone") {
        window.localStorage.removeItem(liveKey(lang, slug));
        setLive(null);
        // Say so: the badge just vanishing is easy to miss mid-lesson (e.g. the server restarted).
        setNotice(s.liveError(status.message));
      }
    });
    driverRef.current = driver;
    for (const [key, step] of Object.entries(stepsRef.current)) driver.step(key, step);
    return () => {
      driver.dispose();
      if (driverRef.current === driver) driverRef.current = null;
    };
  }, [live, mode, following, lang, slug, s]);

  useEffect(() => {
    driverRef.current?.slide(index);
  }, [index, live]);

  const startLive = useCallback(async () => {
    const created = await liveApi.create({ lang, slug }, indexRef.current);
    const joinUrl = `${window.location.origin}/${lang}/${slug}/present?join=${created.code}`;
    const session: SharedLiveSession = { code: created.code, token: created.token, joinUrl };
    window.localStorage.setItem(liveKey(lang, slug), JSON.stringify(session));
    setLive(session);
    setLiveStatus({ kind: "live" });
    sync.post({ type: "live", session });
  }, [lang, slug, sync]);

  const endLive = useCallback(async () => {
    if (!live) return;
    await liveApi.end(live.code, live.token).catch(() => {});
    window.localStorage.removeItem(liveKey(lang, slug));
    setLive(null);
    setLiveStatus(null);
    sync.post({ type: "live", session: null });
  }, [live, lang, slug, sync]);

  // ---- student: follow the instructor. Nothing runs here: following only moves the slide and the scheduler views.
  useEffect(() => {
    if (!following || !joinCode) return;
    return followLiveSession(joinCode, {
      onStatus: setFollowStatus,
      onState: (state) => {
        instructorRef.current = state;
        setInstructor(state);
        setFollowStatus({ kind: "live" });
        if (!detachedRef.current) {
          go(state.slide, "instructor");
          applySteps(state.steps);
        }
      },
    });
  }, [following, joinCode, go, applySteps]);

  const backToInstructor = useCallback(() => {
    const theirs = instructorRef.current;
    if (!theirs) return;
    detach(false);
    go(theirs.slide, "instructor");
    applySteps(theirs.steps);
  }, [go, applySteps, detach]);

  // ---- keyboard.
  const openPresenter = useCallback(() => {
    const url = new URL(window.location.href);
    url.pathname = `/${lang}/${slug}/presenter`;
    url.searchParams.delete("join");
    const w = window.open(url.toString(), `spawnpoint-presenter-${slug}`, "popup,width=1280,height=800");
    if (!w) setNotice(s.popupBlocked);
  }, [lang, slug, s.popupBlocked]);

  const readingUrl = useMemo(() => {
    const anchor = all[index]?.anchor;
    return `/${lang}/${slug}${anchor ? `#${anchor}` : ""}`;
  }, [all, index, lang, slug]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTypingTarget(e.target)) return;
      const action = actionForKey(e, digits !== "");
      if (!action) return;
      e.preventDefault();
      switch (action.type) {
        case "next":
          return go(indexRef.current + 1, "local");
        case "previous":
          return go(indexRef.current - 1, "local");
        case "first":
          return go(0, "local");
        case "last":
          return go(total - 1, "local");
        case "digit":
          return setDigits((d) => (d + action.digit).slice(-4));
        case "jump":
          go(Number(digits) - 1, "local");
          return setDigits("");
        case "cancel":
          return setDigits("");
        case "fullscreen":
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => {});
          return;
        case "zoom":
          return changeZoom(action.by);
        case "presenter":
          if (mode === "audience" && !following) openPresenter();
          return;
        case "exit":
          if (mode === "presenter") window.close();
          else window.location.assign(readingUrl);
          return;
      }
    };
    window.addEventListener("keydown", onKey);
    // Lets tests (and assistive tooling) know the keys work: before hydration a key press is lost.
    document.documentElement.dataset.presentKeys = "ready";
    return () => {
      window.removeEventListener("keydown", onKey);
      delete document.documentElement.dataset.presentKeys;
    };
  }, [digits, go, total, mode, following, openPresenter, readingUrl]);

  // Type size is the root font size (the site's prose is in rem); zoom scales it.
  useEffect(() => {
    const root = document.documentElement;
    root.style.setProperty("--present-zoom", String(zoom));
    return () => void root.style.removeProperty("--present-zoom");
  }, [zoom]);

  // A half-typed slide number is forgotten after a pause.
  useEffect(() => {
    if (!digits) return;
    const t = setTimeout(() => setDigits(""), 2500);
    return () => clearTimeout(t);
  }, [digits]);

  const follow: FollowView | null = following && joinCode ? { code: joinCode, status: followStatus, instructor, detached } : null;

  const titleSlide = (
    <div className="present-title">
      <p className="present-kicker">{s.lesson(lesson.order)}</p>
      <h1>{lesson.title}</h1>
      <p className="present-summary">{lesson.summary}</p>
      <div className="present-title-row">
        {lesson.objectives?.length ? (
          <div className="present-objectives">
            <p>{s.youWillLearn}</p>
            <ul>
              {lesson.objectives.map((o) => (
                <li key={o}>{o}</li>
              ))}
            </ul>
          </div>
        ) : null}
        {!follow && <LivePanel s={s} live={live} status={liveStatus} onStart={startLive} onEnd={endLive} interactive={mode === "audience"} />}
      </div>
    </div>
  );
  const render = (i: number) => (i === 0 ? titleSlide : all[i]?.content);

  const body =
    mode === "presenter" ? (
      <PresenterView s={s} slides={all} index={index} render={render} onGo={(i) => go(i, "local")} live={live} readingUrl={readingUrl} />
    ) : (
      <div className="present" data-testid="presentation">
        {follow && <FollowBanner s={s} follow={follow} index={index} onBack={backToInstructor} />}
        {live && !follow && (
          <div className="present-live-badge" data-testid="live-badge" data-status={liveStatus?.kind ?? "live"}>
            <span aria-hidden="true">●</span> {liveStatus?.kind === "retrying" ? s.liveReconnecting : s.liveOn} · {live.code}
          </div>
        )}
        <main className="present-stage" id="main">
          {all.map((slide, i) => (
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
            <span className="present-title-small">{all[index]?.title}</span>
            <span className="present-keys" title={s.keysHelp}>
              {s.keysHelp}
            </span>
            <button type="button" className="present-nav" aria-label={s.previous} onClick={() => go(index - 1, "local")} disabled={index === 0}>
              ←
            </button>
            <span className="present-counter" data-testid="slide-counter" aria-live="polite">
              {index + 1} / {total}
            </span>
            <button type="button" className="present-nav" aria-label={s.next} onClick={() => go(index + 1, "local")} disabled={index === total - 1}>
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
          <div className="present-notice" role="alert" onClick={() => setNotice(null)}>
            {notice}
          </div>
        )}
      </div>
    );

  return <PresentationSyncContext.Provider value={sync}>{body}</PresentationSyncContext.Provider>;
}

function FollowBanner({ s, follow, index, onBack }: { s: (typeof STRINGS)["en"]; follow: FollowView; index: number; onBack: () => void }) {
  const { status, instructor, detached } = follow;
  let text: string;
  let tone: "ok" | "warn" | "end" = "ok";
  if (status.kind === "ended") {
    tone = "end";
    text = status.reason === "ended" ? s.endedByInstructor : status.reason === "expired" ? s.expired : s.notFound;
  } else if (status.kind === "reconnecting") {
    tone = "warn";
    text = s.reconnecting;
  } else if (status.kind === "connecting") text = s.connecting;
  else text = s.following(follow.code);
  const away = status.kind !== "ended" && detached && instructor && instructor.slide !== index;
  return (
    <div className="present-follow" data-testid="follow-banner" data-tone={tone} data-status={status.kind} role="status">
      <span>{text}</span>
      {status.kind !== "ended" && detached && instructor && (
        <>
          {away && <span className="present-follow-away">{s.instructorOn(instructor.slide + 1)}</span>}
          <button type="button" onClick={onBack}>
            {s.backToInstructor}
          </button>
        </>
      )}
    </div>
  );
}
