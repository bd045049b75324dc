"use client";

/**
 * A student following the instructor (`?join=CODE`): an EventSource on the live session
 * (lib/live's followLiveSession). Following only moves the slide and the scheduler views;
 * nothing runs without the student's click. A student who moves on their own is "away"
 * until "Back to the instructor".
 */
import { useCallback, useRef, useState, useEffect } from "react";
import { followLiveSession, type FollowStatus, type LiveState } from "@/lib/live";
import type { StepMap } from "@/components/scheduler/hash";

export type FollowView = { code: string; status: FollowStatus; instructor: LiveState | null; detached: boolean };

export interface FollowSession {
  /** Null when this window is not following. */
  view: FollowView | null;
  /** The student moved to slide `index` on their own. */
  movedTo(index: number): void;
  /** The student stepped scheduler views on their own. */
  stepped(changed: StepMap): void;
  backToInstructor(): void;
}

/** `show` moves this window to the instructor's slide and `apply` to their steps. */
export function useFollowSession(joinCode: string | null, show: (index: number) => void, apply: (steps: StepMap) => void): FollowSession {
  const [status, setStatus] = useState<FollowStatus>({ kind: "connecting" });
  const [instructor, setInstructor] = useState<LiveState | null>(null);
  const [detached, setDetached] = useState(false);
  const instructorRef = useRef<LiveState | null>(null);
  const detachedRef = useRef(false);

  const detach = useCallback((value: boolean) => {
    detachedRef.current = value;
    setDetached(value);
  }, []);

  useEffect(() => {
    if (!joinCode) return;
    return followLiveSession(joinCode, {
      onStatus: setStatus,
      onState: (state) => {
        instructorRef.current = state;
        setInstructor(state);
        setStatus({ kind: "live" });
        if (!detachedRef.current) {
          show(state.slide);
          apply(state.steps);
        }
      },
    });
  }, [joinCode, show, apply]);

  const movedTo = useCallback(
    (index: number) => {
      if (instructorRef.current && instructorRef.current.slide !== index) detach(true);
    },
    [detach],
  );

  const stepped = useCallback(
    (changed: StepMap) => {
      const theirs = instructorRef.current;
      if (theirs && Object.entries(changed).some(([key, step]) => (theirs.steps[key] ?? 0) !== step)) detach(true);
    },
    [detach],
  );

  const backToInstructor = useCallback(() => {
    const theirs = instructorRef.current;
    if (!theirs) return;
    detach(false);
    show(theirs.slide);
    apply(theirs.steps);
  }, [detach, show, apply]);

  const view = joinCode ? { code: joinCode, status, instructor, detached } : null;
  return { view, movedTo, stepped, backToInstructor };
}
