import { expect, test, type Page } from "@playwright/test";

/**
 * Security headers on every kind of response, and a site that works under its
 * Content-Security-Policy: pages, the Python runtime's workers, Monaco and xterm log no violation.
 */
test.setTimeout(180_000);
const BOOT = { timeout: 60_000 };

const LESSON = "start-and-join";

const ROUTES = [
  "/",
  "/en",
  "/zh",
  `/en/${LESSON}`,
  `/zh/${LESSON}`,
  `/en/${LESSON}/present`,
  `/zh/${LESSON}/present?slide=2`,
  `/en/${LESSON}/presenter`,
  "/en/join",
  "/zh/join",
  "/en/no-such-lesson",
  "/no-such-page",
  "/pyodide/pyodide.mjs",
  "/pyodide/pyodide.asm.wasm",
  "/pyodide/python_stdlib.zip",
  "/pyodide/pyodide-lock.json",
  "/api/live/sessions/ZZZZZZZ",
];

function expectSecurityHeaders(url: string, headers: Record<string, string>) {
  const csp = headers["content-security-policy"] ?? "";
  const directive = (name: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith(`${name} `)) ?? "";
  expect(directive("script-src"), url).toMatch(/^script-src 'self' 'wasm-unsafe-eval'/);
  expect(directive("script-src"), url).not.toMatch(/'unsafe-inline'|'unsafe-eval'|\*|https?:/);
  expect(directive("default-src"), url).toBe("default-src 'self'");
  expect(directive("connect-src"), url).toBe("connect-src 'self'");
  expect(directive("worker-src"), url).toBe("worker-src 'self'");
  expect(directive("object-src"), url).toBe("object-src 'none'");
  expect(directive("base-uri"), url).toBe("base-uri 'self'");
  expect(directive("frame-ancestors"), url).toBe("frame-ancestors 'none'");
  expect(headers["x-content-type-options"], url).toBe("nosniff");
  expect(headers["referrer-policy"], url).toBe("strict-origin-when-cross-origin");
  expect(headers["permissions-policy"], url).toContain("fullscreen=(self)");
  expect(headers["permissions-policy"], url).toContain("camera=()");
  expect(headers["cross-origin-opener-policy"], url).toBe("same-origin");
  expect(headers["cross-origin-embedder-policy"], url).toBe("require-corp");
  expect(headers["cross-origin-resource-policy"], url).toBe("same-origin");
}

/**
 * Records CSP violations three ways: the browser's reports (the test adds `report-uri` to every
 * policy it receives, which changes nothing that is allowed; reports come from the page and from
 * its workers, whose own console the page cannot see), `securitypolicyviolation` events in the
 * page, and console errors.
 */
async function watchCsp(page: Page): Promise<{ problems: () => Promise<string[]> }> {
  const seen: string[] = [];
  await page.route("**/__csp-report", async (route) => {
    const report = (JSON.parse(route.request().postData() ?? "{}") as { "csp-report"?: Record<string, string> })["csp-report"] ?? {};
    seen.push(`report: ${report["violated-directive"]} blocked ${report["blocked-uri"]} in ${report["document-uri"]} (${report["source-file"] ?? ""}:${report["line-number"] ?? ""})`);
    await route.fulfill({ status: 204 });
  });
  // Documents and worker scripts (whose policy a worker runs under); Pyodide's data files pass untouched.
  await page.route(/^(?!.*(__csp-report|\/pyodide\/))/, async (route) => {
    const response = await route.fetch();
    const headers = response.headers();
    // The body handed back is already decoded.
    delete headers["content-encoding"];
    delete headers["content-length"];
    if (headers["content-security-policy"]) headers["content-security-policy"] += "; report-uri /__csp-report";
    await route.fulfill({ response, headers });
  });
  page.on("console", (msg) => {
    if (msg.type() === "error" && /Content Security Policy|Refused to/i.test(msg.text())) seen.push(`console: ${msg.text()}`);
  });
  page.on("pageerror", (error) => {
    if (/Content Security Policy|Refused to/i.test(error.message)) seen.push(`error: ${error.message}`);
  });
  await page.addInitScript(() => {
    const events: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = events;
    document.addEventListener("securitypolicyviolation", (e) => events.push(`event: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
  });
  return {
    problems: async () => [...seen, ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp).catch(() => []))],
  };
}

test.describe("Security headers", () => {
  // Pages keep fetching (the runtime preloads Pyodide) after a test is done with them.
  test.afterEach(async ({ page }) => page.unrouteAll({ behavior: "ignoreErrors" }));

  test("every route, file and API response carries the security headers", async ({ request, page }) => {
    const urls = [...ROUTES];
    // A chunk of Next's own JavaScript, as served to pages and workers.
    await page.goto(`/en/${LESSON}`);
    const chunk = await page.locator("script[src^='/_next/static/']").first().getAttribute("src");
    expect(chunk).toBeTruthy();
    urls.push(chunk as string);
    for (const url of urls) {
      const response = await request.get(url, { maxRedirects: 0 });
      expect(response.status(), url).toBeLessThan(500);
      expectSecurityHeaders(url, response.headers());
    }
    const created = await request.post("/api/live/sessions", { data: { lesson: { lang: "en", slug: LESSON } } });
    expect(created.status()).toBe(201);
    expectSecurityHeaders("POST /api/live/sessions", created.headers());
  });

  test("the policy blocks what it should: inline eval, blob workers and other origins", async ({ page }) => {
    const csp = await watchCsp(page);
    await page.goto(`/en/${LESSON}`);
    // Run from a task of the page's own (code evaluated by the test driver is exempt from the CSP).
    const blocked = await page.evaluate(
      () =>
        new Promise<string[]>((resolve) =>
          setTimeout(async () => {
            const out: string[] = [];
            try {
              eval("1");
              out.push("eval ran");
            } catch {
              out.push("eval blocked");
            }
            try {
              const worker = new Worker(URL.createObjectURL(new Blob(["postMessage(1)"], { type: "text/javascript" })));
              out.push(
                await new Promise<string>((done) => {
                  worker.onmessage = () => done("blob worker ran");
                  worker.onerror = () => done("blob worker blocked");
                }),
              );
            } catch {
              out.push("blob worker blocked");
            }
            try {
              await fetch("https://example.com/", { mode: "no-cors" });
              out.push("fetch went out");
            } catch {
              out.push("fetch blocked");
            }
            resolve(out);
          }, 0),
        ),
    );
    await page.addScriptTag({ content: "window.__injected = true" }).catch(() => {});
    expect(await page.evaluate(() => "__injected" in window)).toBe(false);
    expect(blocked).toEqual(["eval blocked", "blob worker blocked", "fetch blocked"]);
    // The watcher sees them (as reports and as events), so the clean runs below mean something.
    await expect.poll(async () => (await csp.problems()).filter((p) => p.startsWith("report:")).length).toBeGreaterThanOrEqual(4);
    expect((await csp.problems()).filter((p) => p.startsWith("event:")).length).toBeGreaterThanOrEqual(4);
  });

  test("a lesson runs Python in workers, with Monaco and xterm, and logs no CSP violation", async ({ page, request }) => {
    const csp = await watchCsp(page);
    const workers: string[] = [];
    page.on("worker", (w) => workers.push(w.url()));
    await page.goto(`/en/${LESSON}`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const region = page.getByRole("region", { name: "main.py", exact: true }).filter({ hasText: 'print("both done")' });
    await region.scrollIntoViewIfNeeded();
    await expect(region.locator(".monaco-editor .view-lines")).toBeVisible(BOOT);
    await region.getByRole("button", { name: "Run", exact: true }).click();
    const output = region.getByRole("log", { name: "Terminal output" });
    await expect(output).toContainText("both done", BOOT);
    await expect(region.locator(".xterm")).toBeVisible();
    // The process workers get their policy from their script's response, which carries the CSP too.
    const processWorker = workers.find((u) => u.includes("/_next/static/"));
    expect(processWorker, workers.join("\n")).toBeTruthy();
    expectSecurityHeaders(processWorker as string, (await request.get(processWorker as string)).headers());
    await page.waitForTimeout(500); // reports are sent asynchronously
    expect(await csp.problems()).toEqual([]);
  });

  for (const path of [`/zh/${LESSON}`, `/en/${LESSON}/present`, `/en/${LESSON}/presenter`, "/en/join", "/zh/no-such-page", "/"]) {
    test(`${path} loads and hydrates with no CSP violation`, async ({ page }) => {
      const csp = await watchCsp(page);
      await page.goto(path);
      // Hydrated: React has attached (Next's inline RSC payload ran, which the hashes must allow).
      await expect.poll(() => page.evaluate(() => Array.isArray((self as unknown as { __next_f?: unknown[] }).__next_f))).toBe(true);
      // Our own inline theme script ran too.
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("system");
      await page.waitForLoadState("load");
      await page.waitForTimeout(1000); // late scripts and reports
      expect(await csp.problems()).toEqual([]);
    });
  }
});
