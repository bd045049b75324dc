"use client";

/**
 * Step mode of one live example: a lib/playground StepSession on the page's machine, fed
 * with the machine's output and spawn/rename events, started on the reader's button (the
 * runner is the port's `startControlled`, bound once the page's machine is up).
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { StepSession } from "@/lib/playground/step-session";
import { pageRuntime } from "../runtime";

type Files = Record<string, string>;

/** The example holds this (it never re-renders on a step); `StepArea` subscribes to the snapshots. */
export interface StepMode {
  /** Step mode is open (its panel shows). */
  open: boolean;
  session: StepSession;
  /** Opens step mode and starts (or replays a loaded interleaving). */
  begin(): Promise<void>;
  close(): void;
  /** A shared link's interleaving: shown, not run. */
  load(token: string, steps: number): void;
}

export function useStepMode(entry: string, filesRef: RefObject<Files>): StepMode {
  // The runner binds on the first Step (the machine and the runner load on demand).
  // "Finish with random choices" differs each time; the token records what it chose.
  const [session] = useState(() => new StepSession(null, { randomSeed: () => Math.floor(Math.random() * 0x7fffffff) }));
  const [open, setOpen] = useState(false);
  const offs = useRef<(() => void)[]>([]);

  useEffect(
    () => () => {
      offs.current.forEach((off) => off());
      session.dispose();
    },
    [session],
  );

  const begin = useCallback(async () => {
    setOpen(true);
    if (!session.bound) {
      const port = await pageRuntime().machine();
      port.prepareControlled();
      session.bind((policy, options) => port.startControlled({ files: filesRef.current, entry }, policy, options));
      offs.current.push(
        port.onOutput((c) => session.appendOutput(c)),
        port.onEvent((e) => {
          if (e.type === "spawn") session.noteProcess(e.pid, e.name, e.ppid);
          else if (e.type === "rename") session.noteProcess(e.pid, e.name);
        }),
      );
    }
    session.start();
  }, [session, entry, filesRef]);

  const close = useCallback(() => {
    session.stop();
    setOpen(false);
  }, [session]);

  const load = useCallback(
    (token: string, steps: number) => {
      try {
        session.load(token, steps);
        setOpen(true);
      } catch {
        // A damaged schedule token: the code still loads, step mode stays closed.
      }
    },
    [session],
  );

  return { open, session, begin, close, load };
}
