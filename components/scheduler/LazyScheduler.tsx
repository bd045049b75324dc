"use client";

/**
 * `<Scheduler>` as lessons use it. Every lesson page imports the one MDX component map, so a
 * static import would put the scheduler (views + lib/scheduler) into the first-load JS of every
 * lesson, with or without a scheduler view. Through `next/dynamic` its code is only fetched by
 * pages that render one; it is still rendered on the server (the first paint has the view).
 */
import dynamic from "next/dynamic";
import type { SchedulerProps } from "./Scheduler";

export const LazyScheduler = dynamic<SchedulerProps>(() => import("./Scheduler").then((m) => m.Scheduler));
