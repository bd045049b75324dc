/** Text the shell prints in the formats Linux tools use (ps, pstree, jobs). */
import type { ProcessInfo } from "@/lib/kernel";

/** What ps and pstree show of a process (a slice of the kernel's ProcessInfo). */
export type PsProcess = Pick<ProcessInfo, "pid" | "ppid" | "name" | "state" | "startTime">;

/** ps STAT letters: R running, S sleeping (waiting, interruptible), D uninterruptible (a worker still booting), T stopped, Z zombie. */
export function statLetter(state: PsProcess["state"]): string {
  switch (state) {
    case "running":
      return "R";
    case "blocked":
      return "S";
    case "starting":
      return "D";
    case "stopped":
      return "T";
    case "zombie":
      return "Z";
  }
}

/** ps's TIME column: cumulative CPU time as [DD-]HH:MM:SS. */
export function cpuTime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return `${two(hh)}:${two(mm)}:${two(ss)}`;
}

export interface PsRow {
  readonly pid: number;
  readonly ppid: number;
  readonly stat: string;
  readonly cpuMs: number;
  readonly cmd: string;
}

/** `ps -o pid,ppid,stat,time,cmd` */
export function formatPs(rows: readonly PsRow[]): string {
  const lines = ["    PID    PPID STAT     TIME CMD"];
  for (const r of rows) {
    lines.push(`${String(r.pid).padStart(7)} ${String(r.ppid).padStart(7)} ${r.stat.padEnd(4)} ${cpuTime(r.cpuMs).padStart(8)} ${r.cmd}`);
  }
  return lines.join("\n") + "\n";
}

/** `pstree -p` drawing of the process tree rooted at `root`. */
export function formatPstree(procs: readonly PsProcess[], root: number, label: (p: PsProcess) => string): string {
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const children = new Map<number, PsProcess[]>();
  for (const p of procs) {
    if (p.pid === root) continue;
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const draw = (p: PsProcess): string[] => {
    const head = label(p);
    const kids = (children.get(p.pid) ?? []).sort((a, b) => a.pid - b.pid);
    if (kids.length === 0) return [head];
    const pad = " ".repeat([...head].length);
    const out: string[] = [];
    kids.forEach((k, i) => {
      const sub = draw(k);
      const first = kids.length === 1 ? "───" : i === 0 ? "─┬─" : i === kids.length - 1 ? " └─" : " ├─";
      const cont = kids.length === 1 || i === kids.length - 1 ? "   " : " │ ";
      sub.forEach((line, j) => {
        if (j === 0) out.push((i === 0 ? head : pad) + first + line);
        else out.push(pad + cont + line);
      });
    });
    return out;
  };
  const top = byPid.get(root);
  return top ? draw(top).join("\n") + "\n" : "";
}

/** The state word of `jobs` and of bash's job notices. */
export function jobState(running: boolean, exitCode: number | null): string {
  if (running) return "Running";
  if (exitCode === null || exitCode === 0) return "Done";
  if (exitCode > 0) return `Exit ${exitCode}`;
  return SIGNAL_TEXT[-exitCode] ?? `Signal ${-exitCode}`;
}

/** What bash says of a job killed by a signal (strsignal(3)). */
const SIGNAL_TEXT: Record<number, string> = {
  1: "Hangup",
  2: "Interrupt",
  9: "Killed",
  10: "User defined signal 1",
  12: "User defined signal 2",
  14: "Alarm clock",
  15: "Terminated",
};

/** `[1]+  Running                 python server.py &` */
export function formatJob(id: number, mark: string, state: string, text: string): string {
  return `[${id}]${mark}  ${state.padEnd(24)}${text}`;
}
