"use client";

/**
 * The instructor's live session: created from the title slide, kept in localStorage so it
 * survives a reload, shared with the presenter window, and driven by the audience window
 * (live-driver.ts posts the slide and scheduler steps; students follow them).
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { liveApi, LiveApiError } from "@/lib/live";
import type { StepMap } from "@/components/scheduler/hash";
import { LiveDriver, type DriverStatus } from "./live-driver";
import type { Locale } from "@/lib/content/locales";
import type { PresentationSync, SharedLiveSession } from "./sync";

const liveKey = (lang: string, slug: string) => `spawnpoint-live:${lang}/${slug}`;

export interface InstructorSessionOptions {
  lang: Locale;
  slug: string;
  sync: PresentationSync;
  /** A student's window has no session of its own. */
  following: boolean;
  /** This window drives the session (the audience window). */
  drives: boolean;
  index: number;
  indexRef: RefObject<number>;
  stepsRef: RefObject<StepMap>;
  /** The server forgot the session (expired, restarted): say so, the badge just vanishing is easy to miss. */
  onGone: (message: string) => void;
}

export interface InstructorSession {
  live: SharedLiveSession | null;
  setLive: (session: SharedLiveSession | null) => void;
  status: DriverStatus | null;
  start(): Promise<void>;
  end(): Promise<void>;
  /** A scheduler step changed in this window: students follow it. */
  step(key: string, step: number): void;
}

export function useInstructorSession({ lang, slug, sync, following, drives, index, indexRef, stepsRef, onGone }: InstructorSessionOptions): InstructorSession {
  const [live, setLive] = useState<SharedLiveSession | null>(null);
  const [status, setStatus] = useState<DriverStatus | null>(null);
  const driverRef = useRef<LiveDriver | null>(null);

  // A saved session is taken up again if the server still knows it.
  useEffect(() => {
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

  useEffect(() => {
    if (!live || !drives || following) return;
    const driver = new LiveDriver(live.code, live.token, (next) => {
      setStatus(next);
      if (next.kind === "gone") {
        window.localStorage.removeItem(liveKey(lang, slug));
        setLive(null);
        onGone(next.message);
      }
    });
    driverRef.current = driver;
    for (const [key, step] of Object.entries(stepsRef.current)) driver.step(key, step);
    return () => {
      driver.dispose();
      if (driverRef.current === driver) driverRef.current = null;
    };
  }, [live, drives, following, lang, slug, onGone, stepsRef]);

  useEffect(() => {
    driverRef.current?.slide(index);
  }, [index, live]);

  const start = useCallback(async () => {
    const created = await liveApi.create({ lang, slug }, indexRef.current);
    const joinUrl = `${window.location.origin}/${lang}/${slug}/present?join=${created.code}`;
    const session: SharedLiveSession = { code: created.code, token: created.token, joinUrl };
    window.localStorage.setItem(liveKey(lang, slug), JSON.stringify(session));
    setLive(session);
    setStatus({ kind: "live" });
    sync.post({ type: "live", session });
  }, [lang, slug, sync, indexRef]);

  const end = useCallback(async () => {
    if (!live) return;
    await liveApi.end(live.code, live.token).catch(() => {});
    window.localStorage.removeItem(liveKey(lang, slug));
    setLive(null);
    setStatus(null);
    sync.post({ type: "live", session: null });
  }, [live, lang, slug, sync]);

  const step = useCallback((key: string, value: number) => driverRef.current?.step(key, value), []);

  return { live, setLive, status, start, end, step };
}
