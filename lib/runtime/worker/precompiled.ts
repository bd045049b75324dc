/**
 * Makes Pyodide instantiate the host's precompiled module instead of compiling 10 MB of wasm
 * again: the next `WebAssembly.instantiate` or `instantiateStreaming` (Pyodide's, of its
 * main module) gets `module`, and both are put back at once. Any later instantiation (the
 * recycle's SIMD zero scan, a shared library) gets what it asked for: with the patch left in
 * place it got the interpreter's module, failed to link, and the zero scan ran in JS.
 */
export function instantiateFromPrecompiled(module: WebAssembly.Module, phase: (name: string) => void = () => {}): void {
  const original = WebAssembly.instantiate;
  const originalStreaming = WebAssembly.instantiateStreaming;
  const unpatch = (): void => {
    WebAssembly.instantiate = original;
    WebAssembly.instantiateStreaming = originalStreaming;
  };
  const instantiate = (imports?: WebAssembly.Imports) => {
    unpatch();
    return original.call(WebAssembly, module, imports).then((instance) => {
      phase("wasm instantiated");
      return { instance, module };
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
}
