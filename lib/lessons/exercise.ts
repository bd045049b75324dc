/**
 * Exercises: a spec (starter code, solution, hints, checks) and the checker that runs a
 * reader's attempt on a Python machine and says what is wrong.
 *
 * The checker is pure: it gets a `runner` that executes a program (the browser passes one
 * bound to the page's machine, the tests one bound to a Node machine) and only looks at
 * what the program printed, its exit code, and its source. An exercise about a race is also
 * checked by schedule search (`spec.search`, through a `searcher` bound the same way): a fix
 * passes only if no explored interleaving breaks it, so one that works by timing fails.
 */
import type { Locale } from "@/lib/content/locales";
import { compareOutput } from "./output";
import type { Program, RunResult } from "./run";

/** Every message a reader sees exists in both languages. */
export type Localized = Readonly<Record<Locale, string>>;

export interface Attempt {
  files: Readonly<Record<string, string>>;
  /** The input files this run got from `spec.inputs` (empty without). */
  inputs: Readonly<Record<string, string>>;
  /** 0-based index of the run being checked (for messages like "in run 2 of 3"). */
  runIndex: number;
}

/** A static check on the source, before anything runs. Returns a message when it fails. */
export interface SourceCheck {
  kind: "source";
  test: (files: Readonly<Record<string, string>>) => Localized | null;
}

/** A check on one run's result. Returns a message when it fails. */
export interface RunCheck {
  kind: "run";
  test: (run: RunResult, attempt: Attempt) => Localized | null;
}

export type Check = SourceCheck | RunCheck;

export interface ExerciseSpec {
  /** Matches `<Exercise id="…">` in the lesson. */
  id: string;
  /** The lesson's URL slug (folder name without the number), for progress. */
  lesson: string;
  /** File that runs. */
  entry: string;
  /** The editor's initial files. */
  starter: Readonly<Record<string, string>>;
  /** A correct answer, shown on request and checked by the tests. */
  solution: Readonly<Record<string, string>>;
  /** Times to run the attempt; races need several. Default 1. */
  runs?: number;
  /** Per run, before the program is stopped. Default 10 000 ms. */
  timeoutMs?: number;
  /** Other files started next to the entry (see Program.companions). */
  companions?: string[];
  /**
   * Input files that change from run to run (ticket counts, item lists, names), written
   * over the attempt's files before each run, so a hard-coded printout cannot pass.
   * `runIndex` and `seed` pick the values; the checks read them back from `attempt.inputs`.
   */
  inputs?: (runIndex: number, seed: number) => Readonly<Record<string, string>>;
  /**
   * Answers that must fail, each with why it is wrong: at least a hard-coded printout and
   * the plausible wrong fix. The tests run every one of them.
   */
  wrong?: readonly WrongAnswer[];
  hints: Localized[];
  checks: Check[];
  /**
   * After the runs passed: schedule search (lib/sched-search) on the attempt, with the first
   * run's inputs; a schedule fails when the program fails or `judge` says its output is wrong.
   */
  search?: ExerciseSearch;
}

export interface ExerciseSearch {
  /** Schedules to explore (PCT first, then the preemption-bounded search). */
  readonly maxSchedules: number;
  readonly timeLimitMs: number;
  readonly judge: (output: string, inputs: Readonly<Record<string, string>>) => Localized | null;
}

/** Runs schedule search on a program: the index of the first failing schedule and its output, or null, and how many were explored. */
export type ExerciseSearcher = (
  program: { files: Record<string, string>; entry: string },
  options: { maxSchedules: number; timeLimitMs: number; judge: (output: string) => string | null },
) => Promise<{ found: { index: number; output: string; failure: string } | null; explored: number }>;

export interface WrongAnswer {
  why: string;
  files: Readonly<Record<string, string>>;
}

export type CheckReport =
  /** `searched`: schedules the search explored, none failing (exercises with `search`). */
  | { passed: true; runs: number; searched?: number }
  | { passed: false; message: Localized; runIndex: number | null; output: string | null };

export type ProgramRunner = (program: Program, options: { timeoutMs: number }) => Promise<RunResult>;

/** Runs the attempt `spec.runs` times and applies every check; stops at the first failure. */
export async function checkExercise(
  spec: ExerciseSpec,
  files: Readonly<Record<string, string>>,
  runner: ProgramRunner,
  onRun?: (runIndex: number, runs: number) => void,
  options: { seed?: number; searcher?: ExerciseSearcher; onSearch?: () => void } = {},
): Promise<CheckReport> {
  for (const check of spec.checks) {
    if (check.kind !== "source") continue;
    const message = check.test(files);
    if (message) return { passed: false, message, runIndex: null, output: null };
  }
  const runs = spec.runs ?? 1;
  const timeoutMs = spec.timeoutMs ?? 10_000;
  // A fresh seed per Check, so the inputs differ from one Check to the next as well.
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  for (let runIndex = 0; runIndex < runs; runIndex++) {
    onRun?.(runIndex, runs);
    const inputs = spec.inputs?.(runIndex, seed) ?? {};
    const result = await runner({ files: { ...files, ...inputs }, entry: spec.entry, companions: spec.companions }, { timeoutMs });
    for (const check of spec.checks) {
      if (check.kind !== "run") continue;
      const message = check.test(result, { files, inputs, runIndex });
      if (message) return { passed: false, message, runIndex, output: result.output };
    }
  }
  if (!spec.search) return { passed: true, runs };
  if (!options.searcher) throw new Error(`exercise ${spec.id} is checked by schedule search, and no searcher was given`);
  options.onSearch?.();
  const inputs = spec.inputs?.(0, seed) ?? {};
  const search = spec.search;
  // The search judges in one language; the message shown is the first failing schedule's, in both.
  let first: Localized | null = null;
  const judge = (output: string): string | null => {
    const m = search.judge(output, inputs);
    if (m && !first) first = m;
    return m?.en ?? null;
  };
  const { found, explored } = await options.searcher({ files: { ...files, ...inputs }, entry: spec.entry }, { maxSchedules: search.maxSchedules, timeLimitMs: search.timeLimitMs, judge });
  if (!found) return { passed: true, runs, searched: explored };
  const why: Localized = first ?? { en: found.failure, zh: found.failure };
  return {
    passed: false,
    message: {
      en: `Every run passed, but schedule search found an order of the processes' steps that breaks it (schedule ${found.index} of those it tried): ${why.en} A fix must hold in every order, not only in the usual one.`,
      zh: `每次运行都通过了，但调度搜索找到了一种让它出错的进程步骤顺序（它尝试的第 ${found.index} 个调度）：${why.zh}修复必须在任何顺序下都成立，而不只是在通常的顺序下。`,
    },
    runIndex: null,
    output: found.output,
  };
}

// ---------------------------------------------------------------------------------------
// Check builders used by the specs. Each returns a message in both languages.

const lastLine = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .filter((l) => l.trim() !== "")
    .at(-1) ?? "";

/** Fails when the program had to be stopped. */
export function finishes(message?: Localized): RunCheck {
  return {
    kind: "run",
    test: (run) =>
      run.timedOut || run.deadlock
        ? (message ?? {
            en: "Your program did not finish in time and was stopped. Is something waiting forever?",
            zh: "你的程序没能在限定时间内结束，已被强行停止。是不是有什么东西在永远等待？",
          })
        : null,
  };
}

/** Fails when a traceback was printed; the message quotes the error line. */
export function noTraceback(explain?: (errorLine: string) => Localized | null): RunCheck {
  return {
    kind: "run",
    test: (run) => {
      const at = run.output.indexOf("Traceback (most recent call last)");
      if (at < 0) return null;
      const tail = run.output.slice(at);
      const errorLine = tail.split("\n").find((l) => /^[A-Za-z_.]+(Error|Exception|Exit|Interrupt)\b/.test(l)) ?? lastLine(tail);
      return (
        explain?.(errorLine) ?? {
          en: `Your program raised an exception: ${errorLine}`,
          zh: `你的程序抛出了异常：${errorLine}`,
        }
      );
    },
  };
}

/** Compares the output with an expected block (placeholders and `unordered` as in lessons). */
export function outputMatches(expected: string, options: { unordered?: boolean } = {}): RunCheck {
  return {
    kind: "run",
    test: (run) => {
      const cmp = compareOutput(expected, run.output, options);
      if (cmp.ok) return null;
      const m = cmp.mismatch;
      if (m.reason === "the output ended before this expected line") {
        return { en: `The output stops too early: the line "${m.expected}" never appears.`, zh: `输出提前结束了：始终没有出现 "${m.expected}" 这一行。` };
      }
      if (m.reason === "the program printed more lines than expected") {
        return { en: `Unexpected extra output at line ${m.line}: "${m.actual}".`, zh: `第 ${m.line} 行是多余的输出："${m.actual}"。` };
      }
      if (m.reason === "an expected line was never printed") {
        return { en: `The line "${m.expected}" is missing from the output.`, zh: `输出里缺少 "${m.expected}" 这一行。` };
      }
      if (m.reason === "unexpected line") {
        return { en: `Unexpected line in the output: "${m.actual}".`, zh: `输出里有一行不该出现："${m.actual}"。` };
      }
      return {
        en: `Line ${m.line} should look like "${m.expected}" but is "${m.actual}".`,
        zh: `第 ${m.line} 行应该形如 "${m.expected}"，实际却是 "${m.actual}"。`,
      };
    },
  };
}

/** Fails when no file matches `pattern`. */
export function sourceIncludes(pattern: RegExp, message: Localized): SourceCheck {
  return { kind: "source", test: (files) => (Object.values(files).some((f) => pattern.test(f)) ? null : message) };
}

/** Fails when any file matches `pattern` (comments are ignored). */
export function sourceExcludes(pattern: RegExp, message: Localized): SourceCheck {
  const stripComments = (code: string) => code.replace(/#.*$/gm, "");
  return { kind: "source", test: (files) => (Object.values(files).some((f) => pattern.test(stripComments(f))) ? message : null) };
}

/** A run check written as a function. */
export function runCheck(test: (run: RunResult, attempt: Attempt) => Localized | null): RunCheck {
  return { kind: "run", test };
}

/** Output lines without trailing whitespace or trailing blank lines. */
export function outputLines(run: RunResult): string[] {
  const lines = run.output.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
  return lines;
}

/** A small seeded generator, so a run's inputs can be reproduced from its seed. */
export { mulberry32 as seededRandom } from "@/lib/scheduler/prng";

/**
 * Fails unless the program's own process started exactly `n` children (read from the kernel's
 * events, so a program that only prints what the children would have printed fails).
 */
export function startsChildren(n: number, message?: Localized): RunCheck {
  return {
    kind: "run",
    test: (run) => {
      const got = processTree(run).children.length;
      return got === n
        ? null
        : (message ?? {
            en: `The program should start ${n} child process${n === 1 ? "" : "es"}; it started ${got}.`,
            zh: `程序应当启动 ${n} 个子进程；它启动了 ${got} 个。`,
          });
    },
  };
}

/** The program's own process (the first spawn of the run) and its children, from the kernel's events. */
export function processTree(run: RunResult): { root: number | null; children: number[]; reapedBy: Map<number, number>; exitCodes: Map<number, number> } {
  let root: number | null = null;
  const children: number[] = [];
  const reapedBy = new Map<number, number>();
  const exitCodes = new Map<number, number>();
  for (const e of run.events) {
    if (e.type === "spawn") {
      if (root === null) root = e.pid;
      else if (e.ppid === root) children.push(e.pid);
    } else if (e.type === "reap") reapedBy.set(e.pid, e.by);
    else if (e.type === "exit") exitCodes.set(e.pid, e.exitCode);
  }
  return { root, children, reapedBy, exitCodes };
}
