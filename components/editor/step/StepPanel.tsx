"use client";

/**
 * Step mode's panel under the editor: status, lanes, the other controls, the stepped run's
 * output and the interleaving so far on the scheduler view (its third source, `fromSteps`).
 * Keys anywhere in the panel: 1–9 step that lane's process, N run to the next shared
 * operation, A advance the clock, B back, R finish at random. In the presenter window it is a
 * read-only mirror (`actions` null).
 */
import { useDeferredValue, useEffect, useMemo, useRef, type KeyboardEvent } from "react";
import { fromSteps } from "@/lib/scheduler";
import type { Failure } from "@/lib/kernel/sched/types";
import type { StepSnapshot } from "@/lib/playground/step-session";
import type { SearchState } from "@/lib/playground/step-search";
import type { Locale } from "@/lib/content/locales";
import { Scheduler } from "@/components/scheduler/Scheduler";
import { buttonClass } from "../ExampleToolbar";
import { markClass } from "./colours";
import { SearchBox } from "./SearchBox";
import { StepLanes } from "./StepLanes";
import type { StepStrings } from "./strings";
import "./step.css";

export interface StepActions {
  step(proc: number): void;
  toShared(): void;
  advance(): void;
  back(): void;
  random(): void;
  replay(): void;
  close(): void;
  share(): void;
  find(): void;
  stopSearch(): void;
  /** Lets a found failure's schedule run to its end. */
  follow(): void;
}

export interface StepPanelProps {
  id: string;
  s: StepStrings;
  lang: Locale;
  snap: StepSnapshot;
  actions: StepActions | null;
  shareUrl: string | null;
  copied: boolean;
  search: SearchState;
}

const big = "min-h-[2.75rem]";

function failureText(f: Failure): string {
  switch (f.kind) {
    case "exception":
      return f.text.trim().split("\n").at(-1) ?? f.text;
    case "exit":
      return `exit code ${f.code}`;
    case "deadlock":
      return "deadlock";
    case "output":
      return "output differs";
    case "check":
      return f.message;
    case "limit":
      return `out of ${f.what}`;
  }
}

export function StepPanel({ id, s, lang, snap, actions, shareUrl, copied, search }: StepPanelProps) {
  const nameOf = (pid: number, proc: number) => snap.names.get(pid)?.name ?? (proc === 0 ? "MainProcess" : `Process-${proc}`);
  // The timeline redraws after the lanes and markers (a deferred value): a step's feedback comes first.
  const later = useDeferredValue(snap);
  const trace = useMemo(() => (later.steps.length || later.choice ? fromSteps(later.steps, later.choice, (pid) => later.names.get(pid)) : null), [later.steps, later.choice, later.names]);
  const choice = snap.choice;
  const choosing = snap.phase === "choosing";
  const nextDeadline = choice?.canAdvance ? Math.min(...choice.blocked.map((b) => b.deadline ?? Infinity), ...(choice.timers ?? []).map((t) => t.deadline)) : null;
  const failingStep = snap.failing?.divergedAt ?? null;
  const divergedOp = failingStep === null ? undefined : snap.steps.find((x) => x.choice.step === failingStep) ?? (choice?.step === failingStep ? { choice, decision: snap.failing?.next ?? null } : undefined);
  const divergedProc = divergedOp && typeof divergedOp.decision === "number" ? divergedOp.choice.enabled.find((o) => o.proc === divergedOp.decision) : undefined;
  const failingName = divergedProc ? `${nameOf(divergedProc.pid, divergedProc.proc)} (pid ${divergedProc.pid})` : null;
  const hasBack = snap.steps.some((x) => x.choice.enabled.length > 0) && snap.phase !== "running";

  // Opening step mode moves focus into the panel, so its keys work at once (keyboard alone).
  const root = useRef<HTMLElement>(null);
  const interactive = actions !== null;
  useEffect(() => {
    if (interactive) root.current?.focus({ preventScroll: true });
  }, [interactive]);

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (!actions || e.altKey || e.ctrlKey || e.metaKey) return;
    const tag = (e.target as HTMLElement).tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const k = e.key.toLowerCase();
    if (/^[1-9]$/.test(k)) {
      const lane = snap.lanes[Number(k) - 1];
      if (lane && choosing && lane.state === "ready") actions.step(lane.proc);
    } else if (k === "n" && choosing) actions.toShared();
    else if (k === "a" && choosing && choice?.canAdvance) actions.advance();
    else if (k === "b" && hasBack) actions.back();
    else if (k === "r" && choosing) actions.random();
    else return;
    e.preventDefault();
  };

  const status =
    snap.phase === "idle" && snap.pending !== null
      ? s.sharedNotice(snap.pending)
      : snap.phase === "running"
        ? snap.steps.length === 0 ? s.starting : s.running
        : snap.phase === "choosing"
          ? s.yourTurn(choice?.enabled.length ?? 0)
          : snap.phase === "finished"
            ? snap.record?.failure && snap.record.failure.kind !== "limit" ? s.failed(failureText(snap.record.failure)) : s.finished
            : snap.phase === "error" ? (snap.error ?? "") : "";

  return (
    <section ref={root} tabIndex={-1} aria-label={s.region} data-step-panel={id} data-phase={snap.phase} data-steps={snap.steps.length} onKeyDown={onKeyDown} className="flex flex-col gap-2 border-t border-neutral-200 p-2 focus:outline-none focus-visible:outline-2 focus-visible:outline-blue-600 dark:border-neutral-700">
      <p role="status" className={`m-0 text-sm ${snap.phase === "error" ? "text-red-800 dark:text-red-300" : ""}`}>
        {status} <span className="font-mono text-xs text-neutral-700 dark:text-neutral-300">· {s.stepsSoFar(snap.steps.length)} · {s.clock(snap.clock)}</span>
      </p>
      {snap.phase === "idle" && snap.pending !== null && actions ? (
        <div>
          <button type="button" className={`${buttonClass} ${big}`} onClick={actions.replay}>
            {s.replayShared(snap.pending)}
          </button>
        </div>
      ) : null}
      {snap.failing ? (
        <div data-step-failing className="flex flex-wrap items-center gap-2 rounded border-l-4 border-red-700 bg-red-50 px-2 py-1 text-sm text-red-950 dark:border-red-400 dark:bg-red-950 dark:text-red-100">
          <p className="m-0">{s.failingAt(snap.failing.divergedAt, failingName)}</p>
          {actions && choosing && snap.failing.next !== null ? (
            <button type="button" className={`${buttonClass} ${big}`} onClick={actions.follow}>
              {s.follow}
            </button>
          ) : null}
        </div>
      ) : null}
      <StepLanes s={s} lanes={snap.lanes} nameOf={nameOf} onStep={actions ? actions.step : null} choosing={choosing} hint={choosing && typeof snap.failing?.next === "number" ? snap.failing.next : null} />
      {actions ? (
        <div className="flex flex-wrap gap-1.5">
          <button type="button" className={`${buttonClass} ${big}`} aria-disabled={!choosing || undefined} aria-keyshortcuts="N" onClick={() => choosing && actions.toShared()}>
            {s.toShared}
          </button>
          {nextDeadline !== null && Number.isFinite(nextDeadline) ? (
            <button type="button" className={`${buttonClass} ${big}`} aria-disabled={!choosing || undefined} aria-keyshortcuts="A" onClick={() => choosing && actions.advance()}>
              {s.advance(nextDeadline)}
            </button>
          ) : null}
          <button type="button" className={`${buttonClass} ${big}`} aria-disabled={!hasBack || undefined} aria-keyshortcuts="B" onClick={() => hasBack && actions.back()}>
            <span aria-hidden="true">◀ </span>
            {s.back}
          </button>
          <button type="button" className={`${buttonClass} ${big}`} aria-disabled={!choosing || undefined} aria-keyshortcuts="R" onClick={() => choosing && actions.random()}>
            {s.random}
          </button>
          <button type="button" className={`${buttonClass} ${big}`} aria-disabled={snap.steps.length === 0 || undefined} onClick={() => snap.steps.length > 0 && actions.share()}>
            {copied ? s.shareCopied : s.share}
          </button>
          <button type="button" className={`${buttonClass} ${big} ml-auto`} onClick={actions.close}>
            {s.close}
          </button>
        </div>
      ) : null}
      {actions ? <SearchBox s={s} lang={lang} state={search} onFind={actions.find} onStop={actions.stopSearch} /> : null}
      {shareUrl ? (
        <label className="flex items-center gap-2 text-xs">
          <span>{s.share}:</span>
          <input readOnly value={shareUrl} data-step-share className="w-full bg-transparent font-mono" onFocus={(e) => e.currentTarget.select()} />
        </label>
      ) : null}
      <div role="region" aria-label={s.output} tabIndex={0} className="max-h-48 overflow-auto rounded bg-neutral-50 p-2 dark:bg-neutral-900">
        <pre data-step-output className="m-0 font-mono text-xs whitespace-pre-wrap">
          {snap.output.length === 0 ? <span className="text-neutral-700 dark:text-neutral-300">{s.noOutput}</span> : snap.output.map((c, i) => (
            <span key={i} className={`${markClass(c.pid)} ${c.fd === 2 ? "text-red-800 dark:text-red-300" : ""}`} style={{ borderLeft: "3px solid var(--sp-hue)", paddingLeft: 4 }}>
              {c.text}
            </span>
          ))}
        </pre>
      </div>
      {trace ? <Scheduler trace={trace} lang={lang} id={`step-${id}`} title={s.timeline} follow /> : null}
      {actions ? <p className="m-0 text-xs text-neutral-700 dark:text-neutral-300">{s.keys}</p> : null}
    </section>
  );
}
