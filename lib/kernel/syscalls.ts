/**
 * Syscall dispatch, extensible by subsystem.
 *
 * A subsystem registers named handlers with `kernel.syscalls.register("net", {...})`.
 * A handler either returns a result at once, or `{ block }` describing what to wait on;
 * the kernel then parks the caller (one pending call per process), re-runs `check` each
 * time the named WaitQueue is woken, and answers with `onTimeout` when the timeout fires.
 * A caught signal cancels a parked call with EINTR (the worker runs the handler and calls
 * again); a signal that ends the process drops it.
 */
import type { BlockOn } from "./events";
import { Errno, KernelError, type KernelErrorData } from "./errors";
import type { WaitQueue } from "./wait-queue";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** What a finished syscall hands back: a JSON value plus optional raw bytes (pickles, file data). */
export interface SyscallResult {
  readonly value: JsonValue;
  readonly bytes?: Uint8Array | null;
}

/** The reply written back to the calling worker. */
export type SyscallReply =
  | { readonly ok: true; readonly value: JsonValue; readonly bytes: Uint8Array | null }
  | { readonly ok: false; readonly error: KernelErrorData };

export interface BlockSpec {
  readonly on: BlockOn;
  /** Human-readable object name for the event stream, e.g. `queue#3`. */
  readonly object: string;
  /** null = wait forever. */
  readonly timeoutMs: number | null;
  readonly queues: readonly WaitQueue[];
  /** Re-checks after a wake-up: a result completes the call, undefined keeps waiting, a thrown KernelError fails it. */
  check(): SyscallResult | undefined;
  /** The answer when the timeout expires (a result, or a KernelError such as queue.Empty). */
  onTimeout(): SyscallResult | KernelError;
}

/** The subsystem answers later itself (`Kernel.answer`): controlled mode's scheduling points. */
export const DEFERRED = { deferred: true } as const;

export type SyscallOutcome = SyscallResult | { readonly block: BlockSpec } | typeof DEFERRED;

export interface SyscallCall {
  readonly pid: number;
  readonly args: JsonObject;
  readonly bytes: Uint8Array | null;
}

export type SyscallHandler = (call: SyscallCall) => SyscallOutcome;

export function isBlock(o: SyscallOutcome): o is { readonly block: BlockSpec } {
  return "block" in o;
}

export function isDeferred(o: SyscallOutcome): o is typeof DEFERRED {
  return o === DEFERRED;
}

export class SyscallRegistry {
  private readonly handlers = new Map<string, { subsystem: string; handler: SyscallHandler }>();

  /** Registers `handlers` under `subsystem`; a name may be registered once. */
  register(subsystem: string, handlers: Readonly<Record<string, SyscallHandler>>): void {
    for (const [name, handler] of Object.entries(handlers)) {
      const existing = this.handlers.get(name);
      if (existing) throw new Error(`syscall ${name} already registered by ${existing.subsystem}`);
      this.handlers.set(name, { subsystem, handler });
    }
  }

  get(name: string): SyscallHandler {
    const h = this.handlers.get(name);
    if (!h) throw KernelError.os("ENOSYS");
    return h.handler;
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }
}

// Argument readers: a malformed call is a runtime bug, reported as EINVAL rather than crashing the kernel.
export function argInt(args: JsonObject, key: string): number {
  const v = args[key];
  if (typeof v !== "number" || !Number.isInteger(v)) throw new KernelError("OSError", Errno.EINVAL, `bad argument ${key}`);
  return v;
}
export function argNum(args: JsonObject, key: string): number {
  const v = args[key];
  if (typeof v !== "number") throw new KernelError("OSError", Errno.EINVAL, `bad argument ${key}`);
  return v;
}
export function argStr(args: JsonObject, key: string): string {
  const v = args[key];
  if (typeof v !== "string") throw new KernelError("OSError", Errno.EINVAL, `bad argument ${key}`);
  return v;
}
export function argBool(args: JsonObject, key: string): boolean {
  return args[key] === true;
}
/** A timeout in ms, or null (block forever). */
export function argTimeout(args: JsonObject, key = "timeoutMs"): number | null {
  const v = args[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== "number") throw new KernelError("OSError", Errno.EINVAL, `bad argument ${key}`);
  return Math.max(0, v);
}
export function argInts(args: JsonObject, key: string): number[] {
  const v = args[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number")) throw new KernelError("OSError", Errno.EINVAL, `bad argument ${key}`);
  return v as number[];
}
