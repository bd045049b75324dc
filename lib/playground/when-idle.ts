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
