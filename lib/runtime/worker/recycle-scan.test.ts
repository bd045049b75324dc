/**
 * The zero scan a recycle uses to find the pages a process wrote among those that were zero
 * at the end of boot (./recycle.ts): the SIMD one and the JS one must agree with a plain
 * byte loop, wherever the non-zero byte sits in its 64-byte block.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { instantiateFromPrecompiled } from "./precompiled";
import { jsZeroScan, MemoryRecord, zeroScanFor } from "./recycle";

function naive(heap: Uint8Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (heap[i] !== 0) return i - (i % 64);
  return to;
}

describe("zero scan", () => {
  const memory = new WebAssembly.Memory({ initial: 4 });
  const simd = zeroScanFor(memory);

  beforeAll(() => simd.ready);

  it("should be the WebAssembly SIMD scan on Node once compiled", () => {
    expect(simd.simd).toBe(true);
  });

  it("should be the SIMD scan in a worker whose interpreter was instantiated from the host's precompiled module", async () => {
    // A worker's boot makes WebAssembly.instantiate hand Pyodide the host's module (./precompiled.ts):
    // the scan instantiated after it must get its own module, not the interpreter's.
    const empty = new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
    const { instantiate, instantiateStreaming } = WebAssembly;
    const js = vi.spyOn(jsZeroScan, "firstNonZero");
    try {
      instantiateFromPrecompiled(empty);
      const booted = (await WebAssembly.instantiate(new Uint8Array([1, 2, 3]), {})) as unknown as WebAssembly.WebAssemblyInstantiatedSource;
      expect(booted.module).toBe(empty);
      const memory = new WebAssembly.Memory({ initial: 1 });
      const scan = zeroScanFor(memory);
      await scan.ready;
      expect(scan.simd).toBe(true);
      const heap = new Uint8Array(memory.buffer);
      heap[5000] = 1;
      expect(scan.firstNonZero(heap, 0, heap.length)).toBe(4992);
      expect(js).not.toHaveBeenCalled();
    } finally {
      js.mockRestore();
      WebAssembly.instantiate = instantiate;
      WebAssembly.instantiateStreaming = instantiateStreaming;
    }
  });

  it("should answer at once, with the JS scan, until its SIMD module is compiled in the background", async () => {
    const fresh = new WebAssembly.Memory({ initial: 1 });
    const js = vi.spyOn(jsZeroScan, "firstNonZero");
    try {
      const scan = zeroScanFor(fresh);
      expect(scan.simd).toBe(false);
      const heap = new Uint8Array(fresh.buffer);
      heap[200] = 1;
      expect(scan.firstNonZero(heap, 0, heap.length)).toBe(192);
      expect(js).toHaveBeenCalledTimes(1);
      await scan.ready;
      expect(scan.simd).toBe(true);
      expect(scan.firstNonZero(heap, 0, heap.length)).toBe(192);
      expect(js).toHaveBeenCalledTimes(1);
    } finally {
      js.mockRestore();
    }
  });

  it("should find the first non-zero 64-byte block as a byte loop does, and `to` when there is none", () => {
    const heap = new Uint8Array(memory.buffer);
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 300; round++) {
      heap.fill(0);
      const marks = rand(4);
      for (let k = 0; k < marks; k++) heap[rand(heap.length)] = 1 + rand(255);
      const from = rand(heap.length / 64) * 64;
      const to = from + rand((heap.length - from) / 64 + 1) * 64;
      const want = naive(heap, from, to);
      expect(simd.firstNonZero(heap, from, to)).toBe(want);
      expect(jsZeroScan.firstNonZero(heap, from, to)).toBe(want);
    }
  });

  it("should follow the memory when it grows", () => {
    memory.grow(1);
    const heap = new Uint8Array(memory.buffer);
    heap.fill(0);
    heap[heap.length - 1] = 9;
    expect(simd.firstNonZero(heap, 0, heap.length)).toBe(heap.length - 64);
  });
});

describe("the memory record and restore above the break", () => {
  const PAGE = 4096;

  it("should take the pages above the break as zero without reading them, and scan for the process's writes only below the higher break", () => {
    const heap = new Uint8Array(16 * PAGE);
    heap[0] = 1; // below the break: recorded
    heap[10 * PAGE + 5] = 7; // above the record's break (page 8): not read, so recorded as zero
    const record = new MemoryRecord(heap, null, 8);
    expect(record.bytes).toBe(PAGE);
    // A process writes below the record's break, between the breaks, and (breaking the
    // allocator's promise, to show the page is not looked at) above its own break of page 12.
    heap[0] = 2;
    heap[PAGE + 1] = 3;
    heap[9 * PAGE] = 4;
    heap[14 * PAGE] = 5;
    record.restore(heap, jsZeroScan, 12);
    expect([heap[0], heap[PAGE + 1], heap[9 * PAGE], heap[10 * PAGE + 5]]).toEqual([1, 0, 0, 0]);
    expect(heap[14 * PAGE]).toBe(5);
    // Without the breaks every page is read and scanned.
    heap[14 * PAGE] = 5;
    new MemoryRecord(new Uint8Array(16 * PAGE), null).restore(heap, jsZeroScan);
    expect(heap.every((b) => b === 0)).toBe(true);
  });
});
