/**
 * A pool of interpreters booted from a memory snapshot and waiting for a process to run.
 * `take()` hands out a ready worker at once when there is one, otherwise a worker that is
 * still booting (its `start` message queues behind `boot`). The pool refills in the
 * background, one boot at a time so refills do not starve running processes of CPU, and not
 * next to a process whose worker is still booting or just started (see holdRefill). A
 * controlled run, which moves one process at a time, gets its next workers booted side by
 * side instead (see bootAhead), and no refill beyond the workers it puts back.
 */
import { isSharedBuffer } from "@/lib/kernel";
import { CTL, CTL_BYTES, CTL_DATA_OFFSET } from "./protocol";
import type { Platform, WorkerHandle } from "./platform";
import { CtlHostSeam, type HostSeam } from "./seam";
import type { PythonSources, WorkerToHost } from "./protocol";
import { checkWorkerMessage } from "./validate";

export interface PooledWorker {
  readonly worker: WorkerHandle;
  /** The control block (a private placeholder where the platform has a relay transport). */
  readonly ctl: SharedArrayBuffer | ArrayBuffer;
  /** Where this worker's blocking requests are answered, for its whole life (./seam.ts). */
  readonly seam: HostSeam;
  readonly ready: Promise<void>;
  /** Messages after `ready` are routed here by whoever took the worker. */
  route: ((msg: WorkerToHost) => void) | null;
  onError: ((message: string) => void) | null;
  /** The worker posted a message that failed checkWorkerMessage: its process must be killed. */
  onViolation: ((reason: string) => void) | null;
  /** The start key of the last child of a controlled run it ran, whose start it may keep (worker/checkpoint.ts), and when that was (take's count). */
  key?: string;
  keyUsed?: number;
}

/** Delay between handing out an idle worker and booting its replacement (see refillSoon). */
const REFILL_DELAY_MS = 150;
/** A recycling worker not ready again by then is ended (a program that keeps it busy after its exit). */
const RECYCLE_TIMEOUT_MS = 5000;

export interface PoolOptions {
  /** Workers put themselves back after a process that ended by itself (worker/recycle.ts). */
  readonly recycle: boolean;
  /** Idle workers kept, recycled ones included (more are ended). */
  readonly idleMax: number;
}

/** One copy in shared memory (the snapshot, the stdlib zip), read by every worker. */
function toShared(bytes: Uint8Array): Uint8Array {
  // No shared memory here (a browser without it): each worker gets a copy (see boot).
  if (typeof SharedArrayBuffer !== "function" || isSharedBuffer(bytes.buffer)) return bytes;
  const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  shared.set(bytes);
  return shared;
}

export class WorkerPool {
  private snapshot: Promise<Uint8Array | null> | null = null;
  private wasm: Promise<WebAssembly.Module | null> | null = null;
  private wasmModule: WebAssembly.Module | null = null;
  private stdlib: Uint8Array | null = null;
  /** The runtime's bytecode, from the first worker that booted without it (see HostToWorker boot). */
  private pyc: Readonly<Record<string, Uint8Array>> | null = null;
  /** The bytecode came from the platform's cache, or was handed to it to keep. */
  private pycSaved = false;
  private readonly idle: PooledWorker[] = [];
  private refilling = false;
  /** The worker the refill is booting right now, until it is ready or handed out by take(). */
  private booting: { readonly pw: PooledWorker; readonly claimed: () => void } | null = null;
  /**
   * Workers take() handed out before they were booted, until their process got going: true for
   * one the refill or warm() was booting (claimed), false for one take() booted itself.
   */
  private readonly starting = new Map<PooledWorker, boolean>();
  /** Workers warm() boots next to the refill loop's, until ready or taken. */
  private readonly aside = new Set<PooledWorker>();
  /** A worker created before the snapshot was loaded, for the refill's first boot (see prestart). */
  private spare: WorkerHandle | null = null;
  /** What getSnapshot() resolved with, once it has (undefined before: the snapshot is still loading). */
  private snapshotBytes: Uint8Array | null | undefined = undefined;
  private disposed = false;
  private cancelRefill: (() => void) | null = null;
  /** Every worker this pool created that is not yet terminated. */
  readonly live = new Set<PooledWorker>();
  /** Workers restoring themselves after their process, with the timer that ends them if they take too long. */
  private readonly recycling = new Map<PooledWorker, () => void>();
  /** take() calls waiting for a recycling worker to come back (woken whenever one is done, back or not). */
  private recycleWaiters: (() => void)[] = [];
  /** Processes that ran in a recycled worker (tests and the bench read it). */
  recycledStarts = 0;
  /** Workers put back in the pool after their process, ready for the next one (tests read it). */
  recycledReturns = 0;
  private readonly recycled = new WeakSet<PooledWorker>();

  constructor(
    private readonly platform: Platform,
    /** The machine's shared heap; null in relay mode (workers share no memory: the snapshot and the stdlib are copied per worker). */
    private readonly heap: SharedArrayBuffer | null,
    readonly size: number,
    private readonly options: PoolOptions = { recycle: false, idleMax: size },
  ) {}

  /**
   * Loads (or makes, then caches) the snapshot and fills the pool. With `concurrent`, up to
   * one boot per core runs at once instead of one after another: for a page whose first Run
   * may come while the pool is still filling (nothing runs yet, so no process is starved),
   * the first child then finds a booted interpreter instead of waiting for a whole boot
   * (Chromium: ~0.9 s against CPython spawn's ~0.06 s, bench/spawn-browser.bench.ts). The
   * CLI warms next to its main program's boot and keeps one boot at a time.
   */
  warm(options: { concurrent?: boolean } = {}): Promise<void> {
    this.prestart();
    return this.getSnapshot().then((snapshot) => {
      const extra = options.concurrent ? Math.min(this.size, this.platform.cpuCount) - 1 - this.idle.length - this.aside.size : 0;
      const side: Promise<void>[] = [];
      for (let i = 0; i < extra; i++) side.push(this.bootAside(snapshot));
      return Promise.all([this.refill(), ...side]).then(() => undefined);
    });
  }

  /** A boot next to the refill loop's (see warm): idle once ready, unless take() claimed it first. */
  private async bootAside(snapshot: Uint8Array | null): Promise<void> {
    const pw = this.boot(snapshot);
    this.aside.add(pw);
    const ok = await pw.ready.then(
      () => true,
      () => false,
    );
    if (!this.aside.delete(pw)) return; // taken while booting: it is a process's worker now
    if (!ok || this.disposed) this.end(pw);
    else this.idle.push(pw);
  }

  get idleMax(): number {
    return this.options.idleMax;
  }

  get idleCount(): number {
    return this.idle.length;
  }

  private getWasm(): Promise<WebAssembly.Module | null> {
    if (this.wasm) return this.wasm;
    this.platform.mark?.("wasm compile");
    this.wasm = this.platform.compileWasm().then(
      (m) => {
        this.platform.mark?.("wasm compiled");
        return (this.wasmModule = m);
      },
      () => null,
    );
    return this.wasm;
  }

  private getSnapshot(): Promise<Uint8Array | null> {
    this.snapshot ??= (async () => {
      // Reading (and, in Node, hashing) the snapshot runs while the wasm compiles off-thread.
      const [, stdlib, pyc, cached] = await Promise.all([
        this.getWasm(),
        this.platform.loadStdlib().catch(() => null),
        this.platform.loadBytecode?.().catch(() => null) ?? null,
        this.platform.loadSnapshot().catch(() => null),
      ]);
      // Relay mode shares nothing (and may have no SharedArrayBuffer): each boot gets a copy.
      const keep = (b: Uint8Array): Uint8Array => (this.heap ? toShared(b) : b);
      this.stdlib = stdlib && keep(stdlib);
      if (pyc && !this.pyc) {
        this.pyc = pyc;
        this.pycSaved = true;
      }
      this.platform.mark?.("snapshot loaded");
      if (cached) return keep(cached);
      // With the runtime imported (worker/snapshot-runtime.ts); should that fail (a runtime
      // module that calls into JS at import), without it: every worker then imports the runtime
      // at boot, from the bytecode the first one makes.
      const made = await this.makeSnapshot(this.platform.python)
        .catch((e: unknown) => {
          console.warn(`spawnpoint: the interpreter snapshot could not hold the runtime (${e instanceof Error ? e.message : String(e)}); each process imports it at boot`);
          return this.makeSnapshot({});
        })
        .catch(() => null);
      if (made) {
        this.platform.mark?.("snapshot made");
        await this.platform.saveSnapshot(made).catch(() => undefined);
      }
      return made && keep(made);
    })().then(
      (bytes) => (this.snapshotBytes = bytes),
      (e: unknown) => {
        this.snapshotBytes = null;
        throw e;
      },
    );
    return this.snapshot;
  }

  private makeSnapshot(python: PythonSources): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const w = this.platform.createWorker();
      w.onMessage((raw) => {
        const checked = checkWorkerMessage(raw);
        const msg: WorkerToHost = checked.ok ? checked.msg : { type: "fatal", message: `protocol violation: ${checked.reason}` };
        if (msg.type === "snapshot") resolve(msg.bytes);
        else if (msg.type === "fatal") reject(new Error(msg.message));
        if (msg.type === "snapshot" || msg.type === "fatal") w.terminate();
      });
      w.onError((m) => {
        reject(new Error(m));
        w.terminate();
      });
      w.post({
        type: "boot",
        indexURL: this.platform.indexURL,
        snapshot: null,
        makeSnapshot: true,
        wasm: this.wasmModule,
        ctl: this.platform.relayTransport ? new ArrayBuffer(64) : new SharedArrayBuffer(64),
        heap: this.heap,
        stdlib: null,
        // Imported before the snapshot is taken (worker/snapshot-runtime.ts).
        python,
        pyc: null,
      });
    });
  }

  /**
   * Creates the refill's next worker now, before the snapshot is loaded: its thread starts and
   * loads its code while this thread reads the snapshot and the wasm compiles (~0.15 s of a
   * boot that no longer waits for them). Only while nothing has booted yet.
   */
  private prestart(): WorkerHandle | null {
    if (this.spare || this.snapshotBytes !== undefined || this.disposed) return this.spare;
    this.spare = this.createEarly();
    return this.spare;
  }

  /** The snapshot's length as the platform tells it before reading the snapshot (see Platform.snapshotLength). */
  private expectedLength: Promise<number | null> | null = null;
  /** Workers told to `prepare` for a snapshot of this many bytes. */
  private readonly preparedFor = new WeakMap<WorkerHandle, number>();
  /** Workers sent their `boot`: too late to prepare them. */
  private readonly bootSent = new WeakSet<WorkerHandle>();

  /**
   * A worker created before the snapshot is loaded. Once the platform tells the snapshot's
   * length, and if the boot has not been sent yet, it is told to `prepare`: Pyodide's loader
   * and Emscripten's setup run in its thread while this one compiles the wasm and reads the
   * snapshot (see worker/boot.ts prepare; bench/webkit.bench.ts shows the boot's phases).
   */
  private createEarly(): WorkerHandle {
    this.platform.mark?.("early worker created");
    const worker = this.platform.createWorker();
    this.expectedLength ??= this.platform.snapshotLength?.().catch(() => null) ?? Promise.resolve(null);
    void this.expectedLength.then((bytes) => {
      if (bytes === null || this.bootSent.has(worker) || this.disposed) return;
      this.preparedFor.set(worker, bytes);
      this.platform.mark?.("early worker told to prepare");
      worker.post({ type: "prepare", indexURL: this.platform.indexURL, snapshotBytes: bytes, recycle: this.options.recycle });
    });
    return worker;
  }

  private boot(snapshot: Uint8Array | null, handle: WorkerHandle | null = null): PooledWorker {
    let worker = handle;
    if (!worker) {
      worker = this.spare ?? this.platform.createWorker();
      this.spare = null;
    }
    const prepared = this.preparedFor.get(worker);
    if (prepared !== undefined && (prepared !== snapshot?.byteLength || !this.wasmModule)) {
      // It began to load for another snapshot (or for a compiled module there is none of).
      worker.terminate();
      worker = this.platform.createWorker();
    }
    this.bootSent.add(worker);
    const transport = this.platform.relayTransport;
    const relayChannel = transport ? transport.channel() : null;
    const ctl = transport ? new ArrayBuffer(CTL_DATA_OFFSET) : new SharedArrayBuffer(CTL_BYTES);
    new Int32Array(ctl)[CTL.WAIT_INDEX] = -1;
    const seam = transport && relayChannel ? transport.hostSeam(relayChannel) : new CtlHostSeam(ctl as SharedArrayBuffer);
    let markReady: () => void = () => {};
    let fail: (e: Error) => void = () => {};
    const ready = new Promise<void>((res, rej) => {
      markReady = res;
      fail = rej;
    });
    ready.catch(() => undefined);
    const pw: PooledWorker = { worker, ctl, seam, ready, route: null, onError: null, onViolation: null };
    let violated = false;
    let booted = false;
    worker.onMessage((raw) => {
      if (violated) return;
      const checked = checkWorkerMessage(raw);
      if (!checked.ok) {
        // Nothing more from this worker is read; whoever holds it kills its process.
        violated = true;
        fail(new Error(`protocol violation: ${checked.reason}`));
        pw.onViolation?.(checked.reason);
        return;
      }
      const msg = checked.msg;
      if (msg.type === "ready" && booted) this.backFromRecycling(pw);
      else if (msg.type === "ready") {
        // Bytecode is taken only with a worker's first ready, before any program ran in it.
        for (const [name, at] of msg.phases ?? []) this.platform.mark?.(`worker ${name}`, at);
        if (msg.pyc && !this.pyc) this.pyc = msg.pyc;
        if (msg.pyc && !this.pycSaved) {
          this.pycSaved = true;
          void this.platform.saveBytecode?.(msg.pyc).catch(() => undefined);
        }
        booted = true;
        markReady();
      } else if (msg.type === "fatal" && this.recycling.has(pw)) this.release(pw);
      else if (msg.type === "fatal") {
        fail(new Error(msg.message));
        pw.onError?.(msg.message);
      } else pw.route?.(msg);
    });
    worker.onError((m) => {
      if (this.recycling.has(pw)) return this.release(pw);
      fail(new Error(m));
      pw.onError?.(m);
    });
    // The snapshot is shared, not copied: every worker restores from the same bytes
    // (worker/snapshot-restore.ts), so a boot costs no 30 MB copy on either side. Relay mode
    // shares nothing: each worker gets (and owns) a copy of the snapshot and the stdlib.
    const relay = this.heap === null;
    const own = (b: Uint8Array | null): Uint8Array | null => (b && relay ? new Uint8Array(b) : b);
    const mine = { snapshot: own(snapshot), stdlib: own(this.stdlib) };
    worker.post(
      {
        type: "boot",
        indexURL: this.platform.indexURL,
        snapshot: mine.snapshot,
        makeSnapshot: false,
        wasm: this.wasmModule,
        ctl,
        relayChannel,
        heap: this.heap,
        stdlib: mine.stdlib,
        python: this.platform.python,
        pyc: this.pyc,
        recycle: this.options.recycle,
      },
      relay ? [mine.snapshot, mine.stdlib].flatMap((b) => (b ? [b.buffer as ArrayBuffer] : [])) : undefined,
    );
    this.live.add(pw);
    return pw;
  }

  /**
   * The process of `pw` ended by itself and its worker is putting itself back (it said so with
   * its exit): it waits in the pool again once it says `ready`.
   */
  recycle(pw: PooledWorker): void {
    pw.route = null;
    pw.onError = null;
    pw.onViolation = null;
    if (!this.options.recycle || this.disposed || !this.live.has(pw)) return this.release(pw);
    const ctl = new Int32Array(pw.ctl);
    ctl.fill(0, 0, CTL.JSON_LEN);
    ctl[CTL.WAIT_INDEX] = -1;
    this.recycling.set(pw, this.platform.setTimer(RECYCLE_TIMEOUT_MS, () => this.release(pw)));
  }

  private backFromRecycling(pw: PooledWorker): void {
    const cancel = this.recycling.get(pw);
    if (!cancel) return; // not asked to recycle: a stray ready changes nothing
    cancel();
    this.recycling.delete(pw);
    if (this.disposed || this.idle.length >= this.options.idleMax) this.end(pw);
    else {
      this.recycled.add(pw);
      this.idle.push(pw);
      this.recycledReturns++;
    }
    this.wakeRecycleWaiters();
  }

  private wakeRecycleWaiters(): void {
    const waiters = this.recycleWaiters;
    this.recycleWaiters = [];
    for (const w of waiters) w();
  }

  /**
   * A worker for a new process: a booted one if waiting, else one that is putting itself back
   * after its process (milliseconds away: a program that starts its next process as soon as
   * its last one ended, such as every schedule of a schedule search, reuses it instead of
   * booting another), else one booting now.
   *
   * `key` (a controlled run's process) prefers the worker that ran the same start last. With
   * `waitForKey` (a child, whose kept start that worker may resume) take waits for that worker
   * if it is putting itself back; without (a main process, which resumes nothing) it waits only
   * when no idle worker keeps nothing, and otherwise takes one of those at once.
   */
  async take(key: string | null = null, waitForKey = true): Promise<PooledWorker> {
    this.controlled = key !== null;
    for (;;) {
      // A child of a controlled run goes back to the worker that kept its start, waiting for
      // it if it is putting itself back; other processes take workers that keep none first.
      if (
        key !== null &&
        !this.idle.some((pw) => pw.key === key) &&
        (waitForKey || !this.idle.some((pw) => pw.key === undefined)) &&
        [...this.recycling.keys()].some((pw) => pw.key === key) &&
        !this.disposed
      ) {
        await new Promise<void>((resolve) => this.recycleWaiters.push(resolve));
        continue;
      }
      const idle = this.idle.length > 0 ? this.idle.splice(this.pick(key), 1)[0] : undefined;
      if (idle) {
        if (key !== null) {
          idle.key = key;
          idle.keyUsed = ++this.takes;
        }
        this.startingSettled?.(); // holdRefill may have changed its mind
        if (this.recycled.delete(idle)) this.recycledStarts++;
        if (key === null || this.idle.length > 0 || !this.bootAhead()) this.refillSoon();
        return idle;
      }
      if (this.recycling.size === 0 || this.disposed) break;
      await new Promise<void>((resolve) => this.recycleWaiters.push(resolve));
    }
    // A worker the pool is booting is further along than a new boot would be: hand it out
    // (its `start` queues behind its boot) and let the refill boot the next one meanwhile.
    const booting = this.booting;
    if (booting) {
      this.booting = null;
      booting.claimed();
      return this.handOutBooting(booting.pw, true);
    }
    for (const pw of this.aside) {
      this.aside.delete(pw);
      return this.handOutBooting(pw, true);
    }
    // Empty pool: this boot goes first; refilling now would halve its share of the CPU. Its
    // thread starts while the snapshot loads, when that is still to come.
    const early = this.snapshotBytes !== undefined ? null : this.createEarly();
    const pw = this.handOutBooting(this.boot(await this.getSnapshot(), early), false);
    pw.ready.then(
      () => this.refill(),
      () => undefined,
    );
    return pw;
  }

  /**
   * Step mode opens: its runs (each step back replays one, a search runs hundreds) take the
   * workers a controlled run's processes would otherwise boot only when the first child finds
   * no idle one. Boots them now, side by side (see bootAhead), while the reader looks at the
   * first choice.
   */
  prepareControlled(): void {
    this.controlled = true;
    this.bootAhead();
  }

  private takes = 0;
  /** The last take() was for a controlled run's process (it had a key). */
  private controlled = false;

  /**
   * A controlled run's process took the last idle worker, or step mode opened
   * (prepareControlled). Such a run moves one process at a time, so a core is free, and its
   * next processes would each wait for a whole boot, one after another (a search's first
   * schedule of a 4-process program: two boots in a row, ~0.6 s each). Boots them now, side
   * by side: up to one per core, and no more workers in all than the pool keeps idle (a warm
   * search's recycled workers are enough). False when none was started.
   */
  private bootAhead(): boolean {
    // The refill's boot under way counts as one of them.
    const n = Math.min(this.platform.cpuCount - (this.booting ? 1 : 0), this.options.idleMax - this.live.size);
    if (n <= 0 || this.disposed || this.snapshotBytes === undefined) return false;
    this.cancelRefill?.();
    this.cancelRefill = null;
    for (let i = 0; i < n; i++) void this.bootAside(this.snapshotBytes);
    return true;
  }

  /** Which idle worker `take(key)` hands out (see there): the one with `key`, else one with none, else the one whose key is oldest. */
  private pick(key: string | null): number {
    if (key !== null) {
      const at = this.idle.findIndex((pw) => pw.key === key);
      if (at >= 0) return at;
    }
    let best = 0;
    for (let i = 0; i < this.idle.length; i++) {
      const pw = this.idle[i];
      if (pw.key === undefined) return i;
      if ((pw.keyUsed ?? 0) < (this.idle[best].keyUsed ?? 0)) best = i;
    }
    return best;
  }

  /** `pw` goes to a process before it is booted (see refill). */
  private handOutBooting(pw: PooledWorker, claimed: boolean): PooledWorker {
    this.starting.set(pw, claimed);
    const done = (): void => {
      // Its process starts now: the refill lets that start have the CPU for a moment more.
      this.platform.setTimer(REFILL_DELAY_MS, () => {
        this.starting.delete(pw);
        this.startingSettled?.();
      });
    };
    pw.ready.then(done, done);
    return pw;
  }

  private startingSettled: (() => void) | null = null;

  /**
   * Whether the next background boot should wait for processes whose workers were handed out
   * while booting: when a worker is idle (the next process has one), or when a process waits
   * for a worker the refill was booting (another boot now halves its CPU; a process that comes
   * meanwhile boots its own in take()). Not for a take() that booted its own worker with none
   * idle: that is a program's first process, whose first child needs the refill's boot.
   */
  private holdRefill(): boolean {
    if (this.disposed) return false;
    if (this.idle.length > 0) return this.starting.size > 0;
    for (const claimed of this.starting.values()) if (claimed) return true;
    return false;
  }

  /**
   * Refill after the process that took a worker got going: creating and booting a worker
   * right away would put a thread start and ~0.4 s of CPU next to that process's own start
   * (on 2 cores), on the start() → first line path the pool exists to make fast.
   */
  private refillSoon(): void {
    if (this.cancelRefill || this.disposed) return;
    this.cancelRefill = this.platform.setTimer(REFILL_DELAY_MS, () => {
      this.cancelRefill = null;
      void this.refill();
    });
  }

  /**
   * Ends `pw` (its process was killed, or it failed). A worker handed out while booting whose
   * process is killed before it was ready never says ready: it stops counting as a process
   * getting going (else holdRefill would hold the refill for good, and every later process
   * would boot its own worker), and the pool refills, so the next start (the first child
   * after a Stop) finds an idle worker. When no process is left (a Stop ended them all), the
   * missing workers boot side by side, one per core, as warm({concurrent}) does: no process
   * is there to starve, and the next Run wants its main process's and its first child's at
   * once (one after the other, a WebKit boot of ~1 s each made that child wait ~2 s).
   */
  release(pw: PooledWorker): void {
    this.end(pw);
    if (this.starting.delete(pw)) this.startingSettled?.();
    if (this.disposed) return;
    if (this.running() === 0) void this.warm({ concurrent: true });
    else this.refillSoon();
  }

  /** Workers whose processes run (or are getting going): handed out, not yet back. */
  private running(): number {
    return this.live.size - this.idle.length - this.aside.size - this.recycling.size - (this.booting ? 1 : 0);
  }

  /** Terminates `pw` (a boot of the pool's own that failed: no refill, which would boot again at once). */
  private end(pw: PooledWorker): void {
    this.recycling.get(pw)?.();
    const wasRecycling = this.recycling.delete(pw);
    pw.route = null;
    pw.onError = null;
    pw.onViolation = null;
    pw.worker.terminate();
    this.live.delete(pw);
    if (wasRecycling) this.wakeRecycleWaiters();
  }

  private async refill(): Promise<void> {
    if (this.refilling || this.disposed) return;
    this.refilling = true;
    try {
      const snapshot = await this.getSnapshot();
      while (!this.disposed && this.idle.length + this.aside.size + this.recycling.size < this.size) {
        // A background boot next to a process's own boot or start would take CPU from it (the
        // CLI's main program and its first child on 2 cores): boot on once they are under way.
        while (this.holdRefill()) await new Promise<void>((res) => (this.startingSettled = res));
        if (this.disposed || this.idle.length + this.aside.size + this.recycling.size >= this.size) break;
        // A controlled run's processes end by themselves and put their workers back: with
        // idleMax workers alive, a boot now would only be ended once they are back.
        if (this.controlled && this.options.recycle && this.live.size >= this.options.idleMax) break;
        const pw = this.boot(snapshot);
        let claimed: () => void = () => {};
        const handedOut = new Promise<"claimed">((res) => (claimed = () => res("claimed")));
        this.booting = { pw, claimed };
        const outcome = await Promise.race([pw.ready.then(() => "ready" as const, () => "failed" as const), handedOut]);
        // Taken while booting (also just after its boot, before this line ran): it is that
        // process's worker now; boot the next one at once.
        if (outcome === "claimed" || this.booting?.pw !== pw) continue;
        this.booting = null;
        if (outcome === "failed") {
          this.end(pw);
          break;
        }
        // Recycled workers may have filled the pool while this one booted.
        if (this.disposed || this.idle.length >= this.options.idleMax) this.end(pw);
        else this.idle.push(pw);
      }
    } finally {
      this.refilling = false;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.starting.clear();
    this.startingSettled?.();
    this.wakeRecycleWaiters();
    this.cancelRefill?.();
    this.cancelRefill = null;
    this.spare?.terminate();
    this.spare = null;
    for (const pw of [...this.live]) this.end(pw);
    this.idle.length = 0;
    this.aside.clear();
    this.booting = null;
  }
}
