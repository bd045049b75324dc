/**
 * Node host: process workers are worker_threads running worker/node-entry.ts (bundled by esbuild),
 * Pyodide comes from node_modules, and the snapshot is cached on disk so the CLI does not
 * pay a cold boot on every run.
 */
import { Worker } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import * as esbuild from "esbuild";
import { collectPython } from "./bundle-python.mjs";
import { Machine, type MachineOptions } from "./machine";
import type { Platform, WorkerHandle } from "./platform";
import { SNAPSHOT_KEY, type HostToWorker } from "./protocol";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Node 20's V8 (11.3) can abort the whole process ("unreachable code" in
 * Deoptimizer::DoComputeBuiltinContinuation) when optimized JS that inlined a call into
 * Pyodide's WebAssembly deoptimizes. Schedule search hit it in about half of the runs of the
 * lessons' signal examples; with this inlining off, none did. The flag is process-wide and read
 * when a function is optimized, so it is set before any worker exists.
 */
v8.setFlagsFromString("--no-turbo-inline-js-wasm-calls");

function pyodideDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve("pyodide/package.json"));
}

/**
 * Workers load one pre-bundled JS file: registering tsx in every worker costs ~0.5–1 s of
 * CPU per process. The bundle is rebuilt when any source file it was built from (esbuild's
 * metafile inputs, kept beside it) is newer than it, or gone. Named after the checkout it was
 * built from: git worktrees that share one node_modules must not load each other's bundle.
 */
function workerBundle(cacheDir: string): string {
  const out = path.join(cacheDir, `process-worker-${createHash("sha256").update(here).digest("hex").slice(0, 12)}.mjs`);
  const inputsFile = `${out}.inputs.json`;
  if (bundleFresh(out, inputsFile)) return out;
  fs.mkdirSync(cacheDir, { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  const result = esbuild.buildSync({
    entryPoints: [path.join(here, "worker", "node-entry.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    outfile: tmp,
    external: ["pyodide"],
    logLevel: "silent",
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).map((f) => path.resolve(process.cwd(), f));
  fs.writeFileSync(`${inputsFile}.${process.pid}.tmp`, JSON.stringify(inputs));
  fs.renameSync(`${inputsFile}.${process.pid}.tmp`, inputsFile);
  fs.renameSync(tmp, out);
  return out;
}

function bundleFresh(out: string, inputsFile: string): boolean {
  try {
    const built = fs.statSync(out).mtimeMs;
    const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8")) as string[];
    return inputs.every((f) => fs.statSync(f).mtimeMs <= built);
  } catch {
    return false; // no bundle yet, no input list, or an input is gone
  }
}

function createNodeWorker(entry: string): WorkerHandle {
  // V8 sizes a worker's young generation like a main thread's (~10 MiB resident per worker
  // after boot, nearly empty); an idle interpreter needs little of it.
  const worker = new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: 2 } });
  worker.unref();
  return {
    post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(msg, transfer),
    onMessage: (h: (msg: unknown) => void) => worker.on("message", h),
    onError: (h: (message: string) => void) => worker.on("error", (e: Error) => h(e.stack ?? e.message)),
    terminate: () => void worker.terminate(),
  };
}

/**
 * A file read straight into shared memory (what the pool hands every worker). Reading into a
 * Buffer first would malloc and free a large block on this thread; glibc then raises its mmap
 * threshold to that size, and later allocations of up to that size stay in malloc arenas.
 */
function readShared(file: string): Uint8Array | null {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch {
    return null;
  }
  try {
    const out = new Uint8Array(new SharedArrayBuffer(fs.fstatSync(fd).size));
    for (let at = 0; at < out.length; ) {
      const n = fs.readSync(fd, out, at, out.length - at, at);
      if (n === 0) return null;
      at += n;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * The cached snapshot is kept as `<base>.<sha256>`: saving is one rename (two hosts saving at
 * once each leave a complete, self-describing file), and loading takes only a file whose
 * bytes hash to its name. One that does not is deleted (the pool then makes a fresh snapshot
 * and saves it again): every process restores its memory from these bytes.
 */
function snapshotFiles(base: string): string[] {
  const dir = path.dirname(base);
  const prefix = `${path.basename(base)}.`;
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.startsWith(prefix) && /^[0-9a-f]{64}$/.test(f.slice(prefix.length)))
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

function loadVerified(base: string): Uint8Array | null {
  for (const file of snapshotFiles(base)) {
    const bytes = readShared(file);
    if (bytes && sha256(bytes) === file.slice(-64)) return bytes;
    console.error(`spawnpoint: the cached snapshot ${file} does not match its digest; making a new one`);
    fs.rmSync(file, { force: true });
  }
  return null;
}

async function saveVerified(base: string, bytes: Uint8Array): Promise<void> {
  await fs.promises.mkdir(path.dirname(base), { recursive: true });
  const tmp = `${base}.${process.pid}.tmp`;
  await fs.promises.writeFile(tmp, bytes);
  const file = `${base}.${sha256(bytes)}`;
  await fs.promises.rename(tmp, file);
  for (const other of snapshotFiles(base)) if (other !== file) fs.rmSync(other, { force: true });
}

export interface NodeMachineOptions extends MachineOptions {
  /** Directory for the cached snapshot. Default node_modules/.cache/spawnpoint. */
  readonly cacheDir?: string;
}

/** The Node host's Platform (exported so tests can watch what crosses between the host and its workers). */
export function createNodePlatform(options: NodeMachineOptions = {}): Platform {
  const indexURL = pyodideDir() + path.sep;
  const version = (JSON.parse(fs.readFileSync(path.join(indexURL, "package.json"), "utf8")) as { version: string }).version;
  const cacheDir = options.cacheDir ?? path.join(here, "..", "..", "node_modules", ".cache", "spawnpoint");
  const snapshotFile = path.join(cacheDir, `pyodide-${version}-${SNAPSHOT_KEY}.snapshot`);
  const entry = workerBundle(cacheDir);
  return {
    createWorker: () => createNodeWorker(entry),
    now: () => performance.now(),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    indexURL,
    python: collectPython(),
    cpuCount: availableParallelism(),
    loadSnapshot: async () => loadVerified(snapshotFile),
    compileWasm: async () => WebAssembly.compile(await fs.promises.readFile(path.join(indexURL, "pyodide.asm.wasm"))),
    loadStdlib: async () => readShared(path.join(indexURL, "python_stdlib.zip")),
    saveSnapshot: (bytes) => saveVerified(snapshotFile, bytes),
  };
}

export function createNodeMachine(options: NodeMachineOptions = {}): Machine {
  return new Machine(createNodePlatform(options), options);
}
