/**
 * The worker's side of the syscall channel. A blocking syscall posts its request and blocks in
 * the seam (../seam.ts: on Node, Atomics.wait on the control block, layout in ../protocol.ts)
 * until the host answers; fire-and-forget ones (`post`) are plain messages.
 */
import type { JsonObject } from "@/lib/kernel";
import type { Parked, WorkerSeam } from "../seam";
import { FEED_MS } from "./ring";
import type { WorkerPort } from "./port";
import { IDLE_GC_MS, type Parking } from "./waits";

/** One syscall as a checkpoint keeps it (./checkpoint.ts): the request and, for a blocking one, its answer. */
export interface LoggedCall {
  readonly name: string;
  readonly argsJson: string;
  readonly bytes: Uint8Array | null;
  /** Null for a syscall without a reply (`post`). */
  readonly answer: { readonly ok: number; readonly json: string; readonly bytes: Uint8Array | null } | null;
}

export class SyscallChannel {
  /** The last blocking syscall's reply: its JSON body (a KernelErrorData when it failed) and raw bytes. */
  replyJson = "null";
  replyBytes: Uint8Array | null = null;
  /** When set, every syscall is appended here (a checkpoint's prefix, ./checkpoint.ts). */
  log: LoggedCall[] | null = null;
  /**
   * Syscalls the kernel already had (and answered) for this process: the next calls and posts
   * must be these, in order, and are answered from here instead of reaching the host again.
   * A checkpoint whose prefix turned out different falls back on running it (./checkpoint.ts).
   */
  private answered: LoggedCall[] = [];
  /** Runs before every call and post (`name`) reaches the host (a controlled process reports the points it took on its own: ./sched-gate.ts). */
  beforeSend: ((name: string) => void) | null = null;

  constructor(
    private readonly port: WorkerPort,
    readonly seam: WorkerSeam,
    private readonly parking: Parking,
  ) {}

  /**
   * A blocking syscall: post it, block until the host answers. Returns 1 ok / 0 error (JSON body in replyJson).
   * `idle: false` for a wait that is not the program's (a controlled process waiting for its
   * turn): no garbage collection while it lasts.
   */
  call(name: string, argsJson: string, bytes: Uint8Array | null, idle = true): number {
    this.beforeSend?.(name);
    const given = this.fromAnswered(name, argsJson, true);
    if (given?.answer) {
      this.replyJson = given.answer.json;
      this.replyBytes = given.answer.bytes;
      this.log?.push(given);
      return given.answer.ok;
    }
    const start = this.port.now();
    const parking = this.parking;
    const args = JSON.parse(argsJson) as JsonObject;
    // A timed wait (waitpid, pipe_poll… take `timeoutMs`) ends then: no collection near it.
    const deadline = typeof args.timeoutMs === "number" ? start + args.timeoutMs : Infinity;
    // Items still in the Queue feeder's backlog keep flowing while this process is parked
    // (CPython's feeder is a thread): wake every FEED_MS to move them into the pipe.
    const parked: Parked = {
      interval: () => (parking.feeding() ? FEED_MS : IDLE_GC_MS),
      tick: () => (parking.feeding() ? parking.pump() : idle ? parking.collectIfIdle(start, 0, deadline) : undefined),
    };
    const a = this.seam.call({ type: "syscall", name, args, bytes, reply: true }, parked);
    this.replyJson = a.json;
    this.replyBytes = a.bytes;
    const ok = a.ok ? 1 : 0;
    this.log?.push({ name, argsJson, bytes: bytes && bytes.slice(), answer: { ok, json: a.json, bytes: a.bytes && a.bytes.slice() } });
    return ok;
  }

  /** A syscall without a reply (the process does not wait). */
  post(name: string, argsJson: string, bytes: Uint8Array | null): void {
    this.beforeSend?.(name);
    const given = this.fromAnswered(name, argsJson, false);
    this.log?.push(given ?? { name, argsJson, bytes: bytes && bytes.slice(), answer: null });
    if (given) return;
    this.port.post({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: false });
  }

  /** The kernel already had these syscalls of this process (see `answered`). */
  answerFrom(calls: readonly LoggedCall[]): void {
    this.answered = [...calls];
  }

  private fromAnswered(name: string, argsJson: string, reply: boolean): LoggedCall | null {
    const next = this.answered.shift();
    if (!next) return null;
    if (next.name !== name || next.argsJson !== argsJson || (next.answer !== null) !== reply) {
      throw new Error(`a checkpoint's prefix ran differently: ${name} ${argsJson} where ${next.name} ${next.argsJson} was`);
    }
    return next;
  }

  /** Tells the kernel this process blocks on `object` (its event stream and panel show it). */
  note(on: string, object: string, timeoutMs: number | null): void {
    this.post("note_block", JSON.stringify({ on, object, timeoutMs }), null);
  }

  unnote(on: string, reason: string): void {
    this.post("note_unblock", JSON.stringify({ on, reason }), null);
  }
}
