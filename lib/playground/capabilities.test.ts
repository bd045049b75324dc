import { describe, expect, it } from "vitest";
import { describeMissing, detectCapabilities } from "./capabilities";

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
