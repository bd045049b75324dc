/**
 * The kernel event stream: every process state change and every blocking call, stamped
 * with the kernel clock (ms). The live process panel and the scheduler view replay it.
 */
import type { DeadlockReport } from "./deadlock";
import type { NetEvent } from "./net/types";
import type { ProcessState } from "./process-table";

/** What a blocked process waits on. `socket` is used by lib/kernel/net. */
export type BlockOn = "lock" | "queue" | "join" | "sleep" | "socket" | "input" | "pipe" | "event" | "barrier";

export type UnblockReason = "ready" | "timeout" | "interrupted" | "killed";

export type KernelEvent =
  | { type: "spawn"; t: number; pid: number; ppid: number; name: string; daemon: boolean }
  | { type: "state"; t: number; pid: number; state: ProcessState }
  | { type: "rename"; t: number; pid: number; name: string }
  | { type: "block"; t: number; pid: number; on: BlockOn; object: string; timeoutMs: number | null }
  | { type: "unblock"; t: number; pid: number; on: BlockOn; reason: UnblockReason }
  | { type: "signal"; t: number; pid: number; signal: number; from: number }
  | { type: "exit"; t: number; pid: number; exitCode: number }
  | { type: "reparent"; t: number; pid: number; from: number; to: number }
  | { type: "reap"; t: number; pid: number; by: number; exitCode: number }
  // Every live process of the program started as `pid` waits forever (lib/kernel/deadlock.ts).
  | { type: "deadlock"; t: number; pid: number; report: DeadlockReport }
  // Connection states and bytes in flight from lib/kernel/net (`net.state`, `net.bytes`).
  | (NetEvent & { t: number });

/** `KernelEvent` without its timestamp: what subsystems emit. */
export type KernelEventInput = KernelEvent extends infer E ? (E extends { t: number } ? Omit<E, "t"> : never) : never;

export type Listener<T> = (value: T) => void;

/** A minimal synchronous emitter; listeners must not throw (errors are swallowed so one bad panel cannot stop the kernel). */
export class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();

  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(value: T): void {
    for (const l of this.listeners) {
      try {
        l(value);
      } catch {
        // A failing observer must not break the kernel.
      }
    }
  }

  clear(): void {
    this.listeners.clear();
  }
}
