/**
 * Booting an interpreter from the memory snapshot without paying 30 MB per process for it.
 *
 * Pyodide's `_loadSnapshot` wants a private (non-shared) Uint8Array and restores it with one
 * `HEAP8.set(bytes)` over the whole wasm heap. Done naively, every worker holds a 30 MB copy
 * (glibc keeps such freed blocks in its arenas, so it stays resident even after GC) and the
 * copy into the fresh heap makes all 30 MB of it resident although about half of the
 * snapshot's 4 KiB pages are zero. Instead:
 * - the host keeps ONE snapshot in a SharedArrayBuffer that every worker reads;
 * - the worker hands Pyodide a placeholder of the same length that holds only the header
 *   (allocated above glibc's mmap threshold, so its untouched pages never become resident);
 * - while Pyodide loads, `Int8Array.prototype.set` is wrapped for the one call that copies
 *   from the placeholder: it copies the non-zero pages straight from the shared snapshot. A
 *   fresh wasm memory is already zero, so zero pages are skipped (a page written before the
 *   restore, below the memory's break, that the snapshot has zero is cleared).
 * Result: ~15 MB of resident heap per process instead of ~60 MB, and no 30 MB copy per boot.
 */
import type { PyodideAPI } from "pyodide";

const PAGE_WORDS = 1024; // 4 KiB pages, in int32 words
/** Larger than glibc's largest dynamic mmap threshold (32 MiB): the buffer is mmap'd and unmapped on free. */
const PLACEHOLDER_MIN_BYTES = 33 << 20;

function allZero(words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (words[i] !== 0) return false;
  return true;
}

/**
 * Copies `from` into `to` page by page, touching only the pages that differ from zero. `to`'s
 * words from `zeroFrom` on are known to be zero (never written since the memory was made), so
 * they are not read: reading an untouched page of a fresh memory still faults it in (~13 µs a
 * page here, ~50 ms for a snapshot's zero pages).
 */
export function copyNonZeroPages(from: Int32Array, to: Int32Array, zeroFrom = to.length): void {
  for (let w = 0; w < from.length; w += PAGE_WORDS) {
    const end = Math.min(w + PAGE_WORDS, from.length);
    if (!allZero(from, w, end)) to.set(from.subarray(w, end), w);
    else if (w < zeroFrom && !allZero(to, w, Math.min(end, zeroFrom))) to.fill(0, w, end);
  }
}

/**
 * What Pyodide is given as the snapshot: a buffer of the snapshot's length that holds only its
 * header. It can be made before the snapshot is at hand (`fill` brings the bytes): Pyodide
 * needs the length when it makes the memory, and the header only after instantiation.
 */
export class SnapshotPlaceholder {
  readonly bytes: Uint8Array;
  private source: Uint8Array | null = null;

  constructor(readonly length: number) {
    if (length % 4 !== 0) throw new Error("snapshot is not word-aligned");
    this.bytes = new Uint8Array(new ArrayBuffer(Math.max(length, PLACEHOLDER_MIN_BYTES)), 0, length);
  }

  /** Copies in the header of `shared`, the snapshot the heap is restored from. */
  fill(shared: Uint8Array): this {
    if (shared.byteLength !== this.length) throw new Error(`the snapshot has ${shared.byteLength} bytes, not the ${this.length} its placeholder was made for`);
    if (shared.byteOffset % 4 !== 0) throw new Error("snapshot is not word-aligned");
    // Header: magic, heap offset, JSON length, build id, JSON (Pyodide's makeMemorySnapshot).
    const heapOffset = new Uint32Array(shared.buffer, shared.byteOffset, 2)[1];
    this.bytes.set(shared.subarray(0, heapOffset));
    this.source = shared;
    return this;
  }

  /** The snapshot `fill` brought. */
  get shared(): Uint8Array {
    if (!this.source) throw new Error("the heap is restored before the snapshot was given");
    return this.source;
  }
}

type SetFn = (this: Int8Array, src: ArrayLike<number>, offset?: number) => void;

/**
 * Calls `load(placeholder.bytes)` (which must pass it as `_loadSnapshot`) with the heap copy
 * redirected to the placeholder's snapshot. Throws if Pyodide restored the heap some other way
 * (a different Pyodide build): the placeholder alone would leave a broken heap.
 */
export async function loadFromSharedSnapshot<T>(
  placeholder: SnapshotPlaceholder,
  load: (placeholder: Uint8Array) => Promise<T>,
  phase?: (name: string) => void,
  /** The memory's break (`sbrk(0)`) when the heap is restored, if known: the fresh memory above it is all zero. */
  brk?: () => number,
): Promise<T> {
  const buffer = placeholder.bytes.buffer;
  let restored = false;
  const original = Int8Array.prototype.set as SetFn;
  const redirected: SetFn = function (src, offset) {
    if (!offset && src instanceof Uint8Array && src.buffer === buffer && src.byteOffset % 4 === 0 && src.byteLength % 4 === 0 && this.byteLength >= src.byteLength) {
      const shared = placeholder.shared;
      const from = new Int32Array(shared.buffer, shared.byteOffset + src.byteOffset, src.byteLength / 4);
      phase?.("heap restore");
      const zeroFrom = brk && this.byteOffset === 0 ? Math.ceil((brk() >>> 0) / 4) : undefined;
      copyNonZeroPages(from, new Int32Array(this.buffer, this.byteOffset, src.byteLength / 4), zeroFrom);
      restored = true;
      phase?.("heap restored");
      return;
    }
    original.call(this, src, offset);
  };
  // An own property shadows the inherited %TypedArray%.prototype.set only for Int8Array (HEAP8).
  Object.defineProperty(Int8Array.prototype, "set", { value: redirected, configurable: true, writable: true });
  try {
    const result = await load(placeholder.bytes);
    if (!restored) throw new Error("Pyodide did not restore the snapshot through HEAP8.set (unsupported Pyodide build)");
    return result;
  } finally {
    delete (Int8Array.prototype as { set?: unknown }).set;
  }
}

/** The heap image inside a shared snapshot (after its header): what a worker's memory was when it booted. */
export function snapshotHeap(shared: Uint8Array): Uint8Array {
  const heapOffset = new Uint32Array(shared.buffer, shared.byteOffset, 2)[1];
  return shared.subarray(heapOffset);
}

/**
 * After boot Pyodide still references two buffers it never needs again: its config (kept as
 * API.config for the interpreter's life) holds `_loadSnapshot`, and the Emscripten module's
 * `instantiateWasm` closure holds the 9.6 MB of wasm bytes its loader read (we instantiate
 * the host's precompiled module instead). Dropping both lets GC free them.
 */
export function dropBootBuffers(api: PyodideAPI): void {
  const internal = api as unknown as { _api?: { config?: { _loadSnapshot?: unknown } }; _module?: { instantiateWasm?: unknown } };
  if (internal._api?.config) internal._api.config._loadSnapshot = undefined;
  if (internal._module) internal._module.instantiateWasm = undefined;
}

/** The slice of an Emscripten MEMFS file node that `shareStdlib` swaps. */
interface MemfsFile {
  contents: Uint8Array | null;
  usedBytes: number;
  stream_ops: { write: (stream: unknown, ...rest: unknown[]) => number };
}

/**
 * Pyodide writes python_stdlib.zip (2.4 MB) into every interpreter's MEMFS as a private copy
 * (after fetching or reading one more). It is only ever read, so the file's contents become a
 * view on the host's one copy in shared memory (MEMFS reads a file with
 * `HEAP8.set(contents.subarray(…))`, which accepts shared views). The worker entries answer
 * Pyodide's load of the zip with an empty file when the host sent the shared copy, so no private
 * copy is ever made (an idle worker may never collect garbage); a file with the same bytes is
 * swapped too. Copy-on-write: a write to the file first gives this process its own copy, so no
 * process can change another's stdlib. Returns whether the file was swapped. Call it right
 * after loadPyodide, before Python imports anything that is not in the snapshot.
 */
export function shareStdlib(api: PyodideAPI, shared: Uint8Array): boolean {
  const FS = api.FS as unknown as { readdir(path: string): string[]; lookupPath(path: string): { node: MemfsFile } };
  const name = FS.readdir("/lib").find((n) => /^python\d+\.zip$/.test(n));
  // The entries answered the zip's load with an empty file: without the swap there is no stdlib.
  if (!name) throw new Error("python_stdlib.zip is not at /lib/pythonXY.zip (unsupported Pyodide build)");
  const node = FS.lookupPath(`/lib/${name}`).node;
  const own = node.contents;
  if (node.usedBytes !== 0) {
    if (!own || node.usedBytes !== shared.length || own.length < shared.length) return false;
    for (let i = 0; i < shared.length; i += 4096) if (own[i] !== shared[i]) return false; // not the same zip
  }
  node.contents = shared;
  node.usedBytes = shared.length;
  const ops = node.stream_ops;
  node.stream_ops = {
    ...ops,
    write(stream, ...rest) {
      if (node.contents === shared) node.contents = shared.slice();
      return ops.write.call(this, stream, ...rest);
    },
  };
  return true;
}
