/**
 * Coalesces many small writes into one per animation frame. A program printing 100 000
 * lines sends thousands of chunks; writing each to xterm (and the screen-reader log)
 * separately would block the main thread. One write per frame keeps the page responsive.
 */
export interface FrameScheduler {
  request(cb: () => void): number;
  cancel(handle: number): void;
}

export const animationFrames: FrameScheduler = {
  request: (cb) => requestAnimationFrame(cb),
  cancel: (h) => cancelAnimationFrame(h),
};

export class FrameBatcher {
  private parts: string[] = [];
  private handle: number | null = null;
  private disposed = false;

  constructor(
    private readonly flushTo: (text: string) => void,
    private readonly scheduler: FrameScheduler = animationFrames,
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
