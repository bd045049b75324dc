/** Node worker_threads entry for a process worker. */
import { parentPort, workerData } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { syncBuiltinESMExports } from "node:module";
import fsp from "node:fs/promises";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import type { loadPyodide as LoadPyodide } from "pyodide";
import type { HostToWorker, WorkerToHost } from "../protocol";
import { NODE_AUTHORITY, lockdown } from "./lockdown";
import { cachedFactory, type NodeWorkerData } from "./node-code-cache";
import { runProcessWorker } from "./process-worker";

const port = parentPort;
if (!port) throw new Error("node-entry must run in a worker thread");

// `gc` without --expose-gc on the whole process: enable the flag, then read it from a fresh context.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/**
 * A compacting collection moves every live object of the old generation together: V8's usual
 * full GC moves only its most fragmented pages and would leave ~1.5 MiB of half-empty pages
 * resident per worker. It costs more CPU, so only the end of boot asks for it (the idle GCs of
 * a waiting process do not: 32 processes starting at once took ~25% longer when they did).
 * V8 flags are process-wide, so the flag is on only around this call (another thread's full GC
 * in that window compacts too, which is harmless).
 */
function collect(compact = false): void {
  if (!compact) return gc();
  v8.setFlagsFromString("--compact-on-every-full-gc");
  try {
    gc();
  } finally {
    v8.setFlagsFromString("--no-compact-on-every-full-gc");
  }
}

/**
 * Pyodide's Node loader reads pyodide.asm.wasm (9.6 MB) in every worker even when the host
 * sent a precompiled module (process-worker instantiates that one and ignores the bytes).
 * The freed buffer stays resident in this thread's malloc arena, so answer that one read
 * with an empty buffer when a precompiled module came with `boot`. Likewise the stdlib zip
 * when the host sent it in shared memory: Pyodide writes an empty file, and process-worker
 * makes it a view on the shared copy (`shareStdlib`) before Python reads it.
 */
let precompiled = false;
let stdlib = false;
const readFile = fsp.readFile;
fsp.readFile = ((file: Parameters<typeof readFile>[0], options?: Parameters<typeof readFile>[1]) => {
  if (typeof file === "string" && precompiled && file.endsWith("pyodide.asm.wasm")) return Promise.resolve(new Uint8Array(0));
  if (typeof file === "string" && stdlib && file.endsWith("python_stdlib.zip")) return Promise.resolve(new Uint8Array(0));
  return readFile(file, options);
}) as typeof readFile;
syncBuiltinESMExports();

runProcessWorker({
  post: (msg: WorkerToHost, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer),
  onMessage: (handler) =>
    port.on("message", (m: HostToWorker) => {
      if (m.type === "boot") {
        precompiled = m.wasm !== null;
        stdlib = m.stdlib !== null;
      }
      handler(m);
    }),
  importPyodide: async (indexURL: string) => {
    const mod = (await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href)) as { loadPyodide: typeof LoadPyodide };
    const cacheDir = (workerData as NodeWorkerData | null)?.cacheDir;
    if (!cacheDir) return mod.loadPyodide;
    const factory = cachedFactory(indexURL, cacheDir);
    return async (config) => {
      const py = await mod.loadPyodide({ ...config, createPyodideModule: factory.createPyodideModule });
      factory.save();
      return py;
    };
  },
  now: () => performance.now(),
  collectGarbage: collect,
  lockdown: () => lockdown(globalThis, NODE_AUTHORITY),
});
