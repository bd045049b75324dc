/**
 * What the runtime needs from the browser, and which runtime it gets. Processes share memory
 * and block with Atomics on SharedArrayBuffer, which browsers only expose on cross-origin
 * isolated pages ("shared"). Where that is missing but a service worker can run, they run in
 * the relay runtime instead: no shared memory, every block a synchronous request the site's
 * service worker holds until the page answers ("relay": the same results, slower).
 */
export type MissingCapability = "cross-origin-isolation" | "shared-array-buffer" | "webassembly" | "web-workers";

export type RuntimeMode = "shared" | "relay";

export interface Capabilities {
  /** Python can run here, in `mode`. */
  ok: boolean;
  /** What the shared runtime lacks here (empty in "shared" mode; the reason for "relay"). */
  missing: MissingCapability[];
  mode: RuntimeMode | null;
}

/** The globals we inspect (a structural type so tests can pass a plain object). */
export interface CapabilityGlobals {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  WebAssembly?: unknown;
  Worker?: unknown;
  isSecureContext?: boolean;
  navigator?: { serviceWorker?: unknown };
}

export function detectCapabilities(g: CapabilityGlobals = globalThis as CapabilityGlobals): Capabilities {
  const missing: MissingCapability[] = [];
  if (g.crossOriginIsolated !== true) missing.push("cross-origin-isolation");
  if (typeof g.SharedArrayBuffer !== "function") missing.push("shared-array-buffer");
  if (typeof g.WebAssembly !== "object" || g.WebAssembly === null) missing.push("webassembly");
  if (typeof g.Worker !== "function") missing.push("web-workers");
  if (missing.length === 0) return { ok: true, missing, mode: "shared" };
  const onlyMemory = missing.every((m) => m === "cross-origin-isolation" || m === "shared-array-buffer");
  // The relay needs the site's service worker (public/sw.js), which needs a secure context.
  const relay = onlyMemory && g.isSecureContext === true && typeof g.navigator?.serviceWorker === "object" && g.navigator.serviceWorker !== null;
  return relay ? { ok: true, missing, mode: "relay" } : { ok: false, missing, mode: null };
}

/**
 * The relay runtime's badge: a short label, and why this page runs it (a tooltip and the
 * screen reader's description). `framed`: the page is in another site's frame.
 */
export function describeRelay(missing: readonly MissingCapability[], locale = "en", framed = false): { label: string; why: string } {
  const zh = locale === "zh";
  const cause = !missing.includes("cross-origin-isolation")
    ? zh
      ? "这个浏览器不提供 SharedArrayBuffer"
      : "this browser does not offer SharedArrayBuffer"
    : framed
      ? zh
        ? "外层网页没有跨源隔离"
        : "the page around this frame is not cross-origin isolated"
      : zh
        ? "本页没有跨源隔离"
        : "this page is not cross-origin isolated";
  return zh
    ? { label: "兼容模式", why: `兼容模式：${cause}，进程无法共享内存。Python 改为经由本站的 service worker 运行：结果相同，速度较慢。` }
    : {
        label: "Compatibility mode",
        why: `Compatibility mode: ${cause}, so processes cannot share memory. Python runs through the site's service worker instead: the same results, slower.`,
      };
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
