"use client";

/**
 * The live process table of one editor's run. Rows come from lib/playground's
 * ProcessModel (folded from the kernel event stream). Zombies, stopped processes (state T)
 * and orphans carry an icon and a word, never colour alone. A deadlock diagnosis (already in
 * the page's language) sits above the table as an alert, so screen readers announce it once.
 */
import type { ProcessRow } from "@/lib/playground";
import { ProcessModel } from "@/lib/playground";

export interface ProcessPanelProps {
  rows: readonly ProcessRow[];
  /** Accessible name of the table. Default "Processes". */
  label?: string;
  /** The kernel's deadlock diagnosis of this run, headline first; null/absent when none. */
  deadlock?: readonly string[] | null;
}

const STATE_STYLE: Record<ProcessRow["state"], string> = {
  running: "text-emerald-700 dark:text-emerald-400",
  sleeping: "text-sky-700 dark:text-sky-400",
  blocked: "text-amber-700 dark:text-amber-400",
  stopped: "text-red-700 dark:text-red-400 font-semibold",
  zombie: "text-fuchsia-700 dark:text-fuchsia-400 font-semibold",
  exited: "text-neutral-600 dark:text-neutral-400",
};

const STATE_ICON: Record<ProcessRow["state"], string> = {
  running: "▶",
  sleeping: "☾",
  blocked: "⏸",
  stopped: "⏹",
  zombie: "☠",
  exited: "■",
};

export function ProcessPanel({ rows, label = "Processes", deadlock = null }: ProcessPanelProps) {
  return (
    // Focusable so keyboard users can scroll a long table (axe: scrollable-region-focusable).
    <div className="sp-process-panel h-full overflow-auto text-xs" role="region" aria-label={`${label} (live)`} tabIndex={0}>
      {deadlock && deadlock.length > 0 ? (
        <div role="alert" data-deadlock className="m-1 rounded border border-red-700 bg-red-50 p-2 text-red-900 dark:border-red-400 dark:bg-red-950 dark:text-red-100">
          <p className="font-semibold">
            <span aria-hidden="true">⛔ </span>
            {deadlock[0]}
          </p>
          <ul className="mt-1 list-disc pl-4 font-mono">
            {deadlock.slice(1).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <table className="w-full border-collapse font-mono" aria-label={label}>
        <caption className="sr-only">{label}: live process table of this example</caption>
        <thead className="sticky top-0 bg-neutral-100 text-left dark:bg-neutral-800">
          <tr>
            <th scope="col" className="px-2 py-1 font-semibold">PID</th>
            <th scope="col" className="px-2 py-1 font-semibold">PPID</th>
            <th scope="col" className="px-2 py-1 font-semibold">Name</th>
            <th scope="col" className="px-2 py-1 font-semibold">State</th>
            <th scope="col" className="px-2 py-1 font-semibold">Exit</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={5} className="px-2 py-3 text-neutral-600 dark:text-neutral-400">
                No processes yet. Press Run.
              </td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.pid} data-pid={r.pid} data-state={r.state} className="border-t border-neutral-200 dark:border-neutral-700">
                <td className="px-2 py-1">{r.pid}</td>
                <td className="px-2 py-1">{r.ppid}</td>
                <td className="px-2 py-1">
                  {r.name}
                  {r.daemon ? <span className="ml-1 rounded bg-neutral-200 px-1 dark:bg-neutral-700">daemon</span> : null}
                </td>
                <td data-col="state" className={`px-2 py-1 ${STATE_STYLE[r.state]}`}>
                  <span aria-hidden="true">{STATE_ICON[r.state]} </span>
                  {ProcessModel.describe(r)}
                  {r.orphan ? (
                    <span className="ml-1 rounded border border-orange-600 px-1 text-orange-800 dark:text-orange-300">
                      <span aria-hidden="true">⚠ </span>orphan
                    </span>
                  ) : null}
                </td>
                <td className="px-2 py-1">{r.exitCode ?? ""}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
