/**
 * What the runtime needs from the browser. Real processes block with Atomics on
 * SharedArrayBuffer, which browsers only expose on cross-origin isolated pages.
 */
export type MissingCapability = "cross-origin-isolation" | "shared-array-buffer" | "webassembly" | "web-workers";

export interface Capabilities {
  ok: boolean;
  missing: MissingCapability[];
}

/** The globals we inspect (a structural type so tests can pass a plain object). */
export interface CapabilityGlobals {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  WebAssembly?: unknown;
  Worker?: unknown;
}

export function detectCapabilities(g: CapabilityGlobals = globalThis as CapabilityGlobals): Capabilities {
  const missing: MissingCapability[] = [];
  if (g.crossOriginIsolated !== true) missing.push("cross-origin-isolation");
  if (typeof g.SharedArrayBuffer !== "function") missing.push("shared-array-buffer");
  if (typeof g.WebAssembly !== "object" || g.WebAssembly === null) missing.push("webassembly");
  if (typeof g.Worker !== "function") missing.push("web-workers");
  return { ok: missing.length === 0, missing };
}

const LABELS: Record<MissingCapability, string> = {
  "cross-origin-isolation": "cross-origin isolation",
  "shared-array-buffer": "SharedArrayBuffer",
  webassembly: "WebAssembly",
  "web-workers": "Web Workers",
};

/** One sentence for the reader explaining why code cannot run here. */
export function describeMissing(missing: readonly MissingCapability[]): string {
  if (missing.length === 0) return "";
  const names = missing.map((m) => LABELS[m]).join(", ");
  return `Python cannot run in this browser: it lacks ${names}. You can still read and copy the code; a recent Chrome, Edge, Firefox or Safari runs it.`;
}
