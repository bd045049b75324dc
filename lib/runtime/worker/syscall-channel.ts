/**
 * The worker's side of the syscall channel (layout and ordering: banner in ../protocol.ts).
 * A blocking syscall posts its request and parks in Atomics.wait on the control block until
 * the host writes the reply there; fire-and-forget ones (`post`) are plain messages.
 */
import type { JsonObject } from "@/lib/kernel";
import { CTL, CTL_DATA_OFFSET } from "../protocol";
import { FEED_MS } from "./ring";
import type { WorkerPort } from "./port";
import { IDLE_GC_MS, type Parking } from "./waits";

const decoder = new TextDecoder();

export class SyscallChannel {
  private readonly ctl: Int32Array;
  private readonly block: Uint8Array;
  /** The last blocking syscall's reply: its JSON body (a KernelErrorData when it failed) and raw bytes. */
  replyJson = "null";
  replyBytes: Uint8Array | null = null;

  constructor(
    private readonly port: WorkerPort,
    ctl: SharedArrayBuffer,
    private readonly parking: Parking,
  ) {
    this.ctl = new Int32Array(ctl);
    this.block = new Uint8Array(ctl);
  }

  /** A blocking syscall: post it, park until the host writes the reply. Returns 1 ok / 0 error (JSON body in replyJson). */
  call(name: string, argsJson: string, bytes: Uint8Array | null): number {
    const c = this.ctl;
    const start = this.port.now();
    Atomics.store(c, CTL.STATE, 0);
    this.port.post({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: true });
    while (Atomics.load(c, CTL.STATE) === 0) {
      // Items still in the Queue feeder's backlog keep flowing while this process is parked
      // (CPython's feeder is a thread): wake every FEED_MS to move them into the pipe.
      if (this.parking.feeding()) {
        Atomics.wait(c, CTL.STATE, 0, FEED_MS);
        this.parking.pump();
      } else if (Atomics.wait(c, CTL.STATE, 0, IDLE_GC_MS) === "timed-out") this.parking.collectIfIdle(start);
    }
    const jsonLen = Atomics.load(c, CTL.JSON_LEN);
    const bytesLen = Atomics.load(c, CTL.BYTES_LEN);
    const total = jsonLen + Math.max(bytesLen, 0);
    const block = this.block;
    const data = total > block.length - CTL_DATA_OFFSET ? this.replyInChunks(total) : block.subarray(CTL_DATA_OFFSET);
    // TextDecoder refuses views on shared memory: copy out first.
    this.replyJson = decoder.decode(data.slice(0, jsonLen));
    this.replyBytes = bytesLen < 0 ? null : data.slice(jsonLen, total);
    return Atomics.load(c, CTL.OK);
  }

  /** A reply bigger than the control block: copy each chunk out and ask for the next (see ../protocol.ts). */
  private replyInChunks(total: number): Uint8Array {
    const { ctl: c, block } = this;
    const out = new Uint8Array(total);
    const room = block.length - CTL_DATA_OFFSET;
    for (let got = 0; ; ) {
      const n = Math.min(room, total - got);
      out.set(block.subarray(CTL_DATA_OFFSET, CTL_DATA_OFFSET + n), got);
      got += n;
      if (got === total) return out;
      Atomics.store(c, CTL.STATE, 0);
      this.port.post({ type: "reply_more" });
      while (Atomics.load(c, CTL.STATE) === 0) Atomics.wait(c, CTL.STATE, 0);
    }
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
