/**
 * Relay mode's host bookkeeping (relay-host.ts), on a kernel with a plain (unshared) heap and a
 * manual clock: a parked op is answered when another worker's op or the kernel wakes its word,
 * when its deadline passes, or when a signal interrupts it; ops on another program's bytes fault.
 */
import { describe, expect, it } from "vitest";
import { INIT_PID, RING, RING_WRITER_GONE, createKernel } from "@/lib/kernel";
import { TestHost } from "@/lib/kernel/test-host";
import { RelayHost } from "./relay-host";
import { RingCode } from "./worker/ring";
import type { SeamAnswer } from "./seam";

function setup() {
  const host = new TestHost();
  const { kernel } = createKernel(host, { sharedHeap: false });
  const answers = new Map<number, SeamAnswer[]>();
  const relay = new RelayHost(kernel, kernel.heap, {
    now: () => host.now(),
    setTimer: (ms, fn) => host.setTimer(ms, fn),
    answer: (pid, a) => answers.set(pid, [...(answers.get(pid) ?? []), a]),
  });
  const spawn = (): number => kernel.spawn(INIT_PID, "P", false, { args: {}, bytes: null });
  const a = spawn();
  /** The last answer `pid` got (removed), or undefined: still parked. */
  const take = (pid: number): SeamAnswer | undefined => answers.get(pid)?.pop();
  const value = (pid: number): unknown => {
    const ans = take(pid);
    expect(ans?.ok).toBe(true);
    return JSON.parse(ans!.json);
  };
  /** A lock made by `pid`'s program (its value word and waiters word). */
  const lock = (pid: number, value: number): number => {
    kernel.heap.owner = kernel.programOf(pid);
    const index = kernel.heap.createSemaphore(1, value, 1).index;
    kernel.heap.owner = 0;
    return index;
  };
  return { host, kernel, relay, a, spawn, take, value, lock };
}

describe("RelayHost", () => {
  it("should really use a plain heap: the kernel's buffer is no SharedArrayBuffer", () => {
    const { kernel } = setup();
    expect(kernel.heap.buffer).toBeInstanceOf(ArrayBuffer);
    expect(kernel.heap.buffer instanceof SharedArrayBuffer).toBe(false);
  });

  it("should park an acquire of a held lock, count it as a waiter, and answer it when another process releases", () => {
    const { kernel, relay, a, take, value, lock } = setup();
    const i = lock(a, 0);
    // A child of the same program (spawned by a): same rights.
    const b = kernel.spawn(a, "Child", false, { args: {}, bytes: null });
    relay.handle(a, "sem.acquire", { i, block: true, ms: -1, label: "Lock#1" }, null);
    expect(take(a)).toBeUndefined();
    expect(kernel.heap.word(i + 1)).toBe(1); // waiters: the releaser must notify
    relay.handle(b, "sem.release", { i, max: 1 }, null);
    expect(value(b)).toBe(0);
    expect(value(a)).toBe(1);
    expect(kernel.heap.word(i)).toBe(0);
    expect(kernel.heap.word(i + 1)).toBe(0);
    expect(kernel.heap.word(i + 2)).toBe(a); // holder
  });

  it("should answer a parked op when the kernel itself wakes its word (a dead holder's lock, a closed pipe)", () => {
    const { kernel, relay, a, take, value, lock } = setup();
    const i = lock(a, 0);
    relay.handle(a, "sem.acquire", { i, block: true, ms: -1, label: "Lock#1" }, null);
    expect(take(a)).toBeUndefined();
    new Int32Array(kernel.heap.buffer)[i] = 1;
    kernel.heap.wake(i);
    expect(value(a)).toBe(1);

    kernel.heap.owner = kernel.programOf(a);
    const ring = kernel.heap.createRing(0, 1024);
    kernel.heap.owner = 0;
    relay.handle(a, "ring.get", { r: ring, block: true, ms: -1, label: "pipe", on: "pipe" }, null);
    expect(take(a)).toBeUndefined();
    kernel.heap.closeRing(ring, RING_WRITER_GONE);
    expect(value(a)).toBe(RingCode.EOF);
    expect(kernel.heap.word(ring + RING.GETTERS)).toBe(0);
  });

  it("should move an item from a parked get's peer put to it in one answer each", () => {
    const { kernel, relay, a, take, value } = setup();
    const b = kernel.spawn(a, "Child", false, { args: {}, bytes: null });
    kernel.heap.owner = kernel.programOf(a);
    const ring = kernel.heap.createRing(0, 1024);
    kernel.heap.owner = 0;
    relay.handle(a, "ring.get", { r: ring, block: true, ms: -1, label: "queue#1" }, null);
    expect(take(a)).toBeUndefined();
    relay.handle(b, "ring.put", { r: ring, blob: 0, blobBytes: 0, block: true, ms: -1, label: "queue#1" }, new Uint8Array([7, 8, 9]));
    expect(value(b)).toBe(RingCode.OK);
    const got = take(a);
    expect(JSON.parse(got!.json)).toBe(RingCode.OK);
    expect([...got!.bytes!]).toEqual([7, 8, 9]);
  });

  it("should time a parked op out on the host's timer", () => {
    const { host, kernel, relay, a, take, value, lock } = setup();
    relay.handle(a, "sleep", { ms: 100 }, null);
    host.advance(99);
    expect(take(a)).toBeUndefined();
    host.advance(1);
    expect(value(a)).toBe(0);

    const i = lock(a, 0);
    relay.handle(a, "sem.acquire", { i, block: true, ms: 50, label: "Lock#1" }, null);
    host.advance(50);
    expect(value(a)).toBe(0);
    expect(kernel.heap.word(i + 1)).toBe(0);
  });

  it("should interrupt a parked op with the signal once the program's code runs, and hold it before", () => {
    const { relay, a, take } = setup();
    relay.handle(a, "pause", { label: "signal.pause" }, null);
    expect(relay.interrupt(a, 2)).toBe(true);
    expect(take(a)).toBeUndefined(); // interrupts not enabled yet: the signal waits
    expect(relay.interrupt(a, 15)).toBe(false); // one pending at a time, like the interrupt word
    relay.end(a);

    const { relay: r2, a: b, take: take2, value } = setup();
    r2.handle(b, "signal.enable", {}, null);
    expect(value(b)).toBe(0);
    r2.handle(b, "sleep", { ms: 10_000 }, null);
    expect(take2(b)).toBeUndefined();
    expect(r2.interrupt(b, 2)).toBe(true);
    const ans = take2(b);
    expect(ans?.ok).toBe(false);
    expect(JSON.parse(ans!.json)).toMatchObject({ sig: 2 });
    // A signal that arrives between two ops answers the next parking op at once.
    expect(r2.interrupt(b, 10)).toBe(true);
    r2.handle(b, "sleep", { ms: 10_000 }, null);
    expect(JSON.parse(take2(b)!.json)).toMatchObject({ sig: 10 });
  });

  it("should fault on bytes of another program", () => {
    const { relay, a, spawn, take, lock } = setup();
    const other = spawn();
    const i = lock(a, 1);
    relay.handle(other, "sem.acquire", { i, block: false, ms: 0, label: "Lock#1" }, null);
    const ans = take(other);
    expect(ans?.ok).toBe(false);
    expect(JSON.parse(ans!.json)).toEqual({ fault: i * 4 });
    relay.handle(other, "heap.get", { fmt: "i", at: i * 4 }, null);
    expect(JSON.parse(take(other)!.json)).toEqual({ fault: i * 4 });
  });

  it("should run a one-way op in order without answering it, and answer a one-way fault to the process's next request", () => {
    const { kernel, relay, a, spawn, take, value, lock } = setup();
    const i = lock(a, 0);
    relay.post(a, "sem.release", { i, max: 1 }, null);
    expect(take(a)).toBeUndefined(); // no answer: the worker went on
    expect(kernel.heap.word(i)).toBe(1);
    // A post of a process that may not touch those bytes: its next request gets the fault, not its own answer.
    const other = spawn();
    relay.post(other, "heap.set", { fmt: "i", at: i * 4, v: 7 }, null);
    expect(take(other)).toBeUndefined();
    expect(kernel.heap.word(i)).toBe(1);
    relay.handle(other, "signal.take", {}, null); // a signal peek is not the one to report it
    expect(value(other)).toBe(0);
    const j = lock(other, 0);
    relay.handle(other, "sem.value", { i: j }, null);
    expect(JSON.parse(take(other)!.json)).toEqual({ fault: i * 4 });
    relay.handle(other, "sem.value", { i: j }, null);
    expect(value(other)).toBe(0);
    // Only ops that cannot wait may be one-way.
    relay.post(a, "sem.acquire", { i, block: true, ms: -1, label: "Lock#1" }, null);
    expect(kernel.heap.word(i)).toBe(1);
    relay.handle(a, "sem.value", { i }, null);
    expect(JSON.parse(take(a)!.json)).toEqual({ error: "relay sem.acquire cannot be one-way" });
  });
});
