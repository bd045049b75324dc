/**
 * Deadlock detection, always on. The detector follows the event stream (who is blocked on
 * what, with which timeout; spawns, names, exits) and reads lock holders from the shared
 * heap. A program (a process started by init and all its descendants, even after they are
 * re-parented) is deadlocked when every live process of it waits forever: no timeout on
 * its wait, no sleep, no armed itimer, not stopped (SIGCONT could come from outside), and
 * not waiting for outside input (`input()`; sockets, which another program or a new one
 * could feed). Then the kernel emits one `deadlock` event with the wait-for graph; the
 * program keeps hanging, as in CPython, until it is stopped.
 *
 * Waits inside workers (locks, queue rings) are noted asynchronously, and a woken waiter
 * tells the kernel a moment later, so a candidate is only reported when a second scan
 * SETTLE_MS later sees the same waits, no event of the program in between, the same
 * words in the shared heap (a lock's value and holder, a ring's counters) and no free lock.
 */
import type { BlockOn, KernelEvent, KernelEventInput } from "./events";
import { INIT_PID, type ProcessTable } from "./process-table";
import { RING, SEM_HOLDER, type SharedHeap } from "./shared-heap";

/** How long a deadlock must stay unchanged before it is reported (two scans this far apart). */
export const SETTLE_MS = 400;

export type WaitKind = "lock" | "rlock" | "semaphore" | "event" | "condition" | "barrier" | "queue" | "pipe" | "process" | "file" | "other";

/** A subsystem that knows who holds what it labels (lib/kernel/file-locks.ts): undefined for labels not its own. */
export type HolderLookup = (object: string, waiter: number) => { readonly kind: WaitKind; readonly holder: number | null } | undefined;

/** What one process waits for. `holder`: the pid holding a Lock/RLock, or the pid a join waits for. */
export interface DeadlockWait {
  readonly pid: number;
  readonly on: BlockOn;
  readonly kind: WaitKind;
  /** 1, 2, … per kind within the program, in creation order (Lock #1); 0 when unknown. */
  readonly ordinal: number;
  readonly holder: number | null;
  /** The kernel's own label of the object (`lock#12`), for anything the kinds do not name. */
  readonly object: string;
}

export interface DeadlockProcess {
  readonly pid: number;
  readonly name: string;
  /** null while it lives; else its exit code (−N: killed by signal N). */
  readonly exitCode: number | null;
}

export interface DeadlockReport {
  /** The pid of the program's first process. */
  readonly program: number;
  readonly waits: readonly DeadlockWait[];
  /** Every process the waits name (waiters and holders, also exited ones). */
  readonly processes: readonly DeadlockProcess[];
  /** pids of one wait-for cycle in order (each waits for the next, the last for the first); [] if none. */
  readonly cycle: readonly number[];
}

export interface DeadlockHost {
  readonly table: ProcessTable;
  readonly heap: SharedHeap;
  setTimer(ms: number, fn: () => void): () => void;
  emit(ev: KernelEventInput): void;
  /** Whether `pid` has an ITIMER_REAL armed (its SIGALRM is a timer pending). */
  timerArmed(pid: number): boolean;
}

interface Wait {
  readonly on: BlockOn;
  readonly object: string;
  readonly timeoutMs: number | null;
}

interface Named {
  readonly kind: WaitKind;
  readonly ordinal: number;
}

/** Waits that outside input may end: a terminal line, or bytes/connections from any program. */
const OUTSIDE: ReadonlySet<BlockOn> = new Set<BlockOn>(["input", "socket", "sleep"]);
const SEM_ROLES: ReadonlySet<string> = new Set(["event", "condition", "barrier"]);

export class DeadlockDetector {
  private readonly waits = new Map<number, Wait>();
  private readonly programOf = new Map<number, number>();
  private readonly names = new Map<number, string>();
  private readonly exitCodes = new Map<number, number>();
  /** Objects named when created: label → kind and ordinal within the creator's program. */
  private readonly objects = new Map<string, Named>();
  private readonly counters = new Map<string, number>();
  /** Bumped on every event of a program: a confirmation needs it unchanged. */
  private readonly generation = new Map<number, number>();
  private readonly candidates = new Map<number, { gen: number; signature: string }>();
  private readonly reported = new Set<number>();
  private timer: (() => void) | null = null;
  /** Programs in controlled mode: their controller knows when nothing can move, the timed scans skip them. */
  private readonly controlled = new Set<number>();
  /** Who holds the objects other subsystems label (a file lock's holder). */
  readonly holders: HolderLookup[] = [];

  constructor(private readonly host: DeadlockHost) {}

  /** Leaves `root`'s program to its controller (lib/kernel/sched): no timed scan reports it. */
  setControlled(root: number, on: boolean): void {
    if (on) this.controlled.add(root);
    else this.controlled.delete(root);
  }

  /** The wait-for graph of `root`'s program as the events describe it now (a controller's deadlock). */
  reportNow(root: number): DeadlockReport {
    const pids = this.host.table
      .snapshot()
      .filter((p) => p.pid !== INIT_PID && p.state !== "zombie" && this.program(p.pid) === root)
      .map((p) => p.pid);
    return this.report(root, pids);
  }

  /** What `pid` waits on now, as the event stream says (a kernel wait's or a controlled process's label), or null. */
  waitingOn(pid: number): string | null {
    return this.waits.get(pid)?.object ?? null;
  }

  /** Names a synchronisation object, queue or pipe (its labels: a pipe has one per end) when a process creates it: `lock#12` → Lock #1. */
  created(pid: number, labels: string | readonly string[], kind: WaitKind): void {
    const key = `${this.program(pid)}:${kind}`;
    const ordinal = (this.counters.get(key) ?? 0) + 1;
    this.counters.set(key, ordinal);
    for (const label of typeof labels === "string" ? [labels] : labels) this.objects.set(label, { kind, ordinal });
  }

  observe(ev: KernelEvent): void {
    if (!("pid" in ev) || ev.type.startsWith("net.")) return;
    const pid = ev.pid;
    switch (ev.type) {
      case "spawn":
        // A new program numbers its objects from 1, also when its pid served an earlier one (controlled runs start again at pid 2).
        if (ev.ppid === INIT_PID) for (const key of [...this.counters.keys()]) if (key.startsWith(`${pid}:`)) this.counters.delete(key);
        this.programOf.set(pid, ev.ppid === INIT_PID ? pid : this.program(ev.ppid));
        this.names.set(pid, ev.name);
        break;
      case "rename":
        this.names.set(pid, ev.name);
        break;
      case "block":
        this.waits.set(pid, { on: ev.on, object: ev.object, timeoutMs: ev.timeoutMs });
        break;
      case "unblock":
        this.waits.delete(pid);
        break;
      case "exit":
        this.waits.delete(pid);
        this.exitCodes.set(pid, ev.exitCode);
        break;
      case "state":
      case "signal":
      case "reparent":
        break;
      default:
        return;
    }
    const root = this.program(pid);
    this.generation.set(root, (this.generation.get(root) ?? 0) + 1);
    if (ev.type !== "block") this.reported.delete(root);
    this.schedule();
  }

  private program(pid: number): number {
    return this.programOf.get(pid) ?? pid;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = this.host.setTimer(SETTLE_MS, () => {
      this.timer = null;
      this.scan();
    });
  }

  /** Checks every program once; a candidate seen unchanged by two scans is reported. */
  scan(): void {
    const members = new Map<number, number[]>();
    for (const p of this.host.table.snapshot()) {
      if (p.pid === INIT_PID || p.state === "zombie") continue;
      const root = this.program(p.pid);
      const list = members.get(root) ?? [];
      list.push(p.pid);
      members.set(root, list);
    }
    for (const root of [...this.candidates.keys()]) if (!members.has(root)) this.candidates.delete(root);
    let pending = false;
    for (const [root, pids] of members) {
      if (this.reported.has(root) || this.controlled.has(root)) continue;
      const signature = this.stuck(pids);
      if (signature === null) {
        this.candidates.delete(root);
        continue;
      }
      const gen = this.generation.get(root) ?? 0;
      const before = this.candidates.get(root);
      if (before && before.gen === gen && before.signature === signature) {
        this.candidates.delete(root);
        this.reported.add(root);
        this.host.emit({ type: "deadlock", pid: root, report: this.report(root, pids) });
      } else {
        this.candidates.set(root, { gen, signature });
        pending = true;
      }
    }
    if (pending) this.schedule();
  }

  /** A signature of the program's waits and the heap words they depend on, or null if something can still move. */
  private stuck(pids: readonly number[]): string | null {
    const parts: string[] = [];
    for (const pid of pids) {
      const e = this.host.table.get(pid);
      const w = this.waits.get(pid);
      if (!e || e.state !== "blocked" || !w || w.timeoutMs !== null || OUTSIDE.has(w.on)) return null;
      if (this.host.timerArmed(pid)) return null;
      const words = this.words(w.object);
      if (words === null) return null;
      parts.push(`${pid}:${w.on}:${w.object}:${words}`);
    }
    return parts.join(";");
  }

  /** The heap words a wait on `object` depends on; null when the object is free (the waiter is about to run). */
  private words(object: string): string | null {
    const heap = this.host.heap;
    const m = /^(?:lock|rlock|semaphore)#(\d+)$/.exec(object);
    if (m) {
      const i = Number(m[1]);
      if (!heap.semaphores.has(i)) return "";
      const value = heap.word(i);
      return value > 0 ? null : `${value},${heap.word(i + SEM_HOLDER)}`;
    }
    const q = /^queue#(\d+)$/.exec(object);
    if (q) {
      const b = Number(q[1]);
      return [RING.COUNT, RING.PUTS, RING.SPACE, RING.PENDING, RING.UNFINISHED].map((k) => heap.word(b + k)).join(",");
    }
    return "";
  }

  private describe(pid: number, w: Wait): DeadlockWait {
    const base = { pid, on: w.on, object: w.object };
    const join = /^pid (\d+)$/.exec(w.object);
    if (join) return { ...base, kind: "process", ordinal: 0, holder: Number(join[1]) };
    const sem = /^(lock|rlock|semaphore)#(\d+)$/.exec(w.object);
    const named = this.objects.get(w.object);
    if (sem) {
      const info = this.host.heap.semaphores.get(Number(sem[2]));
      const role = info && SEM_ROLES.has(info.role) ? (info.role as WaitKind) : (sem[1] as WaitKind);
      const lockish = info !== undefined && info.maxvalue === 1 && !SEM_ROLES.has(info.role);
      const holder = lockish ? this.host.heap.word(Number(sem[2]) + SEM_HOLDER) : 0;
      return { ...base, kind: named?.kind ?? role, ordinal: named?.ordinal ?? 0, holder: holder > 0 ? holder : null };
    }
    for (const lookup of this.holders) {
      const found = lookup(w.object, pid);
      if (found) return { ...base, kind: found.kind, ordinal: 0, holder: found.holder };
    }
    const other = /^(queue|pipe)#\d+$/.exec(w.object);
    const kind: WaitKind = named?.kind ?? (other ? (other[1] as WaitKind) : "other");
    return { ...base, kind, ordinal: named?.ordinal ?? 0, holder: null };
  }

  private report(root: number, pids: readonly number[]): DeadlockReport {
    const waits: DeadlockWait[] = [];
    for (const pid of pids) {
      const w = this.waits.get(pid);
      if (w) waits.push(this.describe(pid, w));
    }
    const named = new Set<number>(pids);
    for (const w of waits) if (w.holder !== null) named.add(w.holder);
    const processes = [...named]
      .sort((a, b) => a - b)
      .map((pid) => {
        const e = this.host.table.get(pid);
        const alive = e !== undefined && e.state !== "zombie";
        return { pid, name: e?.name ?? this.names.get(pid) ?? `pid ${pid}`, exitCode: alive ? null : (e?.exitCode ?? this.exitCodes.get(pid) ?? null) };
      });
    return { program: root, waits, processes, cycle: findCycle(waits) };
  }
}

/** One cycle in the wait-for graph (waiter → holder / joined pid), smallest pid first; [] if none. */
export function findCycle(waits: readonly DeadlockWait[]): number[] {
  const next = new Map<number, number>();
  for (const w of waits) if (w.holder !== null) next.set(w.pid, w.holder);
  for (const start of [...next.keys()].sort((a, b) => a - b)) {
    const path: number[] = [];
    const seen = new Set<number>();
    let p: number | undefined = start;
    while (p !== undefined && !seen.has(p)) {
      seen.add(p);
      path.push(p);
      p = next.get(p);
    }
    if (p === undefined) continue;
    const cycle = path.slice(path.indexOf(p));
    const first = cycle.indexOf(Math.min(...cycle));
    return [...cycle.slice(first), ...cycle.slice(0, first)];
  }
  return [];
}
