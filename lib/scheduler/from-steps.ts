/**
 * The scheduler view's third source: a controlled run's steps (the step UI's live run, or a
 * replayed schedule) as a `Trace`. One frame per step: the process granted the step runs,
 * the others are ready, blocked or sleeping as the step's choice saw them; a process appears
 * at its first scheduling point and exits when it is no longer at any. A last frame shows the
 * choice on offer now, with nobody running. Time is the run's virtual clock (ms).
 */
import type { Choice, Step } from "@/lib/kernel/sched/types";
import type { Caption, Frame, ProcessStateName, Trace, TraceEvent } from "./types";

const INIT = 1;

export interface StepProcessInfo {
  name: string;
  ppid: number;
}

interface Known {
  state: ProcessStateName;
  what: string | null;
}

function statesOf(choice: Choice, granted: number | null): Map<number, { pid: number; state: ProcessStateName; what: string | null }> {
  const out = new Map<number, { pid: number; state: ProcessStateName; what: string | null }>();
  for (const o of choice.enabled) out.set(o.proc, { pid: o.pid, state: o.proc === granted ? "running" : "ready", what: null });
  for (const o of choice.blocked) {
    const sleeping = o.op === "sleep" && o.deadline !== null;
    out.set(o.proc, { pid: o.pid, state: sleeping ? "sleeping" : "blocked", what: sleeping ? null : `${o.op} ${o.obj}` });
  }
  return out;
}

/** `info(pid)` names a process and its parent (from the run's process table); unknown ones get "process N". */
export function fromSteps(steps: readonly Step[], pending: Choice | null, info: (pid: number, proc: number) => StepProcessInfo | undefined): Trace {
  const frames: Frame[] = [];
  const known = new Map<number, Known & { pid: number }>();
  let mainPid = INIT;
  const nameOf = (pid: number, proc: number) => info(pid, proc)?.name ?? (proc === 0 ? "MainProcess" : `process ${proc}`);

  const frame = (choice: Choice, granted: number | null, advanced: boolean) => {
    const now = statesOf(choice, granted);
    const events: TraceEvent[] = [];
    for (const [proc, k] of known) {
      if (!now.has(proc) && k.state !== "zombie") {
        events.push({ type: "exit", pid: k.pid, code: 0 });
        k.state = "zombie";
      }
    }
    for (const [proc, s] of [...now].sort((a, b) => a[0] - b[0])) {
      const k = known.get(proc);
      if (!k) {
        if (proc === 0) mainPid = s.pid;
        const ppid = info(s.pid, proc)?.ppid ?? (proc === 0 ? INIT : mainPid);
        events.push({ type: "spawn", pid: s.pid, ppid, name: nameOf(s.pid, proc), daemon: false, state: s.state });
        if (s.what) events.push({ type: "state", pid: s.pid, state: s.state, blockedOn: { type: "other", what: s.what } });
        known.set(proc, { pid: s.pid, state: s.state, what: s.what });
      } else if (k.state !== s.state || k.what !== s.what) {
        events.push(s.what ? { type: "state", pid: s.pid, state: s.state, blockedOn: { type: "other", what: s.what } } : { type: "state", pid: s.pid, state: s.state });
        k.state = s.state;
        k.what = s.what;
      }
    }
    const op = granted === null ? undefined : choice.enabled.find((o) => o.proc === granted);
    const caption: Caption = op
      ? { key: "step-run", params: { name: nameOf(op.pid, op.proc), pid: op.pid, op: op.op, obj: op.obj } }
      : advanced
        ? { key: "step-advance", params: { time: Math.min(...choice.blocked.map((o) => o.deadline ?? Infinity)) } }
        : { key: "step-choose", params: { count: choice.enabled.length } };
    frames.push({ time: choice.clock, events, caption });
  };

  frames.push({
    time: 0,
    events: [
      { type: "spawn", pid: INIT, ppid: 0, name: "init", daemon: false, state: "blocked" },
      { type: "state", pid: INIT, state: "blocked", blockedOn: { type: "wait-any" } },
    ],
    caption: { key: "step-start", params: {} },
  });
  for (const s of steps) frame(s.choice, s.decision === "advance" ? null : s.decision, s.decision === "advance");
  if (pending) frame(pending, null, false);
  return { timeUnit: "ms", frames };
}
