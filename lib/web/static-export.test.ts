import { describe, expect, it } from "vitest";
import { sha256Source } from "./csp";
import { buildManifest, fileHash, injectCsp } from "./static-export";

const PAGE = '<!DOCTYPE html><html><head><meta charSet="utf-8"/><script src="/_next/a.js"></script></head><body><script>self.__next_f.push([1])</script></body></html>';

describe("injectCsp", () => {
  it("should put the page's policy, with its inline scripts' hashes, right after <meta charset>", () => {
    const html = injectCsp(PAGE, "en/index.html");
    const tag = /<meta charSet="utf-8"\/><meta http-equiv="Content-Security-Policy" content="([^"]*)"\/><script src/.exec(html);
    expect(tag).not.toBeNull();
    const policy = tag![1].replace(/&quot;/g, '"').replace(/&amp;/g, "&");
    expect(policy).toContain(sha256Source("self.__next_f.push([1])"));
    expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
    // Ignored in a meta tag (and the console says so), and no nonce: nothing is rendered per request.
    expect(policy).not.toMatch(/frame-ancestors|'nonce-/);
  });

  it("should name the file when the page has no charset to anchor on, or a policy already", () => {
    expect(() => injectCsp("<html><head></head></html>", "en/broken/index.html")).toThrow("en/broken/index.html");
    expect(() => injectCsp(injectCsp(PAGE, "a.html"), "a.html")).toThrow("already has");
  });
});

describe("buildManifest", () => {
  it("should save every page as its folder URL and every other file by name, leaving RSC payloads and the worker to runtime", () => {
    const m = buildManifest(["index.html", "index.txt", "en/queues/index.html", "en/queues/index.txt", "_next/static/chunks/a.js", "pyodide/pyodide.asm.wasm", "sw.js", "404.html"], "abc", (f) => fileHash(new TextEncoder().encode(f)));
    expect(m.version).toBe("abc");
    expect(m.precache).toEqual(["/", "/en/queues/", "/_next/static/chunks/a.js", "/pyodide/pyodide.asm.wasm", "/404.html"]);
    // Each saved path with its file's hash, under the path the service worker saves it by.
    expect(Object.keys(m.hashes)).toEqual(m.precache);
    expect(m.hashes["/en/queues/"]).toBe(fileHash(new TextEncoder().encode("en/queues/index.html")));
    expect(m.hashes["/"]).toMatch(/^[0-9a-f]{16}$/);
    expect(m.csp).toContain("worker-src 'self'");
    expect(m.csp).toContain("connect-src 'self'");
  });
});
