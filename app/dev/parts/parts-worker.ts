/// <reference lib="webworker" />
/**
 * The parts fixture's worker: answers "hi" to a bare message, "module" once it holds a posted
 * WebAssembly.Module (with the ms WebAssembly.Module.imports took on it, a first touch of the
 * module in this thread), and runs n Atomics.wait/notify round trips with a partner worker on
 * a posted SharedArrayBuffer (`me` 0 pings, 1 answers).
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.onmessage = (e: MessageEvent<{ module?: WebAssembly.Module; sab?: SharedArrayBuffer; me?: number; n?: number }>) => {
  const { module, sab, me, n } = e.data;
  if (module) {
    const t = performance.now();
    WebAssembly.Module.imports(module);
    scope.postMessage({ module: performance.now() - t });
    return;
  }
  if (sab && n !== undefined) {
    const a = new Int32Array(sab);
    for (let i = 0; i < n; i++) {
      if (me === 1) Atomics.wait(a, 0, 2 * i);
      // Ping (worker 0) writes 2i+1, pong (worker 1) answers 2i+2.
      Atomics.store(a, 0, 2 * i + 1 + (me ?? 0));
      Atomics.notify(a, 0);
      if (me === 0) Atomics.wait(a, 0, 2 * i + 1);
    }
    scope.postMessage("done");
    return;
  }
  scope.postMessage("hi");
};
