import type { Scenario } from "./scenario";

/**
 * The lessons' scenarios. Names follow multiprocessing's defaults (MainProcess, Process-1…)
 * so they match what a reader sees printed by the real programs.
 */
export const SCENARIOS = {
  /** start() then join(): the child is briefly a zombie until join() reaps it. */
  "start-join": {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [{ op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 3 }] } }, { op: "run", ticks: 1 }, { op: "join", target: "Process-1" }],
    },
  },
  /** The child ends while the parent is busy: a zombie until the parent finally joins. */
  zombie: {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [{ op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 2 }] } }, { op: "run", ticks: 6 }, { op: "join", target: "Process-1" }],
    },
  },
  /** The parent is killed while its child runs: init adopts the orphan and reaps it later. */
  orphan: {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [{ op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 2 }, { op: "sleep", ticks: 3 }, { op: "run", ticks: 2 }] } }, { op: "run", ticks: 10 }, { op: "join", target: "Process-1" }],
    },
    external: [{ at: 4, target: "MainProcess", signal: "SIGKILL" }],
  },
  /** At a normal exit the daemon child is terminated, the non-daemon child waited for. */
  daemon: {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [
        { op: "spawn", child: { name: "Process-1", daemon: true, steps: [{ op: "run", ticks: 20 }] } },
        { op: "spawn", child: { name: "Process-2", steps: [{ op: "run", ticks: 5 }] } },
        { op: "run", ticks: 2 },
      ],
    },
  },
  /** terminate(): SIGTERM ends the child at once (exit code -15); join() then reaps it. */
  terminate: {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [{ op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 20 }] } }, { op: "run", ticks: 3 }, { op: "terminate", target: "Process-1" }, { op: "join", target: "Process-1" }],
    },
  },
  /** A zombie's parent dies before reaping it: init adopts the zombie and reaps it at once. */
  "zombie-parent-dies": {
    seed: 1,
    main: {
      name: "MainProcess",
      steps: [{ op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 1 }] } }, { op: "run", ticks: 8 }, { op: "join", target: "Process-1" }],
    },
    external: [{ at: 6, target: "MainProcess", signal: "SIGKILL" }],
  },
} satisfies Record<string, Scenario>;

export type ScenarioId = keyof typeof SCENARIOS;

export const SCENARIO_IDS = Object.keys(SCENARIOS) as ScenarioId[];

export function isScenarioId(id: string): id is ScenarioId {
  return Object.hasOwn(SCENARIOS, id);
}
