export { Scheduler, type SchedulerProps } from "./Scheduler";
export { RunReplay, type RunReplayProps } from "./RunReplay";
export { SchedulerView, type SchedulerViewProps } from "./SchedulerView";
