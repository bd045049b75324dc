/**
 * The runtime's Python modules inside the memory snapshot: the worker that makes the snapshot
 * imports `_spawnpoint.bootstrap` and `_spawnpoint.main` before taking it, so a worker restored
 * from it has them imported (multiprocessing patched) and skips that import (~0.25 s per worker,
 * seconds for a browser's first worker before its JIT warms up).
 *
 * What stands in the way is `_spawnpoint_js` (./ffi.ts), a JS module made per worker: the
 * runtime's modules keep JsProxies of it and of its functions (`_syscall = _js.syscall`), and a
 * snapshot cannot hold JS values. So the snapshot is made with a stand-in table of the same
 * names (constants with their values, functions as stubs that throw: nothing calls into JS while
 * the runtime is imported, but `bytes_probe`, which reads the interpreter's own memory), and
 * Pyodide's serializer writes each JS value Python holds as the table entry it is. A restored
 * worker gets placeholders for them and, once its real table exists, puts each entry in its
 * placeholder's hiwire slot (`RuntimeSlots.bind`): every JsProxy taken at import now calls the real
 * function, with no indirection per call.
 */
import type { PyodideAPI } from "pyodide";
import type { PythonSources } from "../protocol";

export const RUNTIME_PATH = "/lib/spawnpoint";
const encoder = new TextEncoder();

/**
 * A serialized JS value of a snapshot that holds the runtime: the `_spawnpoint_js` entry it is
 * ("" the table itself, with the table's `shape`).
 */
interface FfiRef {
  readonly spawnpointFfi: string;
  readonly shape?: string;
}

/** A table's names and constants, as text (what the runtime's Python copied from it at import). */
export function tableShape(table: Readonly<Record<string, unknown>>): string {
  return JSON.stringify(Object.keys(table).sort().map((k) => (typeof table[k] === "function" ? k : [k, table[k]])));
}

function isFfiRef(o: unknown): o is FfiRef {
  return typeof o === "object" && o !== null && typeof (o as FfiRef).spawnpointFfi === "string";
}

/** Writes the runtime's sources under RUNTIME_PATH (tracebacks read them; a module imported later compiles from them). */
export function writeRuntimeSources(py: PyodideAPI, python: PythonSources): void {
  for (const [rel, src] of Object.entries(python)) {
    const path = `${RUNTIME_PATH}/${rel}`;
    py.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    py.FS.writeFile(path, encoder.encode(src));
  }
}

/** The Python that imports the runtime (at boot without a snapshot that holds it, or before the snapshot is taken). */
export const IMPORT_RUNTIME = `import sys; sys.path.insert(0, ${JSON.stringify(RUNTIME_PATH)}); import _spawnpoint.bootstrap, _spawnpoint.main`;

/**
 * In the worker that makes the snapshot (`_makeSnapshot`): imports the runtime against a
 * stand-in `_spawnpoint_js` with the names and constants of `table` (a table built over this
 * interpreter's memory, whose `bytes_probe` alone is kept) and returns the serializer for makeMemorySnapshot. Throws if the import calls into JS.
 */
export function importRuntimeForSnapshot(py: PyodideAPI, python: PythonSources, table: Readonly<Record<string, unknown>>): (obj: unknown) => FfiRef {
  const standIn: Record<string, unknown> = {};
  const names = new Map<unknown, string>([[standIn, ""]]);
  for (const [name, value] of Object.entries(table)) {
    let v = value;
    // bytes_probe reads only the interpreter's own memory (`table` is built over it).
    if (typeof value === "function" && name !== "bytes_probe") {
      v = () => {
        throw new Error(`_spawnpoint_js.${name} was called while the interpreter snapshot was made: the runtime's import must not call into JS`);
      };
    }
    standIn[name] = v;
    if ((typeof v === "object" && v !== null) || typeof v === "function") names.set(v, name);
  }
  writeRuntimeSources(py, python);
  py.registerJsModule("_spawnpoint_js", standIn);
  py.runPython(IMPORT_RUNTIME);
  // The one runtime module nothing imports at boot (Barrier's): in the snapshot too, so no process compiles it.
  py.runPython("import _spawnpoint.synchronize");
  // Temporaries of the import (KERNEL_SIGNALS' proxy) must not reach the snapshot. What is
  // left lives as long as the interpreter: frozen, no collection looks at it again (each
  // process collects at its end, as CPython's shutdown does: ~30 ms a process without this).
  py.runPython("import gc; gc.collect(); gc.freeze()");
  return (obj) => {
    const name = names.get(obj);
    if (name === undefined) throw new Error("the interpreter snapshot would hold a JS value that is not in _spawnpoint_js");
    return name === "" ? { spawnpointFfi: name, shape: tableShape(table) } : { spawnpointFfi: name };
  };
}

/** The slice of Emscripten's module that reaches hiwire's table of the JS values Python holds. */
interface HiwireModule {
  __hiwire_get(index: number): unknown;
  __hiwire_set(index: number, value: unknown): number;
}

/**
 * The restore side: `deserialize` is loadPyodide's `_snapshotDeserializer` (it answers each
 * `_spawnpoint_js` entry with a placeholder), `found` whether the snapshot held the runtime, and
 * `bind` puts the worker's real table in place of the placeholders.
 */
export class RuntimeSlots {
  private readonly placeholders = new Map<object, string>();
  private shape: string | undefined;

  deserialize = (o: unknown): unknown => {
    if (!isFfiRef(o)) throw new Error("the interpreter snapshot holds a JS value this worker cannot restore");
    if (o.spawnpointFfi === "") this.shape = o.shape;
    const p = {};
    this.placeholders.set(p, o.spawnpointFfi);
    return p;
  };

  /** Whether the restored interpreter has the runtime imported (its snapshot named `_spawnpoint_js`). */
  get found(): boolean {
    return this.placeholders.size > 0;
  }

  /** Replaces every placeholder in hiwire's table by the table (or its entry) it stands for. */
  bind(py: PyodideAPI, table: Readonly<Record<string, unknown>>): void {
    // The hosts key cached snapshots on the shape (../snapshot-key.ts): a mismatch is a bug, not a stale cache.
    if (this.shape !== tableShape(table)) throw new Error("the interpreter snapshot was made with another _spawnpoint_js table (names or constants)");
    const em = (py as unknown as { _module: HiwireModule })._module;
    let left = this.placeholders.size;
    for (let i = 0; left > 0; i++) {
      let v: unknown;
      try {
        v = em.__hiwire_get(i);
      } catch {
        break; // past the table's end
      }
      const name = typeof v === "object" && v !== null ? this.placeholders.get(v) : undefined;
      if (name === undefined) continue;
      if (name !== "" && !(name in table)) throw new Error(`the interpreter snapshot names _spawnpoint_js.${name}, which this worker does not have`);
      if (em.__hiwire_set(i, name === "" ? table : table[name]) < 0) throw new Error("hiwire table set failed");
      left--;
    }
    if (left > 0) throw new Error(`${left} _spawnpoint_js value(s) of the snapshot were not found in hiwire's table`);
    this.placeholders.clear();
  }
}
