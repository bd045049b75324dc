import type { ProcessStateName } from "@/lib/scheduler";

/**
 * State colours. Hue tells states apart at a glance, and every place that uses colour also
 * prints the state's name, so nothing depends on colour alone. Lane colours are -600 on
 * light and -400 on dark backgrounds: at least 3:1 against the page in both themes.
 * Class names are written out in full so Tailwind finds them.
 */
export const LANE: Record<ProcessStateName, string> = {
  new: "bg-slate-500 dark:bg-slate-400",
  ready: "bg-amber-600 dark:bg-amber-400",
  running: "bg-emerald-600 dark:bg-emerald-400",
  sleeping: "bg-sky-600 dark:bg-sky-400",
  blocked: "bg-violet-600 dark:bg-violet-400",
  stopped: "bg-red-700 dark:bg-red-400",
  zombie: "bg-rose-600 dark:bg-rose-400",
  reaped: "bg-[repeating-linear-gradient(135deg,var(--border)_0_2px,transparent_2px_6px)]",
};

/** Tree nodes: a tinted card with a strong border; text stays at body contrast. */
export const NODE: Record<ProcessStateName, string> = {
  new: "fill-slate-100 stroke-slate-500 dark:fill-slate-800 dark:stroke-slate-400",
  ready: "fill-amber-50 stroke-amber-600 dark:fill-amber-950 dark:stroke-amber-400",
  running: "fill-emerald-50 stroke-emerald-600 dark:fill-emerald-950 dark:stroke-emerald-400",
  sleeping: "fill-sky-50 stroke-sky-600 dark:fill-sky-950 dark:stroke-sky-400",
  blocked: "fill-violet-50 stroke-violet-600 dark:fill-violet-950 dark:stroke-violet-400",
  stopped: "fill-red-50 stroke-red-700 dark:fill-red-950 dark:stroke-red-400",
  zombie: "fill-rose-50 stroke-rose-600 dark:fill-rose-950 dark:stroke-rose-400",
  reaped: "fill-transparent stroke-slate-400 dark:stroke-slate-500",
};

/** The state word inside a node, in the state's hue but dark/light enough for text (4.5:1). */
export const NODE_TEXT: Record<ProcessStateName, string> = {
  new: "fill-slate-700 dark:fill-slate-300",
  ready: "fill-amber-800 dark:fill-amber-300",
  running: "fill-emerald-800 dark:fill-emerald-300",
  sleeping: "fill-sky-800 dark:fill-sky-300",
  blocked: "fill-violet-800 dark:fill-violet-300",
  stopped: "fill-red-800 dark:fill-red-300",
  zombie: "fill-rose-800 dark:fill-rose-300",
  reaped: "fill-slate-600 dark:fill-slate-400",
};
