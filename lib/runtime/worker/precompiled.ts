/**
 * Makes Pyodide instantiate the host's precompiled module instead of compiling 10 MB of wasm
 * again: the next `WebAssembly.instantiate` or `instantiateStreaming` (Pyodide's, of its
 * main module) gets `module` (or what it resolves to: the instantiation waits for it), and
 * both are put back at once. Any later instantiation (the
 * recycle's SIMD zero scan, a shared library) gets what it asked for: with the patch left in
 * place it got the interpreter's module, failed to link, and the zero scan ran in JS.
 * Returns where the instance is put once made.
 */
export function instantiateFromPrecompiled(module: WebAssembly.Module | Promise<WebAssembly.Module>, phase: (name: string) => void = () => {}): { instance: WebAssembly.Instance | null } {
  const made: { instance: WebAssembly.Instance | null } = { instance: null };
  const original = WebAssembly.instantiate;
  const originalStreaming = WebAssembly.instantiateStreaming;
  const unpatch = (): void => {
    WebAssembly.instantiate = original;
    WebAssembly.instantiateStreaming = originalStreaming;
  };
  const instantiate = (imports?: WebAssembly.Imports) => {
    unpatch();
    withBrowserAnswers(imports);
    phase("wasm instantiate");
    return Promise.resolve(module).then(async (compiled) => {
      const instance = await original.call(WebAssembly, compiled, imports);
      made.instance = instance;
      phase("wasm instantiated");
      return { instance, module: compiled };
    });
  };
  const patched = (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (source instanceof WebAssembly.Module) return original.call(WebAssembly, source, imports);
    return instantiate(imports);
  };
  WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
  // In a browser Pyodide fetches the wasm and uses instantiateStreaming: without this each
  // worker would compile its own copy (time, and its own machine code in memory).
  WebAssembly.instantiateStreaming = ((source: Response | PromiseLike<Response>, imports?: WebAssembly.Imports) => {
    void Promise.resolve(source).then((r) => r.body?.cancel(), () => undefined);
    return instantiate(imports);
  }) as typeof WebAssembly.instantiateStreaming;
  return made;
}

/**
 * Where Pyodide's libc asks the host under Node, the interpreter gets the browser's answer
 * instead, everywhere: system() (os.system, or ctypes' libc.system) would run the command in
 * a shell of the host (child_process, required in Pyodide's own module scope, which the
 * worker's lockdown cannot reach), so it finds no shell (0 for system(NULL), else -ENOSYS);
 * getuid() would read the host's `process`, gone after the lockdown (a fatal ReferenceError),
 * so it is 0, as getgid() is.
 */
function withBrowserAnswers(imports: WebAssembly.Imports | undefined): void {
  const env = imports?.env as Record<string, unknown> | undefined;
  if (!env) return;
  if ("_emscripten_system" in env) env._emscripten_system = Object.assign((command: number): number => (command ? -52 : 0), { sig: "ip" });
  if ("__syscall_getuid32_js" in env) env.__syscall_getuid32_js = Object.assign((): number => 0, { sig: "i" });
}

/** Wasm modules at most this long are the one-function adapters Emscripten makes (below). */
const ADAPTER_MAX_BYTES = 256;

/**
 * While Pyodide links its main module, each JS function it puts in the function table (a few
 * hundred) becomes a tiny wasm module of its own, compiled anew (`convertJsFunctionToWasm`:
 * engines without `WebAssembly.Function`, which is all of them today). Those modules differ only
 * by the function's signature, so until the returned undo is called, `new WebAssembly.Module`
 * of such a small module answers from a cache: a few dozen compiles instead of hundreds
 * (~30 ms of a Node boot). Each instance still gets its own function; only the compiled
 * module is shared, as a module is meant to be.
 */
export function cacheAdapterModules(): () => void {
  const Original = WebAssembly.Module;
  const cache = new Map<string, WebAssembly.Module>();
  function Cached(this: unknown, bytes: BufferSource): WebAssembly.Module {
    if (!new.target) return Reflect.apply(Original, this, [bytes]) as WebAssembly.Module; // throws, as the original does
    if (bytes instanceof Uint8Array && bytes.length <= ADAPTER_MAX_BYTES) {
      const key = bytes.join(",");
      let compiled = cache.get(key);
      if (!compiled) cache.set(key, (compiled = new Original(bytes)));
      return compiled;
    }
    return new Original(bytes);
  }
  Cached.prototype = Original.prototype;
  Object.setPrototypeOf(Cached, Original); // customSections, exports, imports
  WebAssembly.Module = Cached as unknown as typeof WebAssembly.Module;
  return () => {
    if (WebAssembly.Module === (Cached as unknown)) WebAssembly.Module = Original;
  };
}
