/** lib/playground: the live editor's logic without UI (share links, persistence, loader, terminal I/O). */
export { encodeShare, decodeShare, ShareDecodeError, type SharedCode, type SharedSchedule } from "./share";
export { EditStore, browserStorage, isModified, storageKey, type KeyValueStorage } from "./persistence";
export { detectCapabilities, describeMissing, describeRelay, isFramed, type Capabilities, type MissingCapability, type RuntimeMode } from "./capabilities";
export { RuntimeLoader, type LoaderState, type LoaderDeps } from "./loader";
export { downloadWithProgress, formatProgress, formatBytes, type Asset } from "./download";
export { OutputFormatter, stripAnsi, type FormatOptions } from "./output-format";
export { OutputBatcher, type FlushScheduler } from "./output-batcher";
export { ProcessModel, type ProcessRow, type ProcessState } from "./process-model";
export { ExampleSession, type SessionMachine, type OutputSink, type ProgramStatus, type ProgramView, type SessionSnapshot, type SessionDeps, type SessionMessages } from "./session";
export { CappedText } from "./capped-text";
export { TERMINAL_SCROLLBACK } from "./program";
export { whenIdle, whenQuiet, DeferGate, IDLE_TIMEOUT_MS, type IdleHost } from "./when-idle";
