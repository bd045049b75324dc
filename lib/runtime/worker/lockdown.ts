/**
 * Capabilities, not ambient authority: once Pyodide has booted, a process worker's global
 * scope (which Python sees whole as its `js` module) loses everything that reaches outside
 * the process: the network, storage, other workers, the host page's channels and, in Node,
 * `process` / `require` (whence `child_process`). What the runtime itself needs (its post
 * function, the control block, the heap views) was captured in closures by the entry and by
 * `boot` before this runs, and is not on the global scope at all.
 *
 * Losing `caches` and `indexedDB` also means no worker can write the snapshot cache: only the
 * page (browser.ts) or the Node host (node.ts) can, and they check its digest before use.
 */

/** Browser globals that reach outside a worker (network, storage, other contexts). */
export const BROWSER_AUTHORITY = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebTransport",
  "EventSource",
  "caches",
  "indexedDB",
  "Worker",
  "SharedWorker",
  "importScripts",
  "BroadcastChannel",
  "open",
  "localStorage",
  "sessionStorage",
  "postMessage",
] as const;

/** Node globals that reach the host process: child_process and the file system are one `require`/`process.binding` away. */
export const NODE_AUTHORITY = ["process", "require", "module", "exports", "Buffer", "fetch", "WebSocket", "BroadcastChannel", "MessageChannel", "Worker", "eval"] as const;

/** Removes `names` from `scope`; what cannot be deleted (a prototype's accessor) is shadowed by an undefined own property. */
export function lockdown(scope: object, names: readonly string[]): void {
  for (const name of names) {
    try {
      Reflect.deleteProperty(scope, name);
      if (name in scope) Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false, enumerable: false });
    } catch {
      // A non-configurable own property that is already gone from use: nothing more can be done here.
    }
  }
}
