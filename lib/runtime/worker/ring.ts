/**
 * Queue rings: multiprocessing.Queue in the shared heap, so put → get goes straight from
 * one worker to another (one thread hand-off per direction, like CPython's pipe) instead
 * of through the kernel thread. Layout and protocol: banner in lib/kernel/shared-heap.ts.
 * LOCK-FREE HAZARD: every header field is read and written only while holding LOCK, except
 * the words waited on (COUNT, SPACE, UNFINISHED), which are re-checked under LOCK after a wake.
 * One file on purpose: every operation (put, get, feed, flush, join, poll) follows that one
 * locking discipline on one layout, and reads best next to the others.
 */
import { RING, RING_HEADER_BYTES, RING_PIPE_BYTES, RING_READER_GONE, RING_WRITER_GONE } from "@/lib/kernel";
import { sched } from "./sched-gate";

export type WaitResult = "woken" | "timeout" | "interrupted";

/**
 * Waits shorter than this are not reported to the kernel's event stream: in a fast
 * producer/consumer they would be thousands of messages a second, each stealing the
 * kernel thread's CPU from the workers, for blocks no one can see on a panel.
 */
export const QUIET_MS = 1;

/**
 * While a process has Queue items in its feeder backlog, its waits (syscalls, sleep, locks,
 * queues) wake this often to move them into the pipe: the thread CPython's feeder would be.
 */
export const FEED_MS = 2;

/**
 * Before parking in Atomics.wait, watch the word this long: an answer that comes within it
 * skips the futex sleep and wake-up, which on this class of machine costs 20–25 µs per hop
 * (a Node worker ping-pong through Atomics.wait/notify: 48 µs round trip; spinning: 1 µs).
 * Adaptive, like glibc's spin-then-park mutexes: a spin that ends without an answer (the
 * peer is busy, or no core is idle) turns spinning off for the next SPIN_BACKOFF waits, so
 * long waits and an oversubscribed machine do not burn CPU on it.
 */
export const SPIN_MS = 0.05;
export const SPIN_BACKOFF = 16;

/** One per process: the adaptive spin every short wait (queue, socket, lock) tries first. */
export class Spinner {
  private skip = 0;

  constructor(private readonly now: () => number) {}

  /** Watches i32[index] while it holds `value`, for at most SPIN_MS and not past `until`: true once it changed. */
  spin(i32: Int32Array, index: number, value: number, until: number): boolean {
    if (this.skip > 0) {
      this.skip--;
      return false;
    }
    const end = Math.min(until, this.now() + SPIN_MS);
    do {
      if (Atomics.load(i32, index) !== value) return true;
    } while (this.now() < end);
    this.skip = SPIN_BACKOFF;
    return false;
  }
}

export interface RingWaiting {
  now(): number;
  /** Waits while i32[index] === value, until `deadline` (Infinity = forever); interruptible by SIGINT. */
  wait(i32: Int32Array, index: number, value: number, deadline: number): WaitResult;
  /** Optional spin before `wait` (see Spinner): true when i32[index] changed meanwhile. */
  spin?(i32: Int32Array, index: number, value: number, until: number): boolean;
  note(on: "queue" | "pipe", object: string, timeoutMs: number | null): void;
  unnote(on: "queue" | "pipe", reason: "ready" | "timeout" | "interrupted"): void;
  /** Relay mode's host: told of every word these rings notify (Atomics.notify on its plain heap wakes nobody). */
  onWake?(index: number): void;
}

/**
 * What put and get return. Python reads these through the FFI table (RING_*), never as
 * numbers of its own. put: OK, AGAIN (full: non-blocking or timed out), INTERRUPTED, TOO_BIG
 * (for the ring: send a blob), NO_READER (a Pipe's: EPIPE), NO_MEMORY (the feeder backlog is
 * full: MemoryError). get: OK (bytes, see `lastBytes`), BLOB (a blob reference, see
 * `lastBlob`), AGAIN (empty), INTERRUPTED, EOF (a Pipe's writers are gone).
 */
export const RingCode = { OK: 1, BLOB: 2, AGAIN: 0, INTERRUPTED: -1, TOO_BIG: -2, EOF: -2, NO_READER: -3, NO_MEMORY: -4 } as const;
type Code<K extends keyof typeof RingCode> = (typeof RingCode)[K];
export type PutResult = Code<"OK" | "AGAIN" | "INTERRUPTED" | "TOO_BIG" | "NO_READER" | "NO_MEMORY">;
export type GetResult = Code<"OK" | "BLOB" | "AGAIN" | "INTERRUPTED" | "EOF">;

/**
 * Bytes a process may keep in its feeder backlog (items put and not yet in the pipe). CPython's
 * feeder buffer grows until malloc fails; here it lives in the worker's JS heap, which the
 * host cannot bound, so past this a put raises MemoryError.
 */
export const BACKLOG_MAX_BYTES = 128 * 1024 * 1024;

/** An item a Queue's "feeder" holds because the pipe (RING_PIPE_BYTES) is full. */
interface Fed {
  readonly data: Uint8Array | null;
  readonly blob: number;
  readonly blobBytes: number;
}

export class Rings {
  private readonly i32: Int32Array;
  private readonly u8: Uint8Array;
  lastBytes: Uint8Array | null = null;
  lastBlob = 0;
  /**
   * CPython's Queue.put hands items to a feeder thread that writes them into a pipe; the
   * pipe holds 64 KiB, the rest waits in the feeder's buffer and the process waits for the
   * feeder at exit. This is that buffer (per ring, this process only), flushed by `pump`.
   */
  private readonly backlog = new Map<number, Fed[]>();
  /** Per ring, how many items at the front of its backlog array were moved already (dropped in bulk: a get must not cost O(backlog)). */
  private readonly backlogHead = new Map<number, number>();
  /** Rings whose last fed item was bigger than the pipe: SPACE value once a reader took it. */
  private readonly bigUntil = new Map<number, number>();
  /** Queue.cancel_join_thread(): the exit does not wait for these rings. */
  private readonly cancelled = new Set<number>();
  /** Rings whose feeds wait in the backlog until this process next waits or uses a ring (`hold`). */
  private readonly held = new Set<number>();
  /** Items in `backlog` (cheap test for the hot paths). */
  pending = 0;
  /** Bytes in `backlog` (bounded by BACKLOG_MAX_BYTES). */
  private backlogBytes = 0;

  /** Bytes in this process's feeder backlog (relay mode tells the worker: see worker/relay.ts's feedRoom). */
  get backlogSize(): number {
    return this.backlogBytes;
  }

  constructor(
    heap: SharedArrayBuffer | ArrayBuffer,
    private readonly waiting: RingWaiting,
  ) {
    this.i32 = new Int32Array(heap);
    this.u8 = new Uint8Array(heap);
  }

  /** A recycled worker's next process: nothing of the last one's backlog (lost at its exit, as CPython's feeder buffer is). */
  reset(): void {
    this.lastBytes = null;
    this.lastBlob = 0;
    this.backlog.clear();
    this.backlogHead.clear();
    this.bigUntil.clear();
    this.cancelled.clear();
    this.held.clear();
    this.pending = 0;
    this.backlogBytes = 0;
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

  private notify(index: number, count?: number): void {
    Atomics.notify(this.i32, index, count);
    this.waiting.onWake?.(index);
  }

  private dataStart(b: number): number {
    return b * 4 + RING_HEADER_BYTES;
  }

  /** HEAD/TAIL/CAP are words a program can overwrite in its own ring: never let them point outside it. */
  private static inRing(at: number, n: number, cap: number): void {
    if (!(at >= 0 && at < cap && n >= 0 && n <= cap)) throw new RangeError(`ring state is corrupt (offset ${at}, ${n} bytes, capacity ${cap})`);
  }

  private copyIn(b: number, at: number, src: Uint8Array): void {
    const cap = this.i32[b + RING.CAP];
    Rings.inRing(at, src.length, cap);
    const start = this.dataStart(b);
    const first = Math.min(src.length, cap - at);
    this.u8.set(src.subarray(0, first), start + at);
    if (first < src.length) this.u8.set(src.subarray(first), start);
  }

  private copyOut(b: number, at: number, n: number): Uint8Array {
    const cap = this.i32[b + RING.CAP];
    Rings.inRing(at, n, cap);
    const start = this.dataStart(b);
    const out = new Uint8Array(n);
    const first = Math.min(n, cap - at);
    out.set(this.u8.subarray(start + at, start + at + first));
    if (first < n) out.set(this.u8.subarray(start, start + n - first), first);
    return out;
  }

  /**
   * Relay mode's host: copies of the plain items (each up to `maxLen` bytes) at the head of
   * ring `b`, up to `maxItems` and `maxBytes` in all, without taking them (relay-host.ts's
   * read-ahead).
   */
  peek(b: number, maxItems: number, maxLen: number, maxBytes: number): Uint8Array[] {
    const i = this.i32;
    const cap = i[b + RING.CAP];
    const out: Uint8Array[] = [];
    let head = i[b + RING.HEAD];
    let bytes = 0;
    for (let k = Math.min(i[b + RING.COUNT], maxItems); k > 0; k--) {
      const len = new DataView(this.copyOut(b, head, 4).buffer).getInt32(0, true);
      if (len < 0 || len > maxLen || bytes + len > maxBytes) break;
      out.push(this.copyOut(b, (head + 4) % cap, len));
      bytes += len;
      head = (head + 4 + len) % cap;
    }
    return out;
  }

  private static header(len: number): Uint8Array {
    const h = new Uint8Array(4);
    new DataView(h.buffer).setInt32(0, len, true);
    return h;
  }

  /** Bytes CPython's pipe would need for this item (length header + pickle). */
  private static weight(data: Uint8Array | null, blobBytes: number): number {
    return 4 + (data ? data.length : blobBytes);
  }

  /** Under LOCK: whether the item fits in the pipe (an item bigger than the pipe goes in alone) and in the ring. */
  private fits(b: number, need: number, weight: number): boolean {
    const i = this.i32;
    const pipe = i[b + RING.PIPE];
    return i[b + RING.CAP] - i[b + RING.USED] >= need && (pipe === 0 || pipe + weight <= RING_PIPE_BYTES);
  }

  /** Under LOCK: writes one record (the caller has checked `fits`); returns whether getters wait. */
  private insert(b: number, data: Uint8Array | null, blob: number, blobBytes: number): boolean {
    const i = this.i32;
    const cap = i[b + RING.CAP];
    const tail = i[b + RING.TAIL];
    const need = data ? 4 + data.length : 8;
    const weight = Rings.weight(data, blobBytes);
    if (data) {
      this.copyIn(b, tail, Rings.header(data.length));
      this.copyIn(b, (tail + 4) % cap, data);
    } else {
      this.copyIn(b, tail, Rings.header(-blob));
      this.copyIn(b, (tail + 4) % cap, Rings.header(blobBytes));
    }
    i[b + RING.TAIL] = (tail + need) % cap;
    i[b + RING.USED] += need;
    i[b + RING.PIPE] += weight;
    Atomics.add(i, b + RING.COUNT, 1);
    Atomics.add(i, b + RING.PUTS, 1);
    return i[b + RING.GETTERS] > 0;
  }

  /** Under LOCK, right after `insert` by the feeder: a writer of an item bigger than the pipe is done only once a reader took it. */
  private noteBig(b: number, weight: number): void {
    const i = this.i32;
    if (weight > RING_PIPE_BYTES) this.bigUntil.set(b, (i[b + RING.SPACE] + i[b + RING.COUNT]) | 0);
  }

  /**
   * Queue.put: like CPython's, never waits for the pipe. An item that does not fit (or
   * queues behind this process's earlier items) stays in this process's backlog; only
   * `maxsize` (counting the backlogs of every process) makes it wait. Same results as `put`.
   */
  feed(b: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, timeoutMs: number, label: string): PutResult {
    const i = this.i32;
    const need = data ? 4 + data.length : 8;
    if (need > i[b + RING.CAP]) return RingCode.TOO_BIG;
    // Controlled mode moves every item at the feeder's points as before: a schedule is the same run.
    const hold = this.held.has(b) && !sched.on;
    if (this.pending > 0 && !hold) this.pump();
    if (this.pending > 0 && this.backlogBytes + need > BACKLOG_MAX_BYTES) return RingCode.NO_MEMORY;
    const weight = Rings.weight(data, blobBytes);
    return this.blocking(b, RING.SPACE, RING.PUTTERS, block, timeoutMs, label, () => {
      const maxsize = i[b + RING.MAXSIZE];
      if (maxsize !== 0 && i[b + RING.COUNT] + i[b + RING.PENDING] >= maxsize) return false;
      i[b + RING.UNFINISHED] += 1;
      const queued = this.backlog.get(b);
      if (!queued && !hold && this.fits(b, need, weight)) {
        const getters = this.insert(b, data, blob, blobBytes);
        this.noteBig(b, weight);
        this.unlock(b);
        if (getters) this.notify(b + RING.PUTS, 1);
      } else {
        i[b + RING.PENDING] += 1;
        this.unlock(b);
        const item: Fed = { data, blob, blobBytes };
        if (queued) queued.push(item);
        else this.backlog.set(b, [item]);
        this.pending++;
        this.backlogBytes += need;
      }
      return true;
    });
  }

  /**
   * The loop of every blocking ring call: `attempt` runs under LOCK and returns true once it
   * did its work (having released LOCK), false to wait (LOCK still held). Between attempts the
   * caller spins on `word` (as it was under LOCK), then parks on it counted in `waiters`, so
   * the other side knows to notify. Registering after the check loses no wake-up: Atomics.wait
   * returns at once when `word` moved meanwhile. 1 done, 0 would block / timed out, −1 SIGINT.
   */
  private blocking(b: number, word: number, waiters: number, block: boolean, timeoutMs: number, label: string, attempt: () => boolean, on: "queue" | "pipe" = "queue"): 1 | 0 | -1 {
    if (sched.on) return this.controlled(b, word === RING.SPACE ? "put" : "get", block, timeoutMs, label, attempt, on);
    const i = this.i32;
    const waiting = this.waiting;
    const deadline = timeoutMs < 0 ? Infinity : waiting.now() + timeoutMs;
    let noted = false;
    let waitStart: number | undefined;
    let result: 1 | 0 | -1 = 0;
    for (;;) {
      this.lock(b);
      // Read before `attempt` looks at CLOSED: the kernel sets CLOSED, then bumps the words.
      const seen = Atomics.load(i, b + word);
      if (attempt()) {
        result = 1;
        break;
      }
      this.unlock(b);
      if (!block) break;
      const now = waiting.now();
      if (now >= deadline) break;
      if (!noted && waiting.spin?.(i, b + word, seen, deadline)) continue;
      waitStart ??= now;
      if (!noted && now - waitStart >= QUIET_MS) {
        waiting.note(on, label, timeoutMs < 0 ? null : timeoutMs);
        noted = true;
      }
      this.lock(b);
      i[b + waiters] += 1;
      this.unlock(b);
      const r = waiting.wait(i, b + word, seen, noted ? deadline : Math.min(deadline, waitStart + QUIET_MS));
      this.lock(b);
      i[b + waiters] -= 1;
      this.unlock(b);
      if (r === "interrupted") {
        result = -1;
        break;
      }
    }
    if (noted) waiting.unnote(on, result === 1 ? "ready" : result === -1 ? "interrupted" : "timeout");
    return result;
  }

  /**
   * `blocking` in controlled mode: a point, then the attempt; while it cannot go on, park
   * blocked on the ring (another process's operation on it wakes this one) until the
   * virtual deadline.
   */
  private controlled(b: number, verb: string, block: boolean, timeoutMs: number, label: string, attempt: () => boolean, on: "queue" | "pipe"): 1 | 0 | -1 {
    const op = `${on}.${verb}`;
    const obj = `${on}:${b}`;
    let g = sched.point(op, obj, "write");
    const deadline = timeoutMs < 0 ? null : g.clock + timeoutMs;
    for (;;) {
      this.lock(b);
      if (attempt()) {
        // It changed the ring: whoever waits on it looks again, also when this process's next
        // operation waits on the same ring (a put then the exit's flush of a big item, a get
        // then the next get), which a failed attempt's block would not count as a change.
        sched.wakes.push(obj);
        return 1;
      }
      this.unlock(b);
      if (!block || timeoutMs === 0 || g.timedOut) return 0;
      g = sched.block(op, obj, on, label, deadline);
      if (g.interrupted) return -1;
    }
  }

  /** The feeder's work: moves backlog items into their rings while the pipe has room. Never waits. */
  pump(): void {
    const i = this.i32;
    for (const [b, items] of this.backlog) {
      const head = this.backlogHead.get(b) ?? 0;
      let moved = 0;
      let getters = false;
      this.lock(b);
      while (head + moved < items.length) {
        const it = items[head + moved];
        const weight = Rings.weight(it.data, it.blobBytes);
        if (!this.fits(b, it.data ? 4 + it.data.length : 8, weight)) break;
        getters = this.insert(b, it.data, it.blob, it.blobBytes) || getters;
        this.noteBig(b, weight);
        this.backlogBytes -= it.data ? 4 + it.data.length : 8;
        i[b + RING.PENDING] -= 1;
        moved++;
      }
      this.unlock(b);
      if (moved === 0) continue;
      if (sched.on) sched.wakes.push(`queue:${b}`);
      if (getters) this.notify(b + RING.PUTS, moved);
      this.pending -= moved;
      if (head + moved === items.length) {
        this.backlog.delete(b);
        this.backlogHead.delete(b);
      } else if (head + moved > 1024 && head + moved > items.length / 2) {
        items.splice(0, head + moved);
        this.backlogHead.delete(b);
      } else this.backlogHead.set(b, head + moved);
    }
  }

  /** Whether everything this process fed into ring `b` is in the pipe (a big item: taken by a reader). */
  private flushed(b: number): boolean {
    if (this.backlog.has(b)) return false;
    const until = this.bigUntil.get(b);
    if (until === undefined) return true;
    if (((Atomics.load(this.i32, b + RING.SPACE) - until) | 0) < 0) return false;
    this.bigUntil.delete(b);
    return true;
  }

  /**
   * Waits until this process's items are in the pipe: ring `b` (Queue.join_thread), or
   * every ring not cancelled (b < 0: the exit). 0 done, −1 interrupted.
   */
  flush(b: number, label: (b: number) => string): number {
    const i = this.i32;
    if (this.cancelled.has(b)) return 0;
    let noted = false;
    let waitStart: number | undefined;
    let result = 0;
    for (;;) {
      const rings = b >= 0 ? [b] : [...new Set([...this.backlog.keys(), ...this.bigUntil.keys()])].filter((r) => !this.cancelled.has(r));
      const seqs = rings.map((r) => Atomics.load(i, r + RING.SPACE));
      if (this.pending > 0) this.pump();
      const k = rings.findIndex((r) => !this.flushed(r));
      if (k < 0) break;
      if (sched.on) {
        if (sched.block("queue.flush", `queue:${rings[k]}`, "queue", label(rings[k]), null).interrupted) {
          result = -1;
          break;
        }
        continue;
      }
      const now = this.waiting.now();
      waitStart ??= now;
      if (!noted && now - waitStart >= QUIET_MS) {
        this.waiting.note("queue", label(rings[k]), null);
        noted = true;
      }
      // Space in the pipe appears when a reader takes an item: SPACE is bumped per get.
      if (!noted && this.waiting.spin?.(i, rings[k] + RING.SPACE, seqs[k], Infinity)) continue;
      if (this.waiting.wait(i, rings[k] + RING.SPACE, seqs[k], now + (noted ? 50 : QUIET_MS)) === "interrupted") {
        result = -1;
        break;
      }
    }
    if (noted) this.waiting.unnote("queue", result === 0 ? "ready" : "interrupted");
    return result;
  }

  /**
   * Relay mode's host (no blocking there): after a pump, the first ring (`b`, or every ring not
   * cancelled when b < 0) whose items this process fed are not all in the pipe yet; −1: none.
   */
  unflushedRing(b: number): number {
    if (b >= 0 && this.cancelled.has(b)) return -1;
    if (this.pending > 0) this.pump();
    const rings = b >= 0 ? [b] : [...new Set([...this.backlog.keys(), ...this.bigUntil.keys()])].filter((r) => !this.cancelled.has(r));
    return rings.find((r) => !this.flushed(r)) ?? -1;
  }

  /** Relay mode's host: items in this process's backlog, per ring. */
  backlogSizes(): Map<number, number> {
    return new Map([...this.backlog].map(([b, items]) => [b, items.length - (this.backlogHead.get(b) ?? 0)]));
  }

  /**
   * A Pool's task queue: what this process feeds into ring `b` stays in its backlog until it
   * next waits (a wait moves the backlog within FEED_MS) or uses a ring. CPython's Pool hands
   * tasks to its task handler thread, which moves them into the pipe when the main thread
   * lets go of the GIL: at its next blocking call (a print's write, a sleep, a get, join()).
   * So the workers start the tasks after what the program did right after apply_async() or
   * map_async() (`print("Waiting...")`), not during it.
   */
  hold(b: number): void {
    this.held.add(b);
  }

  /** Queue.cancel_join_thread(): the exit no longer waits for ring `b`. */
  cancel(b: number): void {
    this.cancelled.add(b);
  }

  /**
   * SimpleQueue.put (and the ring's direct use): waits until the item fits in the pipe,
   * like CPython's SimpleQueue writing to its pipe. Puts `data`, or a reference to kernel
   * blob `blob` (of `blobBytes` bytes) when data is null.
   */
  put(b: number, data: Uint8Array | null, blob: number, block: boolean, timeoutMs: number, label: string, blobBytes = 0, on: "queue" | "pipe" = "queue"): PutResult {
    const i = this.i32;
    const need = data ? 4 + data.length : 8;
    if (need > i[b + RING.CAP]) return RingCode.TOO_BIG;
    const weight = Rings.weight(data, blobBytes);
    let gone = false;
    const r = this.blocking(b, RING.SPACE, RING.PUTTERS, block, timeoutMs, label, () => {
      if (i[b + RING.CLOSED] & RING_READER_GONE) {
        gone = true;
        this.unlock(b);
        return true;
      }
      const maxsize = i[b + RING.MAXSIZE];
      if ((maxsize > 0 && i[b + RING.COUNT] + i[b + RING.PENDING] >= maxsize) || !this.fits(b, need, weight)) return false;
      i[b + RING.UNFINISHED] += 1;
      const getters = this.insert(b, data, blob, blobBytes);
      this.unlock(b);
      if (getters) this.notify(b + RING.PUTS, 1);
      return true;
    }, on);
    return gone ? RingCode.NO_READER : r;
  }

  get(b: number, block: boolean, timeoutMs: number, label: string, on: "queue" | "pipe" = "queue"): GetResult {
    const i = this.i32;
    if (this.pending > 0) this.pump();
    let got: GetResult = 0;
    const r = this.blocking(b, RING.PUTS, RING.GETTERS, block, timeoutMs, label, () => {
      if (i[b + RING.COUNT] <= 0) {
        if (!(i[b + RING.CLOSED] & RING_WRITER_GONE)) return false;
        got = RingCode.EOF;
        this.unlock(b);
        return true;
      }
      const cap = i[b + RING.CAP];
      const head = i[b + RING.HEAD];
      const len = new DataView(this.copyOut(b, head, 4).buffer).getInt32(0, true);
      let need: number;
      if (len >= 0) {
        this.lastBytes = this.copyOut(b, (head + 4) % cap, len);
        need = 4 + len;
        i[b + RING.PIPE] -= need;
        got = RingCode.OK;
      } else {
        this.lastBlob = -len;
        need = 8;
        i[b + RING.PIPE] -= 4 + new DataView(this.copyOut(b, (head + 4) % cap, 4).buffer).getInt32(0, true);
        got = RingCode.BLOB;
      }
      i[b + RING.HEAD] = (head + need) % cap;
      i[b + RING.USED] -= need;
      Atomics.sub(i, b + RING.COUNT, 1);
      Atomics.add(i, b + RING.SPACE, 1);
      const putters = i[b + RING.PUTTERS];
      this.unlock(b);
      if (putters > 0) this.notify(b + RING.SPACE);
      return true;
    }, on);
    return r === 1 ? got : r;
  }

  /** Connection.poll: whether a get would not block (an item waits, or EOF), waiting up to `timeoutMs` (< 0: forever). 1, 0, or −1 interrupted. */
  poll(b: number, timeoutMs: number, label: string): 1 | 0 | -1 {
    const i = this.i32;
    return this.blocking(b, RING.PUTS, RING.GETTERS, timeoutMs !== 0, timeoutMs, label, () => {
      if (i[b + RING.COUNT] <= 0 && !(i[b + RING.CLOSED] & RING_WRITER_GONE)) return false;
      this.unlock(b);
      return true;
    }, "pipe");
  }

  /** Items put and not yet got, the backlogs included (CPython's qsize counts the feeder's buffer too). */
  size(b: number): number {
    if (sched.on) sched.point("queue.size", `queue:${b}`, "read");
    if (this.pending > 0) this.pump();
    return Atomics.load(this.i32, b + RING.COUNT) + Atomics.load(this.i32, b + RING.PENDING);
  }

  /** Items in the pipe (CPython's empty() polls the pipe, not the feeder's buffer). */
  inPipe(b: number): number {
    if (sched.on) sched.point("queue.empty", `queue:${b}`, "read");
    if (this.pending > 0) this.pump();
    return Atomics.load(this.i32, b + RING.COUNT);
  }

  /** JoinableQueue.task_done: 0 ok, −1 called too many times. */
  taskDone(b: number): number {
    if (sched.on) sched.point("queue.task_done", `queue:${b}`, "write");
    const i = this.i32;
    this.lock(b);
    const left = i[b + RING.UNFINISHED];
    if (left <= 0) {
      this.unlock(b);
      return -1;
    }
    i[b + RING.UNFINISHED] = left - 1;
    this.unlock(b);
    if (left === 1) this.notify(b + RING.UNFINISHED);
    return 0;
  }

  /** JoinableQueue.join: 0 when every item is done, −1 interrupted. */
  join(b: number, label: string): number {
    const i = this.i32;
    let noted = false;
    let result = 0;
    if (sched.on) sched.point("queue.join", `queue:${b}`, "read");
    for (;;) {
      const left = Atomics.load(i, b + RING.UNFINISHED);
      if (left === 0) break;
      if (sched.on) {
        if (sched.block("queue.join", `queue:${b}`, "queue", label, null).interrupted) {
          result = -1;
          break;
        }
        continue;
      }
      if (!noted) {
        if (this.waiting.spin?.(i, b + RING.UNFINISHED, left, Infinity)) continue;
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
