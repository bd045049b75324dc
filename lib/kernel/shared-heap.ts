/**
 * The shared heap: one SharedArrayBuffer mapped into every worker at boot.
 *
 * ┌──────────────────────── shared heap (bytes) ────────────────────────┐
 * │ semaphores: 2 × int32 each, 8-aligned                                │
 * │   word 0  value   current count (Lock: 1 free / 0 held)              │
 * │   word 1  waiters processes parked in Atomics.wait on word 0         │
 * │ shared ctypes (Value/Array): raw bytes, 8-aligned                    │
 * └──────────────────────────────────────────────────────────────────────┘
 * Lock-free protocol (runtime worker code does the atomics, see lib/runtime/worker):
 * acquire = CAS value→value−1 when > 0, else waiters++ and Atomics.wait(value, 0) in
 * slices; release = CAS value→value+1 (ValueError at maxvalue), then notify one if
 * waiters > 0. The kernel only allocates; it never takes these locks, so a process killed
 * while holding a Lock leaves it held, as on a real OS.
 */
import { KernelError } from "./errors";

export interface SemaphoreInfo {
  /** int32 index of word 0 in the heap. */
  readonly index: number;
  readonly maxvalue: number;
  readonly kind: number;
}

export class SharedHeap {
  readonly buffer: SharedArrayBuffer;
  private readonly i32: Int32Array;
  private top = 8; // offset 0 stays unused so that 0 never names an object
  readonly semaphores = new Map<number, SemaphoreInfo>();

  constructor(bytes = 4 << 20) {
    this.buffer = new SharedArrayBuffer(bytes);
    this.i32 = new Int32Array(this.buffer);
  }

  /** Bump allocation; objects live as long as the machine (programs are short). */
  alloc(size: number): number {
    const offset = (this.top + 7) & ~7;
    if (offset + size > this.buffer.byteLength) throw new KernelError("OSError", 12, "Cannot allocate memory");
    this.top = offset + size;
    return offset;
  }

  createSemaphore(kind: number, value: number, maxvalue: number): SemaphoreInfo {
    if (value < 0 || value > maxvalue) throw KernelError.value("invalid value");
    const index = this.alloc(8) >> 2;
    Atomics.store(this.i32, index, value);
    Atomics.store(this.i32, index + 1, 0);
    const info = { index, maxvalue, kind };
    this.semaphores.set(index, info);
    return info;
  }

  semaphoreValue(index: number): number {
    return Atomics.load(this.i32, index);
  }

  /** Wakes every process parked on int32 word `index` (they re-check and park again if needed). */
  wake(index: number): void {
    Atomics.notify(this.i32, index);
  }

  get used(): number {
    return this.top;
  }
}
