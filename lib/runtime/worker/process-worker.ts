/**
 * The code of one process worker, shared by the Node and browser entries (each passes a
 * tiny `WorkerPort`). Lifecycle: maybe `prepare` (Pyodide begins to load before the host has
 * the snapshot and the compiled module), `boot` (Pyodide from a snapshot, runtime modules imported:
 * the worker then waits in the pool) → `start` (becomes pid N, runs Python to the end,
 * posts the `exit` syscall) → either ended by the host, or, when its process ended by itself,
 * restored in place to its end-of-boot state and `ready` again for the next `start`
 * (./recycle.ts). One process at a time.
 *
 * Everything Python needs from outside goes through the `_spawnpoint_js` module (./ffi.ts):
 * blocking syscalls park in Atomics.wait on the control block (./syscall-channel.ts, layout
 * in ../protocol.ts), locks, sleeps and queues wait on the shared heap (./waits.ts), and the
 * worker's files follow the kernel's shared fs (./fs-mirror.ts).
 */
import { boot, prepare, startProcess, type Booted, type Prepared } from "./boot";
import { createFfi } from "./ffi";
import type { WorkerPort } from "./port";

export type { WorkerPort } from "./port";

export function runProcessWorker(port: WorkerPort): void {
  // A cold-pool start may arrive while boot is still loading Pyodide: run it after.
  let booted: Promise<Booted | null> = Promise.resolve(null);
  let prepared: Prepared | null = null;
  port.onMessage((msg) => {
    if (msg.type === "prepare") {
      prepared ??= prepare(port, msg);
    } else if (msg.type === "boot") {
      booted = boot(port, msg, createFfi, prepared).catch((e: unknown) => {
        port.post({ type: "fatal", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
        return null;
      });
    } else {
      void booted.then((b) => b && startProcess(b, msg));
    }
  });
}
