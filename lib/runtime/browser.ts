/**
 * Browser host: process workers are module Web Workers (Next bundles worker/browser-entry.ts
 * through `new URL(…, import.meta.url)`), Pyodide is loaded at runtime from `/pyodide/`.
 * The kernel runs on the thread that creates the Machine: it only routes messages and writes
 * replies into shared memory, so the page stays responsive. Needs cross-origin isolation
 * (COOP/COEP, set in next.config.ts) for SharedArrayBuffer.
 */
import { Machine, type MachineOptions } from "./machine";
import type { Platform, WorkerHandle } from "./platform";
import type { HostToWorker, WorkerToHost } from "./protocol";
import { PYTHON_SOURCES } from "./python-bundle";

export interface BrowserMachineOptions extends MachineOptions {
  /** Where pyodide.mjs is served. Default `/pyodide/`. */
  readonly indexURL?: string;
}

function createBrowserWorker(): WorkerHandle {
  const worker = new Worker(new URL("./worker/browser-entry.ts", import.meta.url), { type: "module", name: "spawnpoint-process" });
  return {
    post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(msg, transfer ?? []),
    onMessage: (h: (msg: WorkerToHost) => void) => worker.addEventListener("message", (e: MessageEvent<WorkerToHost>) => h(e.data)),
    onError: (h: (message: string) => void) => worker.addEventListener("error", (e: ErrorEvent) => h(e.message || "worker error")),
    terminate: () => worker.terminate(),
  };
}

/** Snapshot bytes survive within one page session (each Machine reuses the first one made). */
let sessionSnapshot: Uint8Array | null = null;

export function createBrowserMachine(options: BrowserMachineOptions = {}): Machine {
  if (typeof SharedArrayBuffer === "undefined" || !globalThis.crossOriginIsolated) {
    throw new Error("Spawnpoint needs a cross-origin isolated page (COOP/COEP headers) for SharedArrayBuffer.");
  }
  const platform: Platform = {
    createWorker: createBrowserWorker,
    now: () => performance.now(),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    indexURL: options.indexURL ?? "/pyodide/",
    python: PYTHON_SOURCES,
    cpuCount: navigator.hardwareConcurrency || 1,
    loadSnapshot: async () => sessionSnapshot,
    compileWasm: () => WebAssembly.compileStreaming(fetch(new URL("pyodide.asm.wasm", new URL(options.indexURL ?? "/pyodide/", location.href)))),
    saveSnapshot: async (bytes) => {
      sessionSnapshot = bytes;
    },
  };
  return new Machine(platform, options);
}
