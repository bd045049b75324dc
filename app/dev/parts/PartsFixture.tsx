"use client";

import { useEffect } from "react";

declare global {
  interface Window {
    /** Starts one parts worker (./parts-worker.ts); set once the page is hydrated. */
    __spawnpointPartsWorker?: () => Worker;
  }
}

/** Puts the worker factory on `window` for the bench once the page is hydrated. */
export function PartsFixture() {
  useEffect(() => {
    // The literal `new Worker(new URL(…, import.meta.url))` is what makes the bundler emit the worker.
    window.__spawnpointPartsWorker = () => new Worker(new URL("./parts-worker.ts", import.meta.url), { type: "module", name: "spawnpoint-parts" });
  }, []);
  return <p>The bench starts workers from this page.</p>;
}
