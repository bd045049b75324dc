/**
 * The scheduler simulation: one CPU, a ready queue, timers, and the process-table rules of
 * SEMANTICS.md (zombies until reaped, orphans to init, multiprocessing's exit handling).
 * Kept as one closure over the simulation's state on purpose: the scheduling loop and the
 * process-table rules read and write the same few variables at every step, and threading
 * them through separate modules would hide that every frame is one consistent state change.
 */
import { Signal } from "@/lib/kernel/signals";
import { mulberry32, shuffle } from "./prng";
import { INIT_PID, ScenarioError, type FatalSignal, type Instr, type ProcessScript, type Scenario } from "./scenario";
import type { BlockReason, Caption, CaptionKey, CaptionParams, Frame, ProcessStateName, Trace, TraceEvent } from "./types";

const MAX_FRAMES = 2000;

/** Exit handling appends these to the script; they are never written by authors. */
type SimInstr = Instr | { op: "exit-join"; target: number } | { op: "final-exit"; code: number };

interface SimProc {
  pid: number;
  ppid: number;
  name: string;
  daemon: boolean;
  script: SimInstr[];
  pc: number;
  /** Ticks left in the current `run`, or null when it has not started. */
  remaining: number | null;
  state: ProcessStateName;
  exiting: boolean;
}

type Timed =
  | { kind: "admit"; at: number; pid: number }
  | { kind: "wake"; at: number; pid: number }
  | { kind: "signal"; at: number; target: string; signal: FatalSignal };

/**
 * Runs a scenario on one simulated CPU and records every change as a frame.
 * Deterministic: the same scenario (seed included) always gives the same trace.
 */
export function simulate(scenario: Scenario): Trace {
  const quantum = scenario.quantum ?? 2;
  if (!(quantum >= 1)) throw new ScenarioError("quantum must be at least 1");
  const rand = mulberry32(scenario.seed);
  const procs = new Map<number, SimProc>();
  const byName = new Map<string, number>();
  const frames: Frame[] = [];
  const exitCodes = new Map<number, number>();
  let time = 0;
  let nextPid = scenario.firstPid ?? 100;
  let running: number | null = null;
  let sliceLeft = quantum;
  const ready: number[] = [];
  let timed: Timed[] = (scenario.external ?? []).map((e) => ({ kind: "signal", at: e.at, target: e.target, signal: e.signal }));

  const frame = (key: CaptionKey, params: CaptionParams, events: TraceEvent[]) => {
    if (frames.length >= MAX_FRAMES) throw new ScenarioError(`scenario runs longer than ${MAX_FRAMES} steps`);
    frames.push({ time, events, caption: { key, params: { ...params, time } } satisfies Caption });
  };
  const get = (pid: number): SimProc => {
    const p = procs.get(pid);
    if (!p) throw new ScenarioError(`no process with pid ${pid}`);
    return p;
  };
  const pidOf = (name: string): number => {
    const pid = byName.get(name);
    if (pid === undefined) throw new ScenarioError(`no process named "${name}" has been started yet`);
    return pid;
  };
  const setState = (p: SimProc, state: ProcessStateName, blockedOn?: BlockReason): TraceEvent => {
    p.state = state;
    return blockedOn ? { type: "state", pid: p.pid, state, blockedOn } : { type: "state", pid: p.pid, state };
  };
  const alive = (p: SimProc) => p.state !== "zombie" && p.state !== "reaped";
  const childrenOf = (pid: number) => [...procs.values()].filter((c) => c.ppid === pid && c.state !== "reaped").sort((a, b) => a.pid - b.pid);
  const isJoining = (parent: SimProc, childPid: number) => {
    const instr = parent.script[parent.pc];
    return parent.state === "blocked" && instr !== undefined && (instr.op === "exit-join" ? instr.target === childPid : instr.op === "join" && byName.get(instr.target) === childPid);
  };
  /** Takes a process off the CPU, the ready queue and the timers. */
  const unschedule = (pid: number) => {
    if (running === pid) running = null;
    const i = ready.indexOf(pid);
    if (i >= 0) ready.splice(i, 1);
    timed = timed.filter((t) => t.kind === "signal" || t.pid !== pid);
  };

  const addProc = (script: ProcessScript, ppid: number, state: ProcessStateName): SimProc => {
    if (byName.has(script.name)) throw new ScenarioError(`two processes are named "${script.name}"`);
    const p: SimProc = { pid: nextPid++, ppid, name: script.name, daemon: script.daemon ?? false, script: [...script.steps], pc: 0, remaining: null, state, exiting: false };
    procs.set(p.pid, p);
    byName.set(p.name, p.pid);
    return p;
  };

  /** The exited process `p` is a zombie now: whoever is responsible for it reaps it or wakes up. */
  const afterDeath = (p: SimProc) => {
    // Like the kernel: re-parent the dead process's children before its parent hears of it.
    for (const c of childrenOf(p.pid)) {
      c.ppid = INIT_PID;
      if (c.state === "zombie") {
        frame("zombie-adopted", { name: c.name, pid: c.pid, parent: p.name }, [{ type: "reparent", pid: c.pid, from: p.pid, to: INIT_PID }]);
        c.state = "reaped";
        frame("init-reaps-at-once", { name: c.name, pid: c.pid, code: exitCodes.get(c.pid) ?? 0 }, [{ type: "reap", pid: c.pid, by: INIT_PID }]);
      } else {
        frame("orphaned", { name: c.name, pid: c.pid, parent: p.name }, [{ type: "reparent", pid: c.pid, from: p.pid, to: INIT_PID }]);
      }
    }
    if (p.ppid === INIT_PID) {
      p.state = "reaped";
      frame("init-reaps", { name: p.name, pid: p.pid, code: exitCodes.get(p.pid) ?? 0 }, [{ type: "reap", pid: p.pid, by: INIT_PID }]);
    }
  };
  /** Extra events for the exit frame: wake a parent blocked in join() on `p`. */
  const wakeJoiner = (p: SimProc): { events: TraceEvent[]; parent: SimProc | undefined; woke: boolean } => {
    const parent = procs.get(p.ppid);
    if (parent && parent.pid !== INIT_PID && isJoining(parent, p.pid)) {
      ready.push(parent.pid);
      return { events: [setState(parent, "ready")], parent, woke: true };
    }
    return { events: [], parent, woke: false };
  };

  const signalProcess = (target: SimProc, signal: FatalSignal, from: SimProc | null, key: CaptionKey) => {
    if (target.pid === INIT_PID) throw new ScenarioError("init (pid 1) cannot be signalled in a scenario");
    if (!alive(target)) return;
    unschedule(target.pid);
    const code = -Signal[signal];
    target.state = "zombie";
    exitCodes.set(target.pid, code);
    const wake = wakeJoiner(target);
    frame(
      key,
      { name: target.name, pid: target.pid, code, signal, by: from?.name ?? "", parent: wake.parent?.name ?? "" },
      [{ type: "signal", pid: target.pid, from: from?.pid ?? 0, signal }, { type: "exit", pid: target.pid, code }, ...wake.events],
    );
    afterDeath(target);
  };

  /** multiprocessing's exit handling: terminate daemon children, then join every child. */
  const beginExit = (p: SimProc, code: number) => {
    p.exiting = true;
    for (const c of childrenOf(p.pid)) {
      if (c.daemon && alive(c)) signalProcess(c, "SIGTERM", p, "exit-handling-daemons");
    }
    p.script = [...childrenOf(p.pid).map((c) => ({ op: "exit-join" as const, target: c.pid })), { op: "final-exit", code }];
    p.pc = 0;
  };

  const finalExit = (p: SimProc, code: number) => {
    unschedule(p.pid);
    p.state = "zombie";
    exitCodes.set(p.pid, code);
    const wake = wakeJoiner(p);
    const parentName = wake.parent?.name ?? "";
    const key: CaptionKey = wake.woke ? "join-wake" : p.ppid === INIT_PID ? "exit-zombie" : "exit-zombie-parent-busy";
    frame(key, { name: p.name, pid: p.pid, code, parent: parentName }, [{ type: "exit", pid: p.pid, code }, ...wake.events]);
    afterDeath(p);
  };

  /** join() on a child: reap it if it has ended, otherwise block. Returns true when the process continues. */
  const join = (p: SimProc, targetPid: number, duringExit: boolean): boolean => {
    const t = get(targetPid);
    if (t.pid === p.pid) throw new ScenarioError(`${p.name} cannot join itself`);
    if (t.ppid !== p.pid && t.state !== "reaped") throw new ScenarioError(`${p.name} can only join a child process, not ${t.name}`);
    if (t.state === "reaped") return true;
    if (t.state === "zombie") {
      t.state = "reaped";
      frame("join-reap", { name: p.name, child: t.name, pid: t.pid, code: exitCodes.get(t.pid) ?? 0 }, [{ type: "reap", pid: t.pid, by: p.pid }]);
      return true;
    }
    running = null;
    frame(duringExit ? "exit-handling-join" : "join-block", { name: p.name, child: t.name, pid: t.pid }, [setState(p, "blocked", { type: "join", pid: t.pid })]);
    return false;
  };

  // Step 0: init exists and waits for children; the main process is on the CPU.
  // init is in the table so captions can name it, but never runs: it reaps in the same instant a child ends.
  procs.set(INIT_PID, { pid: INIT_PID, ppid: 0, name: "init", daemon: false, script: [], pc: 0, remaining: null, state: "blocked", exiting: false });
  byName.set("init", INIT_PID);
  const mainScript = scenario.main;
  const main = addProc(mainScript, INIT_PID, "running");
  running = main.pid;
  frames.push({
    time,
    caption: { key: "start", params: { name: main.name, pid: main.pid, time } },
    events: [
      { type: "spawn", pid: INIT_PID, ppid: 0, name: "init", daemon: false, state: "blocked" },
      { type: "state", pid: INIT_PID, state: "blocked", blockedOn: { type: "wait-any" } },
      { type: "spawn", pid: main.pid, ppid: INIT_PID, name: main.name, daemon: main.daemon, state: "running" },
    ],
  });

  for (;;) {
    // 1. Everything due now, ties in seeded order.
    const due = timed.filter((t) => t.at <= time);
    if (due.length > 0) {
      timed = timed.filter((t) => t.at > time);
      for (const t of shuffle(due, rand)) {
        if (t.kind === "signal") {
          signalProcess(get(pidOf(t.target)), t.signal, null, "killed-external");
          continue;
        }
        const p = procs.get(t.pid);
        if (!p || !alive(p)) continue;
        ready.push(p.pid);
        frame(t.kind === "admit" ? "admit" : "wake", { name: p.name, pid: p.pid }, [setState(p, "ready")]);
      }
      continue;
    }

    // 2. The running process executes its next instruction.
    if (running !== null) {
      const p = get(running);
      if (sliceLeft <= 0) {
        sliceLeft = quantum;
        const next = ready.shift();
        if (next !== undefined) {
          const q = get(next);
          ready.push(p.pid);
          running = q.pid;
          frame("switch", { name: p.name, pid: p.pid, next: q.name, nextPid: q.pid }, [setState(p, "ready"), setState(q, "running")]);
          continue;
        }
      }
      const instr: SimInstr | undefined = p.script[p.pc];
      if (instr === undefined) {
        beginExit(p, 0);
        continue;
      }
      switch (instr.op) {
        case "run": {
          if (!(instr.ticks >= 1)) throw new ScenarioError(`${p.name}: run needs at least 1 tick`);
          const remaining = p.remaining ?? instr.ticks;
          const nextTimed = timed.length > 0 ? Math.min(...timed.map((t) => t.at)) - time : Infinity;
          const dt = Math.min(remaining, sliceLeft, nextTimed);
          time += dt;
          sliceLeft -= dt;
          if (remaining - dt === 0) {
            p.remaining = null;
            p.pc++;
          } else p.remaining = remaining - dt;
          break;
        }
        case "sleep": {
          p.pc++;
          running = null;
          timed.push({ kind: "wake", at: time + instr.ticks, pid: p.pid });
          frame("sleep", { name: p.name, pid: p.pid, ticks: instr.ticks }, [setState(p, "sleeping", { type: "sleep", until: time + instr.ticks })]);
          break;
        }
        case "spawn": {
          if (p.daemon) {
            // CPython: AssertionError in the daemon; uncaught, it ends the process with code 1.
            frame("daemon-no-children", { name: p.name, pid: p.pid, child: instr.child.name }, []);
            beginExit(p, 1);
            break;
          }
          // Process.start() first reaps children that have finished (multiprocessing's _cleanup).
          for (const c of childrenOf(p.pid)) {
            if (c.state !== "zombie") continue;
            c.state = "reaped";
            frame("reap-on-start", { name: p.name, child: c.name, pid: c.pid, code: exitCodes.get(c.pid) ?? 0 }, [{ type: "reap", pid: c.pid, by: p.pid }]);
          }
          const c = addProc(instr.child, p.pid, "new");
          p.pc++;
          timed.push({ kind: "admit", at: time + 1, pid: c.pid });
          frame(c.daemon ? "spawn-daemon" : "spawn", { name: p.name, child: c.name, pid: c.pid }, [
            { type: "spawn", pid: c.pid, ppid: p.pid, name: c.name, daemon: c.daemon, state: "new" },
          ]);
          break;
        }
        case "join":
          if (join(p, pidOf(instr.target), false)) p.pc++;
          break;
        case "exit-join":
          if (join(p, instr.target, true)) p.pc++;
          break;
        case "exit":
          if (p.exiting) throw new ScenarioError(`${p.name} exits twice`);
          beginExit(p, instr.code);
          break;
        case "final-exit":
          finalExit(p, instr.code);
          break;
        case "terminate":
        case "kill": {
          const target = get(pidOf(instr.target));
          if (target.pid === p.pid) throw new ScenarioError(`${p.name} cannot ${instr.op} itself in a scenario`);
          p.pc++;
          signalProcess(target, instr.op === "kill" ? "SIGKILL" : "SIGTERM", p, instr.op);
          break;
        }
      }
      continue;
    }

    // 3. The CPU is free: the next ready process gets it.
    const next = ready.shift();
    if (next !== undefined) {
      const q = get(next);
      running = q.pid;
      sliceLeft = quantum;
      frame("dispatch", { name: q.name, pid: q.pid }, [setState(q, "running")]);
      continue;
    }

    // 4. Idle until the next timer; done when there is none.
    if (timed.length > 0) {
      time = Math.min(...timed.map((t) => t.at));
      continue;
    }
    break;
  }

  frame("end", {}, []);
  return { timeUnit: "tick", frames };
}
