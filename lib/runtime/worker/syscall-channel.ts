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

export class SyscallChannel {
  /** The last blocking syscall's reply: its JSON body (a KernelErrorData when it failed) and raw bytes. */
  replyJson = "null";
  replyBytes: Uint8Array | null = null;

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
    const start = this.port.now();
    const parking = this.parking;
    // Items still in the Queue feeder's backlog keep flowing while this process is parked
    // (CPython's feeder is a thread): wake every FEED_MS to move them into the pipe.
    const parked: Parked = {
      interval: () => (parking.feeding() ? FEED_MS : IDLE_GC_MS),
      tick: () => (parking.feeding() ? parking.pump() : idle ? parking.collectIfIdle(start) : undefined),
    };
    const a = this.seam.call({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: true }, parked);
    this.replyJson = a.json;
    this.replyBytes = a.bytes;
    return a.ok ? 1 : 0;
  }

  /** A syscall without a reply (the process does not wait). */
  post(name: string, argsJson: string, bytes: Uint8Array | null): void {
    this.port.post({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: false });
  }

  /** Tells the kernel this process blocks on `object` (its event stream and panel show it). */
  note(on: string, object: string, timeoutMs: number | null): void {
    this.post("note_block", JSON.stringify({ on, object, timeoutMs }), null);
  }

  unnote(on: string, reason: string): void {
    this.post("note_unblock", JSON.stringify({ on, reason }), null);
  }
}
