/**
 * Counted slots (open event streams per address and per session) on this instance. A stream takes a
 * slot of every key it belongs to or none at all, and gives them back exactly once.
 */
export class StreamSlots {
  private readonly counts = new Map<string, number>();

  /** Takes one slot of each key if every key is under its cap; returns release(), or null if one is full. */
  acquire(keys: ReadonlyArray<readonly [key: string, cap: number]>): (() => void) | null {
    if (keys.some(([key, cap]) => this.count(key) >= cap)) return null;
    for (const [key] of keys) this.counts.set(key, this.count(key) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const [key] of keys) {
        const n = this.count(key) - 1;
        if (n > 0) this.counts.set(key, n);
        else this.counts.delete(key);
      }
    };
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
