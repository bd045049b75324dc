/**
 * Messages between the kernel thread (host) and a process worker. One discriminated union
 * per direction, keyed on `type`. Answers to blocking requests (syscall replies, relay ops) do
 * not travel as messages: they cross the seam (./seam.ts); on Node the worker is parked in
 * Atomics.wait and the host writes them into the worker's control block.
 *
 * ┌────────────── control block (SharedArrayBuffer, one per worker) ──────────────┐
 * │ int32[0] STATE      0 = waiting for a reply, 1 = reply written (host notifies)  │
 * │ int32[1] INTERRUPT  Pyodide's interrupt buffer: a pending signal's number or 0  │
 * │ int32[2] WAIT_INDEX shared-heap int32 index the worker is parked on, or −1      │
 * │ int32[3] OK         1 = success, 0 = KernelError (JSON body is KernelErrorData) │
 * │ int32[4] JSON_LEN   bytes of UTF-8 JSON at DATA                                 │
 * │ int32[5] BYTES_LEN  raw bytes after the JSON, or −1 for none                    │
 * │ int32[6] STDOUT_GONE 1 = standard output's reader went away: writes fail EPIPE  │
 * │ int32[7] PARKED     1 = in a wait a SIGKILL may end, 2 = killed there (kill.ts) │
 * │ byte 64… DATA       JSON, then raw bytes (or the next chunk of them, below)     │
 * └───────────────────────────────────────────────────────────────────────────────┘
 * Order matters: the host writes DATA and the lengths first, then stores STATE = 1 and
 * notifies STATE; the worker stores STATE = 0 *before* posting the next syscall.
 *
 * A reply bigger than DATA (JSON_LEN + BYTES_LEN > CTL_BYTES − 64: a file, a pickled queue
 * item) comes in chunks: DATA holds its first CTL_BYTES − 64 bytes; the worker copies them,
 * stores STATE = 0 and posts `reply_more`, and the host writes the next chunk the same way
 * until all JSON_LEN + BYTES_LEN bytes have crossed. The block stays small (it is reserved
 * per worker for the process's whole life) and replies have no size limit.
 */
import type { JsonObject, KernelEvent, ProcessLimits } from "@/lib/kernel";

export const CTL = { STATE: 0, INTERRUPT: 1, WAIT_INDEX: 2, OK: 3, JSON_LEN: 4, BYTES_LEN: 5, STDOUT_GONE: 6, PARKED: 7 } as const;
export const CTL_DATA_OFFSET = 64;
/** Control block size: a reply up to CTL_BYTES − CTL_DATA_OFFSET bytes crosses at once, a bigger one in chunks of that size. */
export const CTL_BYTES = 256 << 10;

/**
 * Pure-Python modules imported before the snapshot is taken, so a process does not pay
 * for them (importing multiprocessing alone costs ~1 s in Pyodide); the runtime's own modules
 * are imported after them (worker/snapshot-runtime.ts). Cached snapshots are keyed on this list,
 * the runtime's sources and SNAPSHOT_KEY (snapshot-key.ts): bump the key when what a snapshot
 * holds changes in another way.
 */
export const SNAPSHOT_PRELOAD =
  "import multiprocessing, multiprocessing.context, multiprocessing.process, multiprocessing.spawn, " +
  "multiprocessing.reduction, multiprocessing.util, multiprocessing.queues, pickle, json, queue, traceback, " +
  "runpy, io, random, types, struct, signal, concurrent.futures, itertools, collections, tempfile, threading, " +
  "pyodide.ffi, multiprocessing.connection, multiprocessing.pool, multiprocessing.managers, pkgutil, socketserver, " +
  // What a typical program imports at the top: every spawned child imports it again as
  // __mp_main__, and Pyodide's stdlib zip holds sources only (statistics alone: ~75 ms to
  // compile, per process). In the snapshot they cost each process nothing but memory.
  // Kept short: every non-zero page of the snapshot is resident in every process (typing,
  // dataclasses/inspect, logging, argparse and pathlib together cost ~3 MiB per process).
  "statistics, datetime, math, time, functools, heapq, bisect, string, re, enum, copy, operator, decimal, fractions";
export const SNAPSHOT_KEY = "runtime-2";

/** Python sources shipped to the worker: module path relative to the runtime's sys.path entry → source. */
export type PythonSources = Readonly<Record<string, string>>;

/**
 * A process's start args, read by `_spawnpoint/main.py`: what the spawn asked for
 * (`{kind: "main", entry, argv}` or `{kind: "child", …}`, the kernel's ProcessStart.args)
 * plus what the host adds.
 */
export type StartArgs = JsonObject & {
  /** int32 index of the machine-wide output sequence counter in the shared heap (see `output`). */
  readonly outSeq: number;
  /** os.cpu_count() / multiprocessing.cpu_count() in the process. */
  readonly cpuCount: number;
  /** Directories of the shared fs to create before Python starts (empty ones included). */
  readonly dirs: readonly string[];
  /** Signals the parent ignores: they stay ignored in the child (execve(2)). */
  readonly sigIgnored: readonly number[];
  /** Set when the process belongs to a controlled run (lib/kernel/sched): its seed and whether every line is a point. */
  readonly sched?: { readonly seed: number; readonly lineGrain: boolean };
};

export type HostToWorker =
  /**
   * Sent to a worker created before the snapshot is loaded, when the host knows how long the
   * snapshot will be (the one cached by an earlier visit): the worker begins to load Pyodide
   * now, and the `boot` that follows (with a snapshot of exactly that length and a compiled
   * module) finishes that load (worker/boot.ts `prepare`).
   */
  | {
      readonly type: "prepare";
      readonly indexURL: string;
      readonly snapshotBytes: number;
      /** As the boot's `recycle` will be. */
      readonly recycle: boolean;
    }
  | {
      readonly type: "boot";
      readonly indexURL: string;
      /** Memory snapshot of a fresh interpreter, in shared memory (read, never copied, by every worker); absent = cold boot (and, with makeSnapshot, send one back). */
      readonly snapshot: Uint8Array | null;
      readonly makeSnapshot: boolean;
      /** pyodide.asm.wasm compiled once by the host: workers instantiate it instead of compiling their own. */
      readonly wasm: WebAssembly.Module | null;
      /** The worker's private control block: on Node, the seam's transport (./seam.ts). */
      readonly ctl: SharedArrayBuffer | ArrayBuffer;
      /**
       * Set where nothing is shared with the worker, not even `ctl` (then a private placeholder):
       * its blocking requests go through the port's relay seam on this channel (worker/relay-xhr.ts).
       */
      readonly relayChannel?: string | null;
      /** The machine's shared heap; null in relay mode (shared state is reached through `relay` requests). */
      readonly heap: SharedArrayBuffer | null;
      /** python_stdlib.zip in shared memory: the worker's MEMFS file becomes a view on it instead of a private copy. */
      readonly stdlib: Uint8Array | null;
      readonly python: PythonSources;
      /**
       * Bytecode of `python`, by the same relative path (unchecked hash-based .pyc files, PEP 552),
       * and under `@stdlib/<module>` the marshalled code of stdlib modules the runtime imports at
       * boot, made by the first worker booted without it (this session's or, from the host's cache,
       * an earlier one's): workers import them without compiling. Null: compile, and send the
       * bytecode back with `ready`.
       */
      readonly pyc: Readonly<Record<string, Uint8Array>> | null;
      /**
       * Record the interpreter at the end of boot and, after a process that ended by itself, put
       * it back and say `ready` again (worker/recycle.ts) instead of waiting to be ended. Its
       * `exit` syscall then says `recycle: true`.
       */
      readonly recycle?: boolean;
    }
  | {
      readonly type: "start";
      readonly pid: number;
      readonly ppid: number;
      readonly cwd: string;
      /** Files of the shared fs to copy into the worker before Python starts. */
      readonly files: readonly (readonly [string, Uint8Array])[];
      readonly args: StartArgs;
      readonly bytes: Uint8Array | null;
      /** The machine's limits, which the worker enforces on itself from its first process on (worker/limits.ts). */
      readonly limits: ProcessLimits;
      /** A child of a controlled run: the worker may keep its start and go on from it next time (worker/checkpoint.ts). */
      readonly checkpoint?: boolean;
    };

/** One part of a worker's boot: its name and when it ended (see WorkerToHost `ready`). */
export type BootPhase = readonly [name: string, epochMs: number];

export type WorkerToHost =
  /**
   * `pyc`: the runtime's bytecode, from a worker that booted without it (see `boot`). Again after
   * each recycle. `phases`: with a boot's first ready, when each part of the boot ended (name,
   * ms since the epoch on the worker's clock, `performance.timeOrigin + performance.now()`);
   * the browser host records them as User Timing marks (bench/webkit.bench.ts reads them).
   */
  | { readonly type: "ready"; readonly pyc?: Readonly<Record<string, Uint8Array>>; readonly phases?: readonly BootPhase[] }
  | { readonly type: "snapshot"; readonly bytes: Uint8Array }
  | { readonly type: "running" }
  /** The worker copied one chunk of a reply bigger than its control block: write the next one. */
  | { readonly type: "reply_more" }
  | { readonly type: "syscall"; readonly name: string; readonly args: JsonObject; readonly bytes: Uint8Array | null; readonly reply: boolean }
  /**
   * Relay mode (no shared memory): an operation on shared state the host runs on its heap,
   * answered through the seam (./seam.ts, ./relay-host.ts). `oneway`: an op that cannot wait
   * and whose result the worker knows (a release, a Value store, a put on an unbounded Queue):
   * the worker goes on without an answer; the host runs it in message order, so before the
   * worker's next request.
   */
  | { readonly type: "relay"; readonly op: string; readonly args: JsonObject; readonly bytes: Uint8Array | null; readonly oneway?: boolean }
  /** `seq`: the machine-wide write order (Atomics.add on the shared heap word named in `start`'s args.outSeq), so the host shows writes of all processes in the order they happened. */
  | { readonly type: "output"; readonly fd: 1 | 2; readonly data: Uint8Array; readonly seq: number }
  | { readonly type: "fatal"; readonly message: string };

export type { KernelEvent };
