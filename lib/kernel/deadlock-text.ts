/**
 * A deadlock report as text, in English or Chinese: one headline, then the cycle (if the
 * wait-for graph has one) and one line per group of processes waiting for the same thing.
 * The CLI, the terminal and the process panel all print these lines.
 */
import type { DeadlockProcess, DeadlockReport, DeadlockWait, WaitKind } from "./deadlock";
import { signalName } from "./signals";

export type DeadlockLocale = "en" | "zh";

const KIND_NAMES: Record<WaitKind, string> = {
  lock: "Lock",
  rlock: "RLock",
  semaphore: "Semaphore",
  event: "Event",
  condition: "Condition",
  barrier: "Barrier",
  queue: "Queue",
  pipe: "Pipe",
  process: "",
  file: "",
  other: "",
};

const TEXT = {
  en: {
    headline: "deadlock: every process of this program is waiting, and nothing can wake any of them",
    cycle: "cycle: ",
    holds: (name: string, held: string, wanted: string) => `${name} holds ${held}, waits for ${wanted}`,
    waitsFor: (names: string, many: boolean, what: string) => `${names} ${many ? "wait" : "waits"} for ${what}`,
    end: (name: string) => `${name} to end (join)`,
    heldBy: (obj: string, holder: string) => `${obj}, held by ${holder}`,
    free: (obj: string) => `${obj} (no process will release it)`,
    fileLock: (path: string) => `a lock on ${path}`,
    exited: (code: number) => (code < 0 ? `killed by ${signalName(-code) ?? `signal ${-code}`}` : `exited with code ${code}`),
    sep: "; ",
  },
  zh: {
    headline: "死锁：这个程序的每个进程都在等待，没有任何事情能唤醒它们",
    cycle: "循环等待：",
    holds: (name: string, held: string, wanted: string) => `${name} 持有 ${held}，等待 ${wanted}`,
    waitsFor: (names: string, _many: boolean, what: string) => `${names} 等待 ${what}`,
    end: (name: string) => `${name} 结束（join）`,
    heldBy: (obj: string, holder: string) => `${obj}，持有者是 ${holder}`,
    free: (obj: string) => `${obj}（没有进程会释放它）`,
    fileLock: (path: string) => `${path} 上的文件锁`,
    exited: (code: number) => (code < 0 ? `被 ${signalName(-code) ?? `信号 ${-code}`} 杀死` : `已退出，退出码 ${code}`),
    sep: "；",
  },
} as const;

/** The lines of a diagnosis (the first is the headline; the others are meant to be indented). */
export function formatDeadlock(report: DeadlockReport, locale: DeadlockLocale = "en"): string[] {
  const t = TEXT[locale];
  const procs = new Map<number, DeadlockProcess>(report.processes.map((p) => [p.pid, p]));
  const name = (pid: number): string => procs.get(pid)?.name ?? `pid ${pid}`;
  const who = (pid: number): string => {
    const p = procs.get(pid);
    if (!p || p.exitCode === null) return name(pid);
    return locale === "zh" ? `${name(pid)}（${t.exited(p.exitCode)}）` : `${name(pid)} (${t.exited(p.exitCode)})`;
  };
  const object = (w: DeadlockWait): string => {
    // A file lock's label is "flock <path>" or "lockf <path>" (lib/kernel/file-locks.ts).
    if (w.kind === "file") return t.fileLock(w.object.slice(w.object.indexOf(" ") + 1));
    const kind = KIND_NAMES[w.kind];
    return kind ? (w.ordinal > 0 ? `${kind} #${w.ordinal}` : `${kind} (${w.object})`) : w.object;
  };
  const target = (w: DeadlockWait): string => {
    if (w.kind === "process" && w.holder !== null) return t.end(who(w.holder));
    if (w.holder !== null) return t.heldBy(object(w), who(w.holder));
    return w.kind === "lock" || w.kind === "rlock" ? t.free(object(w)) : object(w);
  };
  const lines: string[] = [t.headline];
  const byPid = new Map<number, DeadlockWait>(report.waits.map((w) => [w.pid, w]));
  if (report.cycle.length > 1) {
    const parts = report.cycle.map((pid, i) => {
      const wanted = byPid.get(pid);
      const before = byPid.get(report.cycle[(i + report.cycle.length - 1) % report.cycle.length]);
      const wantedText = !wanted ? "?" : wanted.kind === "process" ? t.end(name(wanted.holder ?? pid)) : object(wanted);
      if (before && before.kind !== "process") return t.holds(name(pid), object(before), wantedText);
      return t.waitsFor(name(pid), false, wantedText);
    });
    lines.push(t.cycle + parts.join(t.sep));
  }
  // One line per distinct target, waiters in pid order ("buyer-2 … buyer-10").
  const groups = new Map<string, number[]>();
  for (const w of [...report.waits].sort((a, b) => a.pid - b.pid)) {
    const key = target(w);
    groups.set(key, [...(groups.get(key) ?? []), w.pid]);
  }
  for (const [what, pids] of groups) lines.push(t.waitsFor(nameList(pids.map(name)), pids.length > 1, what));
  return lines;
}

/** "buyer-2 … buyer-10" for a run of numbered names, else "a, b and c" style (a comma list). */
export function nameList(names: readonly string[]): string {
  if (names.length <= 2) return names.join(", ");
  const parsed = names.map((n) => /^(.*?)(\d+)$/.exec(n));
  const prefix = parsed[0]?.[1];
  const run = parsed.every((m, i) => m !== null && m[1] === prefix && Number(m[2]) === Number(parsed[0]?.[2]) + i);
  return run ? `${names[0]} … ${names[names.length - 1]}` : names.join(", ");
}
