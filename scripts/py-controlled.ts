/**
 * The CLI's controlled mode (`scripts/py.ts`): `--schedule=TOKEN` replays a schedule exactly;
 * `--controlled [--seed N]` runs one controlled run (the default policy: an unloaded machine)
 * and prints its token, so a reader can get one at all. Output streams as in a normal run;
 * the token and what failed go to stderr.
 */
import { randomPolicy } from "@/lib/kernel/sched/policy";
import { replayToken, runControlled, ScheduleError, type ControlledProgram, type ControlledRecord } from "@/lib/runtime/controlled";
import type { Machine } from "@/lib/runtime/machine";

export interface ControlledFlags {
  readonly token: string | null;
  readonly seed: number | null;
  /** `--random`: random choices from the seed instead of the default policy. */
  readonly random: boolean;
  readonly lineGrain: boolean;
}

/** Takes the controlled-mode flags off the front of `args`; null flags when none was given. */
export function parseControlledFlags(args: readonly string[]): { flags: ControlledFlags | null; rest: string[] } {
  let token: string | null = null;
  let seed: number | null = null;
  let controlled = false;
  let random = false;
  let lineGrain = false;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.startsWith("--schedule=")) token = a.slice("--schedule=".length);
    else if (a === "--schedule" && i + 1 < args.length) token = args[++i];
    else if (a === "--controlled") controlled = true;
    else if (a === "--random") random = controlled = true;
    else if (a === "--line-grain") lineGrain = true;
    else if (a.startsWith("--seed=")) seed = Number(a.slice("--seed=".length));
    else if (a === "--seed" && i + 1 < args.length) seed = Number(args[++i]);
    else break;
  }
  const rest = args.slice(i);
  if (token === null && !controlled && seed === null) return { flags: null, rest };
  if (seed !== null && !(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32)) throw new ScheduleError("--seed takes an integer from 0 to 4294967295");
  return { flags: { token, seed, random, lineGrain }, rest };
}

/** Runs `program` controlled; returns the exit code as a normal run would (128+N for signal N), 1 on deadlock or a bad token. */
export async function runControlledCli(machine: Machine, program: ControlledProgram, flags: ControlledFlags): Promise<number> {
  let rec: ControlledRecord;
  try {
    rec = flags.token
      ? await replayToken(machine, program, flags.token, { lineGrain: flags.lineGrain })
      : await runControlled(machine, program, flags.random ? randomPolicy(flags.seed ?? 0) : undefined, { seed: flags.seed ?? 0, lineGrain: flags.lineGrain });
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    process.stderr.write(`spawnpoint: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`schedule: ${rec.token} (${rec.steps.length} steps, virtual time ${(rec.steps.at(-1)?.choice.clock ?? 0) / 1000} s)\n`);
  const f = rec.failure;
  if (f?.kind === "deadlock") {
    // scripts/py.ts prints the kernel's deadlock event; unlike a normal run, a controlled one ends there.
    return 1;
  }
  if (f?.kind === "limit") {
    process.stderr.write("spawnpoint: the controlled run stopped at its step limit\n");
    return 1;
  }
  const main = rec.exits.find((e) => e.proc === 0);
  const code = main?.code ?? 1;
  return code < 0 ? 128 - code : code;
}
