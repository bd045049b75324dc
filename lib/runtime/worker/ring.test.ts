import { describe, expect, it } from "vitest";
import { RING, RING_DATA_BYTES, RING_HEADER_BYTES, RING_READER_GONE, RING_WRITER_GONE, SharedHeap } from "@/lib/kernel";
import { Rings, SPIN_BACKOFF, SPIN_MS, Spinner, type RingWaiting } from "./ring";

/** Single-threaded: a wait never sees another worker, so it times out (or reports SIGINT). */
function setup(maxsize = 0, dataBytes = 64, interrupted = false) {
  const heap = new SharedHeap(1 << 20);
  const base = heap.createRing(maxsize, dataBytes);
  let clock = 0;
  const notes: string[] = [];
  const waiting: RingWaiting = {
    now: () => clock,
    wait: (_i32, _index, _value, deadline) => {
      if (interrupted) return "interrupted";
      clock = deadline === Infinity ? clock + 1000 : deadline;
      return "timeout";
    },
    note: (on, object) => notes.push(`block ${on} ${object}`),
    unnote: (on, reason) => notes.push(`unblock ${on} ${reason}`),
  };
  return { rings: new Rings(heap.buffer, waiting), base, heap, notes, i32: new Int32Array(heap.buffer) };
}

const bytes = (...xs: number[]) => new Uint8Array(xs);

describe("Rings", () => {
  describe("put/get", () => {
    it("should hand items back in FIFO order", () => {
      const { rings, base } = setup();
      expect(rings.put(base, bytes(1), 0, true, -1, "q")).toBe(1);
      expect(rings.put(base, bytes(2, 2), 0, true, -1, "q")).toBe(1);
      expect(rings.size(base)).toBe(2);
      expect(rings.get(base, true, -1, "q")).toBe(1);
      expect(rings.lastBytes).toEqual(bytes(1));
      expect(rings.get(base, true, -1, "q")).toBe(1);
      expect(rings.lastBytes).toEqual(bytes(2, 2));
    });

    it("should wrap records around the end of the data area", () => {
      const { rings, base, i32 } = setup(0, 16);
      for (let round = 0; round < 10; round++) {
        const item = bytes(round, round + 1, round + 2, round + 3, round + 4);
        expect(rings.put(base, item, 0, false, 0, "q")).toBe(1);
        expect(rings.get(base, false, 0, "q")).toBe(1);
        expect(rings.lastBytes).toEqual(item);
      }
      expect(i32[base + RING.USED]).toBe(0);
    });

    it("should report an item too big for the ring, and carry blob references in order", () => {
      const { rings, base } = setup(0, 16);
      expect(rings.put(base, new Uint8Array(13), 0, true, -1, "q")).toBe(-2);
      expect(rings.put(base, null, 7, true, -1, "q")).toBe(1);
      expect(rings.get(base, true, -1, "q")).toBe(2);
      expect(rings.lastBlob).toBe(7);
    });

    it("should say empty at once without blocking and after the timeout when blocking", () => {
      const { rings, base, notes } = setup();
      expect(rings.get(base, false, 0, "q")).toBe(0);
      expect(notes).toEqual([]);
      expect(rings.get(base, true, 100, "q#1")).toBe(0);
      expect(notes).toEqual(["block queue q#1", "unblock queue timeout"]);
    });

    it("should say full for a bounded queue at maxsize and when the bytes do not fit", () => {
      const { rings, base } = setup(1, 64);
      expect(rings.put(base, bytes(1), 0, false, 0, "q")).toBe(1);
      expect(rings.put(base, bytes(2), 0, false, 0, "q")).toBe(0);
      expect(rings.put(base, bytes(2), 0, true, 50, "q")).toBe(0);
      const tight = setup(0, 12);
      expect(tight.rings.put(tight.base, bytes(1, 2, 3, 4), 0, false, 0, "q")).toBe(1);
      expect(tight.rings.put(tight.base, bytes(1, 2, 3, 4), 0, false, 0, "q")).toBe(0);
    });

    it("should give up with −1 when interrupted while waiting", () => {
      const { rings, base } = setup(0, 64, true);
      expect(rings.get(base, true, -1, "q")).toBe(-1);
    });
  });

  describe("feed/pump/flush (Queue.put's feeder)", () => {
    it("should keep what does not fit in the 64 KiB pipe in the backlog, and move it once a reader makes room", () => {
      // Single-threaded, nobody reads: a wait can only end as "interrupted" (SIGINT).
      const { rings: mine, base, i32 } = setup(0, RING_DATA_BYTES, true);
      const item = new Uint8Array(1020); // 1 KiB in the pipe with its length header
      for (let n = 0; n < 70; n++) expect(mine.feed(base, item, 0, 0, false, 0, "q")).toBe(1);
      expect(i32[base + RING.COUNT]).toBe(64);
      expect(mine.pending).toBe(6);
      expect(mine.size(base)).toBe(70);
      expect(mine.inPipe(base)).toBe(64);
      expect(mine.flush(base, () => "q")).toBe(-1);
      expect(mine.get(base, false, 0, "q")).toBe(1);
      mine.pump();
      expect(mine.pending).toBe(5);
      for (let n = 0; n < 69; n++) expect(mine.get(base, false, 0, "q")).toBe(1);
      expect(mine.pending).toBe(0);
      expect(mine.flush(base, () => "q")).toBe(0);
    });

    it("should hold an item bigger than the pipe until a reader has taken it, unless cancelled", () => {
      const { rings: mine, base } = setup(0, RING_DATA_BYTES, true);
      expect(mine.feed(base, null, 9, 1_000_000, false, 0, "q")).toBe(1);
      expect(mine.flush(-1, () => "q")).toBe(-1);
      mine.cancel(base);
      expect(mine.flush(-1, () => "q")).toBe(0);
      expect(mine.get(base, false, 0, "q")).toBe(2);
      expect(mine.lastBlob).toBe(9);
    });

    it("should count the backlog against maxsize", () => {
      const { rings: mine, base } = setup(2, RING_DATA_BYTES);
      expect(mine.feed(base, null, 1, 100_000, false, 0, "q")).toBe(1);
      expect(mine.feed(base, new Uint8Array(1), 0, 0, false, 0, "q")).toBe(1);
      expect(mine.pending).toBe(1);
      expect(mine.feed(base, new Uint8Array(1), 0, 0, false, 0, "q")).toBe(0);
    });
  });

  describe("task_done/join", () => {
    it("should count unfinished items and refuse one task_done too many", () => {
      const { rings, base } = setup();
      rings.put(base, bytes(1), 0, true, -1, "q");
      rings.get(base, true, -1, "q");
      expect(rings.taskDone(base)).toBe(0);
      expect(rings.join(base, "q")).toBe(0);
      expect(rings.taskDone(base)).toBe(-1);
    });
  });

  describe("as a Pipe channel", () => {
    it("should hand out what is left, then say EOF (−2) once the kernel marked the writer gone", () => {
      const { rings, base, heap } = setup();
      rings.put(base, bytes(7), 0, true, -1, "pipe#1", 0, "pipe");
      heap.closeRing(base, RING_WRITER_GONE);
      expect(rings.get(base, true, -1, "pipe#1", "pipe")).toBe(1);
      expect(rings.lastBytes).toEqual(bytes(7));
      expect(rings.get(base, true, -1, "pipe#1", "pipe")).toBe(-2);
      expect(rings.poll(base, -1, "pipe#1")).toBe(1);
    });

    it("should refuse a send (−3, EPIPE) once the reader is gone", () => {
      const { rings, base, heap } = setup();
      heap.closeRing(base, RING_READER_GONE);
      expect(rings.put(base, bytes(1), 0, true, -1, "pipe#1", 0, "pipe")).toBe(-3);
    });

    it("should poll: false at once with no data, true when an item waits, and report a long wait as a block on the pipe", () => {
      const { rings, base, notes } = setup();
      expect(rings.poll(base, 0, "pipe#1")).toBe(0);
      expect(notes).toEqual([]);
      expect(rings.poll(base, 100, "pipe#1")).toBe(0);
      expect(notes).toEqual(["block pipe pipe#1", "unblock pipe timeout"]);
      rings.put(base, bytes(1), 0, true, -1, "pipe#1", 0, "pipe");
      expect(rings.poll(base, 0, "pipe#1")).toBe(1);
      expect(rings.size(base)).toBe(1);
    });
  });

  describe("spinning before a wait", () => {
    it("should take an item that arrives while it spins, without parking or reporting a block", () => {
      const { rings, base, notes, heap } = setup();
      const other = new Rings(heap.buffer, { now: () => 0, wait: () => "timeout", note: () => undefined, unnote: () => undefined });
      let parked = 0;
      const spinning = new Rings(heap.buffer, {
        now: () => 0,
        wait: () => {
          parked++;
          return "interrupted";
        },
        // Another process puts while this one spins.
        spin: () => other.put(base, bytes(42), 0, false, 0, "q") === 1,
        note: (on, object) => notes.push(`block ${on} ${object}`),
        unnote: () => undefined,
      });
      expect(spinning.get(base, true, -1, "q")).toBe(1);
      expect(spinning.lastBytes).toEqual(bytes(42));
      expect(parked).toBe(0);
      expect(notes).toEqual([]);
      expect(rings.size(base)).toBe(0);
    });
  });

  describe("Spinner", () => {
    it("should return true as soon as the word changes, and false after SPIN_MS", () => {
      let clock = 0;
      const spinner = new Spinner(() => (clock += 0.001));
      const i32 = new Int32Array(new SharedArrayBuffer(8));
      i32[0] = 1;
      expect(spinner.spin(i32, 0, 0, Infinity)).toBe(true);
      const start = clock;
      expect(spinner.spin(i32, 1, 0, Infinity)).toBe(false);
      expect(clock - start).toBeGreaterThanOrEqual(SPIN_MS);
    });

    it("should stop spinning for SPIN_BACKOFF waits after a spin in vain, then try again", () => {
      let clock = 0;
      let reads = 0;
      const spinner = new Spinner(() => {
        reads++;
        return (clock += 0.01);
      });
      const i32 = new Int32Array(new SharedArrayBuffer(8));
      expect(spinner.spin(i32, 0, 0, Infinity)).toBe(false);
      reads = 0;
      for (let n = 0; n < SPIN_BACKOFF; n++) expect(spinner.spin(i32, 0, 0, Infinity)).toBe(false);
      expect(reads).toBe(0); // skipped: no spinning at all
      expect(spinner.spin(i32, 0, 0, Infinity)).toBe(false);
      expect(reads).toBeGreaterThan(1);
    });

    it("should never spin past the caller's deadline", () => {
      let clock = 0;
      const spinner = new Spinner(() => (clock += 0.001));
      const i32 = new Int32Array(new SharedArrayBuffer(8));
      expect(spinner.spin(i32, 0, 0, 0.01)).toBe(false);
      expect(clock).toBeLessThan(0.02);
    });
  });

  it("should keep its header inside the allocation", () => {
    expect(RING_HEADER_BYTES).toBeGreaterThanOrEqual(Object.keys(RING).length * 4);
  });
});
