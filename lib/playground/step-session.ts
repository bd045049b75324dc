/**
 * Step mode's model, no UI: the reader is the scheduler of one controlled run. It drives the
 * runner's interactive handle (a Policy whose `choose` waits for the reader), keeps the steps
 * so far, and turns them into lanes, a schedule token and the trace the scheduler view draws.
 *
 * "Back" starts a fresh run that replays every decision but the last: a controlled run is
 * deterministic, so replaying the prefix reaches exactly the state the reader saw before.
 * A shared link (token + step count) is loaded without running; `start()` replays it.
 */
import type { Choice, ControlledOptions, Decision, Policy, RunRecord, Step } from "@/lib/kernel/sched/types";
import { decodeToken, defaultDecision, deviations, encodeToken, randomPolicy } from "@/lib/kernel/sched/policy";
import { lanesOf, type Lane } from "./step-lanes";

/** One controlled run in progress (the runner's interactive handle). */
export interface ControlledRun {
  readonly done: Promise<RunRecord>;
  stop(): void;
}

/** Starts a fresh controlled run of the example with `policy` (the runner, on the page's machine). */
export type StartControlled = (policy: Policy, options: ControlledOptions) => ControlledRun;

export type StepPhase = "idle" | "running" | "choosing" | "finished" | "error";

export interface StepSnapshot {
  readonly phase: StepPhase;
  /** Every step of this run so far (forced clock advances included). */
  readonly steps: readonly Step[];
  /** What the reader chooses from now (phase "choosing"). */
  readonly choice: Choice | null;
  readonly lanes: readonly Lane[];
  readonly clock: number;
  /** The run's end (phase "finished"). */
  readonly record: RunRecord | null;
  readonly error: string | null;
  /** Seed + decisions so far: a share link carries it. */
  readonly token: string;
  /** A shared interleaving waiting for the reader's button: how many steps it replays. */
  readonly pending: number | null;
  /** What the run's processes wrote, in order. */
  readonly output: readonly OutputChunk[];
  /** Stepping through a found failure: the step where it leaves the default order, and what it does at the choice on offer. */
  readonly failing: { readonly divergedAt: number | null; readonly next: Decision | null } | null;
  /** Names and parents of the run's processes (from the kernel's spawn/rename events). */
  readonly names: ReadonlyMap<number, { readonly name: string; readonly ppid: number }>;
}

export interface OutputChunk {
  readonly pid: number;
  readonly fd: 1 | 2;
  readonly text: string;
}

export type StepMode = { kind: "ask" } | { kind: "random"; policy: Policy } | { kind: "to-shared" } | { kind: "script" };

const IDLE: StepSnapshot = { phase: "idle", steps: [], choice: null, lanes: [], clock: 0, record: null, error: null, token: "", pending: null, output: [], names: new Map(), failing: null };

export function isAvailable(choice: Choice, d: Decision): boolean {
  return d === "advance" ? choice.canAdvance : choice.enabled.some((o) => o.proc === d);
}

/** "Run to the next shared operation": the process followed so far is about to do something other than a source line. */
export function reachedShared(choice: Choice): boolean {
  const d = defaultDecision(choice);
  if (d === "advance") return true;
  return choice.enabled.find((o) => o.proc === d)?.op !== "line";
}

/** The page's sessions: one controlled run at a time on its machine. */
const sessions = new Set<StepSession>();

export class StepSession {
  private snap: StepSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private run: ControlledRun | null = null;
  private generation = 0;
  private resolve: ((d: Decision) => void) | null = null;
  private mode: StepMode = { kind: "ask" };
  /** Decisions to replay before asking (by step), and the step at which to start asking. */
  private replay: { decisions: ReadonlyMap<number, Decision>; until: number } | null = null;
  private seed: number;
  /** A found failure's schedule (its deviations from the default), followed on request. */
  private script: { decisions: ReadonlyMap<number, Decision>; divergedAt: number | null } | null = null;
  /** Pids of the current run (output and names of other programs are not ours). */
  private pids = new Set<number>();
  /** Settles when the last run's processes are gone. */
  private settled: Promise<unknown> = Promise.resolve();
  /** A run was started and not stopped: its events and output are taken. */
  private active = false;

  constructor(
    private startRun: StartControlled | null,
    private readonly options: { seed?: number; lineGrain?: boolean; randomSeed?: () => number } = {},
  ) {
    this.seed = options.seed ?? 0;
    sessions.add(this);
  }

  /** The runner, when it loads after the session was made (the page's machine boots on demand). */
  get bound(): boolean {
    return this.startRun !== null;
  }

  bind(start: StartControlled): void {
    this.startRun = start;
  }

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  readonly snapshot = (): StepSnapshot => this.snap;

  /** A shared interleaving: shown, not run, until `start()`. Throws the token's ScheduleError. */
  load(token: string, steps: number): void {
    const { seed, deviations: devs } = decodeToken(token);
    this.stopRun();
    this.script = null;
    this.seed = seed;
    this.replay = { decisions: devs, until: Math.max(0, Math.floor(steps)) };
    this.set({ ...IDLE, token, pending: this.replay.until });
  }

  /**
   * A failing schedule from search: replayed up to the step where it diverges from the default
   * order, then the reader steps on, with the failing schedule's next move shown (`failing.next`).
   */
  loadFailure(token: string, divergedAt: number | null): void {
    this.load(token, divergedAt ?? 0);
    const { deviations: devs } = decodeToken(token);
    this.script = { decisions: devs, divergedAt };
    this.set({ ...this.snap, failing: { divergedAt, next: null } });
  }

  /** Lets the found failure's schedule run to its end. */
  followFailure(): void {
    const next = this.snap.failing?.next;
    if (this.snap.phase !== "choosing" || next === null || next === undefined) return;
    this.mode = { kind: "script" };
    this.pick(next);
  }

  /** Stops this run and every other example's, and resolves once their processes are gone (search needs the machine to itself). */
  async idle(): Promise<void> {
    this.stop();
    await StepSession.freeMachine();
  }

  /** Ends every example's step run on the page and resolves once their processes are gone (an exercise's schedule search). */
  static async freeMachine(): Promise<void> {
    const all = [...sessions];
    for (const s of all) if (s.run) s.stop();
    await Promise.all(all.map((s) => s.settled));
  }

  /** Starts (or restarts) the run; a loaded interleaving is replayed up to its step count first. */
  start(): void {
    this.launch(this.replay ?? { decisions: new Map(), until: 0 });
  }

  /** The reader picks a process (or "advance"). Ignored when nothing is being chosen or the choice is not on offer. */
  pick(d: Decision): boolean {
    const choice = this.snap.choice;
    if (this.snap.phase !== "choosing" || !choice || !this.resolve || !isAvailable(choice, d)) return false;
    const resolve = this.resolve;
    this.resolve = null;
    this.set({ ...this.snap, phase: "running", choice: null });
    resolve(d);
    return true;
  }

  /** Keeps going with the default choice until a process is about to do a shared operation. */
  runToShared(): void {
    if (this.snap.phase !== "choosing" || !this.snap.choice) return;
    this.mode = { kind: "to-shared" };
    this.pick(defaultDecision(this.snap.choice));
  }

  /** Lets the rest of the run follow seeded random choices. */
  finishRandom(seed = this.options.randomSeed?.() ?? 1): void {
    if (this.snap.phase !== "choosing" || !this.snap.choice) return;
    const policy = randomPolicy(seed);
    this.mode = { kind: "random", policy };
    void Promise.resolve(policy.choose(this.snap.choice)).then((d) => this.pick(d));
  }

  /** Undoes the last decision the reader made (forced steps go with it): a fresh run replays the rest. */
  back(): void {
    const steps = this.snap.steps;
    let k = steps.length - 1;
    while (k >= 0 && steps[k].choice.enabled.length === 0) k--;
    if (k < 0) return;
    const decisions = new Map<number, Decision>();
    for (const s of steps.slice(0, k)) decisions.set(s.choice.step, s.decision);
    this.launch({ decisions, until: steps[k].choice.step });
  }

  /** A kernel spawn/rename event: names the run's processes (a child is ours when its parent is). */
  noteProcess(pid: number, name: string, ppid?: number): void {
    if (!this.active) return;
    const known = this.snap.names.get(pid);
    if (!known && (ppid === undefined || !(this.pids.has(ppid) || this.pids.size === 0 || ppid === 1))) return;
    const names = new Map(this.snap.names);
    names.set(pid, { name, ppid: ppid ?? known?.ppid ?? 1 });
    this.set({ ...this.snap, names });
  }

  /** Output of a process of this run (others are ignored). */
  appendOutput(chunk: OutputChunk): void {
    if (!this.active || !(this.pids.has(chunk.pid) || this.snap.names.has(chunk.pid))) return;
    this.set({ ...this.snap, output: [...this.snap.output, chunk] });
  }

  stop(): void {
    this.stopRun();
    this.replay = null;
    this.script = null;
    this.set(IDLE);
  }

  dispose(): void {
    this.stopRun();
    this.listeners.clear();
    sessions.delete(this);
  }

  private launch(replay: { decisions: ReadonlyMap<number, Decision>; until: number }): void {
    this.stopRun();
    this.replay = null;
    this.mode = { kind: "ask" };
    const gen = ++this.generation;
    const steps: Step[] = [];
    this.pids = new Set();
    const see = (c: Choice) => {
      for (const o of c.enabled) this.pids.add(o.pid);
      for (const o of c.blocked) this.pids.add(o.pid);
    };
    this.set({ ...IDLE, phase: "running", token: encodeToken(this.seed, new Map()), failing: this.script ? { divergedAt: this.script.divergedAt, next: null } : null });
    const policy: Policy = {
      choose: (choice) => {
        if (gen !== this.generation) return new Promise<Decision>(() => {});
        see(choice);
        if (choice.step < replay.until) {
          const d = replay.decisions.get(choice.step) ?? defaultDecision(choice);
          if (!isAvailable(choice, d)) throw new Error(`this schedule does not fit this program: step ${choice.step} cannot move ${d === "advance" ? "the clock" : `process ${d}`}`);
          return d;
        }
        const script = this.script;
        const scripted = script ? (script.decisions.get(choice.step) ?? defaultDecision(choice)) : null;
        if (this.mode.kind === "random") return this.mode.policy.choose(choice);
        if (this.mode.kind === "script" && scripted !== null && isAvailable(choice, scripted)) return scripted;
        if (this.mode.kind === "to-shared" && !reachedShared(choice)) return defaultDecision(choice);
        this.mode = { kind: "ask" };
        return new Promise<Decision>((resolve) => {
          this.resolve = resolve;
          const failing = script ? { divergedAt: script.divergedAt, next: scripted !== null && isAvailable(choice, scripted) ? scripted : null } : null;
          this.set({ ...this.snap, phase: "choosing", choice, steps: steps.slice(), lanes: lanesOf(steps, choice), clock: choice.clock, token: this.tokenOf(steps), failing });
        });
      },
    };
    const onStep = (step: Step) => {
      if (gen !== this.generation) return;
      see(step.choice);
      steps.push(step);
      // Replayed steps are drawn once, when the reader is asked (or the run ends): no flicker.
      if (step.choice.step < replay.until - 1) return;
      this.set({ ...this.snap, steps: steps.slice(), lanes: lanesOf(steps, null), clock: step.choice.clock, token: this.tokenOf(steps) });
    };
    // A controlled run needs the machine to itself: another example's step run ends (its panel
    // goes back to idle), and the stopped runs' processes must be gone first.
    const others = [...sessions].filter((s) => s !== this && s.run);
    for (const s of others) s.stop();
    void Promise.all([this.settled, ...others.map((s) => s.settled)]).then(() => {
      if (gen === this.generation) this.begin(gen, policy, onStep);
    });
  }

  private begin(gen: number, policy: Policy, onStep: (step: Step) => void): void {
    let run: ControlledRun;
    this.active = true;
    try {
      if (!this.startRun) throw new Error("Python is not loaded yet");
      run = this.startRun(policy, { seed: this.seed, lineGrain: this.options.lineGrain ?? false, onStep });
    } catch (e) {
      this.set({ ...IDLE, phase: "error", error: e instanceof Error ? e.message : String(e) });
      return;
    }
    this.run = run;
    this.settled = run.done.catch(() => undefined);
    run.done.then(
      (record) => {
        if (gen !== this.generation) return;
        this.run = null;
        this.set({ ...this.snap, phase: "finished", choice: null, steps: record.steps, lanes: lanesOf(record.steps, null, record), record, token: record.token });
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        this.run = null;
        this.set({ ...this.snap, phase: "error", choice: null, error: e instanceof Error ? e.message : String(e) });
      },
    );
  }

  private tokenOf(steps: readonly Step[]): string {
    return encodeToken(this.seed, deviations(steps));
  }

  private stopRun(): void {
    this.generation++;
    this.active = false;
    this.resolve = null;
    const run = this.run;
    this.run = null;
    run?.stop();
  }

  private notifying = false;

  /** Listeners hear once per microtask: a pick and the runner's onStep in the same task draw once. */
  private set(next: StepSnapshot): void {
    this.snap = next;
    if (this.notifying) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      for (const fn of this.listeners) fn();
    });
  }
}
