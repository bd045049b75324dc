/// <reference lib="webworker" />
/** Web Worker entry for a process worker (bundled by Next via `new URL(..., import.meta.url)`). */
import type { loadPyodide as LoadPyodide } from "pyodide";
import type { HostToWorker, WorkerToHost } from "../protocol";
import { runProcessWorker } from "./process-worker";

const scope = self as unknown as DedicatedWorkerGlobalScope;

runProcessWorker({
  post: (msg: WorkerToHost, transfer?: ArrayBuffer[]) => scope.postMessage(msg, transfer ?? []),
  onMessage: (handler) => {
    scope.onmessage = (e: MessageEvent<HostToWorker>) => handler(e.data);
  },
  importPyodide: async (indexURL: string) => {
    // Loaded at runtime from the self-hosted copy: the bundler must not try to resolve it.
    const url = new URL("pyodide.mjs", new URL(indexURL, scope.location.href)).href;
    // Turbopack starts this worker as a classic worker (its chunk loader uses importScripts),
    // and pyodide.mjs refuses to load where importScripts works ("Classic web workers are
    // not supported"). Every chunk is loaded by now, so hide importScripts from Pyodide.
    (scope as unknown as { importScripts?: unknown }).importScripts = undefined;
    const mod = (await import(/* webpackIgnore: true */ /* turbopackIgnore: true */ url)) as { loadPyodide: typeof LoadPyodide };
    return mod.loadPyodide;
  },
  now: () => performance.now(),
});
