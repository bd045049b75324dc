import { describe, expect, it } from "vitest";
import { describeMissing, detectCapabilities, isFramed } from "./capabilities";

describe("detectCapabilities", () => {
  it("should accept an isolated browser with SharedArrayBuffer, WebAssembly and workers", () => {
    expect(detectCapabilities({ crossOriginIsolated: true, SharedArrayBuffer, WebAssembly, Worker: class {} })).toEqual({ ok: true, missing: [] });
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
