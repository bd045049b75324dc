/**
 * Step mode's lanes: one per process of a controlled run, derived from the steps so far and
 * the choice on offer (pure). A process that was seen at a point and is no longer at any has
 * exited; its code comes from the run's record once the run is over.
 */
import type { Choice, RunRecord, Step, Where } from "@/lib/kernel/sched/types";

/** `ready`: can be stepped now; `running`: was granted and has not reached its next point yet. */
export type LaneState = "ready" | "running" | "blocked" | "sleeping" | "exited";

export interface Lane {
  readonly proc: number;
  readonly pid: number;
  readonly state: LaneState;
  /** The operation it waits to do (or is doing), e.g. "lock.acquire" on "lock:0". */
  readonly op: string | null;
  readonly obj: string | null;
  readonly where: Where | null;
  /** Virtual time its wait ends by itself (sleep, timeout). */
  readonly deadline: number | null;
  readonly exitCode: number | null;
  /** It ran the last step. */
  readonly last: boolean;
}

export function lanesOf(steps: readonly Step[], choice: Choice | null, record?: RunRecord): Lane[] {
  const pids = new Map<number, number>();
  const seen = (c: Choice) => {
    for (const o of c.enabled) pids.set(o.proc, o.pid);
    for (const o of c.blocked) pids.set(o.proc, o.pid);
  };
  for (const s of steps) seen(s.choice);
  if (choice) seen(choice);
  for (const e of record?.exits ?? []) pids.set(e.proc, e.pid);

  const lastStep = steps.at(-1);
  const at = choice ?? lastStep?.choice ?? null;
  const granted = choice ? null : lastStep && lastStep.decision !== "advance" ? lastStep.decision : null;
  const lastRan = lastStep && lastStep.decision !== "advance" ? lastStep.decision : null;
  const lanes: Lane[] = [];
  for (const [proc, pid] of [...pids].sort((a, b) => a[0] - b[0])) {
    const enabled = at?.enabled.find((o) => o.proc === proc);
    const blocked = at?.blocked.find((o) => o.proc === proc);
    const exit = record?.exits.find((e) => e.proc === proc);
    const op = enabled ?? blocked;
    let state: LaneState;
    if (exit || (record && !op)) state = "exited";
    else if (proc === granted) state = "running";
    else if (enabled) state = "ready";
    else if (blocked) state = blocked.op === "sleep" && blocked.deadline !== null ? "sleeping" : "blocked";
    else state = "exited";
    const live = state !== "exited";
    lanes.push({
      proc,
      pid,
      state,
      op: live ? (op?.op ?? null) : null,
      obj: live ? (op?.obj ?? null) : null,
      where: live ? (op?.where ?? null) : null,
      deadline: live ? (blocked?.deadline ?? null) : null,
      exitCode: exit?.code ?? null,
      last: proc === lastRan,
    });
  }
  return lanes;
}
