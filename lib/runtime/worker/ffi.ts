/**
 * The `_spawnpoint_js` module: every function Python calls in JS (imported by the runtime's
 * Python modules as `_js`). Small items cross as latin-1 strings and bytes objects by
 * address, which is cheaper than a PyProxy each way.
 */
import { Signal } from "@/lib/kernel/signals";
import type { Booted } from "./boot";
import { SOCK_RING_HEADER_BYTES, strerror } from "@/lib/kernel";
import { setUmask, syncForLock, syncOpenFiles, type EmFS } from "./fs-mirror";
import { lockTarget } from "./file-locks";
import { Rights } from "./rights";
import { relayTable } from "./relay";
import { RingCode } from "./ring";
import { sched, type WaitOn } from "./sched-gate";
import { tableShape } from "./snapshot-runtime";
import { SOCK_AGAIN, SOCK_BIG, SOCK_INTERRUPTED, SOCK_SLOW, SOCK_TEXT_MAX, SOCK_TIMEOUT, type PyBufferLike } from "./sock";
import { Killed, kill } from "./kill";

/** Items up to this size come back to Python as latin-1 strings (larger ones via ring_bytes). */
const TEXT_MAX = 4096;

function latin1ToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i);
  return out;
}

function bytesToLatin1(bytes: Uint8Array | null): string {
  if (!bytes) return "";
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** Typed read of a shared ctypes value (Value/Array): struct-module format letters. */
/** A 64-bit value as a number when that is exact, else a BigInt (Python gets the same int). */
function exact(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

export function heapGet(v: DataView, fmt: string, offset: number): number | bigint {
  switch (fmt) {
    case "b": return v.getInt8(offset);
    case "B": case "c": case "?": return v.getUint8(offset);
    case "h": return v.getInt16(offset, true);
    case "H": return v.getUint16(offset, true);
    case "i": case "l": return v.getInt32(offset, true);
    case "I": case "L": return v.getUint32(offset, true);
    case "q": return exact(v.getBigInt64(offset, true));
    case "Q": return exact(v.getBigUint64(offset, true));
    case "f": return v.getFloat32(offset, true);
    case "d": return v.getFloat64(offset, true);
    default: throw new Error(`bad typecode ${fmt}`);
  }
}

/** Bytes a struct format letter reads or writes. */
export function fmtBytes(fmt: string): number {
  return "bBc?".includes(fmt) ? 1 : "hH".includes(fmt) ? 2 : "qQd".includes(fmt) ? 8 : 4;
}

/**
 * Writes `value` (a Python int past 2**53 arrives as a BigInt; sharedctypes.py has already
 * wrapped it into the type's range, as ctypes does).
 */
export function heapSet(v: DataView, fmt: string, offset: number, given: number | bigint): void {
  if (typeof given === "bigint") {
    if (fmt === "q") return v.setBigInt64(offset, given, true);
    if (fmt === "Q") return v.setBigUint64(offset, given, true);
  }
  const value = Number(given);
  switch (fmt) {
    case "b": v.setInt8(offset, value); return;
    case "B": case "c": case "?": v.setUint8(offset, value); return;
    case "h": v.setInt16(offset, value, true); return;
    case "H": v.setUint16(offset, value, true); return;
    case "i": case "l": v.setInt32(offset, value, true); return;
    case "I": case "L": v.setUint32(offset, value, true); return;
    case "q": v.setBigInt64(offset, BigInt(Math.trunc(value)), true); return;
    case "Q": v.setBigUint64(offset, BigInt(Math.trunc(value)), true); return;
    case "f": v.setFloat32(offset, value, true); return;
    case "d": v.setFloat64(offset, value, true); return;
    default: throw new Error(`bad typecode ${fmt}`);
  }
}

export function createFfi(b: Booted) {
  const { py, channel, waits, rings, socks, heapView, em } = b;
  /** The interpreter's memory (Emscripten replaces the view when the memory grows: read it per call). */
  const wasmBytes = (): Uint8Array => em.HEAPU8;
  const queueLabel = (ring: number): string => `queue#${ring}`;
  // Every place Python names in the shared heap is checked against its program's rights (./rights.ts).
  const rights = new Rights(channel, b.heap, () => waits.pid);
  const ring = (r: number): number => (rights.ring(r), r);
  const sock = (r: number): number => (rights.words(r, SOCK_RING_HEADER_BYTES), r);
  const sem = (index: number): number => (rights.words(index, 16), index);
  const at = (fmt: string, offset: number): number => (rights.check(offset, fmtBytes(fmt)), offset);
  const table = {
    // The socket calls' result codes, read by _spawnpoint_net/socket.py (never copied there).
    SOCK_INTERRUPTED,
    SOCK_TIMEOUT,
    SOCK_AGAIN,
    SOCK_SLOW,
    SOCK_BIG,
    SOCK_TEXT_MAX,
    // The ring calls' result codes (ring.ts), read by _spawnpoint/queues.py and pipe_connection.py.
    RING_OK: RingCode.OK,
    RING_BLOB: RingCode.BLOB,
    RING_AGAIN: RingCode.AGAIN,
    RING_INTERRUPTED: RingCode.INTERRUPTED,
    RING_TOO_BIG: RingCode.TOO_BIG,
    RING_EOF: RingCode.EOF,
    RING_NO_READER: RingCode.NO_READER,
    RING_NO_MEMORY: RingCode.NO_MEMORY,
    // The signals the kernel delivers, by name (lib/kernel/signals.ts), read by _spawnpoint/signals.py.
    KERNEL_SIGNALS: Signal,
    /** Called by _spawnpoint.main once the process's own code is about to run: a SIGINT that
     * arrives while the runtime boots or sets up must not break the runtime itself. */
    /** os.umask: sets the process's mask (a negative one only reads it), returns the old. */
    umask: (mask: number): number => setUmask(mask),
    enable_interrupts: () => {
      // Pyodide reads and writes element 0 only (the type asks for a TypedArray; relay mode passes an object too).
      py.setInterruptBuffer(waits.interruptBuffer as unknown as Int32Array);
      waits.enableInterrupts();
    },
    // Socket rings (./sock.ts): ms < 0 waits forever, 0 is non-blocking.
    sock_send_text: (r: number, text: string, ms: number, all: boolean, fd: number) => socks.send(sock(r), text, ms, all, fd),
    sock_send_buf: (r: number, buf: PyBufferLike, ms: number, all: boolean, fd: number) => socks.sendBuffer(sock(r), buf, ms, all, fd),
    sock_sent: () => socks.lastSent,
    sock_recv: (r: number, n: number, ms: number, fd: number) => socks.recv(sock(r), n, ms, fd),
    sock_recv_into: (r: number, buf: PyBufferLike, n: number, ms: number, fd: number) => socks.recvInto(sock(r), buf, n, ms, fd),
    // By address: Python passes where a bytes object's data lies in the interpreter's memory
    // (id(obj) + ob_sval offset, checked by `bytes_probe`) and its length. Two ints cross the
    // FFI instead of a PyProxy and its buffer (~10 µs per call for 64 KiB).
    sock_send_at: (r: number, addr: number, n: number, ms: number, all: boolean, fd: number) =>
      socks.send(sock(r), wasmBytes().subarray(addr, addr + n), ms, all, fd),
    sock_recv_at: (r: number, addr: number, n: number, ms: number, fd: number) => socks.recvIntoView(sock(r), wasmBytes().subarray(addr, addr + n), ms, fd),
    /** Whether the n bytes at `addr` spell `text` (latin-1): the by-address calls' layout check. */
    bytes_probe: (addr: number, text: string): boolean => {
      const mem = wasmBytes();
      for (let k = 0; k < text.length; k++) if (mem[addr + k] !== text.charCodeAt(k)) return false;
      return true;
    },
    ring_put: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) =>
      rings.put(ring(r), data, blob, block, ms, label, blobBytes),
    // Queue.put: through the feeder backlog, never waiting for the pipe (see Rings.feed).
    ring_feed: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) =>
      rings.feed(ring(r), data, blob, blobBytes, block, ms, label),
    ring_feed_text: (r: number, text: string, block: boolean, ms: number, label: string) => rings.feed(ring(r), latin1ToBytes(text), 0, 0, block, ms, label),
    /** Queue.join_thread (r ≥ 0) and the exit (r < 0): 0 flushed, −1 interrupted. */
    ring_flush: (r: number) => rings.flush(r >= 0 ? ring(r) : r, queueLabel),
    ring_cancel: (r: number) => rings.cancel(ring(r)),
    ring_hold: (r: number) => rings.hold(ring(r)),
    ring_in_pipe: (r: number) => rings.inPipe(ring(r)),
    // Small items cross the FFI as latin-1 strings: cheaper than a Uint8Array proxy each way.
    ring_put_text: (r: number, text: string, block: boolean, ms: number, label: string) => rings.put(ring(r), latin1ToBytes(text), 0, block, ms, label),
    /** get in one FFI call: the item as a latin-1 string when it is small, else the GetResult code. */
    ring_get_text: (r: number, block: boolean, ms: number, label: string): string | number => {
      const res = rings.get(ring(r), block, ms, label);
      const bytes = rings.lastBytes;
      return res === 1 && bytes && bytes.length <= TEXT_MAX ? bytesToLatin1(bytes) : res;
    },
    // Pipe channels on rings (lib/kernel/pipes.ts): send waits for room like a full pipe and
    // returns −3 when no process holds the reading end (EPIPE); recv returns −2 at EOF.
    pipe_send_text: (r: number, text: string, label: string) => rings.put(ring(r), latin1ToBytes(text), 0, true, -1, label, 0, "pipe"),
    pipe_send: (r: number, data: Uint8Array | null, blob: number, blobBytes: number, label: string) =>
      rings.put(ring(r), data, blob, true, -1, label, blobBytes, "pipe"),
    pipe_send_at: (r: number, addr: number, n: number, label: string) => rings.put(ring(r), wasmBytes().subarray(addr, addr + n), 0, true, -1, label, 0, "pipe"),
    pipe_recv_text: (r: number, label: string): string | number => {
      const res = rings.get(ring(r), true, -1, label, "pipe");
      const bytes = rings.lastBytes;
      return res === 1 && bytes && bytes.length <= TEXT_MAX ? bytesToLatin1(bytes) : res;
    },
    pipe_poll: (r: number, ms: number, label: string) => rings.poll(ring(r), ms, label),
    ring_bytes: () => rings.lastBytes,
    ring_blob: () => rings.lastBlob,
    ring_size: (r: number) => rings.size(ring(r)),
    ring_task_done: (r: number) => rings.taskDone(ring(r)),
    ring_join: (r: number, label: string) => rings.join(ring(r), label),
    syscall: (name: string, argsJson: string, bytes: Uint8Array | null) => channel.call(name, argsJson, bytes),
    post: (name: string, argsJson: string, bytes: Uint8Array | null) => channel.post(name, argsJson, bytes),
    reply_json: () => channel.replyJson,
    reply_bytes: () => channel.replyBytes,
    sem_acquire: (index: number, block: boolean, timeoutMs: number, label: string) => waits.semAcquire(sem(index), block, timeoutMs, label),
    /** Uncontended fast path: one CAS, one int argument (1 acquired, 0 not). */
    sem_try: (index: number) => waits.semTry(sem(index)),
    sem_release: (index: number, maxvalue: number) => waits.semRelease(sem(index), maxvalue),
    sem_value: (index: number) => waits.semValue(sem(index)),
    sleep: (seconds: number) => waits.sleep(seconds),
    /** Linux's (glibc's) text for errno `n`: os.strerror and the errors linux_errno renumbers. */
    strerror: (n: number) => (n === 0 ? "Success" : strerror(n)),
    /** A signal the process sent itself runs its handler before kill() returns (bootstrap.kill). */
    take_interrupt: () => waits.takeInterrupt(),
    /** os._exit: the shared files the process still has open keep what it wrote (./fs-mirror.ts). */
    sync_open_files: () => syncOpenFiles(py.FS as unknown as EmFS),
    /** File locks (_spawnpoint/file_locks.py, ./file-locks.ts): what `fd` locks, "ofd\tflags\tpath" ("" EBADF). */
    lock_target: (fd: number, record: boolean) => lockTarget(py.FS as unknown as EmFS, fd, record),
    /** Before a lock operation (false) this process's changed shared files reach the kernel; after one took a lock (true) its open ones are read again. */
    lock_sync: (acquired: boolean) => syncForLock(py.FS as unknown as EmFS, acquired),
    /** signal.pause (label) and a stopped process's park (null): see Waits.pause. */
    pause: (label: string | null) => waits.pause(label ?? null),
    heap_get: (fmt: string, offset: number) => heapGet(heapView, fmt, at(fmt, offset)),
    heap_set: (fmt: string, offset: number, value: number | bigint) => heapSet(heapView, fmt, at(fmt, offset), value),
    // Timeouts left after a retry: on the virtual clock in a controlled run (replays must not see real time).
    now: () => (sched.on ? sched.clock : waits.waiting.now()),
    // Controlled mode (./sched-gate.ts), for the points Python gates itself (start, exit,
    // join, clock reads, lines): the virtual clock in ms once granted.
    sched_point: (op: string, obj: string, access: string): number => sched.point(op, obj, access === "read" ? "read" : "write").clock,
    /** Parks blocked on `obj` until woken (0), past virtual `deadline` (< 0: none) (1: timed out), or a handler raised (2). */
    sched_block: (op: string, obj: string, on: string, label: string, deadline: number): number => {
      const g = sched.block(op, obj, on as WaitOn, label, deadline < 0 ? null : deadline);
      return g.interrupted ? 2 : g.timedOut ? 1 : 0;
    },
    sched_proc: (): number => sched.proc,
    sched_clock: (): number => sched.clock,
    /** `fn()` → "line\tfile" of the innermost frame in the program's own files, or "". */
    sched_where: (fn: (() => string) | null) => sched.setWhere(fn),
    /** Where the next output or file point happens ("line\tfile"): those gates cannot ask Python. */
    sched_hint: (where: string) => {
      sched.hint = where;
    },
  };
  // Relay mode: every entry that touches shared state goes to the host instead (./relay.ts).
  return b.relay ? { ...table, ...relayTable(b.relay, wasmBytes, (buf) => py.setInterruptBuffer(buf as Int32Array), (seconds) => waits.sleep(seconds)) } : refusedOnceKilled(table);
}

/**
 * Every entry throws Killed once the process was killed in a wait (./kill.ts): should an error
 * raised while its stack unwinds reach Python as an ordinary exception, the next call Python
 * makes, which is how it reaches the shared heap, the kernel or the terminal, ends it there.
 */
function refusedOnceKilled<T extends object>(table: T): T {
  const guarded: Record<string, unknown> = { ...(table as Record<string, unknown>) };
  for (const [name, entry] of Object.entries(table)) {
    if (typeof entry !== "function") continue;
    const f = entry as (...args: unknown[]) => unknown;
    guarded[name] = (...args: unknown[]): unknown => {
      if (kill.pending) throw new Killed();
      return f(...args);
    };
  }
  return guarded as T;
}

/** The function table Python sees as `_spawnpoint_js`. */
export type Ffi = ReturnType<typeof createFfi>;

/**
 * The table's names and constants, as text: a snapshot that holds the runtime imported copied
 * them into Python (./snapshot-runtime.ts), so cached snapshots are keyed on it.
 */
export function ffiShape(): string {
  // Building the table only destructures the booted parts; nothing is called.
  return tableShape(createFfi({} as Booted));
}
