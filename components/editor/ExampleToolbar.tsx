"use client";

/** A live example's toolbar: file tabs (or its title), the "modified" badge, Run, Step, Stop, Reset, Copy, Share. */
import type { EditorStrings } from "./strings";
import { FileTabs } from "./FileTabs";

const base =
  "rounded border px-2.5 py-1 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 disabled:cursor-not-allowed disabled:opacity-50";
export const buttonClass = `${base} border-neutral-300 hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800`;
const primaryClass = `${base} border-blue-700 bg-blue-600 font-medium text-white hover:bg-blue-700 dark:border-blue-500 dark:bg-blue-600 dark:hover:bg-blue-500`;

export interface ExampleToolbarProps {
  s: EditorStrings;
  title?: string;
  fileNames: readonly string[];
  active: string;
  onSelect: (file: string) => void;
  /** The file Run starts. */
  entry: string;
  /** Other Python files, each with its own Run button (companions). */
  otherPython: readonly string[];
  isEdited: (file: string) => boolean;
  modified: boolean;
  /** The browser cannot run Python: no Run or Stop. */
  unsupported: boolean;
  /** React has hydrated the toolbar: until then its actions are disabled (a click would do nothing). */
  hydrated: boolean;
  /** Python runs here without shared memory (lib/playground/capabilities.ts): the badge's label and why. */
  compat?: { label: string; why: string } | null;
  busy: boolean;
  copied: "code" | "link" | null;
  onRun: (file: string) => void;
  /** Step mode: the entry, one process step at a time. */
  onStep: () => void;
  onStop: () => void;
  onReset: () => void;
  onCopy: () => void;
  onShare: () => void;
}

export function ExampleToolbar(p: ExampleToolbarProps) {
  const { s } = p;
  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-neutral-200 bg-neutral-50 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900">
      {p.fileNames.length > 1 ? (
        <FileTabs
          names={p.fileNames}
          active={p.active}
          onSelect={p.onSelect}
          label={s.files}
          className="flex flex-wrap gap-1"
          tabClassName={(selected) =>
            `rounded px-2 py-0.5 font-mono text-xs ${selected ? "bg-white shadow-sm dark:bg-neutral-700" : "text-neutral-700 dark:text-neutral-300"}`
          }
          decorate={(name) => (
            <>
              {name === p.entry ? <span className="sr-only">{s.entrySuffix}</span> : null}
              {p.isEdited(name) ? <span aria-hidden="true"> •</span> : null}
            </>
          )}
        />
      ) : (
        <span className="font-mono text-xs text-neutral-700 dark:text-neutral-300">{p.title ?? p.entry}</span>
      )}
      {p.modified ? (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100" title={s.savedHere}>
          {s.modified}
        </span>
      ) : null}
      {p.compat ? (
        <span
          className="rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-950 dark:bg-sky-900 dark:text-sky-100"
          title={p.compat.why}
          data-runtime-mode="relay"
          tabIndex={0}
        >
          <span aria-hidden="true">{p.compat.label}</span>
          <span className="sr-only">{p.compat.why}</span>
        </span>
      ) : null}
      <div className="ml-auto flex flex-wrap items-center gap-1.5">
        {p.unsupported ? null : (
          <>
            <button type="button" className={primaryClass} onClick={() => p.onRun(p.entry)} disabled={!p.hydrated} aria-keyshortcuts="Control+Enter Meta+Enter" title="Ctrl/⌘+Enter">
              <span aria-hidden="true">▶ </span>
              {s.run}
            </button>
            <button type="button" className={buttonClass} onClick={p.onStep} disabled={!p.hydrated} title={p.s.stepTitle} data-step-start>
              <span aria-hidden="true">⏭ </span>
              {p.s.step}
            </button>
            {p.otherPython.map((name) => (
              <button key={name} type="button" className={buttonClass} onClick={() => p.onRun(name)} disabled={!p.hydrated}>
                {s.runFile(name)}
              </button>
            ))}
            <button type="button" className={buttonClass} onClick={p.onStop} disabled={!p.busy}>
              <span aria-hidden="true">■ </span>
              {s.stop}
            </button>
          </>
        )}
        <button type="button" className={buttonClass} onClick={p.onReset} disabled={!p.modified}>
          {s.reset}
        </button>
        <button type="button" className={buttonClass} onClick={p.onCopy} disabled={!p.hydrated}>
          {p.copied === "code" ? s.copied : s.copy}
        </button>
        <button type="button" className={buttonClass} onClick={p.onShare} disabled={!p.hydrated}>
          {p.copied === "link" ? s.linkCopied : s.share}
        </button>
      </div>
    </div>
  );
}
