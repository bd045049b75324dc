/**
 * Every exercise of the course, by id. `<Exercise id="…">` in a lesson looks its spec up
 * here; the tests run every solution (must pass) and every starter (must fail).
 */
import type { ExerciseSpec } from "../exercise";
import { subclass } from "./l01";
import { allDone } from "./l02";
import { mainGuard } from "./l03";
import { family } from "./l04";
import { stopRunaway } from "./l05";
import { reap } from "./l06";
import { orphan } from "./l07";
import { daemon } from "./l08";
import { ticketOffice } from "./l09";
import { drain } from "./l10";
import { pipeSquares } from "./l11";
import { packers } from "./l12";
import { hangUp } from "./l13";
import { deadlock } from "./l14";
import { spawnContext } from "./l15";
import { philosophers } from "./l16";
import { cleanShutdown } from "./l17";
import { shareTheWork } from "./l18";
import { tally } from "./l19";

export const EXERCISES: readonly ExerciseSpec[] = [subclass, allDone, mainGuard, family, stopRunaway, reap, orphan, daemon, ticketOffice, drain, pipeSquares, packers, hangUp, deadlock, spawnContext, philosophers, cleanShutdown, shareTheWork, tally];

const byId = new Map(EXERCISES.map((e) => [e.id, e]));

export function getExercise(id: string): ExerciseSpec | undefined {
  return byId.get(id);
}
