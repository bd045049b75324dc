"use client";

/**
 * Keeps the windows of one lesson's presentation in step over a BroadcastChannel
 * (sync.ts): the slide, the scheduler steps (in the URL hash), and the instructor's live
 * session. The audience window answers a new window's hello with the whole state. A
 * student's window stays out of the channel: trying the join link in the instructor's own
 * browser must not let the "student" steer the instructor's windows.
 */
import { useCallback, useEffect, useEffectEvent, useRef, type RefObject } from "react";
import { SCHEDULER_STEP_EVENT, diffSteps, readSteps, writeSteps, type StepMap } from "@/components/scheduler/hash";
import type { PresentationSync, SharedLiveSession } from "./sync";

export interface SchedulerSteps {
  /** The steps in this window's URL, as last seen. */
  stepsRef: RefObject<StepMap>;
  /** Shows steps that came from elsewhere: writes the hash and tells the views (hashchange). */
  apply(steps: StepMap): void;
}

/** The scheduler steps of this window (read from the hash when mounted). */
export function useSchedulerSteps(): SchedulerSteps {
  const stepsRef = useRef<StepMap>({});
  useEffect(() => {
    stepsRef.current = readSteps(window.location.hash);
  }, []);
  const apply = useCallback((steps: StepMap) => {
    const changed = diffSteps(stepsRef.current, { ...stepsRef.current, ...steps });
    if (!Object.keys(changed).length) return;
    stepsRef.current = { ...stepsRef.current, ...changed };
    const url = `${window.location.pathname}${window.location.search}${writeSteps(window.location.hash, changed)}`;
    window.history.replaceState(window.history.state, "", url);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  }, []);
  return { stepsRef, apply };
}

export interface WindowSyncOptions {
  /** A student following a live session: no channel at all. */
  following: boolean;
  /** Answer hellos (the audience window; the presenter window only asks). */
  answers: boolean;
  indexRef: RefObject<number>;
  /** Shows a slide another window moved to (without posting it back). */
  showSlide: (index: number) => void;
  steps: SchedulerSteps;
  live: SharedLiveSession | null;
  setLive: (session: SharedLiveSession | null) => void;
  /** Steps changed in this window (a view was stepped, or the hash edited), after the other windows were told. */
  onLocalSteps: (changed: StepMap) => void;
}

export function useWindowSync(sync: PresentationSync, { following, answers, indexRef, showSlide, steps, live, setLive, onLocalSteps }: WindowSyncOptions): void {
  const { apply, stepsRef } = steps;
  // Not a dependency of the listener below: it may change on every render.
  const localSteps = useEffectEvent(onLocalSteps);
  useEffect(() => {
    if (following) return;
    sync.open();
    const offs = [
      sync.on("slide", (m) => showSlide(m.slide)),
      sync.on("scheduler", (m) => apply({ [m.key]: m.step })),
      sync.on("live", (m) => setLive(m.session)),
    ];
    sync.post({ type: "hello" });
    return () => {
      offs.forEach((off) => off());
      sync.dispose();
    };
  }, [sync, following, showSlide, apply, setLive]);

  // Steps changed here (a student's window listens too: stepping on their own takes them away).
  useEffect(() => {
    const onChange = () => {
      const now = readSteps(window.location.hash);
      const changed = diffSteps(stepsRef.current, now);
      stepsRef.current = now;
      for (const [key, step] of Object.entries(changed)) sync.post({ type: "scheduler", key, step });
      localSteps(changed);
    };
    window.addEventListener("hashchange", onChange);
    window.addEventListener(SCHEDULER_STEP_EVENT, onChange);
    return () => {
      window.removeEventListener("hashchange", onChange);
      window.removeEventListener(SCHEDULER_STEP_EVENT, onChange);
    };
  }, [sync, stepsRef]);

  useEffect(() => {
    if (!answers || following) return;
    return sync.on("hello", () => {
      sync.post({ type: "slide", slide: indexRef.current });
      for (const [key, step] of Object.entries(stepsRef.current)) sync.post({ type: "scheduler", key, step });
      sync.post({ type: "live", session: live });
    });
  }, [sync, answers, following, live, indexRef, stepsRef]);
}
