/**
 * The page's one Python runtime, shared by every editor on it (lib/playground's
 * RuntimeLoader). Download progress is counted here with a streaming fetch of the
 * self-hosted Pyodide files (/pyodide/, copied by scripts/copy-pyodide.mjs); the runtime
 * then boots from the HTTP cache.
 */
import { DeferGate, RuntimeLoader, detectCapabilities, downloadWithProgress, whenIdle, whenQuiet, type Asset } from "@/lib/playground";
import type { MachinePort } from "@/lib/runtime/port";

const ASSETS: Asset[] = [
  { url: "/pyodide/pyodide.asm.wasm", approxBytes: 9_598_218 },
  { url: "/pyodide/python_stdlib.zip", approxBytes: 2_545_637 },
  { url: "/pyodide/pyodide.asm.mjs", approxBytes: 1_250_344 },
  { url: "/pyodide/pyodide-lock.json", approxBytes: 119_077 },
  { url: "/pyodide/pyodide.mjs", approxBytes: 17_931 },
];

async function boot(): Promise<MachinePort> {
  performance.mark("spawnpoint runtime code");
  const { bootBrowserMachine } = await import("./boot");
  performance.mark("spawnpoint runtime code loaded");
  return bootBrowserMachine();
}

let shared: RuntimeLoader | null = null;

export function pageRuntime(): RuntimeLoader {
  shared ??= new RuntimeLoader({
    capabilities: () => detectCapabilities(),
    download: (onProgress, signal) => downloadWithProgress(ASSETS, onProgress, signal),
    boot,
  });
  return shared;
}

let idleScheduled = false;

/** Starts loading once the page is idle (after first paint and hydration). */
export function preloadWhenIdle(): void {
  if (idleScheduled) return;
  idleScheduled = true;
  whenIdle(window, () => pageRuntime().preload());
}

/** Taken by a schedule search on the page (the step UI's, an exercise's check): afterRuntimeLoads waits for it. */
const deferred = new DeferGate();

/** Runs `work` (a schedule search) with what afterRuntimeLoads starts held back until it settles. */
export async function withDeferredLoadsHeld<T>(work: () => Promise<T>): Promise<T> {
  const release = deferred.hold();
  try {
    return await work();
  } finally {
    release();
  }
}

/**
 * Calls `start` once the page's runtime is not loading: after the idle moment at which
 * preloadWhenIdle starts it, when its pool has booted (or it failed) and the page is quiet
 * again (a Run that waited for the boot has started), or then if nothing is loading; and
 * not while a schedule search runs (withDeferredLoadsHeld). The editor waits for this to bring
 * in Monaco: its megabytes of script, parsed next to a boot, delayed a Run clicked as the
 * page opened, and next to a search, the search. Returns a cancel.
 */
export function afterRuntimeLoads(start: () => void): () => void {
  let cancelled = false;
  let unsubscribe: (() => void) | null = null;
  const loading = (phase: string) => phase === "downloading" || phase === "booting";
  // The timeout puts the check after preloadWhenIdle's callback of the same idle moment.
  whenIdle(window, () =>
    setTimeout(() => {
      if (cancelled) return;
      let started = false;
      const settle = (phase: string) => {
        if (started || loading(phase)) return;
        started = true;
        unsubscribe?.();
        // The pool's other boots, and a Run queued while it loaded (which starts now), go first.
        const warmed = phase === "ready" ? import("./boot").then((b) => b.poolWarmed()) : Promise.resolve();
        void warmed.then(() => whenQuiet({ setTimeout: (cb, ms) => setTimeout(cb, ms), now: () => performance.now() }, () => deferred.whenOpen(() => cancelled || start())));
      };
      unsubscribe = pageRuntime().subscribe((s) => settle(s.phase));
      if (started) unsubscribe();
    }, 0),
  );
  return () => {
    cancelled = true;
    unsubscribe?.();
  };
}

/** Pagehide (closing the tab, following a link off the app) stops every process at once. */
let pagehideInstalled = false;
export function stopEverythingOnPagehide(): void {
  if (pagehideInstalled) return;
  pagehideInstalled = true;
  window.addEventListener("pagehide", () => {
    void shared?.dispose();
  });
}
