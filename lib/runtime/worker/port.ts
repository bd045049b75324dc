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
  /** When this worker's script began to run (ms since the epoch): the first of its boot phases. */
  readonly scriptStart?: number;
  /**
   * Runs a full garbage collection where the host allows it (Node); the browser collects on its
   * own. `compact`: also compact the whole old generation (end of boot: the pool's worker has
   * time for it, and most of what it will ever hold is in place).
   */
  collectGarbage?(compact?: boolean): void;
  /**
   * Where nothing is shared with the host, not even the control block (a browser without
   * SharedArrayBuffer): the seam that carries this worker's blocking requests on `channel`
   * (./relay-xhr.ts). Absent: the control block.
   */
  relaySeam?(channel: string): WorkerSeam;
  /** Strips the global scope of outside authority (./lockdown.ts): called once boot no longer needs it, before any user code runs. */
  lockdown?(): void;
}
