"use client";

import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { CodeEditor } from "@/components/editor/CodeEditor";
import { FileTabs } from "@/components/editor/FileTabs";
import { pageRuntime, withDeferredLoadsHeld } from "@/components/editor/runtime";
import {
  checkExercise,
  getExercise,
  markLessonDone,
  runProgram,
  useCompletedLessons,
  type CheckReport,
  type ExerciseSearcher,
  type ExerciseSpec,
  type ProgramRunner,
} from "@/lib/lessons";
import type { Locale } from "@/lib/content/locales";
import { useHydrated } from "@/components/site/use-hydrated";
import "./lesson.css";
import { lessonStrings } from "./strings";

export interface ExerciseProps {
  /** Id of the spec in lib/lessons/exercises; without it the box only shows its text. */
  id?: string;
  title?: string;
  locale: string;
  children?: ReactNode;
}

type Status =
  | { kind: "idle" }
  | { kind: "running"; run: number; runs: number; booting: boolean }
  | { kind: "searching" }
  | { kind: "done"; report: CheckReport }
  | { kind: "error"; message: string };

const languageOf = (file: string) => (file.endsWith(".py") ? "python" : file.endsWith(".json") ? "json" : "plaintext");

/**
 * `<Exercise id="…">`: the task (children), an editor with the starter code, and a Check
 * button that runs the reader's code on the page's Python machine as many times as the
 * spec asks, applies its checks, and says what is wrong. Passing marks the lesson done.
 */
export function Exercise({ id, title, locale, children }: ExerciseProps) {
  const s = lessonStrings(locale);
  const label = title ?? s.exercise;
  const spec = id ? getExercise(id) : undefined;
  if (!id || !spec) {
    return (
      <section className="pedagogy" data-kind="exercise" aria-label={label}>
        <p className="pedagogy-title">{label}</p>
        <div>
          {children}
          {id ? <p role="alert">{s.unknownExercise(id)}</p> : null}
        </div>
      </section>
    );
  }
  return (
    <InteractiveExercise spec={spec} label={label} locale={locale === "zh" ? "zh" : "en"}>
      {children}
    </InteractiveExercise>
  );
}

function InteractiveExercise({ spec, label, locale, children }: { spec: ExerciseSpec; label: string; locale: Locale; children?: ReactNode }) {
  const s = lessonStrings(locale);
  const fileNames = Object.keys(spec.starter);
  const [files, setFiles] = useState<Record<string, string>>(() => ({ ...spec.starter }));
  const [active, setActive] = useState(spec.entry);
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const [hintsShown, setHintsShown] = useState(0);
  const hydrated = useHydrated();
  const [solutionShown, setSolutionShown] = useState(false);
  const [editorKey, setEditorKey] = useState(0);
  const completed = useCompletedLessons().has(spec.lesson);
  const busy = status.kind === "running" || status.kind === "searching";
  const mounted = useRef(true);

  // Hold the page's machine while this exercise is on screen (lib/playground's loader).
  useEffect(() => {
    mounted.current = true;
    const release = pageRuntime().acquire();
    return () => {
      mounted.current = false;
      release();
    };
  }, []);

  const update = (name: string, value: string) => {
    setFiles((prev) => ({ ...prev, [name]: value }));
  };

  const check = useCallback(async () => {
    setStatus({ kind: "running", run: 1, runs: spec.runs ?? 1, booting: true });
    try {
      const machine = await pageRuntime().machine();
      const runner: ProgramRunner = (program, { timeoutMs }) => runProgram(machine, program, { timeoutMs });
      const searcher: ExerciseSearcher = async (program, options) => {
        // Loaded on the first search (as the step UI's): most exercises never need it.
        const [{ exerciseSearcher }, { StepSession }] = await Promise.all([import("@/lib/lessons/exercise-search"), import("@/lib/playground/step-session")]);
        // A controlled run needs the machine to itself: step runs of the lesson's examples end first.
        await StepSession.freeMachine();
        return withDeferredLoadsHeld(() => exerciseSearcher(machine)(program, options));
      };
      const report = await checkExercise(
        spec,
        files,
        runner,
        (i, n) => {
          if (mounted.current) setStatus({ kind: "running", run: i + 1, runs: n, booting: false });
        },
        { searcher, onSearch: () => mounted.current && setStatus({ kind: "searching" }) },
      );
      if (!mounted.current) return;
      if (report.passed) markLessonDone(spec.lesson);
      setStatus({ kind: "done", report });
    } catch (err) {
      if (mounted.current) setStatus({ kind: "error", message: err instanceof Error ? err.message : String(err) });
    }
  }, [files, spec]);

  /** Reset and "use the solution": new text in the editor (a new `revision`), no result shown. */
  const replaceFiles = (next: Record<string, string>) => {
    setFiles({ ...next });
    setEditorKey((k) => k + 1);
    setStatus({ kind: "idle" });
  };

  return (
    <section className="pedagogy not-prose" data-kind="exercise" aria-label={label} data-exercise-id={spec.id}>
      <p className="pedagogy-title flex items-center gap-2">
        <span>{label}</span>
        {completed ? (
          <span className="sp-done-mark text-sm" data-testid="exercise-completed">
            ✓ {s.completed}
          </span>
        ) : null}
      </p>
      <div>
        {children}
        {fileNames.length > 1 ? (
          <FileTabs
            names={fileNames}
            active={active}
            onSelect={setActive}
            label={label}
            className="mt-3 flex gap-1"
            tabClassName={(selected) => (selected ? "sp-btn" : "sp-btn sp-btn-quiet")}
          />
        ) : null}
        <div className="mt-2 overflow-hidden rounded-md border border-[var(--border)] bg-[var(--code-bg)]">
          <CodeEditor
            key={`${active}-${editorKey}`}
            file={`exercise-${spec.id}/${active}`}
            language={languageOf(active)}
            value={files[active] ?? ""}
            revision={editorKey}
            onChange={(v) => update(active, v)}
            onRun={() => void check()}
            label={s.editorLabel(active)}
            tabHint={s.tabHint}
          />
        </div>
        <div className="mt-3 flex flex-wrap gap-2">
          <button type="button" className="sp-btn" onClick={() => void check()} disabled={busy || !hydrated}>
            {busy ? s.checking : s.checkSolution}
          </button>
          {hintsShown < spec.hints.length ? (
            <button type="button" className="sp-btn sp-btn-quiet" onClick={() => setHintsShown((n) => n + 1)} disabled={!hydrated}>
              {hintsShown === 0 ? s.hint : s.nextHint}
            </button>
          ) : null}
          <button type="button" className="sp-btn sp-btn-quiet" onClick={() => setSolutionShown((v) => !v)} disabled={!hydrated} aria-expanded={solutionShown}>
            {solutionShown ? s.hideSolution : s.solution}
          </button>
          <button type="button" className="sp-btn sp-btn-quiet" onClick={() => replaceFiles(spec.starter)} disabled={busy || !hydrated}>
            {s.reset}
          </button>
        </div>
        {hintsShown > 0 ? (
          <ol className="mt-3 grid gap-1 pl-5">
            {spec.hints.slice(0, hintsShown).map((h, i) => (
              <li key={i}>
                <span className="sr-only">{s.hintN(i + 1)}: </span>
                {h[locale]}
              </li>
            ))}
          </ol>
        ) : null}
        <div aria-live="polite" className="mt-3" data-testid="exercise-status">
          {status.kind === "running" ? <p>{status.booting ? s.loadingPython : s.runOf(status.run, status.runs)}</p> : null}
          {status.kind === "searching" ? <p>{s.searching}</p> : null}
          {status.kind === "error" ? (
            <p className="sp-exercise-result" data-status="failed" role="alert">
              {s.runtimeError} {status.message}
            </p>
          ) : null}
          {status.kind === "done" && status.report.passed ? (
            <p className="sp-exercise-result" data-status="passed">
              ✓ {s.passed(status.report.runs)}
              {status.report.searched !== undefined ? ` ${s.searched(status.report.searched)}` : null}
            </p>
          ) : null}
          {status.kind === "done" && !status.report.passed ? (
            <div className="sp-exercise-result" data-status="failed">
              <p>
                <strong>{s.failed}</strong> {status.report.message[locale]}{" "}
                {status.report.runIndex !== null && (spec.runs ?? 1) > 1 ? s.failedRun(status.report.runIndex + 1) : null}
              </p>
              {status.report.output !== null ? (
                <details open>
                  <summary>{s.output}</summary>
                  <pre className="sp-exercise-output">{status.report.output || s.noOutput}</pre>
                </details>
              ) : null}
            </div>
          ) : null}
        </div>
        {solutionShown ? (
          <div className="mt-3">
            {Object.entries(spec.solution).map(([name, code]) => (
              <div key={name} className="mt-2">
                {Object.keys(spec.solution).length > 1 ? <p className="font-mono text-sm">{name}</p> : null}
                <pre className="sp-exercise-output">{code}</pre>
              </div>
            ))}
            <button type="button" className="sp-btn sp-btn-quiet mt-2" onClick={() => replaceFiles(spec.solution)}>
              {s.useSolution}
            </button>
          </div>
        ) : null}
      </div>
    </section>
  );
}
