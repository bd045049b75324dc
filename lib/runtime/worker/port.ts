/** What a process worker needs from its host thread: the Node and browser entries each pass one. */
import type { loadPyodide as LoadPyodide } from "pyodide";
import type { HostToWorker, WorkerToHost } from "../protocol";
import type { WorkerSeam } from "../seam";

export interface WorkerPort {
  post(msg: WorkerToHost, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (msg: HostToWorker) => void): void;
  /** Imports Pyodide's loader (Node: from node_modules; browser: from /pyodide/ at runtime). */
  importPyodide(indexURL: string): Promise<typeof LoadPyodide>;
  now(): number;
  /**
   * Runs a full garbage collection where the host allows it (Node); the browser collects on its
   * own. `compact`: also compact the whole old generation (end of boot: the pool's worker has
   * time for it, and most of what it will ever hold is in place).
   */
  collectGarbage?(compact?: boolean): void;
  /**
   * The worker side of the seam (../seam.ts) for a worker booted with control block `ctl`.
   * Absent: the control block (`CtlWorkerSeam`, Node). A browser without SharedArrayBuffer
   * gives its own (a synchronous request the service worker holds).
   */
  seam?(ctl: SharedArrayBuffer): WorkerSeam;
  /** Strips the global scope of outside authority (./lockdown.ts): called once boot no longer needs it, before any user code runs. */
  lockdown?(): void;
}
