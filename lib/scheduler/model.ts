import { SCENARIOS, type ScenarioId } from "./scenarios";
import type { Scenario } from "./scenario";
import { simulate } from "./simulate";
import { buildLanes, buildSnapshots, type Lane } from "./trace";
import type { Snapshot, Trace } from "./types";

/** A trace with everything the view needs precomputed: the snapshot at every step and the lanes. */
export interface TraceModel {
  trace: Trace;
  snapshots: Snapshot[];
  lanes: Lane[];
  /** Index of the last step. */
  last: number;
}

export function modelOf(trace: Trace): TraceModel {
  if (trace.frames.length === 0) throw new RangeError("a trace needs at least one frame");
  const snapshots = buildSnapshots(trace);
  return { trace, snapshots, lanes: buildLanes(snapshots), last: snapshots.length - 1 };
}

const byScenario = new WeakMap<Scenario, TraceModel>();

/** The model of a scenario, computed once per scenario object. */
export function scenarioModel(scenario: Scenario | ScenarioId): TraceModel {
  const s: Scenario = typeof scenario === "string" ? SCENARIOS[scenario] : scenario;
  let model = byScenario.get(s);
  if (!model) {
    model = modelOf(simulate(s));
    byScenario.set(s, model);
  }
  return model;
}

/** The state at step k: a pure function of (scenario, k). k is clamped to the trace. */
export function stateAt(scenario: Scenario | ScenarioId, k: number): Snapshot {
  const model = scenarioModel(scenario);
  const i = Math.max(0, Math.min(model.last, Math.trunc(k)));
  return model.snapshots[i] as Snapshot;
}
