/**
 * Queue rings: multiprocessing.Queue in the shared heap, so put → get goes straight from
 * one worker to another (one thread hand-off per direction, like CPython's pipe) instead
 * of through the kernel thread. Layout and protocol: banner in lib/kernel/shared-heap.ts.
 * LOCK-FREE HAZARD: every header field is read and written only while holding LOCK, except
 * the words waited on (COUNT, SPACE, UNFINISHED), which are re-checked under LOCK after a wake.
 */
import { RING, RING_HEADER_BYTES } from "@/lib/kernel";

export type WaitResult = "woken" | "timeout" | "interrupted";

/**
 * Waits shorter than this are not reported to the kernel's event stream: in a fast
 * producer/consumer they would be thousands of messages a second, each stealing the
 * kernel thread's CPU from the workers, for blocks no one can see on a panel.
 */
export const QUIET_MS = 1;

export interface RingWaiting {
  now(): number;
  /** Waits while i32[index] === value, until `deadline` (Infinity = forever); interruptible by SIGINT. */
  wait(i32: Int32Array, index: number, value: number, deadline: number): WaitResult;
  note(on: "queue", object: string, timeoutMs: number | null): void;
  unnote(on: "queue", reason: "ready" | "timeout" | "interrupted"): void;
}

/** put: 1 done, 0 full (non-blocking or timed out), −1 interrupted, −2 item too big for the ring. */
export type PutResult = 1 | 0 | -1 | -2;
/** get: 1 bytes (see `lastBytes`), 2 blob reference (see `lastBlob`), 0 empty, −1 interrupted. */
export type GetResult = 2 | 1 | 0 | -1;

export class Rings {
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  lastBytes: Uint8Array | null = null;
  lastBlob = 0;

  constructor(
    heap: SharedArrayBuffer,
    private readonly waiting: RingWaiting,
  ) {
    this.i32 = new Int32Array(heap);
    this.u8 = new Uint8Array(heap);
  }

  private lock(b: number): void {
    for (let spins = 0; ; spins++) {
      if (Atomics.compareExchange(this.i32, b + RING.LOCK, 0, 1) === 0) return;
      // Critical sections are a few copies long: spin, then yield for a millisecond.
      if (spins > 200) Atomics.wait(this.i32, b + RING.LOCK, 1, 1);
    }
  }

  private unlock(b: number): void {
    Atomics.store(this.i32, b + RING.LOCK, 0);
    Atomics.notify(this.i32, b + RING.LOCK, 1);
  }

  private dataStart(b: number): number {
    return b * 4 + RING_HEADER_BYTES;
  }

  private copyIn(b: number, at: number, src: Uint8Array): void {
    const cap = this.i32[b + RING.CAP];
    const start = this.dataStart(b);
    const first = Math.min(src.length, cap - at);
    this.u8.set(src.subarray(0, first), start + at);
    if (first < src.length) this.u8.set(src.subarray(first), start);
  }

  private copyOut(b: number, at: number, n: number): Uint8Array {
    const cap = this.i32[b + RING.CAP];
    const start = this.dataStart(b);
    const out = new Uint8Array(n);
    const first = Math.min(n, cap - at);
    out.set(this.u8.subarray(start + at, start + at + first));
    if (first < n) out.set(this.u8.subarray(start, start + n - first), first);
    return out;
  }

  private static header(len: number): Uint8Array {
    const h = new Uint8Array(4);
    new DataView(h.buffer).setInt32(0, len, true);
    return h;
  }

  /** Puts `data`, or a reference to kernel blob `blob` when data is null. */
  put(b: number, data: Uint8Array | null, blob: number, block: boolean, timeoutMs: number, label: string): PutResult {
    const i = this.i32;
    const size = data ? data.length : 0;
    const need = 4 + size;
    if (need > i[b + RING.CAP]) return -2;
    const deadline = timeoutMs < 0 ? Infinity : this.waiting.now() + timeoutMs;
    let noted = false;
    let waitStart: number | undefined;
    let result: PutResult = 0;
    for (;;) {
      this.lock(b);
      const cap = i[b + RING.CAP];
      const maxsize = i[b + RING.MAXSIZE];
      const full = (maxsize > 0 && i[b + RING.COUNT] >= maxsize) || cap - i[b + RING.USED] < need;
      if (!full) {
        const tail = i[b + RING.TAIL];
        this.copyIn(b, tail, Rings.header(data ? size : -blob));
        if (data) this.copyIn(b, (tail + 4) % cap, data);
        i[b + RING.TAIL] = (tail + need) % cap;
        i[b + RING.USED] += need;
        i[b + RING.UNFINISHED] += 1;
        Atomics.add(i, b + RING.COUNT, 1);
        const getters = i[b + RING.GETTERS];
        this.unlock(b);
        if (getters > 0) Atomics.notify(i, b + RING.COUNT, 1);
        result = 1;
        break;
      }
      const seq = i[b + RING.SPACE];
      if (block) i[b + RING.PUTTERS] += 1;
      this.unlock(b);
      if (!block || this.waiting.now() >= deadline) break;
      waitStart ??= this.waiting.now();
      if (!noted && this.waiting.now() - waitStart >= QUIET_MS) {
        this.waiting.note("queue", label, timeoutMs < 0 ? null : timeoutMs);
        noted = true;
      }
      const r = this.waiting.wait(i, b + RING.SPACE, seq, noted ? deadline : Math.min(deadline, waitStart + QUIET_MS));
      this.lock(b);
      i[b + RING.PUTTERS] -= 1;
      this.unlock(b);
      if (r === "interrupted") {
        result = -1;
        break;
      }
    }
    if (noted) this.waiting.unnote("queue", result === 1 ? "ready" : result === -1 ? "interrupted" : "timeout");
    return result;
  }

  get(b: number, block: boolean, timeoutMs: number, label: string): GetResult {
    const i = this.i32;
    const deadline = timeoutMs < 0 ? Infinity : this.waiting.now() + timeoutMs;
    let noted = false;
    let waitStart: number | undefined;
    let result: GetResult = 0;
    for (;;) {
      this.lock(b);
      if (i[b + RING.COUNT] > 0) {
        const cap = i[b + RING.CAP];
        const head = i[b + RING.HEAD];
        const len = new DataView(this.copyOut(b, head, 4).buffer).getInt32(0, true);
        const size = len >= 0 ? len : 0;
        if (len >= 0) {
          this.lastBytes = this.copyOut(b, (head + 4) % cap, size);
          result = 1;
        } else {
          this.lastBlob = -len;
          result = 2;
        }
        i[b + RING.HEAD] = (head + 4 + size) % cap;
        i[b + RING.USED] -= 4 + size;
        Atomics.sub(i, b + RING.COUNT, 1);
        Atomics.add(i, b + RING.SPACE, 1);
        const putters = i[b + RING.PUTTERS];
        this.unlock(b);
        if (putters > 0) Atomics.notify(i, b + RING.SPACE);
        break;
      }
      if (block) i[b + RING.GETTERS] += 1;
      this.unlock(b);
      if (!block || this.waiting.now() >= deadline) break;
      waitStart ??= this.waiting.now();
      if (!noted && this.waiting.now() - waitStart >= QUIET_MS) {
        this.waiting.note("queue", label, timeoutMs < 0 ? null : timeoutMs);
        noted = true;
      }
      const r = this.waiting.wait(i, b + RING.COUNT, 0, noted ? deadline : Math.min(deadline, waitStart + QUIET_MS));
      this.lock(b);
      i[b + RING.GETTERS] -= 1;
      this.unlock(b);
      if (r === "interrupted") {
        result = -1;
        break;
      }
    }
    if (noted) this.waiting.unnote("queue", result > 0 ? "ready" : result === -1 ? "interrupted" : "timeout");
    return result;
  }

  size(b: number): number {
    return Atomics.load(this.i32, b + RING.COUNT);
  }

  /** JoinableQueue.task_done: 0 ok, −1 called too many times. */
  taskDone(b: number): number {
    const i = this.i32;
    this.lock(b);
    const left = i[b + RING.UNFINISHED];
    if (left <= 0) {
      this.unlock(b);
      return -1;
    }
    i[b + RING.UNFINISHED] = left - 1;
    this.unlock(b);
    if (left === 1) Atomics.notify(i, b + RING.UNFINISHED);
    return 0;
  }

  /** JoinableQueue.join: 0 when every item is done, −1 interrupted. */
  join(b: number, label: string): number {
    const i = this.i32;
    let noted = false;
    let result = 0;
    for (;;) {
      const left = Atomics.load(i, b + RING.UNFINISHED);
      if (left === 0) break;
      if (!noted) {
        this.waiting.note("queue", label, null);
        noted = true;
      }
      if (this.waiting.wait(i, b + RING.UNFINISHED, left, Infinity) === "interrupted") {
        result = -1;
        break;
      }
    }
    if (noted) this.waiting.unnote("queue", result === 0 ? "ready" : "interrupted");
    return result;
  }
}
