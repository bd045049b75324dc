/**
 * Boot and start of a process worker. `boot` loads Pyodide (from the shared snapshot, which
 * holds the runtime's Python modules imported: ./snapshot-runtime.ts) and wires the worker to
 * the shared memory: the result is one `Booted`, and the worker then waits in the pool. `startProcess` makes it
 * pid N and runs Python to the end.
 */
import type { PyodideAPI } from "pyodide";
import type { PyCallable, PyProxy } from "pyodide/ffi";
import { CTL, SNAPSHOT_PRELOAD, type BootPhase, type HostToWorker, type PythonSources } from "../protocol";
import { installFsMirror, syncOpenFiles, withoutMirror, type EmFS } from "./fs-mirror";
import { installFileLocks } from "./file-locks";
import { writeStartFiles, type RestorableFS, type StartFS } from "./fs-restore";
import { installLimits, type LimitedFS, type LimitedModule } from "./limits";
import type { WorkerPort } from "./port";
import { GilSafeFinalizers } from "./gil-finalizers";
import { cacheAdapterModules, instantiateFromPrecompiled } from "./precompiled";
import { resumedFromCheckpoint, runPython } from "./checkpoint";
import { kill, parkedWait } from "./kill";
import { Recycler, RunGuard, type RecyclableModule } from "./recycle";
import { Rings } from "./ring";
import { SnapshotPlaceholder, dropBootBuffers, loadFromSharedSnapshot, shareStdlib, snapshotHeap } from "./snapshot-restore";
import { sched } from "./sched-gate";
import { SockRings } from "./sock";
import { SyscallChannel } from "./syscall-channel";
import { CtlWorkerSeam, type WorkerSeam } from "../seam";
import { Parking, Waits } from "./waits";
import { RelayClient } from "./relay";
import { IMPORT_RUNTIME, RUNTIME_PATH, RuntimeSlots, importRuntimeForSnapshot, writeRuntimeSources } from "./snapshot-runtime";

const encoder = new TextEncoder();

/** Everything a booted worker holds: created once by `boot`, read by the FFI table and `startProcess`. */
export interface Booted {
  readonly port: WorkerPort;
  readonly py: PyodideAPI;
  readonly channel: SyscallChannel;
  readonly waits: Waits;
  readonly rings: Rings;
  readonly socks: SockRings;
  /** The shared heap as int32 words and as a typed view (shared ctypes). */
  readonly heap: Int32Array;
  readonly heapView: DataView;
  /** Emscripten's module: its HEAPU8 is the interpreter's memory (replaced when it grows). */
  readonly em: { readonly HEAPU8: Uint8Array };
  /** Relay mode (no shared heap: `heap` is an empty placeholder and shared state is the host's): the worker's end of it. */
  readonly relay: RelayClient | null;
  /** int32 index of the machine's output sequence counter in the shared heap (−1 until start, and always in relay mode). */
  outSeq: number;
  /** The interpreter as it was at the end of boot, to put back after each process (null: the worker runs one process). */
  recycler: Recycler | null;
  /** Cancels the collection of the boot's garbage that waits for the worker to stay idle (collectWhileIdle). */
  cancelIdleGc?: () => void;
}

/** How long a booted worker waits for a process before it collects its boot's garbage. */
const IDLE_GC_AFTER_MS = 250;

/**
 * Boot garbage (wasm bytes read by the loader, parser memory) would otherwise wait for the
 * next GC, which an idle worker never triggers. A compacting collection costs a boot 70-200 ms
 * of CPU (more when two boot at once), so it runs only if the worker is still waiting for a
 * process a moment later, not on the path from start() to a new process's first line. A
 * process that comes sooner compacts at its first idle collection instead (Parking.collectIfIdle:
 * once it has waited a while), and one that never waits (a schedule of a search) leaves its
 * garbage to the collections it makes anyway.
 */
function collectWhileIdle(b: Booted, parking: Parking): void {
  const collect = b.port.collectGarbage;
  if (!collect) return;
  const timer = setTimeout(() => {
    b.cancelIdleGc = undefined;
    collect(true);
  }, IDLE_GC_AFTER_MS);
  b.cancelIdleGc = () => {
    clearTimeout(timer);
    b.cancelIdleGc = undefined;
    parking.compactNext = true;
  };
}

/** The interpreter's `sbrk(0)`, once its instance is made (undefined: not ours to ask). */
function brkOf(linked: { instance: WebAssembly.Instance | null } | null): (() => number) | undefined {
  if (!linked) return undefined;
  return () => {
    const sbrk = linked.instance?.exports.sbrk;
    if (typeof sbrk !== "function") throw new Error("the interpreter exports no sbrk (unsupported Pyodide build)");
    return (sbrk as (increment: number) => number)(0);
  };
}

type BootMsg = Extract<HostToWorker, { type: "boot" }>;
type StartMsg = Extract<HostToWorker, { type: "start" }>;

/** The next number of the machine-wide output order (see WorkerToHost `output`). */
function nextSeq(b: Booted): number {
  return b.outSeq < 0 ? -1 : Atomics.add(b.heap, b.outSeq, 1);
}

/** How this worker blocks on its host (../seam.ts): its control block, or where nothing is shared, the port's relay seam. */
function workerSeam(port: WorkerPort, msg: BootMsg): WorkerSeam {
  if (!msg.relayChannel) return new CtlWorkerSeam((m) => port.post(m), msg.ctl as SharedArrayBuffer);
  if (!port.relaySeam) throw new Error("this host shares no memory with its workers, and its worker entry has no relay transport");
  return port.relaySeam(msg.relayChannel);
}

/**
 * An interpreter that began to load before its boot message came (`prepare`): Pyodide's loader
 * and Emscripten's module setup run while the host still compiles the wasm and reads the
 * snapshot (in WebKit about a second of this thread's time, in Chromium a quarter of one), and
 * wait for the boot's module and snapshot at the instantiation. Only the snapshot's length is
 * needed that early (the memory is made that large); its bytes are read after instantiation.
 */
export interface Prepared {
  readonly phases: BootPhase[];
  readonly finalizers: GilSafeFinalizers;
  readonly guard: RunGuard;
  readonly linked: { instance: WebAssembly.Instance | null };
  readonly slots: RuntimeSlots;
  /** Hands the load the boot's snapshot and module (the snapshot first: the header is read right after instantiation). */
  readonly give: (msg: BootMsg) => void;
  readonly loaded: Promise<PyodideAPI>;
}

type PrepareMsg = Extract<HostToWorker, { type: "prepare" }>;

/** What must be in place before Pyodide loads: see ./gil-finalizers.ts and ./recycle.ts. */
function installBootHooks(recycle: boolean): { finalizers: GilSafeFinalizers; guard: RunGuard } {
  // Before Pyodide makes its FinalizationRegistry.
  const finalizers = new GilSafeFinalizers();
  finalizers.install(globalThis);
  const guard = new RunGuard();
  if (recycle) guard.install(globalThis);
  return { finalizers, guard };
}

const scriptPhases = (port: WorkerPort): BootPhase[] => (port.scriptStart === undefined ? [] : [["script running", port.scriptStart]]);

/**
 * Starts loading Pyodide from a snapshot of `msg.snapshotBytes` bytes that the boot message will
 * bring. A boot that was not prepared but has a snapshot and a compiled module loads this way too,
 * given them at once (`early` false: no "prepare" phase).
 */
export function prepare(port: WorkerPort, msg: PrepareMsg, early = true): Prepared {
  const phases = scriptPhases(port);
  const phase = (name: string) => phases.push([name, performance.timeOrigin + performance.now()]);
  if (early) phase("prepare");
  let resolveModule: (m: WebAssembly.Module) => void = () => {};
  const compiled = new Promise<WebAssembly.Module>((resolve) => (resolveModule = resolve));
  const linked = instantiateFromPrecompiled(compiled, phase);
  const { finalizers, guard } = installBootHooks(msg.recycle);
  const placeholder = new SnapshotPlaceholder(msg.snapshotBytes);
  const slots = new RuntimeSlots();
  const loaded = port.importPyodide(msg.indexURL).then((loadPyodide) => {
    phase("pyodide imported");
    const uncache = cacheAdapterModules();
    const opts = { indexURL: msg.indexURL, stdout: () => {}, stderr: () => {}, _snapshotDeserializer: slots.deserialize };
    return loadFromSharedSnapshot(placeholder, (p) => loadPyodide({ ...opts, _loadSnapshot: p }), phase, brkOf(linked)).finally(uncache);
  });
  loaded.catch(() => undefined); // a boot that never comes leaves it pending; one that fails reports it there
  const give = (boot: BootMsg): void => {
    if (!boot.snapshot || !boot.wasm || boot.makeSnapshot) throw new Error("a prepared worker boots only from a snapshot and a precompiled module");
    if (Boolean(boot.recycle) !== msg.recycle) throw new Error("the boot's recycle differs from the one prepared");
    placeholder.fill(boot.snapshot);
    resolveModule(boot.wasm);
  };
  return { phases, finalizers, guard, linked, slots, give, loaded };
}

/**
 * Boots the worker. `ffi` builds the `_spawnpoint_js` table Python imports. Returns null when
 * the host asked for a memory snapshot instead (posted back, the worker is done). With
 * `prepared`, the interpreter is the one `prepare` began to load.
 */
export async function boot(port: WorkerPort, msg: BootMsg, ffi: (b: Booted) => object, prepared: Prepared | null = null): Promise<Booted | null> {
  const fromSnapshot = !msg.makeSnapshot && msg.wasm ? msg.snapshot : null;
  const loading = prepared ?? (fromSnapshot ? prepare(port, { type: "prepare", indexURL: msg.indexURL, snapshotBytes: fromSnapshot.byteLength, recycle: Boolean(msg.recycle) }, false) : null);
  // When each part of the boot ended, sent with `ready` (see WorkerToHost).
  const phases: BootPhase[] = loading ? loading.phases : scriptPhases(port);
  const phase = (name: string) => phases.push([name, performance.timeOrigin + performance.now()]);
  phase(msg.pyc ? "boot" : "boot without bytecode");
  let linked: { instance: WebAssembly.Instance | null } | null;
  let finalizers: GilSafeFinalizers;
  let guard: RunGuard;
  let slots: RuntimeSlots;
  let py: PyodideAPI;
  if (loading) {
    loading.give(msg);
    ({ linked, finalizers, guard, slots } = loading);
    py = await loading.loaded;
  } else {
    // To make a snapshot, or without one or without a compiled module (each worker compiles its own).
    linked = msg.wasm ? instantiateFromPrecompiled(msg.wasm, phase) : null;
    ({ finalizers, guard } = installBootHooks(Boolean(msg.recycle)));
    const loadPyodide = await port.importPyodide(msg.indexURL);
    phase("pyodide imported");
    const opts = { indexURL: msg.indexURL, stdout: () => {}, stderr: () => {} };
    if (msg.makeSnapshot) {
      const fresh = await loadPyodide({ ...opts, _makeSnapshot: true });
      fresh.runPython(SNAPSHOT_PRELOAD);
      // With the runtime imported too (./snapshot-runtime.ts); the table is built over this
      // interpreter's memory only, for its names and its one entry the import calls (bytes_probe).
      const em = (fresh as unknown as { _module: Booted["em"] })._module;
      const serializer = Object.keys(msg.python).length > 0 ? importRuntimeForSnapshot(fresh, msg.python, ffi({ em } as Booted) as Record<string, unknown>) : undefined;
      const bytes = fresh.makeMemorySnapshot({ serializer });
      port.post({ type: "snapshot", bytes }, [bytes.buffer as ArrayBuffer]);
      return null;
    }
    slots = new RuntimeSlots();
    const uncache = cacheAdapterModules();
    const shared = msg.snapshot;
    try {
      py = shared
        ? await loadFromSharedSnapshot(new SnapshotPlaceholder(shared.byteLength).fill(shared), (placeholder) => loadPyodide({ ...opts, _loadSnapshot: placeholder, _snapshotDeserializer: slots.deserialize }), phase, brkOf(linked))
        : await loadPyodide(opts);
    } finally {
      uncache();
    }
  }
  phase("interpreter loaded");
  const gilCheck = (py as unknown as { _module: { _PyGILState_Check?: () => number } })._module._PyGILState_Check;
  if (typeof gilCheck === "function") finalizers.gilHeld = () => gilCheck() !== 0;
  dropBootBuffers(py);
  if (msg.stdlib) shareStdlib(py, msg.stdlib);
  // Waits keep the Queue feeder's backlog moving, and the backlog lives in Rings, which waits
  // with them: the feeder reads `rings` once both exist (nothing waits before boot ends).
  const parking: Parking = new Parking(port, {
    get pending(): number {
      return rings.pending;
    },
    pump: () => rings.pump(),
  }, new Int32Array(msg.ctl));
  const seam = workerSeam(port, msg);
  const relay = msg.heap ? null : new RelayClient(seam, () => port.now());
  const channel = new SyscallChannel(port, relay ? relay.syscallSeam() : seam, parking);
  // Relay mode: no shared heap. The direct classes get an empty placeholder that nothing
  // touches: every entry of the FFI table that would is relayed (./relay.ts).
  const heap = msg.heap ?? new ArrayBuffer(0);
  const waits = new Waits(port, msg.ctl, heap, channel, parking);
  sched.takeInterrupt = relay ? () => relay.takeInterrupt() : () => waits.takeInterrupt();
  if (relay) {
    sched.hang = () => {
      // Parked on the host until killed (a signal's answer parks it again).
      for (;;) relay.call("pause", { label: "" });
    };
  } else {
    // Parked on its own PARKED word until killed, which wakes it there (./kill.ts).
    const ctl = new Int32Array(msg.ctl as SharedArrayBuffer);
    sched.hang = () => {
      for (;;) parkedWait(ctl, ctl, CTL.PARKED, 1);
    };
  }
  const rings: Rings = new Rings(heap, waits.waiting);
  const socks = new SockRings(heap, { ...waits.waiting, kick: (ring) => channel.post("sock_kick", `{"ring":${ring}}`, null) });
  const booted: Booted = {
    port,
    py,
    channel,
    waits,
    rings,
    socks,
    heap: new Int32Array(heap),
    heapView: new DataView(heap),
    relay,
    em: (py as unknown as { _module: { HEAPU8: Uint8Array } })._module,
    outSeq: -1,
    recycler: null,
  };
  const ctl = new Int32Array(msg.ctl);
  const write = (fd: 1 | 2) => ({
    // Errno numbers are already Linux's (_spawnpoint/linux_errno.py): output passes through.
    write: (buf: Uint8Array) => {
      if (sched.on) sched.point("write", fd === 1 ? "stdout" : "stderr", "write", false);
      // Pyodide turns an error's `code` into the errno of the OSError Python sees: BrokenPipeError.
      if (fd === 1 && Atomics.load(ctl, CTL.STDOUT_GONE) === 1) throw Object.assign(new Error("stdout's reader went away"), { code: "EPIPE" });
      port.post({ type: "output", fd, data: buf.slice(), seq: nextSeq(booted) });
      return buf.length;
    },
    isatty: true,
  });
  py.setStdout(write(1));
  py.setStderr(write(2));
  const table = ffi(booted) as Record<string, unknown>;
  // The runtime's sources: tracebacks read them, and a module imported later compiles from them.
  writeRuntimeSources(py, msg.python);
  let runtimePyc: Record<string, Uint8Array> | undefined;
  let stdlibCode: Record<string, Uint8Array> = {};
  if (slots.found) {
    // The snapshot holds the runtime imported: its JsProxies of `_spawnpoint_js` get this worker's table.
    slots.bind(py, table);
    phase("runtime from snapshot");
  } else {
    py.registerJsModule("_spawnpoint_js", table);
    // The runtime's bytecode, when an earlier worker of this machine made it: importing from it
    // skips compiling ~the whole runtime again in every process (see runtimeBytecode).
    const cacheTag = String(py.runPython("import sys; sys.implementation.cache_tag"));
    if (msg.pyc) installBytecode(py.FS as unknown as EmFS, msg.python, msg.pyc, cacheTag);
    // Import multiprocessing and patch it now, while the worker waits in the pool; the entry
    // module too, so start() does not compile it on the start() → first line path.
    stdlibCode = withStdlibCode(py, msg.pyc, () => py.runPython(IMPORT_RUNTIME));
    // As in the snapshot (./snapshot-runtime.ts): the runtime is out of every later collection's way.
    py.runPython("import gc; gc.collect(); gc.freeze()");
    phase("runtime imported");
    // Made before any program runs here, so what other workers import cannot come from user code.
    runtimePyc = msg.pyc ? undefined : runtimeBytecode(py, msg.python, cacheTag);
  }
  const pyc = runtimePyc && { ...runtimePyc, ...stdlibCode };
  if (runtimePyc) phase("bytecode made");
  // What a wait calls when a signal arrives during it (runs the Python handler).
  const deliver = py.pyimport("_spawnpoint.signals").deliver as (sig: number) => boolean;
  booted.waits.setDeliver(deliver);
  relay?.setDeliver(deliver);
  phase("signals wired");
  if (msg.recycle) booted.recycler = recordForRecycling(booted, guard, msg.snapshot && snapshotHeap(msg.snapshot), phase);
  phase("recycling recorded");
  port.lockdown?.();
  phase("ready");
  port.post(pyc ? { type: "ready", pyc, phases } : { type: "ready", phases });
  collectWhileIdle(booted, parking);
  return booted;
}

/** The end-of-boot record a recycle restores; null (one process per worker) when this Pyodide lacks what it needs. */
function recordForRecycling(b: Booted, guard: RunGuard, base: Uint8Array | null, phase: (name: string) => void): Recycler | null {
  const em = (b.py as unknown as { _module: RecyclableModule })._module;
  if (typeof em.__hiwire_get !== "function" || typeof em.__hiwire_set !== "function" || typeof em.__hiwire_immortal_get !== "function" || typeof em.stackSave !== "function") return null;
  try {
    return new Recycler(em, b.py.FS as unknown as RestorableFS, guard, base, phase);
  } catch {
    return null;
  }
}

/**
 * After the process's Python returned: tells the kernel it exited and, when the worker can be
 * recycled, puts the interpreter back to its end-of-boot state and says `ready` again. The
 * restore waits for the event loop's next turn, after whatever microtasks the program queued.
 */
function finish(b: Booted, code: number): void {
  const recycler = b.recycler;
  // The gate holds the process's own proxy (its line finder): gone with the process.
  sched.stop();
  const recycle = recycler !== null && recycler.declines() === null;
  syncOpenFiles(b.py.FS as unknown as EmFS);
  b.channel.post("exit", JSON.stringify(resumedFromCheckpoint() ? { code, recycle, resumed: true } : { code, recycle }), null);
  if (!recycler || !recycle) return; // the host ends this worker
  putBack(b, recycler);
}

/**
 * The process was killed while it waited (./kill.ts): the kernel ended it already, so no exit
 * is posted and no open file synced (what it had not written is lost, as with SIGKILL). The
 * worker puts itself back as after an exit, or asks the host to end it.
 */
function afterKill(b: Booted): void {
  kill.pending = false;
  sched.stop();
  b.recycler?.disarmRun();
  const why = b.recycler ? b.recycler.declines() : "this worker keeps no end-of-boot record";
  if (why !== null || !b.recycler) b.port.post({ type: "fatal", message: `killed: ${why}` });
  else putBack(b, b.recycler);
}

/** Restores the end-of-boot state on the event loop's next turn and says `ready` again. */
function putBack(b: Booted, recycler: Recycler): void {
  setTimeout(() => {
    try {
      const FS = b.py.FS as unknown as EmFS;
      withoutMirror(FS, () => recycler.restore());
      b.waits.reset();
      b.relay?.reset();
      b.rings.reset();
      b.socks.lastSent = 0;
      b.outSeq = -1;
      b.port.post({ type: "ready" });
    } catch (e) {
      b.port.post({ type: "fatal", message: `recycle: ${e instanceof Error ? e.message : String(e)}` });
    }
  }, 0);
}

/** Where CPython looks for the bytecode of the runtime file `rel` (importlib.util.cache_from_source). */
function pycPath(rel: string, cacheTag: string): string {
  const path = `${RUNTIME_PATH}/${rel}`;
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash)}/__pycache__/${path.slice(slash + 1, -".py".length)}.${cacheTag}.pyc`;
}

/**
 * Compiles every runtime file into unchecked hash-based .pyc files (PEP 552: used without
 * looking at the source, whose MEMFS mtime differs in every worker) and returns their bytes.
 */
function runtimeBytecode(py: PyodideAPI, python: PythonSources, cacheTag: string): Record<string, Uint8Array> | undefined {
  const files = Object.keys(python).filter((rel) => rel.endsWith(".py"));
  try {
    py.runPython(
      `import py_compile\nfor _rel in ${JSON.stringify(files)}:\n    py_compile.compile(${JSON.stringify(RUNTIME_PATH)} + "/" + _rel, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)\ndel _rel`,
    );
    const FS = py.FS as unknown as EmFS;
    return Object.fromEntries(files.map((rel) => [rel, FS.readFile(pycPath(rel, cacheTag))]));
  } catch {
    return undefined; // the next worker compiles from source, as before
  }
}

/** Prefix of the bytecode entries that hold a stdlib module's marshalled code, by module name (see withStdlibCode). */
const STDLIB_CODE = "@stdlib/";

/**
 * Runs `importRuntime` with the stdlib's zip importer answering from `pyc`'s marshalled code
 * objects: the runtime imports some stdlib modules again after patching what they import
 * (multiprocessing.connection, .managers, .shared_memory, selectors, …), and python_stdlib.zip
 * holds sources only, so each boot compiled them (~0.15 s). Without such entries (a worker
 * booting without bytecode) it records the code it compiled instead and returns it, to be sent
 * with the runtime's bytecode. Code objects keep their file names, so tracebacks still show
 * the zip's sources. The zip importer is put back afterwards: a program's imports are untouched.
 */
function withStdlibCode(py: PyodideAPI, pyc: Readonly<Record<string, Uint8Array>> | null, importRuntime: () => void): Record<string, Uint8Array> {
  const given = new Map<string, Uint8Array>();
  for (const [key, bytes] of Object.entries(pyc ?? {})) if (key.startsWith(STDLIB_CODE)) given.set(key.slice(STDLIB_CODE.length), bytes);
  const hook = py.runPython(`
def _spawnpoint_code_hook(given, record):
    import marshal, zipimport
    original = zipimport.zipimporter.get_code
    made = {}
    def get_code(self, fullname):
        data = given.pop(fullname, None)
        if data is not None:
            return marshal.loads(data)
        code = original(self, fullname)
        if record:
            made[fullname] = marshal.dumps(code)
        return code
    zipimport.zipimporter.get_code = get_code
    def done():
        zipimport.zipimporter.get_code = original
        return made
    return done
_spawnpoint_code_hook`) as PyCallable;
  py.runPython("del _spawnpoint_code_hook");
  const givenPy = py.toPy(given) as PyProxy;
  const done = hook(givenPy, pyc === null) as PyCallable;
  hook.destroy();
  let made: Record<string, Uint8Array>;
  try {
    importRuntime();
  } finally {
    const result = done() as PyProxy;
    made = result.toJs({ dict_converter: Object.fromEntries }) as Record<string, Uint8Array>;
    result.destroy();
    done.destroy();
    givenPy.destroy();
  }
  return Object.fromEntries(Object.entries(made).map(([name, bytes]) => [STDLIB_CODE + name, bytes]));
}

/** Writes the bytecode beside the runtime's sources, all or nothing. */
function installBytecode(FS: EmFS, python: PythonSources, pyc: Readonly<Record<string, Uint8Array>>, cacheTag: string): void {
  const files = Object.keys(python).filter((rel) => rel.endsWith(".py"));
  if (!files.every((rel) => pyc[rel] instanceof Uint8Array)) return;
  for (const rel of files) {
    const path = pycPath(rel, cacheTag);
    FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    FS.writeFile(path, pyc[rel]);
  }
}

/** Makes the booted worker pid N: copies in the files, mirrors the shared fs, runs Python to its exit. */
export function startProcess(b: Booted, msg: StartMsg): void {
  b.cancelIdleGc?.();
  const { py, port } = b;
  const FS = py.FS as unknown as EmFS;
  // With the mirror off: in a recycled worker it is still installed, and writing a start
  // file through it would send the file back to the kernel, a large file's empty placeholder
  // truncating the shared one.
  withoutMirror(FS, () => {
    writeStartFiles(FS as unknown as StartFS, msg.files, msg.args.dirs, b.recycler?.leftover ?? null);
    FS.mkdirTree(msg.cwd);
  });
  installFsMirror(FS, b.channel);
  installFileLocks(FS, b.channel);
  installLimits(py.FS as unknown as LimitedFS, b.em as unknown as LimitedModule, msg.limits, (text) =>
    port.post({ type: "output", fd: 2, data: encoder.encode(text), seq: nextSeq(b) }),
  );
  // A process of a controlled run (and everything it spawns) takes turns: see ./sched-gate.ts.
  // A recycled worker forgets the last process's run.
  const relay = b.relay;
  if (msg.args.sched) sched.start(b.channel, relay ? () => relay.pump() : () => b.rings.pump());
  else sched.stop();
  port.post({ type: "running" });
  b.outSeq = msg.args.outSeq;
  b.waits.pid = msg.pid;
  let code: number;
  try {
    code = runPython(b, msg, () => py.toPy({ ...msg.args, pid: msg.pid, ppid: msg.ppid, cwd: msg.cwd }));
  } catch (e) {
    if (kill.pending) return afterKill(b);
    // Only a runtime bug gets here: _spawnpoint.main catches every Python exception.
    port.post({ type: "output", fd: 2, data: encoder.encode(`spawnpoint runtime error: ${String(e)}\n`), seq: nextSeq(b) });
    syncOpenFiles(FS);
    b.channel.post("exit", JSON.stringify({ code: 1 }), null);
    return;
  }
  if (kill.pending) return afterKill(b);
  finish(b, code);
}
