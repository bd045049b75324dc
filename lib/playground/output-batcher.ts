/**
 * Coalesces many small writes into few. A program printing 100 000 lines sends thousands of
 * chunks; writing each to xterm (and the screen-reader log) separately would block the main
 * thread. The first chunk after a quiet spell is written on the next task, with every chunk
 * that came meanwhile; while output keeps coming, at most one write per FLUSH_MS.
 *
 * Not one write per animation frame: xterm paints a write on the frame after it, so output
 * that first waited for a frame of its own reached the screen a frame late. WebKitGTK's frames
 * take 0.1–0.3 s while a program runs (bench/webkit.bench.ts), so a reader waited that long
 * again for every first line; hidden tabs, which get no frames, kept no transcript at all.
 */
export interface FlushScheduler {
  request(cb: () => void): number;
  cancel(handle: number): void;
}

/** The shortest time between two writes while output keeps coming (about one frame). */
export const FLUSH_MS = 16;

/** A scheduler that runs a request on the next task, or FLUSH_MS after the last one it ran, whichever is later. */
export function throttledTimer(intervalMs = FLUSH_MS, now: () => number = () => performance.now()): FlushScheduler {
  let last = -Infinity;
  let next = 1;
  const timers = new Map<number, ReturnType<typeof setTimeout>>();
  return {
    request(cb) {
      const handle = next++;
      const delay = Math.max(0, last + intervalMs - now());
      timers.set(
        handle,
        setTimeout(() => {
          timers.delete(handle);
          last = now();
          cb();
        }, delay),
      );
      return handle;
    },
    cancel(handle) {
      clearTimeout(timers.get(handle));
      timers.delete(handle);
    },
  };
}

export class OutputBatcher {
  private parts: string[] = [];
  private handle: number | null = null;
  private disposed = false;

  constructor(
    private readonly flushTo: (text: string) => void,
    private readonly scheduler: FlushScheduler = throttledTimer(),
  ) {}

  push(text: string): void {
    if (this.disposed || text.length === 0) return;
    this.parts.push(text);
    if (this.handle === null) this.handle = this.scheduler.request(() => this.flush());
  }

  /** Writes whatever is pending now (e.g. before echoing typed input after a prompt). */
  flush(): void {
    if (this.handle !== null) {
      this.scheduler.cancel(this.handle);
      this.handle = null;
    }
    if (this.parts.length === 0) return;
    const text = this.parts.join("");
    this.parts = [];
    this.flushTo(text);
  }

  dispose(): void {
    this.disposed = true;
    if (this.handle !== null) this.scheduler.cancel(this.handle);
    this.handle = null;
    this.parts = [];
  }
}
