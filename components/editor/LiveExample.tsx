"use client";

/**
 * A live example: the files of one runnable block or playground, an editor per file, a
 * toolbar (Run, Stop, Reset, Copy, Share), one terminal per running program, and the
 * live process panel. All examples of a page share one Python machine (./runtime.ts);
 * the run state lives in lib/playground's ExampleSession, this component renders it.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import type { KernelEvent } from "@/lib/kernel";
import {
  EditStore,
  ExampleSession,
  browserStorage,
  decodeShare,
  describeMissing,
  encodeShare,
  formatProgress,
  isModified,
  type LoaderState,
  type ProgramView,
  type SessionSnapshot,
} from "@/lib/playground";
import type { MachinePort } from "@/lib/runtime/port";
import type { CompareResult } from "@/lib/lessons";
import { ExpectedOutputText } from "@/components/lesson/ExpectedOutputText";
import { TerminalSink } from "@/components/terminal/sink";
import { Terminal } from "@/components/terminal/Terminal";
import { ProcessPanel } from "@/components/process-panel/ProcessPanel";
import { CodeEditor } from "./CodeEditor";
import { editorStrings } from "./strings";
import { pageRuntime, preloadWhenIdle, stopEverythingOnPagehide } from "./runtime";
// The files, not components/present's index: that would pull the whole presentation into every lesson page.
import { useEditorMirror, useOutputMirror } from "@/components/present/mirror";
import { useIsPresentationPreview } from "@/components/present/use-presentation-sync";
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
  locale: string;
  children?: ReactNode;
}

function useLoaderState(): LoaderState {
  const [state, setState] = useState<LoaderState>({ phase: "idle" });
  useEffect(() => pageRuntime().subscribe(setState), []);
  return state;
}

// The scheduler's replay view is only loaded when a reader asks for it.
const RunReplay = lazy(() => import("@/components/scheduler/RunReplay").then((m) => ({ default: m.RunReplay })));

const EMPTY: SessionSnapshot<TerminalSink> = { programs: [], rows: [], busy: false, queued: false };

export function LiveExample({ id, title, files: lessonFiles, entry, expectedOutput, unordered, locale, children }: LiveExampleProps) {
  const s = editorStrings(locale);
  const original = useMemo(() => Object.fromEntries(lessonFiles.map((f) => [f.name, f.code])), [lessonFiles]);
  const [files, setFiles] = useState<Record<string, string>>(original);
  const [active, setActive] = useState(entry);
  const [shared, setShared] = useState(false);
  const [modified, setModified] = useState(false);
  /** Counts replacements of the code from outside the editor (see CodeEditor's `revision`). */
  const [revision, setRevision] = useState(0);
  const [copied, setCopied] = useState<"code" | "link" | null>(null);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const [prefix, setPrefix] = useState(false);
  const loader = useLoaderState();
  const rootRef = useRef<HTMLElement>(null);
  const store = useMemo(() => new EditStore(browserStorage()), []);
  const pagePath = useRef("");
  // In the presenter window's slide previews the example is a picture of the audience's one:
  // no Python, no Monaco, no download; its code and output come over the presentation channel.
  const preview = useIsPresentationPreview();

  // One session per example. Constructing it has no side effects (safe during SSR);
  // the machine is only touched on Run.
  const [session] = useState(
    () =>
      new ExampleSession<TerminalSink>({
        machine: () => pageRuntime().machine(),
        machineReady: () => pageRuntime().state.phase === "ready",
        createSink: () => new TerminalSink(),
        messages: { exited: s.exited, stopped: s.stopped },
        schedule: (cb) => requestAnimationFrame(cb),
      }),
  );
  useEffect(() => {
    if (preview) return;
    const release = pageRuntime().acquire();
    session.resume();
    preloadWhenIdle();
    stopEverythingOnPagehide();
    return () => {
      // Navigating away: kill what we started; the loader disposes the machine when the
      // last example on the page unmounts.
      session.dispose();
      release();
    };
  }, [session, preview]);
  const snap = useSyncExternalStore(session.subscribe, session.snapshot, () => EMPTY);

  useEffect(() => {
    session.setPrefix(prefix);
  }, [session, prefix]);

  // --- Persistence and share links ----------------------------------------------------
  useEffect(() => {
    pagePath.current = window.location.pathname;
    let cancelled = false;
    const saved = store.load(pagePath.current, id);
    void (async () => {
      let fromShare = null;
      try {
        fromShare = await decodeShare(window.location.hash);
      } catch {
        fromShare = null;
      }
      if (cancelled) return;
      if (fromShare && fromShare.blockId === id) {
        // Shown, never run: the reader presses Run after reading someone else's code.
        setFiles({ ...original, ...fromShare.files });
        setRevision((r) => r + 1);
        setShared(true);
        setModified(isModified({ ...original, ...fromShare.files }, original));
        rootRef.current?.scrollIntoView({ block: "start" });
      } else if (saved) {
        setFiles({ ...original, ...saved });
        setRevision((r) => r + 1);
        setModified(isModified({ ...original, ...saved }, original));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [id, original, store]);

  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onChange = useCallback(
    (file: string, value: string) => {
      setFiles((prev) => {
        if (prev[file] === value) return prev;
        const next = { ...prev, [file]: value };
        setModified(isModified(next, original));
        if (saveTimer.current) clearTimeout(saveTimer.current);
        saveTimer.current = setTimeout(() => store.save(pagePath.current, id, next, original), 250);
        return next;
      });
    },
    [id, original, store],
  );

  const filesRef = useRef(files);
  useEffect(() => {
    filesRef.current = files;
  }, [files]);

  const [outputOpen, setOutputOpen] = useState(false);
  const [outputTab, setOutputTab] = useState<"output" | "shell">("output");
  const [shellSink, setShellSink] = useState<TerminalSink | null>(null);
  const [replay, setReplay] = useState<KernelEvent[] | null>(null);
  const start = useCallback(
    (file: string) => {
      setOutputOpen(true);
      setOutputTab("output");
      setReplay(null);
      void session.run(file, filesRef.current);
    },
    [session],
  );

  // The Shell tab: lib/shell on the page's machine, started the first time it is opened.
  useEffect(() => {
    if (!shellSink) return;
    let shell: { dispose(): void } | null = null;
    let offInput = () => {};
    let cancelled = false;
    // lib/shell loads with the tab: it is not in a lesson page's first-load JavaScript.
    void Promise.all([pageRuntime().machine(), import("@/lib/shell")])
      .then(([m, { Shell }]) => {
        if (cancelled) return;
        session.watch(m);
        // The example's files, so `python main.py` finds them.
        m.writeFiles(filesRef.current);
        // Each program the shell starts shows in this example's process panel.
        const machine: MachinePort = {
          ...m,
          run: (options) => {
            const handle = m.run(options);
            session.adoptExternal(m, handle.pid);
            return handle;
          },
        };
        const opened = new Shell({ machine, write: (text) => shellSink.write(text) });
        opened.start();
        shell = opened;
        offInput = shellSink.onInput((data) => opened.input(data));
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      offInput();
      shell?.dispose();
    };
  }, [shellSink, session]);

  const openTab = useCallback(
    (tab: "output" | "shell") => {
      setOutputOpen(true);
      setOutputTab(tab);
      if (tab === "shell" && !shellSink) setShellSink(new TerminalSink());
    },
    [shellSink],
  );

  const reset = useCallback(() => {
    setFiles(original);
    setRevision((r) => r + 1);
    setModified(false);
    setShared(false);
    store.clear(pagePath.current, id);
  }, [id, original, store]);

  const copy = useCallback(async () => {
    try {
      await navigator.clipboard.writeText(filesRef.current[active] ?? "");
      setCopied("code");
      setTimeout(() => setCopied(null), 1500);
    } catch {
      setCopied(null);
    }
  }, [active]);

  const share = useCallback(async () => {
    const frag = await encodeShare({ blockId: id, files: filesRef.current, entry });
    const url = `${window.location.origin}${window.location.pathname}${window.location.search}#${frag}`;
    setShareUrl(url);
    try {
      await navigator.clipboard.writeText(url);
      setCopied("link");
      setTimeout(() => setCopied(null), 1500);
    } catch {
      // Clipboard refused (permissions): the link stays visible to copy by hand.
    }
  }, [entry, id]);

  const { busy, queued, rows } = snap;
  const mainProgram = snap.programs.find((p) => p.entry === entry);
  const otherPython = lessonFiles.filter((f) => f.name !== entry && f.name.endsWith(".py"));
  const unsupported = loader.phase === "unsupported";
  const loading = loader.phase === "downloading" || loader.phase === "booting";

  // Compared once the run is over; lib/lessons is loaded then (it is not first-load JS).
  const [comparison, setComparison] = useState<{ output: string; result: CompareResult } | null>(null);
  const finishedOutput = expectedOutput !== undefined && mainProgram?.status === "exited" && !busy ? mainProgram.output : null;
  useEffect(() => {
    if (finishedOutput === null || expectedOutput === undefined) return;
    let cancelled = false;
    void import("@/lib/lessons").then(({ compareOutput }) => {
      if (!cancelled) setComparison({ output: finishedOutput, result: compareOutput(expectedOutput, finishedOutput, { unordered }) });
    });
    return () => {
      cancelled = true;
    };
  }, [finishedOutput, expectedOutput, unordered]);
  // Presenter sync (issue 8): edits and the main program's output go to the other window.
  const applyRemoteFiles = useCallback(
    (next: Record<string, string>) => {
      setFiles({ ...original, ...next });
      setRevision((r) => r + 1);
      setModified(isModified({ ...original, ...next }, original));
    },
    [original],
  );
  useEditorMirror(id, files, applyRemoteFiles);
  const [mirroredOutput, setMirroredOutput] = useState<string | null>(null);
  useOutputMirror(id, preview ? null : (mainProgram?.output ?? null), setMirroredOutput);

  const shownComparison = comparison && comparison.output === finishedOutput ? comparison.result : null;

  const current = lessonFiles.find((f) => f.name === active) ?? lessonFiles[0];
  const currentValue = files[current.name] ?? "";
  const multi = lessonFiles.length > 1;
  const base =
    "rounded border px-2.5 py-1 text-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-blue-600 disabled:cursor-not-allowed disabled:opacity-50";
  const btn = `${base} border-neutral-300 hover:bg-neutral-100 dark:border-neutral-600 dark:hover:bg-neutral-800`;
  const primary = `${base} border-blue-700 bg-blue-600 font-medium text-white hover:bg-blue-700 dark:border-blue-500 dark:bg-blue-600 dark:hover:bg-blue-500`;

  return (
    <section ref={rootRef} className="sp-live not-prose my-6 overflow-hidden rounded-lg border border-neutral-300 dark:border-neutral-700" aria-label={title ?? s.example(entry)} data-example-id={id}>
      <div className="flex flex-wrap items-center gap-2 border-b border-neutral-200 bg-neutral-50 px-2 py-1.5 dark:border-neutral-700 dark:bg-neutral-900">
        {multi ? (
          <div
            role="tablist"
            aria-label={s.files}
            className="flex flex-wrap gap-1"
            // WAI-ARIA tabs: arrows move between files, Tab leaves the list.
            onKeyDown={(e) => {
              const delta = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
              if (!delta) return;
              e.preventDefault();
              const i = lessonFiles.findIndex((f) => f.name === active);
              const next = lessonFiles[(i + delta + lessonFiles.length) % lessonFiles.length];
              setActive(next.name);
              e.currentTarget.querySelector<HTMLButtonElement>(`[data-file="${CSS.escape(next.name)}"]`)?.focus();
            }}
          >
            {lessonFiles.map((f) => (
              <button
                key={f.name}
                type="button"
                role="tab"
                data-file={f.name}
                tabIndex={f.name === active ? 0 : -1}
                aria-selected={f.name === active}
                className={`rounded px-2 py-0.5 font-mono text-xs ${f.name === active ? "bg-white shadow-sm dark:bg-neutral-700" : "text-neutral-700 dark:text-neutral-300"}`}
                onClick={() => setActive(f.name)}
              >
                {f.name}
                {f.name === entry ? <span className="sr-only"> (runs)</span> : null}
                {files[f.name] !== original[f.name] ? <span aria-hidden="true"> •</span> : null}
              </button>
            ))}
          </div>
        ) : (
          <span className="font-mono text-xs text-neutral-700 dark:text-neutral-300">{title ?? entry}</span>
        )}
        {modified ? (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-900 dark:text-amber-100" title="Your edits are saved in this browser">
            {s.modified}
          </span>
        ) : null}
        <div className="ml-auto flex flex-wrap items-center gap-1.5">
          {unsupported ? null : (
            <>
              <button type="button" className={primary} onClick={() => start(entry)} aria-keyshortcuts="Control+Enter Meta+Enter" title="Ctrl/⌘+Enter">
                <span aria-hidden="true">▶ </span>
                {s.run}
              </button>
              {otherPython.map((f) => (
                <button key={f.name} type="button" className={btn} onClick={() => start(f.name)}>
                  {s.runFile(f.name)}
                </button>
              ))}
              <button type="button" className={btn} onClick={() => void session.stop()} disabled={!busy}>
                <span aria-hidden="true">■ </span>
                {s.stop}
              </button>
            </>
          )}
          <button type="button" className={btn} onClick={reset} disabled={!modified}>
            {s.reset}
          </button>
          <button type="button" className={btn} onClick={() => void copy()}>
            {copied === "code" ? s.copied : s.copy}
          </button>
          <button type="button" className={btn} onClick={() => void share()}>
            {copied === "link" ? s.linkCopied : s.share}
          </button>
        </div>
      </div>

      {unsupported ? (
        <p role="alert" className="border-b border-neutral-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-neutral-700 dark:bg-amber-950 dark:text-amber-100">
          {describeMissing(loader.missing)}
        </p>
      ) : null}
      {loader.phase === "error" ? (
        <p role="alert" className="flex items-center gap-2 border-b border-neutral-200 px-3 py-2 text-sm text-red-800 dark:border-neutral-700 dark:text-red-300">
          {s.loadFailed}: {loader.message}
          <button type="button" className={btn} onClick={() => pageRuntime().preload()}>
            {s.retry}
          </button>
        </p>
      ) : null}
      {queued ? <p className="px-3 py-1 text-sm text-neutral-700 dark:text-neutral-300" role="status">{s.queued}</p> : null}
      {shared ? <p className="border-b border-neutral-200 bg-sky-50 px-3 py-2 text-sm text-sky-950 dark:border-neutral-700 dark:bg-sky-950 dark:text-sky-100" role="status">{s.sharedNotice}</p> : null}
      {shareUrl ? (
        <label className="flex items-center gap-2 border-b border-neutral-200 px-3 py-1 text-xs dark:border-neutral-700">
          <span>{s.share}:</span>
          <input readOnly value={shareUrl} className="w-full bg-transparent font-mono" onFocus={(e) => e.currentTarget.select()} />
        </label>
      ) : null}

      <div role={multi ? "tabpanel" : undefined} aria-label={multi ? current.name : undefined}>
        <CodeEditor
          key={current.name}
          file={current.name}
          language={current.lang}
          value={currentValue}
          html={currentValue === current.code ? current.html : undefined}
          onChange={(v) => onChange(current.name, v)}
          onRun={() => start(entry)}
          revision={revision}
          label={s.codeEditor(current.name)}
          tabHint={s.tabHint}
          staticOnly={preview}
        />
      </div>

      <div className="flex items-center gap-1 border-t border-neutral-200 bg-neutral-50 px-2 dark:border-neutral-700 dark:bg-neutral-900">
        <div role="tablist" aria-label={s.output} className="flex gap-1">
          {(["output", "shell"] as const).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={outputOpen && outputTab === tab}
              className={`border-b-2 px-2 py-1 text-xs ${outputOpen && outputTab === tab ? "border-blue-600 font-medium" : "border-transparent text-neutral-700 dark:text-neutral-300"}`}
              onClick={() => (outputOpen && outputTab === tab ? setOutputOpen(false) : openTab(tab))}
            >
              {tab === "output" ? s.output : s.shell}
            </button>
          ))}
        </div>
        {/* The progress lives in this bar, present from first paint: it never moves the page. */}
        {loading ? <LoadProgress state={loader} label={s.loadingPython} /> : null}
        {outputOpen && outputTab === "output" && !loading ? (
          <label className="ml-auto flex items-center gap-1.5 py-1 text-xs">
            <input type="checkbox" checked={prefix} onChange={(e) => setPrefix(e.target.checked)} />
            {s.prefixToggle}
          </label>
        ) : null}
      </div>
      {preview && mirroredOutput !== null ? (
        <pre role="log" aria-label={s.terminal} className="max-h-56 overflow-auto border-t border-neutral-200 bg-neutral-950 px-3 py-2 font-mono text-xs text-neutral-100 dark:border-neutral-700">
          {mirroredOutput}
        </pre>
      ) : null}
      {outputOpen ? (
        <div className="grid border-t border-neutral-200 md:grid-cols-[minmax(0,1fr)_minmax(260px,40%)] dark:border-neutral-700">
          <div className="min-w-0">
            <div hidden={outputTab !== "output"}>
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
              <div hidden={outputTab !== "shell"}>
                <Terminal sink={shellSink} label={s.shell} height={260} />
              </div>
            ) : null}
          </div>
          <div className="flex flex-col border-t border-neutral-200 md:border-l md:border-t-0 dark:border-neutral-700" style={{ maxHeight: 360 }}>
            <div className="min-h-0 flex-1">
              <ProcessPanel rows={rows} label={s.processes} />
            </div>
            <div className="border-t border-neutral-200 p-1.5 dark:border-neutral-700">
              <button
                type="button"
                className={btn}
                disabled={rows.length === 0}
                aria-expanded={replay !== null}
                onClick={() => setReplay(replay ? null : session.replayEvents())}
              >
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
      {shownComparison ? (
        <p role="status" className={`px-3 py-1.5 text-sm ${shownComparison.ok ? "text-emerald-800 dark:text-emerald-300" : "text-amber-900 dark:text-amber-200"}`}>
          <span aria-hidden="true">{shownComparison.ok ? "✓ " : "≠ "}</span>
          {shownComparison.ok ? s.matches : s.differs}
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

function statusText(p: ProgramView<TerminalSink>, s: ReturnType<typeof editorStrings>): string {
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

/** Sits inside the toolbar (whose height does not change), so it never moves the page. */
function LoadProgress({ state, label }: { state: Extract<LoaderState, { phase: "downloading" | "booting" }>; label: string }) {
  const pct = state.total > 0 ? Math.min(100, Math.floor((state.loaded / state.total) * 100)) : 0;
  const text = state.phase === "booting" ? `${formatProgress(state.loaded, state.total)}, starting…` : formatProgress(state.loaded, state.total);
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
