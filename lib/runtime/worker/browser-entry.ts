/// <reference lib="webworker" />
/** Web Worker entry for a process worker (bundled by Next via `new URL(..., import.meta.url)`). */
import type { loadPyodide as LoadPyodide } from "pyodide";
import type { HostToWorker, WorkerToHost } from "../protocol";
import { BROWSER_AUTHORITY, lockdown } from "./lockdown";
import { runProcessWorker } from "./process-worker";
import { XhrWorkerSeam } from "./relay-xhr";

const scope = self as unknown as DedicatedWorkerGlobalScope;
const scriptStart = performance.timeOrigin + performance.now();

/**
 * The host sent python_stdlib.zip in shared memory: answer Pyodide's fetch of it with an empty
 * file (process-worker makes the file a view on the shared copy, see `shareStdlib`), so the
 * worker holds no 2.4 MB download and private copy that it might never collect.
 */
let sharedStdlib: boolean | Promise<boolean> = false;
/** Set between `prepare` (Pyodide asks for the zip then) and `boot` (which says whether it is shared). */
let decideStdlib: ((shared: boolean) => void) | null = null;
const fetchOriginal = scope.fetch.bind(scope);
scope.fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> =>
  String(input instanceof Request ? input.url : input).endsWith("python_stdlib.zip")
    ? Promise.resolve(sharedStdlib).then((shared) => (shared ? new Response(new Uint8Array(0)) : fetchOriginal(input, init)))
    : fetchOriginal(input, init);

// Captured now: lockdown removes postMessage and XMLHttpRequest from the scope Python sees.
const postMessage = scope.postMessage.bind(scope);
const XHR = (scope as unknown as { XMLHttpRequest: typeof XMLHttpRequest }).XMLHttpRequest;

runProcessWorker({
  post: (msg: WorkerToHost, transfer?: ArrayBuffer[]) => postMessage(msg, transfer ?? []),
  onMessage: (handler) => {
    scope.onmessage = (e: MessageEvent<HostToWorker>) => {
      if (e.data.type === "prepare" && !decideStdlib) sharedStdlib = new Promise((resolve) => (decideStdlib = resolve));
      if (e.data.type === "boot") {
        sharedStdlib = e.data.stdlib !== null;
        decideStdlib?.(sharedStdlib);
        decideStdlib = null;
      }
      handler(e.data);
    };
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
  scriptStart,
  relaySeam: (channel) => new XhrWorkerSeam((msg) => postMessage(msg), XHR, scope.location.origin, channel),
  lockdown: () => lockdown(scope, BROWSER_AUTHORITY),
});
