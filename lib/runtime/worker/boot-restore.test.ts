/**
 * What a boot skips, checked against a real Pyodide loaded in this thread: the heap restore does
 * not read the fresh memory above the break (which must then be zero, and stays zero however
 * Python allocates, as a recycle also assumes), linking compiles each adapter module once, and
 * the load can begin before the snapshot and the compiled module are given (a prepared worker). Plus the page copy on its own, with memory it must not touch.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { loadPyodide } from "pyodide";
import { cacheAdapterModules, instantiateFromPrecompiled } from "./precompiled";
import { SnapshotPlaceholder, copyNonZeroPages, loadFromSharedSnapshot } from "./snapshot-restore";

const indexURL = path.dirname(createRequire(import.meta.url).resolve("pyodide/package.json")) + path.sep;
const PAGE = 1024; // words

describe("copyNonZeroPages", () => {
  it("copies the snapshot's non-zero pages, clears its zero pages below zeroFrom, and leaves the rest alone", () => {
    const from = new Int32Array(6 * PAGE);
    from[0] = 1; // page 0: data
    from[3 * PAGE + 7] = 2; // page 3: data, above zeroFrom
    const to = new Int32Array(6 * PAGE);
    to[PAGE + 5] = 9; // page 1: written before the restore, zero in the snapshot
    to[4 * PAGE + 1] = 9; // page 4: above zeroFrom, so taken to be zero and never read
    copyNonZeroPages(from, to, 2 * PAGE);
    expect(to[0]).toBe(1);
    expect(to[PAGE + 5]).toBe(0);
    expect(to[3 * PAGE + 7]).toBe(2);
    expect(to[4 * PAGE + 1]).toBe(9);
  });

  it("clears every zero page that is not zero in the memory when no bound is known", () => {
    const from = new Int32Array(3 * PAGE);
    const to = new Int32Array(3 * PAGE).fill(5);
    copyNonZeroPages(from, to);
    expect(to.every((w) => w === 0)).toBe(true);
  });
});

describe("cacheAdapterModules", () => {
  const small = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);

  it("hands out one compiled module per small module's bytes until undone, and stays a WebAssembly.Module", () => {
    const undo = cacheAdapterModules();
    let a: WebAssembly.Module, b: WebAssembly.Module;
    try {
      a = new WebAssembly.Module(small);
      b = new WebAssembly.Module(small.slice());
      expect(b).toBe(a);
      expect(a).toBeInstanceOf(WebAssembly.Module);
      expect(WebAssembly.Module.exports(a)).toEqual([]);
      expect(() => (WebAssembly.Module as unknown as (b: Uint8Array) => unknown)(small)).toThrow(TypeError);
      expect(() => new WebAssembly.Module(new Uint8Array([1, 2, 3]))).toThrow(WebAssembly.CompileError);
    } finally {
      undo();
    }
    expect(new WebAssembly.Module(small)).not.toBe(a);
  });
});

describe("a boot from a snapshot, in this thread", () => {
  it("finds the memory above the break all zero when it restores the heap, links with few adapter compiles, and runs Python", async () => {
    // A plain interpreter's snapshot (the pool's holds the runtime too; the restore is the same).
    const fresh = await loadPyodide({ indexURL, _makeSnapshot: true, stdout: () => {}, stderr: () => {} } as Parameters<typeof loadPyodide>[0]);
    fresh.runPython("x = 6 * 7");
    const bytes = fresh.makeMemorySnapshot();
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);

    // As in a prepared worker (./boot.ts prepare): the loader starts before the module and the
    // snapshot are at hand, and gets them at instantiation.
    let giveModule: (m: WebAssembly.Module) => void = () => {};
    const linked = instantiateFromPrecompiled(new Promise<WebAssembly.Module>((resolve) => (giveModule = resolve)));
    const placeholder = new SnapshotPlaceholder(shared.byteLength);
    expect(() => new SnapshotPlaceholder(shared.byteLength).fill(shared.subarray(0, shared.byteLength - 4))).toThrow(/not the/);
    let aboveBreak: number | undefined;
    let breakAt = 0;
    const brk = () => {
      const exports = linked.instance!.exports as { sbrk: (n: number) => number; memory: WebAssembly.Memory };
      const at = exports.sbrk(0) >>> 0;
      breakAt = at;
      const heap = new Uint8Array(exports.memory.buffer);
      aboveBreak = heap.subarray(at, shared.byteLength).findIndex((b) => b !== 0);
      return at;
    };
    // Compiles that reach the engine (under the cache), and modules Pyodide asks for (above it).
    const Original = WebAssembly.Module;
    const counts = { compiled: 0, asked: 0 };
    const counting = (inner: typeof WebAssembly.Module, key: keyof typeof counts): typeof WebAssembly.Module => {
      const Counting = function (this: unknown, b: BufferSource) {
        counts[key]++;
        return new inner(b);
      } as unknown as typeof WebAssembly.Module;
      Counting.prototype = Original.prototype;
      Object.setPrototypeOf(Counting, Original);
      return Counting;
    };
    WebAssembly.Module = counting(Original, "compiled");
    const undo = cacheAdapterModules();
    const Cached = WebAssembly.Module;
    WebAssembly.Module = counting(Cached, "asked");
    try {
      const loading = loadFromSharedSnapshot(placeholder, (bytes) => loadPyodide({ indexURL, _loadSnapshot: bytes, stdout: () => {}, stderr: () => {} } as Parameters<typeof loadPyodide>[0]), undefined, brk);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(linked.instance).toBeNull();
      placeholder.fill(shared);
      giveModule(await WebAssembly.compile(fs.readFileSync(path.join(indexURL, "pyodide.asm.wasm"))));
      const py = await loading;
      expect(aboveBreak).toBe(-1);
      // Not an empty check: the snapshot's memory goes on past its break.
      expect(breakAt).toBeLessThan(shared.byteLength);
      expect(py.runPython("x")).toBe(42);
      // What a recycle's record and restore take on trust (./recycle.ts): after Python allocated
      // and freed plenty, small and large, nothing above the break was ever written.
      py.runPython("import json\nbig = [json.dumps(list(range(i % 50))) for i in range(100_000)]\nblob = bytearray(30 << 20)\ndel big, blob");
      const exports = linked.instance!.exports as { sbrk: (n: number) => number; memory: WebAssembly.Memory };
      const words = new Int32Array(exports.memory.buffer);
      const from = Math.ceil((exports.sbrk(0) >>> 0) / 4);
      let written = -1;
      for (let i = from; i < words.length && written < 0; i++) if (words[i] !== 0) written = i * 4;
      // (Where the break has reached the memory's end, nothing lies above it: that happens.)
      expect(written).toBe(-1);
    } finally {
      WebAssembly.Module = Cached;
      undo();
      WebAssembly.Module = Original;
    }
    // Pyodide makes one adapter per JS function it puts in the table; they share a few signatures.
    expect(counts.asked).toBeGreaterThan(100);
    expect(counts.compiled).toBeLessThan(counts.asked / 4);
  }, 60_000);
});
