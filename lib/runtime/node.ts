/**
 * Node host: process workers are worker_threads running worker/node-entry.ts (bundled by esbuild),
 * Pyodide comes from node_modules, and the snapshot is cached on disk so the CLI does not
 * pay a cold boot on every run.
 */
import { Worker } from "node:worker_threads";
import { performance } from "node:perf_hooks";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { createHash, type Hash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import v8 from "node:v8";
import * as esbuild from "esbuild";
import { collectPython } from "./bundle-python.mjs";
import { bytecodeKeyText, decodeBytecode, encodeBytecode } from "./bytecode-cache";
import { Machine, type MachineOptions } from "./machine";
import type { Platform, WorkerHandle } from "./platform";
import { SNAPSHOT_KEY, type HostToWorker } from "./protocol";
import { snapshotKeyText } from "./snapshot-key";
import type { NodeWorkerData } from "./worker/node-code-cache";

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

function createNodeWorker(entry: string, cacheDir: string): WorkerHandle {
  // V8 sizes a worker's young generation like a main thread's (~10 MiB resident per worker
  // after boot, nearly empty); an idle interpreter needs little of it.
  const worker = new Worker(entry, { resourceLimits: { maxYoungGenerationSizeMb: 2 }, workerData: { cacheDir } satisfies NodeWorkerData });
  worker.unref();
  return {
    post: (msg: HostToWorker, transfer?: ArrayBuffer[]) => worker.postMessage(msg, transfer),
    onMessage: (h: (msg: unknown) => void) => worker.on("message", h),
    onError: (h: (message: string) => void) => worker.on("error", (e: Error) => h(e.stack ?? e.message)),
    terminate: () => void worker.terminate(),
  };
}

/** Parts of a file read at once: the thread pool copies them in while this thread hashes those already in. */
const READ_CHUNK = 4 << 20;

/**
 * A file read straight into shared memory (what the pool hands every worker), by the thread
 * pool, so this thread is free meanwhile (it compiles the wasm, and hashes as parts come in:
 * `hash` gets the bytes in order). Reading into a Buffer first would malloc and free a large
 * block on this thread; glibc then raises its mmap threshold to that size, and later
 * allocations of up to that size stay in malloc arenas.
 */
async function readShared(file: string, hash?: Hash): Promise<Uint8Array | null> {
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, "r");
  } catch {
    return null;
  }
  try {
    const size = (await fh.stat()).size;
    const out = new Uint8Array(new SharedArrayBuffer(size));
    const readPart = async (from: number, to: number): Promise<boolean> => {
      for (let at = from; at < to; ) {
        const { bytesRead } = await fh.read(out, at, to - at, at);
        if (bytesRead === 0) return false;
        at += bytesRead;
      }
      return true;
    };
    const parts: { from: number; to: number; read: Promise<boolean> }[] = [];
    for (let from = 0; from < size; from += READ_CHUNK) {
      const to = Math.min(size, from + READ_CHUNK);
      parts.push({ from, to, read: readPart(from, to).catch(() => false) });
    }
    let whole = true;
    for (const part of parts) {
      if (!(await part.read)) whole = false;
      else if (whole) hash?.update(out.subarray(part.from, part.to));
    }
    return whole ? out : null;
  } finally {
    await fh.close();
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

/**
 * One compiled module and one snapshot per process, whatever the number of machines (a
 * schedule search runs several): their workers then share V8's tiered-up code and the pages
 * a restore copies from, instead of each machine compiling and warming its own.
 */
const modules = new Map<string, Promise<WebAssembly.Module>>();
const snapshots = new Map<string, Promise<Uint8Array | null>>();

function compiledWasm(file: string): Promise<WebAssembly.Module> {
  let m = modules.get(file);
  if (!m) {
    // Read at once and compiled off-thread from here: read by the thread pool, it would queue
    // behind the snapshot's parts (readShared), and its compile with it.
    let bytes: Buffer<ArrayBuffer>;
    try {
      bytes = fs.readFileSync(file) as Buffer<ArrayBuffer>;
    } catch (e) {
      return Promise.reject(e as Error);
    }
    m = WebAssembly.compile(bytes);
    modules.set(file, m);
    m.catch(() => modules.delete(file));
  }
  return m;
}

function sharedSnapshot(base: string): Promise<Uint8Array | null> {
  let loading = snapshots.get(base);
  if (!loading) {
    loading = loadVerified(base);
    snapshots.set(base, loading);
    // None yet (or a bad one): a later machine looks again, and finds the one made meanwhile.
    const forget = () => void snapshots.delete(base);
    loading.then((bytes) => bytes ?? forget(), forget);
  }
  return loading;
}

async function loadVerified(base: string, what = "snapshot"): Promise<Uint8Array | null> {
  for (const file of snapshotFiles(base)) {
    const hash = createHash("sha256");
    const bytes = await readShared(file, hash);
    if (bytes && hash.digest("hex") === file.slice(-64)) return bytes;
    console.error(`spawnpoint: the cached ${what} ${file} does not match its digest; making a new one`);
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

/** Snapshots kept per cache directory (one per set of runtime sources: worktrees and edits each make one). */
const SNAPSHOTS_KEPT = 4;

/** Keeps the newest SNAPSHOTS_KEPT snapshots of `dir` that hold the runtime (older names hold none and are left alone). */
function pruneSnapshots(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => new RegExp(`^pyodide-.*-${SNAPSHOT_KEY}-[0-9a-f]{32}\\.snapshot\\.[0-9a-f]{64}$`).test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(SNAPSHOTS_KEPT)) fs.rmSync(path.join(dir, f), { force: true });
}

/** Runtime bytecode files kept per cache directory (one per set of runtime sources: worktrees and edits each make one). */
const BYTECODE_KEPT = 4;

/** Keeps the newest BYTECODE_KEPT runtime bytecode files of `dir`. */
function pruneBytecode(dir: string): void {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^runtime-.*\.pyc\.[0-9a-f]{64}$/.test(f))
    .map((f) => ({ f, t: fs.statSync(path.join(dir, f)).mtimeMs }))
    .sort((a, b) => b.t - a.t);
  for (const { f } of files.slice(BYTECODE_KEPT)) fs.rmSync(path.join(dir, f), { force: true });
}

export interface NodeMachineOptions extends MachineOptions {
  /** Directory for the cached snapshot, worker bundle and runtime bytecode. Default $SPAWNPOINT_CACHE_DIR, else node_modules/.cache/spawnpoint. */
  readonly cacheDir?: string;
}

/** The Node host's Platform (exported so tests can watch what crosses between the host and its workers). */
export function createNodePlatform(options: NodeMachineOptions = {}): Platform {
  const indexURL = pyodideDir() + path.sep;
  const version = (JSON.parse(fs.readFileSync(path.join(indexURL, "package.json"), "utf8")) as { version: string }).version;
  const cacheDir = options.cacheDir ?? (process.env.SPAWNPOINT_CACHE_DIR || path.join(here, "..", "..", "node_modules", ".cache", "spawnpoint"));
  const entry = workerBundle(cacheDir);
  const python = collectPython();
  // Keyed on the runtime's sources too: the snapshot holds them imported (./snapshot-key.ts).
  const snapshotFile = path.join(cacheDir, `pyodide-${version}-${SNAPSHOT_KEY}-${createHash("sha256").update(snapshotKeyText(python)).digest("hex").slice(0, 32)}.snapshot`);
  const bytecodeFile = path.join(cacheDir, `runtime-${version}-${createHash("sha256").update(bytecodeKeyText(version, python)).digest("hex").slice(0, 32)}.pyc`);
  return {
    createWorker: () => createNodeWorker(entry, cacheDir),
    now: () => performance.now(),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
    indexURL,
    python,
    cpuCount: availableParallelism(),
    loadSnapshot: () => sharedSnapshot(snapshotFile),
    compileWasm: () => compiledWasm(path.join(indexURL, "pyodide.asm.wasm")),
    loadStdlib: () => readShared(path.join(indexURL, "python_stdlib.zip")),
    saveSnapshot: async (bytes) => {
      await saveVerified(snapshotFile, bytes);
      pruneSnapshots(cacheDir);
    },
    loadBytecode: async () => {
      const blob = await loadVerified(bytecodeFile, "runtime bytecode");
      return blob && decodeBytecode(blob, python);
    },
    saveBytecode: async (pyc) => {
      await saveVerified(bytecodeFile, encodeBytecode(pyc));
      pruneBytecode(cacheDir);
    },
    // SPAWNPOINT_TRACE=1: each mark on stderr, in ms since this process began (where a boot and a start spend their time).
    mark: process.env.SPAWNPOINT_TRACE === "1" ? (name, epochMs) => process.stderr.write(`[trace ${((epochMs ?? performance.timeOrigin + performance.now()) - performance.timeOrigin).toFixed(1)} ms] ${name}\n`) : undefined,
  };
}

/** `relay` defaults to the environment's SPAWNPOINT_RELAY=1 (the CLI and the tests run relay mode with it). */
export function createNodeMachine(options: NodeMachineOptions = {}): Machine {
  return new Machine(createNodePlatform(options), { ...options, relay: options.relay ?? process.env.SPAWNPOINT_RELAY === "1" });
}
