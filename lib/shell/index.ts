/** lib/shell: a bash-like shell over a Spawnpoint machine, and the line editor it uses. No UI. */
export { Shell, type ShellOptions } from "./shell";
export { LineEditor, type EditorEvent, type LineEditorOptions } from "./line-editor";
export { parseLine, ParseError, type SimpleCommand, type Redirect } from "./parse";
export { machineForShell } from "./machine";
export type { ShellMachine, ShellProcess, ShellSignal, ShellFs, ShellProcessState } from "./types";
