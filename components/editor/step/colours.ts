/**
 * One colour per process, the one its `[pid name]` prefix has in the terminal
 * (lib/playground/output-format.ts picks ANSI colour `pid % 10`): lane swatches and gutter
 * markers use the same index, so a reader matches lane, marker and output lines by colour.
 * Every lane also prints the name and pid, so nothing depends on colour alone.
 */
export const HUES = 10;

export function hueOf(pid: number): number {
  return pid % HUES;
}

/** The class that paints a swatch or gutter marker in the process's colour (step.css). */
export function markClass(pid: number): string {
  return `sp-step-hue-${hueOf(pid)}`;
}
