export { compareOutput, normalizeOutput, hasPlaceholder, placeholderParts, extractNumbers } from "./output";
export type { CompareOptions, CompareResult, OutputMismatch } from "./output";
export { extractRunnableBlocks, parseFenceMeta } from "./blocks";
export type { RunnableBlock, FenceMeta } from "./blocks";
export { runProgram } from "./run";
export type { Program, RunHost, RunResult, RunOptions, StartedProgram } from "./run";
export { hostFromPlaygroundMachine, hostFromRuntimeMachine } from "./hosts";
