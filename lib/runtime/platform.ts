/** What a host (Node, browser) provides to the Machine: workers, clock, timers, snapshot cache. */
import type { Bytecode } from "./bytecode-cache";
import type { HostToWorker, PythonSources } from "./protocol";
import type { HostSeam } from "./seam";

export interface WorkerHandle {
  post(msg: HostToWorker, transfer?: ArrayBuffer[]): void;
  /** `msg` is whatever the worker posted: untrusted until checkWorkerMessage (validate.ts) accepts it. */
  onMessage(handler: (msg: unknown) => void): void;
  onError(handler: (message: string) => void): void;
  terminate(): void;
}

/**
 * Where nothing can be shared with a worker, not even its control block (a browser without
 * SharedArrayBuffer): how its blocking requests reach the host instead (./seam.ts; the
 * browser's is the service worker relay, ./relay-browser.ts). One channel per worker.
 */
export interface RelayTransport {
  /** A fresh channel name, sent to the worker in its boot message. */
  channel(): string;
  /** The host's side of that channel. */
  hostSeam(channel: string): HostSeam;
}

export interface Platform {
  createWorker(): WorkerHandle;
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  /** Where pyodide.mjs and its files live (a directory path in Node, a URL in the browser). */
  readonly indexURL: string;
  readonly python: PythonSources;
  readonly cpuCount: number;
  /** A snapshot saved by an earlier session, if the host can cache one. */
  loadSnapshot(): Promise<Uint8Array | null>;
  /**
   * How long the snapshot `loadSnapshot` will give is, if the host can tell before reading it
   * (null: it cannot, or there is none): a worker then begins to load Pyodide right away
   * (HostToWorker `prepare`).
   */
  snapshotLength?(): Promise<number | null>;
  saveSnapshot(bytes: Uint8Array): Promise<void>;
  /** The runtime's bytecode for exactly these `python` sources, saved by an earlier session (see bytecode-cache.ts). */
  loadBytecode?(): Promise<Bytecode | null>;
  saveBytecode?(pyc: Bytecode): Promise<void>;
  /** Compiles pyodide.asm.wasm once for all workers (null: each worker compiles its own). */
  compileWasm(): Promise<WebAssembly.Module | null>;
  /** python_stdlib.zip, ideally read straight into a SharedArrayBuffer (null: each worker keeps its own copy). */
  loadStdlib(): Promise<Uint8Array | null>;
  /**
   * Records that `name` happened, at `epochMs` (ms since the epoch; default now): the browser
   * host makes a User Timing mark, so a profile or a bench sees where a boot and a start spend
   * their time (the first few hundred of a page only).
   */
  mark?(name: string, epochMs?: number): void;
  /** Set where workers can share no memory at all (the Machine then runs in relay mode). */
  readonly relayTransport?: RelayTransport;
}

/**
 * The platform's `setTimer`, never firing before `ms` have passed by its `now()`: setTimeout
 * may fire up to a millisecond early (Node's loop clock counts whole milliseconds), and a
 * timeout a program waits out in the kernel must not be short (select(…, 0.2) returns after
 * 0.2 s by the program's own clock, as on Linux).
 */
export function punctualTimer(platform: Pick<Platform, "now" | "setTimer">): (ms: number, fn: () => void) => () => void {
  return (ms, fn) => {
    const due = platform.now() + ms;
    let cancel = (): void => {};
    const arm = (wait: number): void => {
      cancel = platform.setTimer(wait, () => {
        const left = due - platform.now();
        // Once more for what is left, and a millisecond over: an early timer fires early again.
        if (left > 0) arm(Math.ceil(left) + 1);
        else fn();
      });
    };
    arm(ms);
    return () => cancel();
  };
}
