/** Node worker_threads entry for a process worker. */
import { parentPort } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import path from "node:path";
import type { loadPyodide as LoadPyodide } from "pyodide";
import type { HostToWorker, WorkerToHost } from "../protocol";
import { runProcessWorker } from "./process-worker";

const port = parentPort;
if (!port) throw new Error("node-entry must run in a worker thread");

runProcessWorker({
  post: (msg: WorkerToHost, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer),
  onMessage: (handler) => port.on("message", (m: HostToWorker) => handler(m)),
  importPyodide: async (indexURL: string) => {
    const mod = (await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href)) as { loadPyodide: typeof LoadPyodide };
    return mod.loadPyodide;
  },
  now: () => performance.now(),
});
