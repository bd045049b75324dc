import { describe, expect, it } from "vitest";
import { describeMissing, describeRelay, detectCapabilities, isFramed } from "./capabilities";

describe("detectCapabilities", () => {
  it("should accept an isolated browser with SharedArrayBuffer, WebAssembly and workers", () => {
    expect(detectCapabilities({ crossOriginIsolated: true, SharedArrayBuffer, WebAssembly, Worker: class {} })).toEqual({ ok: true, missing: [], mode: "shared" });
  });

  it("should choose the relay where only shared memory is missing and a service worker can run", () => {
    const sw = { navigator: { serviceWorker: {} }, isSecureContext: true, WebAssembly, Worker: class {} };
    // A frame in a page that is not isolated (an LMS), or a host without the headers.
    expect(detectCapabilities({ ...sw, crossOriginIsolated: false })).toEqual({ ok: true, missing: ["cross-origin-isolation", "shared-array-buffer"], mode: "relay" });
    // Isolated, but the browser has no SharedArrayBuffer (stock WebKitGTK).
    expect(detectCapabilities({ ...sw, crossOriginIsolated: true })).toEqual({ ok: true, missing: ["shared-array-buffer"], mode: "relay" });
    // No service worker (not a secure context, or a browser setting): nothing can run.
    expect(detectCapabilities({ ...sw, isSecureContext: false, crossOriginIsolated: false }).mode).toBeNull();
    expect(detectCapabilities({ ...sw, navigator: {}, crossOriginIsolated: false }).ok).toBe(false);
    // WebAssembly is needed in both runtimes.
    expect(detectCapabilities({ ...sw, WebAssembly: undefined, crossOriginIsolated: false }).mode).toBeNull();
  });

  it("should name each missing capability", () => {
    const caps = detectCapabilities({ crossOriginIsolated: false });
    expect(caps.ok).toBe(false);
    expect(caps.missing).toEqual(["cross-origin-isolation", "shared-array-buffer", "webassembly", "web-workers"]);
    expect(describeMissing(caps.missing)).toContain("cross-origin isolation, SharedArrayBuffer, WebAssembly");
  });
});

describe("describeMissing", () => {
  const notIsolated = detectCapabilities({ crossOriginIsolated: false, SharedArrayBuffer: undefined, WebAssembly, Worker: class {} }).missing;

  it("should speak the page's language", () => {
    expect(describeMissing(notIsolated, "zh")).toBe("此浏览器无法运行 Python：缺少 跨源隔离、SharedArrayBuffer。你仍可以阅读和复制代码；较新的 Chrome、Edge、Firefox 或 Safari 都能运行。");
  });

  it("should send a framed page to its own tab, not to another browser", () => {
    expect(describeMissing(notIsolated, "en", true)).toContain("Open the lesson in its own tab");
    expect(describeMissing(notIsolated, "zh", true)).toContain("单独的标签页");
    // WebAssembly missing is the browser's fault wherever the page is.
    expect(describeMissing(["webassembly"], "en", true)).toContain("Python cannot run in this browser");
  });

  it("should tell a frame from a top-level page", () => {
    const top = {};
    expect(isFramed({ top, self: top })).toBe(false);
    expect(isFramed({ top, self: {} })).toBe(true);
  });
});

describe("describeRelay", () => {
  it("should say why the page runs without shared memory, in the page's language", () => {
    expect(describeRelay(["cross-origin-isolation", "shared-array-buffer"], "en", true).why).toContain("the page around this frame is not cross-origin isolated");
    expect(describeRelay(["cross-origin-isolation", "shared-array-buffer"]).why).toContain("this page is not cross-origin isolated");
    expect(describeRelay(["shared-array-buffer"]).why).toContain("this browser does not offer SharedArrayBuffer");
    expect(describeRelay(["shared-array-buffer"], "zh")).toEqual({
      label: "兼容模式",
      why: "兼容模式：这个浏览器不提供 SharedArrayBuffer，进程无法共享内存。Python 改为经由本站的 service worker 运行：结果相同，速度较慢。",
    });
  });
});
