"use client";

/**
 * A live example: the files of one runnable block or playground, an editor per file, a
 * toolbar, one terminal per running program, a shell, and the live process panel. All
 * examples of a page share one Python machine (./runtime.ts). The parts live apart:
 * files, edits and share links in `useExampleFiles`; the run state in lib/playground's
 * ExampleSession (`useExampleSession`); the Output/Shell tabs in `useShellTab`; the
 * expected-output check in `useOutputCheck`; the views in `ExampleToolbar`, `FileTabs`
 * and `OutputPanel`. This component wires them together.
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import type { KernelEvent } from "@/lib/kernel";
import { ExampleSession, describeMissing, describeRelay, detectCapabilities, isFramed, type LoaderState, type MissingCapability, type SessionSnapshot } from "@/lib/playground";
import { ExpectedOutputText } from "@/components/lesson/ExpectedOutputText";
import { TerminalSink } from "@/components/terminal/sink";
import { CodeEditor } from "./CodeEditor";
import { ExampleToolbar, buttonClass } from "./ExampleToolbar";
import { useHydrated } from "@/components/site/use-hydrated";
import { OutputPanel } from "./OutputPanel";
import { editorStrings, type EditorStrings } from "./strings";
import { pageRuntime, preloadWhenIdle, stopEverythingOnPagehide } from "./runtime";
import { useExampleFiles } from "./use-example-files";
import { useOutputCheck } from "./use-output-check";
import { SpeedupChart } from "@/components/lesson/SpeedupChart";
import { useShellTab } from "./use-shell-tab";
// The files, not components/present's index: that would pull the whole presentation into every lesson page.
import { useEditorMirror, useOutputMirror } from "@/components/present/mirror";
import { useIsPresentationPreview } from "@/components/present/use-presentation-sync";
import { StepArea } from "./step/StepArea";
import { useStepMode } from "./step/use-step-session";
import "./editor.css";

export interface LiveFile {
  name: string;
  lang: string;
  code: string;
  /** shiki HTML of `code`. */
  html?: string;
}

export interface LiveExampleProps {
  id: string;
  title?: string;
  files: LiveFile[];
  /** The file Run starts. */
  entry: string;
  expectedOutput?: string;
  unordered: boolean;
  /** Draws this chart from the main program's output (lib/lessons/speedup.ts). */
  chart?: "speedup";
  locale: string;
  children?: ReactNode;
}

function useLoaderState(): LoaderState {
  const [state, setState] = useState<LoaderState>({ phase: "idle" });
  useEffect(() => pageRuntime().subscribe(setState), []);
  return state;
}

const noSubscription = () => () => {};

/** What the relay runtime is used for here, as a stable string ("" in the shared runtime, and on the server, which cannot know). */
function relayReason(): string {
  const caps = detectCapabilities();
  return caps.mode === "relay" ? caps.missing.join(",") : "";
}

/** The compatibility badge's text where Python runs without shared memory. */
function useCompatBadge(locale: string): { label: string; why: string } | null {
  const reason = useSyncExternalStore(noSubscription, relayReason, () => "");
  return useMemo(() => (reason ? describeRelay(reason.split(",") as MissingCapability[], locale, isFramed()) : null), [reason, locale]);
}

const EMPTY: SessionSnapshot<TerminalSink> = { programs: [], rows: [], busy: false, queued: false };

/**
 * One session per example. Constructing it has no side effects (safe during SSR); the
 * machine is only touched on Run. While mounted it holds the page's machine; unmounting
 * kills what it started (the loader disposes the machine when the last example goes).
 * In a presenter's preview (`inert`) nothing is held or started.
 */
function useExampleSession(s: EditorStrings, inert: boolean) {
  const [session] = useState(
    () =>
      new ExampleSession<TerminalSink>({
        machine: () => pageRuntime().machine(),
        readyMachine: () => pageRuntime().ready,
        createSink: () => new TerminalSink(),
        messages: { exited: s.exited, stopped: s.stopped, scrolledOut: s.scrolledOut, deadlock: s.deadlock },
        schedule: (cb) => requestAnimationFrame(cb),
      }),
  );
  useEffect(() => {
    if (inert) return;
    const release = pageRuntime().acquire();
    session.resume();
    preloadWhenIdle();
    stopEverythingOnPagehide();
    return () => {
      session.dispose();
      release();
    };
  }, [session, inert]);
  const snap = useSyncExternalStore(session.subscribe, session.snapshot, () => EMPTY);
  return { session, snap };
}

export function LiveExample({ id, title, files: lessonFiles, entry, expectedOutput, unordered, chart, locale, children }: LiveExampleProps) {
  const s = editorStrings(locale);
  const rootRef = useRef<HTMLElement>(null);
  const original = useMemo(() => Object.fromEntries(lessonFiles.map((f) => [f.name, f.code])), [lessonFiles]);
  const ex = useExampleFiles(id, entry, original, rootRef);
  const [active, setActive] = useState(entry);
  const [prefix, setPrefix] = useState(false);
  const [replay, setReplay] = useState<KernelEvent[] | null>(null);
  const loader = useLoaderState();
  const compat = useCompatBadge(locale);
  const hydrated = useHydrated();
  // In the presenter window's slide previews the example is a picture of the audience's one:
  // no Python, no Monaco, no download; its code and output come over the presentation channel.
  const preview = useIsPresentationPreview();
  const { session, snap } = useExampleSession(s, preview);
  const tabs = useShellTab(session, ex.filesRef);
  const { show } = tabs;

  useEffect(() => {
    session.setPrefix(prefix);
  }, [session, prefix]);

  const { filesRef } = ex;
  const step = useStepMode(entry, filesRef);
  const { close: closeStep } = step;
  const start = useCallback(
    (file: string) => {
      show("output");
      setReplay(null);
      closeStep();
      void session.run(file, filesRef.current);
    },
    [session, show, filesRef, closeStep],
  );

  const mainProgram = snap.programs.find((p) => p.entry === entry);
  const finishedOutput = expectedOutput !== undefined && mainProgram?.status === "exited" && !snap.busy ? mainProgram.output : null;
  const comparison = useOutputCheck(expectedOutput, unordered, finishedOutput);

  // In a presentation, edits and the main program's output go to the other window.
  useEditorMirror(id, ex.files, ex.replace);
  const [mirroredOutput, setMirroredOutput] = useState<string | null>(null);
  useOutputMirror(id, preview ? null : (mainProgram?.output ?? null), setMirroredOutput);

  const current = lessonFiles.find((f) => f.name === active) ?? lessonFiles[0];
  const currentValue = ex.files[current.name] ?? "";
  const multi = lessonFiles.length > 1;

  return (
    <section ref={rootRef} className="sp-live not-prose my-6 overflow-hidden rounded-lg border border-neutral-300 dark:border-neutral-700" aria-label={title ?? s.example(entry)} data-example-id={id}>
      <ExampleToolbar
        s={s}
        title={title}
        fileNames={lessonFiles.map((f) => f.name)}
        active={active}
        onSelect={setActive}
        entry={entry}
        otherPython={lessonFiles.filter((f) => f.name !== entry && f.name.endsWith(".py")).map((f) => f.name)}
        isEdited={(name) => ex.files[name] !== original[name]}
        modified={ex.modified}
        unsupported={loader.phase === "unsupported"}
        hydrated={hydrated}
        compat={compat}
        busy={snap.busy}
        copied={ex.copied}
        onRun={start}
        onStep={() => void step.begin()}
        onStop={() => void session.stop()}
        onReset={ex.reset}
        onCopy={() => void ex.copy(active)}
        onShare={() => void ex.share()}
      />

      {loader.phase === "unsupported" ? (
        <p role="alert" className="border-b border-neutral-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-neutral-700 dark:bg-amber-950 dark:text-amber-100">
          {describeMissing(loader.missing, locale, isFramed())}
          {isFramed() && loader.missing.includes("cross-origin-isolation") ? (
            <>
              {" "}
              <a href={location.href} target="_blank" rel="noopener" className="font-medium underline">
                {s.openInNewTab}
              </a>
            </>
          ) : null}
        </p>
      ) : null}
      {loader.phase === "error" ? (
        <p role="alert" className="flex items-center gap-2 border-b border-neutral-200 px-3 py-2 text-sm text-red-800 dark:border-neutral-700 dark:text-red-300">
          {s.loadFailed}: {loader.message}
          <button type="button" className={buttonClass} onClick={() => pageRuntime().preload()}>
            {s.retry}
          </button>
        </p>
      ) : null}
      {snap.queued ? <p className="px-3 py-1 text-sm text-neutral-700 dark:text-neutral-300" role="status">{s.queued}</p> : null}
      {ex.shared ? <p className="border-b border-neutral-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-neutral-700 dark:bg-sky-950 dark:text-sky-100" role="status">{s.sharedNotice}</p> : null}
      {ex.shareUrl ? (
        <label className="flex items-center gap-2 border-b border-neutral-200 px-3 py-1 text-xs dark:border-neutral-700">
          <span>{s.share}:</span>
          <input readOnly value={ex.shareUrl} className="w-full bg-transparent font-mono" onFocus={(e) => e.currentTarget.select()} />
        </label>
      ) : null}

      <StepArea
        id={id}
        entry={entry}
        locale={locale}
        ex={ex}
        preview={preview}
        mode={step}
        file={current.name}
        editor={(markers) => (
          <div role={multi ? "tabpanel" : undefined} aria-label={multi ? current.name : undefined}>
            <CodeEditor
              key={current.name}
              file={current.name}
              language={current.lang}
              value={currentValue}
              html={currentValue === current.code ? current.html : undefined}
              onChange={(v) => ex.onChange(current.name, v)}
              onRun={() => start(entry)}
              revision={ex.revision}
              label={s.codeEditor(current.name)}
              tabHint={s.tabHint}
              staticOnly={preview}
              markers={markers}
            />
          </div>
        )}
      />

      <OutputPanel
        id={id}
        locale={locale}
        s={s}
        entry={entry}
        snap={snap}
        tabs={tabs}
        loader={loader}
        prefix={prefix}
        onPrefix={setPrefix}
        mirroredOutput={preview ? mirroredOutput : null}
        replay={replay}
        onReplay={() => setReplay(replay ? null : session.replayEvents())}
      />
      {chart === "speedup" ? <SpeedupChart output={(preview ? mirroredOutput : mainProgram?.output) ?? ""} locale={locale} /> : null}
      {comparison ? (
        <p role="status" className={`px-3 py-1.5 text-sm ${comparison.ok ? "text-emerald-800 dark:text-emerald-300" : "text-amber-900 dark:text-amber-200"}`}>
          <span aria-hidden="true">{comparison.ok ? "✓ " : "≠ "}</span>
          {comparison.ok ? s.matches : s.differs}
        </p>
      ) : null}
      {expectedOutput !== undefined ? (
        <details className="border-t border-neutral-200 px-3 py-1.5 text-sm dark:border-neutral-700">
          <summary className="cursor-pointer">{s.expected}</summary>
          <pre className="mt-1 overflow-auto font-mono text-xs">
            <ExpectedOutputText text={expectedOutput} locale={locale} />
          </pre>
        </details>
      ) : null}
      {children}
    </section>
  );
}
