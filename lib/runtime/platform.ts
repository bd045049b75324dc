/** What a host (Node, browser) provides to the Machine: workers, clock, timers, snapshot cache. */
import type { HostToWorker, PythonSources } from "./protocol";
import type { HostSeam } from "./seam";

export interface WorkerHandle {
  post(msg: HostToWorker, transfer?: ArrayBuffer[]): void;
  /** `msg` is whatever the worker posted: untrusted until checkWorkerMessage (validate.ts) accepts it. */
  onMessage(handler: (msg: unknown) => void): void;
  onError(handler: (message: string) => void): void;
  terminate(): void;
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
  saveSnapshot(bytes: Uint8Array): Promise<void>;
  /** Compiles pyodide.asm.wasm once for all workers (null: each worker compiles its own). */
  compileWasm(): Promise<WebAssembly.Module | null>;
  /** python_stdlib.zip, ideally read straight into a SharedArrayBuffer (null: each worker keeps its own copy). */
  loadStdlib(): Promise<Uint8Array | null>;
  /**
   * The host side of the seam for `worker` (../seam.ts), whose control block is `ctl`. Absent:
   * the control block (`CtlHostSeam`, Node). A browser without SharedArrayBuffer gives its own.
   */
  hostSeam?(worker: WorkerHandle, ctl: SharedArrayBuffer): HostSeam;
}
