/**
 * The instructor's side of a live session: sends the slide and scheduler steps to the server,
 * newest wins (a burst of key presses becomes one or two requests), one request at a time so
 * they arrive in order, retrying while the server is unreachable.
 */
import { liveApi, LiveApiError, type DriveMessage } from "@/lib/live";

export type DriverStatus = { kind: "live" } | { kind: "retrying"; message: string } | { kind: "gone"; message: string };

export class LiveDriver {
  private pendingSlide: number | null = null;
  private readonly pendingSteps = new Map<string, number>();
  private running = false;
  private disposed = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;

  constructor(
    readonly code: string,
    private readonly token: string,
    private readonly onStatus: (status: DriverStatus) => void,
  ) {}

  slide(slide: number): void {
    this.pendingSlide = slide;
    void this.pump();
  }

  step(key: string, step: number): void {
    this.pendingSteps.set(key, step);
    void this.pump();
  }

  async end(): Promise<void> {
    this.dispose();
    await liveApi.end(this.code, this.token).catch(() => {});
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
  }

  private next(): DriveMessage | null {
    if (this.pendingSlide !== null) {
      const slide = this.pendingSlide;
      this.pendingSlide = null;
      return { type: "slide", slide };
    }
    const first = this.pendingSteps.entries().next();
    if (first.done) return null;
    const [id, step] = first.value;
    this.pendingSteps.delete(id);
    return { type: "scheduler", id, step };
  }

  private async pump(): Promise<void> {
    if (this.running || this.disposed) return;
    this.running = true;
    try {
      let msg: DriveMessage | null;
      while (!this.disposed && (msg = this.next())) {
        try {
          await liveApi.drive(this.code, this.token, msg);
          this.failures = 0;
          this.onStatus({ kind: "live" });
        } catch (error) {
          if (error instanceof LiveApiError && (error.status === 404 || error.status === 403)) {
            this.onStatus({ kind: "gone", message: error.message });
            this.dispose();
            return;
          }
          // Put it back unless something newer replaced it, and try again later.
          if (msg.type === "slide") this.pendingSlide ??= msg.slide;
          else if (!this.pendingSteps.has(msg.id)) this.pendingSteps.set(msg.id, msg.step);
          this.failures += 1;
          this.onStatus({ kind: "retrying", message: error instanceof Error ? error.message : String(error) });
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => void this.pump(), Math.min(10_000, 500 * 2 ** Math.min(this.failures, 5)));
          return;
        }
      }
    } finally {
      this.running = false;
    }
  }
}
