/**
 * SIGKILL of a process whose worker is parked in a wait (a sleep, a lock, a queue, a blocking
 * syscall such as join or input). Around every such Atomics.wait the worker holds its PARKED
 * word at 1. The host, killing the process, swaps it from 1 to 2 and wakes the worker; the
 * worker sees the 2 as it wakes and throws `Killed`, which Pyodide lets through every Python
 * frame (it is marked fatal), so not one more line of the program runs. The worker then
 * restores its end-of-boot state and is ready for the next process, as after an exit, instead
 * of being ended and a new one booted (a boot costs a core 0.2–1 s, most in WebKit).
 *
 * A process that is running when it is killed (the swap finds 0) has its worker ended at once,
 * as before: only a parked one can be stopped exactly where it stands.
 */
import { CTL } from "../protocol";

/** Thrown by a wait whose process was killed; Pyodide's error handling passes it through (pyodide_fatal_error). */
export class Killed extends Error {
  readonly pyodide_fatal_error = true;
  constructor() {
    super("the process was killed while it waited");
  }
}

/** Set when a wait threw Killed: the Python call it unwound returns nothing, and the worker checks this. */
export const kill = { pending: false };

/**
 * Runs `f` as a stretch the process's SIGKILL may end: JS that runs no Python and writes no
 * shared memory (a wait, a parked process's garbage collection). Throws Killed after it if the
 * kill came meanwhile.
 */
export function killable<T>(ctl: Int32Array, f: () => T): T {
  Atomics.store(ctl, CTL.PARKED, 1);
  const result = f();
  if (Atomics.compareExchange(ctl, CTL.PARKED, 1, 0) !== 1) {
    kill.pending = true;
    throw new Killed();
  }
  return result;
}

/** Atomics.wait(i32, index, value, timeout) that the process's SIGKILL ends by throwing Killed. */
export function parkedWait(ctl: Int32Array, i32: Int32Array, index: number, value: number, timeout?: number): "ok" | "not-equal" | "timed-out" {
  return killable(ctl, () => Atomics.wait(i32, index, value, timeout));
}
