/** Scheduler simulation and trace model: pure TypeScript, no UI. The view lives in components/scheduler. */
export type { BlockReason, Caption, CaptionKey, CaptionParams, Frame, ProcessStateName, ProcessView, Snapshot, Trace, TraceEvent } from "./types";
export { PROCESS_STATES } from "./types";
export { simulate } from "./simulate";
export { ScenarioError, INIT_PID, type Instr, type ProcessScript, type Scenario, type ExternalSignal, type FatalSignal } from "./scenario";
export { SCENARIOS, SCENARIO_IDS, isScenarioId, type ScenarioId } from "./scenarios";
export { buildSnapshots, buildLanes, laneSegments, TraceError, type Lane } from "./trace";
export { modelOf, scenarioModel, stateAt, type TraceModel } from "./model";
export { formatCaption, stateLabel, stateHint, blockReasonLabel, CAPTION_KEYS, captionTemplate } from "./captions";
export { fromKernelEvents, type ReplayEvent } from "./from-kernel";
export { fromSteps, type StepProcessInfo } from "./from-steps";
