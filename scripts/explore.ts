/**
 * The CLI's schedule search (`scripts/py.ts`): `--explore [--max-schedules N] [--time-limit S]`
 * runs schedules of FILE.py until one fails. The first failing one prints `schedule: TOKEN`
 * (replay it with `--schedule=TOKEN`) and what failed, exit 1; none within the budget prints
 * `explored N schedules, no failure`, exit 0. Progress and the summary go to stderr.
 * `--preemptions N|all` changes the bound of the exhaustive part (default 2; all: no bound).
 * `--timed`: time passes only when no process can move (sleeps keep the order they impose),
 * as lesson blocks are checked. `--machines N` runs schedules on N machines at once (default:
 * one per two cores, 1 to 4; the result is the same on any number, see lib/sched-search/search.ts).
 */
import { formatDeadlock } from "@/lib/kernel/deadlock-text";
import type { ControlledProgram } from "@/lib/runtime/controlled";
import type { Machine } from "@/lib/runtime/machine";
import { explore } from "@/lib/sched-search/explore";
import { defaultSearchMachines, searchMachines } from "@/lib/sched-search/node";
import { describeFailure, progressLine, summarize } from "@/lib/sched-search/text";

export interface ExploreFlags {
  readonly maxSchedules: number;
  readonly timeLimitS: number;
  readonly bound: number;
  readonly timed: boolean;
  readonly machines: number;
}

class UsageError extends Error {}

/** Takes `--explore` and its options off the front of `args`; null flags without `--explore`. */
export function parseExploreFlags(args: readonly string[]): { flags: ExploreFlags | null; rest: string[] } {
  let on = false;
  let maxSchedules = 1000;
  let timeLimitS = 120;
  let bound = 2;
  let timed = false;
  let machines = 0;
  let i = 0;
  const value = (name: string, a: string): number => {
    const text = a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[++i];
    const n = Number(text);
    if (text === undefined || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} takes a positive number`);
    return n;
  };
  for (; i < args.length; i++) {
    const a = args[i];
    const name = a.split("=")[0];
    if (a === "--explore") on = true;
    else if (a === "--timed") timed = true;
    else if (name === "--max-schedules") maxSchedules = Math.floor(value(name, a));
    else if (name === "--time-limit") timeLimitS = value(name, a);
    else if (name === "--machines") machines = Math.floor(value(name, a));
    else if (name === "--preemptions") bound = a === "--preemptions=all" || (a === name && args[i + 1] === "all" && ++i) ? Infinity : Math.floor(value(name, a));
    else break;
  }
  const rest = args.slice(i);
  return { flags: on ? { maxSchedules, timeLimitS, bound, timed, machines: Math.max(1, machines || defaultSearchMachines()) } : null, rest };
}

export { UsageError as ExploreUsageError };

/** Lines of the failing schedule's output the CLI shows (the last ones). */
const OUTPUT_SHOWN = 40;

export async function runExploreCli(machine: Machine, program: ControlledProgram, flags: ExploreFlags): Promise<number> {
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  const machines = searchMachines(machine, flags.machines);
  const result = await explore(machines.hosts, program, { maxSchedules: flags.maxSchedules, timeLimitMs: flags.timeLimitS * 1000, preemptionBound: flags.bound, timed: flags.timed }, (p) => {
    const now = Date.now();
    if (!tty && now - lastPrint < 1000) return;
    lastPrint = now;
    process.stderr.write(tty ? `\r\x1b[K${progressLine(p)}` : `${progressLine(p)}\n`);
  }).finally(() => machines.dispose());
  if (tty) process.stderr.write("\r\x1b[K");
  const f = result.found;
  if (f) {
    process.stdout.write(`schedule: ${f.record.token}\n`);
    process.stdout.write(`failed: ${describeFailure(f.failure)}\n`);
    if (f.failure.kind === "deadlock") for (const line of formatDeadlock(f.failure.report).slice(1)) process.stdout.write(`  ${line}\n`);
    // What the failing schedule printed (its traceback, a SyntaxError, the lines before it): its last lines.
    const printed = f.record.output.trimEnd().split("\n");
    if (printed.length > OUTPUT_SHOWN) process.stderr.write(`… (${printed.length - OUTPUT_SHOWN} lines above)\n`);
    if (f.record.output.trim()) process.stderr.write(`${printed.slice(-OUTPUT_SHOWN).join("\n")}\n`);
    const where = f.divergedAt === null ? "it is the default schedule" : `it first leaves the default schedule at step ${f.divergedAt}`;
    process.stderr.write(`${summarize(result)} Found by ${f.strategy === "pct" ? "PCT" : f.strategy === "dfs" || f.strategy === "dpor" ? "the bounded search" : "the default schedule"} with ${f.preemptions} preemptions; ${where}. Replay: --schedule=${f.record.token}\n`);
    return 1;
  }
  // Schedules stopped at the step or time limit were checked only as far as they ran: said so.
  const cut = result.truncated > 0 ? ` (${result.truncated} of them stopped before their end)` : "";
  process.stdout.write(`explored ${result.explored} schedules, no failure${cut}\n`);
  process.stderr.write(`${summarize(result)} (${result.distinct} distinct, ${(result.elapsedMs / 1000).toFixed(1)} s on ${flags.machines} machine${flags.machines === 1 ? "" : "s"})\n`);
  return 0;
}
