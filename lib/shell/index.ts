/** lib/shell: a bash-like shell over a Spawnpoint machine (the runtime's MachinePort), and the line editor it uses. No UI. */
export { Shell, type ShellOptions } from "./shell";
export { LineEditor, type EditorEvent, type LineEditorOptions } from "./line-editor";
export { parseLine, ParseError, type SimpleCommand, type Redirect } from "./parse";
export type { PsProcess } from "./format";
