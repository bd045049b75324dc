/**
 * The worker side of socket rings (layout and protocol: lib/kernel/net/sock-ring.ts):
 * send and recv on an established TCP connection copy straight between the shared heap
 * and Python, waking the peer worker with Atomics.notify; the kernel thread is not
 * involved. Whenever a ring flag says the connection is not plainly open (EOF, reset,
 * shutdown, error) the caller gets SLOW and asks the kernel (`sock_send` / `sock_recv`).
 */
import { RX_OK, SOCK_RING, SockRingOps, TX_OK } from "@/lib/kernel";
import { QUIET_MS, type WaitResult } from "./ring";
import { sched } from "./sched-gate";
import { kill } from "./kill";

/** Negative results (anything ≥ 0 is a byte count). */
export const SOCK_INTERRUPTED = -1;
export const SOCK_TIMEOUT = -2;
export const SOCK_AGAIN = -3;
export const SOCK_SLOW = -4;

/** Reads up to this size cross to Python as a latin-1 string (cheaper than a Uint8Array proxy). */
export const SOCK_TEXT_MAX = 4096;
/** recv of more: −(BIG + n) says n bytes are ready; Python then calls recv_into with a buffer of that size. */
export const SOCK_BIG = 16;
export interface SockWaiting {
  now(): number;
  wait(i32: Int32Array, index: number, value: number, deadline: number): WaitResult;
  /** Optional spin before `wait` (see Spinner in ./ring): true when i32[index] changed meanwhile. */
  spin?(i32: Int32Array, index: number, value: number, until: number): boolean;
  note(on: "socket", object: string, timeoutMs: number | null): void;
  unnote(on: "socket", reason: "ready" | "timeout" | "interrupted"): void;
  /** Fire-and-forget `sock_kick` (someone waits in the kernel on this ring). */
  kick(ring: number): void;
}

/** A Python buffer seen from JS (Pyodide's PyProxy.getBuffer). */
export interface PyBufferLike {
  getBuffer(type: "u8"): { data: Uint8Array; release(): void };
}

export class SockRings {
  readonly ops: SockRingOps;
  /** Bytes moved by the last send that ended SLOW/AGAIN/TIMEOUT/INTERRUPTED (sendall's progress). */
  lastSent = 0;

  constructor(
    heap: SharedArrayBuffer | ArrayBuffer,
    private readonly waiting: SockWaiting,
    onWake: ((index: number) => void) | null = null,
  ) {
    this.ops = new SockRingOps(heap, true, () => waiting.now(), onWake);
  }

  /**
   * Waits on the ring's SEQ word (it was `seq` when the caller looked) until `deadline`,
   * reporting the block to the kernel once it lasts QUIET_MS.
   */
  private park(b: number, seq: number, deadline: number, state: { start: number; noted: boolean; vstart: number }, label: () => string, ms: number): WaitResult {
    if (sched.on) {
      // Controlled mode: the peer moves only when the scheduler lets it; wait there, in virtual time.
      const g = sched.block("sock.wait", "kernel", "socket", label(), ms < 0 ? null : state.vstart + ms);
      return g.interrupted ? "interrupted" : g.timedOut ? "timeout" : "woken";
    }
    const now = this.waiting.now();
    if (now >= deadline) return "timeout";
    if (!state.noted && now - state.start >= QUIET_MS) {
      this.waiting.note("socket", label(), ms < 0 ? null : ms);
      state.noted = true;
    }
    const until = state.noted ? deadline : Math.min(deadline, state.start + QUIET_MS);
    const i32 = this.ops.i32;
    if (!state.noted && this.waiting.spin?.(i32, b + SOCK_RING.SEQ, seq, until)) return "woken";
    const r = this.waiting.wait(i32, b + SOCK_RING.SEQ, seq, until);
    return r === "timeout" && this.waiting.now() < deadline ? "woken" : r;
  }

  /**
   * send (all = false: at least one byte, then return) or sendall (all = true) of `src`
   * into ring `b`. ms < 0 waits forever, 0 never waits (non-blocking).
   */
  send(b: number, src: Uint8Array | string, ms: number, all: boolean, fd: number): number {
    const ops = this.ops;
    const i32 = ops.i32;
    const len = src.length;
    let sent = 0;
    if (sched.on) sched.point(all ? "sock.sendall" : "sock.send", `sock:${b}`, "write");
    const state = { start: this.waiting.now(), noted: false, vstart: sched.clock };
    const deadline = ms < 0 ? Infinity : state.start + ms;
    let result = 0;
    for (;;) {
      const seq = Atomics.load(i32, b + SOCK_RING.SEQ);
      if (!(ops.flags(b) & TX_OK)) {
        result = SOCK_SLOW;
        break;
      }
      const n = ops.push(b, src, sent, len - sent);
      if (n > 0) {
        sent += n;
        if (ops.watched(b)) this.waiting.kick(b);
        if (!all || sent === len) {
          result = sent;
          break;
        }
        continue;
      }
      if (len === 0) break;
      if (ms === 0) {
        result = SOCK_AGAIN;
        break;
      }
      const r = this.park(b, seq, deadline, state, () => `socket fd ${fd} (${all ? "sendall" : "send"})`, ms);
      if (r === "interrupted") {
        result = SOCK_INTERRUPTED;
        break;
      }
      if (r === "timeout") {
        result = SOCK_TIMEOUT;
        break;
      }
    }
    this.lastSent = sent;
    if (state.noted) this.waiting.unnote("socket", result >= 0 ? "ready" : result === SOCK_INTERRUPTED ? "interrupted" : "timeout");
    return result;
  }

  /** send of a Python buffer: copied once, from the wasm heap into the ring. */
  sendBuffer(b: number, buf: PyBufferLike, ms: number, all: boolean, fd: number): number {
    const view = buf.getBuffer("u8");
    try {
      return this.send(b, view.data, ms, all, fd);
    } finally {
      // Not into the interpreter once its process was killed in the wait (./kill.ts).
      if (!kill.pending) view.release();
    }
  }

  /** Waits until ring `b` has data, or says why not (SLOW: ask the kernel; AGAIN; TIMEOUT; INTERRUPTED). */
  private ready(b: number, ms: number, fd: number): number {
    const ops = this.ops;
    const i32 = ops.i32;
    let state: { start: number; noted: boolean; vstart: number } | null = null;
    let deadline = Infinity;
    let result = 0;
    if (sched.on) sched.point("sock.recv", `sock:${b}`, "write");
    for (;;) {
      const seq = Atomics.load(i32, b + SOCK_RING.SEQ);
      if (ops.used(b) > 0) {
        result = 1;
        break;
      }
      if (!(ops.flags(b) & RX_OK)) {
        result = SOCK_SLOW;
        break;
      }
      if (ms === 0) {
        result = SOCK_AGAIN;
        break;
      }
      if (!state) {
        state = { start: this.waiting.now(), noted: false, vstart: sched.clock };
        deadline = ms < 0 ? Infinity : state.start + ms;
      }
      const r = this.park(b, seq, deadline, state, () => `socket fd ${fd} (recv)`, ms);
      if (r === "interrupted") {
        result = SOCK_INTERRUPTED;
        break;
      }
      if (r === "timeout") {
        result = SOCK_TIMEOUT;
        break;
      }
    }
    if (state?.noted) this.waiting.unnote("socket", result > 0 ? "ready" : result === SOCK_INTERRUPTED ? "interrupted" : "timeout");
    return result;
  }

  /** recv(n): a latin-1 string (small reads), −(SOCK_BIG + k) when k > SOCK_TEXT_MAX bytes are ready (see recvInto), or a negative code. */
  recv(b: number, n: number, ms: number, fd: number): string | number {
    const r = this.ready(b, ms, fd);
    if (r < 0) return r;
    const ops = this.ops;
    const k = Math.min(n, ops.used(b));
    if (k > SOCK_TEXT_MAX) return -(SOCK_BIG + k);
    const data = ops.readText(b, n);
    if (ops.watched(b)) this.waiting.kick(b);
    return data;
  }

  /** recv_into: copies straight into the Python buffer; returns the count or a negative code. */
  recvInto(b: number, buf: PyBufferLike, n: number, ms: number, fd: number): number {
    const view = buf.getBuffer("u8");
    try {
      return this.recvIntoView(b, view.data.subarray(0, Math.min(n, view.data.length)), ms, fd);
    } finally {
      // Not into the interpreter once its process was killed in the wait (./kill.ts).
      if (!kill.pending) view.release();
    }
  }

  /** recv into `dest` (e.g. a view on the interpreter's memory): up to dest.length bytes; the count or a negative code. */
  recvIntoView(b: number, dest: Uint8Array, ms: number, fd: number): number {
    const r = this.ready(b, ms, fd);
    if (r < 0) return r;
    const k = this.ops.readInto(b, dest, dest.length);
    if (this.ops.watched(b)) this.waiting.kick(b);
    return k;
  }
}
