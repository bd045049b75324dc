/**
 * The byte comparison a recycle runs on every private file of the worker's file system
 * (./fs-restore.ts): it compares eight bytes at a time as doubles, so it must still tell apart
 * the bit patterns doubles call equal (+0 and −0) and see equal NaNs as equal bytes.
 */
import { describe, expect, it } from "vitest";
import { sameBytes } from "./fs-restore";

function bytesOf(...values: number[]): Uint8Array {
  return new Uint8Array(Float64Array.from(values).buffer);
}

describe("sameBytes", () => {
  it("should call equal bytes equal and any one changed byte different, wherever it sits", () => {
    const a = new Uint8Array(203).map((_, i) => (i * 37) & 255);
    expect(sameBytes(a, a.slice())).toBe(true);
    for (let i = 0; i < a.length; i++) {
      const b = a.slice();
      b[i] ^= 1;
      expect(sameBytes(a, b)).toBe(false);
    }
  });

  it("should tell +0 from −0, and any other bit pattern doubles compare equal", () => {
    expect(sameBytes(bytesOf(0, 1), bytesOf(-0, 1))).toBe(false);
    expect(sameBytes(bytesOf(-0), bytesOf(-0))).toBe(true);
  });

  it("should compare NaNs by their bits: equal when the same, different when not", () => {
    const nan = new Uint8Array(16);
    new DataView(nan.buffer).setUint32(4, 0x7ff80000, true);
    new DataView(nan.buffer).setUint32(12, 0x7ff80000, true);
    const other = nan.slice();
    other[8] = 1;
    expect(sameBytes(nan, nan.slice())).toBe(true);
    expect(sameBytes(nan, other)).toBe(false);
    expect(sameBytes(nan, bytesOf(1, 2))).toBe(false);
  });

  it("should compare views that do not start on an eight-byte boundary, and different lengths", () => {
    const a = new Uint8Array(64).map((_, i) => i);
    const b = a.slice();
    expect(sameBytes(a.subarray(3), b.subarray(3))).toBe(true);
    b[40] = 0;
    expect(sameBytes(a.subarray(3), b.subarray(3))).toBe(false);
    expect(sameBytes(a.subarray(0, 10), a.subarray(0, 11))).toBe(false);
  });
});
