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

const LABELS_ZH: Record<MissingCapability, string> = { ...LABELS, "cross-origin-isolation": "跨源隔离" };

/**
 * One sentence for the reader explaining why code cannot run here. `framed`: the page is in a
 * frame (an LMS, a blog), where isolation depends on the page around it, so the remedy is to
 * open the lesson in its own tab rather than another browser.
 */
export function describeMissing(missing: readonly MissingCapability[], locale = "en", framed = false): string {
  if (missing.length === 0) return "";
  const zh = locale === "zh";
  if (framed && missing.includes("cross-origin-isolation"))
    return zh
      ? "无法在这个框架里运行 Python：外层网页没有跨源隔离，而浏览器只在隔离的页面上允许进程共享内存。请在单独的标签页中打开本课来运行；在这里仍可阅读和复制代码。"
      : "Python cannot run inside this frame: the page around it is not cross-origin isolated, and browsers let processes share memory only on isolated pages. Open the lesson in its own tab to run it; you can still read and copy the code here.";
  const names = missing.map((m) => (zh ? LABELS_ZH : LABELS)[m]).join(zh ? "、" : ", ");
  return zh
    ? `此浏览器无法运行 Python：缺少 ${names}。你仍可以阅读和复制代码；较新的 Chrome、Edge、Firefox 或 Safari 都能运行。`
    : `Python cannot run in this browser: it lacks ${names}. You can still read and copy the code; a recent Chrome, Edge, Firefox or Safari runs it.`;
}

/** True in a frame. A cross-origin parent cannot be read, but comparing the windows is allowed. */
export function isFramed(w: { top: unknown; self: unknown } | undefined = typeof window === "undefined" ? undefined : window): boolean {
  return w !== undefined && w.top !== w.self;
}
