/**
 * When the page's runtime starts loading (components/editor/runtime.ts): once the page is
 * idle after its first paint and hydration. Where the browser has no requestIdleCallback
 * (Safari) that is as soon as the load event has passed, on a later task: a fixed delay
 * there started Safari's boot, already the slowest, 1.5 s after Chromium's.
 */

/** What whenIdle needs of `window`. */
export interface IdleHost {
  requestIdleCallback?: (cb: () => void, options?: { timeout: number }) => unknown;
  setTimeout(cb: () => void, ms: number): unknown;
  addEventListener(type: "load", cb: () => void, options?: { once: boolean }): void;
  readonly document: { readonly readyState: string };
}

/** requestIdleCallback's deadline: a page that never idles still starts loading by then. */
export const IDLE_TIMEOUT_MS = 4000;

export function whenIdle(host: IdleHost, start: () => void): void {
  if (typeof host.requestIdleCallback === "function") {
    host.requestIdleCallback(start, { timeout: IDLE_TIMEOUT_MS });
    return;
  }
  const soon = () => void host.setTimeout(start, 0);
  if (host.document.readyState === "complete") soon();
  else host.addEventListener("load", soon, { once: true });
}

/** What whenQuiet needs: timers and a clock. */
export interface QuietHost {
  setTimeout(cb: () => void, ms: number): unknown;
  now(): number;
}

/** How whenQuiet listens: `ticks` timers of `every` ms in a row, each late by less than `slack`. */
export const QUIET = { ticks: 4, every: 50, slack: 25, maxMs: 6000 } as const;

/**
 * Calls `start` once the thread has run QUIET.ticks timers in a row on time: nothing long ran
 * in between (a boot's last steps, the kernel serving a program that just started), or after
 * QUIET.maxMs whatever the thread is doing. requestIdleCallback says less where it exists and
 * Safari has none.
 */
export function whenQuiet(host: QuietHost, start: () => void): void {
  const began = host.now();
  let calm = 0;
  const tick = (due: number) => {
    const now = host.now();
    calm = now - due < QUIET.slack ? calm + 1 : 0;
    if (calm >= QUIET.ticks || now - began >= QUIET.maxMs) start();
    else host.setTimeout(() => tick(now + QUIET.every), QUIET.every);
  };
  host.setTimeout(() => tick(began + QUIET.every), QUIET.every);
}

/**
 * Work the page may put off (Monaco's load, afterRuntimeLoads) waits while a hold is taken:
 * a schedule search, whose every scheduling point the page's main thread answers. Monaco's
 * megabytes of script, parsed and set up next to the ticket office's search in Chromium,
 * made it take ~1.2 s longer (3.7–5.1 s against 2.7–3.9 s with Monaco held back).
 */
export class DeferGate {
  private holds = 0;
  private waiting: (() => void)[] = [];

  /** Takes a hold; the returned function gives it back (a second call does nothing). */
  hold(): () => void {
    this.holds++;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      if (--this.holds > 0) return;
      for (const f of this.waiting.splice(0)) f();
    };
  }

  /** Calls `f` now if nothing holds the gate, else once the last hold is given back. */
  whenOpen(f: () => void): void {
    if (this.holds === 0) f();
    else this.waiting.push(f);
  }
}
