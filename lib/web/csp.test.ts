import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, inlineScriptHashes } from "./csp";
import { THEME_SCRIPT } from "./inline-scripts";
import { PageHashes } from "./page-hashes";

const sha = (s: string) => `'sha256-${createHash("sha256").update(s).digest("base64")}'`;

describe("contentSecurityPolicy", () => {
  it("should allow our inline scripts and the page's by hash, never inline or eval in production", () => {
    const policy = contentSecurityPolicy({ nonce: "abc", pageHashes: [sha("x()")] });
    const scriptSrc = policy.split("; ").find((d) => d.startsWith("script-src ")) ?? "";
    expect(scriptSrc).toContain(sha(THEME_SCRIPT));
    expect(scriptSrc).toContain(sha("x()"));
    expect(scriptSrc).toContain("'nonce-abc'");
    expect(scriptSrc).not.toMatch(/'unsafe-inline'|'unsafe-eval'/);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(contentSecurityPolicy({ nonce: "abc", pageHashes: [], dev: true })).toContain("'unsafe-eval'");
  });
});

describe("inlineScriptHashes", () => {
  it("should hash inline scripts exactly as written and skip external ones", () => {
    const html = `<script src="/a.js"></script><script>self.__next_f.push([1,"a\\u003c"])</script><script id="_R_">b()</script><script></script>`;
    expect(inlineScriptHashes(html)).toEqual([sha('self.__next_f.push([1,"a\\u003c"])'), sha("b()")]);
  });
});

describe("PageHashes", () => {
  it("should find a prerendered page by URL (route groups are not in URLs) and fall back to the 404 page", () => {
    const app = mkdtempSync(path.join(tmpdir(), "page-hashes-"));
    mkdirSync(path.join(app, "en"));
    mkdirSync(path.join(app, "(home)"));
    writeFileSync(path.join(app, "en", "pids.html"), "<script>pids()</script>");
    writeFileSync(path.join(app, "index.html"), "<script>home()</script>");
    writeFileSync(path.join(app, "_not-found.html"), "<script>missing()</script>");
    const pages = new PageHashes(app);
    expect(pages.forPath("/en/pids")).toEqual([sha("pids()")]);
    expect(pages.forPath("/")).toEqual([sha("home()")]);
    expect(pages.forPath("/en/../../etc/passwd")).toEqual([sha("missing()")]);
    expect(pages.forPath("/pyodide/pyodide.mjs")).toEqual([sha("missing()")]);
    expect(new PageHashes(path.join(app, "absent")).forPath("/en/pids")).toEqual([]);
  });
});
