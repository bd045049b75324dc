/**
 * What a cached interpreter snapshot depends on besides the Pyodide build: it holds the
 * preloaded stdlib modules and the runtime's Python modules imported (worker/snapshot-runtime.ts),
 * with the `_spawnpoint_js` names and constants they copied. The hosts key their cached
 * snapshot on a digest of this text, so a changed runtime never restores an older snapshot.
 */
import { SNAPSHOT_KEY, SNAPSHOT_PRELOAD, type PythonSources } from "./protocol";
import { ffiShape } from "./worker/ffi";

export function snapshotKeyText(python: PythonSources): string {
  const sources = Object.entries(python).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([SNAPSHOT_KEY, SNAPSHOT_PRELOAD, sources, ffiShape()]);
}
