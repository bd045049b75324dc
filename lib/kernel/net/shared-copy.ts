/**
 * Fast copies between shared memory (a SharedArrayBuffer) and unshared bytes. V8 copies
 * between shared and unshared memory element by element (~300 MB/s for bytes); 8-byte
 * elements make it ~15× faster, so the aligned middle of a copy goes as BigInt64 words.
 */
import { isSharedBuffer } from "../shared-heap";

/** Whether `b` is shared memory (false where SharedArrayBuffer does not exist: relay mode in such a browser). */

/** Below this, plain byte copies; above, 8-byte words. */
const WORDS_FROM = 64;

export class SharedCopy {
  private readonly u8: Uint8Array;
  private readonly i64: BigInt64Array;
  private scratch = new ArrayBuffer(0);

  constructor(buffer: SharedArrayBuffer | ArrayBuffer) {
    this.u8 = new Uint8Array(buffer);
    this.i64 = new BigInt64Array(buffer, 0, buffer.byteLength >> 3);
  }

  private scratchOf(n: number): ArrayBuffer {
    if (this.scratch.byteLength < n) this.scratch = new ArrayBuffer(Math.max(n, 65536));
    return this.scratch;
  }

  /**
   * Copies `src` (n bytes) to shared byte `at`: the aligned middle as words, through an
   * aligned scratch copy when `src` is misaligned (copies within unshared memory are plain memcpy).
   */
  toShared(at: number, src: Uint8Array): void {
    const n = src.length;
    if (n < WORDS_FROM || isSharedBuffer(src.buffer)) {
      this.u8.set(src, at);
      return;
    }
    const head = (8 - (at & 7)) & 7;
    const words = (n - head) >> 3;
    const tailFrom = head + words * 8;
    if (head) this.u8.set(src.subarray(0, head), at);
    const srcAbs = src.byteOffset + head;
    let body: BigInt64Array;
    if (srcAbs & 7) {
      const tmp = this.scratchOf(words * 8);
      new Uint8Array(tmp, 0, words * 8).set(src.subarray(head, tailFrom));
      body = new BigInt64Array(tmp, 0, words);
    } else {
      body = new BigInt64Array(src.buffer, srcAbs, words);
    }
    this.i64.set(body, (at + head) >> 3);
    if (tailFrom < n) this.u8.set(src.subarray(tailFrom), at + tailFrom);
  }

  /** Copies n = dest.length bytes from shared byte `at` into unshared `dest` (see `toShared`). */
  fromShared(dest: Uint8Array, at: number): void {
    const n = dest.length;
    if (n < WORDS_FROM || isSharedBuffer(dest.buffer)) {
      dest.set(this.u8.subarray(at, at + n));
      return;
    }
    const head = (8 - (at & 7)) & 7;
    const words = (n - head) >> 3;
    const tailFrom = head + words * 8;
    if (head) dest.set(this.u8.subarray(at, at + head));
    const destAbs = dest.byteOffset + head;
    const from = this.i64.subarray((at + head) >> 3, ((at + head) >> 3) + words);
    if (destAbs & 7) {
      const tmp = this.scratchOf(words * 8);
      new BigInt64Array(tmp, 0, words).set(from);
      dest.set(new Uint8Array(tmp, 0, words * 8), head);
    } else {
      new BigInt64Array(dest.buffer, destAbs, words).set(from);
    }
    if (tailFrom < n) dest.set(this.u8.subarray(at + tailFrom, at + n), tailFrom);
  }
}
