/**
 * The shared heap: one SharedArrayBuffer mapped into every worker at boot.
 *
 * ┌──────────────────────── shared heap (bytes) ────────────────────────┐
 * │ semaphores: 4 × int32 each, 8-aligned                                │
 * │   word 0  value   current count (Lock: 1 free / 0 held)              │
 * │   word 1  waiters processes parked in Atomics.wait on word 0         │
 * │   word 2  holder  pid of the last acquirer; a Lock/RLock (maxvalue 1)│
 * │                   clears it before it releases (deadlock diagnosis)  │
 * │   word 3  unused                                                     │
 * │ shared ctypes (Value/Array): raw bytes, 8-aligned                    │
 * │ queue rings (multiprocessing.Queue): 64-byte header + data ring      │
 * │   int32 0 LOCK  1 COUNT  2 HEAD  3 TAIL  4 USED  5 CAP  6 MAXSIZE    │
 * │         7 GETTERS  8 PUTTERS  9 SPACE (bumped per get)  10 UNFINISHED│
 * │         11 PIPE (bytes CPython's pipe would hold)  12 PENDING (items │
 * │         put but still in a process's feeder backlog)  13 PUTS        │
 * │         (bumped per put and per close)  14 CLOSED (a Pipe's ring:    │
 * │         writer gone = EOF once empty, reader gone = EPIPE)           │
 * │   records: int32 length then the pickled bytes, or int32 −blob id    │
 * │   and int32 blob length,                                             │
 * │   wrapping around the CAP-byte data area; guarded by LOCK (a tiny    │
 * │   futex mutex); getters wait on PUTS, putters on SPACE.              │
 * │ socket rings (one per TCP direction): layout in                      │
 * │   lib/kernel/net/sock-ring.ts; the only blocks that are freed again  │
 * └──────────────────────────────────────────────────────────────────────┘
 * Lock-free protocol (runtime worker code does the atomics, see lib/runtime/worker):
 * acquire = CAS value→value−1 when > 0, else waiters++ and Atomics.wait(value, 0) in
 * slices; release = CAS value→value+1 (ValueError at maxvalue), then notify one if
 * waiters > 0. The kernel only allocates; it never takes these locks, so a process killed
 * while holding a Lock leaves it held, as on a real OS.
 */
import { KernelError } from "./errors";

/** int32 slots of a queue ring's header. */
/** Whether `buffer` is shared memory. Safe where SharedArrayBuffer does not exist (a browser without it: compatibility mode). */
export function isSharedBuffer(buffer: ArrayBufferLike): boolean {
  return typeof SharedArrayBuffer === "function" && buffer instanceof SharedArrayBuffer;
}

export const RING = { LOCK: 0, COUNT: 1, HEAD: 2, TAIL: 3, USED: 4, CAP: 5, MAXSIZE: 6, GETTERS: 7, PUTTERS: 8, SPACE: 9, UNFINISHED: 10, PIPE: 11, PENDING: 12, PUTS: 13, CLOSED: 14 } as const;
/** RING.CLOSED bits, set by the kernel only (a Pipe's ring): no process holds the writing / reading end any more. */
export const RING_WRITER_GONE = 1;
export const RING_READER_GONE = 2;
export const RING_HEADER_BYTES = 64;
/**
 * What a Linux pipe holds (16 pages): a Queue's feeder thread can write this many bytes
 * (4-byte length + pickle per item) before it waits for a reader.
 */
export const RING_PIPE_BYTES = 64 * 1024;
/** Data bytes per queue ring (≥ the pipe, so the pipe budget is what fills first); bigger items travel as kernel blobs. */
export const RING_DATA_BYTES = RING_PIPE_BYTES;

export interface SemaphoreInfo {
  /** int32 index of word 0 in the heap. */
  readonly index: number;
  readonly maxvalue: number;
  readonly kind: number;
  /** What the program built it for (lock, event, condition, barrier…), for diagnoses. */
  readonly role: string;
}

/** int32 slot of a semaphore's holder pid (see the banner). */
export const SEM_HOLDER = 2;

/**
 * int32 word 1 (byte 4, below the first block): bumped each time a block is freed, so a
 * worker drops the rights it cached (lib/runtime/worker/rights.ts) before the block can be
 * handed to another program. No block covers it, so no process can be given it.
 */
export const HEAP_EPOCH_INDEX = 1;

export class SharedHeap {
  /** A SharedArrayBuffer mapped into every worker, or (relay mode) a plain ArrayBuffer only the host thread touches. */
  readonly buffer: SharedArrayBuffer | ArrayBuffer;
  /**
   * Relay mode: called for every word the kernel wakes (Atomics.notify on a plain ArrayBuffer
   * wakes nobody), so the host can answer the relayed waits parked on it.
   */
  onWake: ((index: number) => void) | null = null;
  private readonly i32: Int32Array;
  private top = 8; // offset 0 stays unused so that 0 never names an object (word 1: HEAP_EPOCH_INDEX)
  /** Live blocks: byte offset → size (rounded), for the rights check. */
  private readonly blocks = new Map<number, number>();
  /** The programs that may touch each block (by the block's byte offset). */
  private readonly owners = new Map<number, Set<number>>();
  /** The program of the syscall being run (set by the kernel around each handler): it owns what is allocated meanwhile. */
  owner = 0;
  /** Freed blocks [offset, size], sorted by offset and coalesced (first fit). */
  private readonly freeList: Array<[number, number]> = [];
  private freeBytes = 0;
  readonly semaphores = new Map<number, SemaphoreInfo>();

  constructor(bytes = 16 << 20, shared = true) {
    this.buffer = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    this.i32 = new Int32Array(this.buffer);
  }

  /**
   * Allocation: first fit in the free list, else bump. Semaphores, shared ctypes and queue
   * rings live as long as the machine (programs are short); socket rings are freed when
   * their connection goes away (1000 connections must not exhaust the heap).
   */
  alloc(size: number): number {
    // Rounding a size near 2^31 in int32 would wrap negative and move the top backwards.
    if (!Number.isInteger(size) || size < 0 || size > this.buffer.byteLength) throw KernelError.os("ENOMEM");
    size = (size + 7) & ~7;
    for (let i = 0; i < this.freeList.length; i++) {
      const [off, sz] = this.freeList[i];
      if (sz < size) continue;
      if (sz === size) this.freeList.splice(i, 1);
      else this.freeList[i] = [off + size, sz - size];
      this.freeBytes -= size;
      return this.track(off, size);
    }
    const offset = (this.top + 7) & ~7;
    if (offset + size > this.buffer.byteLength) throw KernelError.os("ENOMEM");
    this.top = offset + size;
    return this.track(offset, size);
  }

  private track(offset: number, size: number): number {
    this.blocks.set(offset, size);
    if (this.owner !== 0) this.owners.set(offset, new Set([this.owner]));
    return offset;
  }

  /** Lets `program` touch the block at byte `offset` too (a segment it opened by name, a socket's rings). */
  grant(offset: number, program: number): void {
    if (!this.blocks.has(offset)) return;
    const set = this.owners.get(offset);
    if (set) set.add(program);
    else this.owners.set(offset, new Set([program]));
  }

  /** The block holding byte `at`, when `program` may touch it: [offset, size]; else null. */
  rightsAt(program: number, at: number): [number, number] | null {
    for (const [offset, size] of this.blocks) {
      if (at < offset || at >= offset + size) continue;
      return this.owners.get(offset)?.has(program) ? [offset, size] : null;
    }
    return null;
  }

  /**
   * Returns a block from `alloc` (same size) to the free list; a block at the top lowers it.
   * Freed memory is zeroed here, so every block `alloc` hands out (free list or bump) is zero.
   */
  free(offset: number, size: number): void {
    size = (size + 7) & ~7;
    this.blocks.delete(offset);
    this.owners.delete(offset);
    Atomics.add(this.i32, HEAP_EPOCH_INDEX, 1);
    new Uint8Array(this.buffer, offset, size).fill(0);
    const list = this.freeList;
    let i = 0;
    while (i < list.length && list[i][0] < offset) i++;
    list.splice(i, 0, [offset, size]);
    this.freeBytes += size;
    // Coalesce with the next and the previous block.
    if (i + 1 < list.length && list[i][0] + list[i][1] === list[i + 1][0]) {
      list[i][1] += list[i + 1][1];
      list.splice(i + 1, 1);
    }
    if (i > 0 && list[i - 1][0] + list[i - 1][1] === list[i][0]) {
      list[i - 1][1] += list[i][1];
      list.splice(i, 1);
      i--;
    }
    const last = list[list.length - 1];
    if (last && last[0] + last[1] >= this.top) {
      list.pop();
      this.freeBytes -= last[1];
      this.top = last[0];
    }
  }

  createSemaphore(kind: number, value: number, maxvalue: number, role = ""): SemaphoreInfo {
    // sem_open(3) refuses it: CPython raises OSError [Errno 22] (Semaphore(-1)).
    if (value < 0 || value > maxvalue) throw KernelError.os("EINVAL");
    const index = this.alloc(16) >> 2;
    Atomics.store(this.i32, index, value);
    Atomics.store(this.i32, index + 1, 0);
    const info = { index, maxvalue, kind, role };
    this.semaphores.set(index, info);
    return info;
  }

  /** Frees a semaphore made by createSemaphore. */
  freeSemaphore(index: number): void {
    if (!this.semaphores.delete(index)) return;
    this.free(index << 2, 16);
  }

  /** One int32 word, read atomically (the kernel's view of a lock's value or holder, a ring's counters). */
  word(index: number): number {
    return Atomics.load(this.i32, index);
  }

  /** A queue ring: returns the int32 index of its header (layout in the banner above). */
  createRing(maxsize: number, dataBytes: number): number {
    const offset = this.alloc(RING_HEADER_BYTES + dataBytes);
    const base = offset >> 2;
    Atomics.store(this.i32, base + RING.CAP, dataBytes);
    Atomics.store(this.i32, base + RING.MAXSIZE, maxsize);
    return base;
  }

  /**
   * A Pipe end went away: sets `bit` in the ring's CLOSED word and wakes both sides (the
   * kernel never takes LOCK: the flag is stored before the bumps, and a worker reads the
   * word it parks on before it checks the flag, so no wake-up is lost).
   */
  closeRing(base: number, bit: number): void {
    Atomics.or(this.i32, base + RING.CLOSED, bit);
    Atomics.add(this.i32, base + RING.PUTS, 1);
    Atomics.add(this.i32, base + RING.SPACE, 1);
    Atomics.notify(this.i32, base + RING.PUTS);
    Atomics.notify(this.i32, base + RING.SPACE);
    this.onWake?.(base + RING.PUTS);
    this.onWake?.(base + RING.SPACE);
  }

  /** Frees a ring made by createRing with `dataBytes` of data. */
  freeRing(base: number, dataBytes: number): void {
    this.free(base << 2, RING_HEADER_BYTES + dataBytes);
  }

  semaphoreValue(index: number): number {
    return Atomics.load(this.i32, index);
  }

  /** Wakes every process parked on int32 word `index` (they re-check and park again if needed). */
  wake(index: number): void {
    Atomics.notify(this.i32, index);
    this.onWake?.(index);
  }

  /** High-water mark of the bump allocator. */
  get used(): number {
    return this.top;
  }

  /** Bytes allocated and not freed. */
  get inUse(): number {
    return this.top - this.freeBytes;
  }
}
