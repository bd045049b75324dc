/**
 * Reads a speedup table out of a program's output, for the chart a lesson block asks for with
 * `chart=speedup` (components/lesson/SpeedupChart.tsx): lines such as
 * `2 process(es): 1.23 s, speedup 1.9x`, and the machine's `cores: N`.
 */
export interface SpeedupRow {
  readonly processes: number;
  readonly seconds: number;
  readonly speedup: number;
}

export interface Speedup {
  readonly cores: number | null;
  readonly rows: readonly SpeedupRow[];
}

const ROW = /^(\d+) process\(es\): (\d+(?:\.\d+)?) s, speedup (\d+(?:\.\d+)?)x/;
const CORES = /^cores: (\d+)\s*$/;

/** Complete lines only: a row still being printed is not drawn yet. */
export function parseSpeedup(output: string): Speedup {
  const lines = output.split("\n");
  if (!output.endsWith("\n")) lines.pop();
  let cores: number | null = null;
  const rows: SpeedupRow[] = [];
  for (const line of lines) {
    const c = CORES.exec(line);
    if (c) cores = Number(c[1]);
    const m = ROW.exec(line);
    if (m) rows.push({ processes: Number(m[1]), seconds: Number(m[2]), speedup: Number(m[3]) });
  }
  return { cores, rows };
}

/** The best speedup n processes can give on `cores` cores (each process one core at most). */
export function idealSpeedup(processes: number, cores: number | null): number {
  return cores === null ? processes : Math.min(processes, cores);
}
