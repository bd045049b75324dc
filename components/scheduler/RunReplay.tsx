"use client";

import { useMemo } from "react";
import type { KernelEvent } from "@/lib/kernel";
import { fromKernelEvents } from "@/lib/scheduler";
import type { Locale } from "@/lib/content/locales";
import { Scheduler } from "./Scheduler";

export interface RunReplayProps {
  /** The kernel event stream of the run, as `Machine.onEvent` delivered it. */
  events: readonly KernelEvent[];
  lang?: Locale;
  /** Names the step in the URL; default "run". */
  id?: string;
  size?: "normal" | "large";
}

/** "Replay this run": the run's processes on the same tree and timeline as the lessons' scenarios. */
export function RunReplay({ events, lang, id = "run", size }: RunReplayProps) {
  const trace = useMemo(() => fromKernelEvents(events), [events]);
  return <Scheduler trace={trace} lang={lang} id={id} size={size} />;
}
