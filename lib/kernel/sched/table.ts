/**
 * Controlled programs on a kernel: binds a Controller to the next program init starts,
 * follows its processes (spawn, exit) and answers the `sched_point` syscall, which a
 * process of a controlled program makes at every scheduling point and which returns only
 * when the controller grants it a turn.
 */
import type { Kernel } from "../kernel";
import { argStr, DEFERRED, type JsonObject, type SyscallCall } from "../syscalls";
import { KernelError } from "../errors";
import { INIT_PID } from "../process-table";
import type { BlockOn } from "../events";
import { Controller, type BlockInfo, type End, type PointOp } from "./controller";
import type { Access, Policy, Step, Where } from "./types";

export interface ControlOptions {
  readonly seed: number;
  readonly lineGrain: boolean;
  readonly maxSteps: number;
  readonly onStep?: (step: Step) => void;
  readonly timed?: boolean;
}

export interface Controlled {
  readonly controller: Controller;
  readonly options: ControlOptions;
  /** The program's main pid once it is started. */
  root: number | null;
  readonly end: Promise<End>;
}

export class SchedTable {
  private next: Controlled | null = null;
  private readonly byRoot = new Map<number, Controlled>();

  /** `fresh`: resets what else a replay must find as on a fresh machine (the network's ports). */
  constructor(
    private readonly kernel: Kernel,
    private readonly fresh: () => void = () => {},
  ) {
    kernel.events.on((ev) => {
      if (ev.type === "spawn") this.spawned(ev.pid, ev.ppid);
      // After the kernel has finished the exit (rings closed, joiners' queues woken): the
      // next process granted must see all of it. Its program is looked up now: an orphan is
      // reaped by init at once, and then belongs to no program.
      else if (ev.type === "exit") {
        const c = this.of(ev.pid);
        if (c) void Promise.resolve().then(() => c.controller.exited(ev.pid));
      }
    });
    kernel.syscalls.register("sched", {
      sched_point: (call) => this.point(call),
      // Points a process took on its own (Grant.keep), sent before any other call it makes.
      sched_points: ({ pid, args }) => {
        const c = this.of(pid);
        if (c && !c.controller.finished) c.controller.points(pid, pointsOf(args.points));
        return { value: null };
      },
    });
    kernel.controlled = (pid) => this.of(pid) !== undefined;
    kernel.onInterrupt = (pid) => this.of(pid)?.controller.signalled(pid);
    // alarm and setitimer run on the run's virtual clock (Controller.timer).
    kernel.itimerClock = (pid) => {
      const c = this.of(pid);
      return c ? { now: () => c.controller.clock, setTimer: (ms, fn) => c.controller.timer(pid, ms, fn) } : null;
    };
    kernel.onKernelWrite = (pid) => this.of(pid)?.controller.kernelWrite(pid);
    kernel.onRelease = (pid, objects) => this.of(pid)?.controller.released(objects);
  }

  /** The next program init starts runs under `policy`. */
  control(policy: Policy, options: ControlOptions): Controlled {
    this.fresh();
    let resolve: (end: End) => void = () => {};
    const end = new Promise<End>((r) => (resolve = r));
    const kernel = this.kernel;
    const c: Controlled = {
      options,
      root: null,
      end,
      controller: new Controller(
        {
          setTimer: (ms, fn) => kernel.host.setTimer(ms, fn),
          grant: (pid, g) => kernel.answer(pid, { value: { clock: g.clock, proc: g.proc, timedOut: g.timedOut, ...(g.keep > 0 ? { keep: g.keep } : {}), ...(g.keep > 0 && g.keepUnless ? { keepUnless: [...g.keepUnless] } : {}) } }),
          blocked: (pid, on, label, timeoutMs) => kernel.setBlocked(pid, on, label, timeoutMs),
          unblocked: (pid, on, reason) => kernel.setUnblocked(pid, on, reason),
          deadlockReport: () => kernel.deadlocks.reportNow(c.root ?? 0),
          end: (e) => {
            if (c.root !== null) {
              this.byRoot.delete(c.root);
              kernel.deadlocks.setControlled(c.root, false);
              if (e.kind === "deadlock") kernel.emit({ type: "deadlock", pid: c.root, report: e.report });
            }
            resolve(e);
          },
        },
        policy,
        options.maxSteps,
        options.onStep,
        options.timed ?? false,
      ),
    };
    this.next = c;
    return c;
  }

  /** The controlled program `pid` belongs to, if any. */
  of(pid: number): Controlled | undefined {
    return this.byRoot.get(this.kernel.programOf(pid));
  }

  private spawned(pid: number, ppid: number): void {
    if (ppid === INIT_PID && this.next) {
      const c = this.next;
      this.next = null;
      c.root = pid;
      this.byRoot.set(pid, c);
      this.kernel.deadlocks.setControlled(pid, true);
    }
    this.of(pid)?.controller.spawned(pid);
  }

  private point({ pid, args }: SyscallCall) {
    const c = this.of(pid);
    if (!c || c.controller.finished) throw KernelError.os("EINVAL");
    if (args.before !== undefined) {
      c.controller.points(pid, pointsOf(args.before));
      if (c.controller.finished) throw KernelError.os("EINVAL");
    }
    const op = pointOp(args);
    const b = args.block;
    let block: BlockInfo | null = null;
    if (b && typeof b === "object" && !Array.isArray(b)) {
      const deadline = typeof b.deadline === "number" ? b.deadline : null;
      block = { deadline, on: (typeof b.on === "string" ? b.on : "lock") as BlockOn, label: typeof b.label === "string" ? b.label : op.obj };
    }
    c.controller.point(pid, op, block, wakesOf(args));
    return DEFERRED;
  }
}

function pointOp(args: JsonObject): PointOp {
  return { op: argStr(args, "op"), obj: argStr(args, "obj"), access: args.access === "read" ? "read" : ("write" satisfies Access), ...where(args.where) };
}

function wakesOf(args: JsonObject): string[] {
  return Array.isArray(args.wakes) ? args.wakes.filter((w): w is string => typeof w === "string") : [];
}

/** The points a process took on its own, as it reports them: a list of sched_point args without `block`. */
function pointsOf(list: JsonObject[string] | undefined): { op: PointOp; wakes: string[] }[] {
  if (!Array.isArray(list)) throw KernelError.value("points: not a list");
  return list.map((a) => {
    if (!a || typeof a !== "object" || Array.isArray(a) || a.block !== undefined) throw KernelError.value("points: not a point of its own");
    return { op: pointOp(a), wakes: wakesOf(a) };
  });
}

function where(w: JsonObject[string] | undefined): { where?: Where } {
  if (!w || typeof w !== "object" || Array.isArray(w)) return {};
  const file = w.file;
  const line = w.line;
  return typeof file === "string" && typeof line === "number" ? { where: { file, line } } : {};
}
