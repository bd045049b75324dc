/** Helpers for the network's unit tests: a manual clock and NetResult unwrapping. */
import type { NetTimers } from "./network";
import type { NetResult } from "./result";

/** A manual clock: `advance(ms)` runs the timers that fall due. */
export class FakeTimers implements NetTimers {
  private now = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  setTimer(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + ms, fn });
    return () => this.pending.delete(id);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.pending].sort((a, b) => a[1].at - b[1].at)) {
      if (t.at <= this.now && this.pending.delete(id)) t.fn();
    }
  }
  get count(): number {
    return this.pending.size;
  }
}

export const enc = (s: string) => new TextEncoder().encode(s);
export const dec = (b: Uint8Array) => new TextDecoder().decode(b);

/** The value of a result that must succeed. */
export function val<T>(r: NetResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got errno ${r.errno} (${r.message})`);
  return r.value;
}

/** The errno of a result that must fail. */
export function errno<T>(r: NetResult<T>): number {
  if (r.ok) throw new Error(`expected an error, got ${JSON.stringify(r.value)}`);
  return r.errno;
}
