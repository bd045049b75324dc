/**
 * Pyodide's JavaScript (pyodide.asm.mjs, 1.25 MB) compiled once per machine instead of once per
 * worker (Node host only).
 *
 * Each worker thread is a fresh V8 isolate, and Node 20 keeps no compiled code between them: every
 * boot parsed the whole file as a module (~50 ms), then compiled the one giant factory function
 * on its first call (~45 ms), then each function boot calls, one by one. Here the file runs as a
 * classic script (its `export default` dropped, `import.meta.url` written out as the file's URL)
 * through `vm.Script` with V8's code cache: the first worker that finds no cache writes one after
 * its interpreter loaded (so it holds every function a boot compiles), and every later worker of
 * any run on this machine reads it. V8 refuses a cache made by another V8, with other flags, or for
 * another source (`cachedDataRejected`), and such a worker compiles as before and writes a new one.
 * The file is named after the source and Node's version, written aside and renamed into place, so
 * workers that race to write it never leave a partial file.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import type { loadPyodide as LoadPyodide } from "pyodide";

/** What the Node host gives each worker thread at its creation (`workerData`). */
export interface NodeWorkerData {
  /** The machine's cache folder: the code cache lives there. */
  readonly cacheDir: string;
}

type Factory = NonNullable<Parameters<typeof LoadPyodide>[0]>["createPyodideModule"];

const EXPORT = "export default _createPyodideModule;";

/**
 * pyodide.asm.mjs as a classic script whose completion value is a function of one argument, the
 * `import()` its code calls (a script run from a code cache cannot import by itself in Node 20),
 * that returns the factory. Throws for a build it does not fit.
 */
export function asClassicScript(source: string, url: string): string {
  const end = source.lastIndexOf(EXPORT);
  if (end < 0 || source.slice(end + EXPORT.length).trim() !== "") throw new Error("pyodide.asm.mjs does not end with its factory's default export (unsupported Pyodide build)");
  const body = source
    .slice(0, end)
    .replaceAll("import.meta.url", JSON.stringify(url))
    .replace(/(?<![\w$.])import\(/g, "__spawnpointImport(");
  return `(function (__spawnpointImport) {\n${body}\nreturn _createPyodideModule;\n})`;
}

export interface CachedFactory {
  readonly createPyodideModule: Factory;
  /** Whether V8 used the cache file (false: none yet, or refused). */
  readonly fromCache: boolean;
  /** Writes the cache file if this worker compiled without one. Call once the interpreter has loaded. */
  save(): void;
}

/**
 * Pyodide's factory from `indexURL`, compiled with the code cache kept in `cacheDir`. The script
 * itself is kept there too (made by the first worker), named after pyodide.asm.mjs's size and
 * time and Node's version, so a boot reads it instead of rewriting and hashing 1.25 MB.
 */
export function cachedFactory(indexURL: string, cacheDir: string): CachedFactory {
  const file = path.join(indexURL, "pyodide.asm.mjs");
  const stat = fs.statSync(file);
  const key = createHash("sha256").update(`${stat.size}\0${stat.mtimeMs}\0${stat.ino}\0${process.version}\0${process.arch}\0${file}`).digest("hex").slice(0, 32);
  const scriptFile = path.join(cacheDir, `pyodide-asm-${key}.js`);
  const cacheFile = path.join(cacheDir, `pyodide-asm-${key}.v8cache`);
  let code: string;
  try {
    // Written only when all ASCII (below), so latin1 reads it exactly, and faster than UTF-8.
    code = fs.readFileSync(scriptFile, "latin1");
  } catch {
    code = asClassicScript(fs.readFileSync(file, "utf8"), pathToFileURL(file).href);
    if (/^[\x00-\x7f]*$/.test(code)) writeAtomically(scriptFile, code);
  }
  let cachedData: Buffer | undefined;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(code, {
    filename: file,
    cachedData,
  });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  // Its own `import("node:fs")` and the like resolve as in this ES module.
  const createPyodideModule = (script.runInThisContext() as (load: (specifier: string) => Promise<unknown>) => Factory)((specifier) => import(specifier));
  let saved = fromCache;
  return {
    createPyodideModule,
    fromCache,
    save() {
      if (saved) return;
      saved = true;
      writeAtomically(cacheFile, script.createCachedData());
    },
  };
}

/** Written aside and renamed into place: a worker never reads another's half-written file. */
function writeAtomically(file: string, data: string | Uint8Array): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch {
    // Not written: the next boot makes it again, nothing else.
  }
}
