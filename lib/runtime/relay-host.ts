/**
 * Relay mode's host side: the heap is a plain ArrayBuffer only this thread touches, and every
 * operation a worker would do on it arrives as a `relay` request (../protocol.ts) that runs
 * here, whole, with the workers' own code (Rings, SockRings, semTake/semGive on the host's
 * heap). One request is one round trip: an operation that can go on is answered at once; one
 * that would wait is *parked* here on the heap word it would wait on, and retried each time
 * something wakes that word (another worker's relayed op, or the kernel: `wake`), until it
 * goes on, its deadline passes (the host's timer), or a signal interrupts it. This thread runs
 * one thing at a time, so a retry re-reads the word itself and no wake-up is lost.
 *
 * Answers (through the seam, ./seam.ts): ok with the op's result as JSON (plus bytes: an item,
 * received data), or not ok with `{"sig": n}` (a signal interrupted the wait: the worker runs
 * its handler and asks again with the time left, PEP 475) or `{"fault": at}` (the bytes named
 * are not the program's: EFAULT, as `worker/rights.ts` says in normal mode).
 */
import type { JsonObject, Kernel, SharedHeap } from "@/lib/kernel";
import { RING, SOCK_RING, SOCK_RING_HEADER_BYTES, RING_HEADER_BYTES } from "@/lib/kernel";
import type { SeamAnswer } from "./seam";
import { fmtBytes, heapGet, heapSet } from "./worker/ffi";
import { QUIET_MS, RingCode, Rings } from "./worker/ring";
import { SOCK_AGAIN, SOCK_TIMEOUT, SockRings } from "./worker/sock";
import { semGive, semTake } from "./worker/waits";

/** What the relay host needs from the Machine. */
export interface RelayHostEnv {
  now(): number;
  setTimer(ms: number, fn: () => void): () => void;
  /** Delivers an answer to the worker of `pid` (it is blocked in the seam). */
  answer(pid: number, a: SeamAnswer): void;
}

/** An operation that could not go on yet. */
interface Park {
  readonly pid: number;
  /** Heap word it waits on (−1: none, a sleep or pause), and the waiters word it is counted in (−1: none). */
  readonly index: number;
  readonly count: number;
  /** Tries again: an answer when done, null to keep waiting. */
  readonly retry: () => SeamAnswer | null;
  /** What to answer once the deadline passed. */
  readonly timedOut: () => SeamAnswer;
  readonly note: { readonly on: string; readonly label: string; readonly timeoutMs: number | null } | null;
  noted: boolean;
  cancelTimers: (() => void)[];
}

interface Proc {
  readonly rings: Rings;
  readonly socks: SockRings;
  /** Set once the program's own code runs (the worker said so): before, a signal waits. */
  interrupts: boolean;
  /** A pending signal (what INTERRUPT holds in normal mode), or 0. */
  sig: number;
  park: Park | null;
  /** Bytes a socket send moved before it parked, was interrupted or timed out (sock_sent). */
  sent: number;
  /** A one-way op that failed, answered to the next request (see post). */
  failed: SeamAnswer | null;
}

/** Ops a worker may post one-way (worker/relay.ts): none of them waits. */
const ONEWAY = new Set(["sem.release", "heap.set", "ring.feed", "ring.cancel", "signal.enable", "ring.took"]);

/** Read-ahead (RelayHost.readAhead): at most this many items, each at most this big (the worker's latin-1 strings), this many bytes in all. */
const AHEAD_ITEMS = 1024;
const AHEAD_ITEM_MAX = 4096;
const AHEAD_BYTES = 256 * 1024;

const ok = (value: unknown, bytes: Uint8Array | null = null): SeamAnswer => ({ ok: true, json: JSON.stringify(value), bytes });

class Fault extends Error {
  constructor(readonly at: number) {
    super(`EFAULT at ${at}`);
  }
}

export class RelayHost {
  private readonly i32: Int32Array;
  private readonly procs = new Map<number, Proc>();
  /** Parked operations by the heap word they wait on. */
  private readonly waiters = new Map<number, Set<Park>>();
  /** Relayed ops handled (the test of relay mode reads it: a run that never relayed was not in relay mode), and how many of them were one-way. */
  ops = 0;
  posted = 0;

  constructor(
    private readonly kernel: Kernel,
    private readonly heap: SharedHeap,
    private readonly env: RelayHostEnv,
  ) {
    this.i32 = new Int32Array(heap.buffer);
    heap.onWake = (index) => this.wake(index);
  }

  private proc(pid: number): Proc {
    let p = this.procs.get(pid);
    if (!p) {
      const now = (): number => this.env.now();
      const onWake = (index: number): void => this.wake(index);
      const never = (): never => {
        throw new Error("relay host: a ring operation tried to block on the host");
      };
      p = {
        rings: new Rings(this.heap.buffer, { now, wait: never, note: () => {}, unnote: () => {}, onWake }),
        socks: new SockRings(this.heap.buffer, { now, wait: never, note: () => {}, unnote: () => {}, kick: (ring) => this.kernel.syscall(pid, "sock_kick", { ring }, null, false) }, onWake),
        interrupts: false,
        sig: 0,
        park: null,
        sent: 0,
        failed: null,
      };
      this.procs.set(pid, p);
    }
    return p;
  }

  /** A process's worker is attached; `early`: a signal that came before (raised once its code runs). */
  attach(pid: number, early: number): void {
    this.proc(pid).sig = early;
  }

  /** The process is gone (exited or killed): its parked op and its state go. */
  end(pid: number): void {
    const p = this.procs.get(pid);
    if (!p) return;
    if (p.park) this.unpark(p.park, "interrupted");
    this.procs.delete(pid);
  }

  /** A signal for `pid` (Machine.interruptWorker): false when one is pending already. */
  interrupt(pid: number, sig: number): boolean {
    const p = this.proc(pid);
    if (p.sig !== 0) return false;
    p.sig = sig;
    if (p.park && p.interrupts) this.answerInterrupted(p);
    return true;
  }

  /** The kernel takes the pending signal back (SignalDelivery.takeInterrupt). */
  takeSignal(pid: number): number {
    const p = this.procs.get(pid);
    if (!p) return 0;
    const sig = p.sig;
    p.sig = 0;
    return sig;
  }

  /**
   * A heap word changed: every op parked on it tries again (in the order they parked). Wakes
   * that happen inside an operation (a ring's notify) are queued and run after it: a retry must
   * never run inside another ring call (it could re-enter the same Rings mid-update).
   */
  wake(index: number): void {
    this.woken.push(index);
    if (!this.busy) this.drain();
  }

  private readonly woken: number[] = [];
  private busy = false;

  private drain(): void {
    this.busy = true;
    try {
      for (;;) {
        const index = this.woken.shift();
        if (index === undefined) {
          // The Queue feeders' backlogs (CPython's feeder threads) move whenever a pipe may have room.
          // A controlled process's backlog moves at its own points only (its worker asks: ring.pump).
          for (const [pid, p] of this.procs) if (p.rings.pending > 0 && !this.kernel.controlled?.(pid)) p.rings.pump();
          if (this.woken.length === 0) break;
          continue;
        }
        const set = this.waiters.get(index);
        if (!set) continue;
        for (const park of [...set]) {
          if (!set.has(park)) continue;
          const a = this.attempt(park);
          if (a) this.finish(park, a, "ready");
        }
      }
    } finally {
      this.busy = false;
    }
  }

  private attempt(park: Park): SeamAnswer | null {
    const was = this.busy;
    this.busy = true;
    try {
      return park.retry();
    } catch (e) {
      return this.failure(e);
    } finally {
      this.busy = was;
    }
  }

  private failure(e: unknown): SeamAnswer {
    if (e instanceof Fault) return { ok: false, json: JSON.stringify({ fault: e.at }), bytes: null };
    return { ok: false, json: JSON.stringify({ error: e instanceof Error ? e.message : String(e) }), bytes: null };
  }

  /** Runs one relayed op for `pid` (its worker is blocked until `env.answer`). */
  handle(pid: number, op: string, args: JsonObject, bytes: Uint8Array | null): void {
    this.ops++;
    const p = this.proc(pid);
    if (p.failed && op !== "signal.take") {
      // A one-way op of this process failed after it went on: its next request reports that
      // (not a peek for a signal, which Pyodide makes between any two bytecodes).
      const a = p.failed;
      p.failed = null;
      this.env.answer(pid, a);
      return;
    }
    let a: SeamAnswer | null;
    this.busy = true;
    try {
      a = this.run(pid, p, op, args, bytes);
    } catch (e) {
      a = this.failure(e);
    } finally {
      this.busy = false;
    }
    if (a) this.env.answer(pid, a);
    this.drain();
  }

  /**
   * Runs a one-way op of `pid` (protocol `oneway`): one that cannot wait and whose result the
   * worker assumed (worker/relay.ts says which). It arrives in the worker's message order, so
   * before that worker's next request and anything it does after. A fault (the bytes are not
   * the program's) is answered to the worker's next request instead.
   */
  post(pid: number, op: string, args: JsonObject, bytes: Uint8Array | null): void {
    this.ops++;
    this.posted++;
    const p = this.proc(pid);
    let a: SeamAnswer | null;
    this.busy = true;
    try {
      if (!ONEWAY.has(op)) throw new Error(`relay ${op} cannot be one-way`);
      if (op === "ring.feed" && this.i32[this.ring(pid, Number(args.r)) + RING.MAXSIZE] !== 0) throw new Error("relay ring.feed: one-way into a bounded queue");
      a = this.run(pid, p, op, { ...args, block: false, ms: 0 }, bytes);
      if (op === "ring.feed" && a && JSON.parse(a.json)[0] !== RingCode.OK) throw new Error(`relay ring.feed: a one-way feed failed (${a.json})`);
    } catch (e) {
      a = this.failure(e);
    } finally {
      this.busy = false;
    }
    if (a && !a.ok) p.failed ??= a;
    this.drain();
  }

  /** Bytes [at, at + n) must lie in one block of `pid`'s program (worker/rights.ts, host-side). */
  private check(pid: number, at: number, n: number): void {
    if (!Number.isInteger(at) || !Number.isInteger(n) || at < 0 || n < 0) throw new Fault(at);
    const block = this.heap.rightsAt(this.kernel.programOf(pid), at);
    if (!block || at + n > block[0] + block[1]) throw new Fault(at);
  }

  private ring(pid: number, b: number): number {
    this.check(pid, b * 4, RING_HEADER_BYTES);
    this.check(pid, b * 4, RING_HEADER_BYTES + Math.max(0, this.i32[b + RING.CAP]));
    return b;
  }

  private run(pid: number, p: Proc, op: string, args: JsonObject, bytes: Uint8Array | null): SeamAnswer | null {
    const num = (k: string): number => {
      const v = args[k];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`relay ${op}: ${k} is not a number`);
      return v;
    };
    const str = (k: string): string => (typeof args[k] === "string" ? (args[k] as string) : "");
    const ms = typeof args.ms === "number" ? args.ms : -1;
    switch (op) {
      case "signal.enable":
        p.interrupts = true;
        return ok(0);
      case "signal.take": {
        const sig = p.interrupts ? p.sig : 0;
        if (p.interrupts) p.sig = 0;
        return ok(sig);
      }
      case "sleep":
        return this.park(p, pid, -1, -1, ms, () => null, () => ok(0), { on: "sleep", label: "time.sleep", timeoutMs: ms });
      case "pause": {
        const label = str("label");
        return this.park(p, pid, -1, -1, -1, () => null, () => ok(0), label ? { on: "sleep", label, timeoutMs: null } : null);
      }
      case "sem.acquire": {
        const i = num("i");
        this.check(pid, i * 4, 16);
        if (semTake(this.i32, i, pid)) return ok(1);
        if (!args.block || ms === 0) return ok(0);
        return this.park(p, pid, i, i + 1, ms, () => (semTake(this.i32, i, pid) ? ok(1) : null), () => ok(0), { on: "lock", label: str("label"), timeoutMs: ms < 0 ? null : ms });
      }
      case "sem.release": {
        const i = num("i");
        this.check(pid, i * 4, 16);
        const r = semGive(this.i32, i, num("max"));
        if (r > 0) this.wake(i);
        return ok(r < 0 ? -1 : 0);
      }
      case "sem.value": {
        const i = num("i");
        this.check(pid, i * 4, 16);
        return ok(this.i32[i]);
      }
      case "heap.get": {
        const fmt = str("fmt");
        const at = num("at");
        this.check(pid, at, fmtBytes(fmt));
        const v = heapGet(new DataView(this.heap.buffer), fmt, at);
        return ok(typeof v === "bigint" ? v.toString() : v);
      }
      case "heap.set": {
        const fmt = str("fmt");
        const at = num("at");
        this.check(pid, at, fmtBytes(fmt));
        const v = args.v;
        heapSet(new DataView(this.heap.buffer), fmt, at, typeof v === "string" && /^-?\d+$/.test(v) && (fmt === "q" || fmt === "Q") ? BigInt(v) : num("v"));
        return ok(0);
      }
      case "ring.put":
      case "ring.feed": {
        const b = this.ring(pid, num("r"));
        const blob = num("blob");
        const blobBytes = num("blobBytes");
        const on = args.on === "pipe" ? "pipe" : "queue";
        const feed = op === "ring.feed";
        const once = (): number =>
          feed ? p.rings.feed(b, bytes, blob, blobBytes, false, 0, str("label")) : p.rings.put(b, bytes, blob, false, 0, str("label"), blobBytes, on);
        // A feed answers [code, the process's backlog bytes] (the worker's room for one-way feeds).
        const answer = (r: number): SeamAnswer => ok(feed ? [r, p.rings.backlogSize] : r);
        const first = once();
        if (first !== RingCode.AGAIN || !args.block || ms === 0) return answer(first);
        return this.park(p, pid, b + RING.SPACE, b + RING.PUTTERS, ms, () => {
          const r = once();
          return r === RingCode.AGAIN ? null : answer(r);
        }, () => answer(RingCode.AGAIN), { on, label: str("label"), timeoutMs: ms < 0 ? null : ms });
      }
      case "ring.get":
      case "ring.poll": {
        const b = this.ring(pid, num("r"));
        const on = args.on === "pipe" ? "pipe" : "queue";
        const poll = op === "ring.poll";
        const once = (): SeamAnswer | null => {
          if (poll) return p.rings.poll(b, 0, str("label")) === 1 ? ok(1) : null;
          const r = p.rings.get(b, false, 0, str("label"), on);
          if (r === RingCode.AGAIN) return null;
          if (r === RingCode.OK) return args.ahead === true ? this.readAhead(pid, p, b, p.rings.lastBytes ?? new Uint8Array(0)) : ok(r, p.rings.lastBytes);
          return ok(r === RingCode.BLOB ? [r, p.rings.lastBlob] : r);
        };
        const first = once();
        if (first || (!poll && !args.block) || ms === 0) return first ?? ok(0);
        return this.park(p, pid, b + RING.PUTS, b + RING.GETTERS, ms, once, () => ok(0), { on, label: str("label"), timeoutMs: ms < 0 ? null : ms });
      }
      case "ring.took": {
        // An item the worker read ahead and has now got (see readAhead): it is at the head.
        if (p.rings.get(this.ring(pid, num("r")), false, 0, "", "queue") !== RingCode.OK) throw new Error("relay ring.took: no item to take");
        return ok(0);
      }
      case "ring.flush": {
        const r = num("r");
        const b = r >= 0 ? this.ring(pid, r) : r;
        const k = p.rings.unflushedRing(b);
        if (k < 0) return ok(0);
        // Room in a pipe appears when a reader takes an item (SPACE is bumped per get); the
        // waiters count makes the reader notify it.
        return this.park(p, pid, k + RING.SPACE, k + RING.PUTTERS, -1, () => (p.rings.unflushedRing(b) < 0 ? ok(0) : null), () => ok(0), { on: "queue", label: `queue#${k}`, timeoutMs: null });
      }
      case "ring.pump": {
        // Controlled mode: the feeder's backlog moves at this process's points. Answers the
        // rings it moved items into (their getters may go on) and what is still pending.
        const before = new Map([...p.rings.backlogSizes()]);
        p.rings.pump();
        const after = p.rings.backlogSizes();
        return ok({ moved: [...before.keys()].filter((b) => (after.get(b) ?? 0) < (before.get(b) ?? 0)), pending: p.rings.pending });
      }
      case "ring.unflushed": {
        const r = num("r");
        return ok(p.rings.unflushedRing(r >= 0 ? this.ring(pid, r) : r));
      }
      case "ring.unfinished":
        return ok(this.i32[this.ring(pid, num("r")) + RING.UNFINISHED]);
      case "ring.cancel":
        p.rings.cancel(this.ring(pid, num("r")));
        return ok(0);
      case "ring.size":
        return ok(p.rings.size(this.ring(pid, num("r"))));
      case "ring.inPipe":
        return ok(p.rings.inPipe(this.ring(pid, num("r"))));
      case "ring.taskDone":
        return ok(p.rings.taskDone(this.ring(pid, num("r"))));
      case "ring.join": {
        const b = this.ring(pid, num("r"));
        const done = (): SeamAnswer | null => (this.i32[b + RING.UNFINISHED] === 0 ? ok(0) : null);
        return done() ?? this.park(p, pid, b + RING.UNFINISHED, -1, -1, done, () => ok(0), { on: "queue", label: str("label"), timeoutMs: null });
      }
      case "sock.send": {
        const b = num("r");
        this.check(pid, b * 4, SOCK_RING_HEADER_BYTES);
        const src = bytes ?? new Uint8Array(0);
        const all = args.all === true;
        const fd = num("fd");
        p.sent = 0;
        // Answers [result, bytes moved]: result ≥ 0 is the count (done), else SLOW/AGAIN/TIMEOUT.
        const once = (): SeamAnswer | null => {
          const r = p.socks.send(b, src.subarray(p.sent), 0, all, fd);
          if (r >= 0) return ok([p.sent + r, p.sent + r]);
          p.sent += p.socks.lastSent;
          return r === SOCK_AGAIN ? null : ok([r, p.sent]);
        };
        const first = once();
        if (first || ms === 0) return first ?? ok([SOCK_AGAIN, p.sent]);
        return this.park(p, pid, b + SOCK_RING.SEQ, -1, ms, once, () => ok([SOCK_TIMEOUT, p.sent]), { on: "socket", label: `socket fd ${fd} (${all ? "sendall" : "send"})`, timeoutMs: ms < 0 ? null : ms });
      }
      case "sock.recv": {
        const b = num("r");
        this.check(pid, b * 4, SOCK_RING_HEADER_BYTES);
        const n = num("n");
        const fd = num("fd");
        const once = (): SeamAnswer | null => {
          const dest = new Uint8Array(Math.max(0, Math.min(n, Math.max(1, p.socks.ops.used(b)))));
          const k = p.socks.recvIntoView(b, dest, 0, fd);
          if (k === SOCK_AGAIN) return null;
          return k >= 0 ? ok(k, dest.subarray(0, k)) : ok(k);
        };
        const first = once();
        if (first || ms === 0) return first ?? ok(SOCK_AGAIN);
        return this.park(p, pid, b + SOCK_RING.SEQ, -1, ms, once, () => ok(SOCK_TIMEOUT), { on: "socket", label: `socket fd ${fd} (recv)`, timeoutMs: ms < 0 ? null : ms });
      }
      default:
        throw new Error(`relay: unknown op ${op}`);
    }
  }

  /**
   * Read-ahead, for a Queue get: while `pid` is the only live process of its program, no other
   * process can take from ring `b` or look at it, and only `pid` could start one (a syscall,
   * before which its worker drops what it read ahead: worker/relay.ts). So the answer to a get
   * carries copies of the items after the one taken; the worker gets each from its copy and
   * posts `ring.took` (one-way), which takes it from the ring in the worker's own order.
   * Answers `{c: OK, ahead: [lengths]}` with the item's and the copies' bytes, one after another.
   */
  private readAhead(pid: number, p: Proc, b: number, item: Uint8Array): SeamAnswer {
    if (this.kernel.programSize(pid) !== 1 || this.kernel.controlled?.(pid)) return ok(RingCode.OK, item);
    const ahead = p.rings.peek(b, AHEAD_ITEMS, AHEAD_ITEM_MAX, AHEAD_BYTES);
    if (ahead.length === 0) return ok(RingCode.OK, item);
    const bytes = new Uint8Array(item.length + ahead.reduce((n, a) => n + a.length, 0));
    bytes.set(item);
    let at = item.length;
    for (const a of ahead) {
      bytes.set(a, at);
      at += a.length;
    }
    return ok({ c: RingCode.OK, ahead: ahead.map((a) => a.length) }, bytes);
  }

  /**
   * Parks an op of `pid` on heap word `index` (counted in word `count` meanwhile, so whoever
   * changes it notifies) until `retry` answers, `ms` pass (< 0: never), or a signal comes.
   */
  private park(p: Proc, pid: number, index: number, count: number, ms: number, retry: () => SeamAnswer | null, timedOut: () => SeamAnswer, note: Park["note"]): SeamAnswer | null {
    if (p.interrupts && p.sig !== 0) {
      const sig = p.sig;
      p.sig = 0;
      return { ok: false, json: JSON.stringify({ sig, sent: p.sent }), bytes: null };
    }
    if (p.park) throw new Error("relay: a second op parked while one waits");
    const park: Park = { pid, index, count, retry, timedOut, note, noted: false, cancelTimers: [] };
    p.park = park;
    if (index >= 0) {
      let set = this.waiters.get(index);
      if (!set) this.waiters.set(index, (set = new Set()));
      set.add(park);
    }
    if (count >= 0) this.i32[count] += 1;
    if (ms >= 0) {
      park.cancelTimers.push(
        this.env.setTimer(ms, () => {
          this.finish(park, this.attempt(park) ?? park.timedOut(), "timeout");
          if (!this.busy) this.drain();
        }),
      );
    }
    // Blocks shorter than QUIET_MS are not reported (a fast ping-pong would flood the event stream).
    if (note) {
      park.cancelTimers.push(
        this.env.setTimer(QUIET_MS, () => {
          if (p.park !== park) return;
          park.noted = true;
          this.kernel.syscall(pid, "note_block", { on: note.on, object: note.label, timeoutMs: note.timeoutMs }, null, false);
        }),
      );
    }
    return null;
  }

  private unpark(park: Park, reason: "ready" | "timeout" | "interrupted"): boolean {
    const p = this.procs.get(park.pid);
    if (!p || p.park !== park) return false;
    p.park = null;
    for (const cancel of park.cancelTimers) cancel();
    if (park.index >= 0) {
      const set = this.waiters.get(park.index);
      set?.delete(park);
      if (set && set.size === 0) this.waiters.delete(park.index);
    }
    if (park.count >= 0) this.i32[park.count] -= 1;
    if (park.noted && park.note && this.kernel.table.isAlive(park.pid)) this.kernel.syscall(park.pid, "note_unblock", { on: park.note.on, reason }, null, false);
    return true;
  }

  private finish(park: Park, a: SeamAnswer, reason: "ready" | "timeout"): void {
    if (this.unpark(park, reason)) this.env.answer(park.pid, a);
  }

  private answerInterrupted(p: Proc): void {
    const park = p.park;
    if (!park) return;
    const sig = p.sig;
    p.sig = 0;
    if (this.unpark(park, "interrupted")) this.env.answer(park.pid, { ok: false, json: JSON.stringify({ sig, sent: p.sent }), bytes: null });
  }
}
