/**
 * Machine: one simulated computer (kernel + shared fs + worker pool) that runs Python
 * programs. Host-agnostic: Node and browser differ only in the `Platform` they pass.
 * Longer than most files: it is the one seam between the kernel and the workers, and every
 * worker message, reply and process start or end passes through its per-process state
 * (worker, reply in progress, output order); the pool, the worker and the checks
 * (validate.ts) live in their own files.
 */
import {
  INIT_PID,
  Signal,
  createKernel,
  isSharedBuffer,
  type Kernel,
  type KernelEvent,
  type KernelHost,
  type KernelOptions,
  type KernelParts,
  type ProcessInfo,
  type ProcessStart,
  type SignalNumber,
  type SyscallReply,
  type Terminal,
} from "@/lib/kernel";
import { CTL, type StartArgs, type WorkerToHost } from "./protocol";
import type { HostSeam } from "./seam";
import { RelayHost } from "./relay-host";
import { punctualTimer, type Platform } from "./platform";
import { WorkerPool, type PooledWorker } from "./pool";
import { SiblingStarts } from "./sibling-starts";

export interface MachineOptions {
  /** Process cap (init excluded). Default 32. */
  readonly maxProcesses?: number;
  /** Booted interpreters kept waiting. Default 2. */
  readonly poolSize?: number;
  /**
   * Put a worker whose process ended by itself back to its end-of-boot state and reuse it
   * (worker/recycle.ts), keeping up to `poolSize + 2` waiting. Default true; false: one
   * process per worker, each worker ended with its process.
   */
  readonly recycle?: boolean;
  /**
   * A child of a controlled run (a schedule search's) goes on from its start as a worker kept
   * it from an identical earlier start, instead of running that again (worker/checkpoint.ts).
   * Default true (with `recycle`); false runs every start whole.
   */
  readonly checkpoints?: boolean;
  /** Working directory programs run in. Default `/home/user`. */
  readonly cwd?: string;
  /** Quotas (defaults in lib/kernel: 256 MiB of files per program, 128 MiB per file, 512 MiB of wasm memory per process, 256 MiB of unread Queue items per program). */
  /**
   * Relay mode: workers share no memory with the host or each other (for pages that are not
   * cross-origin isolated); the heap is the host's, and every operation on it is a request
   * (./relay-host.ts, README "Relay mode"). Default false.
   */
  readonly relay?: boolean;
  readonly limits?: Pick<KernelOptions, "fsProgramBytes" | "fsFileBytes" | "blobProgramBytes" | "memoryBytes">;
}

export interface RunOptions {
  /** Files relative to the working directory (or absolute), text or bytes. */
  readonly files: Readonly<Record<string, string | Uint8Array>>;
  /** The script to run, relative to the working directory. */
  readonly entry: string;
  readonly argv?: readonly string[];
  /** sys.argv[0] when it is not the entry's path (the shell's `python -c` passes "-c"). */
  readonly argv0?: string;
  /** Added to the main process's environment (a login's: HOME, USER, PATH…); the CLI passes PYTHONUNBUFFERED. */
  readonly environ?: Readonly<Record<string, string>>;
  /** The standard descriptors (0, 1, 2) that are no terminal: the CLI's stdin, stdout or stderr is a pipe or a file (isatty() False; stdout block-buffered, as CPython makes it). Children inherit them. */
  readonly piped?: readonly number[];
}

export interface RunHandle {
  readonly pid: number;
  /** Resolves with the main process's exit code (−N when killed by signal N). */
  readonly exit: Promise<number>;
  /**
   * Takes out what was typed into the program's input and not read (typeahead). A shell calls
   * it when the program ends and reads it as its own next input, as bash does a tty's.
   */
  unreadInput(): string;
}

export interface OutputChunk {
  readonly pid: number;
  readonly fd: 1 | 2;
  readonly data: Uint8Array;
}

/** A hash of everything a child's start depends on (the worker compares the whole start itself: worker/checkpoint.ts). */
function startKey(pid: number, ppid: number, cwd: string, args: StartArgs, bytes: Uint8Array | null): string {
  // FNV-1a over the JSON and the pickled Process.
  let h = 0x811c9dc5;
  const byte = (b: number): void => {
    h = Math.imul(h ^ b, 0x01000193);
  };
  const text = (t: string): void => {
    for (let i = 0; i < t.length; i++) byte(t.charCodeAt(i) & 0xff);
    byte(0);
  };
  const data = (d: Uint8Array | null): void => {
    if (d) for (let i = 0; i < d.length; i++) byte(d[i]);
    text(String(d?.length ?? -1));
  };
  // Not the files: see worker/checkpoint.ts, StartKey.
  text(JSON.stringify([pid, ppid, cwd, args]));
  data(bytes);
  return `${pid}:${(h >>> 0).toString(16)}`;
}

interface Running {
  readonly pw: PooledWorker;
  /** The worker said with its exit that it puts itself back for another process. */
  recycle?: boolean;
  /** The worker posted its process's exit, or broke the protocol: never put back after a kill. */
  exited?: boolean;
  /** The control block (normal mode: its INTERRUPT and WAIT_INDEX words). */
  readonly ctl: Int32Array;
  /** Where blocking requests are answered (./seam.ts). */
  readonly seam: HostSeam;
  /** A blocking syscall was posted and not yet answered: the worker is parked, so a second one is a protocol violation. */
  awaiting: boolean;
  /** Its first output arrived (marked once: Platform.mark). */
  output?: boolean;
}

/** Highest signal number a worker may leave in its interrupt word (Linux's SIGRTMAX). */
const MAX_SIGNAL = 64;

const encoder = new TextEncoder();

/** A new process gets files up to this size with their bytes, up to this much in all; the rest on first use. */
const EAGER_FILE_BYTES = 64 * 1024;
const EAGER_START_BYTES = 1024 * 1024;
const PLACEHOLDER = new Uint8Array(0);

function reportListenerError(kind: string, e: unknown): void {
  console.error(`spawnpoint: an ${kind} listener threw (ignored):`, e);
}

/**
 * How long a chunk waits for an earlier-numbered one that has not arrived (its worker may
 * have been killed between numbering and posting it). Messages from different workers
 * reach this thread through different ports, so a later write can arrive first; in
 * practice the earlier one is a fraction of a millisecond behind.
 */
const REORDER_WAIT_MS = 20;

interface Numbered extends OutputChunk {
  readonly seq: number;
}

export class Machine {
  readonly kernel: Kernel;
  private readonly parts: KernelParts;
  private readonly pool: WorkerPool;
  private readonly running = new Map<number, Running>();
  /** Children started together start together (./sibling-starts.ts). */
  private readonly siblings: SiblingStarts;
  /** Children whose worker is theirs but who wait for their siblings (or its boot) to start. */
  private readonly gated = new Map<number, PooledWorker>();
  private readonly outputListeners = new Set<(c: OutputChunk) => void>();
  private readonly exitWaiters = new Map<number, (code: number) => void>();
  /** The signal sent to a process whose worker is not attached yet: written into its interrupt word when it is. */
  private readonly earlyInterrupts = new Map<number, number>();
  /** int32 index of the output sequence word in the shared heap: every write takes a number. */
  private readonly outSeq: number;
  /** Output chunks that arrived before an earlier-numbered one, by number. */
  private readonly held = new Map<number, Numbered>();
  private nextSeq = 0;
  private cancelGapTimer: (() => void) | null = null;
  private foreground: number | null = null;
  readonly cwd: string;
  private disposed = false;
  /** Relay mode's host side (null in normal mode). */
  readonly relay: RelayHost | null;
  /** See MachineOptions.checkpoints. */
  private readonly checkpoints: boolean;

  constructor(
    private readonly platform: Platform,
    options: MachineOptions = {},
  ) {
    this.cwd = options.cwd ?? "/home/user";
    this.checkpoints = (options.checkpoints ?? true) && (options.recycle ?? true);
    const timer = punctualTimer(platform);
    const host: KernelHost = {
      now: () => platform.now(),
      setTimer: timer,
      startProcess: (pid, start) => this.startProcess(pid, start),
      endProcess: (pid) => this.endProcess(pid),
      reply: (pid, reply) => this.reply(pid, reply),
      interrupt: (pid, sig) => this.interruptWorker(pid, sig),
      takeInterrupt: (pid) => {
        const r = this.running.get(pid);
        if (r && this.relay) return this.relay.takeSignal(pid);
        if (r) {
          // The worker can write this word: an out-of-range value is a violation, never a signal.
          const sig = Atomics.exchange(r.ctl, CTL.INTERRUPT, 0);
          if (sig >= 0 && sig <= MAX_SIGNAL) return sig;
          this.violationSoon(pid, `interrupt word holds ${sig}, not a signal number`);
          return 0;
        }
        const early = this.earlyInterrupts.get(pid) ?? 0;
        this.earlyInterrupts.delete(pid);
        return early;
      },
    };
    // A platform that can share no memory with its workers runs relay mode whatever was asked.
    const relay = options.relay === true || platform.relayTransport !== undefined;
    this.parts = createKernel(host, { maxProcesses: options.maxProcesses, ...options.limits, sharedHeap: !relay });
    this.kernel = this.parts.kernel;
    // The resource tracker of a program that writes to the terminal warns there, as the root's stderr.
    this.parts.trackers.terminalStderr = (pid, text) => this.emitOutput(pid, 2, encoder.encode(text));
    this.relay = relay
      ? new RelayHost(this.kernel, this.kernel.heap, {
          now: () => platform.now(),
          setTimer: timer,
          answer: (pid, a) => {
            const r = this.running.get(pid);
            if (!r) return;
            r.awaiting = false;
            r.seam.answer(a);
          },
        })
      : null;
    this.parts.fs.mkdirp(this.cwd);
    this.parts.fs.mkdirp("/tmp");
    const poolSize = options.poolSize ?? 2;
    const heap = this.kernel.heap.buffer;
    this.pool = new WorkerPool(platform, isSharedBuffer(heap) ? (heap as SharedArrayBuffer) : null, poolSize, { recycle: options.recycle ?? true, idleMax: poolSize + 2 });
    this.outSeq = this.kernel.heap.alloc(8) >> 2;
    this.siblings = new SiblingStarts({ now: () => platform.now(), setTimer: (ms, fn) => platform.setTimer(ms, fn) });
    this.kernel.events.on((ev) => {
      if (ev.type === "exit") {
        this.siblings.dropped(ev.pid);
        const w = this.exitWaiters.get(ev.pid);
        if (w) {
          // Everything the program wrote is shown before its run ends.
          this.releaseHeld(Infinity);
          this.exitWaiters.delete(ev.pid);
          w(ev.exitCode);
        }
      }
    });
  }

  /** Step mode opens on this machine: see WorkerPool.prepareControlled. */
  prepareControlled(): void {
    this.pool.prepareControlled();
  }

  /** Boots the pool (makes or loads the snapshot). Optional: `run` also waits for what it needs. */
  warm(options: { concurrent?: boolean } = {}): Promise<void> {
    return this.pool.warm(options);
  }

  get fs() {
    return this.parts.fs;
  }

  /** Controlled programs (lib/kernel/sched; lib/runtime/controlled.ts runs them). */
  get sched() {
    return this.parts.sched;
  }

  /** Writes `files` into the working directory and starts `entry` as a child of init. */
  run(options: RunOptions): RunHandle {
    if (this.disposed) throw new Error("Machine disposed");
    this.writeFiles(options.files);
    let resolveExit: (code: number) => void = () => {};
    const exit = new Promise<number>((res) => (resolveExit = res));
    const entry = options.entry.startsWith("/") ? options.entry : `${this.cwd}/${options.entry}`;
    // The exit waiter must exist before spawn: a start failure exits synchronously.
    const pid = this.kernel.spawn(INIT_PID, "MainProcess", false, {
      args: { kind: "main", entry, argv: [...(options.argv ?? [])], ...(options.argv0 ? { argv0: options.argv0 } : {}), ...(options.environ ? { environ: { ...options.environ } } : {}), ...(options.piped?.length ? { piped: [...options.piped] } : {}) },
      bytes: null,
    });
    const entryState = this.kernel.table.get(pid);
    if (entryState?.state === "zombie" || !entryState) resolveExit(entryState?.exitCode ?? 1);
    else this.exitWaiters.set(pid, resolveExit);
    this.foreground = pid;
    // Held here, so the input stays takeable after the program's end drops it from the table.
    const terminal = this.kernel.programAlive(pid) ? this.parts.terminals.of(pid) : null;
    return { pid, exit, unreadInput: () => terminal?.takeUnread() ?? "" };
  }

  /**
   * What earlier programs left on the machine's disk goes: files and folders under /home and
   * /tmp, and named shared memory (`/dev/shm`). A controlled run starts from its program's
   * files alone, so every schedule of a search, and every replay of a token, starts the same.
   */
  resetDisk(): void {
    const fs = this.parts.fs;
    for (const root of ["/home", "/tmp"]) {
      for (const f of fs.list(root)) fs.unlink(f);
      for (const d of fs.listDirs(root).reverse()) fs.rmdir(d);
    }
    fs.mkdirp(this.cwd);
    fs.mkdirp("/tmp");
    for (const name of this.parts.shm.names()) this.parts.shm.unlink(name);
  }

  /** Writes files (paths relative to the working directory, or absolute), creating their folders. */
  writeFiles(files: RunOptions["files"]): void {
    for (const [name, content] of Object.entries(files)) {
      const path = name.startsWith("/") ? name : `${this.cwd}/${name}`;
      this.parts.fs.mkdirp(path.slice(0, path.lastIndexOf("/")) || "/");
      this.parts.fs.writeFile(path, typeof content === "string" ? encoder.encode(content) : content);
    }
  }

  onOutput(listener: (c: OutputChunk) => void): () => void {
    this.outputListeners.add(listener);
    return () => this.outputListeners.delete(listener);
  }

  onEvent(listener: (ev: KernelEvent) => void): () => void {
    return this.kernel.events.on((ev) => {
      try {
        listener(ev);
      } catch (e) {
        reportListenerError("event", e);
      }
    });
  }

  processes(): ProcessInfo[] {
    return this.kernel.snapshot();
  }

  /**
   * Feeds the terminal of `pid`'s program (default: the program started last). Each program
   * has its own stdin: the examples of a page share one machine, not their input.
   */
  writeStdin(text: string, pid?: number): void {
    this.stdinOf(pid)?.write(text);
  }

  private stdoutGone = false;

  /**
   * Standard output's reader went away (the CLI's stdout is a pipe whose reader closed, as in
   * `npm run -s py -- prog.py | head`): from now on every process's write to fd 1 fails with
   * EPIPE, so Python raises BrokenPipeError there, as CPython does (it ignores SIGPIPE). For
   * the whole machine, which the CLI runs one program on. Not in compatibility mode, whose
   * control blocks are not shared; the page never calls it.
   */
  closeStdout(): void {
    this.stdoutGone = true;
    for (const r of this.running.values()) Atomics.store(r.ctl, CTL.STDOUT_GONE, 1);
  }

  /** End of input for `pid`'s program (default: the program started last). */
  closeStdin(pid?: number): void {
    this.stdinOf(pid)?.close();
  }

  private stdinOf(pid: number | undefined): Terminal | null {
    const target = pid ?? this.foreground;
    if (target === null || target === INIT_PID) return this.parts.terminal;
    const program = this.kernel.programOf(target);
    return this.kernel.programAlive(program) ? this.parts.terminals.of(program) : null;
  }

  /** Sends `sig` to `pid` (as if from init). */
  signal(pid: number, sig: SignalNumber): void {
    this.kernel.signal(pid, sig, INIT_PID);
  }

  /** Ctrl-C: SIGINT to every live process, like a terminal's foreground process group. */
  interrupt(): void {
    for (const p of this.kernel.snapshot()) {
      if (p.pid !== INIT_PID && p.state !== "zombie") this.kernel.signal(p.pid, Signal.SIGINT, INIT_PID);
    }
  }

  /** Kills every process; no zombie or orphan stays behind. */
  stopAll(): void {
    this.kernel.stopAll();
    this.parts.terminal.reset();
    this.foreground = null;
  }

  /** Workers alive right now (booted pool + running processes). */
  get liveWorkers(): number {
    return this.pool.live.size;
  }

  get poolSize(): number {
    return this.pool.size;
  }

  get idleWorkers(): number {
    return this.pool.idleCount;
  }

  /** Workers put back in the pool after their process ended, ready for the next one (worker/recycle.ts). */
  get recycledReturns(): number {
    return this.pool.recycledReturns;
  }

  /** Idle workers kept at most: the pool's own plus workers put back after their process (worker/recycle.ts). */
  get maxIdleWorkers(): number {
    return this.pool.idleMax;
  }

  /** Processes that ran in a recycled worker instead of a freshly booted one. */
  get recycledStarts(): number {
    return this.pool.recycledStarts;
  }

  /** Children of controlled runs that went on from their kept start instead of running it again (worker/checkpoint.ts). */
  resumedStarts = 0;

  get foregroundPid(): number | null {
    return this.foreground;
  }

  dispose(): void {
    if (this.disposed) return;
    this.stopAll();
    this.disposed = true;
    this.cancelGapTimer?.();
    this.held.clear();
    this.pool.dispose();
    this.kernel.events.clear();
    this.outputListeners.clear();
  }

  // ── KernelHost ────────────────────────────────────────────────────────────

  /**
   * The shared files a new process starts with. Small ones come with their bytes (a child
   * re-imports the main script at once); the rest as empty placeholders that the worker's
   * first open or stat fills from the kernel (fs_lookup, see worker/fs-mirror.ts), so a
   * 200 MiB file costs a child nothing unless it reads it.
   */
  private startFiles(): (readonly [string, Uint8Array])[] {
    const fs = this.parts.fs;
    let eager = EAGER_START_BYTES;
    return [...fs.list("/home"), ...fs.list("/tmp")].map((p) => {
      const data = fs.readFile(p);
      if (data.length > EAGER_FILE_BYTES || data.length > eager) return [p, PLACEHOLDER] as const;
      eager -= data.length;
      return [p, data] as const;
    });
  }

  private startProcess(pid: number, start: ProcessStart): void {
    const files = this.startFiles();
    // Empty directories too: a child starts in its parent's cwd, which may be one it just made.
    const dirs = [...this.parts.fs.listDirs("/home"), ...this.parts.fs.listDirs("/tmp")];
    // A spawned child starts where its parent was at start() (popen.py passes it), as exec does.
    const cwd = typeof start.args.cwd === "string" && this.parts.fs.exists(start.args.cwd) === "dir" ? start.args.cwd : this.cwd;
    const ppid = this.kernel.table.get(pid)?.ppid ?? INIT_PID;
    const sched = this.schedArgs(pid);
    const args: StartArgs = { ...start.args, dirs, cpuCount: this.platform.cpuCount, outSeq: this.relay ? -1 : this.outSeq, sigIgnored: this.kernel.signals.ignored(pid), ...sched };
    // A child of a controlled run goes to the worker that may have kept the same start; its
    // main process goes to the one it had last, or, while that one is still putting itself
    // back, to an idle one that keeps nothing: either way it takes no child's.
    const key = sched.sched && !this.relay && this.checkpoints ? startKey(pid, ppid, cwd, args, start.bytes) : null;
    // A child of a normal run starts with the siblings its parent starts next to it (./sibling-starts.ts).
    const together = args.kind !== "main" && !sched.sched;
    if (together) this.siblings.spawned(pid, ppid);
    this.pool.take(key, args.kind !== "main").then(
      (pw) => {
        if (!together) return this.begin(pid, pw, ppid, cwd, files, args, start, key);
        // Held here until it starts; a kill meanwhile ends the worker (endProcess).
        this.gated.set(pid, pw);
        const go = () => {
          if (this.gated.get(pid) !== pw) return;
          this.gated.delete(pid);
          this.begin(pid, pw, ppid, cwd, files, args, start, key);
        };
        // Ready means booted: a worker still booting is handed out too (its start would queue behind the boot).
        pw.ready.then(
          () => this.siblings.ready(pid, go),
          () => {
            this.siblings.dropped(pid);
            go();
          },
        );
      },
      (e: unknown) => {
        this.siblings.dropped(pid);
        this.emitOutput(pid, 2, encoder.encode(`spawnpoint: cannot start pid ${pid}: ${String(e)}\n`));
        this.kernel.exit(pid, 1);
      },
    );
  }

  /** Gives `pid` its worker `pw` and starts it there. */
  private begin(pid: number, pw: PooledWorker, ppid: number, cwd: string, files: (readonly [string, Uint8Array])[], args: StartArgs, start: ProcessStart, key: string | null): void {
    if (!this.kernel.table.isAlive(pid) || this.disposed) {
      this.pool.release(pw);
      return;
    }
    const r: Running = { pw, ctl: new Int32Array(pw.ctl), seam: pw.seam, awaiting: false };
    this.running.set(pid, r);
    // The worker raises it once the program's own code runs (see _spawnpoint/main.py).
    const early = this.earlyInterrupts.get(pid);
    this.earlyInterrupts.delete(pid);
    if (this.relay) this.relay.attach(pid, early ?? 0);
    else if (early !== undefined) Atomics.store(r.ctl, CTL.INTERRUPT, early);
    // A recycled worker's block still holds its last process's word.
    Atomics.store(r.ctl, CTL.STDOUT_GONE, this.stdoutGone ? 1 : 0);
    pw.route = (msg) => this.onWorkerMessage(pid, msg);
    this.platform.mark?.(`pid ${pid} start`);
    pw.onError = (message) => {
      this.emitOutput(pid, 2, encoder.encode(`spawnpoint: worker for pid ${pid} failed: ${message}\n`));
      this.kernel.exit(pid, 1);
    };
    pw.onViolation = (reason) => this.violation(pid, reason);
    pw.worker.post({
      type: "start",
      pid,
      ppid,
      cwd,
      files,
      // What the parent ignores stays ignored in the child (execve(2)); handlers do not carry over.
      args,
      bytes: start.bytes,
      limits: this.parts.limits,
      checkpoint: key !== null && args.kind !== "main",
    });
  }

  /** A process of a controlled run takes turns (worker/sched-gate.ts) with the run's seed. */
  private schedArgs(pid: number): { sched?: { seed: number; lineGrain: boolean } } {
    const c = this.parts.sched.of(pid);
    return c ? { sched: { seed: c.options.seed, lineGrain: c.options.lineGrain } } : {};
  }

  /** `msg` passed checkWorkerMessage (pool.ts); what depends on the process's state is checked here. */
  private onWorkerMessage(pid: number, msg: WorkerToHost): void {
    const r = this.running.get(pid);
    if (!r) return;
    switch (msg.type) {
      case "syscall":
        // start() itself polls the children it started before (Process._cleanup): not a move on.
        if (msg.name !== "spawn" && !(msg.name === "waitpid" && msg.args.nohang === true)) this.siblings.parentMoved(pid);
        if (msg.name === "exit") r.exited = true;
        if (msg.name === "exit" && msg.args.recycle === true) r.recycle = true;
        if (msg.name === "exit" && msg.args.resumed === true) this.resumedStarts++;
        if (msg.reply) {
          if (r.awaiting) return this.violation(pid, `syscall ${msg.name} while another blocking syscall is pending`);
          r.awaiting = true;
        }
        this.kernel.syscall(pid, msg.name, msg.args, msg.bytes, msg.reply);
        return;
      case "relay":
        if (!this.relay) return this.violation(pid, "relay op outside relay mode");
        if (r.awaiting) return this.violation(pid, `relay ${msg.op} while another blocking request is pending`);
        if (msg.oneway) return this.relay.post(pid, msg.op, msg.args, msg.bytes);
        this.siblings.parentMoved(pid);
        r.awaiting = true;
        this.relay.handle(pid, msg.op, msg.args, msg.bytes);
        return;
      case "output":
        if (!r.output) {
          r.output = true;
          this.platform.mark?.(`pid ${pid} output`);
        }
        this.ordered({ pid, fd: msg.fd, data: msg.data, seq: msg.seq });
        return;
      case "running":
        this.platform.mark?.(`pid ${pid} running`);
        this.kernel.markRunning(pid);
        return;
      case "reply_more":
        if (!r.seam.more()) return this.violation(pid, "reply_more with no reply in progress");
        return;
      default:
        return;
    }
  }

  /**
   * A worker broke the protocol (validate.ts, or a state check here): its process is killed
   * with the diagnosis on its stderr; the machine and every other process go on.
   */
  private violation(pid: number, reason: string): void {
    if (!this.kernel.table.isAlive(pid)) return;
    const r = this.running.get(pid);
    if (r) r.exited = true;
    this.emitOutput(pid, 2, encoder.encode(`spawnpoint: protocol violation by pid ${pid}: ${reason}; process killed\n`));
    this.kernel.exit(pid, -Signal.SIGKILL);
  }

  /** A violation found inside a kernel call (signal delivery): acted on once that call has returned. */
  private violationSoon(pid: number, reason: string): void {
    this.platform.setTimer(0, () => this.violation(pid, reason));
  }

  /** Listeners are the host's UI or tests: one that throws must not take the machine down with it. */
  private emitOutput(pid: number, fd: 1 | 2, data: Uint8Array): void {
    for (const l of this.outputListeners) {
      try {
        l({ pid, fd, data });
      } catch (e) {
        reportListenerError("output", e);
      }
    }
  }

  /**
   * Emits worker output in the order the writes happened across all processes (causal:
   * a consumer's "got 2" never shows before the producer's "put 2" printed before the put).
   * A chunk that arrives ahead of a lower number is held until that one comes, at most
   * REORDER_WAIT_MS.
   */
  private ordered(chunk: Numbered): void {
    if (chunk.seq < 0 || chunk.seq < this.nextSeq) {
      this.emitOutput(chunk.pid, chunk.fd, chunk.data); // unnumbered, or its gap was given up
      return;
    }
    if (chunk.seq > this.nextSeq) {
      this.held.set(chunk.seq, chunk);
      this.cancelGapTimer ??= this.platform.setTimer(REORDER_WAIT_MS, () => {
        this.cancelGapTimer = null;
        this.releaseHeld(Infinity);
      });
      return;
    }
    this.emitOutput(chunk.pid, chunk.fd, chunk.data);
    this.nextSeq = chunk.seq + 1;
    this.releaseHeld(this.nextSeq);
  }

  /** Emits held chunks in order: from `upTo` on only consecutive ones; Infinity = all, skipping gaps. */
  private releaseHeld(upTo: number): void {
    if (this.held.size === 0) return;
    const nums = [...this.held.keys()].sort((a, b) => a - b);
    for (const n of nums) {
      if (upTo !== Infinity && n !== this.nextSeq) break;
      const c = this.held.get(n);
      this.held.delete(n);
      if (c) this.emitOutput(c.pid, c.fd, c.data);
      this.nextSeq = n + 1;
    }
    if (this.held.size === 0 && this.cancelGapTimer) {
      this.cancelGapTimer();
      this.cancelGapTimer = null;
    }
  }

  private endProcess(pid: number): void {
    this.earlyInterrupts.delete(pid);
    const gated = this.gated.get(pid);
    if (gated) {
      // Killed while it waited for its siblings: its worker never ran it.
      this.gated.delete(pid);
      this.pool.release(gated);
      return;
    }
    this.relay?.end(pid);
    const r = this.running.get(pid);
    if (!r) return;
    this.running.delete(pid);
    if (r.recycle && !this.disposed) this.pool.recycle(r.pw);
    else if (!r.exited && !this.relay && !this.disposed) this.recycleKilled(r);
    else this.pool.release(r.pw);
  }

  /**
   * A process killed while its worker is parked in a wait: the worker is told so there, unwinds
   * and puts itself back (worker/kill.ts). One that is running is ended, as before.
   */
  private recycleKilled(r: Running): void {
    const waitIndex = Atomics.load(r.ctl, CTL.WAIT_INDEX);
    if (Atomics.compareExchange(r.ctl, CTL.PARKED, 1, 2) !== 1) return this.pool.release(r.pw);
    this.pool.recycle(r.pw);
    for (const word of [CTL.PARKED, CTL.STATE, CTL.INTERRUPT]) Atomics.notify(r.ctl, word);
    if (waitIndex >= 0) Atomics.notify(new Int32Array(this.kernel.heap.buffer), waitIndex);
  }

  /**
   * Answers on a microtask: what the kernel does in one go (Stop kills every process, children
   * first) ends before any answer it caused wakes a worker, so a parent parked in join() is
   * still parked when its own kill comes, and its worker is put back (worker/kill.ts).
   */
  private reply(pid: number, reply: SyscallReply): void {
    queueMicrotask(() => {
      const r = this.running.get(pid);
      if (!r) return;
      r.awaiting = false;
      r.seam.answer({ ok: reply.ok, json: JSON.stringify(reply.ok ? reply.value : reply.error), bytes: reply.ok ? reply.bytes : null });
    });
  }

  /** Writes `sig` into the worker's interrupt word unless one waits there already, and wakes its waits. */
  private interruptWorker(pid: number, sig: number): boolean {
    const r = this.running.get(pid);
    if (!r) {
      if (!this.kernel.table.isAlive(pid) || this.earlyInterrupts.has(pid)) return false;
      this.earlyInterrupts.set(pid, sig);
      return true;
    }
    if (this.relay) return this.relay.interrupt(pid, sig);
    if (Atomics.compareExchange(r.ctl, CTL.INTERRUPT, 0, sig) !== 0) return false;
    Atomics.notify(r.ctl, CTL.INTERRUPT);
    // The worker writes WAIT_INDEX: a word outside the shared heap is a violation, not a RangeError here.
    const waitIndex = Atomics.load(r.ctl, CTL.WAIT_INDEX);
    if (waitIndex >= 0 && waitIndex < this.kernel.heap.buffer.byteLength >> 2) this.kernel.heap.wake(waitIndex);
    else if (waitIndex !== -1) this.violationSoon(pid, `wait index ${waitIndex} is outside the shared heap`);
    return true;
  }
}
