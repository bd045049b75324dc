/**
 * The scheduler simulation against SEMANTICS.md, rule by rule (scheduling, zombies, orphans,
 * daemons, terminate), every lesson scenario's reaps and exit codes, determinism, and the
 * captions' placeholders. Long because it is the simulation's whole spec.
 */
import { describe, expect, it } from "vitest";
import { formatCaption, CAPTION_KEYS, captionTemplate } from "./captions";
import { scenarioModel, stateAt, modelOf } from "./model";
import { SCENARIO_IDS, SCENARIOS } from "./scenarios";
import { INIT_PID, ScenarioError, type Scenario } from "./scenario";
import { simulate } from "./simulate";
import { buildSnapshots } from "./trace";
import type { ProcessView, Snapshot, TraceEvent } from "./types";

const MAIN = 100;
const CHILD = 101;

function proc(snap: Snapshot, pid: number): ProcessView {
  const p = snap.processes.find((x) => x.pid === pid);
  if (!p) throw new Error(`pid ${pid} not in snapshot ${snap.step}`);
  return p;
}

/** All events of a trace in order, each with the step it happened at. */
function events(scenario: Scenario): { step: number; event: TraceEvent }[] {
  return simulate(scenario).frames.flatMap((f, step) => f.events.map((event) => ({ step, event })));
}

function firstStep(scenario: Scenario, pred: (e: TraceEvent) => boolean): number {
  const hit = events(scenario).find((e) => pred(e.event));
  if (!hit) throw new Error("no such event");
  return hit.step;
}

const reaps = (scenario: Scenario) => events(scenario).flatMap(({ event }) => (event.type === "reap" ? [{ pid: event.pid, by: event.by }] : []));

describe("simulate", () => {
  describe("the start of a run", () => {
    it("should start with init waiting for children and the main process on the CPU", () => {
      const s0 = stateAt("start-join", 0);
      expect(proc(s0, INIT_PID)).toMatchObject({ name: "init", state: "blocked", blockedOn: { type: "wait-any" } });
      expect(proc(s0, MAIN)).toMatchObject({ name: "MainProcess", ppid: INIT_PID, state: "running" });
    });

    it("should show a spawned child as new until it has booted, then ready", () => {
      const m = scenarioModel("start-join");
      const born = m.snapshots.findIndex((s) => s.processes.some((p) => p.pid === CHILD));
      expect(proc(m.snapshots[born] as Snapshot, CHILD).state).toBe("new");
      expect(proc(m.snapshots[born + 1] as Snapshot, CHILD).state).toBe("ready");
    });
  });

  describe("scheduling", () => {
    it("should never have two processes running at once", () => {
      for (const id of SCENARIO_IDS) {
        for (const snap of scenarioModel(id).snapshots) {
          expect(snap.processes.filter((p) => p.state === "running").length).toBeLessThanOrEqual(1);
        }
      }
    });

    it("should switch the CPU when a time slice ends and another process is ready", () => {
      const frames = simulate(SCENARIOS.zombie).frames;
      const sw = frames.find((f) => f.caption.key === "switch");
      expect(sw?.events).toEqual([
        { type: "state", pid: MAIN, state: "ready" },
        { type: "state", pid: CHILD, state: "running" },
      ]);
    });

    it("should put a sleeping process back in the ready queue when its sleep ends", () => {
      const m = scenarioModel("orphan");
      const sleeping = m.snapshots.findIndex((s) => s.processes.some((p) => p.pid === CHILD && p.state === "sleeping"));
      expect(proc(m.snapshots[sleeping] as Snapshot, CHILD).blockedOn).toEqual({ type: "sleep", until: 7 });
      const woke = m.snapshots.findIndex((s, i) => i > sleeping && proc(s, CHILD).state === "ready");
      expect(m.snapshots[woke]?.time).toBe(7);
    });
  });

  describe("join and zombies", () => {
    it("should make a child that exits before its parent joins a zombie that keeps its exit code", () => {
      const m = scenarioModel("zombie");
      const exitStep = firstStep(SCENARIOS.zombie, (e) => e.type === "exit" && e.pid === CHILD);
      const joinStep = firstStep(SCENARIOS.zombie, (e) => e.type === "reap" && e.pid === CHILD);
      expect(joinStep).toBeGreaterThan(exitStep + 1);
      for (let k = exitStep; k < joinStep; k++) {
        expect(proc(m.snapshots[k] as Snapshot, CHILD)).toMatchObject({ state: "zombie", exitCode: 0 });
      }
      // Meanwhile the parent is busy, not waiting.
      expect(proc(m.snapshots[exitStep] as Snapshot, MAIN).state).not.toBe("blocked");
      expect(m.snapshots[exitStep]?.caption.key).toBe("exit-zombie-parent-busy");
    });

    it("should let the parent reap the zombie in join()", () => {
      expect(reaps(SCENARIOS.zombie)).toEqual([
        { pid: CHILD, by: MAIN },
        { pid: MAIN, by: INIT_PID },
      ]);
    });

    it("should block a parent that joins a running child and wake it when the child exits", () => {
      const m = scenarioModel("start-join");
      const blocked = m.snapshots.findIndex((s) => proc(s, MAIN).state === "blocked");
      expect(proc(m.snapshots[blocked] as Snapshot, MAIN).blockedOn).toEqual({ type: "join", pid: CHILD });
      const exitStep = firstStep(SCENARIOS["start-join"], (e) => e.type === "exit" && e.pid === CHILD);
      expect(proc(m.snapshots[exitStep] as Snapshot, MAIN).state).toBe("ready");
      expect(m.snapshots[exitStep]?.caption.key).toBe("join-wake");
    });

    it("should reap finished children when the parent starts another process", () => {
      const s: Scenario = {
        seed: 1,
        main: {
          name: "MainProcess",
          steps: [
            { op: "spawn", child: { name: "Process-1", steps: [{ op: "run", ticks: 1 }] } },
            { op: "sleep", ticks: 5 },
            { op: "spawn", child: { name: "Process-2", steps: [{ op: "run", ticks: 1 }] } },
            { op: "join", target: "Process-2" },
          ],
        },
      };
      const frames = simulate(s).frames;
      const reapOnStart = frames.findIndex((f) => f.caption.key === "reap-on-start");
      const spawn2 = frames.findIndex((f) => f.events.some((e) => e.type === "spawn" && e.name === "Process-2"));
      expect(frames[reapOnStart]?.events).toEqual([{ type: "reap", pid: CHILD, by: MAIN }]);
      expect(reapOnStart).toBeLessThan(spawn2);
    });
  });

  describe("orphans", () => {
    it("should re-parent a running child to init when its parent is killed, and let init reap it", () => {
      const m = scenarioModel("orphan");
      const killed = firstStep(SCENARIOS.orphan, (e) => e.type === "exit" && e.pid === MAIN);
      expect(proc(m.snapshots[killed] as Snapshot, MAIN).exitCode).toBe(-9);
      const adopted = firstStep(SCENARIOS.orphan, (e) => e.type === "reparent");
      expect(adopted).toBe(killed + 1);
      expect(proc(m.snapshots[adopted] as Snapshot, CHILD)).toMatchObject({ ppid: INIT_PID, originalPpid: MAIN, state: "running" });
      expect(m.snapshots[adopted]?.caption.key).toBe("orphaned");
      expect(reaps(SCENARIOS.orphan)).toEqual([
        { pid: MAIN, by: INIT_PID },
        { pid: CHILD, by: INIT_PID },
      ]);
      expect(proc(m.snapshots[m.last] as Snapshot, CHILD)).toMatchObject({ state: "reaped", exitCode: 0 });
    });

    it("should run no exit handling in a killed parent: its children live on", () => {
      const m = scenarioModel("orphan");
      const killed = firstStep(SCENARIOS.orphan, (e) => e.type === "exit" && e.pid === MAIN);
      // The child is neither terminated nor joined: it keeps running and later exits with 0.
      expect(events(SCENARIOS.orphan).some(({ event }) => event.type === "signal" && event.pid === CHILD)).toBe(false);
      expect(proc(m.snapshots[killed] as Snapshot, CHILD).state).toBe("running");
    });

    it("should adopt a zombie whose parent dies and have init reap it at once", () => {
      const s = SCENARIOS["zombie-parent-dies"];
      const m = scenarioModel("zombie-parent-dies");
      const killed = firstStep(s, (e) => e.type === "exit" && e.pid === MAIN);
      expect(proc(m.snapshots[killed] as Snapshot, CHILD).state).toBe("zombie");
      expect(m.snapshots[killed + 1]?.caption.key).toBe("zombie-adopted");
      expect(proc(m.snapshots[killed + 1] as Snapshot, CHILD)).toMatchObject({ state: "zombie", ppid: INIT_PID });
      expect(m.snapshots[killed + 2]?.caption.key).toBe("init-reaps-at-once");
      expect(proc(m.snapshots[killed + 2] as Snapshot, CHILD).state).toBe("reaped");
      expect(m.snapshots[killed + 2]?.time).toBe(m.snapshots[killed]?.time);
      expect(reaps(s)).toEqual([
        { pid: CHILD, by: INIT_PID },
        { pid: MAIN, by: INIT_PID },
      ]);
    });
  });

  describe("daemons at the parent's exit", () => {
    const DAEMON = 101;
    const WORKER = 102;

    it("should terminate the daemon child with SIGTERM and wait for the non-daemon child", () => {
      const m = scenarioModel("daemon");
      const all = events(SCENARIOS.daemon);
      const sig = all.find(({ event }) => event.type === "signal");
      expect(sig?.event).toEqual({ type: "signal", pid: DAEMON, from: MAIN, signal: "SIGTERM" });
      const sigStep = sig?.step ?? -1;
      expect(proc(m.snapshots[sigStep] as Snapshot, DAEMON)).toMatchObject({ state: "zombie", exitCode: -15 });
      // The worker is still alive when the daemon dies, and the parent then blocks on it.
      expect(proc(m.snapshots[sigStep] as Snapshot, WORKER).state).not.toBe("zombie");
      const waiting = m.snapshots.findIndex((s) => s.caption.key === "exit-handling-join");
      expect(proc(m.snapshots[waiting] as Snapshot, MAIN).blockedOn).toEqual({ type: "join", pid: WORKER });
      expect(proc(m.snapshots[m.last] as Snapshot, WORKER).exitCode).toBe(0);
    });

    it("should reap the daemon and the worker before the parent itself ends", () => {
      expect(reaps(SCENARIOS.daemon)).toEqual([
        { pid: DAEMON, by: MAIN },
        { pid: WORKER, by: MAIN },
        { pid: MAIN, by: INIT_PID },
      ]);
    });

    it("should not let a daemon have children: the daemon ends with code 1", () => {
      const s: Scenario = {
        seed: 1,
        main: {
          name: "MainProcess",
          steps: [
            { op: "spawn", child: { name: "d", daemon: true, steps: [{ op: "spawn", child: { name: "grandchild", steps: [] } }, { op: "run", ticks: 5 }] } },
            { op: "join", target: "d" },
          ],
        },
      };
      const frames = simulate(s).frames;
      expect(frames.some((f) => f.caption.key === "daemon-no-children")).toBe(true);
      expect(frames.flatMap((f) => f.events).some((e) => e.type === "spawn" && e.name === "grandchild")).toBe(false);
      expect(frames.flatMap((f) => f.events)).toContainEqual({ type: "exit", pid: 101, code: 1 });
    });
  });

  describe("terminate", () => {
    it("should end the child at once with exit code -15, then join() reaps it", () => {
      const m = scenarioModel("terminate");
      const step = m.snapshots.findIndex((s) => s.caption.key === "terminate");
      expect(proc(m.snapshots[step - 1] as Snapshot, CHILD).state).not.toBe("zombie");
      expect(proc(m.snapshots[step] as Snapshot, CHILD)).toMatchObject({ state: "zombie", exitCode: -15 });
      expect(m.snapshots[step + 1]?.caption.key).toBe("join-reap");
      expect(proc(m.snapshots[step + 1] as Snapshot, CHILD).state).toBe("reaped");
    });

    it("should orphan, not kill, the children of a terminated process", () => {
      const s: Scenario = {
        seed: 3,
        main: {
          name: "MainProcess",
          steps: [
            { op: "spawn", child: { name: "mid", steps: [{ op: "spawn", child: { name: "leaf", steps: [{ op: "run", ticks: 6 }] } }, { op: "run", ticks: 20 }] } },
            { op: "sleep", ticks: 4 },
            { op: "terminate", target: "mid" },
            { op: "join", target: "mid" },
          ],
        },
      };
      const snaps = buildSnapshots(simulate(s));
      const end = snaps[snaps.length - 1] as Snapshot;
      expect(proc(end, 102)).toMatchObject({ name: "leaf", ppid: INIT_PID, originalPpid: 101, exitCode: 0, state: "reaped" });
      expect(reaps(s)).toContainEqual({ pid: 102, by: INIT_PID });
      expect(reaps(s)).toContainEqual({ pid: 101, by: MAIN });
    });
  });

  describe("every lesson scenario", () => {
    const REAPS: Record<(typeof SCENARIO_IDS)[number], { pid: number; by: number }[]> = {
      "start-join": [{ pid: CHILD, by: MAIN }, { pid: MAIN, by: INIT_PID }],
      zombie: [{ pid: CHILD, by: MAIN }, { pid: MAIN, by: INIT_PID }],
      orphan: [{ pid: MAIN, by: INIT_PID }, { pid: CHILD, by: INIT_PID }],
      daemon: [{ pid: 101, by: MAIN }, { pid: 102, by: MAIN }, { pid: MAIN, by: INIT_PID }],
      terminate: [{ pid: CHILD, by: MAIN }, { pid: MAIN, by: INIT_PID }],
      "zombie-parent-dies": [{ pid: CHILD, by: INIT_PID }, { pid: MAIN, by: INIT_PID }],
    };
    it.each(SCENARIO_IDS)("%s should reap in the expected order, by the expected reaper", (id) => {
      expect(reaps(SCENARIOS[id])).toEqual(REAPS[id]);
    });

    it.each(SCENARIO_IDS)("%s should keep every exit code from the zombie to the end", (id) => {
      const m = scenarioModel(id);
      for (let k = 1; k <= m.last; k++) {
        for (const p of m.snapshots[k - 1]?.processes ?? []) {
          if (p.exitCode !== null) expect(proc(m.snapshots[k] as Snapshot, p.pid).exitCode).toBe(p.exitCode);
        }
      }
    });

    it.each(SCENARIO_IDS)("%s should end with every process but init reaped", (id) => {
      const m = scenarioModel(id);
      const end = m.snapshots[m.last] as Snapshot;
      expect(end.caption.key).toBe("end");
      expect(end.processes.filter((p) => p.pid !== INIT_PID).every((p) => p.state === "reaped")).toBe(true);
    });

    it.each(SCENARIO_IDS)("%s should have a caption in English and Chinese at every step, with no placeholder left", (id) => {
      for (const snap of scenarioModel(id).snapshots) {
        for (const lang of ["en", "zh"] as const) {
          const text = formatCaption(snap.caption, lang);
          expect(text).not.toMatch(/\{\w+\}/);
          expect(text.length).toBeGreaterThan(5);
        }
      }
    });
  });

  describe("determinism", () => {
    it.each(SCENARIO_IDS)("%s should give the same trace every time", (id) => {
      expect(simulate(SCENARIOS[id])).toEqual(simulate(structuredClone(SCENARIOS[id])));
    });

    it("should break ties with the seed, reproducibly", () => {
      const tie = (seed: number): Scenario => ({
        seed,
        main: {
          name: "MainProcess",
          steps: [
            { op: "spawn", child: { name: "a", steps: [{ op: "sleep", ticks: 3 }, { op: "run", ticks: 1 }] } },
            { op: "spawn", child: { name: "b", steps: [{ op: "sleep", ticks: 3 }, { op: "run", ticks: 1 }] } },
            { op: "spawn", child: { name: "c", steps: [{ op: "sleep", ticks: 3 }, { op: "run", ticks: 1 }] } },
            { op: "join", target: "a" },
            { op: "join", target: "b" },
            { op: "join", target: "c" },
          ],
        },
      });
      const wakeOrder = (seed: number) => simulate(tie(seed)).frames.filter((f) => f.caption.key === "wake").map((f) => f.caption.params.name);
      const orders = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => wakeOrder(seed).join()));
      expect(orders.size).toBeGreaterThan(1);
      expect(wakeOrder(5)).toEqual(wakeOrder(5));
    });
  });

  describe("stateAt", () => {
    it("should equal the forward state when stepping back and forth in any order", () => {
      for (const id of SCENARIO_IDS) {
        const forward = modelOf(simulate(SCENARIOS[id])).snapshots;
        const order = [...forward.keys()].reverse().concat([3, 0, forward.length - 1, 1]);
        for (const k of order) expect(stateAt(id, k)).toEqual(forward[Math.min(k, forward.length - 1)]);
      }
    });

    it("should not let a later step change an earlier snapshot", () => {
      const m = scenarioModel("zombie");
      const before = JSON.stringify(m.snapshots[3]);
      stateAt("zombie", m.last);
      expect(JSON.stringify(m.snapshots[3])).toBe(before);
      expect(proc(m.snapshots[3] as Snapshot, CHILD).state).not.toBe("reaped");
    });

    it("should clamp k to the trace", () => {
      const m = scenarioModel("zombie");
      expect(stateAt("zombie", -4)).toBe(m.snapshots[0]);
      expect(stateAt("zombie", 10_000)).toBe(m.snapshots[m.last]);
    });
  });

  describe("bad scenarios", () => {
    it("should reject joining a process that is not a child", () => {
      const s: Scenario = {
        seed: 1,
        main: { name: "MainProcess", steps: [{ op: "spawn", child: { name: "a", steps: [{ op: "join", target: "MainProcess" }] } }, { op: "join", target: "a" }] },
      };
      expect(() => simulate(s)).toThrow(ScenarioError);
    });

    it("should reject an unknown target by name", () => {
      const s: Scenario = { seed: 1, main: { name: "MainProcess", steps: [{ op: "terminate", target: "ghost" }] } };
      expect(() => simulate(s)).toThrow(/ghost/);
    });
  });
});

describe("captions", () => {
  it("should have the same placeholders in English and Chinese for every key", () => {
    const holes = (t: string) => [...t.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    for (const key of CAPTION_KEYS) {
      expect(new Set(holes(captionTemplate(key, "zh"))), key).toEqual(new Set(holes(captionTemplate(key, "en"))));
    }
  });
});
