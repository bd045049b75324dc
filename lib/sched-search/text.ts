/**
 * What a search says, in the site's two languages. The wording is honest: a search that
 * ends without a failure checked a bound, not every schedule, and says which bound.
 */
import { formatDeadlock } from "@/lib/kernel/deadlock-text";
import type { Failure } from "@/lib/kernel/sched/types";
import type { SearchProgress, SearchResult } from "./search";

export type Lang = "en" | "zh";

function lastLine(text: string): string {
  const lines = text.trimEnd().split("\n");
  return lines[lines.length - 1] ?? "";
}

/** One line on what failed. */
export function describeFailure(f: Failure, lang: Lang = "en"): string {
  const zh = lang === "zh";
  switch (f.kind) {
    case "exception":
      return zh ? `进程 ${f.proc} 抛出未捕获的异常：${lastLine(f.text)}` : `process ${f.proc} raised an uncaught exception: ${lastLine(f.text)}`;
    case "exit":
      return zh ? `进程 ${f.proc} 以退出码 ${f.code} 结束` : `process ${f.proc} exited with code ${f.code}`;
    case "deadlock":
      return formatDeadlock(f.report, lang)[0] ?? (zh ? "死锁" : "deadlock");
    case "output":
      return zh ? "输出与预期不同" : "the output differs from the expected output";
    case "check":
      return f.message;
    case "limit":
      return zh ? "超出步数上限" : "ran out of steps";
  }
}

/** The search's outcome in one or two sentences (and what it could not check to the end). */
export function summarize(r: SearchResult, lang: Lang = "en"): string {
  const said = outcome(r, lang);
  const zh = lang === "zh";
  if (r.found) {
    // No one types into a search: what input() raised is the search's doing, not a schedule's.
    const f = r.found.failure;
    if (f.kind !== "exception" || !/^EOFError\b/.test(lastLine(f.text))) return said;
    return zh
      ? `${said}调度搜索中没有人输入：每个调度里 input() 都读到文件结尾（所以每次重放都一样），这里的 EOFError 就是这样来的。要搜索这个程序，请从文件或命令行参数给它输入。`
      : `${said} No one types into a schedule search: input() reads end of file in every schedule (so each replays the same), which is what raised EOFError here. To search this program, give it its input from a file or its arguments.`;
  }
  if (r.truncated === 0) return said;
  const n = r.truncated;
  const cut = zh
    ? `${said}其中 ${n} 个调度没有运行到结束（在步数或时间上限处停止），只检查了它们运行到的部分。`
    : `${said} ${n} of them did not run to their end (stopped at the step or time limit): checked only as far as they ran.`;
  if (n < r.explored) return cut;
  return zh
    ? `${cut}没有一个调度运行到结束：一个不经过调度点而循环的进程（一直在计算，或不加锁地读取 Value 来忙等）会一直运行到上限。`
    : `${cut} None ran to its end: a process that loops without reaching a scheduling point (computing, or busy-waiting on a Value read without its lock) runs until the limit.`;
}

function outcome(r: SearchResult, lang: Lang): string {
  const zh = lang === "zh";
  const secs = (r.elapsedMs / 1000).toFixed(1);
  if (r.found) {
    const what = describeFailure(r.found.failure, lang);
    return zh
      ? `第 ${r.found.index} 个调度失败（用时 ${secs} 秒）：${what}。`
      : `Schedule ${r.found.index} failed (after ${secs} s): ${what}.`;
  }
  const bounded = r.explored - r.random;
  if (r.outcome === "exhausted" && r.bound === Infinity) {
    return zh
      ? `已探索 ${r.explored} 个调度，覆盖了所有交错（可交换的操作只取一种顺序，共 ${r.distinct} 种不同顺序）：没有一个失败。`
      : `${r.explored} schedules explored, covering every interleaving up to the order of commuting operations (${r.distinct} distinct): none failed.`;
  }
  if (r.outcome === "exhausted") {
    if (zh) {
      const extra = r.random > 0 ? `，另有 ${r.random} 个随机优先级调度` : "";
      return `已探索 ${bounded} 个调度（每个最多 ${r.bound} 次抢占${extra}）：没有一个失败。这是一个界限，不是证明。`;
    }
    const extra = r.random > 0 ? ` and ${r.random} more at random priorities` : "";
    return `${bounded} schedules explored (all with at most ${r.bound} preemptions)${extra}: none failed.`;
  }
  const why = r.outcome === "time" ? (zh ? "时间用完" : "the time limit") : r.outcome === "stopped" ? (zh ? "已停止" : "stopped") : zh ? "调度数量上限" : "the schedule limit";
  const rest = r.bound === Infinity ? (zh ? "尚未探索所有交错" : "every interleaving was explored") : zh ? `最多 ${r.bound} 次抢占的调度尚未全部探索` : `every schedule with at most ${r.bound} preemptions was explored`;
  return zh ? `已探索 ${r.explored} 个调度，没有一个失败；搜索因${why}而结束，${rest}。` : `${r.explored} schedules explored, none failed; the search ended at ${why} before ${rest}.`;
}

/** A progress line: "37 schedules (29 distinct), 4.2 s". */
export function progressLine(p: SearchProgress, lang: Lang = "en"): string {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  return lang === "zh" ? `${p.explored} 个调度（${p.distinct} 个不同），${secs} 秒` : `${p.explored} schedules (${p.distinct} distinct), ${secs} s`;
}
