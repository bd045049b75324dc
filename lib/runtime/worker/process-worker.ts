/**
 * The code of one process worker, shared by the Node and browser entries (each passes a
 * tiny `WorkerPort`). Lifecycle: `boot` (Pyodide from a snapshot, runtime modules imported:
 * the worker then waits in the pool) → `start` (becomes pid N, runs Python to the end,
 * posts the `exit` syscall). A worker runs exactly one process; the host terminates it after.
 *
 * Everything Python needs from outside goes through the `_spawnpoint_js` module below:
 * blocking syscalls park in Atomics.wait on the control block (see ../protocol.ts), locks
 * take their fast path with a CAS on the shared heap (see lib/kernel/shared-heap.ts).
 */
import type { PyodideAPI, loadPyodide as LoadPyodide } from "pyodide";
import type { JsonObject } from "@/lib/kernel";
import { CTL, CTL_DATA_OFFSET, SNAPSHOT_PRELOAD, type HostToWorker, type WorkerToHost } from "../protocol";
import { FEED_MS, QUIET_MS, Rings, Spinner, type WaitResult } from "./ring";
import { dropBootBuffers, loadFromSharedSnapshot, shareStdlib } from "./snapshot-restore";
import { SockRings, type PyBufferLike } from "./sock";

export interface WorkerPort {
  post(msg: WorkerToHost, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (msg: HostToWorker) => void): void;
  /** Imports Pyodide's loader (Node: from node_modules; browser: from /pyodide/ at runtime). */
  importPyodide(indexURL: string): Promise<typeof LoadPyodide>;
  now(): number;
  /**
   * Runs a full garbage collection where the host allows it (Node); the browser collects on its
   * own. `compact`: also compact the whole old generation (end of boot: the pool's worker has
   * time for it, and most of what it will ever hold is in place).
   */
  collectGarbage?(compact?: boolean): void;
}

/** The slice of Emscripten's FS this worker uses (Pyodide's FS type is loose). */
interface EmFS {
  open(path: string, flags: number | string, mode?: number): unknown;
  writeFile(path: string, data: Uint8Array): void;
  readFile(path: string): Uint8Array;
  mkdirTree(path: string): void;
  unlink(path: string): void;
  readdir(path: string): string[];
  stat(path: string, dontFollow?: boolean): { mode: number };
  isDir(mode: number): boolean;
  analyzePath(path: string): { exists: boolean };
  cwd(): string;
  chdir(path: string): void;
  trackingDelegate: {
    onWriteToFile?: (path: string, n: number) => void;
    onCloseFile?: (path: string) => void;
    onDeletePath?: (path: string) => void;
    onMovePath?: (oldPath: string, newPath: string) => void;
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const RUNTIME_PATH = "/lib/spawnpoint";
/** A wait this long counts as idle: the process collects its garbage (see collectIfIdle). */
const IDLE_GC_MS = 250;
/** Paths shared through the kernel's file system; everything else (the stdlib) stays local. */
const SHARED_ROOTS = ["/home/", "/tmp/"];
const O_ACCMODE = 3;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

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

export function runProcessWorker(port: WorkerPort): void {
  let py: PyodideAPI | null = null;
  let ctl: Int32Array | null = null;
  let ctlBytes: Uint8Array | null = null;
  let heap: Int32Array | null = null;
  let heapView: DataView | null = null;
  let replyBytes: Uint8Array | null = null;
  let replyJson = "null";
  /** int32 index of the machine's output sequence counter in the shared heap (−1 until start). */
  let outSeq = -1;
  const nextSeq = (): number => (outSeq < 0 ? -1 : Atomics.add(need(heap), outSeq, 1));
  let interruptsEnabled = false;

  const need = <T>(v: T | null): T => {
    if (v === null) throw new Error("worker not booted");
    return v;
  };

  /**
   * A process parked for a while collects its garbage once per wait. V8 collects when JS
   * allocates or the event loop idles; a worker parked in Atomics.wait does neither, so what
   * its start and its own code left behind (imports, parsing, temporaries: a few MiB in Node)
   * would stay resident for as long as it waits. `expectMs`: how long the wait will last at
   * least (a sleep), so it need not wait IDLE_GC_MS first. Node only (browsers expose no gc()).
   */
  let lastIdleGc = -Infinity;
  let idleGcWait = -1;
  function collectIfIdle(waitStart: number, expectMs = 0): void {
    if (!port.collectGarbage || waitStart === idleGcWait) return;
    const now = port.now();
    if (now - waitStart + expectMs < IDLE_GC_MS || now - lastIdleGc < 1000) return;
    idleGcWait = waitStart;
    port.collectGarbage();
    lastIdleGc = port.now();
  }

  /** A blocking syscall: post it, park until the host writes the reply. Returns 1 ok / 0 error (JSON body in replyJson). */
  function syscall(name: string, argsJson: string, bytes: Uint8Array | null): number {
    const c = need(ctl);
    const start = port.now();
    Atomics.store(c, CTL.STATE, 0);
    port.post({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: true });
    while (Atomics.load(c, CTL.STATE) === 0) {
      // Items still in the Queue feeder's backlog keep flowing while this process is parked
      // (CPython's feeder is a thread): wake every FEED_MS to move them into the pipe.
      if (feeding()) {
        Atomics.wait(c, CTL.STATE, 0, FEED_MS);
        pumpFeeder();
      } else if (Atomics.wait(c, CTL.STATE, 0, IDLE_GC_MS) === "timed-out") collectIfIdle(start);
    }
    const jsonLen = Atomics.load(c, CTL.JSON_LEN);
    const bytesLen = Atomics.load(c, CTL.BYTES_LEN);
    const total = jsonLen + Math.max(bytesLen, 0);
    const block = need(ctlBytes);
    const data = total > block.length - CTL_DATA_OFFSET ? replyInChunks(c, block, total) : block.subarray(CTL_DATA_OFFSET);
    // TextDecoder refuses views on shared memory: copy out first.
    replyJson = decoder.decode(data.slice(0, jsonLen));
    replyBytes = bytesLen < 0 ? null : data.slice(jsonLen, total);
    return Atomics.load(c, CTL.OK);
  }

  /** A reply bigger than the control block: copy each chunk out and ask for the next (see ../protocol.ts). */
  function replyInChunks(c: Int32Array, block: Uint8Array, total: number): Uint8Array {
    const out = new Uint8Array(total);
    const room = block.length - CTL_DATA_OFFSET;
    for (let got = 0; ; ) {
      const n = Math.min(room, total - got);
      out.set(block.subarray(CTL_DATA_OFFSET, CTL_DATA_OFFSET + n), got);
      got += n;
      if (got === total) return out;
      Atomics.store(c, CTL.STATE, 0);
      port.post({ type: "reply_more" });
      while (Atomics.load(c, CTL.STATE) === 0) Atomics.wait(c, CTL.STATE, 0);
    }
  }

  function post(name: string, argsJson: string, bytes: Uint8Array | null): void {
    port.post({ type: "syscall", name, args: JSON.parse(argsJson) as JsonObject, bytes, reply: false });
  }

  function note(on: string, object: string, timeoutMs: number | null): void {
    post("note_block", JSON.stringify({ on, object, timeoutMs }), null);
  }
  function unnote(on: string, reason: string): void {
    post("note_unblock", JSON.stringify({ on, reason }), null);
  }

  /** SIGINT arrived while waiting inside the worker: consume it (Python raises KeyboardInterrupt). */
  function takeInterrupt(): boolean {
    // Until the program's own code runs, a SIGINT waits (it must not break the runtime's setup).
    if (!interruptsEnabled) return false;
    const c = need(ctl);
    if (Atomics.load(c, CTL.INTERRUPT) === 0) return false;
    Atomics.store(c, CTL.INTERRUPT, 0);
    return true;
  }

  /** Semaphore acquire: 1 acquired, 0 not (non-blocking / timeout), −1 interrupted. timeoutMs < 0 = forever. */
  function semAcquire(index: number, block: boolean, timeoutMs: number, label: string): number {
    const h = need(heap);
    for (;;) {
      const v = Atomics.load(h, index);
      if (v <= 0) break;
      if (Atomics.compareExchange(h, index, v, v - 1) === v) return 1;
    }
    if (!block) return 0;
    if (timeoutMs === 0) return 0;
    const c = need(ctl);
    const start = port.now();
    const deadline = timeoutMs < 0 ? Infinity : start + timeoutMs;
    let noted = false;
    Atomics.add(h, index + 1, 1);
    Atomics.store(c, CTL.WAIT_INDEX, index);
    let result = 0;
    let reason = "timeout";
    try {
      for (;;) {
        if (takeInterrupt()) {
          result = -1;
          reason = "interrupted";
          break;
        }
        const v = Atomics.load(h, index);
        if (v > 0) {
          if (Atomics.compareExchange(h, index, v, v - 1) === v) {
            result = 1;
            reason = "ready";
            break;
          }
          continue;
        }
        const now = port.now();
        const remaining = deadline - now;
        if (remaining <= 0) break;
        if (!noted && now - start >= QUIET_MS) {
          note("lock", label, timeoutMs < 0 ? null : timeoutMs);
          noted = true;
        }
        if (!noted && spin(h, index, v, deadline)) continue;
        // Sliced: a SIGINT notify can race with entering the wait (see lib/kernel/shared-heap.ts).
        Atomics.wait(h, index, v, Math.min(remaining, noted ? 50 : QUIET_MS, feeding() ? FEED_MS : Infinity));
        pumpFeeder();
        collectIfIdle(start);
      }
    } finally {
      Atomics.sub(h, index + 1, 1);
      Atomics.store(c, CTL.WAIT_INDEX, -1);
    }
    if (noted) unnote("lock", reason);
    return result;
  }

  /** Semaphore release: 0 ok, −1 released too many times. */
  function semRelease(index: number, maxvalue: number): number {
    const h = need(heap);
    for (;;) {
      const v = Atomics.load(h, index);
      if (v >= maxvalue) return -1;
      if (Atomics.compareExchange(h, index, v, v + 1) === v) break;
    }
    if (Atomics.load(h, index + 1) > 0) Atomics.notify(h, index, 1);
    return 0;
  }

  /** time.sleep: parks on the interrupt word, so SIGINT wakes it at once. 0 done, −1 interrupted. */
  function sleep(seconds: number): number {
    const c = need(ctl);
    if (takeInterrupt()) return -1;
    if (seconds <= 0) return 0;
    const ms = seconds * 1000;
    note("sleep", "time.sleep", ms);
    const deadline = port.now() + ms;
    collectIfIdle(deadline - ms, ms);
    let result = 0;
    for (;;) {
      const remaining = deadline - port.now();
      if (remaining <= 0) break;
      Atomics.wait(c, CTL.INTERRUPT, 0, feeding() ? Math.min(remaining, FEED_MS) : remaining);
      pumpFeeder();
      if (takeInterrupt()) {
        result = -1;
        break;
      }
    }
    unnote("sleep", result === 0 ? "timeout" : "interrupted");
    return result;
  }

  // Typed access to shared ctypes (Value/Array): struct-module format letters.
  function heapGet(fmt: string, offset: number): number {
    const v = need(heapView);
    switch (fmt) {
      case "b": return v.getInt8(offset);
      case "B": case "c": case "?": return v.getUint8(offset);
      case "h": return v.getInt16(offset, true);
      case "H": return v.getUint16(offset, true);
      case "i": case "l": return v.getInt32(offset, true);
      case "I": case "L": return v.getUint32(offset, true);
      case "q": return Number(v.getBigInt64(offset, true));
      case "Q": return Number(v.getBigUint64(offset, true));
      case "f": return v.getFloat32(offset, true);
      case "d": return v.getFloat64(offset, true);
      default: throw new Error(`bad typecode ${fmt}`);
    }
  }
  function heapSet(fmt: string, offset: number, value: number): void {
    const v = need(heapView);
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

  /** Interruptible wait on a shared-heap word, in slices (see semAcquire for why). */
  function heapWait(i32: Int32Array, index: number, value: number, deadline: number): WaitResult {
    const c = need(ctl);
    const start = port.now();
    Atomics.store(c, CTL.WAIT_INDEX, index);
    try {
      for (;;) {
        if (takeInterrupt()) return "interrupted";
        if (Atomics.load(i32, index) !== value) return "woken";
        const remaining = deadline - port.now();
        if (remaining <= 0) return "timeout";
        Atomics.wait(i32, index, value, Math.min(remaining, feeding() ? FEED_MS : 50));
        pumpFeeder();
        collectIfIdle(start);
      }
    } finally {
      Atomics.store(c, CTL.WAIT_INDEX, -1);
    }
  }

  /** The interpreter's memory (Emscripten replaces the view when the memory grows: read it per call). */
  let emModule: { HEAPU8: Uint8Array } | null = null;
  const wasmBytes = (): Uint8Array => (emModule ??= (need(py) as unknown as { _module: { HEAPU8: Uint8Array } })._module).HEAPU8;

  /** Short waits spin first (queues, sockets, locks share one adaptive backoff: see Spinner). */
  const spinner = new Spinner(() => port.now());
  const spin = (i32: Int32Array, index: number, value: number, until: number): boolean => spinner.spin(i32, index, value, until);

  let rings: Rings | null = null;
  const ringsOf = (): Rings => need(rings);
  /** Whether this process has Queue items waiting for room in a pipe (see Rings.feed). */
  const feeding = (): boolean => rings !== null && rings.pending > 0;
  const pumpFeeder = (): void => {
    if (rings !== null && rings.pending > 0) rings.pump();
  };
  const queueLabel = (b: number): string => `queue#${b}`;
  let socks: SockRings | null = null;
  const socksOf = (): SockRings => need(socks);

  const jsModule = {
    /** Called by _spawnpoint.main once the process's own code is about to run: a SIGINT that
     * arrives while the runtime boots or sets up must not break the runtime itself. */
    enable_interrupts: () => {
      const api = need(py);
      api.setInterruptBuffer(new Int32Array(need(ctl).buffer, CTL.INTERRUPT * 4, 1));
      interruptsEnabled = true;
    },
    // Socket rings (./sock.ts): ms < 0 waits forever, 0 is non-blocking.
    sock_send_text: (b: number, text: string, ms: number, all: boolean, fd: number) => socksOf().send(b, text, ms, all, fd),
    sock_send_buf: (b: number, buf: PyBufferLike, ms: number, all: boolean, fd: number) => socksOf().sendBuffer(b, buf, ms, all, fd),
    sock_sent: () => socksOf().lastSent,
    sock_recv: (b: number, n: number, ms: number, fd: number) => socksOf().recv(b, n, ms, fd),
    sock_recv_into: (b: number, buf: PyBufferLike, n: number, ms: number, fd: number) => socksOf().recvInto(b, buf, n, ms, fd),
    // By address: Python passes where a bytes object's data lies in the interpreter's memory
    // (id(obj) + ob_sval offset, checked by `bytes_probe`) and its length. Two ints cross the
    // FFI instead of a PyProxy and its buffer (~10 µs per call for 64 KiB).
    sock_send_at: (b: number, addr: number, n: number, ms: number, all: boolean, fd: number) =>
      socksOf().send(b, wasmBytes().subarray(addr, addr + n), ms, all, fd),
    sock_recv_at: (b: number, addr: number, n: number, ms: number, fd: number) => socksOf().recvIntoView(b, wasmBytes().subarray(addr, addr + n), ms, fd),
    /** Whether the n bytes at `addr` spell `text` (latin-1): the by-address calls' layout check. */
    bytes_probe: (addr: number, text: string): boolean => {
      const mem = wasmBytes();
      for (let k = 0; k < text.length; k++) if (mem[addr + k] !== text.charCodeAt(k)) return false;
      return true;
    },
    ring_put: (b: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) =>
      ringsOf().put(b, data, blob, block, ms, label, blobBytes),
    // Queue.put: through the feeder backlog, never waiting for the pipe (see Rings.feed).
    ring_feed: (b: number, data: Uint8Array | null, blob: number, blobBytes: number, block: boolean, ms: number, label: string) =>
      ringsOf().feed(b, data, blob, blobBytes, block, ms, label),
    ring_feed_text: (b: number, text: string, block: boolean, ms: number, label: string) =>
      ringsOf().feed(b, latin1ToBytes(text), 0, 0, block, ms, label),
    /** Queue.join_thread (b ≥ 0) and the exit (b < 0): 0 flushed, −1 interrupted. */
    ring_flush: (b: number) => ringsOf().flush(b, queueLabel),
    ring_cancel: (b: number) => ringsOf().cancel(b),
    ring_in_pipe: (b: number) => ringsOf().inPipe(b),
    ring_get: (b: number, block: boolean, ms: number, label: string) => ringsOf().get(b, block, ms, label),
    // Small items cross the FFI as latin-1 strings: cheaper than a Uint8Array proxy each way.
    ring_put_text: (b: number, text: string, block: boolean, ms: number, label: string) =>
      ringsOf().put(b, latin1ToBytes(text), 0, block, ms, label),
    /** get in one FFI call: the item as a latin-1 string when it is small, else the GetResult code. */
    ring_get_text: (b: number, block: boolean, ms: number, label: string): string | number => {
      const r = ringsOf().get(b, block, ms, label);
      const bytes = ringsOf().lastBytes;
      return r === 1 && bytes && bytes.length <= 4096 ? bytesToLatin1(bytes) : r;
    },
    // Pipe channels on rings (lib/kernel/pipes.ts): send waits for room like a full pipe and
    // returns −3 when no process holds the reading end (EPIPE); recv returns −2 at EOF.
    pipe_send_text: (b: number, text: string, label: string) => ringsOf().put(b, latin1ToBytes(text), 0, true, -1, label, 0, "pipe"),
    pipe_send: (b: number, data: Uint8Array | null, blob: number, blobBytes: number, label: string) =>
      ringsOf().put(b, data, blob, true, -1, label, blobBytes, "pipe"),
    pipe_send_at: (b: number, addr: number, n: number, label: string) => ringsOf().put(b, wasmBytes().subarray(addr, addr + n), 0, true, -1, label, 0, "pipe"),
    pipe_recv_text: (b: number, label: string): string | number => {
      const r = ringsOf().get(b, true, -1, label, "pipe");
      const bytes = ringsOf().lastBytes;
      return r === 1 && bytes && bytes.length <= 4096 ? bytesToLatin1(bytes) : r;
    },
    pipe_poll: (b: number, ms: number, label: string) => ringsOf().poll(b, ms, label),
    ring_bytes: () => ringsOf().lastBytes,
    ring_blob: () => ringsOf().lastBlob,
    ring_size: (b: number) => ringsOf().size(b),
    ring_task_done: (b: number) => ringsOf().taskDone(b),
    ring_join: (b: number, label: string) => ringsOf().join(b, label),
    syscall,
    post,
    reply_json: () => replyJson,
    reply_bytes: () => replyBytes,
    sem_acquire: semAcquire,
    /** Uncontended fast path: one CAS, one int argument (1 acquired, 0 not). */
    sem_try: (index: number): number => {
      const h = need(heap);
      const v = Atomics.load(h, index);
      return v > 0 && Atomics.compareExchange(h, index, v, v - 1) === v ? 1 : 0;
    },
    sem_release: semRelease,
    sem_value: (index: number) => Atomics.load(need(heap), index),
    sleep,
    take_interrupt: takeInterrupt,
    heap_get: heapGet,
    heap_set: heapSet,
    now: () => port.now(),
  };

  /** Keeps the worker's files in step with the kernel's shared fs at open / close / unlink. */
  function installFsSync(api: PyodideAPI): void {
    const FS = api.FS as unknown as EmFS;
    const origOpen = FS.open.bind(FS);
    const written = new Set<string>();
    let syncing = false;
    const abs = (p: string): string => {
      const full = p.startsWith("/") ? p : `${FS.cwd()}/${p}`;
      const out: string[] = [];
      for (const part of full.split("/")) {
        if (part === "" || part === ".") continue;
        if (part === "..") out.pop();
        else out.push(part);
      }
      return "/" + out.join("/");
    };
    const shared = (p: string): boolean => SHARED_ROOTS.some((r) => p.startsWith(r));
    const origStat = FS.stat.bind(FS);
    const isLocalDir = (p: string): boolean => FS.analyzePath(p).exists && FS.isDir(origStat(p, true).mode);
    /**
     * Brings this worker's copy of shared path `p` up to date with the kernel's fs (open,
     * stat, listdir): a file's bytes (rewritten only when they differ, so mtimes stay put),
     * a directory's entries (new files appear as empty placeholders that the next open or
     * stat fills; files another process deleted go), a file deleted elsewhere. Files this
     * process has open for writing are its own; directories it made itself are kept.
     */
    const syncFromKernel = (p: string): void => {
      syncing = true;
      try {
        if (syscall("fs_lookup", JSON.stringify({ path: p }), null) !== 1) return;
        const info = JSON.parse(replyJson) as { kind: "file" | "dir" | null; entries?: [string, "file" | "dir"][] };
        const exists = FS.analyzePath(p).exists;
        if (info.kind === "file" && replyBytes) {
          if (exists && isLocalDir(p)) return;
          FS.mkdirTree(p.slice(0, p.lastIndexOf("/")) || "/");
          if (!exists || !sameBytes(FS.readFile(p), replyBytes)) FS.writeFile(p, replyBytes);
        } else if (info.kind === null) {
          if (exists && !isLocalDir(p)) FS.unlink(p); // deleted by another process
        } else if (info.kind === "dir") {
          FS.mkdirTree(p);
          const there = new Set<string>();
          for (const [name, kind] of info.entries ?? []) {
            there.add(name);
            const child = `${p}/${name}`;
            if (FS.analyzePath(child).exists) continue;
            if (kind === "dir") FS.mkdirTree(child);
            else FS.writeFile(child, new Uint8Array(0));
          }
          for (const name of FS.readdir(p)) {
            const child = `${p}/${name}`;
            if (name === "." || name === ".." || there.has(name) || written.has(child) || isLocalDir(child)) continue;
            FS.unlink(child);
          }
        }
      } catch {
        // Special files are not mirrored; let the real call decide.
      } finally {
        syncing = false;
      }
    };
    FS.open = (path: string, flags: number | string, mode?: number): unknown => {
      if (!syncing && typeof path === "string") {
        const p = abs(path);
        if (shared(p) && !written.has(p)) syncFromKernel(p);
        if (shared(p) && typeof flags === "number" && (flags & O_ACCMODE) !== 0) written.add(p);
      }
      return origOpen(path, flags, mode);
    };
    // os.stat / os.path.exists / lstat (Emscripten's lstat calls stat(path, true)).
    FS.stat = (path: string, dontFollow?: boolean): { mode: number } => {
      if (!syncing && typeof path === "string") {
        const p = abs(path);
        if (shared(p) && !written.has(p)) syncFromKernel(p);
      }
      return origStat(path, dontFollow);
    };
    FS.trackingDelegate.onCloseFile = (path: string) => {
      const p = abs(path);
      if (syncing || !written.has(p)) return;
      written.delete(p);
      syncing = true;
      try {
        syscall("fs_write", JSON.stringify({ path: p }), FS.readFile(p));
      } finally {
        syncing = false;
      }
    };
    FS.trackingDelegate.onDeletePath = (path: string) => {
      const p = abs(path);
      if (!syncing && shared(p)) post("fs_unlink", JSON.stringify({ path: p }), null);
    };
    // os.rename/os.replace of a file: the kernel's fs moves too, or the next listdir would undo it.
    FS.trackingDelegate.onMovePath = (oldPath: string, newPath: string) => {
      const from = abs(oldPath);
      const to = abs(newPath);
      if (syncing || isLocalDir(to)) return;
      syncing = true;
      try {
        if (shared(to)) syscall("fs_write", JSON.stringify({ path: to }), FS.readFile(to));
        if (shared(from)) syscall("fs_unlink", JSON.stringify({ path: from }), null);
      } finally {
        syncing = false;
      }
    };
  }

  /** Makes Pyodide instantiate the host's precompiled module instead of compiling 10 MB of wasm again. */
  function instantiateFromPrecompiled(module: WebAssembly.Module): void {
    const original = WebAssembly.instantiate.bind(WebAssembly);
    const patched = (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
      if (source instanceof WebAssembly.Module) return original(source, imports);
      return original(module, imports).then((instance) => ({ instance, module }));
    };
    WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
    // In a browser Pyodide fetches the wasm and uses instantiateStreaming: without this each
    // worker would compile its own copy (time, and its own machine code in memory).
    WebAssembly.instantiateStreaming = ((source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports) => {
      void Promise.resolve(source).then((r) => r.body?.cancel(), () => undefined);
      return original(module, imports).then((instance) => ({ instance, module }));
    }) as typeof WebAssembly.instantiateStreaming;
  }

  async function boot(msg: Extract<HostToWorker, { type: "boot" }>): Promise<void> {
    if (msg.wasm) instantiateFromPrecompiled(msg.wasm);
    const loadPyodide = await port.importPyodide(msg.indexURL);
    const opts = { indexURL: msg.indexURL, stdout: () => {}, stderr: () => {} };
    if (msg.makeSnapshot) {
      const fresh = await loadPyodide({ ...opts, _makeSnapshot: true });
      fresh.runPython(SNAPSHOT_PRELOAD);
      const bytes = fresh.makeMemorySnapshot();
      port.post({ type: "snapshot", bytes }, [bytes.buffer as ArrayBuffer]);
      return;
    }
    py = msg.snapshot
      ? await loadFromSharedSnapshot(msg.snapshot, (placeholder) => loadPyodide({ ...opts, _loadSnapshot: placeholder }))
      : await loadPyodide(opts);
    dropBootBuffers(py);
    if (msg.stdlib) shareStdlib(py, msg.stdlib);
    ctl = new Int32Array(msg.ctl);
    ctlBytes = new Uint8Array(msg.ctl);
    heap = new Int32Array(msg.heap);
    heapView = new DataView(msg.heap);
    const waiting = { now: () => port.now(), wait: heapWait, spin, note, unnote };
    rings = new Rings(msg.heap, waiting);
    socks = new SockRings(msg.heap, { ...waiting, kick: (ring) => post("sock_kick", `{"ring":${ring}}`, null) });
    const write = (fd: 1 | 2) => ({
      // Errno numbers are already Linux's (_spawnpoint/linux_errno.py): output passes through.
      write: (buf: Uint8Array) => {
        port.post({ type: "output", fd, data: buf.slice(), seq: nextSeq() });
        return buf.length;
      },
      isatty: true,
    });
    py.setStdout(write(1));
    py.setStderr(write(2));
    py.registerJsModule("_spawnpoint_js", jsModule);
    for (const [rel, src] of Object.entries(msg.python)) {
      const path = `${RUNTIME_PATH}/${rel}`;
      py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
      py.FS.writeFile(path, encoder.encode(src));
    }
    // Import multiprocessing and patch it now, while the worker waits in the pool; the entry
    // module too, so start() does not compile it on the start() → first line path.
    py.runPython(`import sys; sys.path.insert(0, ${JSON.stringify(RUNTIME_PATH)}); import _spawnpoint.bootstrap, _spawnpoint.main`);
    // Boot garbage (wasm bytes read by the loader, parser memory) would otherwise wait for
    // the next GC, which an idle worker never triggers.
    port.collectGarbage?.(true);
    port.post({ type: "ready" });
  }

  function start(msg: Extract<HostToWorker, { type: "start" }>): void {
    const api = need(py);
    const FS = api.FS as unknown as EmFS;
    for (const [path, data] of msg.files) {
      FS.mkdirTree(path.slice(0, path.lastIndexOf("/")) || "/");
      FS.writeFile(path, data);
    }
    FS.mkdirTree(msg.cwd);
    installFsSync(api);
    port.post({ type: "running" });
    outSeq = typeof msg.args.outSeq === "number" ? msg.args.outSeq : -1;
    const main = api.pyimport("_spawnpoint.main");
    try {
      const args = api.toPy({ ...msg.args, pid: msg.pid, ppid: msg.ppid, cwd: msg.cwd });
      main.start(args, msg.bytes);
      args.destroy();
    } catch (e) {
      // Only a runtime bug gets here: _spawnpoint.main catches every Python exception.
      port.post({ type: "output", fd: 2, data: encoder.encode(`spawnpoint runtime error: ${String(e)}\n`), seq: nextSeq() });
      post("exit", JSON.stringify({ code: 1 }), null);
    } finally {
      main.destroy();
    }
  }

  // A cold-pool start may arrive while boot is still loading Pyodide: run it after.
  let booted: Promise<boolean> = Promise.resolve(false);
  port.onMessage((msg) => {
    if (msg.type === "boot") {
      booted = boot(msg).then(
        () => true,
        (e: unknown) => {
          port.post({ type: "fatal", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
          return false;
        },
      );
    } else {
      void booted.then((ok) => ok && start(msg));
    }
  });
}
