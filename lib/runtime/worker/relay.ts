/**
 * Relay mode's worker side: this worker shares no memory with anyone, so every `_spawnpoint_js`
 * function that touches shared state (locks, queue and pipe rings, socket rings, Value/Array/
 * SharedMemory bytes, sleeps and pauses, the pending signal) becomes one request to the host,
 * which runs the whole operation on its heap (../relay-host.ts) and answers through the seam
 * (../seam.ts) once it is done, timed out or interrupted. `relayTable` replaces exactly those
 * entries of the table ./ffi.ts builds; the rest (syscalls, controlled mode's points) is the same
 * in both modes.
 *
 * Signals: Pyodide's interrupt buffer is read by JS (`_Py_CheckEmscriptenSignals`), so here it
 * is an object whose element 0 asks the host for a pending signal at most every PEEK_MS: a busy
 * loop stays fast, and Ctrl-C, `terminate()` with a handler or SIGSTOP still reach it. A request
 * parked on the host is answered "interrupted" with the signal; the handler runs here, and
 * unless it raised, the request goes again with the time left (PEP 475).
 */
import type { JsonObject } from "@/lib/kernel";
import type { SeamAnswer, WorkerSeam } from "../seam";
import { BACKLOG_MAX_BYTES, RingCode } from "./ring";
import { BadAddress } from "./rights";
import { sched, type WaitOn } from "./sched-gate";
import { SOCK_AGAIN, SOCK_BIG, SOCK_INTERRUPTED, SOCK_TEXT_MAX, SOCK_TIMEOUT, type PyBufferLike } from "./sock";

/** How often a running interpreter asks the host for a pending signal (ms). */
export const PEEK_MS = 15;

/** Items up to this size come back to Python as latin-1 strings (as in ./ffi.ts). */
const TEXT_MAX = 4096;

/** A ring slot (length word + bytes) this big always fits a queue's ring (RING_DATA_BYTES): a one-way feed is never TOO_BIG. */
const ONEWAY_ITEM_MAX = 4 + TEXT_MAX;

/** CPython's SEM_VALUE_MAX on Linux: a semaphore with this maxvalue is unbounded (Semaphore, not BoundedSemaphore). */
const SEM_VALUE_MAX = 2147483647;

function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function bytesToLatin1(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** The worker's end of relay mode: requests, the pending signal, and the Python handler runs. */
export class RelayClient {
  private deliver: ((sig: number) => boolean) | null = null;
  private enabled = false;
  /** A signal taken from the host and not yet consumed by Pyodide's check. */
  private local = 0;
  private nextPeek = 0;
  /**
   * Queue items read ahead (RelayHost.readAhead), per ring: valid only while this process is
   * its program's only one, so dropped before every syscall (one may start another process).
   */
  readonly ahead = new Map<number, { readonly items: Uint8Array[]; next: number }>();
  /** Requests sent, and one-way ops posted (kept for diagnosis). */
  requests = 0;
  posted = 0;
  /**
   * Bytes this process may still feed one-way into unbounded queues: its feeder backlog on the
   * host stays under BACKLOG_MAX_BYTES (the host's NO_MEMORY), so a posted feed cannot fail.
   * Only this process adds to its backlog; a sync feed's answer says how big it is.
   */
  feedRoom = BACKLOG_MAX_BYTES;
  /** Controlled mode: this process may have Queue items in its host-side feeder backlog (see `pump`). */
  backlog = false;

  constructor(
    private readonly seam: WorkerSeam,
    private readonly now: () => number,
  ) {}

  setDeliver(deliver: (sig: number) => boolean): void {
    this.deliver = deliver;
  }

  /** A recycled worker's next process: signals held again until its code runs. */
  reset(): void {
    this.enabled = false;
    this.local = 0;
    this.feedRoom = BACKLOG_MAX_BYTES;
    this.ahead.clear();
  }

  /** The seam for this worker's syscalls: drops what it read ahead before each one (see `ahead`). */
  syscallSeam(): WorkerSeam {
    return {
      call: (msg, parked) => {
        this.ahead.clear();
        return this.seam.call(msg, parked);
      },
      post: (msg) => this.seam.post(msg),
    };
  }

  call(op: string, args: JsonObject, bytes: Uint8Array | null = null): SeamAnswer {
    this.requests++;
    return this.seam.call({ type: "relay", op, args, bytes });
  }

  /**
   * An op that cannot wait and whose result is known here: posted without waiting for the
   * answer (no round trip). The host runs it in message order, before this worker's next
   * request, so no other process can see the state without it.
   */
  post(op: string, args: JsonObject, bytes: Uint8Array | null = null): void {
    this.posted++;
    this.seam.post({ type: "relay", op, args, bytes, oneway: true });
  }

  /** The JSON result of an op that never parks. */
  value(op: string, args: JsonObject, bytes: Uint8Array | null = null): unknown {
    const a = this.call(op, args, bytes);
    if (!a.ok) this.fail(a);
    return JSON.parse(a.json) as unknown;
  }

  private fail(a: SeamAnswer): never {
    const e = JSON.parse(a.json) as { fault?: number; error?: string };
    if (typeof e.fault === "number") throw new BadAddress(e.fault);
    throw new Error(e.error ?? "relay request failed");
  }

  /**
   * An op that may park on the host for up to `ms` (< 0: forever). After a signal whose handler
   * did not raise, asks again with the time left. Null: a handler raised (the wait must end).
   * `onSent`: bytes an interrupted socket send moved before the signal.
   */
  blocking(op: string, args: JsonObject, ms: number, bytes: Uint8Array | null = null, onSent?: (n: number) => void): SeamAnswer | null {
    const deadline = ms < 0 ? Infinity : this.now() + ms;
    for (let left = ms; ; left = ms < 0 ? -1 : Math.max(0, deadline - this.now())) {
      const a = this.call(op, { ...args, ms: left }, bytes);
      if (a.ok) return a;
      const e = JSON.parse(a.json) as { sig?: number; sent?: number };
      if (typeof e.sig !== "number") this.fail(a);
      if (e.sent) onSent?.(e.sent);
      if (this.runHandler(e.sig)) return null;
      if (e.sent && bytes) bytes = bytes.subarray(e.sent);
    }
  }

  /** Runs signal `sig`'s Python handler: true when the wait it interrupted must end. */
  runHandler(sig: number): boolean {
    return this.deliver ? this.deliver(sig) : true;
  }

  /**
   * Controlled mode moves the feeder's backlog at this process's own points (the host does not
   * pump a controlled process's backlog by itself): the gate calls this at each point.
   */
  pump(): void {
    if (!this.backlog) return;
    const r = this.value("ring.pump", {}) as { moved: number[]; pending: number };
    for (const b of r.moved) sched.wakes.push(`queue:${b}`);
    this.backlog = r.pending > 0;
  }

  /** The program's own code runs from now on: signals reach it (the host may interrupt its waits). */
  enable(): void {
    this.enabled = true;
    this.post("signal.enable", {});
  }

  /** Runs a pending signal's handler now (Waits.takeInterrupt's relay twin): true when the caller must end. */
  takeInterrupt(): boolean {
    if (!this.enabled) return false;
    const sig = this.local || Number(this.value("signal.take", {}));
    this.local = 0;
    return sig !== 0 && this.runHandler(sig);
  }

  /** What Pyodide reads as its interrupt buffer: element 0 is the pending signal, asked for at most every PEEK_MS. */
  readonly signalBuffer = ((client: RelayClient) => ({
    get 0(): number {
      if (client.local !== 0 || !client.enabled) return client.local;
      const t = client.now();
      if (t < client.nextPeek) return 0;
      client.nextPeek = t + PEEK_MS;
      client.local = Number(client.value("signal.take", {}));
      return client.local;
    },
    set 0(v: number) {
      client.local = v;
    },
  }))(this);
}

/** The ffi entries relay mode replaces (see the banner); `wasmBytes` is the interpreter's memory, read per call. */
export function relayTable(relay: RelayClient, wasmBytes: () => Uint8Array, setInterruptBuffer: (b: unknown) => void, controlledSleep: (seconds: number) => number) {
  let lastBytes: Uint8Array | null = null;
  let lastBlob = 0;
  let lastSent = 0;
  /** Bytes a recv took from the host beyond what fits a string: Python fetches them at once with recv_at/recv_into. */
  const stash = new Map<number, Uint8Array>();
  const num = (a: SeamAnswer | null, interrupted: number): number => (a ? Number(JSON.parse(a.json)) : interrupted);

  /**
   * Controlled mode (./sched-gate.ts), as Waits and Rings do it: a point, then non-blocking
   * attempts on the host; while one would wait, park blocked at the scheduler until another
   * process's operation on `obj` (or the virtual deadline). 0: would block / timed out, −1: a
   * handler raised.
   */
  const controlled = (op: string, obj: string, on: WaitOn, label: string, block: boolean, ms: number, attempt: () => number | null): number => {
    let g = sched.point(op, obj, "write");
    const deadline = ms < 0 ? null : g.clock + ms;
    for (;;) {
      const r = attempt();
      if (r !== null) return r;
      if (!block || ms === 0 || g.timedOut) return 0;
      g = sched.block(op, obj, on, label, deadline);
      if (g.interrupted) return -1;
    }
  };

  const put = (r: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string, op = "ring.put", on: "queue" | "pipe" = "queue", unbounded = false): number => {
    const args = { r, blob, blobBytes, block, label, on };
    if (op === "ring.feed") relay.backlog = true;
    if (!sched.on && op === "ring.feed") {
      // A feed into an unbounded queue cannot wait; one that fits the ring and the backlog's room cannot fail.
      const need = data ? 4 + data.length : 8;
      if (unbounded && need <= ONEWAY_ITEM_MAX && need <= relay.feedRoom) {
        relay.feedRoom -= need;
        relay.post(op, { ...args, block: false, ms: 0 }, data);
        return RingCode.OK;
      }
      const a = relay.blocking(op, args, block ? ms : 0, data);
      if (!a) return RingCode.INTERRUPTED;
      const [code, backlog] = JSON.parse(a.json) as [number, number];
      relay.feedRoom = BACKLOG_MAX_BYTES - backlog;
      return code;
    }
    if (!sched.on) return num(relay.blocking(op, args, block ? ms : 0, data), RingCode.INTERRUPTED);
    return controlled(`${on}.put`, `${on}:${r}`, on, label, block, ms, () => {
      const v = relay.value(op, { ...args, block: false, ms: 0 }, data);
      const c = Number(Array.isArray(v) ? v[0] : v); // a feed answers [code, backlog bytes]
      return c === RingCode.AGAIN ? null : c;
    });
  };

  /** One get: the code, with the item in lastBytes / lastBlob (and the items read ahead of it kept for ring r). */
  const getOnce = (a: SeamAnswer | null, r: number): number => {
    if (!a) return RingCode.INTERRUPTED;
    const v = JSON.parse(a.json) as number | [number, number] | { c: number; ahead: number[] };
    if (Array.isArray(v)) {
      lastBlob = v[1];
      return v[0];
    }
    if (typeof v === "object") {
      // The item, then copies of the ones after it (RelayHost.readAhead).
      const bytes = a.bytes ?? new Uint8Array(0);
      let at = bytes.length - v.ahead.reduce((n, k) => n + k, 0);
      lastBytes = bytes.subarray(0, at);
      const items: Uint8Array[] = [];
      for (const k of v.ahead) {
        items.push(bytes.subarray(at, at + k));
        at += k;
      }
      relay.ahead.set(r, { items, next: 0 });
      return v.c;
    }
    if (v === RingCode.OK) lastBytes = a.bytes ?? new Uint8Array(0);
    return v;
  };

  const get = (r: number, block: boolean, ms: number, label: string, on: "queue" | "pipe" = "queue"): string | number => {
    if (on === "queue" && !sched.on) {
      const kept = relay.ahead.get(r);
      if (kept) {
        lastBytes = kept.items[kept.next++];
        if (kept.next === kept.items.length) relay.ahead.delete(r);
        relay.post("ring.took", { r });
        return lastBytes.length <= TEXT_MAX ? bytesToLatin1(lastBytes) : RingCode.OK;
      }
    }
    const args = { r, block, label, on, ahead: on === "queue" && !sched.on };
    const v = sched.on
      ? controlled(`${on}.get`, `${on}:${r}`, on, label, block, ms, () => {
          const c = getOnce(relay.call("ring.get", { ...args, block: false, ms: 0 }), r);
          return c === RingCode.AGAIN ? null : c;
        })
      : getOnce(relay.blocking("ring.get", args, block ? ms : 0), r);
    return v === RingCode.OK && lastBytes && lastBytes.length <= TEXT_MAX ? bytesToLatin1(lastBytes) : v;
  };

  /** A socket call's wait in controlled mode: at the scheduler, in virtual time. */
  const sockBlock = (label: string, ms: number, vstart: number): number | null => {
    const g = sched.block("sock.wait", "kernel", "socket", label, ms < 0 ? null : vstart + ms);
    return g.interrupted ? SOCK_INTERRUPTED : g.timedOut ? SOCK_TIMEOUT : null;
  };

  const send = (r: number, src: Uint8Array, ms: number, all: boolean, fd: number): number => {
    let total = 0;
    if (sched.on) {
      sched.point(all ? "sock.sendall" : "sock.send", `sock:${r}`, "write");
      const vstart = sched.clock;
      for (;;) {
        const [code, sent] = JSON.parse(relay.call("sock.send", { r, all, fd, ms: 0 }, src.subarray(total)).json) as [number, number];
        total += sent;
        lastSent = total;
        if (code >= 0) return total;
        if (code !== SOCK_AGAIN || ms === 0) return code;
        const end = sockBlock(`socket fd ${fd} (${all ? "sendall" : "send"})`, ms, vstart);
        if (end !== null) return end;
      }
    }
    const a = relay.blocking("sock.send", { r, all, fd }, ms, src, (n) => (total += n));
    if (!a) {
      lastSent = total;
      return SOCK_INTERRUPTED;
    }
    const [code, sent] = JSON.parse(a.json) as [number, number];
    total += sent;
    lastSent = total;
    return code >= 0 ? total : code;
  };

  /** recv in controlled mode: a point, then non-blocking tries, waiting at the scheduler between them. */
  const recvControlled = (r: number, n: number, ms: number, fd: number): Uint8Array | number => {
    sched.point("sock.recv", `sock:${r}`, "write");
    const vstart = sched.clock;
    for (;;) {
      const a = relay.call("sock.recv", { r, n, fd, ms: 0 });
      const code = Number(JSON.parse(a.json));
      if (code >= 0) return a.bytes ?? new Uint8Array(0);
      if (code !== SOCK_AGAIN || ms === 0) return code;
      const end = sockBlock(`socket fd ${fd} (recv)`, ms, vstart);
      if (end !== null) return end;
    }
  };

  /** Up to n bytes from ring r (a negative code instead: EOF, would block, interrupted, an error). */
  const recvBytes = (r: number, n: number, ms: number, fd: number): Uint8Array | number => {
    if (sched.on) return recvControlled(r, n, ms, fd);
    const a = relay.blocking("sock.recv", { r, n, fd }, ms);
    if (!a) return SOCK_INTERRUPTED;
    const code = Number(JSON.parse(a.json));
    return code < 0 ? code : (a.bytes ?? new Uint8Array(0));
  };

  const recvInto = (r: number, n: number, dest: () => Uint8Array, ms: number, fd: number): number => {
    let data = stash.get(r);
    if (data) stash.delete(r);
    else {
      const got = recvBytes(r, n, ms, fd);
      if (typeof got === "number") return got;
      data = got;
    }
    const out = dest();
    const k = Math.min(out.length, data.length);
    out.set(data.subarray(0, k));
    if (k < data.length) stash.set(r, data.slice(k));
    return k;
  };

  return {
    enable_interrupts: () => {
      setInterruptBuffer(relay.signalBuffer);
      relay.enable();
    },
    take_interrupt: () => relay.takeInterrupt(),
    sleep: (seconds: number): number => {
      // Controlled: virtual time only (Waits.sleep's controlled branch touches no shared state).
      if (sched.on) return controlledSleep(seconds);
      if (seconds <= 0) return relay.takeInterrupt() ? -1 : 0;
      return relay.blocking("sleep", {}, seconds * 1000) ? 0 : -1;
    },
    pause: (label: string | null): number => {
      const a = relay.call("pause", { label: label ?? "" });
      const e = JSON.parse(a.json) as { sig?: number };
      if (a.ok || typeof e.sig !== "number") return 0;
      return relay.runHandler(e.sig) ? -1 : 0;
    },
    sem_acquire: (i: number, block: boolean, ms: number, label: string): number => {
      if (!sched.on) return num(relay.blocking("sem.acquire", { i, block, label }, block ? ms : 0), -1);
      const kind = label.slice(0, label.indexOf("#"));
      return controlled(`${kind}.acquire`, `lock:${i}`, "lock", label, block, ms, () => (Number(relay.value("sem.acquire", { i, block: false, label, ms: 0 })) === 1 ? 1 : null));
    },
    // 0 sends Python to sem_acquire, which tries first on the host too: one round trip, not two
    // (controlled: its gated path is the one point of an acquire).
    sem_try: () => 0,
    sem_release: (i: number, max: number, owned?: boolean) => {
      if (sched.on) sched.point("lock.release", `lock:${i}`, "write");
      // An owned RLock's post cannot fail, nor (short of 2³¹−1 posts) an unbounded semaphore's.
      else if (owned === true || max >= SEM_VALUE_MAX) {
        relay.post("sem.release", { i, max });
        return 0;
      }
      return Number(relay.value("sem.release", { i, max }));
    },
    sem_value: (i: number) => {
      if (sched.on) sched.point("lock.value", `lock:${i}`, "read");
      return Number(relay.value("sem.value", { i }));
    },
    // A 64-bit value past 2**53 crosses as its decimal text (JSON has no BigInt).
    heap_get: (fmt: string, at: number) => {
      const v = relay.value("heap.get", { fmt, at });
      return typeof v === "string" ? BigInt(v) : Number(v);
    },
    // Python's bool arrives as a JS boolean (Value("i", False)): as a number, as DataView takes it in normal mode.
    heap_set: (fmt: string, at: number, v: number | boolean | bigint) => relay.post("heap.set", { fmt, at, v: typeof v === "bigint" ? v.toString() : Number(v) }),
    ring_put: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) => put(r, data, blob, blobBytes, block, ms, label),
    ring_feed: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) =>
      put(r, data, blob, blobBytes, block, ms, label, "ring.feed"),
    ring_feed_text: (r: number, text: string, block: boolean, ms: number, label: string, unbounded?: boolean) =>
      put(r, latin1ToBytes(text), 0, 0, block, ms, label, "ring.feed", "queue", unbounded === true),
    ring_put_text: (r: number, text: string, block: boolean, ms: number, label: string) => put(r, latin1ToBytes(text), 0, 0, block, ms, label),
    ring_flush: (r: number): number => {
      if (!sched.on) return num(relay.blocking("ring.flush", { r }, -1), -1);
      for (;;) {
        relay.pump();
        const k = Number(relay.value("ring.unflushed", { r }));
        if (k < 0) return 0;
        if (sched.block("queue.flush", `queue:${k}`, "queue", `queue#${k}`, null).interrupted) return -1;
      }
    },
    ring_cancel: (r: number) => relay.post("ring.cancel", { r }),
    // The host's backlog moves items as the pipe has room: a Pool's tasks are not held there.
    ring_hold: () => undefined,
    ring_in_pipe: (r: number) => {
      if (sched.on) sched.point("queue.empty", `queue:${r}`, "read");
      relay.pump();
      return Number(relay.value("ring.inPipe", { r }));
    },
    ring_get_text: (r: number, block: boolean, ms: number, label: string) => get(r, block, ms, label),
    pipe_send_text: (r: number, text: string, label: string) => put(r, latin1ToBytes(text), 0, 0, true, -1, label, "ring.put", "pipe"),
    pipe_send: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, label: string) => put(r, data, blob, blobBytes, true, -1, label, "ring.put", "pipe"),
    pipe_send_at: (r: number, addr: number, n: number, label: string) => put(r, wasmBytes().slice(addr, addr + n), 0, 0, true, -1, label, "ring.put", "pipe"),
    pipe_recv_text: (r: number, label: string) => get(r, true, -1, label, "pipe"),
    pipe_poll: (r: number, ms: number, label: string) =>
      sched.on
        ? controlled("pipe.get", `pipe:${r}`, "pipe", label, ms !== 0, ms, () => (Number(relay.value("ring.poll", { r, label, ms: 0 })) === 1 ? 1 : null))
        : num(relay.blocking("ring.poll", { r, label }, ms), -1),
    ring_bytes: () => lastBytes,
    ring_blob: () => lastBlob,
    ring_size: (r: number) => {
      if (sched.on) sched.point("queue.size", `queue:${r}`, "read");
      relay.pump();
      return Number(relay.value("ring.size", { r }));
    },
    ring_task_done: (r: number) => {
      if (sched.on) sched.point("queue.task_done", `queue:${r}`, "write");
      return Number(relay.value("ring.taskDone", { r }));
    },
    ring_join: (r: number, label: string): number => {
      if (!sched.on) return num(relay.blocking("ring.join", { r, label }, -1), -1);
      sched.point("queue.join", `queue:${r}`, "read");
      while (Number(relay.value("ring.unfinished", { r })) !== 0) {
        if (sched.block("queue.join", `queue:${r}`, "queue", label, null).interrupted) return -1;
      }
      return 0;
    },
    sock_send_text: (r: number, text: string, ms: number, all: boolean, fd: number) => send(r, latin1ToBytes(text), ms, all, fd),
    sock_send_buf: (r: number, buf: PyBufferLike, ms: number, all: boolean, fd: number) => {
      const view = buf.getBuffer("u8");
      try {
        return send(r, view.data.slice(), ms, all, fd);
      } finally {
        view.release();
      }
    },
    sock_send_at: (r: number, addr: number, n: number, ms: number, all: boolean, fd: number) => send(r, wasmBytes().slice(addr, addr + n), ms, all, fd),
    sock_sent: () => lastSent,
    sock_recv: (r: number, n: number, ms: number, fd: number): string | number => {
      const data = recvBytes(r, n, ms, fd);
      if (typeof data === "number") return data;
      if (data.length <= SOCK_TEXT_MAX) return bytesToLatin1(data);
      stash.set(r, data);
      return -(SOCK_BIG + data.length);
    },
    sock_recv_into: (r: number, buf: PyBufferLike, n: number, ms: number, fd: number) => {
      const view = buf.getBuffer("u8");
      try {
        return recvInto(r, Math.min(n, view.data.length), () => view.data.subarray(0, Math.min(n, view.data.length)), ms, fd);
      } finally {
        view.release();
      }
    },
    sock_recv_at: (r: number, addr: number, n: number, ms: number, fd: number) => recvInto(r, n, () => wasmBytes().subarray(addr, addr + n), ms, fd),
  };
}
