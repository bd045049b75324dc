/**
 * Blocking in the kernel. A syscall that cannot complete yet parks a `Waiter` on a
 * `WaitQueue` (one per object: a queue's getters, a pid's joiners, a socket's readers…).
 * Whoever makes the object ready calls `wakeOne`/`wakeAll`; each waiter's `retry` re-runs
 * the syscall's check and either completes it or stays parked. Timeouts, SIGINT and
 * kill cancel a waiter through the kernel, which owns at most one waiter per process.
 *
 * lib/kernel/net plugs in the same way: park on a WaitQueue, wake it from the
 * readiness callback.
 */
import type { BlockOn } from "./events";

export interface Waiter {
  readonly pid: number;
  readonly on: BlockOn;
  /** Re-checks the condition; returns true when the waiter completed (and must leave the queue). */
  retry(): boolean;
}

export class WaitQueue {
  private readonly waiters: Waiter[] = [];

  add(w: Waiter): void {
    this.waiters.push(w);
  }

  remove(w: Waiter): void {
    const i = this.waiters.indexOf(w);
    if (i >= 0) this.waiters.splice(i, 1);
  }

  get size(): number {
    return this.waiters.length;
  }

  /** Wakes waiters in FIFO order until one completes. */
  wakeOne(): void {
    for (const w of [...this.waiters]) {
      if (w.retry()) {
        this.remove(w);
        return;
      }
    }
  }

  /** Lets every waiter re-check (e.g. a pipe's writer closed: all readers see EOF). */
  wakeAll(): void {
    for (const w of [...this.waiters]) {
      if (w.retry()) this.remove(w);
    }
  }
}

/** The wait queue for `key` in `queues`, made on first use (a pid's, a socket's, a file's). */
export function queueIn<K>(queues: Map<K, WaitQueue>, key: K): WaitQueue {
  let q = queues.get(key);
  if (!q) {
    q = new WaitQueue();
    queues.set(key, q);
  }
  return q;
}
