/**
 * How a process waits without a kernel round trip: semaphores (locks) take their fast path
 * with a CAS on the shared heap and park in Atomics.wait on the same word, time.sleep parks
 * on the interrupt word, queues and sockets wait through `heapWait`. Every wait is
 * interruptible by SIGINT, keeps the Queue feeder's backlog flowing, and collects the
 * process's garbage once it has been idle a while (see Parking). Every kind of wait is here,
 * so that those three rules are written once.
 */
import { SEM_HOLDER } from "@/lib/kernel";
import { CTL } from "../protocol";
import { FEED_MS, QUIET_MS, Spinner, type WaitResult } from "./ring";
import type { WorkerPort } from "./port";
import { sched } from "./sched-gate";
import { kill, killable, parkedWait } from "./kill";

/** A wait this long counts as idle: the process collects its garbage (see Parking.collectIfIdle). */
export const IDLE_GC_MS = 250;
/**
 * A timed wait whose deadline is nearer than this collects nothing: a collection takes tens
 * to hundreds of milliseconds (more while other workers boot), and would make the wait
 * outlast its timeout (a `get(timeout=0.3)` that returned after 0.4 s or more).
 */
export const GC_HEADROOM_MS = 1000;

/** Queue items waiting for room in a pipe (see Rings.feed): `pending` of them, moved on by `pump`. */
export interface Feeder {
  readonly pending: number;
  pump(): void;
}

/** What every wait does while parked, whatever it waits on. */
export class Parking {
  private lastIdleGc = -Infinity;
  private idleGcWait = -1;

  constructor(
    private readonly port: WorkerPort,
    private readonly feeder: Feeder,
    /** The worker's control block: a collection is a stretch a SIGKILL may end (./kill.ts). */
    private readonly ctl: Int32Array,
  ) {}

  /** Whether this process has Queue items waiting for room in a pipe (see Rings.feed). */
  feeding(): boolean {
    // Controlled mode moves the backlog at this process's own points, never on a timer.
    return this.feeder.pending > 0 && !sched.on;
  }

  pump(): void {
    if (this.feeder.pending > 0) this.feeder.pump();
  }

  /**
   * A process parked for a while collects its garbage once per wait. V8 collects when JS
   * allocates or the event loop idles; a worker parked in Atomics.wait does neither, so what
   * its start and its own code left behind (imports, parsing, temporaries: a few MiB in Node)
   * would stay resident for as long as it waits. `expectMs`: how long the wait will last at
   * least (a sleep), so it need not wait IDLE_GC_MS first; `deadline`: when a timed wait ends
   * (none nearer than GC_HEADROOM_MS). Node only (browsers expose no gc()).
   */
  collectIfIdle(waitStart: number, expectMs = 0, deadline = Infinity): void {
    const { port } = this;
    if (!port.collectGarbage || waitStart === this.idleGcWait) return;
    const now = port.now();
    if (now - waitStart + expectMs < IDLE_GC_MS || now - this.lastIdleGc < 1000 || deadline - now < GC_HEADROOM_MS) return;
    this.idleGcWait = waitStart;
    killable(this.ctl, () => port.collectGarbage?.(this.compactNext));
    this.compactNext = false;
    this.lastIdleGc = port.now();
  }

  /** The next idle collection compacts: the boot's own was skipped for a process that came at once (boot.ts, collectWhileIdle). */
  compactNext = false;
}

/** A semaphore's CAS take (value > 0 → value − 1), storing the holder: true when taken. Shared with relay mode's host. */
export function semTake(h: Int32Array, index: number, pid: number): boolean {
  for (;;) {
    const v = Atomics.load(h, index);
    if (v <= 0) return false;
    if (Atomics.compareExchange(h, index, v, v - 1) === v) {
      h[index + SEM_HOLDER] = pid;
      return true;
    }
  }
}

/**
 * A semaphore's release: −1 when it would pass `maxvalue`, 1 when processes wait on it (the
 * caller notifies), else 0. A Lock/RLock (maxvalue 1) clears its holder first, so the next
 * holder's store is never overwritten. Shared with relay mode's host.
 */
export function semGive(h: Int32Array, index: number, maxvalue: number): -1 | 0 | 1 {
  if (maxvalue === 1 && Atomics.load(h, index) === 0) h[index + SEM_HOLDER] = 0;
  for (;;) {
    const v = Atomics.load(h, index);
    if (v >= maxvalue) return -1;
    if (Atomics.compareExchange(h, index, v, v + 1) === v) break;
  }
  return Atomics.load(h, index + 1) > 0 ? 1 : 0;
}

/** Reports blocks to the kernel (SyscallChannel.note / unnote). */
export interface BlockNotes {
  note(on: string, object: string, timeoutMs: number | null): void;
  unnote(on: string, reason: string): void;
}

export class Waits {
  private readonly ctl: Int32Array;
  private readonly heap: Int32Array;
  /** Until the program's own code runs, a signal waits (it must not break the runtime's setup). */
  private interruptsEnabled = false;
  /** Runs a signal's Python handler from inside a wait (_spawnpoint.signals.deliver): true when the wait must end. */
  private deliver: ((sig: number) => boolean) | null = null;
  /** Short waits spin first (queues, sockets, locks share one adaptive backoff: see Spinner). */
  private readonly spinner: Spinner;
  /** This process's pid (0 until `start`): stored as a semaphore's holder for deadlock diagnoses. */
  pid = 0;

  constructor(
    private readonly port: WorkerPort,
    ctl: SharedArrayBuffer | ArrayBuffer,
    heap: SharedArrayBuffer | ArrayBuffer,
    private readonly notes: BlockNotes,
    private readonly parking: Parking,
  ) {
    this.ctl = new Int32Array(ctl);
    this.heap = new Int32Array(heap);
    this.spinner = new Spinner(() => port.now());
  }

  /** Pyodide's interrupt buffer over CTL.INTERRUPT (see `interruptBuffer`). */
  get interruptBuffer(): { 0: number } {
    return interruptBuffer(this.ctl);
  }

  /** `deliver` runs a signal's Python handler (_spawnpoint.signals.deliver). */
  setDeliver(deliver: (sig: number) => boolean): void {
    this.deliver = deliver;
  }

  /** A recycled worker's next process starts as a fresh one: no pid, signals held until its code runs. */
  reset(): void {
    this.interruptsEnabled = false;
    this.pid = 0;
    // After a kill in a wait the word still says so (./kill.ts).
    Atomics.store(this.ctl, CTL.PARKED, 0);
  }

  /** From now on a pending signal reaches Python (the program's own code is about to run). */
  enableInterrupts(): void {
    this.interruptsEnabled = true;
  }

  /**
   * A signal arrived while waiting inside the worker: its handler runs now, and unless it
   * raised, the wait goes on with the time it has left (PEP 475). True: the wait must end
   * (Python then raises what the handler raised: _spawnpoint.signals.raise_pending).
   */
  takeInterrupt(): boolean {
    if (!this.interruptsEnabled) return false;
    const sig = Atomics.exchange(this.ctl, CTL.INTERRUPT, 0);
    if (sig === 0) return false;
    return this.deliver ? this.deliver(sig) : true;
  }

  /**
   * signal.pause (label: reported as a sleep), and a stopped process parked until SIGCONT
   * (label null: state T says it all): 0 once a handler ran, −1 when the wait must end.
   */
  pause(label: string | null): number {
    const { ctl: c, port, parking } = this;
    const start = port.now();
    if (label) this.notes.note("sleep", label, null);
    let result: number;
    for (;;) {
      if (this.interruptsEnabled && Atomics.load(c, CTL.INTERRUPT) !== 0) {
        result = this.takeInterrupt() ? -1 : 0;
        break;
      }
      parkedWait(c, c, CTL.INTERRUPT, 0, parking.feeding() ? FEED_MS : IDLE_GC_MS);
      parking.pump();
      parking.collectIfIdle(start);
    }
    if (label) this.notes.unnote("sleep", "interrupted");
    return result;
  }

  /** What Rings and SockRings wait with. */
  readonly waiting = {
    now: (): number => this.port.now(),
    wait: (i32: Int32Array, index: number, value: number, deadline: number): WaitResult => this.heapWait(i32, index, value, deadline),
    spin: (i32: Int32Array, index: number, value: number, until: number): boolean => this.spinner.spin(i32, index, value, until),
    note: (on: string, object: string, timeoutMs: number | null): void => this.notes.note(on, object, timeoutMs),
    unnote: (on: string, reason: string): void => this.notes.unnote(on, reason),
  };

  /** Semaphore acquire: 1 acquired, 0 not (non-blocking / timeout), −1 interrupted. timeoutMs < 0 = forever. */
  semAcquire(index: number, block: boolean, timeoutMs: number, label: string): number {
    if (sched.on) return this.semAcquireControlled(index, block, timeoutMs, label);
    const { heap: h, ctl: c, port, parking } = this;
    for (;;) {
      const v = Atomics.load(h, index);
      if (v <= 0) break;
      if (Atomics.compareExchange(h, index, v, v - 1) === v) {
        Atomics.store(h, index + SEM_HOLDER, this.pid);
        return 1;
      }
    }
    if (!block) return 0;
    if (timeoutMs === 0) return 0;
    const start = port.now();
    const deadline = timeoutMs < 0 ? Infinity : start + timeoutMs;
    let noted = false;
    Atomics.add(h, index + 1, 1);
    Atomics.store(c, CTL.WAIT_INDEX, index);
    let result = 0;
    let reason = "timeout";
    try {
      for (;;) {
        if (this.takeInterrupt()) {
          result = -1;
          reason = "interrupted";
          break;
        }
        const v = Atomics.load(h, index);
        if (v > 0) {
          if (Atomics.compareExchange(h, index, v, v - 1) === v) {
            Atomics.store(h, index + SEM_HOLDER, this.pid);
            result = 1;
            reason = "ready";
            break;
          }
          continue;
        }
        const now = port.now();
        const remaining = deadline - now;
        if (remaining <= 0) break;
        if (!noted && now - start >= QUIET_MS) {
          this.notes.note("lock", label, timeoutMs < 0 ? null : timeoutMs);
          noted = true;
        }
        if (!noted && this.spinner.spin(h, index, v, deadline)) continue;
        // Sliced: a SIGINT notify can race with entering the wait (see lib/kernel/shared-heap.ts).
        parkedWait(c, h, index, v, Math.min(remaining, noted ? 50 : QUIET_MS, parking.feeding() ? FEED_MS : Infinity));
        parking.pump();
        parking.collectIfIdle(start, 0, deadline);
      }
    } finally {
      // Killed here: the kernel may have freed the lock already (its program ended), and a
      // killed process leaves nothing, as a worker ended outright did not.
      if (!kill.pending) Atomics.sub(h, index + 1, 1);
      Atomics.store(c, CTL.WAIT_INDEX, -1);
    }
    if (noted) this.notes.unnote("lock", reason);
    return result;
  }

  /**
   * Controlled mode: a point, then try; while the semaphore is taken, park blocked on it
   * (another process's release wakes it) until the virtual deadline.
   */
  private semAcquireControlled(index: number, block: boolean, timeoutMs: number, label: string): number {
    const kind = label.slice(0, label.indexOf("#"));
    const obj = `lock:${index}`;
    let g = sched.point(`${kind}.acquire`, obj, "write");
    const deadline = timeoutMs < 0 ? null : g.clock + timeoutMs;
    for (;;) {
      if (this.casTake(index)) return 1;
      if (!block || timeoutMs === 0 || g.timedOut) return 0;
      g = sched.block(`${kind}.acquire`, obj, "lock", label, deadline);
      if (g.interrupted) return -1;
    }
  }

  private casTake(index: number): boolean {
    return semTake(this.heap, index, this.pid);
  }

  /** Uncontended fast path: one CAS, then the holder word (a plain store: only the kernel's diagnosis reads it). */
  semTry(index: number): number {
    // Controlled: 0 sends Python to semAcquire, whose gated path is the one point of an acquire.
    if (sched.on) return 0;
    const h = this.heap;
    const v = Atomics.load(h, index);
    if (v <= 0 || Atomics.compareExchange(h, index, v, v - 1) !== v) return 0;
    h[index + SEM_HOLDER] = this.pid;
    return 1;
  }

  /** Semaphore release: 0 ok, −1 released too many times. A Lock/RLock (maxvalue 1) clears its holder first. */
  semRelease(index: number, maxvalue: number): number {
    if (sched.on) sched.point("lock.release", `lock:${index}`, "write");
    const r = semGive(this.heap, index, maxvalue);
    if (r < 0) return -1;
    if (r > 0) Atomics.notify(this.heap, index, 1);
    return 0;
  }

  semValue(index: number): number {
    if (sched.on) sched.point("lock.value", `lock:${index}`, "read");
    return Atomics.load(this.heap, index);
  }

  /** time.sleep: parks on the interrupt word, so a signal wakes it at once. 0 done, −1 a handler raised. */
  sleep(seconds: number): number {
    if (sched.on) {
      // Virtual time: the sleep ends when the controller advances the clock past it.
      const g = sched.point("sleep", "clock", "read");
      const deadline = g.clock + seconds * 1000;
      for (let now = g.clock; seconds > 0 && now < deadline; ) {
        // Its own object: nothing another process does ends a sleep (one on "sleep" would be woken by every other sleeper's turn).
        const b = sched.block("sleep", `sleep:${this.pid}`, "sleep", "time.sleep", deadline);
        if (b.interrupted) return -1;
        now = b.timedOut ? deadline : b.clock;
      }
      return 0;
    }
    const { ctl: c, port, parking } = this;
    if (this.takeInterrupt()) return -1;
    if (seconds <= 0) return 0;
    const ms = seconds * 1000;
    this.notes.note("sleep", "time.sleep", ms);
    const deadline = port.now() + ms;
    parking.collectIfIdle(deadline - ms, ms, deadline);
    let result = 0;
    for (;;) {
      const remaining = deadline - port.now();
      if (remaining <= 0) break;
      parkedWait(c, c, CTL.INTERRUPT, 0, parking.feeding() ? Math.min(remaining, FEED_MS) : remaining);
      parking.pump();
      if (this.takeInterrupt()) {
        result = -1;
        break;
      }
    }
    this.notes.unnote("sleep", result === 0 ? "timeout" : "interrupted");
    return result;
  }

  /** Interruptible wait on a shared-heap word, in slices (see semAcquire for why). */
  heapWait(i32: Int32Array, index: number, value: number, deadline: number): WaitResult {
    const { ctl: c, port, parking } = this;
    const start = port.now();
    Atomics.store(c, CTL.WAIT_INDEX, index);
    try {
      for (;;) {
        if (this.takeInterrupt()) return "interrupted";
        if (Atomics.load(i32, index) !== value) return "woken";
        const remaining = deadline - port.now();
        if (remaining <= 0) return "timeout";
        parkedWait(c, i32, index, value, Math.min(remaining, parking.feeding() ? FEED_MS : 50));
        parking.pump();
        parking.collectIfIdle(start, 0, deadline);
      }
    } finally {
      Atomics.store(c, CTL.WAIT_INDEX, -1);
    }
  }
}

/**
 * What Pyodide reads as its interrupt buffer: element 0 is `ctl[CTL.INTERRUPT]`, where the
 * host stores a signal's number (2 for SIGINT). CPython's check between bytecodes reads the
 * element, then writes 0: two steps, and a signal the host stored between them was lost (a
 * busy loop's SIGALRM, now and then, under load). Here the read takes the word in one atomic
 * exchange and the write of 0 is dropped.
 */
export function interruptBuffer(ctl: Int32Array): { 0: number } {
  return {
    get 0(): number {
      return Atomics.load(ctl, CTL.INTERRUPT) === 0 ? 0 : Atomics.exchange(ctl, CTL.INTERRUPT, 0);
    },
    set 0(sig: number) {
      if (sig !== 0) Atomics.store(ctl, CTL.INTERRUPT, sig);
    },
  };
}
