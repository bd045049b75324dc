/**
 * Socket rings: the bytes of one direction of an established TCP connection, in the
 * machine's shared heap, so a send in one worker and the recv in another meet without a
 * trip through the kernel thread (like multiprocessing's queue rings).
 *
 * ┌────────────────── socket ring (A → B), int32 words ───────────────────┐
 * │ 0 LOCK   futex mutex: 0 free, 1 held, 2 held with waiters             │
 * │ 1 HEAD   byte offset of the oldest unread byte in the data area       │
 * │ 2 USED   unread bytes (B's Recv-Q + A's Send-Q)                        │
 * │ 3 CAP    data bytes: B's SO_RCVBUF + A's SO_SNDBUF at connect time    │
 * │ 4 SEQ    bumped + notified on every push, read and kernel state change│
 * │          (senders wait on it for room, receivers for data)            │
 * │ 5 FLAGS  written by the kernel only: RX_OK = B may wait here for data │
 * │          (no FIN, RST, shutdown or error); TX_OK = A may write here   │
 * │          (ESTABLISHED/CLOSE_WAIT, no error, B not orphaned)           │
 * │ 6 WATCH  1 while some process is parked in the *kernel* on A or B     │
 * │          (select/poll/slow path): workers then post `sock_kick`       │
 * │ 7 spare │ data area (CAP bytes, wrapping)                             │
 * └───────────────────────────────────────────────────────────────────────┘
 * Whoever sees a flag cleared takes the slow path (a `sock_*` syscall), where the TCP
 * state machine decides (b"" at EOF, ECONNRESET, EPIPE…). Data already in the ring is
 * always readable directly, as on Linux. The kernel keeps states, events and refcounts;
 * a ring is freed when both endpoints are gone.
 *
 * Lock holders copy at most one chunk; a holder killed mid-copy (SIGKILL terminates the
 * worker) would leave LOCK set, so a lock held longer than STEAL_MS is taken over.
 */

import { SharedCopy } from "./shared-copy";

export const SOCK_RING = { LOCK: 0, HEAD: 1, USED: 2, CAP: 3, SEQ: 4, FLAGS: 5, WATCH: 6 } as const;
export const SOCK_RING_HEADER_BYTES = 32;
export const RX_OK = 1;
export const TX_OK = 2;
const STEAL_MS = 200;

/** Byte operations on socket rings; `canWait` is false on a thread that must not block (a page's main thread). */
export class SockRingOps {
  readonly i32: Int32Array;
  readonly u8: Uint8Array;
  private readonly copy: SharedCopy;

  constructor(
    buffer: SharedArrayBuffer | ArrayBuffer,
    private readonly canWait: boolean,
    private readonly now: () => number,
    /** Relay mode: also told of every word notified (see SharedHeap.onWake). */
    private readonly onWake: ((index: number) => void) | null = null,
  ) {
    this.i32 = new Int32Array(buffer);
    this.u8 = new Uint8Array(buffer);
    this.copy = new SharedCopy(buffer);
  }

  /** Initialises a ring at int32 index `b` (the block must be zeroed). */
  init(b: number, cap: number): void {
    Atomics.store(this.i32, b + SOCK_RING.CAP, cap);
  }

  lock(b: number): void {
    const i = this.i32;
    const w = b + SOCK_RING.LOCK;
    let c = Atomics.compareExchange(i, w, 0, 1);
    if (c === 0) return;
    for (let spin = 0; spin < 400; spin++) {
      c = Atomics.compareExchange(i, w, 0, 1);
      if (c === 0) return;
    }
    const start = this.now();
    for (;;) {
      if (this.canWait) {
        if (c !== 2) c = Atomics.exchange(i, w, 2);
        if (c === 0) return;
        Atomics.wait(i, w, 2, 5);
        c = Atomics.exchange(i, w, 2);
        if (c === 0) return;
      } else {
        c = Atomics.compareExchange(i, w, 0, 1);
        if (c === 0) return;
      }
      if (this.now() - start > STEAL_MS) {
        Atomics.store(i, w, 2); // the holder died mid-copy: take the lock over
        return;
      }
    }
  }

  unlock(b: number): void {
    if (Atomics.exchange(this.i32, b + SOCK_RING.LOCK, 0) === 2) Atomics.notify(this.i32, b + SOCK_RING.LOCK, 1);
  }

  /** Wakes everyone waiting on the ring (data, room or a state change). */
  bump(b: number): void {
    Atomics.add(this.i32, b + SOCK_RING.SEQ, 1);
    Atomics.notify(this.i32, b + SOCK_RING.SEQ);
    this.onWake?.(b + SOCK_RING.SEQ);
  }

  used(b: number): number {
    return Atomics.load(this.i32, b + SOCK_RING.USED);
  }

  cap(b: number): number {
    return this.i32[b + SOCK_RING.CAP];
  }

  flags(b: number): number {
    return Atomics.load(this.i32, b + SOCK_RING.FLAGS);
  }

  /** Appends up to `max` bytes of `src` from `from` (a latin-1 string is one byte per char); returns how many. */
  push(b: number, src: Uint8Array | string, from: number, max: number): number {
    const i = this.i32;
    this.lock(b);
    const cap = i[b + SOCK_RING.CAP];
    const used = i[b + SOCK_RING.USED];
    const n = Math.min(cap - used, src.length - from, max);
    if (n > 0) {
      const start = (b + 8) * 4;
      const at = (i[b + SOCK_RING.HEAD] + used) % cap;
      const first = Math.min(n, cap - at);
      if (typeof src === "string") {
        const u8 = this.u8;
        let k = from;
        for (let p = start + at, end = p + first; p < end; p++) u8[p] = src.charCodeAt(k++);
        for (let p = start, end = start + n - first; p < end; p++) u8[p] = src.charCodeAt(k++);
      } else {
        this.copy.toShared(start + at, src.subarray(from, from + first));
        if (first < n) this.copy.toShared(start, src.subarray(from + first, from + n));
      }
      Atomics.store(i, b + SOCK_RING.USED, used + n);
    }
    this.unlock(b);
    if (n > 0) this.bump(b);
    return n;
  }

  /** Takes (or with `peek` copies) up to `n` bytes. */
  read(b: number, n: number, peek: boolean): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.used(b)));
    return out.subarray(0, this.readInto(b, out, out.length, peek));
  }

  /** Takes (or with `peek` copies) up to `n` bytes into `dest` (e.g. a view of a Python buffer); returns how many. */
  readInto(b: number, dest: Uint8Array, n: number, peek = false): number {
    const i = this.i32;
    this.lock(b);
    const cap = i[b + SOCK_RING.CAP];
    const used = i[b + SOCK_RING.USED];
    const head = i[b + SOCK_RING.HEAD];
    const k = Math.min(n, used, dest.length);
    const start = (b + 8) * 4;
    const first = Math.min(k, cap - head);
    this.copy.fromShared(dest.subarray(0, first), start + head);
    if (first < k) this.copy.fromShared(dest.subarray(first, k), start);
    const taken = !peek && k > 0;
    if (taken) {
      i[b + SOCK_RING.HEAD] = (head + k) % cap;
      Atomics.store(i, b + SOCK_RING.USED, used - k);
    }
    this.unlock(b);
    if (taken) this.bump(b);
    return k;
  }

  /** Takes up to `n` bytes as a latin-1 string (cheap to hand to Python for small reads). */
  readText(b: number, n: number): string {
    const i = this.i32;
    this.lock(b);
    const cap = i[b + SOCK_RING.CAP];
    const used = i[b + SOCK_RING.USED];
    const head = i[b + SOCK_RING.HEAD];
    const k = Math.min(n, used);
    const start = (b + 8) * 4;
    const first = Math.min(k, cap - head);
    let s = String.fromCharCode.apply(null, this.u8.subarray(start + head, start + head + first) as unknown as number[]);
    if (first < k) s += String.fromCharCode.apply(null, this.u8.subarray(start, start + k - first) as unknown as number[]);
    if (k > 0) {
      i[b + SOCK_RING.HEAD] = (head + k) % cap;
      Atomics.store(i, b + SOCK_RING.USED, used - k);
    }
    this.unlock(b);
    if (k > 0) this.bump(b);
    return s;
  }

  /** Drops every unread byte (RST discards the receive queue). */
  clear(b: number): void {
    this.lock(b);
    this.i32[b + SOCK_RING.HEAD] = 0;
    Atomics.store(this.i32, b + SOCK_RING.USED, 0);
    this.unlock(b);
    this.bump(b);
  }

  /** Kernel only: sets FLAGS bits `mask` to `value`; wakes waiters when they changed. */
  setFlags(b: number, mask: number, value: number): void {
    const w = b + SOCK_RING.FLAGS;
    for (;;) {
      const old = Atomics.load(this.i32, w);
      const next = (old & ~mask) | (value & mask);
      if (old === next) return;
      if (Atomics.compareExchange(this.i32, w, old, next) === old) break;
    }
    this.bump(b);
  }

  setWatch(b: number, on: boolean): void {
    Atomics.store(this.i32, b + SOCK_RING.WATCH, on ? 1 : 0);
  }

  watched(b: number): boolean {
    return Atomics.load(this.i32, b + SOCK_RING.WATCH) !== 0;
  }
}

/** A receive queue: the kernel's ByteQueue, or a socket ring shared with the workers. */
export interface RxBuffer {
  readonly length: number;
  /** Bytes that still fit (Infinity when only the socket buffer sizes limit it). */
  readonly space: number;
  push(data: Uint8Array): void;
  read(n: number, peek?: boolean): Uint8Array;
  clear(): void;
}

/** The kernel's handle on one socket ring (a TCP direction writer → reader). */
export class RingRx implements RxBuffer {
  freed = false;
  /** Last `length` reported as net.bytes (the sampler reports changes). */
  reported = 0;

  constructor(
    private readonly ops: SockRingOps,
    /** int32 index of the header. */
    readonly base: number,
    /** Byte size of the heap block (header + data). */
    readonly bytes: number,
    readonly writer: number,
    readonly reader: number,
  ) {}

  get length(): number {
    return this.freed ? 0 : this.ops.used(this.base);
  }

  get space(): number {
    return this.freed ? 0 : this.ops.cap(this.base) - this.ops.used(this.base);
  }

  push(data: Uint8Array): void {
    let at = 0;
    while (at < data.length) {
      const n = this.ops.push(this.base, data, at, data.length - at);
      if (n === 0) throw new Error("socket ring overflow"); // callers check `space` first
      at += n;
    }
  }

  read(n: number, peek = false): Uint8Array {
    return this.ops.read(this.base, n, peek);
  }

  clear(): void {
    if (!this.freed) this.ops.clear(this.base);
  }
}
