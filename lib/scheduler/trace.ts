import type { Frame, ProcessStateName, ProcessView, Snapshot, Trace, TraceEvent } from "./types";

/** A trace that cannot be replayed: an event names a pid nobody spawned, or a pid is spawned twice. */
export class TraceError extends Error {
  constructor(
    message: string,
    readonly step: number,
  ) {
    super(`step ${step}: ${message}`);
    this.name = "TraceError";
  }
}

function applyEvent(table: Map<number, ProcessView>, event: TraceEvent, step: number): void {
  if (event.type === "spawn") {
    if (table.has(event.pid)) throw new TraceError(`pid ${event.pid} spawned twice`, step);
    table.set(event.pid, {
      pid: event.pid,
      ppid: event.ppid,
      originalPpid: event.ppid,
      name: event.name,
      daemon: event.daemon,
      state: event.state,
      exitCode: null,
      bornAt: step,
    });
    return;
  }
  const proc = table.get(event.pid);
  if (!proc) throw new TraceError(`${event.type} for unknown pid ${event.pid}`, step);
  // Views are immutable per snapshot: copy before changing so earlier snapshots stay exact.
  const next: ProcessView = { ...proc };
  switch (event.type) {
    case "state":
      next.state = event.state;
      if (event.blockedOn) next.blockedOn = event.blockedOn;
      else delete next.blockedOn;
      break;
    case "exit":
      next.state = "zombie";
      next.exitCode = event.code;
      delete next.blockedOn;
      break;
    case "reap":
      next.state = "reaped";
      delete next.blockedOn;
      break;
    case "reparent":
      next.ppid = event.to;
      break;
    case "rename":
      next.name = event.name;
      break;
    case "signal":
      // Informational: the receiving process's state changes through its own exit event.
      return;
  }
  table.set(event.pid, next);
}

/**
 * Folds a trace into one snapshot per frame. Snapshot k is the table after frames 0..k,
 * so stepping back is just reading an earlier entry: exact, never an "undo".
 */
export function buildSnapshots(trace: Trace): Snapshot[] {
  const table = new Map<number, ProcessView>();
  return trace.frames.map((frame: Frame, step) => {
    for (const event of frame.events) applyEvent(table, event, step);
    const processes = [...table.values()].sort((a, b) => a.pid - b.pid);
    return { step, time: frame.time, caption: frame.caption, processes };
  });
}

/** One timeline lane: the state of a process at each step (null before it exists). */
export interface Lane {
  pid: number;
  name: string;
  states: (ProcessStateName | null)[];
}

/** Lanes in order of appearance, one per process ever seen in the trace. */
export function buildLanes(snapshots: readonly Snapshot[]): Lane[] {
  const lanes = new Map<number, Lane>();
  snapshots.forEach((snap, step) => {
    for (const proc of snap.processes) {
      let lane = lanes.get(proc.pid);
      if (!lane) {
        lane = { pid: proc.pid, name: proc.name, states: new Array<ProcessStateName | null>(snapshots.length).fill(null) };
        lanes.set(proc.pid, lane);
      }
      lane.states[step] = proc.state;
    }
  });
  // Map keeps insertion order: first appearance, then pid within a step.
  return [...lanes.values()];
}

/** Runs of equal states in a lane, for drawing one rectangle per run. */
export function laneSegments(lane: Lane): { from: number; to: number; state: ProcessStateName }[] {
  const out: { from: number; to: number; state: ProcessStateName }[] = [];
  lane.states.forEach((state, step) => {
    if (state === null) return;
    const last = out[out.length - 1];
    if (last && last.state === state && last.to === step) last.to = step + 1;
    else out.push({ from: step, to: step + 1, state });
  });
  return out;
}
