"use client";

import { useEffect, useState } from "react";
import { pageRuntime } from "@/components/editor/runtime";
import { detectCapabilities } from "@/lib/playground/capabilities";
import { checkExercise, EXERCISES, runProgram, type Program, type ProgramRunner, type RunnableBlock, type RunResult } from "@/lib/lessons";
import { exerciseSearcher } from "@/lib/lessons/exercise-search";
import { BLOCK_TRIES, judgeBlock, judgeDivergence, judgeSolution } from "@/lib/lessons/judge";
import type { LessonBlockCase } from "@/lib/lessons/lesson-files";
import type { MachinePort } from "@/lib/runtime/port";

/** One case's verdict: `error` is the judge's reason (null when it passed). */
export interface CaseResult {
  name: string;
  ok: boolean;
  /** Runs it took (a block gets up to BLOCK_TRIES; an exercise's check makes its own runs). */
  tries: number;
  /** Why each earlier run of a block that passed on a later one failed (first line of the verdict). */
  missed: string[];
  seconds: number;
  error: string | null;
}

/** What the driver (tests/browsers/lesson-blocks.ts) reads and calls, on `window.__spLessons`. */
export interface LessonsApi {
  /** Every case: the blocks' names (`NN-slug/en.mdx:LINE (id)`), then `exercise:<id>` per exercise. */
  names: string[];
  /** "shared" or "relay" (compatibility mode), as the page's runtime chose. */
  mode: string | null;
  /** Runs the named cases one after another; results arrive in `results`. */
  start(names: string[]): void;
  results: CaseResult[];
  /** Runs one program on the same runtime (to look into a case by hand): its result and seconds. */
  run(program: Program, timeoutMs: number): Promise<RunResult & { seconds: number }>;
  /** Set when every started case has a result, or the runtime failed to boot (then in `fatal`). */
  done: boolean;
  fatal: string | null;
}

const exerciseName = (id: string) => `exercise:${id}`;

interface Verdict {
  error: string | null;
  tries: number;
  missed?: string[];
}

async function runBlockCase(port: MachinePort, block: RunnableBlock): Promise<Verdict> {
  const once = async () => {
    const r = await runProgram(port, { files: block.files, entry: block.entry, companions: block.companions }, { timeoutMs: (block.timeout ?? 30) * 1000 });
    port.stopAll();
    return r;
  };
  if (block.diverges !== null) return { error: judgeDivergence(block, await once()), tries: 1 };
  const missed: string[] = [];
  for (let i = 1; i <= BLOCK_TRIES; i++) {
    const error = judgeBlock(block, await once());
    if (error === null) return { error, tries: i, missed };
    if (i === BLOCK_TRIES) return { error, tries: i, missed };
    missed.push(error.split("\n")[0]);
  }
  return { error: "no run", tries: 0, missed };
}

async function runExerciseCase(port: MachinePort, id: string): Promise<Verdict> {
  const spec = EXERCISES.find((e) => e.id === id);
  if (!spec) return { error: `no exercise ${id}`, tries: 0 };
  let runs = 0;
  // As the lesson's Check button does (components/lesson/Exercise.tsx): the page's machine, its searcher.
  const runner: ProgramRunner = async (program, { timeoutMs }) => {
    runs++;
    const r = await runProgram(port, program, { timeoutMs });
    port.stopAll();
    return r;
  };
  const report = await checkExercise(spec, spec.solution, runner, undefined, { searcher: exerciseSearcher(port) });
  return { error: judgeSolution(report), tries: runs };
}

/**
 * Runs lesson blocks and exercise solutions, as the driver asks, on the page's runtime
 * (`pageRuntime()`: in a browser without SharedArrayBuffer, compatibility mode through the
 * site's service worker), and lists each verdict.
 */
export function LessonBlocksFixture({ cases }: { cases: LessonBlockCase[] }) {
  const [results, setResults] = useState<CaseResult[]>([]);
  const [status, setStatus] = useState(`ready: ${cases.length + EXERCISES.length} cases`);

  useEffect(() => {
    const release = pageRuntime().acquire();
    const byName = new Map(cases.map((c) => [c.name, c.block]));
    const api: LessonsApi = {
      names: [...cases.map((c) => c.name), ...EXERCISES.map((e) => exerciseName(e.id))],
      mode: detectCapabilities().mode,
      results: [],
      done: false,
      fatal: null,
      async run(program, timeoutMs) {
        const port = await pageRuntime().machine();
        const t0 = performance.now();
        const r = await runProgram(port, program, { timeoutMs });
        port.stopAll();
        return { ...r, seconds: (performance.now() - t0) / 1000 };
      },
      start(names) {
        api.results = [];
        api.done = false;
        setResults([]);
        void (async () => {
          try {
            setStatus("booting");
            const port = await pageRuntime().machine();
            for (const name of names) {
              setStatus(`running ${name}`);
              const t0 = performance.now();
              const block = byName.get(name);
              let verdict: Verdict;
              try {
                verdict = block ? await runBlockCase(port, block) : name.startsWith("exercise:") ? await runExerciseCase(port, name.slice("exercise:".length)) : { error: `no case named ${name}`, tries: 0 };
              } catch (e) {
                verdict = { error: `the run failed: ${e instanceof Error ? e.stack || e.message : String(e)}`, tries: 1 };
              }
              const result = { name, ok: verdict.error === null, tries: verdict.tries, missed: verdict.missed ?? [], seconds: (performance.now() - t0) / 1000, error: verdict.error };
              api.results.push(result);
              setResults((rs) => [...rs, result]);
            }
            setStatus("done");
          } catch (e) {
            api.fatal = e instanceof Error ? e.message : String(e);
            setStatus(`error ${api.fatal}`);
          }
          api.done = true;
        })();
      },
    };
    (window as unknown as { __spLessons?: LessonsApi }).__spLessons = api;
    return () => {
      delete (window as unknown as { __spLessons?: LessonsApi }).__spLessons;
      release();
    };
  }, [cases]);

  return (
    <section>
      <p>
        Status: <output data-testid="status">{status}</output>
      </p>
      <ol className="text-sm">
        {results.map((r) => (
          <li key={r.name} data-ok={r.ok}>
            {r.ok ? "✓" : "✘"} {r.name} ({r.tries} run{r.tries === 1 ? "" : "s"}, {r.seconds.toFixed(1)} s){r.error ? <pre className="whitespace-pre-wrap">{r.error}</pre> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
