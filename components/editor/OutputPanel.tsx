"use client";

/**
 * Everything under a live example's editor that shows a run: the Output / Shell tab bar
 * (with the runtime's download progress and the `[pid name]` toggle), one terminal per
 * program, the shell's terminal, the process panel and "Replay this run".
 */
import { lazy, Suspense } from "react";
import type { KernelEvent } from "@/lib/kernel";
import { formatProgress, type LoaderState, type ProgramView, type SessionSnapshot } from "@/lib/playground";
import type { TerminalSink } from "@/components/terminal/sink";
import { Terminal } from "@/components/terminal/Terminal";
import { ProcessPanel } from "@/components/process-panel/ProcessPanel";
import { buttonClass } from "./ExampleToolbar";
import type { EditorStrings } from "./strings";
import type { ShellTab } from "./use-shell-tab";

// The scheduler's replay view is only loaded when a reader asks for it.
const RunReplay = lazy(() => import("@/components/scheduler/RunReplay").then((m) => ({ default: m.RunReplay })));

export interface OutputPanelProps {
  id: string;
  locale: string;
  s: EditorStrings;
  /** The file Run starts (its terminal gets the plain label). */
  entry: string;
  snap: SessionSnapshot<TerminalSink>;
  tabs: ShellTab;
  loader: LoaderState;
  prefix: boolean;
  onPrefix: (on: boolean) => void;
  /** In the presenter's preview: the audience window's output, as text. */
  mirroredOutput: string | null;
  replay: KernelEvent[] | null;
  onReplay: () => void;
}

export function OutputPanel({ id, locale, s, entry, snap, tabs, loader, prefix, onPrefix, mirroredOutput, replay, onReplay }: OutputPanelProps) {
  const loading = loader.phase === "downloading" || loader.phase === "booting";
  const { open, tab, shellSink } = tabs;
  return (
    <>
      <div className="flex items-center gap-1 border-t border-neutral-200 bg-neutral-50 px-2 dark:border-neutral-700 dark:bg-neutral-900">
        <div role="tablist" aria-label={s.output} className="flex gap-1">
          {(["output", "shell"] as const).map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              aria-selected={open && tab === t}
              className={`border-b-2 px-2 py-1 text-xs ${open && tab === t ? "border-blue-600 font-medium" : "border-transparent text-neutral-700 dark:text-neutral-300"}`}
              onClick={() => tabs.toggle(t)}
            >
              {t === "output" ? s.output : s.shell}
            </button>
          ))}
        </div>
        {/* The progress lives in this bar, present from first paint: it never moves the page. */}
        {loader.phase === "downloading" || loader.phase === "booting" ? <LoadProgress state={loader} label={s.loadingPython} starting={s.starting} /> : null}
        {open && tab === "output" && !loading ? (
          <label className="ml-auto flex items-center gap-1.5 py-1 text-xs">
            <input type="checkbox" checked={prefix} onChange={(e) => onPrefix(e.target.checked)} />
            {s.prefixToggle}
          </label>
        ) : null}
      </div>
      {mirroredOutput !== null ? (
        <pre role="log" aria-label={s.terminal} className="max-h-56 overflow-auto border-t border-neutral-200 bg-neutral-950 px-3 py-2 font-mono text-xs text-neutral-100 dark:border-neutral-700">
          {mirroredOutput}
        </pre>
      ) : null}
      {open ? (
        <div className="grid border-t border-neutral-200 md:grid-cols-[minmax(0,1fr)_minmax(260px,40%)] dark:border-neutral-700">
          <div className="min-w-0">
            <div hidden={tab !== "output"}>
              {snap.programs.length === 0 ? <p className="px-3 py-2 text-sm text-neutral-700 dark:text-neutral-300">{s.noOutput}</p> : null}
              {snap.programs.map((p) => (
                <div key={p.entry}>
                  {snap.programs.length > 1 ? (
                    <div className="flex items-center gap-2 bg-neutral-100 px-2 py-0.5 font-mono text-xs dark:bg-neutral-800">
                      <span>{p.entry}</span>
                      <span className="text-neutral-700 dark:text-neutral-300">{statusText(p, s)}</span>
                    </div>
                  ) : null}
                  <Terminal sink={p.sink} label={p.entry === entry ? s.terminal : `${s.terminal}: ${p.entry}`} height={snap.programs.length > 1 ? 170 : 220} />
                </div>
              ))}
            </div>
            {shellSink ? (
              <div hidden={tab !== "shell"}>
                <Terminal sink={shellSink} label={s.shell} height={260} />
              </div>
            ) : null}
          </div>
          <div className="flex flex-col border-t border-neutral-200 md:border-l md:border-t-0 dark:border-neutral-700" style={{ maxHeight: 360 }}>
            <div className="min-h-0 flex-1">
              <ProcessPanel rows={snap.rows} label={s.processes} deadlock={snap.deadlock} />
            </div>
            <div className="border-t border-neutral-200 p-1.5 dark:border-neutral-700">
              <button type="button" className={buttonClass} disabled={snap.rows.length === 0} aria-expanded={replay !== null} onClick={onReplay}>
                {replay ? s.closeReplay : s.replay}
              </button>
            </div>
          </div>
        </div>
      ) : null}
      {replay ? (
        <div className="border-t border-neutral-200 p-2 dark:border-neutral-700">
          <Suspense fallback={<p className="text-sm">…</p>}>
            <RunReplay events={replay} lang={locale === "zh" ? "zh" : "en"} id={`${id}-replay`} />
          </Suspense>
        </div>
      ) : null}
    </>
  );
}

function statusText(p: ProgramView<TerminalSink>, s: EditorStrings): string {
  switch (p.status) {
    case "running":
    case "starting":
      return s.running;
    case "queued":
      return s.queued;
    case "stopped":
      return s.stopped;
    case "exited":
      return p.pid === null ? "" : s.exited(p.exitCode);
    case "failed":
      return s.loadFailed;
    case "idle":
      return "";
  }
}

/** Sits inside the tab bar (whose height does not change), so it never moves the page. */
function LoadProgress({ state, label, starting }: { state: Extract<LoaderState, { phase: "downloading" | "booting" }>; label: string; starting: string }) {
  const pct = state.total > 0 ? Math.min(100, Math.floor((state.loaded / state.total) * 100)) : 0;
  const text = state.phase === "booting" ? `${formatProgress(state.loaded, state.total)}${starting}` : formatProgress(state.loaded, state.total);
  return (
    <div className="ml-auto flex min-w-0 items-center gap-2 overflow-hidden py-1 text-xs text-neutral-700 dark:text-neutral-300">
      <span className="whitespace-nowrap">{label}</span>
      <span
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={pct}
        aria-valuetext={text}
        className="relative block h-1.5 w-24 overflow-hidden rounded bg-neutral-300 dark:bg-neutral-600"
      >
        <span className="absolute inset-y-0 left-0 block bg-blue-600 dark:bg-blue-400" style={{ width: `${pct}%` }} />
      </span>
      <span className="whitespace-nowrap tabular-nums">{text}</span>
    </div>
  );
}
